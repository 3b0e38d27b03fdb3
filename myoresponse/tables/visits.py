"""Visit series as a long table: one row per patient visit in, the same rows scored out.

:func:`myoresponse.score_series_many` is :func:`~myoresponse.score_many`'s sibling for visit
series. Its input is the *long* table form: one row per patient visit, a patient's rows sharing
its ``id``. Each patient's rows become one :class:`~myoresponse.Series` — the first row the
baseline, the others the follow-up visits in table order — scored with the exact
:func:`~myoresponse.score_series`, so every visit row and every endpoint equals what the
per-patient path (:func:`~myoresponse.score_series`, :func:`~myoresponse.score_series_json`)
gives for that patient. The output is row-aligned with the input: a patient's baseline row becomes
its summary row with the endpoints, each follow-up row that visit's scored row.

Input columns:

- ``id`` (required): the patient. Rows with the same ``id`` are one patient; they need not be
  contiguous here (``myoresponse series --csv``, which streams, requires it).
- ``visit`` (required): the visit's label (``"baseline"``, ``"week 4"``); unique within a patient.
  A number is written as text (``4`` is ``"4"``).
- ``date`` (optional): ``YYYY-MM-DD`` text, a :class:`datetime.date`, or a pandas/numpy datetime
  (its date is used). Where given, dates must increase strictly from row to row of a patient.
- The measure columns **without prefix**: ``physician_global``, ``patient_global``, ``mmt``,
  ``haq`` (adults) or ``chaq`` (JDM), ``extramuscular``, the PRINTO keys ``cmas``, ``chq_phs``,
  ``das``, and the enzymes ``ck``, ``aldolase``, ``ast``, ``alt``, ``ldh`` with their upper limits
  of normal ``uln_<enzyme>``.
- Optional per-patient columns ``population``, ``subtype``, ``mmt_max``, ``global_max``; a
  keyword supplies any of them for every patient. These, and the ``uln_<enzyme>`` columns,
  describe the series as a whole: within a patient the non-empty cells must agree (empty cells
  take the patient's value).

An empty cell is a missing value, as for :func:`~myoresponse.score_many`. Other columns are
ignored; a ``baseline_``/``followup_`` column (the pair table) or an unknown ``uln_`` column is an
error.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, overload

import numpy as np
from numpy.typing import NDArray

from myoresponse._names import choice
from myoresponse.criteria import Category, CoreSet, Criteria, Population, criteria_for
from myoresponse.endpoints.definitions import IMACS_DOI_2004, PRINTO_LEVELS, RelativeDefinition
from myoresponse.endpoints.landmark import Landmark, landmark_of
from myoresponse.endpoints.series import DeteriorationRule, SeriesResult, _count, _score
from myoresponse.enzymes import Enzyme
from myoresponse.errors import (
    InputFormatError,
    InvalidValueError,
    MyoresponseError,
    UnknownFieldError,
)
from myoresponse.io.json import series_from_json  # TODO(issue 9): tables must not read JSON
from myoresponse.measures import Number, Scales
from myoresponse.options import Options
from myoresponse.subtypes import Subtype, emit
from myoresponse.tables._columns import (
    ENZYME_NAMES,
    VISIT_KEYS,
    Bools,
    Table,
    empty,
    is_frame,
    merged_keys,
    raw_cell,
)
from myoresponse.tables.mapping import apply_column_map
from myoresponse.tables.steroid_columns import attach_series_doses, read_steroid_doses

if TYPE_CHECKING:
    from pandas import DataFrame  # type: ignore[import-untyped,unused-ignore]

    from myoresponse.tables.frames import SeriesTables

__all__ = ["score_series_many"]

MEASURES: tuple[str, ...] = (*VISIT_KEYS, *ENZYME_NAMES)
"""The measure columns of the long table (no prefix)."""
_ULN = tuple(f"uln_{name}" for name in ENZYME_NAMES)
_SEPARATOR = ";"
_WARNING_SEPARATOR = " | "
_FIELD = re.compile(r"(baseline|visits\[(\d+)\])(?:\.(.*))?$")

Where = Callable[[int], str]


@overload
def score_series_many(
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
    level: Category | str = Category.MINIMAL,
    consecutive: int = 2,
    deterioration: DeteriorationRule | None = None,
    subtype: Subtype | str | None = None,
    errors: str = "mark",
    landmark: Landmark | str | None = None,
    landmark_day: int | None = None,
    window_days: int | None = None,
    responder_threshold: Any = None,
    column_map: Mapping[str, str] | None = None,
) -> SeriesTables: ...


@overload
def score_series_many(
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
    level: Category | str = Category.MINIMAL,
    consecutive: int = 2,
    deterioration: DeteriorationRule | None = None,
    subtype: Subtype | str | None = None,
    errors: str = "mark",
    landmark: Landmark | str | None = None,
    landmark_day: int | None = None,
    window_days: int | None = None,
    responder_threshold: Any = None,
    column_map: Mapping[str, str] | None = None,
) -> dict[str, NDArray[Any]]: ...


def score_series_many(
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
    level: Category | str = Category.MINIMAL,
    consecutive: int = 2,
    deterioration: DeteriorationRule | None = None,
    subtype: Subtype | str | None = None,
    errors: str = "mark",
    landmark: Landmark | str | None = None,
    landmark_day: int | None = None,
    window_days: int | None = None,
    responder_threshold: Any = None,
    column_map: Mapping[str, str] | None = None,
) -> dict[str, NDArray[Any]] | SeriesTables:
    """Score the visit series of a long table: one row per patient visit (see the module).

    ``columns`` maps column names to 1-D array-likes of one length (a dict of arrays, a pandas
    DataFrame). A patient's first row (in table order) is its baseline; its other rows are the
    follow-up visits in table order, with dates — where given — strictly increasing. Each patient
    is scored with the exact :func:`~myoresponse.score_series` (a Python loop over patients: about
    0.3 ms per visit, not the vectorised path of :func:`~myoresponse.score_many`).

    ``population``, ``mmt_max``, ``global_max``, ``core_set``, ``band_edges``, ``enzyme_rule``,
    ``missing``, ``enzyme``, ``enzyme_range_multiples``, ``chq_phs_range`` and ``subtype`` mean
    what they mean for :func:`~myoresponse.score_many` and the :class:`~myoresponse.Series`;
    ``level``, ``consecutive``, ``deterioration``, ``landmark``, ``landmark_day``,
    ``window_days`` and ``responder_threshold`` what they mean for
    :func:`~myoresponse.score_series`.

    Returns a dict of output column → numpy array, **row-aligned with the input** (two tidy
    tables when given a DataFrame, below). A patient's baseline row becomes its *patient* row,
    each follow-up row its *visit* row:

    - ``row``: ``"patient"`` or ``"visit"``; ``id``, ``visit`` and ``date`` (``YYYY-MM-DD`` or
      ``""``) as read. On a patient row ``visit`` and ``date`` are the baseline's.
    - Visit rows (NaN/``""`` on patient rows): ``total_improvement_score``, ``category``,
      ``enzyme``, ``points_<key>`` and ``change_<key>`` for the six measures, ``worsened_count``
      and ``partial`` — the columns of :func:`~myoresponse.score_many`, with its values for the
      pair baseline/visit; ``worsening``, the conditions of confirmed deterioration that held at
      the visit (``physician_global_and_strength``, ``extramuscular_global``,
      ``core_set_measures``) joined by ``";"`` (``""`` when none held, and on the PRINTO core set
      where they are not evaluated); ``met_imacs_doi_2004`` (IMACS core set) or ``met_printo_20``,
      ``met_printo_50``, ``met_printo_70``, ``met_printo_90`` (PRINTO core set): whether the visit
      meets the definition.
    - Patient rows (``""``/False on visit rows): ``first_minimal``, ``first_moderate``,
      ``first_major``, the label of the first visit at least in that category, and
      ``first_imacs_doi_2004`` (or ``first_printo_20`` … ``first_printo_90``), the first visit
      meeting the definition (``""`` when none does); ``consecutive_response`` (bool) and
      ``consecutive_visits``, the labels of its first run of visits joined by ``";"``;
      ``confirmed_deterioration`` (bool; False on the PRINTO core set, where it is not
      evaluated) and ``deterioration_visits``; ``landmark_visit`` (the landmark visit's label,
      ``""`` when there is none) and ``landmark_response`` (bool; False when no landmark was
      given); ``warnings``, the subtype warnings joined by ``" | "``.
    - ``error``: ``""`` or the message, on every row of a patient that could not be scored. It
      names the visit and the column, e.g. ``visit 'week 8' (row 5): physician_global: 11 is
      outside the scale 0 to 10 (scales.global_max)``. The patient's score and endpoint columns
      are then empty; other patients are unaffected.

    Given a DataFrame, the output is instead a :class:`~myoresponse.tables.frames.SeriesTables`
    of two tidy tables: ``.visits`` (the visit rows' columns, on the input's index, so
    ``frame.join(out.visits)`` works) and ``.patients`` (the patient rows' columns, indexed by
    ``id``, with ``baseline_visit`` and ``baseline_date`` as datetime64). There ``worsened_count``
    is ``Int64``, the flags (``partial``, ``met_*``, ``consecutive_response``,
    ``confirmed_deterioration``, ``landmark_response``) are ``boolean``, ``<NA>`` where they do not
    apply (a row in error, deterioration on the PRINTO core set, no landmark given), ``category``
    an ordered categorical, text ``string``, and every missing value ``<NA>``/NaN — never ``""``
    (:mod:`myoresponse.tables.frames`). Numpy has no missing boolean and gives False there.

    ``column_map`` renames input columns first: ``{"record_id": "id", "pga_vas":
    "physician_global"}``, a key the input's name, a value a column name above
    (:mod:`myoresponse.tables.mapping`).

    ``errors="raise"`` raises the first patient's error instead, with the patient named
    (``patient 'P-002': visit 'week 8' (row 5): physician_global: ...``). Invalid keywords, a
    missing ``id`` or ``visit`` column and pair-table columns raise at once. One
    :class:`~myoresponse.UnvalidatedSubtypeWarning` is emitted per distinct warning.

    >>> from myoresponse import score_series_many
    >>> out = score_series_many({
    ...     "id": ["A", "A", "A", "B", "B"],
    ...     "visit": ["baseline", "week 4", "week 8", "baseline", "week 4"],
    ...     "physician_global": [6, 3, 2, 5, 5],
    ...     "mmt": [56, 64, 68, 60, 60],
    ... }, population="adult", mmt_max=80, missing="zero")
    >>> out["row"].tolist()
    ['patient', 'visit', 'visit', 'patient', 'visit']
    >>> out["total_improvement_score"].tolist(), out["category"].tolist()
    ([nan, 27.5, 37.5, nan, 0.0], ['', 'minimal', 'minimal', '', 'none'])
    >>> out["first_minimal"].tolist(), out["consecutive_visits"].tolist()
    (['week 4', '', '', '', ''], ['week 4;week 8', '', '', '', ''])
    """
    mapped: Any = apply_column_map(columns, column_map, "long")  # a DataFrame is a Mapping here
    outcome = _run(
        mapped,
        {
            "population": population,
            "mmt_max": mmt_max,
            "global_max": global_max,
            "core_set": core_set,
            "band_edges": band_edges,
            "enzyme_rule": enzyme_rule,
            "missing": missing,
            "enzyme": enzyme,
            "enzyme_range_multiples": enzyme_range_multiples,
            "chq_phs_range": chq_phs_range,
            "level": level,
            "consecutive": consecutive,
            "deterioration": deterioration,
            "subtype": subtype,
            "errors": errors,
            "landmark": landmark,
            "landmark_day": landmark_day,
            "window_days": window_days,
            "responder_threshold": responder_threshold,
        },
        stacklevel=3,
    )
    output: dict[str, NDArray[Any]] | SeriesTables = outcome.output
    return output


# -- the run ------------------------------------------------------------------------------------


class _Outcome:
    """The output columns of one run, with the masks of the flags that do not apply."""

    def __init__(self, output: Any, columns: dict[str, Any], na: dict[str, Bools]) -> None:
        self.output = output
        self.columns = columns
        self.na = na


def _run(
    columns: Mapping[str, Any],
    keywords: Mapping[str, Any],
    *,
    groups: Sequence[Sequence[int]] | None = None,
    row_errors: Mapping[int, str] | None = None,
    where: Where | None = None,
    stacklevel: int = 2,
) -> _Outcome:
    """Score a long table; ``groups`` (rows of each patient) default to grouping by ``id``.

    ``row_errors`` maps a row to a message that makes its patient an error (the CSV reader's
    ragged and non-contiguous rows); ``where`` names a row in messages (``row 3``, ``line 5``).
    """
    table = _long_table(columns)
    run = _SeriesRun(table, **keywords)
    if groups is None:
        groups = _groups_by_id(run.ids)
    steroids = read_steroid_doses(table, "", where or table.label)  # glucocorticoid columns
    outcome = run.score(groups, {**steroids.errors, **(row_errors or {})}, where or table.label)
    if steroids.present:
        attach_series_doses(outcome.columns, outcome.output, steroids)
    emit(sorted(run.warned), stacklevel=stacklevel)
    return outcome


def _long_table(columns: Mapping[str, Any]) -> Table:
    if is_frame(columns) or isinstance(columns, Mapping):
        names = [str(name) for name in columns]
        for name in names:
            kind = name.partition("_")[0]
            if kind in ("baseline", "followup") or (kind == "uln" and name not in _ULN):
                raise UnknownFieldError(
                    f"{name!r} is not a column of the long table: one row per visit, with the "
                    f"measure columns {', '.join(MEASURES)} and uln_<enzyme> without a baseline_/"
                    "followup_ prefix (a table of baseline/follow-up pairs is for score_many)",
                    field=name,
                    value=name,
                )
        for name in ("id", "visit"):
            if name not in names:
                hint = ""
                frame: Any = columns
                if is_frame(frame) and name in (frame.index.names or ()):
                    hint = " (it is the DataFrame's index: use .reset_index())"
                raise InputFormatError(
                    f"is a required column{hint}: the patient's id and the visit's label on every "
                    "row",
                    field=name,
                )
    return Table(columns)


def _groups_by_id(ids: Sequence[Any]) -> list[list[int]]:
    """Rows of each patient in table order, patients in order of first appearance.

    A row with an empty ``id`` is a group of its own (reported as an error).
    """
    groups: dict[Any, list[int]] = {}
    alone: list[list[int]] = []
    order: list[list[int]] = []
    for row, ident in enumerate(ids):
        if ident is None:
            alone.append([row])
            order.append(alone[-1])
            continue
        try:
            rows = groups.get(ident)
        except TypeError:
            raise InvalidValueError(
                f"{ident!r} at row {row} is not a usable id (not hashable)", field="id"
            ) from None
        if rows is None:
            rows = groups[ident] = []
            order.append(rows)
        rows.append(row)
    return order


def _text_cell(raw: Any, row: int) -> Any:
    """A text-like cell: None when empty, numpy scalars as Python ones, text stripped."""
    cell = raw_cell(raw, row)
    if empty(cell):
        return None
    if isinstance(cell, np.generic):
        cell = cell.item()
    if isinstance(cell, str):
        return cell.strip()
    return cell


def _label_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _date_value(value: Any) -> Any:
    """A date cell as what :class:`~myoresponse.FollowUp` reads: a date, text, or None."""
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        value = value.astype("datetime64[D]").item()
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def _date_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class _SeriesRun:
    def __init__(
        self,
        table: Table,
        *,
        population: Population | str | None = None,
        mmt_max: Any = None,
        global_max: Any = None,
        core_set: CoreSet | str = CoreSet.IMACS,
        band_edges: str = "upper-inclusive",
        enzyme_rule: str = "range",
        missing: str = "error",
        enzyme: Enzyme | str | None = None,
        enzyme_range_multiples: Mapping[Any, Any] | None = None,
        chq_phs_range: Sequence[Any] | None = None,
        level: Category | str = Category.MINIMAL,
        consecutive: int = 2,
        deterioration: DeteriorationRule | None = None,
        subtype: Subtype | str | None = None,
        errors: str = "mark",
        landmark: Landmark | str | None = None,
        landmark_day: int | None = None,
        window_days: int | None = None,
        responder_threshold: Any = None,
    ) -> None:  # the defaults are score_series_many's
        if errors not in ("mark", "raise"):
            raise InvalidValueError(
                f"{errors!r} is not one of 'mark', 'raise'", field="errors", value=errors
            )
        self.table = table
        self.errors = errors
        self.core_set = choice(CoreSet, core_set, "core_set")
        self.population = (
            None if population is None else choice(Population, population, "population")
        )
        if self.population is not None:
            criteria_for(self.population, self.core_set)  # raises for adult + printo
        elif not table.has("population"):
            raise InputFormatError(
                "is required: pass population='adult' or 'juvenile', or give a population column",
                field="population",
            )
        options = Options(
            band_edges=band_edges,
            enzyme_rule=enzyme_rule,
            missing=missing,
            enzyme_range_multiples=enzyme_range_multiples,
        )
        self.options_json: dict[str, Any] = dict(options.to_dict())
        if enzyme_range_multiples:
            self.options_json["enzyme_range_multiples"] = dict(enzyme_range_multiples)
        scales = Scales(
            global_max=10 if global_max is None else global_max,
            mmt_max=mmt_max,
            enzyme=enzyme,
            chq_phs_range=chq_phs_range,
        )
        self.keyword_scales: dict[str, Any] = {}
        if global_max is not None:
            self.keyword_scales["global_max"] = global_max
        if mmt_max is not None:
            self.keyword_scales["mmt_max"] = mmt_max
        if scales.enzyme is not None:
            self.keyword_scales["enzyme"] = scales.enzyme.value
        if chq_phs_range is not None:
            self.keyword_scales["chq_phs_range"] = list(chq_phs_range)
        self.subtype = None if subtype is None else Subtype.parse(subtype).value
        self.level = choice(Category, level, "level")
        if self.level is Category.NONE:
            raise InvalidValueError(
                "'none' is not a response level; use minimal, moderate or major",
                field="level",
                value="none",
            )
        self.consecutive = _count(consecutive)
        if deterioration is not None and not isinstance(deterioration, DeteriorationRule):
            raise InputFormatError(
                f"must be a DeteriorationRule, got {type(deterioration).__name__}",
                field="deterioration",
            )
        self.deterioration = deterioration
        self.landmark = landmark_of(
            landmark,
            landmark_day=landmark_day,
            window_days=window_days,
            responder_threshold=responder_threshold,
        )
        imacs = self.core_set is CoreSet.IMACS
        self.definitions: tuple[RelativeDefinition, ...] = (
            (IMACS_DOI_2004,) if imacs else PRINTO_LEVELS
        )
        self.keys = merged_keys(self._criteria_sets())
        self.ids = [_text_cell(table.raw["id"], row) for row in range(table.size)]
        self.warned: set[str] = set()

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

    # -- scoring ----------------------------------------------------------------------------------

    def score(
        self, groups: Sequence[Sequence[int]], row_errors: Mapping[int, str], where: Where
    ) -> _Outcome:
        size = self.table.size

        def texts() -> NDArray[Any]:
            return np.full(size, "", dtype=object)

        self.kind = texts()
        self.visit, self.date = texts(), texts()
        self.tis = np.full(size, np.nan)
        self.category, self.enzyme = texts(), texts()
        self.points = {key: np.full(size, np.nan) for key in self.keys}
        self.change = {key: np.full(size, np.nan) for key in self.keys}
        self.worsened = np.full(size, np.nan)
        self.partial = np.zeros(size, dtype=bool)
        self.worsening = texts()
        self.met = {d.key: np.zeros(size, dtype=bool) for d in self.definitions}
        self.first = {
            c.value: texts() for c in (Category.MINIMAL, Category.MODERATE, Category.MAJOR)
        }
        self.first_met = {d.key: texts() for d in self.definitions}
        self.consecutive_response = np.zeros(size, dtype=bool)
        self.consecutive_visits = texts()
        self.confirmed = np.zeros(size, dtype=bool)
        self.deterioration_visits = texts()
        self.landmark_visit = texts()
        self.landmark_response = np.zeros(size, dtype=bool)
        self.landmark_evaluated = np.zeros(size, dtype=bool)
        self.warnings = texts()
        self.error = texts()
        self.scored_visit = np.zeros(size, dtype=bool)
        self.scored_patient = np.zeros(size, dtype=bool)
        self.evaluated = np.zeros(size, dtype=bool)  # confirmed deterioration evaluated
        for rows in groups:
            self._patient(list(rows), row_errors, where)
        return self._assemble()

    def _patient(self, rows: list[int], row_errors: Mapping[int, str], where: Where) -> None:
        table = self.table
        self.kind[rows[0]] = "patient"
        labels: list[str] = []
        dates: list[Any] = []
        for row in rows[1:]:
            self.kind[row] = "visit"
        for row in rows:
            labels.append(_label_text(_text_cell(table.raw["visit"], row)))
            date = None
            if table.has("date"):
                date = _date_value(_text_cell(table.raw["date"], row))
            dates.append(date)
            self.visit[row] = labels[-1]
            self.date[row] = _date_text(date)
        ident = self.ids[rows[0]]
        try:
            preset = next((row_errors[row] for row in rows if row in row_errors), None)
            if preset is not None:
                raise InputFormatError(preset)
            if ident is None:
                raise InvalidValueError(
                    f"is empty at {where(rows[0])}; every row needs its patient's id", field="id"
                )
            document = self._document(rows, labels, dates, where)
            series, _ = series_from_json(document)
            result = _score(
                series,
                level=self.level,
                consecutive=self.consecutive,
                deterioration=self.deterioration,
                landmark=self.landmark,
            )
        except MyoresponseError as error:
            message, column = _locate(error, rows, labels, where)
            if self.errors == "raise":
                located = type(error)(error.reason, field=column, value=error.value)
                located.args = (f"patient {ident!r}: {message}",)
                raise located from error
            for row in rows:
                self.error[row] = message
            return
        self._write(rows, result)

    def _constant(self, rows: list[int], name: str, where: Where) -> Any:
        """The one non-empty value of a per-patient column among ``rows`` (None if all empty)."""
        if not self.table.has(name):
            return None
        numeric = name != "population" and name != "subtype"
        found: tuple[int, Any] | None = None
        for row in rows:
            if numeric:
                value = self.table.numeric(name).cell(row)
            else:
                value = _text_cell(self.table.raw[name], row)
            if value is None:
                continue
            if found is None:
                found = (row, value)
            elif not _same(found[1], value):
                raise InvalidValueError(
                    f"differs between the rows of one patient: {found[1]!r} at {where(found[0])}, "
                    f"{value!r} at {where(row)}; it describes the whole series and must be the "
                    "same at every visit (or empty)",
                    field=name,
                    value=value,
                )
        return None if found is None else found[1]

    def _document(
        self, rows: list[int], labels: list[str], dates: list[Any], where: Where
    ) -> dict[str, Any]:
        """The JSON series object of one patient: what the per-patient path scores."""
        document: dict[str, Any] = {"core_set": self.core_set.value}
        population = self._constant(rows, "population", where)
        if population is None and self.population is not None:
            population = self.population.value
        if population is not None:
            document["population"] = population
        subtype = self._constant(rows, "subtype", where)
        subtype = self.subtype if subtype is None else subtype
        if subtype is not None:
            document["subtype"] = subtype
        scales = dict(self.keyword_scales)
        for name in ("global_max", "mmt_max"):
            value = self._constant(rows, name, where)
            if value is not None:
                scales[name] = value
        uln = {}
        for low, enzyme in ENZYME_NAMES.items():
            value = self._constant(rows, f"uln_{low}", where)
            if value is not None:
                uln[enzyme.value] = value
        if uln:
            scales["enzyme_uln"] = uln
        document["scales"] = scales
        document["options"] = self.options_json
        visits = []
        for position, row in enumerate(rows):
            name = "baseline" if position == 0 else f"visits[{position - 1}]"
            if not labels[position]:
                raise InvalidValueError(
                    "is required: a label for the visit such as 'week 4'",
                    field=f"{name}.label",
                )
            visit: dict[str, Any] = {"label": labels[position]}
            if dates[position] is not None:
                visit["date"] = dates[position]
            for key in VISIT_KEYS:
                if self.table.has(key):
                    value = self.table.numeric(key).cell(row)
                    if value is not None:
                        visit[key] = value
            enzymes = {}
            for low, enzyme in ENZYME_NAMES.items():
                if self.table.has(low):
                    value = self.table.numeric(low).cell(row)
                    if value is not None:
                        enzymes[enzyme.value] = value
            if enzymes:
                visit["enzymes"] = enzymes
            visits.append(visit)
        document["baseline"], document["visits"] = visits[0], visits[1:]
        return document

    def _write(self, rows: list[int], result: SeriesResult) -> None:
        for row, visit in zip(rows[1:], result.visits, strict=True):
            scored = visit.result
            self.tis[row] = float(scored.total_improvement_score)
            self.category[row] = scored.category.value
            self.enzyme[row] = "" if scored.enzyme is None else scored.enzyme.name.value
            for measure in scored.measures:
                self.points[measure.measure][row] = float(measure.points)
                change = measure.absolute_percent_change
                self.change[measure.measure][row] = np.nan if change is None else float(change)
            self.worsened[row] = len(scored.worsened)
            self.partial[row] = scored.partial
            self.worsening[row] = _SEPARATOR.join(c.value for c in visit.deterioration or ())
            for definition in visit.definitions:
                self.met[definition.definition.key][row] = definition.met
            self.scored_visit[row] = True
        head = rows[0]
        for category, label in result.first_reached.items():
            self.first[category.value][head] = label or ""
        for key, label in result.first_met.items():
            self.first_met[key][head] = label or ""
        self.consecutive_response[head] = result.consecutive_response.met
        self.consecutive_visits[head] = _SEPARATOR.join(result.consecutive_response.visits)
        if result.deterioration is not None:
            self.confirmed[head] = result.deterioration.met
            self.deterioration_visits[head] = _SEPARATOR.join(result.deterioration.visits)
            self.evaluated[head] = True
        if result.landmark is not None:
            self.landmark_visit[head] = result.landmark.visit or ""
            self.landmark_response[head] = result.landmark.met
            self.landmark_evaluated[head] = True
        self.warnings[head] = _WARNING_SEPARATOR.join(result.warnings)
        self.warned.update(result.warnings)
        self.scored_patient[head] = True

    # -- the output table ---------------------------------------------------------------------

    def _assemble(self) -> _Outcome:
        out: dict[str, Any] = {"row": self.kind}
        ident = self.table.raw["id"]
        out["id"] = ident.to_numpy() if hasattr(ident, "to_numpy") else np.asarray(ident)
        out["visit"], out["date"] = self.visit, self.date
        out["total_improvement_score"] = self.tis
        out["category"], out["enzyme"] = self.category, self.enzyme
        for key in self.keys:
            out[f"points_{key}"] = self.points[key]
        for key in self.keys:
            out[f"change_{key}"] = self.change[key]
        out["worsened_count"] = self.worsened
        out["partial"] = self.partial
        out["worsening"] = self.worsening
        na: dict[str, Bools] = {"partial": ~self.scored_visit}
        for key, met in self.met.items():
            out[f"met_{key}"] = met
            na[f"met_{key}"] = ~self.scored_visit
        for value, first in self.first.items():
            out[f"first_{value}"] = first
        for key, first in self.first_met.items():
            out[f"first_{key}"] = first
        out["consecutive_response"] = self.consecutive_response
        na["consecutive_response"] = ~self.scored_patient
        out["consecutive_visits"] = self.consecutive_visits
        out["confirmed_deterioration"] = self.confirmed
        na["confirmed_deterioration"] = ~self.evaluated
        out["deterioration_visits"] = self.deterioration_visits
        out["landmark_visit"] = self.landmark_visit
        out["landmark_response"] = self.landmark_response
        na["landmark_response"] = ~self.landmark_evaluated
        out["warnings"] = self.warnings
        out["error"] = self.error
        if self.table.frame is None:
            return _Outcome(out, out, na)
        from myoresponse.tables.frames import series_tables  # given a DataFrame

        return _Outcome(series_tables(out, na, self.table.frame), out, na)


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _locate(
    error: MyoresponseError, rows: list[int], labels: list[str], where: Where
) -> tuple[str, str | None]:
    """The message of a patient's error, naming the visit (label and row) and the column."""
    name = error.field or ""
    place = None
    match = _FIELD.match(name)
    if match:
        position = 0 if match[1] == "baseline" else int(match[2]) + 1
        label = labels[position] if position < len(labels) else ""
        row = rows[min(position, len(rows) - 1)]
        place = f"visit {label!r} ({where(row)})" if label else f"the visit at {where(row)}"
        name = match[3] or ""
    column = _column(name)
    parts = [part for part in (place, column) if part]
    return ": ".join([*parts, error.reason]), column


def _column(name: str) -> str | None:
    """The column of the long table that a field of the JSON series object comes from."""
    if not name:
        return None
    if name == "label":
        return "visit"
    if name.startswith("enzymes."):
        return name[len("enzymes.") :].lower()
    if name.startswith("scales.enzyme_uln."):
        return "uln_" + name[len("scales.enzyme_uln.") :].lower()
    if name in ("scales.global_max", "scales.mmt_max"):
        return name[len("scales.") :]
    return name
