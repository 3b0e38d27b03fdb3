"""Values as exact decimal integers: the reading every vectorised step of the tables relies on.

Why the numbers are exact
-------------------------

The scalar path reads a float ``x`` as the decimal ``X`` of its shortest repr (``2.2`` is 22/10).

1. *Decimal integers.* For a group of columns (a measure's baseline and follow-up, an enzyme's
   ULN, a per-row scale maximum) the engine finds a decimal scale ``10**d`` (``d <= 6``) and
   ``n = rint(x * 10**d)``, and keeps the value only where ``n / 10**d == x`` in float64 and
   ``|n| < 10**15``. Then ``X == n / 10**d`` exactly: ``n`` and ``10**d`` are exact doubles, so the
   division is correctly rounded, i.e. the decimal ``n / 10**d`` (at most 15 significant digits)
   rounds to ``x``; two different decimals of at most 15 significant digits never round to the
   same double, and the shortest repr of ``x`` is such a decimal, so it is this one. Rows that
   fail are suspect.
2. *Comparisons of values* (range checks, ``> 0``) are done on the floats: ``x -> X`` is strictly
   increasing, so ``x <= h`` exactly when ``X <= H`` for a bound ``h`` whose repr is ``H``.
3. *The change* ``100 × improvement / range`` is the fraction ``P / Q`` of two integers built from
   the decimal integers, the criteria's rational constants and the scale; both are held as
   float64 and checked to be below ``2**53``, so they are exact, and ``P / Q`` is the correctly
   rounded double of the exact change — the scalar path's ``float()``. On a fixed scale
   ``lo``–``hi`` the change is ``diff · m / k`` with ``diff = n_b - n_f`` (or ``n_f - n_b``) and
   ``m / k = 100 / (10**d · (hi - lo))`` in lowest terms, so ``P = diff · m`` and ``Q = k``: one
   subtraction when ``m == k == 1`` (VAS in cm at one decimal), else a product and/or a quotient.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["DMAX", "EXACT", "POW10", "Group", "decimal_group", "exact_double", "outside"]

Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]

DMAX = 6
"""Most decimal places a value may have to be scored without the scalar path."""

N_LIMIT = 1e15  # decimal integers stay below 10**15: at most 15 significant digits
EXACT = 2.0**53  # float64 holds every integer below this exactly
POW10 = tuple(10.0**d for d in range(DMAX + 1))


@functools.lru_cache(maxsize=1024)
def exact_double(value: Fraction) -> float | None:
    """``float(value)`` when that double is exactly ``value`` *and* reads back as it, else None."""
    as_float = float(value)
    if Fraction(as_float) == value and Fraction(repr(as_float)) == value:
        return as_float
    return None


@dataclass
class Group:
    """Decimal integers of a group of columns at one scale ``10**d``, and the columns' bounds."""

    d: int
    ints: list[Floats]
    has_nan: list[bool]
    low: list[float]  # smallest value of each column, NaN ignored (NaN when all are missing)
    high: list[float]
    bad: Bools | None  # rows not representable at any scale up to DMAX

    def top(self, index: int) -> float:
        """A bound on ``|n|`` of column ``index`` (0 for an all-missing column)."""
        ends = [abs(self.low[index]), abs(self.high[index])]
        return max([0.0, *(v for v in ends if not math.isnan(v))]) * POW10[self.d] + 1.0


def column_bounds(x: Floats) -> tuple[float, float, bool]:
    """Smallest and largest value ignoring NaN, and whether there is a NaN."""
    if x.size == 0:
        return math.nan, math.nan, False
    low, high = float(np.minimum.reduce(x)), float(np.maximum.reduce(x))
    if math.isnan(low) or math.isnan(high):
        return float(np.fmin.reduce(x)), float(np.fmax.reduce(x)), True
    return low, high, False


def sample_scale(x: Floats) -> int:
    sample = x[:256]
    sample = sample[~np.isnan(sample)]
    for d in range(DMAX + 1):
        scaled = np.rint(sample * POW10[d])
        if np.array_equal(scaled / POW10[d], sample):
            return d
    return 0


