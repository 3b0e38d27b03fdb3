"""The vectorised engine behind :func:`myoresponse.tables.pairs.score_many` (private).

It reads the same criteria objects as the scalar engine (:mod:`myoresponse.criteria`, the fixed
scales, the enzyme multiples of the options) and scores one block of
rows that share one criteria set with whole-array numpy operations. It never decides a row it
cannot decide exactly: such a row is flagged *suspect*, and the caller scores it with the exact
scalar path. Suspect rows are a superset of the invalid rows, so every error message comes from
the scalar path too.

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
6. *The most abnormal enzyme* compares ``b1/u1`` with ``b2/u2`` as cross products of the decimal
   integers, each checked below ``2**53``; ties keep the earlier enzyme (CK, aldolase, AST, ALT,
   LDH), as the scalar path does.

Any guard that fails marks the rows concerned suspect rather than rounding.

Speed: a block is scored with a few whole-array operations per column, most of them written into
work arrays that every block of a run reuses (:attr:`Block.scratch`), so that a block touches no
fresh memory beyond its output; the decimal scale of each column is sampled once per run
(:attr:`Block.scales`), a starting point only, since the search above still raises it per block.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from myoresponse.criteria import FIXED_SCALES, BandEdges, Better, Category, Criteria, MeasureRule
from myoresponse.enzymes import Enzyme
from myoresponse.options import EnzymeRule, MissingPolicy, Options

__all__ = ["DMAX", "ENZYMES", "Block", "BlockResult", "RowScale", "exact_double", "score_block"]

Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]

DMAX = 6
"""Most decimal places a value may have to be scored without the scalar path."""

_N_LIMIT = 1e15  # decimal integers stay below 10**15: at most 15 significant digits
_EXACT = 2.0**53  # float64 holds every integer below this exactly
_BAND_GUARD = 2.0**52
_POW10 = tuple(10.0**d for d in range(DMAX + 1))

ENZYMES: tuple[Enzyme, ...] = tuple(Enzyme)
"""The enzymes in the order the scalar path breaks ties in (CK, aldolase, AST, ALT, LDH)."""

CATEGORIES: tuple[Category, ...] = tuple(Category)


@functools.lru_cache(maxsize=1024)
def exact_double(value: Fraction) -> float | None:
    """``float(value)`` when that double is exactly ``value`` *and* reads back as it, else None."""
    as_float = float(value)
    if Fraction(as_float) == value and Fraction(repr(as_float)) == value:
        return as_float
    return None


@dataclass
class RowScale:
    """A per-row scale maximum (``global_max``, ``mmt_max`` columns): floats, NaN where absent."""

    values: Floats


@dataclass
class Block:
    """Rows that share one criteria set: measure columns by table name, and the row scales."""

    size: int
    columns: Mapping[str, Floats]
    global_max: Fraction | RowScale
    mmt_max: Fraction | RowScale | None
    scales: dict[str, int] = field(default_factory=dict)
    """Starting decimal scale per column name, shared by the blocks of one run (a hint only)."""
    scratch: dict[str, Any] = field(default_factory=dict)
    """Work arrays by name, shared by the blocks of one run (saves fresh memory per block)."""


@dataclass
class BlockResult:
    """The vectorised scores of a block; rows flagged ``suspect`` must be rescored exactly."""

    points: dict[str, Floats]
    change: dict[str, Floats]
    tis: Floats
    category: NDArray[np.int8]  # index into CATEGORIES
    enzyme: NDArray[np.int8]  # index into ENZYMES, -1 for none
    worsened: NDArray[np.int8]
    partial: Bools
    suspect: Bools = field(repr=False)


@dataclass
class _Group:
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
        return max([0.0, *(v for v in ends if not math.isnan(v))]) * _POW10[self.d] + 1.0


def _bounds(x: Floats) -> tuple[float, float, bool]:
    """Smallest and largest value ignoring NaN, and whether there is a NaN."""
    if x.size == 0:
        return math.nan, math.nan, False
    low, high = float(np.minimum.reduce(x)), float(np.maximum.reduce(x))
    if math.isnan(low) or math.isnan(high):
        return float(np.fmin.reduce(x)), float(np.fmax.reduce(x)), True
    return low, high, False


def _sample_scale(x: Floats) -> int:
    sample = x[:256]
    sample = sample[~np.isnan(sample)]
    for d in range(DMAX + 1):
        scaled = np.rint(sample * _POW10[d])
        if np.array_equal(scaled / _POW10[d], sample):
            return d
    return 0


def _at(
    x: Floats, d: int, n: Floats | None = None, check: Floats | None = None
) -> tuple[Floats, Bools]:
    """``n = rint(x * 10**d)`` and where ``n / 10**d == x`` (into ``n`` and ``check`` if given)."""
    if d == 0:
        n = np.rint(x, out=n)
        return n, n == x
    n = np.multiply(x, _POW10[d], out=n)
    np.rint(n, out=n)
    return n, np.divide(n, _POW10[d], out=check) == x


def _decimal_group(
    columns: list[Floats], start: int | None = None, scratch: list[Floats] | None = None
) -> _Group:
    """Common decimal scale and integers of ``columns`` (see the module docstring, point 1).

    ``start`` is the scale to try first (by default, from a sample of the values); any scale whose
    round trip holds gives the same decimals, so it only decides how soon the search ends.
    ``scratch`` are arrays of the columns' length to reuse: one per column for the integers, and
    one more for the round trip.
    """
    bounds = [_bounds(x) for x in columns]
    d = max(_sample_scale(x) for x in columns) if start is None else start
    while True:
        ints: list[Floats] = []
        bad: Bools | None = None
        need = d
        for i, (x, (low, high, has_nan)) in enumerate(zip(columns, bounds, strict=True)):
            if scratch is None:
                n, ok = _at(x, d)
            else:
                n, ok = _at(x, d, scratch[i], scratch[-1])
            ints.append(n)
            if has_nan:
                ok |= np.isnan(x)
            if not ok.all():
                rows = np.flatnonzero(~ok)
                values = x[rows]
                still = np.ones(rows.size, dtype=bool)
                for d2 in range(d + 1, DMAX + 1):
                    _, ok2 = _at(values, d2)
                    if (ok2 & still).any():
                        need = max(need, d2)
                    still &= ~ok2
                    if not still.any():
                        break
                if still.any():
                    bad = _or_rows(bad, rows[still], x.size)
            small = max(abs(low), abs(high)) * _POW10[d] < 0.5 * _N_LIMIT  # False for NaN too
            if not small and not math.isnan(low):
                with np.errstate(invalid="ignore"):
                    bad = _or(bad, ~(np.abs(n) < _N_LIMIT) & ~np.isnan(x))
        if need == d:
            return _Group(
                d,
                ints,
                [b[2] for b in bounds],
                [b[0] for b in bounds],
                [b[1] for b in bounds],
                bad,
            )
        d = need


@functools.lru_cache(maxsize=256)
def _fixed_plan(
    lo: Fraction, hi: Fraction, d: int
) -> tuple[float, float, float, float, int] | None:
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
    if lo_f is None or hi_f is None or not (abs(m) < _EXACT and k < _EXACT):
        return None
    radius = math.ceil(max(abs(lo), abs(hi)) * 10**d)
    return lo_f, hi_f, m, k, radius


_LOOKUP_RADIUS = 1 << 16  # largest |n_b - n_f| range scored by a points table
_LOOKUPS: dict[tuple[int, float, float, int, bool], tuple[MeasureRule, Floats | None]] = {}


def _points_by_diff(
    rule: MeasureRule, m: float, k: float, radius: int, upper_inclusive: bool
) -> Floats | None:
    """Level points of every integer ``diff`` in ``-radius … radius`` for the change ``diff·m/k``.

    Index ``diff + radius``. The band is decided in exact integers: with ``k > 0`` and an edge
    ``num / den`` (``den > 0``), ``diff·m/k > num/den`` exactly when ``diff·m·den > num·k``, and
    every product is checked to fit int64. None when a table cannot be built exactly.
    """
    key = (id(rule), m, k, radius, upper_inclusive)
    cached = _LOOKUPS.get(key)
    if cached is not None and cached[0] is rule:
        return cached[1]
    table = None
    points = [exact_double(p) for p in rule.points]
    m_int, k_int = int(m), int(k)
    products = [(m_int * e.denominator, e.numerator * k_int) for e in rule.edges]
    fits = all(radius * abs(a) < 2**62 and abs(b) < 2**62 for a, b in products)
    if radius <= _LOOKUP_RADIUS and k_int > 0 and fits and all(p is not None for p in points):
        diffs = np.arange(-radius, radius + 1, dtype=np.int64)
        band = np.zeros(diffs.size, dtype=np.intp)
        for a, b in products:
            band += (diffs * a > b) if upper_inclusive else (diffs * a >= b)
        table = np.array(points, dtype=np.float64)[band]
    if len(_LOOKUPS) > 256:
        _LOOKUPS.clear()
    _LOOKUPS[key] = (rule, table)
    return table


def _or(acc: Bools | None, mask: Bools) -> Bools:
    if acc is None:
        return mask
    acc |= mask
    return acc


def _or_rows(acc: Bools | None, rows: NDArray[np.intp], size: int) -> Bools:
    if acc is None:
        acc = np.zeros(size, dtype=bool)
    acc[rows] = True
    return acc


class _Suspect:
    """Accumulates the rows that the scalar path must score."""

    def __init__(self, size: int) -> None:
        self.mask = np.zeros(size, dtype=bool)

    def add(self, mask: Bools | None) -> None:
        if mask is not None:
            self.mask |= mask

    def all(self) -> None:
        self.mask[:] = True


def _outside(
    x: Floats,
    group: _Group,
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


@dataclass(frozen=True)
class _Bands:
    edges: tuple[float, ...]
    points: Floats
    q_limit: float  # the band guard: Q·|edge numerator| < 2**52


@functools.lru_cache(maxsize=64)
def _band_tables(rule: MeasureRule) -> _Bands | None:
    """A rule's edges and level points as exact doubles, and the band guard for Q."""
    edges = [exact_double(e) for e in rule.edges]
    points = [exact_double(p) for p in rule.points]
    if any(e is None for e in edges) or any(p is None for p in points):
        return None
    top_num = max([abs(e.numerator) for e in rule.edges] + [1])
    return _Bands(
        tuple(e for e in edges if e is not None),
        np.array(points, dtype=np.float64),
        _BAND_GUARD / top_num,
    )


