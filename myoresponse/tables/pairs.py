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

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, overload

import numpy as np
from numpy.typing import NDArray

from myoresponse._names import choice
from myoresponse.criteria import Category, CoreSet, Criteria, Population, criteria_for
from myoresponse.enzymes import Enzyme
from myoresponse.errors import InputFormatError, InvalidValueError, MyoresponseError
from myoresponse.io.json import score_json
from myoresponse.measures import Number, Scales
from myoresponse.options import Options
from myoresponse.tables._columns import (
    ENZYME_NAMES,
    MEASURE_COLUMNS,
    VISIT_KEYS,
    Bools,
    Floats,
    Numbers,
    Table,
    empty,
    merged_keys,
    raw_cell,
)
from myoresponse.tables._engine import (
    CATEGORIES,
    ENZYMES,
    Block,
    RowScale,
    exact_double,
    score_block,
)
from myoresponse.tables.mapping import apply_column_map
from myoresponse.tables.steroid_columns import attach_pair_doses

if TYPE_CHECKING:
    from pandas import DataFrame  # type: ignore[import-untyped,unused-ignore]

__all__ = ["MEASURE_COLUMNS", "score_many"]

_PER_ROW = ("id", "population", "mmt_max", "global_max")


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

    A row that cannot be scored gets the message the scalar path gives in ``error`` and NaN/empty
    in the other output columns (``partial`` is False there in numpy, which has no missing
    boolean, and ``<NA>`` in a DataFrame). ``errors="raise"`` raises that error instead, for the
    first such row, with the row named (``row 17: baseline.mmt: ...``; the index label for a
    DataFrame).
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
    ``myoresponse.tables._engine``).

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
    table = Table(mapped)
    run = _Run(
        table,
        population=population,
        mmt_max=mmt_max,
        global_max=global_max,
        core_set=core_set,
        options=Options(
            band_edges=band_edges,
            enzyme_rule=enzyme_rule,
            missing=missing,
            enzyme_range_multiples=enzyme_range_multiples,
        ),
        enzyme_range_multiples=enzyme_range_multiples,
        pin=enzyme,
        chq_phs_range=chq_phs_range,
        errors=errors,
    )
    output: dict[str, NDArray[Any]] | DataFrame = attach_pair_doses(run.output(), table, errors)
    return output


# -- one run of score_many --------------------------------------------------------------------


