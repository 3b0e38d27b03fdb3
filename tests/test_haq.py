"""HAQ-DI: worked examples of the Stanford scoring, properties and every error path."""

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
from myoresponse.instruments.haq import HAQ_DI, DisabilityIndex, HAQAnswers, score_haq

ITEMS = HAQ_DI.item_keys

# Category by category (highest item, then the aid/help rule):
# dressing 1,0 -> 1; arising 0,0 -> 0; eating 1,2,0 -> 2; walking 3,2 -> 3;
# hygiene 0,0,1 -> 1; reach 0,0 -> 0; grip 1,1,0 -> 1; activities 2,0,1 -> 2.
EXAMPLE = {
    "dress": 1,
    "shampoo": 0,
    "stand_up": 0,
    "in_out_of_bed": 0,
    "cut_meat": 1,
    "lift_cup": 2,
    "open_milk_carton": 0,
    "walk_outdoors": 3,
    "climb_steps": 2,
    "wash_and_dry": 0,
    "tub_bath": 0,
    "toilet": 1,
    "reach_overhead": 0,
    "pick_up_clothing": 0,
    "open_car_doors": 1,
    "open_jars": 1,
    "turn_faucets": 0,
    "errands": 2,
    "car": 0,
    "chores": 1,
}


def raises_at(cls: type[MyoresponseError], field: str | None, call: Any) -> MyoresponseError:
    with pytest.raises(cls) as info:
        call()
    error = info.value
    assert type(error) is cls
    assert error.field == field
    if field is not None:
        assert str(error).startswith(f"{field}: ")
    return error


# --- the questionnaire as data ---------------------------------------------------------------


def test_eight_categories_twenty_items() -> None:
    sizes = {c.key: len(c.items) for c in HAQ_DI.categories}
    assert sizes == {
        "dressing": 2,
        "arising": 2,
        "eating": 3,
        "walking": 2,
        "hygiene": 3,
        "reach": 2,
        "grip": 3,
        "activities": 3,
    }
    assert len(ITEMS) == len(set(ITEMS)) == 20
    assert HAQ_DI.min_answered == 6
    assert set(EXAMPLE) == set(ITEMS)


# --- worked examples -------------------------------------------------------------------------


def test_highest_item_per_category_without_aids() -> None:
    result = HAQAnswers(EXAMPLE).score()
    assert dict(result.categories) == {
        "dressing": 1,
        "arising": 0,
        "eating": 2,
        "walking": 3,
        "hygiene": 1,
        "reach": 0,
        "grip": 1,
        "activities": 2,
    }
    # (1 + 0 + 2 + 3 + 1 + 0 + 1 + 2) / 8 = 10/8
    assert result.index == Fraction(5, 4)
    assert result.answered == 8
    assert result.raised == ()
    assert result.instrument == "HAQ-DI"


def test_aid_and_help_raise_zero_and_one_to_two_only() -> None:
    result = HAQAnswers(
        EXAMPLE,
        aids=["arising", "walking"],  # 0 -> 2; 3 stays 3
        help=["dressing", "eating"],  # 1 -> 2; 2 stays 2
    ).score()
    assert result.categories["arising"] == 2
    assert result.categories["walking"] == 3
    assert result.categories["dressing"] == 2
    assert result.categories["eating"] == 2
    assert result.raised == ("dressing", "arising")
    # (2 + 2 + 2 + 3 + 1 + 0 + 1 + 2) / 8 = 13/8
    assert result.index == Fraction(13, 8)


def test_aid_and_help_in_one_category_raise_once() -> None:
    result = HAQAnswers(EXAMPLE, aids=["reach"], help=["reach"]).score()
    assert result.categories["reach"] == 2
    assert result.index == Fraction(12, 8)


def test_all_zero_and_all_three() -> None:
    assert HAQAnswers(dict.fromkeys(ITEMS, 0)).score().index == 0
    assert HAQAnswers(dict.fromkeys(ITEMS, 3)).score().index == 3
    everywhere = list(HAQ_DI.category_keys)
    assert HAQAnswers(dict.fromkeys(ITEMS, 0), help=everywhere).score().index == 2


