"""``python -m myoresponse``: the same command line as the ``myoresponse`` script."""

import sys

from myoresponse.io.cli import main

if __name__ == "__main__":
    sys.exit(main())
