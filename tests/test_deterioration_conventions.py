"""The open conventions of confirmed deterioration as options: ``percent_of`` and ``baseline_zero``.

Hand vectors for both settings of each option (the two examples of issue 11 among them), and
property tests that each option changes only the decisions it is about.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from myoresponse import (
    BaselineZero,
    DeteriorationCondition,
    DeteriorationRule,
    FollowUp,
    InvalidValueError,
    PercentOf,
    Scales,
    Series,
    score,
    score_series,
    score_series_json,
)
from tests.test_series import visit, worked_json
from tests.test_series_properties import SCALES, make, series_values
from tests.test_series_properties import visit as visit_of

BASELINE = DeteriorationRule()
RANGE = DeteriorationRule(percent_of="range")
THRESHOLD = DeteriorationRule(baseline_zero="threshold_of_range")
RANGE_THRESHOLD = DeteriorationRule(percent_of="range", baseline_zero="threshold_of_range")
RULES = (BASELINE, RANGE, THRESHOLD, RANGE_THRESHOLD)


def series_of(base: tuple[Any, ...], *visits: tuple[Any, ...], mmt_max: int = 80) -> Series:
    return Series(
        population="adult",
        scales=Scales(mmt_max=mmt_max, enzyme_uln={"CK": 200}),
        baseline=visit(*base),
        visits=[FollowUp(f"v{i + 1}", visit(*v)) for i, v in enumerate(visits)],
    )


# -- percent_of: issue 11's example ---------------------------------------------------------------
# MMT-8 on 0–150: 100 → 78 is relative −22 % (worse by ≥ 20 %) but −22/150 = −14.7 % of the range
# (not); physician global 5 → 7 cm (+2 cm) at the same two visits.

MMT_BASE = (5, 5, 100, 1, 1000, 3)
MMT_FALL = (7, 5, 78, 1, 1000, 3)


@pytest.mark.parametrize(
    ("rule", "confirmed"), [(BASELINE, True), (RANGE, False), (THRESHOLD, True)]
)
def test_mmt_fall_under_each_reading(rule: DeteriorationRule, confirmed: bool) -> None:
    result = score_series(series_of(MMT_BASE, MMT_FALL, MMT_FALL, mmt_max=150), deterioration=rule)
    held = (DeteriorationCondition.PHYSICIAN_AND_STRENGTH,) if confirmed else ()
    assert [v.deterioration for v in result.visits] == [held, held]
    assert result.deterioration is not None and result.deterioration.met is confirmed
    mmt = result.visits[0].result.measure("mmt")
    assert mmt.absolute_percent_change == Fraction(-22 * 100, 150)  # −14.67 % of the range


@pytest.mark.parametrize(("mmt", "worse"), [(80, True), (80.1, False)])
def test_range_reading_edge(mmt: float, worse: bool) -> None:
    # 100 → 80 on 0–100 is −20 % either way; 100 → 80.1 is −19.9 %.
    s = series_of(MMT_BASE, (7, 5, mmt, 1, 1000, 3), mmt_max=100)
    for rule in (BASELINE, RANGE):
        result = score_series(s, deterioration=rule)
        assert bool(result.visits[0].deterioration) is worse


def test_range_reading_of_three_measures() -> None:
    # Baseline patient global 2, HAQ 1, extramuscular 1; follow-up 3, 1.5, 2: each +50 %
    # relative, but +10 %, +16.7 %, +10 % of the range.
    base, after = (5, 2, 60, 1, 1000, 1), (5, 3, 60, 1.5, 1000, 2)
    s = series_of(base, after)
    held = (DeteriorationCondition.CORE_SET_MEASURES,)
    assert score_series(s, deterioration=BASELINE).visits[0].deterioration == held
    assert score_series(s, deterioration=RANGE).visits[0].deterioration == ()
    lower = DeteriorationRule(percent_of="range", measures_percent=10)
    assert score_series(s, deterioration=lower).visits[0].deterioration == held


# -- baseline_zero: issue 11's example ------------------------------------------------------------
# Patient global 0 → 0.1 cm, HAQ 0 → 0.125, extramuscular 0 → 0.1 cm at two visits.

ZERO_BASE = (5, 0, 60, 0, 1000, 0)
TRIVIAL = (5, 0.1, 60, 0.125, 1000, 0.1)


@pytest.mark.parametrize(
    ("rule", "confirmed"),
    [(BASELINE, True), (THRESHOLD, False), (RANGE, False), (RANGE_THRESHOLD, False)],
)
def test_trivial_rises_from_zero_under_each_rule(rule: DeteriorationRule, confirmed: bool) -> None:
    result = score_series(series_of(ZERO_BASE, TRIVIAL, TRIVIAL), deterioration=rule)
    held = (DeteriorationCondition.CORE_SET_MEASURES,) if confirmed else ()
    assert [v.deterioration for v in result.visits] == [held, held]
    assert result.deterioration is not None and result.deterioration.met is confirmed


@pytest.mark.parametrize(
    ("patient_global", "counts"),
    [(3, True), (2.9, False)],  # 30 % of 0–10 cm is 3 cm
)
def test_rise_from_zero_of_at_least_the_threshold_counts(
    patient_global: float, counts: bool
) -> None:
    # Physician 0 → 3 cm (30 % of the range), HAQ 0 → 1 (33 %), patient global as given.
    s = series_of((0, 0, 60, 0, 1000, 1), (3, patient_global, 60, 1, 1000, 1))
    held = (DeteriorationCondition.CORE_SET_MEASURES,)
    assert score_series(s, deterioration=BASELINE).visits[0].deterioration == held
    expected = held if counts else ()
    assert score_series(s, deterioration=THRESHOLD).visits[0].deterioration == expected


def test_mmt_at_zero_cannot_worsen_under_either_rule() -> None:
    s = series_of((7, 5, 0, 1, 1000, 3), (10, 5, 0, 1, 1000, 3))
    for rule in RULES:
        assert score_series(s, deterioration=rule).visits[0].deterioration == ()


# -- data, JSON, errors ---------------------------------------------------------------------------


def test_options_are_data_and_stated_in_every_result() -> None:
    assert RANGE.percent_of is PercentOf.RANGE and THRESHOLD.baseline_zero is (
        BaselineZero.THRESHOLD_OF_RANGE
    )
    doc = score_series(series_of(ZERO_BASE, TRIVIAL), deterioration=RANGE_THRESHOLD).to_dict()
    assert doc["conventions"]["deterioration"] == {
        "consecutive": 2,
        "global_cm": 2,
        "strength_percent": 20,
        "measures_percent": 30,
        "measures_count": 3,
        "percent_of": "range",
        "baseline_zero": "threshold_of_range",
    }


def test_json_deterioration_options() -> None:
    data = worked_json()
    data["endpoints"] = {"deterioration": {"percent_of": "range", "baseline_zero": "any_rise"}}
    doc = score_series_json(data)
    assert doc["conventions"]["deterioration"]["percent_of"] == "range"
    for key, value in (("percent_of", "scale"), ("baseline_zero", "never")):
        data["endpoints"] = {"deterioration": {key: value}}
        with pytest.raises(InvalidValueError) as raised:
            score_series_json(data)
        assert raised.value.field == f"endpoints.deterioration.{key}"


# -- properties: each option changes only its own decisions ---------------------------------------

rules = st.builds(
    DeteriorationRule,
    percent_of=st.sampled_from(["baseline", "range"]),
    baseline_zero=st.sampled_from(["any_rise", "threshold_of_range"]),
)


@settings(max_examples=80, deadline=None)
@given(data=series_values, rule=rules)
def test_options_change_no_score_and_no_definition(
    data: tuple[tuple[Fraction, ...], list[tuple[Fraction, ...]]], rule: DeteriorationRule
) -> None:
    base, visits = data
    default = score_series(make(base, visits))
    other = score_series(make(base, visits), deterioration=rule)
    for a, b in zip(default.visits, other.visits, strict=True):
        assert (a.result, a.doi, a.printo) == (b.result, b.doi, b.printo)
        # the extramuscular condition is in cm: no option touches it
        extramuscular = DeteriorationCondition.EXTRAMUSCULAR
        assert (extramuscular in (a.deterioration or ())) == (
            extramuscular in (b.deterioration or ())
        )
    assert default.first_reached == other.first_reached and default.first_met == other.first_met


@settings(max_examples=100, deadline=None)
@given(data=series_values, percent_of=st.sampled_from(["baseline", "range"]))
def test_baseline_zero_matters_only_for_a_rise_from_zero_and_only_loosens(
    data: tuple[tuple[Fraction, ...], list[tuple[Fraction, ...]]], percent_of: str
) -> None:
    base, visits = data
    any_rise = DeteriorationRule(percent_of=percent_of)
    threshold = DeteriorationRule(percent_of=percent_of, baseline_zero="threshold_of_range")
    lower_is_better = (0, 1, 3, 5)  # physician, patient, HAQ, extramuscular
    for values in visits:
        result = score(visit_of(base), visit_of(values), population="adult", scales=SCALES)
        strict, loose = (set(r.conditions(result, Fraction(10))) for r in (any_rise, threshold))
        assert loose <= strict
        rises_from_zero = any(base[i] == 0 and values[i] > 0 for i in lower_is_better)
        if percent_of == "range" or not rises_from_zero:
            assert strict == loose


@settings(max_examples=100, deadline=None)
@given(data=series_values)
def test_percent_of_matters_only_through_the_percentage_conditions(
    data: tuple[tuple[Fraction, ...], list[tuple[Fraction, ...]]],
) -> None:
    base, visits = data
    for values in visits:
        result = score(visit_of(base), visit_of(values), population="adult", scales=SCALES)
        relative = set(BASELINE.conditions(result, Fraction(10)))
        of_range = set(RANGE.conditions(result, Fraction(10)))
        assert relative ^ of_range <= {
            DeteriorationCondition.PHYSICIAN_AND_STRENGTH,
            DeteriorationCondition.CORE_SET_MEASURES,
        }
        # a measure whose baseline is its whole range (0–10 cm at 10, MMT 0–80 at 80) reads the
        # same both ways: baseline and range are the same denominator
        for key in ("physician_global", "patient_global", "haq", "extramuscular", "mmt"):
            top = {"mmt": 80, "haq": 3}.get(key, 10)
            if result.measure(key).baseline == top:
                for percent in (Fraction(20), Fraction(30)):
                    assert BASELINE.worse_by(result, key, percent) == RANGE.worse_by(
                        result, key, percent
                    )
