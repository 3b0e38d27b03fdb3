"""``import myoresponse`` loads the core only; the rest of the public API loads on first use."""

from __future__ import annotations

import subprocess
import sys

import myoresponse

LATER = ("numpy", "myoresponse.endpoints.series", "myoresponse.io.json", "myoresponse.tables")


def test_import_loads_only_the_core() -> None:
    code = f"import sys, myoresponse; print([m for m in {LATER!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_every_public_name_resolves_and_is_listed() -> None:
    for name in myoresponse.__all__:
        assert getattr(myoresponse, name) is not None, name
        assert name in dir(myoresponse), name


def test_a_lazy_name_is_the_module_attribute() -> None:
    from myoresponse.endpoints.series import score_series
    from myoresponse.io.json import score_json

    assert myoresponse.score_json is score_json
    assert myoresponse.score_series is score_series