class _Engine:
    def __init__(
        self,
        criteria: Criteria,
        block: Block,
        options: Options,
        pin: Enzyme | None,
        chq_phs_range: tuple[Fraction, Fraction] | None,
        out: Mapping[str, Any] | None = None,
    ) -> None:
        self.out: Mapping[str, Any] = {} if out is None else out
        self.criteria = criteria
        self.block = block
        self.options = options
        self.pin = pin
        self.chq_phs_range = chq_phs_range
        self.size = block.size
        self.suspect = _Suspect(block.size)
        self.side: Any = "left" if options.band_edges is BandEdges.UPPER_INCLUSIVE else "right"
        self._nan: Floats | None = None
        self.lookup: tuple[Floats, NDArray[np.intp]] | None = None  # set by _plain, used by run
        self.partial = self._dest("partial", False, bool)
        self.worsened = np.zeros(block.size, dtype=np.int8)
        self.tis = self._dest("tis", 0.0, np.float64)
        self.enzyme = self._dest("enzyme", -1, np.int8)

    def _dest(self, name: str, start: Any, dtype: Any) -> Any:
        """The caller's output array for ``name`` (written in place), or a new one."""
        given = self.out.get(name)
        if given is None:
            return np.full(self.size, start, dtype=dtype)
        given.fill(start)
        return given

    def nan(self) -> Floats:
        if self._nan is None:
            self._nan = np.full(self.size, np.nan)
        return self._nan

    def column(self, name: str) -> Floats:
        got = self.block.columns.get(name)
        return self.nan() if got is None else got

    def work(self, name: str, dtype: Any = np.float64) -> Any:
        """A work array of the block's length, reused by the next blocks: contents undefined."""
        array = self.block.scratch.get(name)
        if array is None or array.size < self.size or array.dtype != dtype:
            array = self.block.scratch[name] = np.empty(self.size, dtype=dtype)
        return array[: self.size]

    def group(self, *names: str, work: str = "") -> _Group:
        """The decimal group of the named columns (the start scale sampled once per run).

        The integers are written to the work arrays ``<work>0``, ``<work>1``, …: valid until the
        next group with the same ``work`` prefix.
        """
        columns = [self.column(name) for name in names]
        key = " ".join(names)
        start = self.block.scales.get(key)
        if start is None:
            start = self.block.scales[key] = max(_sample_scale(x) for x in columns)
        scratch = [self.work(f"{work}{i}") for i in range(len(names))]
        scratch.append(self.work("round trip"))
        return _decimal_group(columns, start, scratch)

    # -- the run ----------------------------------------------------------------------------

    def run(self) -> BlockResult:
        self._check_keys()
        points: dict[str, Floats] = {}
        change: dict[str, Floats] = {}
        for rule in self.criteria.measures:
            tables = _band_tables(rule)
            if tables is None:  # a criteria table that is not exact in binary: all scalar
                self.suspect.all()
                tables = _Bands((), np.zeros(1), 1.0)
            if rule.scale == "enzyme":
                c = self._enzyme(rule, tables.q_limit)
            else:
                c = self._plain(rule, tables.q_limit, self.out.get(f"change_{rule.key}"))
            missing = np.isnan(c, out=self.work("missing", np.bool_))
            any_missing = bool(missing.any())
            out = self.out.get(f"points_{rule.key}")
            if self.lookup is not None:
                table, band = self.lookup
                self.lookup = None
                points[rule.key] = table.take(band, out=out, mode="clip")
                if any_missing:
                    points[rule.key][missing] = 0.0
            else:
                missing_rows = missing if any_missing else None
                points[rule.key] = self._points(c, tables, missing_rows, out)
            change[rule.key] = c
            self.tis += points[rule.key]
            worse = np.less(c, 0.0, out=self.work("worse", np.bool_))
            self.worsened += worse.view(np.int8)
            if not any_missing:
                continue
            if self.options.missing is MissingPolicy.ERROR or rule.key in self.criteria.required:
                self.suspect.add(missing)
            else:
                self.partial |= missing
        exact = [exact_double(t) for _, t in self.criteria.thresholds]
        thresholds = [t for t in exact if t is not None]
        if len(thresholds) != len(exact):
            self.suspect.all()
        reached = np.zeros(self.size, dtype=np.int8)
        for threshold in thresholds:  # thresholds are inclusive
            reached += (self.tis >= threshold).view(np.int8)
        codes = [
            CATEGORIES.index(c) for c in (Category.NONE, *(c for c, _ in self.criteria.thresholds))
        ]
        category = reached
        if codes != list(range(len(codes))):
            category = np.array(codes, dtype=np.int8).take(reached.astype(np.intp), mode="clip")
        return BlockResult(
            points=points,
            change=change,
            tis=self.tis,
            category=category,
            enzyme=self.enzyme,
            worsened=self.worsened,
            partial=self.partial,
            suspect=self.suspect.mask,
        )

    def _points(self, c: Floats, tables: _Bands, missing: Bools | None, out: Any = None) -> Floats:
        """Level points: the band is the number of edges below ``c`` (or at/below it)."""
        above = np.greater if self.side == "left" else np.greater_equal
        if not tables.edges:
            band = np.zeros(c.shape, dtype=np.intp)
        else:
            counts = self.work("counts", np.int8)
            edge_above = self.work("edge above", np.bool_)
            above(c, tables.edges[0], out=counts.view(np.bool_))
            for edge in tables.edges[1:]:
                above(c, edge, out=edge_above)
                counts += edge_above.view(np.int8)
            band = self.work("band", np.intp)
            band[...] = counts
        points: Floats = tables.points.take(band, out=out, mode="clip")
        if missing is not None and tables.points[0] != 0:
            points[missing] = 0.0
        return points

    def _check_keys(self) -> None:
        """A value under a key this criteria set does not have makes the row an error."""
        keys = set(self.criteria.keys)
        for name, values in self.block.columns.items():
            visit, _, key = name.partition("_")
            if visit not in ("baseline", "followup"):
                continue
            allowed = "enzyme" in keys if key in _ENZYME_KEYS else key in keys
            if not allowed:
                self.suspect.add(~np.isnan(values))

    # -- one measure on its scale -----------------------------------------------------------

    def _scale(self, rule: MeasureRule) -> tuple[Fraction, Fraction | RowScale] | None:
        if rule.scale == "global":
            return Fraction(0), self.block.global_max
        if rule.scale == "mmt":
            return None if self.block.mmt_max is None else (Fraction(0), self.block.mmt_max)
        if rule.scale == "chq_phs":
            return self.chq_phs_range
        return FIXED_SCALES[rule.scale]

    def _plain(self, rule: MeasureRule, q_limit: float, out: Any = None) -> Floats:
        b, f = self.column(f"baseline_{rule.key}"), self.column(f"followup_{rule.key}")
        scale = self._scale(rule)
        if scale is None:  # no scale to score on: any value is an error (scalar says which)
            self.suspect.add(~np.isnan(b) | ~np.isnan(f))
            return self.nan()
        lo, hi = scale
        group = self.group(f"baseline_{rule.key}", f"followup_{rule.key}")
        self.suspect.add(group.bad)
        nb, nf = group.ints
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            if isinstance(hi, RowScale):
                diff = nb - nf if rule.better is Better.LOWER else nf - nb
                values, ints, d_r, ok_scale = self._row_scale(hi)
                hi_bound = float(np.fmax.reduce(values))
                for i, x in enumerate((b, f)):
                    self.suspect.add(_outside(x, group, i, 0.0, values))
                if not ok_scale.all():
                    has_value = ~np.isnan(b) | ~np.isnan(f)
                    self.suspect.add(~ok_scale & has_value)
                factor = 100.0 * _POW10[d_r]
                p = diff * factor
                q = ints * _POW10[group.d]
                bound = (hi_bound * _POW10[group.d] + 1.0) * factor
                q_top = np.fmax.reduce(q)
                if not q_top < q_limit:
                    self.suspect.add(q >= q_limit)
                if not bound < _EXACT:
                    self.suspect.add(np.abs(p) >= _EXACT)
                self._followup_without_baseline(b, f, group)
                return np.divide(p, q, out=out)  # type: ignore[no-any-return,unused-ignore]
            plan = _fixed_plan(lo, hi, group.d)
            if plan is None:
                self.suspect.all()
                return self.nan()
            lo_f, hi_f, m, k, radius = plan
            for i, x in enumerate((b, f)):
                self.suspect.add(_outside(x, group, i, max(lo_f, 0.0), hi_f))
            # the change is diff * m / k, with m / k = 100 / (10**d * width) in lowest terms
            first, second = (nb, nf) if rule.better is Better.LOWER else (nf, nb)
            c = np.subtract(first, second, out=out)
            table = _points_by_diff(rule, m, k, radius, self.side == "left")
            if table is not None:  # points by diff: index diff + radius (clipped if invalid)
                band = self.work("band", np.intp)
                np.add(c, float(radius), out=band, casting="unsafe")
                self.lookup = (table, band)
            elif not k < q_limit:
                self.suspect.add(~np.isnan(c))
            if m != 1.0:
                np.multiply(c, m, out=c)
            bound = (max(abs(lo_f), abs(hi_f)) * _POW10[group.d] + 1.0) * abs(m)
            if not bound < _EXACT:
                self.suspect.add(np.abs(c) >= _EXACT)
            if k != 1.0:
                np.divide(c, k, out=c)
            self._followup_without_baseline(b, f, group)
            return c  # type: ignore[no-any-return,unused-ignore]

    def _row_scale(self, scale: RowScale) -> tuple[Floats, Floats, int, Bools]:
        """Decimal integers of a per-row scale maximum, and where it is usable (> 0, exact)."""
        values = scale.values
        group = _decimal_group([values])
        with np.errstate(invalid="ignore"):
            ok = values > 0
        if group.bad is not None:
            ok &= ~group.bad
        return values, group.ints[0], group.d, ok

    def _followup_without_baseline(self, b: Floats, f: Floats, group: _Group) -> None:
        if group.has_nan[0]:
            self.suspect.add(np.isnan(b) & ~np.isnan(f))

    # -- the enzyme -------------------------------------------------------------------------

    def _enzyme(self, rule: MeasureRule, q_limit: float) -> Floats:
        options = self.options
        present = [
            e
            for e in ENZYMES
            if any(f"{v}_{_low(e)}" in self.block.columns for v in ("baseline", "followup", "uln"))
        ]
        if self.pin is not None and self.pin not in present:
            present.append(self.pin)
        if not present:
            return self.nan()
        best_num: Floats | None = None
        best_den: Floats | None = None
        best_tops = (0.0, 0.0)
        chosen = self.enzyme
        change: Floats | None = None
        last = len(present) - 1
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            for position, enzyme in enumerate(present):
                index = ENZYMES.index(enzyme)
                low = _low(enzyme)
                b = self.column(f"baseline_{low}")
                f = self.column(f"followup_{low}")
                u = self.column(f"uln_{low}")
                values = self.group(f"baseline_{low}", f"followup_{low}", work=f"e{position}v")
                ulns = self.group(f"uln_{low}", work=f"e{position}u")
                self.suspect.add(values.bad)
                self.suspect.add(ulns.bad)
                for i, x in enumerate((b, f)):
                    self.suspect.add(_outside(x, values, i, 0.0, None))
                self.suspect.add(_outside(u, ulns, 0, 0.0, None, strict_lo=True))
                self._followup_without_baseline(b, f, values)
                # rows with a baseline value (all of them when the column has no NaN)
                has_b: Bools | None = ~np.isnan(b) if values.has_nan[0] else None
                if self.pin is None:
                    if ulns.has_nan[0]:
                        missing_u = np.isnan(u)
                        self.suspect.add(missing_u if has_b is None else has_b & missing_u)
                elif self.pin is enzyme and ulns.has_nan[0]:
                    self.suspect.add(np.isnan(u))
                nb, nf = values.ints
                nu = ulns.ints[0]
                b_top = values.top(0)
                u_top = ulns.top(0)
                # the change of this enzyme, should it be chosen (NaN where b is missing)
                if options.enzyme_rule is EnzymeRule.RANGE:
                    k = options.enzyme_range_multiples[enzyme]
                    factor = 100.0 * k.denominator * _POW10[ulns.d]
                    p = np.subtract(nb, nf, out=self.work(f"e{position}p"))
                    p *= factor
                    q_factor = k.numerator * _POW10[values.d]
                    q = nu if q_factor == 1 else np.multiply(nu, q_factor, out=self.work("q"))
                    p_bound = max(values.top(1), b_top) * factor
                    q_top = u_top * k.numerator * _POW10[values.d]
                else:
                    p = np.subtract(nb, nf, out=self.work(f"e{position}p"))
                    p *= 100.0
                    q = nb
                    p_bound = max(values.top(1), b_top) * 100.0
                    q_top = b_top
                if not p_bound < _EXACT:
                    self.suspect.add(np.abs(p) >= _EXACT)
                if not q_top < q_limit:
                    self.suspect.add(q >= q_limit)
                c = np.divide(p, q, out=p)
                # the most abnormal at baseline: b/u against the best so far, as cross products
                if self.pin is not None:
                    if enzyme is self.pin:
                        _set(chosen, index, has_b)
                        change = c
                    continue
                num = nb if ulns.d == 0 else nb * _POW10[ulns.d]
                den = nu if values.d == 0 else nu * _POW10[values.d]
                num_top, den_top = b_top * _POW10[ulns.d], u_top * _POW10[values.d]
                if best_num is None or best_den is None or change is None:
                    best_num = num if has_b is None else np.where(has_b, num, -1.0)
                    best_den = den if has_b is None else np.where(has_b, den, 1.0)
                    _set(chosen, index, has_b)
                    best_tops = (num_top, den_top)
                    change = c
                    continue
                left = np.multiply(num, best_den, out=self.work("left"))
                right = np.multiply(best_num, den, out=self.work("right"))
                if not (num_top * best_tops[1] < _EXACT and best_tops[0] * den_top < _EXACT):
                    self.suspect.add((left >= _EXACT) | (right >= _EXACT))
                best_tops = (max(best_tops[0], num_top), max(best_tops[1], den_top))
                better = np.greater(left, right, out=self.work("better", np.bool_))
                if position < last:
                    best_num = np.where(better, num, best_num)
                    best_den = np.where(better, den, best_den)
                # chosen = index where better: chosen += better * (index - chosen), in int8
                step = np.subtract(np.int8(index), chosen, out=self.work("step", np.int8))
                step *= better.view(np.int8)
                chosen += step
                change = np.where(better, c, change)
            if options.enzyme_rule is EnzymeRule.RELATIVE:
                for enzyme in present:
                    low = _low(enzyme)
                    b = self.column(f"baseline_{low}")
                    self.suspect.add((chosen == ENZYMES.index(enzyme)) & (b == 0))
        return self.nan() if change is None else change


def _set(target: NDArray[np.int8], value: int, where: Bools | None) -> None:
    """``target[where] = value``, everywhere when ``where`` is None."""
    if where is None:
        target.fill(value)
    else:
        np.copyto(target, np.int8(value), where=where)


_ENZYME_KEYS = frozenset(e.value.lower() for e in Enzyme)


def _low(enzyme: Enzyme) -> str:
    return enzyme.value.lower()


def score_block(
    criteria: Criteria,
    block: Block,
    options: Options,
    *,
    pin: Enzyme | None = None,
    chq_phs_range: tuple[Fraction, Fraction] | None = None,
    out: Mapping[str, Any] | None = None,
) -> BlockResult:
    """Score ``block`` with ``criteria``; rows in ``suspect`` must be rescored by the caller.

    ``out`` may give arrays of the block's length to write ``tis``, ``enzyme``, ``partial``,
    ``points_<key>`` and ``change_<key>`` into (views of the caller's output columns).
    """
    return _Engine(criteria, block, options, pin, chq_phs_range, out).run()
