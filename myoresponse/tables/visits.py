"""Visit series as a long table: one row per patient visit in, the same rows scored out.

:func:`myoresponse.score_series_many` is :func:`~myoresponse.score_many`'s sibling for visit
series. Its input is the *long* table form: one row per patient visit, a patient's rows sharing
its ``id``. Each patient's rows are one :class:`~myoresponse.Series` — the first row the
baseline, the others the follow-up visits in table order — and every visit row and every endpoint
equals what the per-patient path (:func:`~myoresponse.score_series`,
:func:`~myoresponse.score_series_json`) gives for that patient. All baseline/visit pairs are scored
at once by the columnar engine of :func:`~myoresponse.score_many` and the endpoints computed from
per-visit flags grouped by patient (``myoresponse.tables._visit_pairs``); a patient the fast path
cannot decide (an error, an odd cell, a landmark, non-default deterioration conventions) is scored
whole by the exact :func:`~myoresponse.score_series`. The output is row-aligned with the input: a
patient's baseline row becomes its summary row with the endpoints, each follow-up row that visit's
scored row.

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

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, overload

import numpy as np
from numpy.typing import NDArray

from myoresponse.criteria import Category, CoreSet, Population
from myoresponse.endpoints.landmark import Landmark
from myoresponse.endpoints.series import DeteriorationRule
from myoresponse.enzymes import Enzyme
from myoresponse.errors import (
    InputFormatError,
    InvalidValueError,
    MyoresponseError,
    UnknownFieldError,
)
from myoresponse.measures import Number
from myoresponse.subtypes import Subtype, emit
from myoresponse.tables._columns import (
    ENZYME_NAMES,
    VISIT_KEYS,
    Table,
    TextColumn,
    is_frame,
)
from myoresponse.tables._dates import VisitDates
from myoresponse.tables._labels import Labels, read_labels
from myoresponse.tables._patients import SeriesSettings, score_patient
from myoresponse.tables._series_output import Outcome, SeriesColumns
from myoresponse.tables._visit_pairs import Patients, score_fast
from myoresponse.tables.mapping import apply_column_map
from myoresponse.tables.steroid_columns import attach_series_doses, read_steroid_doses
from myoresponse.tables.terms import in_user_columns, user_columns

if TYPE_CHECKING:
    from pandas import DataFrame  # type: ignore[import-untyped,unused-ignore]

    from myoresponse.tables.frames import SeriesTables

__all__ = ["score_series_many"]

MEASURES: tuple[str, ...] = (*VISIT_KEYS, *ENZYME_NAMES)
"""The measure columns of the long table (no prefix)."""
_ULN = tuple(f"uln_{name}" for name in ENZYME_NAMES)

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
    follow-up visits in table order, with dates — where given — strictly increasing. The visit
    pairs go through the vectorised engine of :func:`~myoresponse.score_many`; a patient it cannot
    decide is scored by the exact :func:`~myoresponse.score_series` (see the module).

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
      outside the scale 0 to 10 (global_max=10)``; a value of the other visit of the pair is
      named ``<column> at baseline`` or ``<column> at follow-up``
      (:mod:`myoresponse.tables.terms`). The patient's score and endpoint columns are then
      empty; other patients are unaffected.

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
    with user_columns(column_map):  # messages name a renamed column by the caller's name
        outcome = score_long_table(
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


def score_long_table(
    columns: Mapping[str, Any],
    keywords: Mapping[str, Any],
    *,
    groups: Sequence[Sequence[int]] | None = None,
    row_errors: Mapping[int, str] | None = None,
    where: Where | None = None,
    stacklevel: int = 2,
) -> Outcome:
    """Score a long table; ``groups`` (rows of each patient) default to grouping by ``id``.

    ``row_errors`` maps a row to a message that makes its patient an error (the CSV reader's
    ragged and non-contiguous rows); ``where`` names a row in messages (``row 3``, ``line 5``).
    """
    try:
        table = _long_table(columns)
    except MyoresponseError as error:  # a whole column: named as the caller's table names it
        raise in_user_columns(error) from None
    settings = SeriesSettings.from_keywords(table, **keywords)
    id_column = TextColumn(table.raw["id"])
    if groups is not None:
        patients = Patients.from_groups(groups)
    elif id_column.text is not None and not id_column.empty.any():
        patients = Patients.by_id(id_column.text)
    else:
        patients = Patients.from_groups(_groups_by_id(id_column.values.tolist()))
    out = SeriesColumns(table, settings.table.keys, settings.definitions)
    labels, dates = _visits(table, patients, out)
    steroids = read_steroid_doses(table, "", _at_visit(labels, where or table.label))
    errors = {**steroids.errors, **(row_errors or {})}
    odd = id_column.empty.copy()
    for row in errors:
        odd[row] = True
    for name in table.names:
        if name in MEASURES:
            column = table.numeric(name)
            if column.odd is not None:
                odd |= column.odd
    endpoints = settings.endpoints
    slow = score_fast(table, settings.table, endpoints, patients, labels, dates, odd, out)
    locate = where or table.label
    for index in np.flatnonzero(slow).tolist():
        rows = patients.group(index)
        preset = next((errors[row] for row in rows if row in errors), None)
        visits = labels.objects[rows].tolist()
        when = [None] * len(rows) if dates is None else [dates.value(r) for r in rows]
        cells = (id_column.values[rows[0]], visits, when)
        score_patient(table, settings, out, rows, cells, preset, locate)
    emit(sorted(out.warned), stacklevel=stacklevel)
    outcome = out.assemble()
    if steroids.present:
        attach_series_doses(outcome.columns, outcome.output, steroids)
    return outcome


def _at_visit(labels: Labels, locate: Where) -> Where:
    """Names a row as the other long-table messages do: ``visit 'week 4' (row 3)``."""

    def place(row: int) -> str:
        label = labels.objects[row]
        return f"visit {label!r} ({locate(row)})" if label else f"the visit at {locate(row)}"

    return place


def _visits(
    table: Table, patients: Patients, out: SeriesColumns
) -> tuple[Labels, VisitDates | None]:
    """Per row: the visit label (as codes) and the dates (None without a ``date`` column),
    written to the ``row``/``visit``/``date`` columns."""
    labels = read_labels(table.raw["visit"])
    dates = None
    if table.has("date"):
        dates = VisitDates(table.raw["date"], table.size)
        out.date = dates.texts
    out.visit = labels.objects
    out.kind = np.empty(table.size, dtype=object)
    out.kind.fill("visit")
    out.kind[patients.heads] = "patient"
    return labels, dates


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
