"""The landmark responder (ProDERM primary endpoint) and the consecutive response, by hand vectors.

Values are physician global, patient global, MMT-8 (0–80), HAQ, CK (ULN 200: range 0–3000 U/L),
extramuscular global. Points are the adult 2016 table's, as in tests/test_series.py.
"""

from __future__ import annotations

import datetime
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from myoresponse import (
    DeteriorationRule,
    FollowUp,
    InputFormatError,
    InvalidValueError,
    Landmark,
    Scales,
    Series,
    UnknownFieldError,
    Visit,
    score_series,
    score_series_json,
)
from tests.test_series import BASE, MAJOR_BUT_EXTRAMUSCULAR_WORSE, WORKED, visit, worked_json
from tests.test_series_properties import make, series_values

SCALES = Scales(mmt_max=80, enzyme_uln={"CK": 200})
START = datetime.date(2024, 1, 8)  # baseline, day 0


def dated(base: tuple[Any, ...], visits: dict[str, tuple[tuple[Any, ...], int | None]]) -> Series:
    """A series whose visits are ``label: (values, day after baseline)``."""
    return Series(
        population="adult",
        scales=SCALES,
        baseline=visit(*base),
        baseline_date=START,
        visits=[
            FollowUp(
                label,
                visit(*values),
                None if day is None else START + datetime.timedelta(days=day),
            )
            for label, (values, day) in visits.items()
        ],
    )


# -- the two disagreements of issue 11 ------------------------------------------------------------

# Case 1. Baseline physician global 5 cm, MMT-8 50 of 80. Weeks 4 and 8: physician 7 cm (+2 cm)
# and MMT-8 40 (relative −20 %): a worsening at both, so deterioration is confirmed at week 8.
# Weeks 12 and 16: physician 5 → 2 (30 %: 17.5), patient 6 → 4 (20 %: 5), MMT-8 50 → 58
# (10 %: 10), HAQ 1.5 → 1.25 (8.3 %: 5), CK 1200 → 600 (20 %: 5), extramuscular 4 → 2 (20 %:
# 12.5): TIS 55, moderate.
CASE_1_BASE = (5, 6, 50, 1.5, 1200, 4)
FLARE = (7, 6, 40, 1.5, 1200, 4)
MODERATE = (2, 4, 58, 1.25, 600, 2)
CASE_1 = {
    "week 4": (FLARE, 28),
    "week 8": (FLARE, 56),
    "week 12": (MODERATE, 84),
    "week 16": (MODERATE, 112),
}

# Case 2. The worked baseline; no change at weeks 4–12, the worked week-4 values at week 16:
# TIS 7.5 + 0 + 10 + 0 + 2.5 + 0 = 20, minimal, and no worsening anywhere.
CASE_2 = {
    "week 4": (BASE, 28),
    "week 8": (BASE, 56),
    "week 12": (BASE, 84),
    "week 16": (WORKED["week 4"], 112),
}


def test_case_1_consecutive_response_met_but_landmark_responder_not() -> None:
    result = score_series(dated(CASE_1_BASE, CASE_1), landmark="week 16")
    assert [v.result.total_improvement_score for v in result.visits][2:] == [55, 55]
    assert result.deterioration is not None and result.deterioration.confirmed_at == "week 8"
    assert result.consecutive_response.met
    assert result.consecutive_response.visits == ("week 12", "week 16")
    landmark = result.landmark
    assert landmark is not None
    assert (landmark.visit, landmark.total_improvement_score, landmark.threshold) == (
        "week 16",
        55,
        20,
    )
    assert landmark.deterioration_confirmed_by_landmark is True
    assert not landmark.met and landmark.reason is None


def test_case_2_landmark_responder_met_but_consecutive_response_not() -> None:
    result = score_series(dated(BASE, CASE_2), landmark="week 16")
    assert result.visits[3].result.total_improvement_score == 20
    assert not result.consecutive_response.met
    assert result.deterioration is not None and not result.deterioration.met
    landmark = result.landmark
    assert landmark is not None and landmark.met
    assert landmark.deterioration_confirmed_by_landmark is False


