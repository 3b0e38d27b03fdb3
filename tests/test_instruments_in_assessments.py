"""Instrument sheets standing in for core set totals, in the Python API and the JSON form."""

from __future__ import annotations

import pickle
from fractions import Fraction
from typing import Any

import pytest

from myoresponse import (
    InvalidValueError,
    MyoresponseError,
    NotComputableError,
    Scales,
    Visit,
    score,
    score_json,
)
from myoresponse.instruments.chaq import CHAQ, CHAQAnswers
from myoresponse.instruments.haq import HAQ_DI, HAQAnswers
from myoresponse.instruments.mmt8 import MMT8Grades, Muscle
from myoresponse.instruments.steroids import SteroidDose
from tests.conftest import ULN, steady

LIMBS = [m.value for m in Muscle if m is not Muscle.NECK_FLEXORS]


def unilateral(grade: int) -> MMT8Grades:
    return MMT8Grades({m.value: grade for m in Muscle})


def bilateral(grade: int) -> MMT8Grades:
    grades: dict[str, Any] = {limb: {"right": grade, "left": grade} for limb in LIMBS}
    grades["neck_flexors"] = grade
    return MMT8Grades(grades, protocol="bilateral")


def without_mmt(**extra: Any) -> dict[str, Any]:
    values = steady(**extra)
    del values["mmt"]
    return values


def test_mmt8_sheet_sets_total_and_maximum() -> None:
    before = Visit(**without_mmt(), mmt8=unilateral(6))  # 48 / 80
    after = Visit(**without_mmt(), mmt8=unilateral(7))  # 56 / 80
    assert (before.mmt, after.mmt) == (48, 56)
    result = score(before, after, population="adult", scales=Scales(enzyme_uln=ULN))
    mmt = result.measure("mmt")
    assert mmt.absolute_percent_change == 10  # 8 / 80, not 8 / 150
    assert mmt.points == 10  # exactly 10 % is in the >2–10 % band
    by_total = score(
        Visit(**steady(mmt=48)),
        Visit(**steady(mmt=56)),
        population="adult",
        scales=Scales(mmt_max=80, enzyme_uln=ULN),
    )
    assert result.to_dict() == by_total.to_dict()


def test_sheet_protocol_must_match_stated_mmt_max() -> None:
    before = Visit(**without_mmt(), mmt8=unilateral(6))
    with pytest.raises(InvalidValueError) as caught:
        score(
            before,
            Visit(**steady(mmt=50)),
            population="adult",
            scales=Scales(mmt_max=150, enzyme_uln=ULN),
        )
    assert caught.value.field == "baseline.mmt8"
    assert "unilateral protocol (0 to 80) but scales.mmt_max is 150" in str(caught.value)


def test_two_visits_on_different_protocols() -> None:
    with pytest.raises(InvalidValueError) as caught:
        score(
            Visit(**without_mmt(), mmt8=unilateral(6)),
            Visit(**without_mmt(), mmt8=bilateral(6)),
            population="adult",
            scales=Scales(enzyme_uln=ULN),
        )
    assert caught.value.field == "followup.mmt8"


def test_a_total_beside_a_sheet_must_agree() -> None:
    assert Visit(mmt=48, mmt8=unilateral(6)).mmt == 48
    with pytest.raises(InvalidValueError) as caught:
        Visit(mmt=50, mmt8=unilateral(6))
    assert caught.value.field == "mmt"
    assert "disagrees with the mmt8" in str(caught.value)


def test_ungraded_muscle_in_a_visit_names_the_visit_field() -> None:
    grades: dict[str, Any] = {m.value: 8 for m in Muscle}
    grades["biceps"] = None
    with pytest.raises(NotComputableError) as caught:
        Visit(mmt8={"grades": grades})
    assert caught.value.field == "mmt8.grades.biceps"


