"""``python -m myoresponse``: the same command line as the ``myoresponse`` script."""

import sys

from .cli import main

sys.exit(main())
