"""CHAQ: "not applicable" answers, the shared Stanford scoring, properties and error paths."""

from __future__ import annotations

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
from myoresponse.instruments import haq
from myoresponse.instruments.chaq import (
    CHAQ,
    NOT_APPLICABLE,
    CHAQAnswers,
    DisabilityIndex,
    score_chaq,
)

ITEMS = CHAQ.item_keys


def raises_at(cls: type[MyoresponseError], field: str | None, call: Any) -> MyoresponseError:
    with pytest.raises(cls) as info:
        call()
    error = info.value
    assert type(error) is cls
    assert error.field == field
    if field is not None:
        assert str(error).startswith(f"{field}: ")
    return error


def area_items(area: str) -> list[str]:
    return [i.key for c in CHAQ.categories if c.key == area for i in c.items]


def test_eight_areas_thirty_items() -> None:
    sizes = {c.key: len(c.items) for c in CHAQ.categories}
    assert sizes == {
        "dressing": 4,
        "arising": 2,
        "eating": 3,
        "walking": 2,
        "hygiene": 5,
        "reach": 4,
        "grip": 5,
        "activities": 5,
    }
    assert len(ITEMS) == len(set(ITEMS)) == 30
    assert CHAQ.category_keys == haq.HAQ_DI.category_keys
    assert CHAQ.min_answered == 6


# --- worked examples -------------------------------------------------------------------------


def test_not_applicable_answers_are_excluded_from_an_area() -> None:
    items: dict[str, Any] = dict.fromkeys(ITEMS, 0)
    # activities: errands NA, car 1, ride_bike NA, chores NA, run_and_play 0 -> 1 (NA not 3)
    items.update(errands="na", car=1, ride_bike=NOT_APPLICABLE, chores="Not applicable")
    result = CHAQAnswers(items).score()
    assert result.categories["activities"] == 1
    assert result.index == Fraction(1, 8)
    assert result.instrument == "CHAQ"


def test_area_with_only_not_applicable_answers_is_unanswered() -> None:
    items: dict[str, Any] = dict.fromkeys(ITEMS, 1)
    for key in area_items("activities"):
        items[key] = "na"
    result = CHAQAnswers(items).score()
    assert result.categories["activities"] is None
    assert result.answered == 7
    assert result.index == 1  # 7 / 7


def test_not_applicable_counts_against_the_minimum() -> None:
    items: dict[str, Any] = dict.fromkeys(ITEMS, 2)
    for area in ("activities", "grip", "reach"):
        for key in area_items(area):
            items[key] = "N/A"
    error = raises_at(NotComputableError, "items", CHAQAnswers(items).score)
    assert error.value == 5
    assert "CHAQ needs at least 6" in str(error)


def test_aid_and_help_rule_worked_example() -> None:
    # dressing: dress 1, shampoo 0, remove_socks na, cut_fingernails 0 -> 1, help -> 2
    # arising: 0, 0 -> 0, aid (special chair) -> 2
    # eating: 2, 0, 1 -> 2 (help leaves 2)
    # walking: 3, 3 -> 3 (aid leaves 3)
    # hygiene: 0, 1, 0, 0, 0 -> 1
    # reach: 0, 0, na, 0 -> 0
    # grip: na x5 -> unanswered
    # activities: 1, 0, 2, na, 1 -> 2
    items: dict[str, Any] = {
        "dress": 1,
        "shampoo": 0,
        "remove_socks": "na",
        "cut_fingernails": 0,
        "stand_up": 0,
        "in_out_of_bed": 0,
        "cut_meat": 2,
        "lift_cup": 0,
        "open_cereal_box": 1,
        "walk_outdoors": 3,
        "climb_steps": 3,
        "wash_and_dry": 0,
        "tub_bath": 1,
        "toilet": 0,
        "brush_teeth": 0,
        "comb_hair": 0,
        "reach_overhead": 0,
        "pick_up_clothing": 0,
        "pull_on_sweater": "na",
        "turn_neck": 0,
        "errands": 1,
        "car": 0,
        "ride_bike": 2,
        "chores": "na",
        "run_and_play": 1,
    }
    items.update(dict.fromkeys(area_items("grip"), "na"))
    result = score_chaq(
        {"items": items, "aids": ["arising", "walking"], "help": ["dressing", "eating"]}
    )
    assert dict(result.categories) == {
        "dressing": 2,
        "arising": 2,
        "eating": 2,
        "walking": 3,
        "hygiene": 1,
        "reach": 0,
        "grip": None,
        "activities": 2,
    }
    assert result.raised == ("dressing", "arising")
    assert result.answered == 7
    assert result.index == Fraction(12, 7)


