"""Every row of the published band table at and around each edge, under both edge conventions.

The expected level points are copied here from the spec's table, independently of the library's
own criteria data, so a typo in either shows up.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from myoresponse import ADULT, JUVENILE_IMACS, JUVENILE_PRINTO, Category
from tests.conftest import improved, score_pair, steady

F = Fraction
GLOBAL_EDGES = (5, 15, 25, 40)
MMT_EDGES = (2, 10, 20, 30)
# measure: (edges, points for bands 0..4), as printed (Rider et al. 2017, Table 3).
PRINTED = {
    "physician_global": (GLOBAL_EDGES, ("0", "7.5", "15", "17.5", "20")),
    "patient_global": (GLOBAL_EDGES, ("0", "2.5", "5", "7.5", "10")),
    "mmt": (MMT_EDGES, ("0", "10", "20", "27.5", "32.5")),
    "haq": (GLOBAL_EDGES, ("0", "5", "7.5", "7.5", "10")),
    "enzyme": (GLOBAL_EDGES, ("0", "2.5", "5", "7.5", "7.5")),
    "extramuscular": (GLOBAL_EDGES, ("0", "7.5", "12.5", "15", "20")),
}


def points_for(measure: str, change: Fraction, band_edges: str) -> Fraction:
    """Score a steady patient in whom only ``measure`` changes by ``change`` percent."""
    result = score_pair(steady(), improved(**{measure: change}), band_edges=band_edges)
    return result.measure(measure).points


def expected(measure: str, change: Fraction, band_edges: str) -> Fraction:
    edges, points = PRINTED[measure]
    if band_edges == "upper-inclusive":
        band = sum(change > e for e in edges)
    else:
        band = sum(change >= e for e in edges)
    return F(points[band])


CASES = []
for _measure, (_edges, _) in PRINTED.items():
    for _edge in _edges:
        for _offset in (F(-1, 100), F(0), F(1, 100)):
            CASES.append((_measure, _edge + _offset))
    CASES += [(_measure, F(-30)), (_measure, F(0)), (_measure, F(45))]


@pytest.mark.parametrize("band_edges", ["upper-inclusive", "lower-inclusive"])
@pytest.mark.parametrize(("measure", "change"), CASES, ids=lambda v: str(v))
def test_points_at_and_around_every_edge(measure: str, change: Fraction, band_edges: str) -> None:
    assert points_for(measure, change, band_edges) == expected(measure, change, band_edges)


@pytest.mark.parametrize(
    ("measure", "change", "upper", "lower"),
    [
        # Exactly on an edge: the printed table puts it in the band below.
        ("physician_global", F(5), F(0), F("7.5")),
        ("physician_global", F(40), F("17.5"), F(20)),
        ("patient_global", F(15), F("2.5"), F(5)),
        ("mmt", F(2), F(0), F(10)),
        ("mmt", F(10), F(10), F(20)),
        ("mmt", F(30), F("27.5"), F("32.5")),
        ("haq", F(25), F("7.5"), F("7.5")),  # the repeated 7.5 of the printed table
        ("enzyme", F(40), F("7.5"), F("7.5")),
        ("extramuscular", F(25), F("12.5"), F(15)),
    ],
)
def test_edge_conventions_by_hand(
    measure: str, change: Fraction, upper: Fraction, lower: Fraction
) -> None:
    assert points_for(measure, change, "upper-inclusive") == upper
    assert points_for(measure, change, "lower-inclusive") == lower


def test_library_table_matches_the_printed_table() -> None:
    for criteria in (ADULT, JUVENILE_IMACS):
        for rule, (key, (edges, points)) in zip(criteria.measures, PRINTED.items(), strict=True):
            assert rule.edges == tuple(F(e) for e in edges), key
            assert rule.points == tuple(F(p) for p in points), key
    assert [r.points for r in JUVENILE_PRINTO.measures] == [r.points for r in ADULT.measures]


def test_maxima_sum_to_100() -> None:
    for criteria in (ADULT, JUVENILE_IMACS, JUVENILE_PRINTO):
        assert criteria.max_score == 100


@pytest.mark.parametrize(
    ("criteria", "tis", "category"),
    [
        (ADULT, F("17.5"), Category.NONE),
        (ADULT, F(20), Category.MINIMAL),
        (ADULT, F("37.5"), Category.MINIMAL),
        (ADULT, F(40), Category.MODERATE),
        (ADULT, F("57.5"), Category.MODERATE),
        (ADULT, F(60), Category.MAJOR),
        (ADULT, F(100), Category.MAJOR),
        (JUVENILE_IMACS, F("27.5"), Category.NONE),
        (JUVENILE_IMACS, F(30), Category.MINIMAL),
        (JUVENILE_IMACS, F("42.5"), Category.MINIMAL),
        (JUVENILE_IMACS, F(45), Category.MODERATE),
        (JUVENILE_IMACS, F("67.5"), Category.MODERATE),
        (JUVENILE_IMACS, F(70), Category.MAJOR),
        (JUVENILE_PRINTO, F(70), Category.MAJOR),
    ],
)
def test_published_thresholds(criteria: object, tis: Fraction, category: Category) -> None:
    assert criteria.category(tis) is category  # type: ignore[attr-defined]
