"""Huge, tiny and long numbers: a library error naming the field, never OverflowError or a hang.

Issue 12 items 2-3. The limits (``myoresponse._exact``): 0, or a size from 1e-400 to the largest
float64, with at most 800 significant digits.
"""

from __future__ import annotations

import json
import sys
import time
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from myoresponse import (
    InvalidValueError,
    MyoresponseError,
    Options,
    Scales,
    Visit,
    score,
    score_json,
    score_series_json,
)
from myoresponse._exact import LARGEST, MAX_DIGITS, SMALLEST, exact

BASELINE = {
    "physician_global": 6,
    "patient_global": 7,
    "mmt": 110,
    "haq": 1.5,
    "enzymes": {"CK": 2400},
    "extramuscular": 4,
}
FOLLOWUP = {
    "physician_global": 2,
    "patient_global": 4.5,
    "mmt": 131,
    "haq": 0.875,
    "enzymes": {"CK": 310},
    "extramuscular": 1.5,
}


def document(**changes: Any) -> dict[str, Any]:
    """The embedding example, with ``changes`` as ``"baseline.mmt": value`` style paths."""
    doc: dict[str, Any] = {
        "population": "adult",
        "scales": {"mmt_max": 150, "enzyme_uln": {"CK": 200}},
        "options": {},
        "baseline": json.loads(json.dumps(BASELINE)),
        "followup": json.loads(json.dumps(FOLLOWUP)),
    }
    for path, value in changes.items():
        *parents, key = path.split("__")
        target = doc
        for parent in parents:
            target = target[parent]
        target[key] = value
    return doc


def rejected(doc: Any, field: str, *words: str) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as caught:
        score_json(doc)
    assert caught.value.field == field
    for word in words:
        assert word in str(caught.value)
    return caught.value


# -- the reproducers of issue 12 items 2 and 3 ------------------------------------------------


def test_json_1e400_read_as_float_is_not_finite() -> None:
    doc = json.loads(
        json.dumps(document()).replace('"physician_global": 6', '"physician_global": 1e400')
    )
    rejected(doc, "baseline.physician_global", "inf is not a finite number")


def test_json_1e400_read_as_decimal_is_too_large() -> None:
    text = json.dumps(document()).replace('"physician_global": 6', '"physician_global": 1e400')
    error = rejected(
        json.loads(text, parse_float=Decimal), "baseline.physician_global", "1E+400", "too large"
    )
    assert "1.7976931348623157e+308" in str(error)


def test_tiny_ck_under_the_relative_rule() -> None:
    doc = document(options__enzyme_rule="relative", baseline__enzymes={"CK": 1e-310})
    rejected(doc, "baseline.enzymes.CK", "1e-310", "enzyme_rule='range'")


def test_tiny_ck_at_follow_up_is_scored() -> None:
    doc = document(options__enzyme_rule="relative", followup__enzymes={"CK": 1e-310})
    result = score_json(doc)
    enzyme = result["measures"][4]
    assert enzyme["followup"] == 1e-310 and enzyme["points"] == 7.5


def test_smallest_float_uln() -> None:
    rejected(document(scales__enzyme_uln={"CK": 5e-324}), "scales.enzyme_uln.CK", "5e-324")


def test_tiny_range_multiple_names_the_multiple() -> None:
    doc = document(options__enzyme_range_multiples={"CK": 1e-320})
    rejected(doc, "options.enzyme_range_multiples.CK", "1e-320")


@pytest.mark.parametrize(
    "path", ["baseline__mmt", "followup__physician_global", "scales__mmt_max", "baseline__haq"]
)
def test_huge_integers(path: str) -> None:
    field = path.replace("__", ".")
    rejected(document(**{path: 10**400}), field, "an integer of 401 digits", "too large")


