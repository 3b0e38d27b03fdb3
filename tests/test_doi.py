"""The IMACS 2004 preliminary definition of improvement, against hand-computed vectors."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from myoresponse import (
    IMACS_DOI_2004,
    DefinitionResult,
    Options,
    Result,
    Scales,
    Visit,
    imacs_doi,
    score,
)

SCALES = Scales(mmt_max=80, enzyme_uln={"CK": 200, "AST": 40})
BASE: dict[str, Any] = {
    "physician_global": 5,
    "patient_global": 5,
    "mmt": 50,
    "haq": 1,
    "enzymes": {"CK": 1000},
    "extramuscular": 2,
}


def pair(followup: dict[str, Any], base: dict[str, Any] = BASE, **kwargs: Any) -> Result:
    kwargs.setdefault("scales", SCALES)
    return score(Visit(**base), Visit(**{**base, **followup}), population="adult", **kwargs)


def doi(followup: dict[str, Any], base: dict[str, Any] = BASE, **kwargs: Any) -> DefinitionResult:
    return imacs_doi(pair(followup, base, **kwargs))


THREE_AT_20 = {"physician_global": 4, "patient_global": 4, "haq": 0.8}  # each exactly −20 %


def test_relative_changes_are_exact() -> None:
    result = doi({"physician_global": 4.4, "mmt": 56, "enzymes": {"CK": 700}, "extramuscular": 2.5})
    assert [c.percent for c in result.changes] == [
        Fraction(12),  # 5 → 4.4
        Fraction(0),
        Fraction(12),  # MMT 50 → 56, higher better
        Fraction(0),
        Fraction(30),  # CK 1000 → 700
        Fraction(-25),  # 2 → 2.5
    ]


def test_three_measures_at_exactly_20_percent_meet_the_doi() -> None:
    result = doi(THREE_AT_20)
    assert result.met
    assert result.improved == ("physician_global", "patient_global", "haq")
    assert result.definition is IMACS_DOI_2004


def test_third_measure_just_short_of_20_percent_misses() -> None:
    assert not doi({**THREE_AT_20, "haq": 0.81}).met  # 19 %
    assert not doi({"physician_global": 4, "patient_global": 4}).met


def test_mmt_and_enzyme_count_as_improved() -> None:
    # MMT 50 → 60 is +20 %; CK 1000 → 800 is −20 %.
    result = doi({"physician_global": 4, "mmt": 60, "enzymes": {"CK": 800}})
    assert result.improved == ("physician_global", "mmt", "enzyme")
    assert result.met


def test_two_measures_worse_by_exactly_25_percent_are_allowed() -> None:
    result = doi({**THREE_AT_20, "extramuscular": 2.5, "enzymes": {"CK": 1250}})
    assert result.worsened == ("enzyme", "extramuscular")
    assert result.met


def test_mmt_among_three_worse_misses() -> None:
    third = doi({**THREE_AT_20, "extramuscular": 2.5, "enzymes": {"CK": 1250}, "mmt": 37.5})
    assert third.worsened == ("mmt", "enzyme", "extramuscular")
    assert not third.met


def test_worse_by_just_under_25_percent_does_not_count() -> None:
    result = doi({**THREE_AT_20, "extramuscular": 2.49, "enzymes": {"CK": 1249}, "mmt": 38})
    assert result.worsened == ()  # 24.5 %, 24.9 %, 24 %
    assert result.met


def test_mmt_may_not_be_among_the_worse() -> None:
    assert not doi({**THREE_AT_20, "mmt": 37.5}).met  # MMT exactly −25 %
    assert doi({**THREE_AT_20, "mmt": 38}).met  # MMT −24 %


def test_three_worse_without_mmt_miss_and_two_are_allowed() -> None:
    # Improved: MMT 50 → 60 (+20 %), HAQ 1 → 0.8, CK 1000 → 800; worse by exactly 25 %:
    # physician and patient global 5 → 6.25 and extramuscular 2 → 2.5.
    improved = {"mmt": 60, "haq": 0.8, "enzymes": {"CK": 800}}
    worse = {"physician_global": 6.25, "patient_global": 6.25}
    three = doi({**improved, **worse, "extramuscular": 2.5})
    assert three.improved == ("mmt", "haq", "enzyme")
    assert three.worsened == ("physician_global", "patient_global", "extramuscular")
    assert not three.met
    assert doi({**improved, **worse}).met


def test_baseline_zero_lower_is_better_cannot_improve_and_any_rise_is_worse() -> None:
    base = {**BASE, "extramuscular": 0}
    result = doi({**THREE_AT_20, "extramuscular": 0.1}, base=base)
    change = result.changes[-1]
    assert change.percent is None and change.from_zero
    assert result.worsened == ("extramuscular",)
    assert result.met
    unchanged = doi(THREE_AT_20, base=base)
    assert unchanged.worsened == () and unchanged.changes[-1].percent is None
    # Three rises from 0 are three worse measures.
    zeros = {**BASE, "extramuscular": 0, "patient_global": 0, "haq": 0}
    result = doi(
        {
            "physician_global": 3,
            "mmt": 60,
            "enzymes": {"CK": 500},
            "extramuscular": 0.5,
            "patient_global": 0.5,
            "haq": 0.125,
        },
        base=zeros,
    )
    assert result.improved == ("physician_global", "mmt", "enzyme")
    assert result.worsened == ("patient_global", "haq", "extramuscular")
    assert not result.met


def test_baseline_zero_strength_rise_counts_as_improved() -> None:
    # myoresponse's mirror convention for a higher-is-better measure at baseline 0.
    result = doi({"physician_global": 4, "patient_global": 4, "mmt": 1}, base={**BASE, "mmt": 0})
    assert result.improved == ("physician_global", "patient_global", "mmt")
    assert result.met


def test_doi_follows_the_enzyme_of_the_2016_result() -> None:
    base = {**BASE, "enzymes": {"CK": 1000, "AST": 400}}  # AST 10 × ULN is the most abnormal
    result = pair({"enzymes": {"CK": 100, "AST": 400}}, base=base)
    assert result.enzyme is not None and result.enzyme.name.value == "AST"
    doi_result = imacs_doi(result)
    assert doi_result.changes[4].percent == 0  # AST, not CK's −90 %
    pinned = pair(
        {"enzymes": {"CK": 100, "AST": 400}},
        base=base,
        scales=Scales(mmt_max=80, enzyme_uln={"CK": 200, "AST": 40}, enzyme="CK"),
    )
    assert imacs_doi(pinned).changes[4].percent == 90


def test_missing_measure_is_neither_improved_nor_worse() -> None:
    base = {k: v for k, v in BASE.items() if k != "haq"}
    result = doi(
        {"physician_global": 4, "patient_global": 4, "extramuscular": 1.6},
        base=base,
        options=Options(missing="zero"),
    )
    assert result.changes[3].missing
    assert result.improved == ("physician_global", "patient_global", "extramuscular")
    assert result.met


@pytest.mark.parametrize("unit_value", [16.0, 16.5])
def test_enzyme_units_do_not_change_the_relative_change(unit_value: float) -> None:
    # 1 µkat/L = 60 U/L; a relative change is unitless.
    base = {**BASE, "enzymes": {"CK": 1200}}
    followup = {"enzymes": {"CK": unit_value}, "enzyme_unit": "ukat/L"}
    result = doi(followup, base=base)
    assert (
        result.changes[4].percent == Fraction(100) * (1200 - Fraction(str(unit_value)) * 60) / 1200
    )
