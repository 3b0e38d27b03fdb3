"""The vectorised engine behind :func:`myoresponse.tables.pairs.score_many` (private).

It reads the same criteria objects as the scalar engine (:mod:`myoresponse.criteria`, the fixed
scales, the enzyme multiples of the options) and scores one block of
rows that share one criteria set with whole-array numpy operations. It never decides a row it
cannot decide exactly: such a row is flagged *undecided*, and the caller scores it with the exact
scalar path.

The proof that the numbers are exact is given with its code: decimal integers
(:mod:`._decimal`), bands (:mod:`._bands`), the most abnormal enzyme (:mod:`._enzyme`). Any guard
that fails marks the rows concerned undecided rather than rounding. Rows with a missing, negative or
out-of-scale value, or a follow-up value without baseline, get their error column-wise
(:mod:`._problems`).

Speed: a block is scored with a few whole-array operations per column, most of them written into
work arrays that every block of a run reuses (:attr:`Block.scratch`), so that a block touches no
fresh memory beyond its output; the decimal scale of each column is sampled once per run
(:attr:`Block.scales`), a starting point only, since the search above still raises it per block.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from myoresponse.criteria import BandEdges, Better, Category, Criteria, MeasureRule
from myoresponse.enzymes import Enzyme
from myoresponse.options import MissingPolicy, Options
from myoresponse.scoring import FIXED_SCALES
from myoresponse.tables._bands import Bands, band_tables, fixed_plan, points_by_diff
from myoresponse.tables._decimal import (
    EXACT,
    POW10,
    Group,
    decimal_group,
    exact_double,
    outside,
    sample_scale,
)
from myoresponse.tables._problems import (
    PLACES,
    Problems,
    missing_code,
    negative_code,
    rule_code,
)

__all__ = ["CATEGORIES", "ENZYMES", "Block", "BlockResult", "RowScale", "Workspace", "score_block"]

Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]

ENZYMES: tuple[Enzyme, ...] = tuple(Enzyme)
"""The enzymes in the order the scalar path breaks ties in (CK, aldolase, AST, ALT, LDH)."""

CATEGORIES: tuple[Category, ...] = tuple(Category)


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
    problems: Problems | None = None
    """Where to record the block's problems (a part of the table's), or None for its own."""
    on_group: Callable[[tuple[str, ...], Group], None] | None = None
    """Called with the names and the decimal group of every group read (its integers are the
    engine's work arrays: the callee copies what it keeps and must not write them)."""


@dataclass
class BlockResult:
    """The vectorised scores of a block and its problems (see :mod:`._problems`)."""

    points: dict[str, Floats]
    change: dict[str, Floats]
    tis: Floats
    category: NDArray[np.int8]  # index into CATEGORIES
    enzyme: NDArray[np.int8]  # index into ENZYMES, -1 for none
    worsened: NDArray[np.int8]
    partial: Bools
    problems: Problems = field(repr=False)


class Workspace:
    """One block being scored: its inputs, its output arrays, work arrays and problems."""

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
        self.problems = Problems(block.size) if block.problems is None else block.problems
        self.upper_inclusive = options.band_edges is BandEdges.UPPER_INCLUSIVE
        self._nan: Floats | None = None
        self.lookup: tuple[Floats, NDArray[np.intp]] | None = None  # set by plain_change
        self.partial = self._dest("partial", False, bool)
        self.worsened = np.zeros(block.size, dtype=np.int8)
        self.tis = self._dest("tis", 0.0, np.float64)
        self.enzyme = self._dest("enzyme", -1, np.int8)
        self.any_enzyme: Bools | None = None  # rows with a baseline enzyme (set by the enzyme)

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

    def group(self, *names: str, work: str = "") -> Group:
        """The decimal group of the named columns (the start scale sampled once per run).

        The integers are written to the work arrays ``<work>0``, ``<work>1``, …: valid until the
        next group with the same ``work`` prefix.
        """
        columns = [self.column(name) for name in names]
        key = " ".join(names)
        start = self.block.scales.get(key)
        if start is None:
            start = self.block.scales[key] = max(sample_scale(x) for x in columns)
        scratch = [self.work(f"{work}{i}") for i in range(len(names))]
        scratch.append(self.work("round trip"))
        group = decimal_group(columns, start, scratch)
        if self.block.on_group is not None:
            self.block.on_group(names, group)
        return group

    def values_outside(
        self,
        x: Floats,
        group: Group,
        index: int,
        lo: float,
        hi: float | Floats | None,
        codes: tuple[int, int],
        scale: Any = None,
    ) -> None:
        """Record values below 0 (stage 0) and outside ``lo``…``hi`` (stage 1) as problems."""
        mask = outside(x, group, index, max(lo, 0.0), hi)
        if mask is None:
            return
        negative = mask & (x < 0)
        self.problems.record(negative, codes[0], x)
        self.problems.record(mask & ~negative, codes[1], x, scale)

    def followup_without_baseline(self, b: Floats, f: Floats, group: Group, code: int) -> None:
        if group.has_nan[0]:
            rows = np.flatnonzero(np.isnan(b))  # usually few: the follow-up read there only
            self.problems.record_rows(rows[~np.isnan(f.take(rows))], code)


def score_block(
    criteria: Criteria,
    block: Block,
    options: Options,
    *,
    pin: Enzyme | None = None,
    chq_phs_range: tuple[Fraction, Fraction] | None = None,
    out: Mapping[str, Any] | None = None,
) -> BlockResult:
    """Score ``block`` with ``criteria``; undecided rows must be rescored by the caller.

    ``out`` may give arrays of the block's length to write ``tis``, ``enzyme``, ``partial``,
    ``points_<key>`` and ``change_<key>`` into (views of the caller's output columns).
    """
    from myoresponse.tables._enzyme import enzyme_change  # the enzyme step uses the workspace

    ws = Workspace(criteria, block, options, pin, chq_phs_range, out)
    _check_keys(ws)
    points: dict[str, Floats] = {}
    change: dict[str, Floats] = {}
    pattern: Floats | None = None  # missing places, a digit per rule (see _problems)
    for index, rule in enumerate(criteria.measures):
        tables = band_tables(rule)
        if tables is None:  # a criteria table that is not exact in binary: all scalar
            ws.problems.all()
            tables = Bands((), np.zeros(1), 1.0)
        if rule.scale == "enzyme":
            c = enzyme_change(ws, rule, tables.q_limit, index)
        else:
            c = _plain_change(ws, rule, tables.q_limit, index, ws.out.get(f"change_{rule.key}"))
        missing = np.isnan(c, out=ws.work("missing", np.bool_))
        any_missing = bool(missing.any())
        # a missing value is an error (its row emptied by the caller) or scores 0 points
        required = options.missing is MissingPolicy.ERROR or rule.key in criteria.required
        zero = missing if any_missing and not required else None
        target = ws.out.get(f"points_{rule.key}")
        if ws.lookup is not None:
            table, band = ws.lookup
            ws.lookup = None
            points[rule.key] = table.take(band, out=target, mode="clip")
            if zero is not None:
                np.putmask(points[rule.key], zero, 0.0)
        else:
            points[rule.key] = _band_points(ws, c, tables, zero, target)
        change[rule.key] = c
        ws.tis += points[rule.key]
        worse = np.less(c, 0.0, out=ws.work("worse", np.bool_))
        ws.worsened += worse.view(np.int8)
        if not any_missing:
            continue
        rows = np.flatnonzero(missing)  # usually few: the rest is computed for them only
        place = _missing_place(ws, rule, rows, index)
        if required:
            if pattern is None:
                pattern = ws.work("pattern")
                pattern.fill(0.0)
            pattern[rows] += place * float(PLACES**index)
        else:
            ws.partial |= missing
    if pattern is not None:
        ws.problems.record(pattern > 0, missing_code(), pattern)
    return BlockResult(
        points=points,
        change=change,
        tis=ws.tis,
        category=_category(ws),
        enzyme=ws.enzyme,
        worsened=ws.worsened,
        partial=ws.partial,
        problems=ws.problems,
    )


def _missing_place(ws: Workspace, rule: MeasureRule, rows: NDArray[np.intp], index: int) -> Floats:
    """Per missing row (``rows``), a code (1…15) for the field the scalar path names; of a
    measure on its scale, a follow-up value without baseline is recorded as its problem."""
    if rule.scale != "enzyme":  # baseline.<key> when both are missing, else followup.<key>
        no_baseline = np.isnan(ws.column(f"baseline_{rule.key}").take(rows))
        given = ~np.isnan(ws.column(f"followup_{rule.key}").take(rows))
        ws.problems.record_rows(rows[no_baseline & given], rule_code(index, 2))
        return np.where(no_baseline, 1.0, 2.0)  # type: ignore[no-any-return,unused-ignore]
    # baseline.enzymes, baseline.enzymes.<pinned>, followup.enzymes.<chosen>
    seen = 1.0 if ws.any_enzyme is None else ws.any_enzyme[rows].astype(np.float64)
    return 1.0 + seen + 2.0 * (ws.enzyme[rows].astype(np.float64) + 1.0)  # type: ignore[no-any-return,unused-ignore]


def _category(ws: Workspace) -> NDArray[np.int8]:
    """The category per row from the exact TIS and the criteria's inclusive thresholds."""
    exact = [exact_double(t) for _, t in ws.criteria.thresholds]
    thresholds = [t for t in exact if t is not None]
    if len(thresholds) != len(exact):
        ws.problems.all()
    reached = np.zeros(ws.size, dtype=np.int8)
    for threshold in thresholds:
        reached += (ws.tis >= threshold).view(np.int8)
    codes = [CATEGORIES.index(c) for c in (Category.NONE, *(c for c, _ in ws.criteria.thresholds))]
    if codes != list(range(len(codes))):
        return np.array(codes, dtype=np.int8).take(reached.astype(np.intp), mode="clip")
    return reached


def _band_points(
    ws: Workspace, c: Floats, tables: Bands, missing: Bools | None, out: Any = None
) -> Floats:
    """Level points: the band is the number of edges below ``c`` (or at/below it)."""
    above = np.greater if ws.upper_inclusive else np.greater_equal
    if not tables.edges:
        band = np.zeros(c.shape, dtype=np.intp)
    else:
        counts = ws.work("counts", np.int8)
        edge_above = ws.work("edge above", np.bool_)
        above(c, tables.edges[0], out=counts.view(np.bool_))
        for edge in tables.edges[1:]:
            above(c, edge, out=edge_above)
            counts += edge_above.view(np.int8)
        band = ws.work("band", np.intp)
        band[...] = counts
    points: Floats = tables.points.take(band, out=out, mode="clip")
    if missing is not None and tables.points[0] != 0:
        points[missing] = 0.0
    return points


def _check_keys(ws: Workspace) -> None:
    """A value under a key this criteria set does not have makes the row an error (scalar)."""
    keys = set(ws.criteria.keys)
    for name, values in ws.block.columns.items():
        visit, _, key = name.partition("_")
        if visit not in ("baseline", "followup"):
            continue
        allowed = "enzyme" in keys if key in _ENZYME_KEYS else key in keys
        if not allowed:
            ws.problems.add(~np.isnan(values))


_ENZYME_KEYS = frozenset(e.value.lower() for e in Enzyme)


# -- one measure on its scale -----------------------------------------------------------------


def _scale(ws: Workspace, rule: MeasureRule) -> tuple[Fraction, Fraction | RowScale] | None:
    if rule.scale == "global":
        return Fraction(0), ws.block.global_max
    if rule.scale == "mmt":
        return None if ws.block.mmt_max is None else (Fraction(0), ws.block.mmt_max)
    if rule.scale == "chq_phs":
        return ws.chq_phs_range
    return FIXED_SCALES[rule.scale]


def _plain_change(
    ws: Workspace, rule: MeasureRule, q_limit: float, index: int, out: Any = None
) -> Floats:
    """The change of a measure on its scale (NaN where missing); problems recorded in ``ws``."""
    b, f = ws.column(f"baseline_{rule.key}"), ws.column(f"followup_{rule.key}")
    scale = _scale(ws, rule)
    if scale is None:  # no scale to score on: any value is an error (scalar says which)
        ws.problems.add(~np.isnan(b) | ~np.isnan(f))
        return ws.nan()
    lo, hi = scale
    group = ws.group(f"baseline_{rule.key}", f"followup_{rule.key}")
    ws.problems.add(group.bad)
    codes = [
        (negative_code(side, rule.key), rule_code(index, part))
        for part, side in enumerate(("baseline", "followup"))
    ]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if isinstance(hi, RowScale):
            c = _row_scale_change(ws, rule, q_limit, b, f, group, hi, codes, out)
        else:
            c = _fixed_scale_change(ws, rule, q_limit, b, f, group, (lo, hi), codes, out)
    return c  # (a follow-up value without baseline: found with the missing values, below)


def _row_scale_change(
    ws: Workspace,
    rule: MeasureRule,
    q_limit: float,
    b: Floats,
    f: Floats,
    group: Group,
    scale: RowScale,
    codes: list[tuple[int, int]],
    out: Any,
) -> Floats:
    """The change on a per-row scale ``0``…``hi``: ``P / Q`` with both below ``2**53``."""
    nb, nf = group.ints
    diff = nb - nf if rule.better is Better.LOWER else nf - nb
    values = scale.values
    row_group = decimal_group([values])
    ok_scale = values > 0
    if row_group.bad is not None:
        ok_scale &= ~row_group.bad
    hi_bound = float(np.fmax.reduce(values))
    for i, x in enumerate((b, f)):
        ws.values_outside(x, group, i, 0.0, values, codes[i], values)
    if not ok_scale.all():
        has_value = ~np.isnan(b) | ~np.isnan(f)
        ws.problems.add(~ok_scale & has_value)
    factor = 100.0 * POW10[row_group.d]
    p = diff * factor
    q = row_group.ints[0] * POW10[group.d]
    bound = (hi_bound * POW10[group.d] + 1.0) * factor
    q_top = np.fmax.reduce(q)
    if not q_top < q_limit:
        ws.problems.add(q >= q_limit)
    if not bound < EXACT:
        ws.problems.add(np.abs(p) >= EXACT)
    return np.divide(p, q, out=out)  # type: ignore[no-any-return,unused-ignore]


def _fixed_scale_change(
    ws: Workspace,
    rule: MeasureRule,
    q_limit: float,
    b: Floats,
    f: Floats,
    group: Group,
    scale: tuple[Fraction, Fraction],
    codes: list[tuple[int, int]],
    out: Any,
) -> Floats:
    """The change on a fixed scale: ``diff · m / k``, the band from a table by ``diff``."""
    plan = fixed_plan(scale[0], scale[1], group.d)
    if plan is None:
        ws.problems.all()
        return ws.nan()
    lo_f, hi_f, m, k, radius = plan
    for i, x in enumerate((b, f)):
        ws.values_outside(x, group, i, lo_f, hi_f, codes[i])
    nb, nf = group.ints
    # the change is diff * m / k, with m / k = 100 / (10**d * width) in lowest terms
    first, second = (nb, nf) if rule.better is Better.LOWER else (nf, nb)
    c = np.subtract(first, second, out=out)
    table = points_by_diff(rule, m, k, radius, ws.upper_inclusive)
    if table is not None:  # points by diff: index diff + radius (clipped if invalid)
        band = ws.work("band", np.intp)
        np.add(c, float(radius), out=band, casting="unsafe")
        ws.lookup = (table, band)
    elif not k < q_limit:
        ws.problems.add(~np.isnan(c))
    if m != 1.0:
        np.multiply(c, m, out=c)
    bound = (max(abs(lo_f), abs(hi_f)) * POW10[group.d] + 1.0) * abs(m)
    if not bound < EXACT:
        ws.problems.add(np.abs(c) >= EXACT)
    if k != 1.0:
        np.divide(c, k, out=c)
    return c  # type: ignore[no-any-return,unused-ignore]
