"""The integer shortcuts of the scalar engine equal the Fraction definitions they replace.

Band edges, categories, percent changes, sums and float reading are decided with integers (issue 9
item 5, ``score_json`` speed); each is checked here against the plain Fraction arithmetic of the
criteria, on random decimals and on the exact edges.
"""

from __future__ import annotations

import math
import struct
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from myoresponse import ADULT, JUVENILE_IMACS, JUVENILE_PRINTO, BandEdges
from myoresponse._exact import exact
from myoresponse.criteria import Better, Category, Criteria, MeasureRule
from myoresponse.errors import InvalidValueError
from myoresponse.options import Options
from myoresponse.scoring import _ZERO, _scored_in_scale, _total, absolute_percent_change

SETS = (ADULT, JUVENILE_IMACS, JUVENILE_PRINTO)
RULES = [rule for criteria in SETS for rule in criteria.measures]
EDGES = sorted({edge for rule in RULES for edge in rule.edges})


def fraction_band(rule: MeasureRule, change: Fraction, band_edges: BandEdges) -> int:
    """The band as the criteria define it: edges below the change (or at it, lower-inclusive)."""
    if band_edges is BandEdges.UPPER_INCLUSIVE:
        return sum(1 for edge in rule.edges if change > edge)
    return sum(1 for edge in rule.edges if change >= edge)


decimals = st.builds(
    lambda units, places: Fraction(units, 10**places),
    st.integers(-(10**9), 10**9),
    st.integers(0, 9),
)
near_edges = st.builds(
    lambda edge, step, places: edge + Fraction(step, 10**places),
    st.sampled_from(EDGES),
    st.integers(-3, 3),
    st.integers(0, 30),
)
changes = st.one_of(decimals, near_edges, st.sampled_from(EDGES), st.fractions())


@given(st.sampled_from(RULES), changes, st.sampled_from(list(BandEdges)))
@example(RULES[0], Fraction(5), BandEdges.UPPER_INCLUSIVE)
@example(RULES[0], Fraction(5), BandEdges.LOWER_INCLUSIVE)
@example(RULES[2], Fraction(2), BandEdges.UPPER_INCLUSIVE)
@example(RULES[2], Fraction(-2), BandEdges.LOWER_INCLUSIVE)
@example(RULES[0], Fraction(4999999999, 10**9), BandEdges.LOWER_INCLUSIVE)
def test_integer_band_equals_the_fraction_band(
    rule: MeasureRule, change: Fraction, band_edges: BandEdges
) -> None:
    assert rule.band(change, band_edges) == fraction_band(rule, change, band_edges)


@given(
    st.lists(st.fractions(min_value=-100, max_value=100), min_size=1, max_size=6, unique=True),
    changes,
    st.sampled_from(list(BandEdges)),
)
def test_integer_band_with_fractional_edges(
    edges: list[Fraction], change: Fraction, band_edges: BandEdges
) -> None:
    edges.sort()
    points = tuple(Fraction(i) for i in range(len(edges) + 1))
    rule = MeasureRule("x", "x", Better.LOWER, "global", tuple(edges), points)
    assert rule.band(change, band_edges) == fraction_band(rule, change, band_edges)
    for edge in edges:  # exactly on each edge
        assert rule.band(edge, band_edges) == fraction_band(rule, edge, band_edges)


@given(st.sampled_from(SETS), changes)
def test_category_equals_fraction_comparison(criteria: Criteria, total: Fraction) -> None:
    expected = Category.NONE
    for category, threshold in criteria.thresholds:
        if total >= threshold:
            expected = category
    assert criteria.category(total) is expected
    for _, threshold in criteria.thresholds:
        assert criteria.category(threshold).value != "none"


fractions = st.fractions(min_value=-(10**6), max_value=10**6)


@given(fractions, fractions, fractions, fractions, st.sampled_from(list(Better)))
def test_percent_change_equals_the_fraction_formula(
    b: Fraction, f: Fraction, lo: Fraction, width: Fraction, better: Better
) -> None:
    if width == 0:
        return
    hi = lo + abs(width)
    improvement = b - f if better is Better.LOWER else f - b
    assert absolute_percent_change(b, f, lo, hi, better) == 100 * improvement / (hi - lo)


