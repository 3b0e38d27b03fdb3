"""MMT-8: worked examples, properties and every error path."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from myoresponse.errors import (
    InputFormatError,
    InvalidValueError,
    MyoresponseError,
    NotComputableError,
    UnknownFieldError,
)
from myoresponse.instruments.mmt8 import MMT8Grades, MMT8Score, Muscle, Protocol, Side, score_mmt8

LIMBS = [m for m in Muscle if m is not Muscle.NECK_FLEXORS]

# Hand-computed: 8 + 9 + 9 + 10 + 7 + 8 + 9 + 10 = 70 of 80.
UNILATERAL = {
    "neck_flexors": 8,
    "deltoid": 9,
    "biceps": 9,
    "wrist_extensors": 10,
    "gluteus_maximus": 7,
    "gluteus_medius": 8,
    "quadriceps": 9,
    "ankle_dorsiflexors": 10,
}

# Hand-computed: neck 8; right 9+9+10+7+8+9+10 = 62; left 8+9+9+7+7+9+10 = 59; 129 of 150.
BILATERAL: dict[str, Any] = {
    "neck_flexors": 8,
    "deltoid": {"right": 9, "left": 8},
    "biceps": {"right": 9, "left": 9},
    "wrist_extensors": {"right": 10, "left": 9},
    "gluteus_maximus": {"right": 7, "left": 7},
    "gluteus_medius": {"right": 8, "left": 7},
    "quadriceps": {"right": 9, "left": 9},
    "ankle_dorsiflexors": {"right": 10, "left": 10},
}


def raises_at(cls: type[MyoresponseError], field: str | None, call: Any) -> MyoresponseError:
    """Run ``call``; it must raise ``cls`` whose field is ``field`` and whose message names it."""
    with pytest.raises(cls) as info:
        call()
    error = info.value
    assert type(error) is cls
    assert error.field == field
    if field is not None:
        assert str(error).startswith(f"{field}: ")
    return error


# --- worked examples -------------------------------------------------------------------------


def test_unilateral_total_and_maximum() -> None:
    score = MMT8Grades(UNILATERAL).score()
    assert score.total == 70
    assert score.maximum == 80
    assert isinstance(score.total, Fraction)
    assert isinstance(score.maximum, Fraction)
    assert score.protocol is Protocol.UNILATERAL
    assert (score.graded, score.groups, score.missing, score.prorated) == (8, 8, (), False)


def test_unilateral_defaults_to_the_right_side_and_records_the_left() -> None:
    assert MMT8Grades(UNILATERAL).side is Side.RIGHT
    left = MMT8Grades(UNILATERAL, side="left")
    assert left.side is Side.LEFT
    assert left.score().total == 70


def test_bilateral_counts_neck_flexors_once() -> None:
    score = MMT8Grades(BILATERAL, protocol="bilateral").score()
    assert score.total == 129
    assert score.maximum == 150
    assert score.groups == 15
    assert score.graded == 15


def test_all_normal_reaches_each_maximum() -> None:
    full_uni = dict.fromkeys((m.value for m in Muscle), 10)
    full_bi: dict[str, Any] = {m.value: {"right": 10, "left": 10} for m in LIMBS}
    full_bi["neck_flexors"] = 10
    assert MMT8Grades(full_uni).score().total == 80
    assert MMT8Grades(full_bi, protocol="bilateral").score().total == 150


def test_same_grades_give_different_maxima_by_protocol() -> None:
    uni = MMT8Grades(UNILATERAL).score()
    both: dict[str, Any] = {m: {"right": g, "left": g} for m, g in UNILATERAL.items()}
    both["neck_flexors"] = UNILATERAL["neck_flexors"]
    bi = MMT8Grades(both, protocol=Protocol.BILATERAL).score()
    assert (uni.total, uni.maximum) == (Fraction(70), Fraction(80))
    assert (bi.total, bi.maximum) == (Fraction(132), Fraction(150))  # 70 + 62 (limbs counted twice)


def test_grades_accept_exact_equivalents_of_whole_numbers() -> None:
    grades = dict(UNILATERAL, deltoid=9.0, biceps=Fraction(9))
    sheet = MMT8Grades(grades)
    assert sheet.grades[(Muscle.DELTOID, None)] == 9
    assert sheet.score().total == 70


def test_muscle_names_are_read_leniently() -> None:
    grades = {"Neck flexors": 8, "middle deltoid": 9, "Biceps brachii": 9}
    grades.update(
        {k: v for k, v in UNILATERAL.items() if k not in ("neck_flexors", "deltoid", "biceps")}
    )
    assert MMT8Grades(grades).score().total == 70


def test_prorating_a_missing_unilateral_group() -> None:
    grades: dict[str, Any] = dict(UNILATERAL, deltoid=None)
    score = MMT8Grades(grades).score(prorate=True)
    # graded 70 - 9 = 61 over 7 groups, scaled to 8: 61 * 8 / 7 = 488/7
    assert score.total == Fraction(488, 7)
    assert score.graded_sum == 61
    assert (score.graded, score.groups, score.prorated) == (7, 8, True)
    assert score.missing == ("deltoid",)
    assert score.maximum == 80


def test_prorating_an_absent_bilateral_side() -> None:
    grades = dict(BILATERAL, quadriceps={"right": 9})
    score = MMT8Grades(grades, protocol="bilateral").score(prorate=True)
    # 129 - 9 = 120 over 14 groups, scaled to 15: 120 * 15 / 14 = 900/7
    assert score.total == Fraction(900, 7)
    assert score.missing == ("quadriceps.left",)


def test_prorate_with_nothing_missing_changes_nothing() -> None:
    score = MMT8Grades(UNILATERAL).score(prorate=True)
    assert score.total == 70
    assert score.prorated is False


def test_json_round_trip_and_score_to_dict() -> None:
    doc = {"protocol": "bilateral", "grades": BILATERAL}
    sheet = MMT8Grades.from_mapping(doc)
    assert sheet.to_dict() == doc
    assert MMT8Grades.from_mapping(sheet.to_dict()) == sheet
    uni = MMT8Grades.from_mapping({"grades": UNILATERAL})
    assert uni.to_dict() == {"protocol": "unilateral", "side": "right", "grades": UNILATERAL}
    assert score_mmt8(doc) == score_mmt8(sheet) == sheet.score()
    prorated = score_mmt8({"grades": dict(UNILATERAL, deltoid=None)}, prorate=True)
    assert prorated.to_dict() == {
        "total": 488 / 7,
        "maximum": 80,
        "protocol": "unilateral",
        "graded": 7,
        "groups": 8,
        "missing": ["deltoid"],
        "prorated": True,
    }
    assert score_mmt8(doc).to_dict()["total"] == 129


def test_score_plugs_into_assessment_fields() -> None:
    score = score_mmt8({"grades": UNILATERAL})
    assert isinstance(score, MMT8Score)
    kwargs = {"mmt": score.total, "mmt_max": score.maximum}
    assert kwargs == {"mmt": Fraction(70), "mmt_max": Fraction(80)}


# --- properties ------------------------------------------------------------------------------

grade = st.integers(min_value=0, max_value=10)


@given(st.lists(grade, min_size=8, max_size=8))
def test_unilateral_total_is_the_sum_and_within_maximum(grades: list[int]) -> None:
    score = MMT8Grades(dict(zip((m.value for m in Muscle), grades, strict=True))).score()
    assert score.total == sum(grades)
    assert 0 <= score.total <= score.maximum == 80


@given(grade, st.lists(st.tuples(grade, grade), min_size=7, max_size=7))
def test_bilateral_total_is_the_sum_and_within_maximum(
    neck: int, limbs: list[tuple[int, int]]
) -> None:
    grades: dict[str, Any] = {"neck_flexors": neck}
    for muscle, (right, left) in zip(LIMBS, limbs, strict=True):
        grades[muscle.value] = {"right": right, "left": left}
    score = MMT8Grades(grades, protocol="bilateral").score()
    assert score.total == neck + sum(r + left for r, left in limbs)
    assert 0 <= score.total <= score.maximum == 150


@given(st.lists(st.one_of(st.none(), grade), min_size=8, max_size=8))
def test_prorated_total_stays_within_the_scale(grades: list[int | None]) -> None:
    sheet = MMT8Grades(dict(zip((m.value for m in Muscle), grades, strict=True)))
    given_grades = [g for g in grades if g is not None]
    if not given_grades:
        with pytest.raises(NotComputableError):
            sheet.score(prorate=True)
        return
    score = sheet.score(prorate=True)
    assert 0 <= score.total <= score.maximum
    assert min(given_grades) * 8 <= score.total <= max(given_grades) * 8
    assert score.graded_sum == sum(given_grades)
    assert score.prorated == (len(given_grades) < 8)


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [11, -1, 7.5, 10.01, math.nan, math.inf, True, "9", [9]])
def test_out_of_scale_or_non_numeric_unilateral_grade(bad: Any) -> None:
    error = raises_at(
        InvalidValueError, "grades.deltoid", lambda: MMT8Grades(dict(UNILATERAL, deltoid=bad))
    )
    assert error.value is bad or (isinstance(bad, float) and math.isnan(bad))


def test_out_of_scale_message_names_muscle_side_and_scale() -> None:
    error = raises_at(
        InvalidValueError, "grades.deltoid", lambda: MMT8Grades(dict(UNILATERAL, deltoid=11))
    )
    assert "deltoid (middle) (right side)" in str(error)
    assert "0-10" in str(error)
    left = raises_at(
        InvalidValueError,
        "grades.biceps",
        lambda: MMT8Grades(dict(UNILATERAL, biceps=12), side="left"),
    )
    assert "left side" in str(left)


def test_out_of_scale_bilateral_grade_names_side() -> None:
    grades = dict(BILATERAL, gluteus_medius={"right": 8, "left": 14})
    error = raises_at(
        InvalidValueError,
        "grades.gluteus_medius.left",
        lambda: MMT8Grades(grades, protocol="bilateral"),
    )
    assert "gluteus medius (left side)" in str(error)
    assert error.value == 14


def test_neck_flexors_message_has_no_side() -> None:
    error = raises_at(
        InvalidValueError,
        "grades.neck_flexors",
        lambda: MMT8Grades(dict(UNILATERAL, neck_flexors=-2)),
    )
    assert "-2 for neck flexors is out of scale" in str(error)
    assert "side" not in str(error)


def test_missing_grade_without_prorate_names_muscle_and_side() -> None:
    sheet = MMT8Grades({k: v for k, v in UNILATERAL.items() if k != "quadriceps"})
    error = raises_at(NotComputableError, "grades.quadriceps", sheet.score)
    assert "quadriceps (right side)" in str(error)
    assert "prorate" in str(error)
    bilateral = MMT8Grades(dict(BILATERAL, biceps={"right": 9, "left": None}), protocol="bilateral")
    error = raises_at(NotComputableError, "grades.biceps.left", bilateral.score)
    assert "biceps brachii (left side)" in str(error)


def test_missing_neck_flexors_named_without_side() -> None:
    sheet = MMT8Grades(dict(UNILATERAL, neck_flexors=None))
    error = raises_at(NotComputableError, "grades.neck_flexors", sheet.score)
    assert "neck flexors is not graded" in str(error)


def test_prorate_needs_a_graded_group() -> None:
    raises_at(NotComputableError, "grades", lambda: MMT8Grades({}).score(prorate=True))


def test_prorate_must_be_a_boolean() -> None:
    raises_at(
        InvalidValueError,
        "prorate",
        lambda: MMT8Grades(UNILATERAL).score(prorate="yes"),  # type: ignore[arg-type]
    )


def test_unknown_muscle() -> None:
    error = raises_at(
        UnknownFieldError, "grades.triceps", lambda: MMT8Grades(dict(UNILATERAL, triceps=9))
    )
    assert "ankle_dorsiflexors" in str(error)  # lists what is allowed


def test_muscle_given_twice() -> None:
    raises_at(InvalidValueError, "grades.Deltoid", lambda: MMT8Grades(dict(UNILATERAL, Deltoid=9)))


def test_unknown_side_key() -> None:
    grades = dict(BILATERAL, deltoid={"right": 9, "middle": 8})
    raises_at(
        UnknownFieldError,
        "grades.deltoid.middle",
        lambda: MMT8Grades(grades, protocol="bilateral"),
    )


def test_neck_flexors_per_side_is_a_format_error() -> None:
    grades = dict(BILATERAL, neck_flexors={"right": 8, "left": 8})
    error = raises_at(
        InputFormatError, "grades.neck_flexors", lambda: MMT8Grades(grades, protocol="bilateral")
    )
    assert "once" in str(error)


def test_sided_grade_in_unilateral_protocol_is_a_format_error() -> None:
    raises_at(
        InputFormatError,
        "grades.deltoid",
        lambda: MMT8Grades(dict(UNILATERAL, deltoid={"right": 9})),
    )


def test_bilateral_limb_needs_an_object() -> None:
    raises_at(
        InputFormatError,
        "grades.deltoid",
        lambda: MMT8Grades(dict(BILATERAL, deltoid=9), protocol="bilateral"),
    )


def test_side_with_bilateral_protocol() -> None:
    raises_at(
        InvalidValueError, "side", lambda: MMT8Grades(BILATERAL, protocol="bilateral", side="left")
    )


def test_unknown_protocol_and_side() -> None:
    raises_at(InvalidValueError, "protocol", lambda: MMT8Grades(UNILATERAL, protocol="mmt24"))
    raises_at(InvalidValueError, "side", lambda: MMT8Grades(UNILATERAL, side="both"))


def test_document_shape_errors() -> None:
    raises_at(InputFormatError, None, lambda: MMT8Grades.from_mapping([1, 2]))
    raises_at(
        InputFormatError, "grades", lambda: MMT8Grades.from_mapping({"protocol": "bilateral"})
    )
    raises_at(InputFormatError, "grades", lambda: MMT8Grades.from_mapping({"grades": [9] * 8}))
    raises_at(
        UnknownFieldError,
        "total",
        lambda: MMT8Grades.from_mapping({"grades": UNILATERAL, "total": 70}),
    )


def test_errors_take_a_caller_prefix() -> None:
    with pytest.raises(InvalidValueError) as info:
        MMT8Grades(dict(UNILATERAL, deltoid=11))
    assert info.value.with_field_prefix("baseline.mmt8").field == "baseline.mmt8.grades.deltoid"


def test_sheets_and_scores_pickle() -> None:
    import pickle

    for sheet in (
        MMT8Grades(UNILATERAL, side="left"),
        MMT8Grades(dict(BILATERAL, biceps={"right": 9}), protocol="bilateral"),
    ):
        again = pickle.loads(pickle.dumps(sheet))
        assert again == sheet
        assert again.side == sheet.side
        assert again.score(prorate=True) == sheet.score(prorate=True)
