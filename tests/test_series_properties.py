"""Property tests of the visit series endpoints (hypothesis)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from myoresponse import Category, FollowUp, Scales, Series, SeriesResult, Visit, score, score_series

SCALES = Scales(mmt_max=80, enzyme_uln={"CK": 200})  # CK range 0–3000 under the range rule
# (key, top of scale, lower is better)
MEASURES = (
    ("physician_global", Fraction(10), True),
    ("patient_global", Fraction(10), True),
    ("mmt", Fraction(80), False),
    ("haq", Fraction(3), True),
    ("ck", Fraction(3000), True),
    ("extramuscular", Fraction(10), True),
)

values = st.tuples(
    st.integers(0, 20).map(lambda n: Fraction(n, 2)),
    st.integers(0, 20).map(lambda n: Fraction(n, 2)),
    st.integers(0, 80).map(Fraction),
    st.integers(0, 24).map(lambda n: Fraction(n, 8)),
    st.integers(0, 60).map(lambda n: Fraction(n * 50)),
    st.integers(0, 20).map(lambda n: Fraction(n, 2)),
)
series_values = st.tuples(values, st.lists(values, min_size=1, max_size=5))


def visit(v: tuple[Fraction, ...]) -> Visit:
    pg, pt, mmt, haq, ck, em = v
    return Visit(
        physician_global=pg,
        patient_global=pt,
        mmt=mmt,
        haq=haq,
        enzymes={"CK": ck},
        extramuscular=em,
    )


def make(base: tuple[Fraction, ...], visits: list[tuple[Fraction, ...]]) -> Series:
    return Series(
        population="adult",
        baseline=visit(base),
        scales=SCALES,
        visits=[FollowUp(f"v{i}", visit(v)) for i, v in enumerate(visits)],
    )


def position(result: SeriesResult, label: str | None) -> int | None:
    return None if label is None else [v.label for v in result.visits].index(label)


@settings(max_examples=60, deadline=None)
@given(base=values, count=st.integers(1, 5))
def test_every_visit_equal_to_baseline_meets_nothing(
    base: tuple[Fraction, ...], count: int
) -> None:
    result = score_series(make(base, [base] * count))
    assert all(v.result.category is Category.NONE for v in result.visits)
    assert all(v.worsened == () and v.deterioration == () for v in result.visits)
    assert all(label is None for label in result.first_reached.values())
    assert all(label is None for label in result.first_met.values())
    assert not result.consecutive_response.met
    assert result.deterioration is not None and not result.deterioration.met


@settings(max_examples=60, deadline=None)
@given(data=series_values)
def test_per_visit_results_equal_scoring_the_pair_alone(
    data: tuple[tuple[Fraction, ...], list[tuple[Fraction, ...]]],
) -> None:
    base, visits = data
    result = score_series(make(base, visits))
    for values_, visit_result in zip(visits, result.visits, strict=True):
        assert visit_result.result == score(
            visit(base), visit(values_), population="adult", scales=SCALES
        )


@settings(max_examples=100, deadline=None)
@given(
    data=series_values,
    which=st.integers(0, 4),
    steps=st.tuples(*[st.integers(0, 4)] * 6),
    level=st.sampled_from(["minimal", "moderate", "major"]),
)
def test_improving_a_visit_never_removes_a_response_endpoint(
    data: tuple[tuple[Fraction, ...], list[tuple[Fraction, ...]]],
    which: int,
    steps: tuple[int, ...],
    level: str,
) -> None:
    base, visits = data
    index = which % len(visits)
    better = []
    for value, step, (_, top, lower) in zip(visits[index], steps, MEASURES, strict=True):
        share = Fraction(step, 4)  # move this share of the way to the best value
        better.append(value - share * value if lower else value + share * (top - value))
    improved = [*visits[:index], tuple(better), *visits[index + 1 :]]

    before = score_series(make(base, visits), level=level)
    after = score_series(make(base, improved), level=level)

    for category, label in before.first_reached.items():
        was, now = position(before, label), position(after, after.first_reached[category])
        if was is not None:
            assert now is not None and now <= was
    for key, label in before.first_met.items():
        was, now = position(before, label), position(after, after.first_met[key])
        if was is not None:
            assert now is not None and now <= was
    if before.consecutive_response.met:
        assert after.consecutive_response.met
    assert before.deterioration is not None and after.deterioration is not None
    if after.deterioration.met:
        assert before.deterioration.met
    assert (
        after.visits[index].result.total_improvement_score
        >= before.visits[index].result.total_improvement_score
    )