def test_huge_integer_in_the_python_api() -> None:
    with pytest.raises(InvalidValueError) as caught:
        Visit(mmt=10**400)
    assert caught.value.field == "mmt" and caught.value.value == 10**400
    with pytest.raises(InvalidValueError, match=r"scales\.global_max: an integer of 401"):
        Scales(global_max=-(10**400))


def test_huge_steroid_dose() -> None:
    dose = [{"drug": "prednisone", "dose_mg": 10**400, "frequency": "daily"}]
    rejected(document(baseline__steroids=dose), "baseline.steroids[0].dose_mg", "401 digits")


def test_doses_that_add_up_beyond_the_largest_float() -> None:
    dose = {"drug": "betamethasone", "dose_mg": 1e308, "frequency": "four times daily"}
    rejected(document(followup__steroids=[dose]), "followup.steroids", "prednisone equivalent")
    one = {"drug": "prednisone", "dose_mg": 1e308, "frequency": "daily"}
    result = score_json(document(followup__steroids=[one]))
    assert result["prednisone_equivalent_mg_per_day"]["followup"] == 1e308


TINY_DOCUMENT = '{"population":"adult","baseline":{"mmt":1e999999999},"followup":{}}'


@pytest.mark.parametrize("exponent", ["1e999999999", "1e-999999999", "1E+999999999999999"])
def test_tiny_document_is_rejected_quickly(exponent: str) -> None:
    text = TINY_DOCUMENT.replace("1e999999999", exponent)
    start = time.perf_counter()
    with pytest.raises(MyoresponseError) as caught:
        score_json(json.loads(text, parse_float=Decimal))
    assert time.perf_counter() - start < 1.0  # today it runs for minutes
    assert caught.value.field == "baseline.mmt"
    assert ("too large" if "-" not in exponent else "too small") in str(caught.value)
    with pytest.raises(InvalidValueError, match=r"baseline\.mmt: inf is not a finite number"):
        score_json(json.loads(TINY_DOCUMENT))  # the json module reads it as float inf


def test_too_many_digits() -> None:
    digits = "1." + "3" * MAX_DIGITS
    with pytest.raises(InvalidValueError, match=f"has {MAX_DIGITS + 1} significant digits"):
        exact(Decimal(digits), "mmt")
    assert exact(Decimal(digits[:-1]), "mmt") == Fraction(Decimal(digits[:-1]))


def test_long_integers_in_a_decimal_are_checked_before_they_are_built() -> None:
    start = time.perf_counter()
    with pytest.raises(InvalidValueError, match="significant digits"):
        exact(Decimal("9" * 100_000), "mmt")
    assert time.perf_counter() - start < 1.0


# -- the limits themselves --------------------------------------------------------------------


def test_every_float64_is_within_the_limits() -> None:
    for value in (
        sys.float_info.max,
        -sys.float_info.max,
        5e-324,
        -5e-324,
        2.2250738585072014e-308,
    ):
        assert exact(value, "x") == Fraction(repr(value))
        assert exact(Decimal(value), "x") == Fraction(value)  # its exact binary expansion
        assert exact(Decimal(repr(value)), "x") == Fraction(repr(value))


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (Decimal("1e-400"), True),
        (Decimal("9.99e-401"), False),
        (Decimal(sys.float_info.max), True),
        (Decimal(int(sys.float_info.max) + 1), False),
        (Decimal(f"-{int(sys.float_info.max)}.1"), False),
        (Decimal("1.7976931348623158e308"), False),
        (int(sys.float_info.max), True),
        (int(sys.float_info.max) + 1, False),
        (SMALLEST, True),
        (SMALLEST / 2, False),
        (LARGEST, True),
        (LARGEST + Fraction(1, 3), False),
        (Fraction(1, 3 * 10**399), True),
        (Fraction(1, 3 * 10**400), False),
        (Decimal("0E+999999999"), True),
        (Decimal("-0E-999999999"), True),
    ],
)
def test_edges_of_the_limits(value: Any, ok: bool) -> None:
    if ok:
        assert exact(value, "x") == Fraction(value)
    else:
        with pytest.raises(InvalidValueError, match=r"too (large|small)") as caught:
            exact(value, "x")
        assert caught.value.field == "x" and caught.value.value == value