def test_one_answered_item_answers_its_category() -> None:
    items: dict[str, Any] = dict.fromkeys(ITEMS)
    items.update(dress=2, stand_up=1, lift_cup=0, climb_steps=3, toilet=1, pick_up_clothing=2)
    result = HAQAnswers(items).score()
    assert result.answered == 6
    assert result.categories["grip"] is None
    assert result.categories["activities"] is None
    # (2 + 1 + 0 + 3 + 1 + 2) / 6 = 9/6
    assert result.index == Fraction(3, 2)


def test_exactly_six_categories_is_computable_five_is_not() -> None:
    six = {
        k: v
        for k, v in EXAMPLE.items()
        if k not in ("errands", "car", "chores", "reach_overhead", "pick_up_clothing")
    }
    result = HAQAnswers(six).score()
    # dressing 1, arising 0, eating 2, walking 3, hygiene 1, grip 1: 8/6
    assert result.answered == 6
    assert result.index == Fraction(4, 3)
    five = {
        k: v for k, v in six.items() if k not in ("open_car_doors", "open_jars", "turn_faucets")
    }
    error = raises_at(NotComputableError, "items", HAQAnswers(five).score)
    assert error.value == 5
    assert "at least 6" in str(error)
    assert "grip" in str(error)  # says which categories are unanswered


def test_aid_in_an_unanswered_category_does_not_answer_it() -> None:
    five = {k: v for k, v in EXAMPLE.items() if k in ITEMS[:12]}  # dressing … hygiene
    raises_at(NotComputableError, "items", HAQAnswers(five, aids=["reach"], help=["grip"]).score)


def test_index_is_exact_eighths_when_all_answered() -> None:
    result = HAQAnswers(dict(EXAMPLE, chores=3)).score()  # activities 2 -> 3
    assert result.index == Fraction(11, 8)
    assert result.to_dict()["index"] == 1.375


def test_json_round_trip_and_result_dict() -> None:
    doc = {"items": EXAMPLE, "aids": ["walking"], "help": ["dressing"]}
    answers = HAQAnswers.from_mapping(doc)
    assert answers.to_dict() == doc
    assert HAQAnswers.from_mapping(answers.to_dict()) == answers
    assert score_haq(doc) == score_haq(answers) == answers.score()
    assert score_haq(doc).to_dict() == {
        "instrument": "HAQ-DI",
        "index": 11 / 8,
        "answered": 8,
        "categories": {
            "dressing": 2,
            "arising": 0,
            "eating": 2,
            "walking": 3,
            "hygiene": 1,
            "reach": 0,
            "grip": 1,
            "activities": 2,
        },
        "raised": ["dressing"],
    }


def test_flags_as_mapping_and_category_aliases() -> None:
    by_map = HAQAnswers(EXAMPLE, aids={"Dressing & grooming": True, "reach": False})
    by_list = HAQAnswers(EXAMPLE, aids=["dressing"])
    assert by_map == by_list
    assert by_map.score().index == Fraction(11, 8)


def test_result_is_an_index_for_the_assessment() -> None:
    result = score_haq({"items": EXAMPLE})
    assert isinstance(result, DisabilityIndex)
    assert isinstance(result.index, Fraction)


def test_float_answers_are_read_exactly() -> None:
    assert HAQAnswers(dict(EXAMPLE, dress=1.0)).score().index == Fraction(5, 4)


# --- properties ------------------------------------------------------------------------------

answer = st.one_of(st.none(), st.integers(min_value=0, max_value=3))
answers = st.fixed_dictionaries({key: answer for key in ITEMS})
flags = st.sets(st.sampled_from(HAQ_DI.category_keys))


def _score(
    items: dict[str, int | None], aids: set[str], helped: set[str]
) -> DisabilityIndex | None:
    try:
        return HAQAnswers(items, aids=aids, help=helped).score()
    except NotComputableError:
        return None