@given(st.sampled_from(RULES), changes, st.integers(1, 10**6), st.sampled_from(list(BandEdges)))
def test_band_of_an_unreduced_ratio_equals_the_band(
    rule: MeasureRule, change: Fraction, factor: int, band_edges: BandEdges
) -> None:
    number, denominator = change.as_integer_ratio()
    band = rule.band_of_ratio(number * factor, denominator * factor, band_edges)
    assert band == fraction_band(rule, change, band_edges)


scale_values = st.one_of(
    st.fractions(min_value=-5, max_value=200), st.sampled_from([Fraction(0), Fraction(10)])
)


@given(
    st.sampled_from(RULES),
    scale_values,
    scale_values,
    st.sampled_from([_ZERO, Fraction(0), Fraction(-3, 2), Fraction(7, 3)]),  # _ZERO: shortcut
    st.fractions(min_value=Fraction(1, 1000), max_value=150),
    st.sampled_from(list(BandEdges)),
)
@example(RULES[0], Fraction(-1, 10), Fraction(5), _ZERO, Fraction(10), BandEdges.UPPER_INCLUSIVE)
@example(RULES[0], Fraction(5), Fraction(-1, 10), _ZERO, Fraction(10), BandEdges.UPPER_INCLUSIVE)
@example(RULES[2], Fraction(81), Fraction(5), _ZERO, Fraction(80), BandEdges.UPPER_INCLUSIVE)
@example(RULES[2], Fraction(5), Fraction(81), _ZERO, Fraction(80), BandEdges.LOWER_INCLUSIVE)
@example(
    RULES[0], Fraction(-2), Fraction(5), Fraction(-3, 2), Fraction(10), BandEdges.UPPER_INCLUSIVE
)
@example(
    RULES[0], Fraction(5), Fraction(-2), Fraction(-3, 2), Fraction(10), BandEdges.UPPER_INCLUSIVE
)
@example(RULES[0], Fraction(0), Fraction(10), _ZERO, Fraction(10), BandEdges.UPPER_INCLUSIVE)
@example(RULES[0], Fraction(10), Fraction(17, 2), _ZERO, Fraction(10), BandEdges.UPPER_INCLUSIVE)
def test_scoring_a_measure_in_integers_equals_the_fraction_definition(
    rule: MeasureRule, b: Fraction, f: Fraction, lo: Fraction, width: Fraction, edges: BandEdges
) -> None:
    hi = lo + width
    if not (lo <= b <= hi and lo <= f <= hi):
        with pytest.raises(InvalidValueError, match="is outside the scale"):
            _scored_in_scale(rule, b, f, lo, hi, "x", Options(band_edges=edges))
        return
    scored = _scored_in_scale(rule, b, f, lo, hi, "x", Options(band_edges=edges))
    improvement = b - f if rule.better is Better.LOWER else f - b
    change = 100 * improvement / (hi - lo)
    band = fraction_band(rule, change, edges)
    assert scored.absolute_percent_change == change
    assert (scored.band, scored.points, scored.max_points) == (
        band,
        rule.points[band],
        rule.max_points,
    )
    assert scored.direction is not None
    assert scored.direction.value == (
        "improved" if change > 0 else "worsened" if change < 0 else "unchanged"
    )


@given(st.lists(st.fractions(), max_size=8))
def test_total_equals_the_fraction_sum(points: list[Fraction]) -> None:
    assert _total(points) == sum(points, Fraction(0))


@given(st.floats(allow_nan=False, allow_infinity=False))
@example(2.0**53 + 2)
@example(1e23)
@example(-0.0)
@example(5e-324)
def test_floats_read_at_their_shortest_repr(value: float) -> None:
    assert exact(value, "x") == Fraction(repr(value))


@given(st.integers(0, 2**64 - 1))
def test_any_float_bit_pattern(bits: int) -> None:
    value = struct.unpack("<d", struct.pack("<Q", bits))[0]
    if math.isfinite(value):
        assert exact(value, "x") == Fraction(repr(value))


def test_equal_int_and_float_keep_their_own_readings() -> None:
    for value in (1e23, 2.0**80, 1.7976931348623157e308, 2.0**53 + 2, 1.0, 0.0, -0.0):
        as_int = int(value)
        for first, second in ((value, as_int), (as_int, value)):  # either read first
            assert exact(first, "x") == (
                Fraction(repr(first)) if isinstance(first, float) else Fraction(first)
            )
            assert exact(second, "x") == (
                Fraction(repr(second)) if isinstance(second, float) else Fraction(second)
            )
    assert exact(1e23, "x") == 10**23 != exact(int(1e23), "x")
