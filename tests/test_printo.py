"""The PRINTO core set path of the 2016 engine, and PRINTO 20/50/70/90, by hand-computed vectors."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from myoresponse import (
    IMACS_DOI_2004,
    PRINTO_20,
    PRINTO_50,
    PRINTO_90,
    InvalidValueError,
    MissingMeasureError,
    Options,
    Result,
    Scales,
    UnknownFieldError,
    Visit,
    imacs_doi,
    printo_responses,
    score,
    score_json,
)

# CHQ-PhS on a range that does not start at 0, so that the range (not the value) is the
# denominator of the 2016 change: change = 100 × (followup − baseline) / 50.
SCALES = Scales(chq_phs_range=(15, 65))
BASE = {
    "physician_global": 5,
    "patient_global": 6,
    "cmas": 30,
    "chaq": 1.5,
    "chq_phs": 30,
    "das": 10,
}


def printo_score(followup: dict[str, Any], **kwargs: Any) -> Result:
    kwargs.setdefault("scales", SCALES)
    return score(
        Visit(**BASE), Visit(**followup), population="juvenile", core_set="printo", **kwargs
    )


# -- the 2016 criteria on the PRINTO core set ------------------------------------------------------

HAND = {
    # measure: (followup, absolute % change by hand, points upper-inclusive, lower-inclusive)
    "physician_global": (3, Fraction(20), 15, 15),  # 100×2/10, band >15–25
    "patient_global": (4.5, Fraction(15), 2.5, 5),  # exactly on the 15 % edge
    "cmas": (40, Fraction(1000, 52), 20, 20),  # 100×10/52 = 19.23 %, CMAS 0–52, higher better
    "chaq": (1, Fraction(50, 3), 7.5, 7.5),  # 100×0.5/3 = 16.67 %
    "chq_phs": (42.5, Fraction(25), 5, 7.5),  # 100×12.5/50, exactly on the 25 % edge
    "das": (6, Fraction(20), 12.5, 12.5),  # 100×4/20, DAS 0–20, lower better
}


def test_printo_core_set_hand_vector_upper_inclusive() -> None:
    result = printo_score({k: v[0] for k, v in HAND.items()})
    assert result.criteria.name == "2016 ACR/EULAR JDM (PRINTO core set)"
    assert [m.measure for m in result.measures] == list(HAND)
    for m in result.measures:
        _, change, points, _ = HAND[m.measure]
        assert m.absolute_percent_change == change, m.measure
        assert m.points == Fraction(points), m.measure
    assert result.total_improvement_score == Fraction(125, 2)  # 62.5
    assert result.category.value == "moderate"  # JDM: 45 ≤ 62.5 < 70
    assert result.enzyme is None
    assert result.to_dict()["enzyme"] is None


def test_printo_core_set_hand_vector_lower_inclusive() -> None:
    result = printo_score(
        {k: v[0] for k, v in HAND.items()}, options=Options(band_edges="lower-inclusive")
    )
    assert [m.points for m in result.measures] == [Fraction(v[3]) for v in HAND.values()]
    assert result.total_improvement_score == Fraction(135, 2)  # 67.5


def test_higher_is_better_measures_worsen_when_they_fall() -> None:
    result = printo_score({**BASE, "cmas": 20, "chq_phs": 20})
    assert result.measure("cmas").absolute_percent_change == Fraction(-1000, 52)
    assert result.measure("chq_phs").absolute_percent_change == Fraction(-20)
    assert result.worsened == ("cmas", "chq_phs")
    assert result.total_improvement_score == 0


def test_printo_json_matches_python() -> None:
    followup = {k: v[0] for k, v in HAND.items()}
    doc = score_json(
        {
            "population": "juvenile",
            "core_set": "printo",
            "scales": {"chq_phs_range": [15, 65]},
            "baseline": BASE,
            "followup": followup,
        }
    )
    assert doc["total_improvement_score"] == 62.5
    assert [m["points"] for m in doc["measures"]] == [15, 2.5, 20, 7.5, 5, 12.5]
    assert doc["warnings"] == []


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        ({"cmas": 53}, InvalidValueError, "followup.cmas"),  # CMAS is 0–52
        ({"das": 20.5}, InvalidValueError, "followup.das"),  # DAS is 0–20
        ({"chq_phs": 66}, InvalidValueError, "followup.chq_phs"),  # outside the given range
        ({"mmt": 60}, UnknownFieldError, "followup.mmt"),  # not a PRINTO measure
        ({"haq": 1}, UnknownFieldError, "followup.haq"),
        ({"extramuscular": 1}, UnknownFieldError, "followup.extramuscular"),
        ({"enzymes": {"CK": 100}}, UnknownFieldError, "followup.enzymes"),
    ],
)
def test_printo_core_set_rejects(change: dict[str, Any], error: type, field: str) -> None:
    with pytest.raises(error) as raised:
        printo_score({**BASE, **change})
    assert raised.value.field == field


def test_chq_phs_range_is_required() -> None:
    with pytest.raises(MissingMeasureError) as raised:
        printo_score(BASE, scales=Scales())
    assert raised.value.field == "scales.chq_phs_range"


def test_printo_core_set_is_for_juvenile_only() -> None:
    with pytest.raises(InvalidValueError) as raised:
        score(Visit(**BASE), Visit(**BASE), population="adult", core_set="printo", scales=SCALES)
    assert raised.value.field == "core_set"


def test_cmas_stays_required_under_missing_zero() -> None:
    partial = {k: v for k, v in BASE.items() if k != "chaq"}
    result = score(
        Visit(**partial),
        Visit(**partial),
        population="juvenile",
        core_set="printo",
        scales=SCALES,
        options=Options(missing="zero"),
    )
    assert result.missing == ("chaq",)
    no_cmas = {k: v for k, v in BASE.items() if k != "cmas"}
    with pytest.raises(MissingMeasureError) as raised:
        score(
            Visit(**no_cmas),
            Visit(**no_cmas),
            population="juvenile",
            core_set="printo",
            scales=SCALES,
            options=Options(missing="zero"),
        )
    assert raised.value.field == "baseline.cmas"


# -- PRINTO 20/50/70 --------------------------------------------------------------------------
# Relative change from baseline. With BASE: physician 5, parent 6, CMAS 30, CHAQ 1.5, CHQ-PhS 30,
# DAS 10 (CHQ-PhS relative to its value, not its range).


def levels(followup: dict[str, Any]) -> tuple[bool, bool, bool]:
    r20, r50, r70, _ = printo_responses(printo_score({**BASE, **followup}))
    return r20.met, r50.met, r70.met


# PRINTO 90: physician 5 → 0.5, parent 6 → 0.6, CHAQ 1.5 → 0.15 are each exactly 90 % better;
# physician 5 → 0.505 is 89.9 %.
THREE_AT_90 = {"physician_global": 0.5, "patient_global": 0.6, "chaq": 0.15}


def all_levels(followup: dict[str, Any]) -> dict[str, bool]:
    return {r.definition.key: r.met for r in printo_responses(printo_score({**BASE, **followup}))}


def test_printo_90_is_data_beside_20_50_70() -> None:
    assert [r.definition.key for r in printo_responses(printo_score(BASE))] == [
        "printo_20",
        "printo_50",
        "printo_70",
        "printo_90",
    ]
    assert PRINTO_90.improvement == 90 and PRINTO_90.min_improved == 3
    assert PRINTO_90.worsening == PRINTO_20.worsening and PRINTO_90.worsening_strict


def test_printo_90_at_exactly_90_percent() -> None:
    met = all_levels(THREE_AT_90)
    assert met == {"printo_20": True, "printo_50": True, "printo_70": True, "printo_90": True}
    changes = PRINTO_90.evaluate(printo_score({**BASE, **THREE_AT_90})).changes
    assert [c.percent for c in changes if c.measure in THREE_AT_90] == [Fraction(90)] * 3


def test_printo_90_misses_at_89_9_percent() -> None:
    followup = {**THREE_AT_90, "physician_global": 0.505}
    result = PRINTO_90.evaluate(printo_score({**BASE, **followup}))
    assert result.changes[0].percent == Fraction(899, 10)
    assert result.improved == ("patient_global", "chaq")
    assert all_levels(followup) == {
        "printo_20": True,
        "printo_50": True,
        "printo_70": True,
        "printo_90": False,
    }


def test_printo_90_keeps_the_worsening_clause() -> None:
    # CMAS 30 → 20 is −33 %: muscle strength may not be the worse variable, at any level.
    assert not any(all_levels({**THREE_AT_90, "cmas": 20}).values())


def test_hand_vector_relative_changes() -> None:
    r20 = PRINTO_20.evaluate(printo_score({k: v[0] for k, v in HAND.items()}))
    assert [c.percent for c in r20.changes] == [
        Fraction(40),  # 5 → 3
        Fraction(25),  # 6 → 4.5
        Fraction(100, 3),  # CMAS 30 → 40, higher better
        Fraction(100, 3),  # 1.5 → 1
        Fraction(125, 3),  # CHQ-PhS 30 → 42.5, higher better
        Fraction(40),  # 10 → 6
    ]
    assert r20.met and len(r20.improved) == 6 and r20.worsened == ()
    assert not PRINTO_50.evaluate(printo_score({k: v[0] for k, v in HAND.items()})).met


THREE_AT_20 = {"physician_global": 4, "patient_global": 4.8, "chaq": 1.2}  # each exactly 20 %


def test_three_variables_at_exactly_20_percent_meet_printo_20() -> None:
    assert levels(THREE_AT_20) == (True, False, False)


def test_third_variable_just_short_of_20_percent_misses() -> None:
    assert levels({**THREE_AT_20, "chaq": 1.21}) == (False, False, False)  # 19.33 %
    assert levels({"physician_global": 4, "patient_global": 4.8}) == (False, False, False)


def test_higher_is_better_variables_count_as_improved() -> None:
    # CMAS 30 → 36 and CHQ-PhS 30 → 36 are +20 %; with physician global: 3 improved.
    assert levels({"physician_global": 4, "cmas": 36, "chq_phs": 36}) == (True, False, False)
    assert levels({"physician_global": 4, "cmas": 35.9, "chq_phs": 36}) == (False, False, False)


@pytest.mark.parametrize(
    ("followup", "expected"),
    [
        ({"physician_global": 2.5, "patient_global": 3, "chaq": 0.75}, (True, True, False)),
        ({"physician_global": 2.5, "patient_global": 3, "chaq": 0.76}, (True, False, False)),
        ({"physician_global": 1.5, "patient_global": 1.8, "chaq": 0.45}, (True, True, True)),
        ({"physician_global": 1.5, "patient_global": 1.8, "chaq": 0.46}, (True, True, False)),
    ],
)
def test_printo_50_and_70_edges(followup: dict[str, Any], expected: tuple[bool, ...]) -> None:
    assert levels(followup) == expected


def test_one_variable_worse_by_more_than_30_percent_is_allowed() -> None:
    assert levels({**THREE_AT_20, "das": 13.1}) == (True, False, False)  # DAS +31 %


def test_worse_by_exactly_30_percent_does_not_count() -> None:
    # "worsening by more than 30 %": two variables exactly 30 % worse are not worsenings.
    result = PRINTO_20.evaluate(printo_score({**BASE, **THREE_AT_20, "das": 13, "chq_phs": 21}))
    assert result.worsened == ()
    assert result.met


def test_two_variables_worse_by_more_than_30_percent_miss() -> None:
    result = PRINTO_20.evaluate(printo_score({**BASE, **THREE_AT_20, "das": 13.1, "chq_phs": 20}))
    assert result.worsened == ("chq_phs", "das")
    assert not result.met


def test_muscle_strength_may_not_be_the_worse_variable() -> None:
    assert levels({**THREE_AT_20, "cmas": 20}) == (False, False, False)  # CMAS −33 %
    assert levels({**THREE_AT_20, "cmas": 21}) == (True, False, False)  # CMAS exactly −30 %


def test_printo_levels_need_the_printo_core_set() -> None:
    adult = score(
        Visit(
            physician_global=5,
            patient_global=5,
            mmt=50,
            haq=1,
            enzymes={"CK": 400},
            extramuscular=2,
        ),
        Visit(
            physician_global=5,
            patient_global=5,
            mmt=50,
            haq=1,
            enzymes={"CK": 400},
            extramuscular=2,
        ),
        population="adult",
        scales=Scales(mmt_max=80, enzyme_uln={"CK": 200}),
    )
    with pytest.raises(InvalidValueError) as raised:
        PRINTO_20.evaluate(adult)
    assert raised.value.field == "core_set"
    with pytest.raises(InvalidValueError):
        imacs_doi(printo_score(BASE))
    assert IMACS_DOI_2004.core_set.value == "imacs"


def test_definition_json() -> None:
    doc = PRINTO_20.evaluate(printo_score({**BASE, **THREE_AT_20})).to_dict()
    assert doc["definition"] == "printo_20"
    assert doc["met"] is True
    assert doc["improved"] == ["physician_global", "patient_global", "chaq"]
    assert doc["changes"][0] == {
        "measure": "physician_global",
        "baseline": 5.0,
        "followup": 4.0,
        "relative_percent_change": 20.0,
    }