def test_both_cases_in_json() -> None:
    doc = score_series(dated(CASE_1_BASE, CASE_1), landmark="week 16").to_dict()
    assert doc["endpoints"]["consecutive_response"]["met"] is True
    assert doc["endpoints"]["landmark_response"] == {
        "landmark": "week 16",
        "landmark_day": None,
        "window_days": None,
        "visit": "week 16",
        "threshold": 20,
        "total_improvement_score": 55.0,
        "met": False,
        "deterioration_confirmed_by_landmark": True,
        "reason": None,
    }
    doc = score_series(dated(BASE, CASE_2), landmark_day=112, window_days=14).to_dict()
    assert doc["endpoints"]["consecutive_response"]["met"] is False
    assert doc["endpoints"]["landmark_response"]["met"] is True
    assert doc["conventions"]["landmark_tie"] == "earlier"


# -- finding the landmark visit -------------------------------------------------------------------


WEEKLY = {f"week {4 * k}": (BASE, 28 * k) for k in range(1, 5)}  # days 28, 56, 84, 112


@pytest.mark.parametrize(
    ("day", "window", "expected"),
    [
        (112, 14, "week 16"),  # exactly on a visit
        (100, 14, "week 16"),  # day 84 is 16 away (outside), day 112 is 12 away
        (90, 14, "week 12"),  # nearest: 6 against 22
        (98, 14, "week 12"),  # tie, 14 and 14: the earlier visit
        (70, 14, "week 8"),  # tie, 14 and 14 again: the earlier visit
        (126, 14, "week 16"),  # 14 away: the window includes its ends
        (28, 0, "week 4"),  # a zero window: that day only
    ],
)
def test_landmark_by_day_nearest_visit_and_tie_rule(day: int, window: int, expected: str) -> None:
    landmark = score_series(dated(BASE, WEEKLY), landmark_day=day, window_days=window).landmark
    assert landmark is not None and landmark.visit == expected and landmark.reason is None


@pytest.mark.parametrize(
    ("day", "window", "reason"),
    [
        (127, 14, "no visit between day 113 and day 141 after baseline"),
        (29, 0, "no visit between day 29 and day 29 after baseline"),
        (10, 14, "no visit between day 1 and day 24 after baseline"),
    ],
)
def test_no_visit_in_the_window(day: int, window: int, reason: str) -> None:
    landmark = score_series(dated(BASE, WEEKLY), landmark_day=day, window_days=window).landmark
    assert landmark is not None
    assert (landmark.visit, landmark.met, landmark.reason) == (None, False, reason)
    assert landmark.total_improvement_score is None
    assert landmark.deterioration_confirmed_by_landmark is None


def test_landmark_by_label_not_found() -> None:
    landmark = score_series(dated(BASE, WEEKLY), landmark="week 24").landmark
    assert landmark is not None and not landmark.met
    assert landmark.reason == "no follow-up visit is labelled 'week 24'"
    baseline = score_series(dated(BASE, WEEKLY), landmark="baseline").landmark
    assert baseline is not None and baseline.visit is None  # the baseline is not a follow-up


def test_landmark_by_day_needs_the_dates() -> None:
    undated = Series(
        population="adult",
        scales=SCALES,
        baseline=visit(*BASE),
        visits=[FollowUp("v1", visit(*BASE))],
    )
    with pytest.raises(InvalidValueError) as raised:
        score_series(undated, landmark_day=28, window_days=7)
    assert raised.value.field == "baseline.date"
    partly = dated(BASE, {"week 4": (BASE, 28), "week 8": (BASE, None)})
    with pytest.raises(InvalidValueError) as raised:
        score_series(partly, landmark_day=28, window_days=7)
    assert raised.value.field == "visits[1].date"
    assert score_series(partly, landmark="week 4").landmark is not None  # by label: no dates


