"""Whole patients through the exact scalar path: their Series built from cells, then scored.

A patient the fast path (:mod:`._visit_pairs`) does not decide is built into a
:class:`~myoresponse.Series` from its cells (:mod:`._fallback`) and scored with the scalar
endpoints; an error names the patient's visit (label and row) and the column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from myoresponse._names import choice
from myoresponse.criteria import Category, CoreSet
from myoresponse.endpoints.definitions import IMACS_DOI_2004, PRINTO_LEVELS, RelativeDefinition
from myoresponse.endpoints.deterioration import count
from myoresponse.endpoints.landmark import Landmark, landmark_of
from myoresponse.endpoints.series import DeteriorationRule, Series, evaluate_series
from myoresponse.errors import InputFormatError, InvalidValueError, MyoresponseError
from myoresponse.subtypes import Subtype
from myoresponse.tables._columns import ENZYME_NAMES, VISIT_KEYS, Table, text_cell
from myoresponse.tables._fallback import VisitCells, patient_series
from myoresponse.tables._series_output import SeriesColumns
from myoresponse.tables._settings import TableSettings
from myoresponse.tables.terms import TableTerms, long_terms

__all__ = ["SeriesSettings", "score_patient"]

_FIELD = re.compile(r"(baseline|visits\[(\d+)\])(?:\.(.*))?$")

Where = Callable[[int], str]


@dataclass(frozen=True)
class SeriesSettings:
    """The checked keywords of :func:`~myoresponse.score_series_many`: the table's and the
    series endpoints'."""

    table: TableSettings
    subtype: str | None
    level: Category
    consecutive: int
    deterioration: DeteriorationRule | None
    landmark: Landmark | None
    definitions: tuple[RelativeDefinition, ...]

    @classmethod
    def from_keywords(
        cls,
        table: Table,
        *,
        level: Category | str = Category.MINIMAL,
        consecutive: int = 2,
        deterioration: DeteriorationRule | None = None,
        subtype: Subtype | str | None = None,
        landmark: Landmark | str | None = None,
        landmark_day: int | None = None,
        window_days: int | None = None,
        responder_threshold: Any = None,
        **keywords: Any,
    ) -> SeriesSettings:
        settings = TableSettings.from_keywords(table, **keywords)
        parsed = None if subtype is None else Subtype.parse(subtype).value
        chosen = choice(Category, level, "level")
        if chosen is Category.NONE:
            raise InvalidValueError(
                "'none' is not a response level; use minimal, moderate or major",
                field="level",
                value="none",
            )
        window = count(consecutive)
        if deterioration is not None and not isinstance(deterioration, DeteriorationRule):
            raise InputFormatError(
                f"must be a DeteriorationRule, got {type(deterioration).__name__}",
                field="deterioration",
            )
        wanted = landmark_of(
            landmark,
            landmark_day=landmark_day,
            window_days=window_days,
            responder_threshold=responder_threshold,
        )
        imacs = settings.core_set is CoreSet.IMACS
        return cls(
            table=settings,
            subtype=parsed,
            level=chosen,
            consecutive=window,
            deterioration=deterioration,
            landmark=wanted,
            definitions=(IMACS_DOI_2004,) if imacs else PRINTO_LEVELS,
        )

    @property
    def endpoints(self) -> dict[str, Any]:
        """The endpoint parameters, as the fast path reads them."""
        return {
            "level": self.level,
            "consecutive": self.consecutive,
            "deterioration": self.deterioration,
            "landmark": self.landmark,
            "subtype": self.subtype,
            "definitions": self.definitions,
        }


