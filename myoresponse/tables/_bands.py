"""Level points from exact changes: the criteria's band edges read by whole-array operations.

4. *Bands.* On a fixed scale with a small radius ``R = ceil(max(|lo|, |hi|) · 10**d)`` (at most
   ``2**16``; every valid row has ``|diff| <= R``), the level points come from a table indexed by
   ``diff + R`` whose bands were decided once in exact integers (``diff·m/k > num/den`` exactly
   when ``diff·m·den > num·k``, in int64 with checked bounds); rows whose ``diff`` is outside
   the table are invalid, hence suspect, and an index taken from NaN is clipped and overwritten.
   Otherwise (a per-row scale, the enzymes, larger radii) the band is read from the double: with
   ``c = fl(P / Q)`` and an edge ``e = num / den`` that is an exact double:
   if ``C != e`` then ``|C - e| >= 1 / (Q·den)``, which is more than an ulp of ``e`` whenever
   ``Q·|num| < 2**52``; so under that guard ``c == e`` exactly when ``C == e``, and as rounding is
   monotone, ``c > e`` exactly when ``C > e``. The band is then the number of edges below ``c``
   (upper-inclusive), or at or below it (lower-inclusive).
5. *Level points* and *thresholds* are exact doubles (checked), so the Total Improvement Score is
   an exact float sum, compared with the thresholds for its category.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from myoresponse.criteria import MeasureRule
from myoresponse.tables._decimal import EXACT, exact_double

__all__ = ["Bands", "band_tables", "fixed_plan", "points_by_diff"]

Floats = NDArray[np.float64]

BAND_GUARD = 2.0**52


@functools.lru_cache(maxsize=256)
def fixed_plan(lo: Fraction, hi: Fraction, d: int) -> tuple[float, float, float, float, int] | None:
    """A fixed scale ``lo``–``hi`` as exact doubles, ``m / k = 100 / (10**d · (hi - lo))``, and
    the radius ``ceil(max(|lo|, |hi|) · 10**d)`` that bounds ``|n_b - n_f|`` for valid values.

    ``m`` and ``k`` are the numerator and denominator in lowest terms, as exact doubles; None when
    any of them is not exact.
    """
    lo_f, hi_f = exact_double(lo), exact_double(hi)
    if not hi > lo:
        return None
    ratio = Fraction(100, 10**d) / (hi - lo)
    m, k = float(ratio.numerator), float(ratio.denominator)
    if lo_f is None or hi_f is None or not (abs(m) < EXACT and k < EXACT):
        return None
    radius = math.ceil(max(abs(lo), abs(hi)) * 10**d)
    return lo_f, hi_f, m, k, radius


LOOKUP_RADIUS = 1 << 16  # largest |n_b - n_f| range scored by a points table
LOOKUPS: dict[tuple[int, float, float, int, bool], tuple[MeasureRule, Floats | None]] = {}


def points_by_diff(
    rule: MeasureRule, m: float, k: float, radius: int, upper_inclusive: bool
) -> Floats | None:
    """Level points of every integer ``diff`` in ``-radius … radius`` for the change ``diff·m/k``.

    Index ``diff + radius``. The band is decided in exact integers: with ``k > 0`` and an edge
    ``num / den`` (``den > 0``), ``diff·m/k > num/den`` exactly when ``diff·m·den > num·k``, and
    every product is checked to fit int64. None when a table cannot be built exactly.
    """
    key = (id(rule), m, k, radius, upper_inclusive)
    cached = LOOKUPS.get(key)
    if cached is not None and cached[0] is rule:
        return cached[1]
    table = None
    points = [exact_double(p) for p in rule.points]
    m_int, k_int = int(m), int(k)
    products = [(m_int * e.denominator, e.numerator * k_int) for e in rule.edges]
    fits = all(radius * abs(a) < 2**62 and abs(b) < 2**62 for a, b in products)
    if radius <= LOOKUP_RADIUS and k_int > 0 and fits and all(p is not None for p in points):
        diffs = np.arange(-radius, radius + 1, dtype=np.int64)
        band = np.zeros(diffs.size, dtype=np.intp)
        for a, b in products:
            band += (diffs * a > b) if upper_inclusive else (diffs * a >= b)
        table = np.array(points, dtype=np.float64)[band]
    if len(LOOKUPS) > 256:
        LOOKUPS.clear()
    LOOKUPS[key] = (rule, table)
    return table


@dataclass(frozen=True)
class Bands:
    edges: tuple[float, ...]
    points: Floats
    q_limit: float  # the band guard: Q·|edge numerator| < 2**52


@functools.lru_cache(maxsize=64)
def band_tables(rule: MeasureRule) -> Bands | None:
    """A rule's edges and level points as exact doubles, and the band guard for Q."""
    edges = [exact_double(e) for e in rule.edges]
    points = [exact_double(p) for p in rule.points]
    if any(e is None for e in edges) or any(p is None for p in points):
        return None
    top_num = max([abs(e.numerator) for e in rule.edges] + [1])
    return Bands(
        tuple(e for e in edges if e is not None),
        np.array(points, dtype=np.float64),
        BAND_GUARD / top_num,
    )