def test_landmark_before_the_confirmation_visit() -> None:
    # Worsening (extramuscular +2 cm) at weeks 12 and 16 while the TIS is 60 (major): the
    # deterioration is confirmed at week 16. At a week-12 landmark it is not yet confirmed.
    visits = {
        "week 4": (WORKED["week 4"], 28),
        "week 12": (MAJOR_BUT_EXTRAMUSCULAR_WORSE, 84),
        "week 16": (MAJOR_BUT_EXTRAMUSCULAR_WORSE, 112),
    }
    early = score_series(dated(BASE, visits), landmark="week 12")
    assert early.deterioration is not None and early.deterioration.confirmed_at == "week 16"
    assert early.landmark is not None
    assert early.landmark.total_improvement_score == 60
    assert early.landmark.deterioration_confirmed_by_landmark is False and early.landmark.met
    late = score_series(dated(BASE, visits), landmark="week 16").landmark
    assert late is not None and late.deterioration_confirmed_by_landmark is True and not late.met


def test_threshold_is_inclusive_and_a_parameter() -> None:
    s = dated(BASE, CASE_2)  # TIS 20 at week 16
    assert score_series(s, landmark="week 16").landmark.met  # type: ignore[union-attr]
    higher = score_series(s, landmark="week 16", responder_threshold=Fraction(201, 10)).landmark
    assert higher is not None and not higher.met and higher.threshold == Fraction(201, 10)
    same = score_series(s, landmark=Landmark("week 16", threshold=20)).landmark
    assert same is not None and same.met


def test_juvenile_default_threshold_is_30() -> None:
    def jdm(pg: Any) -> Visit:
        return Visit(
            physician_global=pg,
            patient_global=5,
            mmt=60,
            chaq=1,
            enzymes={"CK": 1000},
            extramuscular=4,
        )

    s = Series(
        population="juvenile",
        scales=SCALES,
        baseline=jdm(5),
        visits=[FollowUp("month 6", jdm(2))],
    )
    landmark = score_series(s, landmark="month 6").landmark
    assert landmark is not None and landmark.threshold == 30
    tis = landmark.total_improvement_score
    assert tis is not None and landmark.met is (tis >= 30)


def test_printo_core_set_reads_the_score_alone() -> None:
    scales = Scales(chq_phs_range=(15, 65))
    base = Visit(physician_global=5, patient_global=6, cmas=30, chaq=1.5, chq_phs=30, das=10)
    good = Visit(physician_global=2.5, patient_global=3, cmas=30, chaq=0.75, chq_phs=30, das=10)
    s = Series(
        population="juvenile",
        core_set="printo",
        baseline=base,
        scales=scales,
        visits=[FollowUp("m6", good)],
    )
    result = score_series(s, landmark="m6")
    assert result.landmark is not None
    assert result.landmark.deterioration_confirmed_by_landmark is None
    tis = result.landmark.total_improvement_score
    assert tis is not None and result.landmark.met is (tis >= 30)
    assert result.to_dict()["conventions"] == {"deterioration": None, "landmark_tie": None}


# -- parameters and errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keywords", "field"),
    [
        ({"responder_threshold": 20}, "landmark"),
        ({"landmark_day": 112}, "window_days"),
        ({"landmark": "week 16", "landmark_day": 112, "window_days": 14}, "landmark_day"),
        ({"landmark": "week 16", "window_days": 14}, "window_days"),
        ({"landmark": ""}, "landmark"),
        ({"landmark_day": 0, "window_days": 14}, "landmark_day"),
        ({"landmark_day": 112.0, "window_days": 14}, "landmark_day"),
        ({"landmark_day": 112, "window_days": -1}, "window_days"),
        ({"landmark": "week 16", "responder_threshold": 0}, "responder_threshold"),
        ({"landmark": "week 16", "responder_threshold": 101}, "responder_threshold"),
        ({"landmark": "week 16", "responder_threshold": "x"}, "responder_threshold"),
    ],
)
def test_invalid_landmarks(keywords: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValueError) as raised:
        score_series(dated(BASE, WEEKLY), **keywords)
    assert raised.value.field == field
    with pytest.raises(InvalidValueError) as raised:
        score_series_json({**worked_json(), "endpoints": keywords})
    assert raised.value.field == f"endpoints.{field}"


def test_a_landmark_object_and_keywords_do_not_mix() -> None:
    with pytest.raises(InputFormatError):
        score_series(dated(BASE, WEEKLY), landmark=Landmark("week 4"), responder_threshold=20)