def at(
    x: Floats, d: int, n: Floats | None = None, check: Floats | None = None
) -> tuple[Floats, Bools]:
    """``n = rint(x * 10**d)`` and where ``n / 10**d == x`` (into ``n`` and ``check`` if given)."""
    if d == 0:
        n = np.rint(x, out=n)
        return n, n == x
    n = np.multiply(x, POW10[d], out=n)
    np.rint(n, out=n)
    return n, np.divide(n, POW10[d], out=check) == x


def decimal_group(
    columns: list[Floats], start: int | None = None, scratch: list[Floats] | None = None
) -> Group:
    """Common decimal scale and integers of ``columns`` (see the module docstring, point 1).

    ``start`` is the scale to try first (by default, from a sample of the values); the search only
    goes up from it, so a hint above what the values need (carried over from other rows) can leave
    large values unrepresentable: then the search runs again from the values' own sample.
    ``scratch`` are arrays of the columns' length to reuse: one per column for the integers, and
    one more for the round trip.
    """
    bounds = [column_bounds(x) for x in columns]
    sampled = None
    if start is None:
        start = sampled = max(sample_scale(x) for x in columns)
    group = _search(columns, bounds, start, scratch)
    if group.bad is not None and sampled is None:
        sampled = max(sample_scale(x) for x in columns)
        if sampled < start:
            group = _search(columns, bounds, sampled, scratch)
    return group


def _search(
    columns: list[Floats],
    bounds: list[tuple[float, float, bool]],
    d: int,
    scratch: list[Floats] | None,
) -> Group:
    """The smallest scale from ``d`` up at which the values' round trip holds (see above)."""
    while True:
        ints: list[Floats] = []
        bad: Bools | None = None
        need = d
        for i, (x, (low, high, has_nan)) in enumerate(zip(columns, bounds, strict=True)):
            if scratch is None:
                n, ok = at(x, d)
            else:
                n, ok = at(x, d, scratch[i], scratch[-1])
            ints.append(n)
            if has_nan:
                ok |= np.isnan(x)
            if not ok.all():
                rows = np.flatnonzero(~ok)
                values = x[rows]
                still = np.ones(rows.size, dtype=bool)
                for d2 in range(d + 1, DMAX + 1):
                    _, ok2 = at(values, d2)
                    if (ok2 & still).any():
                        need = max(need, d2)
                    still &= ~ok2
                    if not still.any():
                        break
                if still.any():
                    bad = or_rows(bad, rows[still], x.size)
            small = max(abs(low), abs(high)) * POW10[d] < 0.5 * N_LIMIT  # False for NaN too
            if not small and not math.isnan(low):
                with np.errstate(invalid="ignore"):
                    bad = or_mask(bad, ~(np.abs(n) < N_LIMIT) & ~np.isnan(x))
        if need == d:
            return Group(
                d,
                ints,
                [b[2] for b in bounds],
                [b[0] for b in bounds],
                [b[1] for b in bounds],
                bad,
            )
        d = need


def or_mask(acc: Bools | None, mask: Bools) -> Bools:
    if acc is None:
        return mask
    acc |= mask
    return acc


def or_rows(acc: Bools | None, rows: NDArray[np.intp], size: int) -> Bools:
    if acc is None:
        acc = np.zeros(size, dtype=bool)
    acc[rows] = True
    return acc


def outside(
    x: Floats,
    group: Group,
    index: int,
    lo: float,
    hi: float | Floats | None,
    *,
    strict_lo: bool = False,
) -> Any:
    """Rows whose (non-NaN) value is below ``lo`` (or equal, with ``strict_lo``) or above ``hi``."""
    low, top = group.low[index], group.high[index]
    if math.isnan(low):  # all missing
        return None
    low_ok = low > lo if strict_lo else low >= lo
    if isinstance(hi, np.ndarray):
        high = x > hi
        if low_ok:
            return high if high.any() else None
        return high | ((x <= lo) if strict_lo else (x < lo))
    if low_ok and (hi is None or top <= hi):
        return None
    mask = (x <= lo) if strict_lo else (x < lo)
    if hi is not None:
        mask |= x > hi
    return mask
