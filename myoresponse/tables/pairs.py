"""Whole cohorts at once: a table of baseline/follow-up pairs in, one scored row out per pair.

:func:`myoresponse.score_many` takes the table form of the interface — a mapping of column name
to a 1-D array (a dict of numpy arrays, a pandas DataFrame, the columns of a CSV file) — and
scores every row with numpy whole-array operations. Every row equals what the exact scalar path
(:func:`~myoresponse.score`, :func:`~myoresponse.score_json`) gives for it; an invalid row gets
the scalar path's message in its ``error`` column and leaves the others untouched.

Input columns: ``baseline_<key>`` and ``followup_<key>`` for the measure keys (``physician_global``,
``patient_global``, ``mmt``, ``haq``/``chaq``, ``extramuscular``, and the PRINTO keys ``cmas``,
``chq_phs``, ``das``); enzymes as ``baseline_<enzyme>``, ``followup_<enzyme>`` and ``uln_<enzyme>``
(``ck``, ``aldolase``, ``ast``, ``alt``, ``ldh``); optional per-row ``id``, ``population``,
``mmt_max`` and ``global_max``. A missing value is an empty cell: NaN in a float column, ``None``,
``""`` (or ``"NA"``, ``"NaN"``) in a text column. Other columns are ignored; a ``baseline_``,
``followup_`` or ``uln_`` column with an unknown key is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, overload

import numpy as np
from numpy.typing import NDArray

from myoresponse.criteria import CoreSet, Population
from myoresponse.enzymes import Enzyme
from myoresponse.errors import MyoresponseError
from myoresponse.measures import Number
from myoresponse.scoring import Assessment
from myoresponse.tables._columns import (
    ENZYME_NAMES,
    MEASURE_COLUMNS,
    VISIT_KEYS,
    Bools,
    Floats,
    Table,
    empty,
    raw_cell,
)
from myoresponse.tables._decimal import Group, exact_double
from myoresponse.tables._engine import Block, RowScale, score_block
from myoresponse.tables._fallback import pair_assessment
from myoresponse.tables._output import PairScores, pair_output
from myoresponse.tables._problems import Problems, messages
from myoresponse.tables._settings import TableSettings
from myoresponse.tables.mapping import apply_column_map
from myoresponse.tables.steroid_columns import attach_pair_doses
from myoresponse.tables.terms import in_user_columns, pair_terms, user_columns

if TYPE_CHECKING:
    from pandas import DataFrame  # type: ignore[import-untyped,unused-ignore]

__all__ = ["MEASURE_COLUMNS", "engine_scores", "population_codes", "score_many", "score_pairs"]

_BLOCK_ROWS = 1 << 16  # rows per vectorised block: keeps the working set in cache


@overload
def score_many(
    columns: DataFrame,
    *,
    population: Population | str | None = None,
    mmt_max: Number | None = None,
    global_max: Number | None = None,
    core_set: CoreSet | str = CoreSet.IMACS,
    band_edges: str = "upper-inclusive",
    enzyme_rule: str = "range",
    missing: str = "error",
    enzyme: Enzyme | str | None = None,
    enzyme_range_multiples: Mapping[Enzyme, Number] | Mapping[str, Number] | None = None,
    chq_phs_range: Sequence[Number] | None = None,
    errors: str = "mark",
    column_map: Mapping[str, str] | None = None,
) -> DataFrame: ...


@overload
def score_many(
    columns: Mapping[str, Any],
    *,
    population: Population | str | None = None,
    mmt_max: Number | None = None,
    global_max: Number | None = None,
    core_set: CoreSet | str = CoreSet.IMACS,
    band_edges: str = "upper-inclusive",
    enzyme_rule: str = "range",
    missing: str = "error",
    enzyme: Enzyme | str | None = None,
    enzyme_range_multiples: Mapping[Enzyme, Number] | Mapping[str, Number] | None = None,
    chq_phs_range: Sequence[Number] | None = None,
    errors: str = "mark",
    column_map: Mapping[str, str] | None = None,
) -> dict[str, NDArray[Any]]: ...


def score_many(
    columns: Mapping[str, Any] | DataFrame,
    *,
    population: Population | str | None = None,
    mmt_max: Number | None = None,
    global_max: Number | None = None,
    core_set: CoreSet | str = CoreSet.IMACS,
    band_edges: str = "upper-inclusive",
    enzyme_rule: str = "range",
    missing: str = "error",
    enzyme: Enzyme | str | None = None,
    enzyme_range_multiples: Mapping[Enzyme, Number] | Mapping[str, Number] | None = None,
    chq_phs_range: Sequence[Number] | None = None,
    errors: str = "mark",
    column_map: Mapping[str, str] | None = None,
) -> dict[str, NDArray[Any]] | DataFrame:
    """Score every baseline/follow-up pair of a cohort table with the 2016 ACR/EULAR criteria.

    ``columns`` maps column names (see :mod:`myoresponse.tables.pairs`) to 1-D array-likes of one
    length:
    a dict of numpy arrays or lists, or a pandas DataFrame. The keywords apply to every row;
    per-row ``population``, ``mmt_max`` and ``global_max`` columns override them where a cell is
    not empty. ``band_edges``, ``enzyme_rule``, ``missing``, ``enzyme_range_multiples``,
    ``core_set``, ``enzyme`` (pins the followed enzyme) and ``chq_phs_range`` mean what they mean
    for :func:`~myoresponse.score`.

    Returns a dict of output column → numpy array, row-aligned with the input (a DataFrame with
    the same index when given a DataFrame, below):

    - ``id`` (when the input has it), ``total_improvement_score`` (float), ``category`` and
      ``enzyme`` (text; ``""`` when not scored / no enzyme followed);
    - ``points_<key>`` and ``change_<key>`` for the six measures (float; a missing measure has 0
      points and a NaN change; ``change`` is the exact absolute percent change rounded to the
      nearest double, as ``float()`` of the scalar result);
    - ``worsened_count`` (float holding a whole number; ``Int64`` in a DataFrame), ``partial``
      (bool; ``boolean`` in a DataFrame) and ``error`` (``""`` or the message).

    Given a DataFrame, the output is a DataFrame on the input's index in pandas' conventions
    (:mod:`myoresponse.tables.frames`): no ``id`` column (the index carries the identity, so
    ``frame.join(out)`` works), ``category`` an ordered categorical (none < minimal < moderate <
    major), ``enzyme`` a categorical, ``error`` a ``string`` column, every missing value NaN or
    ``<NA>`` — never ``""``.

    ``column_map`` renames input columns first: ``{"pga_bl": "baseline_physician_global"}``, a
    key the input's name, a value the full name of a column above
    (:mod:`myoresponse.tables.mapping`).

    A row that cannot be scored gets the message the scalar path gives in ``error``, naming the
    table's columns and the keywords (``followup_ck`` for the scalar path's
    ``followup.enzymes.CK``, ``(global_max=10)`` for ``(scales.global_max)``;
    :mod:`myoresponse.tables.terms`), and NaN/empty in the other output columns (``partial`` is
    False there in numpy, which has no missing boolean, and ``<NA>`` in a DataFrame).
    ``errors="raise"`` raises that error instead, for the first such row, with the row named
    (``row 17: baseline_mmt: ...``; the index label for a DataFrame) and ``field`` the column.
    Invalid keywords and unknown ``baseline_``/``followup_``/``uln_`` columns raise at once.

    How results stay exact without a Python loop over rows: each column is read as decimal
    integers ``n / 10**d`` (at most 6 decimal places, 15 significant digits), verified by a
    float64 round trip, which is exactly the shortest-repr reading of the scalar path; the change
    is the quotient of two integers below ``2**53`` and so the correctly rounded double of the
    exact change; on a fixed scale the band comes from a points table indexed by the integer
    difference, its bands decided once in exact integer arithmetic, and otherwise from comparing
    that double with the band edges, which is exact under a guard on the size of the denominator;
    the most abnormal enzyme compares exact integer cross products. Any row where a condition
    fails — a value with more decimals, a guard exceeded, any invalid or missing input — is scored
    by the exact scalar path instead, row by row (the details are in the private module
    ``myoresponse.tables._engine``). Rows whose only problem is a missing, negative or out-of-scale
    value, or a follow-up value without baseline, get the scalar path's message column-wise: one
    scalar call per distinct problem, not per row (``myoresponse.tables._problems``).

    >>> import numpy as np
    >>> from myoresponse import score_many
    >>> out = score_many({
    ...     "baseline_physician_global": np.array([6.0, 2.2]),
    ...     "followup_physician_global": np.array([2.0, 0.7]),
    ...     "baseline_mmt": np.array([110, 60]), "followup_mmt": np.array([131, 62]),
    ... }, population="adult", mmt_max=150, missing="zero")
    >>> out["change_physician_global"].tolist()  # exactly 40 % and 15 %, as by hand
    [40.0, 15.0]
    >>> out["points_physician_global"].tolist()  # an edge belongs to the band below
    [17.5, 7.5]
    >>> out["total_improvement_score"].tolist(), out["category"].tolist()
    ([37.5, 7.5], ['minimal', 'none'])
    """
    mapped: Any = apply_column_map(columns, column_map, "pair")  # a DataFrame is a Mapping here
    with user_columns(column_map):  # messages name a renamed column by the caller's name
        try:
            table = Table(mapped)
        except MyoresponseError as error:
            raise in_user_columns(error) from None
        settings = TableSettings.from_keywords(
            table,
            population=population,
            mmt_max=mmt_max,
            global_max=global_max,
            core_set=core_set,
            band_edges=band_edges,
            enzyme_rule=enzyme_rule,
            missing=missing,
            enzyme=enzyme,
            enzyme_range_multiples=enzyme_range_multiples,
            chq_phs_range=chq_phs_range,
            errors=errors,
        )
        output: dict[str, NDArray[Any]] | DataFrame = attach_pair_doses(
            pair_output(table, score_pairs(table, settings)), table, errors
        )
    return output


def score_pairs(table: Table, settings: TableSettings) -> PairScores:
    """Score every row of a pair table: the columnar engine, then errors, then the fallback."""
    codes = population_codes(table, settings)
    scores, problems = engine_scores(table, settings, codes)
    _settle(table, settings, scores, problems, codes)
    return scores


def engine_scores(
    table: Table,
    settings: TableSettings,
    codes: NDArray[np.int8],
    reuse: tuple[dict[str, Any], dict[str, dict[str, int]]] | None = None,
    on_group: Callable[[tuple[str, ...], Group], None] | None = None,
    into: PairScores | None = None,
) -> tuple[PairScores, Problems]:
    """The columnar engine on every row; ``codes`` index ``settings.criteria`` (-1: undecided).

    Rows the engine does not decide, or finds a problem in, are left to the caller (their scores
    are not meaningful). ``reuse`` (work arrays, decimal scales) carries them from one call to
    the next of a caller that scores its table in chunks; ``on_group`` is handed every decimal
    group the engine reads (:attr:`~myoresponse.tables._engine.Block.on_group`); ``into``, the
    scores to write (:meth:`PairScores.reused`), defaults to new ones.
    """
    filled = len(settings.criteria) == 1
    scores = PairScores(table.size, settings.keys, filled) if into is None else into
    problems = Problems(table.size)
    numbers = {name: table.numeric(name) for name in table.names if name in MEASURE_COLUMNS}
    for name, column in numbers.items():
        problems.add(column.odd)
        if name.startswith("uln_"):  # a ULN that is not > 0 is an error of the scales (scalar)
            problems.add(_not_positive(column.values))
    global_max, mmt_max = _row_scales(table, settings, problems)
    problems.add(codes < 0)
    scratch: dict[str, Any] = {}  # work arrays reused by every block
    hints: dict[str, dict[str, int]] = {}  # decimal scales, per criteria set
    if reuse is not None:
        scratch, hints = reuse
    for index, criteria in enumerate(settings.criteria):
        rows = None if (codes == index).all() else np.flatnonzero(codes == index)
        count = table.size if rows is None else rows.size
        for start in range(0, count, _BLOCK_ROWS):
            stop = min(start + _BLOCK_ROWS, count)
            where: Any = slice(start, stop) if rows is None else rows[start:stop]
            block = Block(
                size=stop - start,
                columns={name: column.values[where] for name, column in numbers.items()},
                global_max=_row_scale(global_max, where),
                mmt_max=None if mmt_max is None else _row_scale(mmt_max, where),
                scales=hints.setdefault(criteria.name, {}),
                scratch=scratch,
                on_group=on_group,
                problems=problems.part(where) if isinstance(where, slice) else None,
            )
            _score_block(settings, index, block, where, scores, problems)
    return scores, problems


def population_codes(table: Table, settings: TableSettings) -> NDArray[np.int8]:
    """Per row: index into ``settings.criteria``, or -1 when the population cell is not usable."""
    size = table.size
    default = -1
    if settings.population is not None:
        for index, criteria in enumerate(settings.criteria):
            if criteria.population is settings.population:
                default = index
    if not table.has("population"):
        return np.full(size, default, dtype=np.int8)
    cells = np.asarray(table.raw["population"])
    if cells.dtype.kind != "U":
        cells = cells.astype(str)
    codes = np.full(size, -1, dtype=np.int8)
    decided = np.zeros(size, dtype=bool)
    for index, criteria in enumerate(settings.criteria):
        hit = cells == criteria.population.value
        codes[hit] = index
        decided |= hit
    for row in np.flatnonzero(~decided).tolist():
        if empty(raw_cell(table.raw["population"], row)):
            codes[row] = default
    return codes


def _row_scales(
    table: Table, settings: TableSettings, problems: Problems
) -> tuple[Fraction | Floats, Fraction | Floats | None]:
    global_max: Fraction | Floats = settings.scales.global_max
    mmt_max: Fraction | Floats | None = settings.scales.mmt_max
    if table.has("global_max"):
        column = table.numeric("global_max")
        problems.add(column.odd)
        problems.add(_not_positive(column.values))
        global_max = _filled(column.values, settings.scales.global_max)
    if table.has("mmt_max"):
        column = table.numeric("mmt_max")
        problems.add(column.odd)
        problems.add(_not_positive(column.values))
        mmt_max = _filled(column.values, settings.scales.mmt_max)
    return global_max, mmt_max


def _not_positive(values: Floats) -> Bools:
    """Cells of a scale or ULN column that are not finite numbers above 0 (empty cells aside):
    an error of the row's scales, which the scalar path names before any measure."""
    with np.errstate(invalid="ignore"):
        return ~((values > 0) & (values < np.inf)) & ~np.isnan(values)  # type: ignore[no-any-return,unused-ignore]


