"""``import myoresponse`` loads the core only; the rest of the public API loads on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

import myoresponse

LATER = ("numpy", "myoresponse.endpoints.series", "myoresponse.io.json", "myoresponse.tables")
INSTRUMENTS = (
    "myoresponse.instruments.mmt8",
    "myoresponse.instruments.haq",
    "myoresponse.instruments.chaq",
    "myoresponse.instruments._disability_index",
    "myoresponse.instruments.steroids",
)


def _loaded_after(code: str, modules: tuple[str, ...]) -> list[str]:
    """The ``modules`` loaded in a fresh interpreter after running ``code``."""
    check = f"import sys\n{code}\nprint([m for m in {modules!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    loaded: list[str] = eval(done.stdout)  # a list literal of module names printed above
    return loaded


def test_import_loads_only_the_core() -> None:
    code = f"import sys, myoresponse; print([m for m in {LATER!r} if m in sys.modules])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_import_and_scoring_plain_totals_do_not_load_the_instruments() -> None:
    code = (
        "import myoresponse as m\n"
        "m.score(m.Visit(physician_global=5, mmt=60), m.Visit(physician_global=2, mmt=70),\n"
        "  population='adult', options=m.Options(missing='zero'), scales=m.Scales(mmt_max=80))"
    )
    assert _loaded_after("import myoresponse", INSTRUMENTS) == []
    assert _loaded_after(code, INSTRUMENTS) == []


@pytest.mark.parametrize(
    ("code", "module"),
    [
        ("import myoresponse as m; m.MMT8Grades", "myoresponse.instruments.mmt8"),
        ("import myoresponse as m; m.score_chaq", "myoresponse.instruments.chaq"),
        ("import myoresponse as m; m.SteroidDose", "myoresponse.instruments.steroids"),
        (  # an incomplete sheet is refused, by the instrument's reader
            "import myoresponse as m\ntry:\n    m.Visit(haq_answers={'items': {}})\n"
            "except m.MyoresponseError:\n    pass",
            "myoresponse.instruments.haq",
        ),
        (
            "import myoresponse as m; m.Visit(steroids=[])",
            "myoresponse.instruments.steroids",
        ),
    ],
)
def test_an_instrument_loads_when_first_used(code: str, module: str) -> None:
    assert module in _loaded_after(code, INSTRUMENTS)


def test_every_public_name_resolves_and_is_listed() -> None:
    for name in myoresponse.__all__:
        assert getattr(myoresponse, name) is not None, name
        assert name in dir(myoresponse), name


def test_a_lazy_name_is_the_module_attribute() -> None:
    from myoresponse.endpoints.series import score_series
    from myoresponse.io.json import score_json

    assert myoresponse.score_json is score_json
    assert myoresponse.score_series is score_series