def score_patient(
    table: Table,
    settings: SeriesSettings,
    out: SeriesColumns,
    rows: list[int],
    cells: tuple[Any, Sequence[str], Sequence[Any]],
    preset: str | None,
    where: Where,
) -> None:
    """Score one patient with the scalar path into ``out`` (or its error on every row).

    ``cells`` are the patient's id and its visits' labels and dates.
    """
    ident, labels, dates = cells
    try:
        if preset is not None:
            raise InputFormatError(preset)
        if ident is None:
            raise InvalidValueError(
                f"is empty at {where(rows[0])}; every row needs its patient's id", field="id"
            )
        series = _series(table, settings, rows, labels, dates, where)
        result = evaluate_series(
            series,
            level=settings.level,
            consecutive=settings.consecutive,
            deterioration=settings.deterioration,
            landmark=settings.landmark,
        )
    except MyoresponseError as error:
        message, column = _locate(error, rows, labels, where, long_terms(table.names))
        if settings.table.errors == "raise":
            located = type(error)(error.reason, field=column, value=error.value)
            located.args = (f"patient {ident!r}: {message}",)
            raise located from error
        for row in rows:
            out.error[row] = message
        return
    out.write(rows, result)
    out.warned.update(result.warnings)


def _constant(table: Table, rows: list[int], name: str, where: Where) -> Any:
    """The one non-empty value of a per-patient column among ``rows`` (None if all empty)."""
    if not table.has(name):
        return None
    numeric = name != "population" and name != "subtype"
    found: tuple[int, Any] | None = None
    for row in rows:
        value = table.numeric(name).cell(row) if numeric else text_cell(table.raw[name], row)
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


def _series(
    table: Table,
    settings: SeriesSettings,
    rows: list[int],
    labels: Sequence[str],
    dates: Sequence[Any],
    where: Where,
) -> Series:
    """The :class:`~myoresponse.Series` of one patient, built from its cells."""
    shared = settings.table
    population = _constant(table, rows, "population", where)
    if population is None and shared.population is not None:
        population = shared.population.value
    subtype = _constant(table, rows, "subtype", where)
    subtype = settings.subtype if subtype is None else subtype
    scales: dict[str, Any] = {}
    if shared.global_max is not None:
        scales["global_max"] = shared.global_max
    if shared.mmt_max is not None:
        scales["mmt_max"] = shared.mmt_max
    if shared.pin is not None:
        scales["enzyme"] = shared.pin
    if shared.chq_phs_range is not None:
        scales["chq_phs_range"] = shared.chq_phs_range
    for name in ("global_max", "mmt_max"):
        value = _constant(table, rows, name, where)
        if value is not None:
            scales[name] = value
    uln = {}
    for low, enzyme in ENZYME_NAMES.items():
        value = _constant(table, rows, f"uln_{low}", where)
        if value is not None:
            uln[enzyme.value] = value
    if uln:
        scales["enzyme_uln"] = uln
    visits = []
    for position, row in enumerate(rows):
        if not labels[position]:
            name = "baseline" if position == 0 else f"visits[{position - 1}]"
            raise InvalidValueError(
                "is required: a label for the visit such as 'week 4'", field=f"{name}.label"
            )
        visits.append(VisitCells(labels[position], dates[position], _values(table, row)))
    return patient_series(
        population=population,
        core_set=shared.core_set,
        subtype=subtype,
        scales=scales,
        options=shared.options,
        visits=visits,
    )


def _values(table: Table, row: int) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in VISIT_KEYS:
        if table.has(key):
            value = table.numeric(key).cell(row)
            if value is not None:
                values[key] = value
    enzymes = {}
    for low, enzyme in ENZYME_NAMES.items():
        if table.has(low):
            value = table.numeric(low).cell(row)
            if value is not None:
                enzymes[enzyme.value] = value
    if enzymes:
        values["enzymes"] = enzymes
    return values


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _locate(
    error: MyoresponseError,
    rows: list[int],
    labels: Sequence[str],
    where: Where,
    terms: TableTerms,
) -> tuple[str, str | None]:
    """The message of a patient's error, naming the visit (label and row) and the column, in
    the long table's ``terms``."""
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
    if column == "enzymes":
        column = terms.enzymes("")
    elif column is not None:
        column = terms(column) if "." in column else terms.column(column)
    parts = [part for part in (place, column) if part]
    return ": ".join([*parts, terms(error.reason)]), column


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