def _score_block(
    settings: TableSettings,
    index: int,
    block: Block,
    where: Any,
    scores: PairScores,
    problems: Problems,
) -> None:
    """Score one block with criteria set ``index`` and write it to its rows ``where``."""
    criteria = settings.criteria[index]
    in_place = isinstance(where, slice)  # write straight into views of the output columns
    out: dict[str, Any] = {}
    if in_place:
        out = {"tis": scores.tis[where], "enzyme": scores.enzyme[where]}
        out["partial"] = scores.partial[where]
        for key in criteria.keys:
            out[f"points_{key}"] = scores.points[key][where]
            out[f"change_{key}"] = scores.change[key][where]
    result = score_block(
        criteria,
        block,
        settings.options,
        pin=settings.pin,
        chq_phs_range=settings.scales.chq_phs_range,
        out=out,
    )
    scores.category[where] = result.category
    scores.worsened[where] = result.worsened
    for key in criteria.keys:
        if result.change[key] is not out.get(f"change_{key}"):
            scores.change[key][where] = result.change[key]
    if not in_place:
        scores.tis[where] = result.tis
        scores.enzyme[where] = result.enzyme
        scores.partial[where] = result.partial
        for key in criteria.keys:
            scores.points[key][where] = result.points[key]
    found = problems.put(where, result.problems)
    if found is not None and found.size:  # their scores emptied now, the block at hand
        scores.clear_scores(found)