def test_numpy_scalars() -> None:
    assert exact(np.float32(2.2), "x") == Fraction("2.2")
    assert exact(np.float64(1e-310), "x") == Fraction("1e-310")
    assert exact(np.uint64(2**64 - 1), "x") == 2**64 - 1
    big = np.longdouble("1e400")
    expected = "is not a finite number" if str(big) == "inf" else "is too large"  # float64 long
    with pytest.raises(InvalidValueError, match=expected):
        exact(big, "x")
    with pytest.raises(InvalidValueError, match="is not a finite number"):
        exact(np.float32("nan"), "x")


def test_strings_are_not_numbers() -> None:
    with pytest.raises(InvalidValueError, match="is not a number"):
        exact("1e999999999", "x")


# -- extreme magnitudes, drawn --------------------------------------------------------------------

extreme = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**450), 10**450),
    st.builds(
        lambda digits, exponent: Decimal(f"{digits}e{exponent}"),
        st.integers(0, 10**30),
        st.integers(-1200, 1200),
    ),
    st.sampled_from([5e-324, 1e-310, 1e308, sys.float_info.max, 10**400, Decimal("1e-400")]),
)
places = st.sampled_from(
    [
        "baseline__physician_global",
        "followup__patient_global",
        "baseline__mmt",
        "followup__haq",
        "scales__mmt_max",
        "scales__global_max",
        "scales__enzyme_uln",
        "baseline__enzymes",
        "followup__enzymes",
        "options__enzyme_range_multiples",
        "baseline__steroids",
    ]
)


def placed(path: str, value: Any) -> Any:
    if path.endswith(("enzymes", "enzyme_uln", "multiples")):
        return {"CK": value}
    if path.endswith("steroids"):
        return [{"drug": "dexamethasone", "dose_mg": value, "frequency": "twice daily"}]
    return value


@given(st.lists(st.tuples(places, extreme), min_size=1, max_size=3), st.booleans())
def test_extreme_magnitudes_give_a_result_or_a_library_error(
    changes: list[tuple[str, Any]], relative: bool
) -> None:
    doc = document(**{path: placed(path, value) for path, value in changes})
    if relative:
        doc["options"]["enzyme_rule"] = "relative"
    doc["options"]["missing"] = "zero"
    try:
        result = score_json(doc)
    except MyoresponseError as error:
        assert error.field
        return
    json.dumps(result, allow_nan=False)  # every number of the result is a finite float


@given(st.sampled_from(["physician_global", "mmt", "haq", "extramuscular"]), extreme)
def test_extreme_values_in_the_python_api(key: str, value: Any) -> None:
    try:
        before = Visit(**{**BASELINE, key: value})
        result = score(
            before,
            Visit(**FOLLOWUP),
            population="adult",
            scales=Scales(mmt_max=150, enzyme_uln={"CK": 200}),
            options=Options(missing="zero"),
        )
    except MyoresponseError as error:
        assert error.field and error.field.endswith(key)
        return
    json.dumps(result.to_dict(), allow_nan=False)


@given(extreme)
def test_extreme_values_in_a_series(value: Any) -> None:
    doc = {
        "population": "adult",
        "scales": {"mmt_max": 150, "enzyme_uln": {"CK": 200}},
        "options": {"enzyme_rule": "relative"},
        "baseline": {**BASELINE, "enzymes": {"CK": value}},
        "visits": [{"label": "week 4", **FOLLOWUP}, {"label": "week 8", **BASELINE}],
    }
    try:
        result = score_series_json(doc)
    except MyoresponseError as error:
        assert error.field and "enzymes.CK" in error.field
        return
    json.dumps(result, allow_nan=False)