@given(answers, flags, flags)
def test_index_is_within_zero_to_three(
    items: dict[str, int | None], aids: set[str], helped: set[str]
) -> None:
    result = _score(items, aids, helped)
    answered_categories = sum(
        any(items[i.key] is not None for i in c.items) for c in HAQ_DI.categories
    )
    if answered_categories < 6:
        assert result is None
        return
    assert result is not None
    assert 0 <= result.index <= 3
    assert result.answered == answered_categories
    assert (result.index * result.answered).denominator == 1


@given(answers, flags, flags, st.sampled_from(ITEMS), st.integers(min_value=1, max_value=3))
def test_index_never_lower_when_an_item_rises(
    items: dict[str, int | None], aids: set[str], helped: set[str], item: str, step: int
) -> None:
    before = _score(items, aids, helped)
    current = items[item]
    if before is None or current is None:
        return
    raised = dict(items, **{item: min(3, current + step)})
    after = _score(raised, aids, helped)
    assert after is not None
    assert after.index >= before.index


@given(answers, flags, flags, st.sampled_from(HAQ_DI.category_keys))
def test_index_never_lower_when_an_aid_is_added(
    items: dict[str, int | None], aids: set[str], helped: set[str], category: str
) -> None:
    before = _score(items, aids, helped)
    if before is None:
        return
    after = _score(items, aids | {category}, helped)
    assert after is not None
    assert after.index >= before.index


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [4, -1, 1.5, math.nan, True, "2", "na"])
def test_out_of_scale_or_non_numeric_answer(bad: Any) -> None:
    error = raises_at(
        InvalidValueError, "items.dress", lambda: HAQAnswers(dict(EXAMPLE, dress=bad))
    )
    assert (
        "0 (without any difficulty)" in str(error)
        or "boolean" in str(error)
        or "not a finite" in str(error)
    )


def test_not_applicable_is_not_a_haq_answer() -> None:
    error = raises_at(InvalidValueError, "items.car", lambda: HAQAnswers(dict(EXAMPLE, car="n/a")))
    assert "not applicable" in str(error)


def test_unknown_item() -> None:
    error = raises_at(
        UnknownFieldError, "items.ride_bike", lambda: HAQAnswers(dict(EXAMPLE, ride_bike=1))
    )
    assert "shampoo" in str(error)


def test_item_given_twice() -> None:
    raises_at(InvalidValueError, "items.Dress", lambda: HAQAnswers(dict(EXAMPLE, Dress=1)))


def test_unknown_category_in_aids_and_help() -> None:
    error = raises_at(
        UnknownFieldError, "aids[1]", lambda: HAQAnswers(EXAMPLE, aids=["walking", "running"])
    )
    assert "activities" in str(error)
    raises_at(
        UnknownFieldError, "help.sleeping", lambda: HAQAnswers(EXAMPLE, help={"sleeping": True})
    )


def test_flag_values_must_be_booleans() -> None:
    raises_at(InvalidValueError, "help.walking", lambda: HAQAnswers(EXAMPLE, help={"walking": 1}))


def test_flags_must_be_a_list_or_object() -> None:
    raises_at(InputFormatError, "aids", lambda: HAQAnswers(EXAMPLE, aids="walking"))
    raises_at(InputFormatError, "help", lambda: HAQAnswers(EXAMPLE, help=3))  # type: ignore[arg-type]


def test_document_shape_errors() -> None:
    raises_at(InputFormatError, None, lambda: HAQAnswers.from_mapping("1,0,2"))
    raises_at(InputFormatError, "items", lambda: HAQAnswers.from_mapping({"items": [1, 0, 2]}))
    raises_at(
        UnknownFieldError,
        "devices",
        lambda: HAQAnswers.from_mapping({"items": EXAMPLE, "devices": []}),
    )


def test_answers_and_results_pickle() -> None:
    import pickle

    answers = HAQAnswers(EXAMPLE, aids=["walking"], help=["dressing"])
    assert pickle.loads(pickle.dumps(answers)) == answers
    result = answers.score()
    again = pickle.loads(pickle.dumps(result))
    assert again == result
    assert dict(again.categories) == dict(result.categories)