def _settle(
    table: Table,
    settings: TableSettings,
    scores: PairScores,
    problems: Problems,
    codes: NDArray[np.int8],
) -> None:
    """Rows in error get their messages column-wise; undecided rows go to the scalar path."""
    undecided = problems.undecided
    found = problems.found()
    if found is None:
        _rescore(table, settings, scores, np.flatnonzero(undecided))
        return
    if settings.errors == "raise":  # the first row in error raises, in row order
        _rescore(table, settings, scores, np.flatnonzero(undecided | problems.failing()))
        return
    rows, code, value, scale = found
    decided = ~undecided[rows]
    if not decided.all():  # (usually all are: no copies then)
        rows, code, value, scale = rows[decided], code[decided], value[decided], scale[decided]
    keys: list[NDArray[Any]] = [codes[rows], code, value, scale]
    terms = pair_terms(table.names)
    texts, left = messages(rows, keys, lambda row: _error(table, settings, row), terms)
    if left.size:
        kept = np.isin(rows, left, invert=True)
        rows, texts = rows[kept], texts[kept]
        undecided[left] = True
    scores.fail(rows, texts, cleared=True)  # (each block emptied its rows with a problem)
    _rescore(table, settings, scores, np.flatnonzero(undecided))


def _error(table: Table, settings: TableSettings, row: int) -> MyoresponseError | None:
    """The scalar path's error for one row (None when it scores)."""
    try:
        row_assessment(table, settings, row).score()
    except MyoresponseError as error:
        return error
    return None