class _Run:
    def __init__(
        self,
        table: Table,
        *,
        population: Population | str | None,
        mmt_max: Any,
        global_max: Any,
        core_set: CoreSet | str,
        options: Options,
        enzyme_range_multiples: Mapping[Any, Any] | None,
        pin: Enzyme | str | None,
        chq_phs_range: Sequence[Any] | None,
        errors: str,
    ) -> None:
        if errors not in ("mark", "raise"):
            raise InvalidValueError(
                f"{errors!r} is not one of 'mark', 'raise'", field="errors", value=errors
            )
        self.table = table
        self.errors = errors
        self.options = options
        self.core_set = choice(CoreSet, core_set, "core_set")
        self.population = (
            None if population is None else choice(Population, population, "population")
        )
        scales = Scales(
            global_max=10 if global_max is None else global_max,
            mmt_max=mmt_max,
            enzyme=pin,
            chq_phs_range=chq_phs_range,
        )
        self.scales = scales
        self.keyword_global_max, self.keyword_mmt_max = global_max, mmt_max
        self.pin = scales.enzyme
        self.chq_phs_range = scales.chq_phs_range
        self.chq_phs_range_raw = chq_phs_range
        if self.population is not None:
            criteria_for(self.population, self.core_set)  # raises for adult + printo
        elif not table.has("population"):
            raise InputFormatError(
                "is required: pass population='adult' or 'juvenile', or give a population column",
                field="population",
            )
        self.options_json: dict[str, Any] = dict(options.to_dict())
        if enzyme_range_multiples:
            self.options_json["enzyme_range_multiples"] = dict(enzyme_range_multiples)
        self.criteria = self._criteria_sets()
        self.keys = merged_keys(self.criteria)

    def _criteria_sets(self) -> list[Criteria]:
        if not self.table.has("population") and self.population is not None:
            return [criteria_for(self.population, self.core_set)]
        found = []
        for population in Population:
            try:
                found.append(criteria_for(population, self.core_set))
            except MyoresponseError:
                continue
        return found

    # -- populations per row ------------------------------------------------------------------

    def _population_codes(self) -> NDArray[np.int8]:
        """Per row: index into ``self.criteria``, or -1 when the population cell is not usable."""
        size = self.table.size
        default = -1
        if self.population is not None:
            for index, criteria in enumerate(self.criteria):
                if criteria.population is self.population:
                    default = index
        if not self.table.has("population"):
            return np.full(size, default, dtype=np.int8)
        cells = np.asarray(self.table.raw["population"])
        if cells.dtype.kind != "U":
            cells = cells.astype(str)
        codes = np.full(size, -1, dtype=np.int8)
        decided = np.zeros(size, dtype=bool)
        for index, criteria in enumerate(self.criteria):
            hit = cells == criteria.population.value
            codes[hit] = index
            decided |= hit
        rest = np.flatnonzero(~decided)
        for row in rest.tolist():
            if empty(raw_cell(self.table.raw["population"], row)):
                codes[row] = default
        return codes

    # -- the whole run ------------------------------------------------------------------------

    def output(self) -> Any:
        size = self.table.size

        # Every row is written by one block or by _rescore; with one criteria set every measure
        # column is, too, so the (large) outputs need no initial fill.
        def floats() -> Floats:
            return np.empty(size) if len(self.criteria) == 1 else np.full(size, np.nan)

        self.tis = np.empty(size)
        self.category = np.empty(size, dtype=np.int8)
        self.enzyme = np.empty(size, dtype=np.int8)
        self.points = {key: floats() for key in self.keys}
        self.change = {key: floats() for key in self.keys}
        self.worsened = np.empty(size)
        self.partial = np.zeros(size, dtype=bool)
        self.failed = np.zeros(size, dtype=bool)
        self.messages: dict[int, str] = {}

        self.scales_seen: dict[str, dict[str, int]] = {}  # decimal scales, per criteria set
        self.scratch: dict[str, Any] = {}  # work arrays reused by every block
        suspect = np.zeros(size, dtype=bool)
        measure_names = [name for name in self.table.names if name in MEASURE_COLUMNS]
        numbers = {name: self.table.numeric(name) for name in measure_names}
        for name in measure_names:
            odd = numbers[name].odd
            if odd is not None:
                suspect |= odd
        global_max, mmt_max = self._row_scales(suspect)
        codes = self._population_codes()
        suspect |= codes < 0
        for index, criteria in enumerate(self.criteria):
            rows = None if (codes == index).all() else np.flatnonzero(codes == index)
            count = size if rows is None else rows.size
            for start in range(0, count, _BLOCK_ROWS):
                stop = min(start + _BLOCK_ROWS, count)
                where: Any = slice(start, stop) if rows is None else rows[start:stop]
                self._block(criteria, where, stop - start, numbers, global_max, mmt_max, suspect)
        self._rescore(np.flatnonzero(suspect))
        return self._assemble()

    def _row_scales(self, suspect: Bools) -> tuple[Fraction | Floats, Fraction | Floats | None]:
        global_max: Fraction | Floats = self.scales.global_max
        mmt_max: Fraction | Floats | None = self.scales.mmt_max
        if self.table.has("global_max"):
            column = self.table.numeric("global_max")
            if column.odd is not None:
                suspect |= column.odd
            global_max = _filled(column.values, self.scales.global_max)
        if self.table.has("mmt_max"):
            column = self.table.numeric("mmt_max")
            if column.odd is not None:
                suspect |= column.odd
            mmt_max = _filled(column.values, self.scales.mmt_max)
        return global_max, mmt_max

    def _block(
        self,
        criteria: Criteria,
        where: Any,
        size: int,
        numbers: Mapping[str, Numbers],
        global_max: Fraction | Floats,
        mmt_max: Fraction | Floats | None,
        suspect: Bools,
    ) -> None:
        block = Block(
            size=size,
            columns={name: column.values[where] for name, column in numbers.items()},
            global_max=_row_scale(global_max, where),
            mmt_max=None if mmt_max is None else _row_scale(mmt_max, where),
            scales=self.scales_seen.setdefault(criteria.name, {}),
            scratch=self.scratch,
        )
        in_place = isinstance(where, slice)  # write straight into views of the output columns
        out: dict[str, Any] = {}
        if in_place:
            out = {"tis": self.tis[where], "enzyme": self.enzyme[where]}
            out["partial"] = self.partial[where]
            for key in criteria.keys:
                out[f"points_{key}"] = self.points[key][where]
                out[f"change_{key}"] = self.change[key][where]
        result = score_block(
            criteria, block, self.options, pin=self.pin, chq_phs_range=self.chq_phs_range, out=out
        )
        self.category[where] = result.category
        self.worsened[where] = result.worsened
        for key in criteria.keys:
            if result.change[key] is not out.get(f"change_{key}"):
                self.change[key][where] = result.change[key]
        if not in_place:
            self.tis[where] = result.tis
            self.enzyme[where] = result.enzyme
            self.partial[where] = result.partial
            for key in criteria.keys:
                self.points[key][where] = result.points[key]
        suspect[where] |= result.suspect

    # -- the exact scalar path for the rows the fast path does not decide ---------------------

    def _rescore(self, rows: NDArray[np.intp]) -> None:
        for key in self.keys:  # a rescored row starts empty
            self.points[key][rows] = np.nan
            self.change[key][rows] = np.nan
        for row in rows.tolist():
            try:
                result = score_json(self.row_assessment(row))
            except MyoresponseError as error:
                if self.errors == "raise":
                    located = type(error)(error.reason, field=error.field, value=error.value)
                    located.args = (f"{self.table.label(row)}: {error}",)
                    raise located from error
                self._fail(row, str(error))
                continue
            self.tis[row] = result["total_improvement_score"]
            self.category[row] = CATEGORIES.index(Category(result["category"]))
            used = result["enzyme"]
            self.enzyme[row] = -1 if used is None else ENZYMES.index(Enzyme(used["name"]))
            for measure in result["measures"]:
                key = measure["measure"]
                self.points[key][row] = measure["points"]
                change = measure["absolute_percent_change"]
                self.change[key][row] = np.nan if change is None else change
            self.worsened[row] = len(result["worsened"])
            self.partial[row] = result["partial"]

    def _fail(self, row: int, message: str) -> None:
        self.failed[row] = True
        self.messages[row] = message
        self.tis[row] = np.nan
        self.category[row] = -1
        self.enzyme[row] = -1
        self.worsened[row] = np.nan
        self.partial[row] = False

    def row_assessment(self, row: int) -> dict[str, Any]:
        """The JSON assessment object of one row: what the scalar path scores for it."""
        table = self.table
        assessment: dict[str, Any] = {"core_set": self.core_set.value}
        population = self.population.value if self.population is not None else None
        if table.has("population"):
            cell = raw_cell(table.raw["population"], row)
            if not empty(cell):
                population = cell.item() if isinstance(cell, np.generic) else cell
        if population is not None:
            assessment["population"] = population
        scales: dict[str, Any] = {}
        for name, keyword in (
            ("global_max", self.keyword_global_max),
            ("mmt_max", self.keyword_mmt_max),
        ):
            value = table.numeric(name).cell(row) if table.has(name) else None
            value = keyword if value is None else value
            if value is not None:
                scales[name] = value
        uln = self._enzymes("uln", row)
        if uln:
            scales["enzyme_uln"] = uln
        if self.pin is not None:
            scales["enzyme"] = self.pin.value
        if self.chq_phs_range_raw is not None:
            scales["chq_phs_range"] = list(self.chq_phs_range_raw)
        assessment["scales"] = scales
        assessment["options"] = self.options_json
        for visit in ("baseline", "followup"):
            values: dict[str, Any] = {}
            for key in VISIT_KEYS:
                name = f"{visit}_{key}"
                if table.has(name):
                    value = table.numeric(name).cell(row)
                    if value is not None:
                        values[key] = value
            enzymes = self._enzymes(visit, row)
            if enzymes:
                values["enzymes"] = enzymes
            assessment[visit] = values
        return assessment

    def _enzymes(self, kind: str, row: int) -> dict[str, Any]:
        found = {}
        for low, enzyme in ENZYME_NAMES.items():
            name = f"{kind}_{low}"
            if self.table.has(name):
                value = self.table.numeric(name).cell(row)
                if value is not None:
                    found[enzyme.value] = value
        return found

    # -- the output table ---------------------------------------------------------------------

    def _assemble(self) -> Any:
        size = self.table.size
        out: dict[str, Any] = {}
        if self.table.has("id"):
            ident = self.table.raw["id"]
            out["id"] = ident.to_numpy() if hasattr(ident, "to_numpy") else np.asarray(ident)
        out["total_improvement_score"] = self.tis
        out["category"] = _labels(("", *(c.value for c in CATEGORIES)), self.category)
        out["enzyme"] = _labels(("", *(e.value for e in ENZYMES)), self.enzyme)
        for key in self.keys:
            out[f"points_{key}"] = self.points[key]
        for key in self.keys:
            out[f"change_{key}"] = self.change[key]
        out["worsened_count"] = self.worsened
        out["partial"] = self.partial
        error = np.empty(size, dtype=object)
        error.fill("")
        for row, message in self.messages.items():
            error[row] = message
        out["error"] = error
        if self.table.frame is None:
            return out
        from myoresponse.tables.frames import pair_frame  # given a DataFrame

        return pair_frame(out, self.table.frame.index, self.failed)


def _labels(names: Sequence[str], codes: NDArray[np.int8]) -> NDArray[np.str_]:
    """``names[code + 1]`` per row, as a fixed-width text array (``""`` for code -1)."""
    table = np.array(names)
    out = np.empty(codes.size, dtype=table.dtype)
    # take the fixed-width cells as opaque bytes (much faster than taking text elements), a block
    # at a time so that the index stays small
    cell = np.dtype((np.void, table.dtype.itemsize))
    cells, target = table.view(cell), out.view(cell)
    index = np.empty(min(codes.size, _BLOCK_ROWS), dtype=np.intp)
    for start in range(0, codes.size, _BLOCK_ROWS):
        stop = min(start + _BLOCK_ROWS, codes.size)
        part = index[: stop - start]
        np.add(codes[start:stop], 1, out=part, casting="unsafe")
        cells.take(part, out=target[start:stop], mode="clip")
    return out


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