def test_json_landmark_by_label_and_by_day() -> None:
    by_label = score_series_json(
        {**worked_json(), "endpoints": {"landmark": "week 16", "responder_threshold": 20}}
    )
    assert by_label["endpoints"]["landmark_response"]["visit"] == "week 16"
    assert by_label["endpoints"]["landmark_response"]["met"] is True  # TIS 75, no deterioration
    by_day = score_series_json(
        {**worked_json(), "endpoints": {"landmark_day": 112, "window_days": 14}}
    )
    assert by_day["endpoints"]["landmark_response"] == {
        **by_label["endpoints"]["landmark_response"],
        "landmark": None,
        "landmark_day": 112,
        "window_days": 14,
    }
    assert score_series_json(worked_json())["endpoints"]["landmark_response"] is None
    with pytest.raises(UnknownFieldError) as raised:
        score_series_json({**worked_json(), "endpoints": {"landmark_week": 16}})
    assert raised.value.field == "endpoints.landmark_week"


# -- properties -----------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(data=series_values, position=st.integers(0, 4), threshold=st.sampled_from([None, 20, 40]))
def test_a_landmark_changes_no_other_endpoint_and_reads_its_visit(
    data: tuple[tuple[Fraction, ...], list[tuple[Fraction, ...]]],
    position: int,
    threshold: int | None,
) -> None:
    base, visits = data
    label = f"v{position}"
    plain = score_series(make(base, visits))
    with_landmark = score_series(make(base, visits), landmark=label, responder_threshold=threshold)
    assert plain.landmark is None
    assert with_landmark.visits == plain.visits
    assert with_landmark.consecutive_response == plain.consecutive_response
    assert with_landmark.deterioration == plain.deterioration
    landmark = with_landmark.landmark
    assert landmark is not None
    if position >= len(visits):
        assert landmark.visit is None and not landmark.met
        return
    tis = plain.visits[position].result.total_improvement_score
    confirmed = plain.deterioration is not None and plain.deterioration.confirmed_at is not None
    by_then = (
        confirmed
        and [v.label for v in plain.visits].index(
            plain.deterioration.confirmed_at  # type: ignore[union-attr,arg-type]
        )
        <= position
    )
    assert landmark.total_improvement_score == tis
    assert landmark.deterioration_confirmed_by_landmark is by_then
    assert landmark.met is (tis >= (threshold or 20) and not by_then)


@pytest.mark.parametrize(
    "endpoints",
    [
        {"landmark": "week 16", "responder_threshold": 20},
        {"landmark_day": 112, "window_days": 14, "deterioration": {"percent_of": "range"}},
        {"landmark": "week 24", "deterioration": {"baseline_zero": "threshold_of_range"}},
    ],
)
def test_landmark_series_and_result_match_the_schema(endpoints: dict[str, Any]) -> None:
    from tests.test_schema import _as_json, _validator

    document = {**worked_json(), "endpoints": endpoints}
    _validator("series").validate(_as_json(document))
    _validator("series_result").validate(score_series_json(document))


@settings(max_examples=60, deadline=None)
@given(
    data=series_values,
    which=st.integers(0, 4),
    steps=st.tuples(*[st.integers(0, 4)] * 6),
    position=st.integers(0, 4),
)
def test_improving_a_visit_never_removes_the_landmark_response(
    data: tuple[tuple[Fraction, ...], list[tuple[Fraction, ...]]],
    which: int,
    steps: tuple[int, ...],
    position: int,
) -> None:
    from tests.test_series_properties import MEASURES

    base, visits = data
    index = which % len(visits)
    better = []
    for value, step, (_, top, lower) in zip(visits[index], steps, MEASURES, strict=True):
        share = Fraction(step, 4)  # move this share of the way to the best value
        better.append(value - share * value if lower else value + share * (top - value))
    improved = [*visits[:index], tuple(better), *visits[index + 1 :]]
    label = f"v{position % len(visits)}"
    for rule in ("any_rise", "threshold_of_range"):
        rules = {"deterioration": DeteriorationRule(baseline_zero=rule)}
        before = score_series(make(base, visits), landmark=label, **rules).landmark
        after = score_series(make(base, improved), landmark=label, **rules).landmark
        assert before is not None and after is not None
        if before.met:
            assert after.met