# -- the exact scalar path for the rows the fast path does not decide -------------------------


def _rescore(
    table: Table, settings: TableSettings, scores: PairScores, rows: NDArray[np.intp]
) -> None:
    scores.clear(rows)
    terms = pair_terms(table.names)
    for row in rows.tolist():
        try:
            result = row_assessment(table, settings, row).score()
        except MyoresponseError as error:
            if settings.errors == "raise":
                field = None if error.field is None else terms(error.field)
                located = type(error)(terms(error.reason), field=field, value=error.value)
                located.args = (f"{table.label(row)}: {terms(str(error))}",)
                raise located from error
            scores.fail(row, terms(str(error)))
            continue
        scores.write(row, result)


def row_assessment(table: Table, settings: TableSettings, row: int) -> Assessment:
    """The assessment of one row, built from its cells: what the scalar path scores for it."""
    population: Any = settings.population.value if settings.population is not None else None
    if table.has("population"):
        cell = raw_cell(table.raw["population"], row)
        if not empty(cell):
            population = cell.item() if isinstance(cell, np.generic) else cell
    scales: dict[str, Any] = {}
    for name, keyword in (("global_max", settings.global_max), ("mmt_max", settings.mmt_max)):
        value = table.numeric(name).cell(row) if table.has(name) else None
        value = keyword if value is None else value
        if value is not None:
            scales[name] = value
    uln = _enzymes(table, "uln", row)
    if uln:
        scales["enzyme_uln"] = uln
    if settings.pin is not None:
        scales["enzyme"] = settings.pin
    if settings.chq_phs_range is not None:
        scales["chq_phs_range"] = settings.chq_phs_range
    visits: list[dict[str, Any]] = []
    for visit in ("baseline", "followup"):
        values: dict[str, Any] = {}
        for key in VISIT_KEYS:
            name = f"{visit}_{key}"
            if table.has(name):
                value = table.numeric(name).cell(row)
                if value is not None:
                    values[key] = value
        enzymes = _enzymes(table, visit, row)
        if enzymes:
            values["enzymes"] = enzymes
        visits.append(values)
    return pair_assessment(
        population=population,
        core_set=settings.core_set,
        scales=scales,
        options=settings.options,
        baseline=visits[0],
        followup=visits[1],
    )


def _enzymes(table: Table, kind: str, row: int) -> dict[str, Any]:
    found = {}
    for low, enzyme in ENZYME_NAMES.items():
        name = f"{kind}_{low}"
        if table.has(name):
            value = table.numeric(name).cell(row)
            if value is not None:
                found[enzyme.value] = value
    return found


def _filled(values: Floats, default: Fraction | None) -> Floats:
    if default is None:
        return values
    as_float = exact_double(default)
    fill = np.nan if as_float is None else as_float
    filled = values.copy()
    filled[np.isnan(filled)] = fill
    return filled  # type: ignore[no-any-return,unused-ignore]


def _row_scale(value: Fraction | Floats, where: Any) -> Fraction | RowScale:
    return RowScale(value[where]) if isinstance(value, np.ndarray) else value