def test_json_round_trip_writes_na() -> None:
    items: dict[str, Any] = dict.fromkeys(ITEMS, 0)
    items["ride_bike"] = "na"
    items["run_and_play"] = None
    doc = {"items": items, "aids": [], "help": ["hygiene"]}
    answers = CHAQAnswers.from_mapping(doc)
    assert answers.items["ride_bike"] is NOT_APPLICABLE
    assert answers.to_dict() == doc
    assert CHAQAnswers.from_mapping(answers.to_dict()) == answers
    result = score_chaq(answers)
    assert isinstance(result, DisabilityIndex)
    assert result.to_dict()["index"] == 0.25
    assert result.to_dict()["instrument"] == "CHAQ"


# --- properties ------------------------------------------------------------------------------

answer = st.one_of(st.none(), st.just("na"), st.integers(min_value=0, max_value=3))
answers = st.fixed_dictionaries({key: answer for key in ITEMS})
flags = st.sets(st.sampled_from(CHAQ.category_keys))


def _score(items: dict[str, Any], aids: set[str], helped: set[str]) -> DisabilityIndex | None:
    try:
        return CHAQAnswers(items, aids=aids, help=helped).score()
    except NotComputableError:
        return None


@given(answers, flags, flags)
def test_index_within_zero_to_three_and_counts_only_numeric_answers(
    items: dict[str, Any], aids: set[str], helped: set[str]
) -> None:
    answered = sum(any(isinstance(items[i.key], int) for i in c.items) for c in CHAQ.categories)
    result = _score(items, aids, helped)
    if answered < 6:
        assert result is None
        return
    assert result is not None
    assert result.answered == answered
    assert 0 <= result.index <= 3


@given(answers, flags, flags, st.sampled_from(ITEMS), st.integers(min_value=1, max_value=3))
def test_index_never_lower_when_an_item_rises(
    items: dict[str, Any], aids: set[str], helped: set[str], item: str, step: int
) -> None:
    before = _score(items, aids, helped)
    if before is None or not isinstance(items[item], int):
        return
    after = _score(dict(items, **{item: min(3, items[item] + step)}), aids, helped)
    assert after is not None
    assert after.index >= before.index


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [4, -1, 0.5, "maybe", False])
def test_out_of_scale_answer(bad: Any) -> None:
    error = raises_at(InvalidValueError, "items.turn_neck", lambda: CHAQAnswers({"turn_neck": bad}))
    if isinstance(bad, str):
        assert "'na' (not applicable)" in str(error)


def test_haq_only_item_is_unknown_to_the_chaq() -> None:
    error = raises_at(
        UnknownFieldError, "items.open_milk_carton", lambda: CHAQAnswers({"open_milk_carton": 1})
    )
    assert "open_cereal_box" in str(error)


def test_unknown_area() -> None:
    raises_at(UnknownFieldError, "aids[0]", lambda: CHAQAnswers({}, aids=["school"]))


def test_document_shape_errors() -> None:
    raises_at(InputFormatError, None, lambda: CHAQAnswers.from_mapping(None))
    raises_at(UnknownFieldError, "pain", lambda: CHAQAnswers.from_mapping({"pain": 3}))
    raises_at(InputFormatError, "help", lambda: CHAQAnswers.from_mapping({"help": "hygiene"}))


def test_not_applicable_survives_pickling() -> None:
    import pickle

    answers = CHAQAnswers({"ride_bike": NOT_APPLICABLE, "dress": 2}, help=["dressing"])
    again = pickle.loads(pickle.dumps(answers))
    assert again == answers
    assert again.items["ride_bike"] is NOT_APPLICABLE