def test_haq_and_chaq_answers_set_the_index() -> None:
    answers = HAQAnswers(dict.fromkeys(HAQ_DI.item_keys, 1), help=["walking"])
    visit = Visit(haq_answers=answers)
    assert visit.haq == Fraction(9, 8)  # seven categories at 1, walking raised to 2
    child = Visit(chaq_answers=CHAQAnswers(dict.fromkeys(CHAQ.item_keys, 0)))
    assert child.chaq == 0
    with pytest.raises(InvalidValueError) as caught:
        Visit(haq_answers=CHAQAnswers(dict.fromkeys(CHAQ.item_keys, 0)).score())
    assert caught.value.field == "haq_answers"


def test_json_sheets_and_prorate() -> None:
    grades = {m.value: 6 for m in Muscle}
    doc: dict[str, Any] = {
        "population": "adult",
        "scales": {"enzyme_uln": {"CK": 200}},
        "baseline": {**_plain(without_mmt()), "enzymes": {"CK": 2400}, "mmt8": {"grades": grades}},
        "followup": {
            **_plain(without_mmt()),
            "enzymes": {"CK": 2400},
            "mmt8": {"grades": {**grades, "biceps": None, "deltoid": 9}, "prorate": True},
        },
    }
    result = score_json(doc)
    mmt = result["measures"][2]
    # follow-up: 6 × 6 + 9 = 45 over 7 groups, prorated to 45 × 8 / 7; baseline 48
    assert mmt["followup"] == pytest.approx(45 * 8 / 7)
    assert mmt["absolute_percent_change"] == pytest.approx(100 * (Fraction(360, 7) - 48) / 80)
    doc["followup"]["mmt8"]["prorate"] = False
    with pytest.raises(NotComputableError) as caught:
        score_json(doc)
    assert caught.value.field == "followup.mmt8.grades.biceps"
    doc["followup"]["mmt8"]["prorate"] = "yes"
    with pytest.raises(InvalidValueError) as caught_bad:
        score_json(doc)
    assert caught_bad.value.field == "followup.mmt8.prorate"


def test_steroids_are_carried_not_scored() -> None:
    before = Visit(**steady(), steroids=[SteroidDose("prednisone", 40)])
    after = Visit(
        **steady(),
        steroids=[{"drug": "methylprednisolone", "dose_mg": 4, "frequency": "every other day"}],
    )
    result = score(before, after, population="adult", scales=Scales(mmt_max=150, enzyme_uln=ULN))
    assert result.prednisone_equivalent_mg_per_day == (40, Fraction(5, 2))
    assert result.to_dict()["prednisone_equivalent_mg_per_day"] == {
        "baseline": 40.0,
        "followup": 2.5,
    }
    plain = score(
        Visit(**steady()),
        Visit(**steady()),
        population="adult",
        scales=Scales(mmt_max=150, enzyme_uln=ULN),
    )
    assert "prednisone_equivalent_mg_per_day" not in plain.to_dict()
    assert result.total_improvement_score == plain.total_improvement_score
    assert Visit(steroids=[]).prednisone_equivalent_mg_per_day == 0


@pytest.mark.parametrize(
    ("steroids", "field"),
    [
        ("prednisone 5 mg", "steroids"),
        ([{"drug": "aspirin", "dose_mg": 5}], "steroids[0].drug"),
        ([{"drug": "prednisone", "dose_mg": -5}], "steroids[0].dose_mg"),
    ],
)
def test_bad_steroids(steroids: Any, field: str) -> None:
    with pytest.raises(MyoresponseError) as caught:
        Visit(steroids=steroids)
    assert caught.value.field == field


def test_visits_and_results_pickle() -> None:
    before = Visit(**without_mmt(), mmt8=unilateral(6), steroids=[SteroidDose("prednisone", 10)])
    after = Visit(**without_mmt(), mmt8=unilateral(7))
    result = score(before, after, population="adult", scales=Scales(enzyme_uln=ULN))
    assert pickle.loads(pickle.dumps(before)) == before
    assert pickle.loads(pickle.dumps(result)).to_dict() == result.to_dict()


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: float(v) if isinstance(v, Fraction) else v for k, v in values.items()}
