"""Glucocorticoid doses given as table columns: each row's prednisone-equivalent mg/day.

Two forms, which one table may mix row by row:

- ``prednisone_mg_per_day``: the dose already as prednisone-equivalent mg/day;
- ``steroid_drug``, ``steroid_dose_mg`` and ``steroid_frequency`` (optional; once daily when
  empty), converted exactly with :mod:`myoresponse.instruments.steroids`. Further drugs taken at
  the same time go in ``steroid_drug_2``, ``steroid_dose_mg_2``, ``steroid_frequency_2``, then
  ``_3`` and so on; their prednisone equivalents are added.

In the pair table of :func:`~myoresponse.score_many` every name takes the ``baseline_`` or
``followup_`` prefix; the long table of :func:`~myoresponse.score_series_many` uses them bare.
An empty cell means **not recorded** (``None``, NaN in the output), never 0 mg: write 0 for a
patient who takes no glucocorticoid. A row that gives both forms, a drug without a dose (or the
reverse), an unknown drug or frequency, and a negative or non-numeric dose are errors naming the
row and the column; they do not stop the other rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from myoresponse._exact import exact, written
from myoresponse.errors import InputFormatError, InvalidValueError, MyoresponseError
from myoresponse.instruments.steroids import SteroidDose
from myoresponse.tables._columns import (
    STEROID_COLUMN,
    Floats,
    Table,
    TextColumn,
    empty,
    raw_cell,
)
from myoresponse.tables.terms import in_user_columns

__all__ = ["DOSE_COLUMN", "SteroidDoses", "read_steroid_doses"]

DOSE_COLUMN = "prednisone_equivalent_mg_per_day"
"""The output column (``baseline_``/``followup_`` prefixed in the pair table)."""

_DIRECT = "prednisone_mg_per_day"
_PARTS = ("steroid_drug", "steroid_dose_mg", "steroid_frequency")


class SteroidDoses:
    """The prednisone-equivalent mg/day of every row (``None``: not recorded) and row errors.

    Held as the distinct doses and, per row, the index of its dose (rows with the same cells share
    one). ``errors`` holds each bad row's message with the row named, ``reasons`` the same
    without it (for a row-aligned error column). ``present`` says whether the table has any
    glucocorticoid column at all (with that prefix).
    """

    def __init__(
        self,
        distinct: list[Fraction | None],
        index: NDArray[np.intp],
        errors: dict[int, str],
        present: bool,
        reasons: dict[int, str] | None = None,
    ) -> None:
        self.distinct = distinct
        self.index = index
        self.errors = errors
        self.reasons = errors if reasons is None else reasons
        self.present = present

    @property
    def doses(self) -> list[Fraction | None]:
        """The dose of every row."""
        return [self.distinct[i] for i in self.index.tolist()]

    def floats(self) -> Floats:
        """The doses as float64, NaN where not recorded or in error."""
        values = np.array([np.nan if d is None else float(d) for d in self.distinct])
        return values[self.index] if values.size else np.full(self.index.size, np.nan)


def read_steroid_doses(
    columns: Mapping[str, Any] | Table,
    prefix: str = "",
    where: Callable[[int], str] | None = None,
) -> SteroidDoses:
    """Read the glucocorticoid columns named ``prefix`` + name (see the module) of every row.

    ``where`` names a row in messages (default ``row N``, the DataFrame index label for a
    DataFrame).

    >>> from myoresponse.tables.steroid_columns import read_steroid_doses
    >>> doses = read_steroid_doses({
    ...     "prednisone_mg_per_day": [20, None, None],
    ...     "steroid_drug": [None, "methylprednisolone", None],
    ...     "steroid_dose_mg": [None, 8, None],
    ...     "steroid_frequency": [None, "twice daily", None],
    ... })
    >>> doses.doses, doses.errors
    ([Fraction(20, 1), Fraction(20, 1), None], {})
    """
    table = columns if isinstance(columns, Table) else Table(columns)
    label = where or table.label
    names = [name for name in table.names if name.startswith(prefix)]
    found = [name[len(prefix) :] for name in names if STEROID_COLUMN.match(name[len(prefix) :])]
    if not found:  # no glucocorticoid column: nothing recorded, and no per-row pass
        return SteroidDoses([None], np.zeros(table.size, dtype=np.intp), {}, False)
    suffixes = sorted({name.rpartition("_")[2] for name in found if name[-1].isdigit()}, key=int)
    sets = [tuple(f"{prefix}{part}" for part in _PARTS)]
    sets += [tuple(f"{prefix}{part}_{suffix}" for part in _PARTS) for suffix in suffixes]
    direct = f"{prefix}{_DIRECT}"
    present = [name for name in (direct, *(n for names in sets for n in names)) if table.has(name)]
    first, group = _same_cells(table, present)
    distinct: list[Fraction | None] = []
    failed: dict[int, str] = {}  # per group, its error
    for number, row in enumerate(first.tolist()):  # one row read per distinct set of cells
        try:
            distinct.append(_row(table, row, direct, sets))
        except MyoresponseError as error:
            distinct.append(None)
            failed[number] = str(in_user_columns(error))  # the caller's column names
    errors: dict[int, str] = {}
    reasons: dict[int, str] = {}
    if failed:
        bad = np.flatnonzero(np.isin(group, list(failed)))
        for row, number in zip(bad.tolist(), group[bad].tolist(), strict=True):
            reasons[row] = failed[number]
            errors[row] = f"{label(row)}: {failed[number]}"
    return SteroidDoses(distinct, group, errors, True, reasons)


def _same_cells(table: Table, names: list[str]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Rows grouped by their cells in ``names`` as read: a first row per group, each row's group.

    Doses repeat across a registry (20 mg, 7.5 mg, not recorded), so each distinct set of cells
    is read and converted once, not each row.
    """
    pattern = np.zeros(table.size, dtype=np.int64)
    radix = 1
    for name in names:
        codes, size = _cell_codes(table.raw[name], table.size)
        if radix * size >= 1 << 62:  # renumber the groups so far before the product overflows
            _, inverse = np.unique(pattern, return_inverse=True)
            pattern = inverse.reshape(-1).astype(np.int64)
            radix = int(pattern.max(initial=0)) + 1
        pattern = pattern * size + codes
        radix *= size
    _, first, group = np.unique(pattern, return_index=True, return_inverse=True)
    return first.astype(np.intp), group.reshape(-1).astype(np.intp)


def _cell_codes(raw: Any, size: int) -> tuple[NDArray[np.int64], int]:
    """Per row a code, equal for cells :func:`_cell` reads as the same value, and their count."""
    values = raw.to_numpy() if hasattr(raw, "to_numpy") else raw
    if isinstance(values, np.ndarray) and values.ndim == 1 and values.dtype.kind in "fiu":
        _, codes = np.unique(values, return_inverse=True)  # NaNs (empty) fall together
        return codes.reshape(-1).astype(np.int64), int(codes.max(initial=0)) + 1
    cells = TextColumn(raw)
    if cells.text is not None:  # a numpy text column, empty cells ""
        _, codes = np.unique(cells.text, return_inverse=True)
        return codes.reshape(-1).astype(np.int64), int(codes.max(initial=0)) + 1
    seen: dict[tuple[type, Any], int] = {}
    out = np.empty(size, dtype=np.int64)
    for row, cell in enumerate(cells.values.tolist()):
        if type(cell) in _SAME_WHEN_EQUAL:  # the type too: True and 1 are equal, not the same
            out[row] = seen.setdefault((type(cell), cell), len(seen))
        else:  # Decimal("-5") == Decimal("-5.0") but messages show each as written: its own
            out[row] = len(seen)
            seen[(object, row)] = len(seen)
    return out, max(len(seen), 1)


_SAME_WHEN_EQUAL = frozenset({str, int, float, bool, type(None)})


def _cell(table: Table, name: str, row: int) -> Any:
    if not table.has(name):
        return None
    cell = raw_cell(table.raw[name], row)
    if empty(cell):
        return None
    if isinstance(cell, np.generic):
        cell = cell.item()
    return cell.strip() if isinstance(cell, str) else cell


def _number(value: Any, name: str) -> Fraction:
    # as the user wrote it: -5 for a text cell "-5" (not Decimal('-5')), -5.0 for a float
    shown = value if isinstance(value, str) else written(value)
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except InvalidOperation:
            raise InvalidValueError(
                f"{value!r} is not a number of mg", field=name, value=value
            ) from None
    number = exact(value, name)
    if number < 0:
        raise InvalidValueError(
            f"{shown} is negative; a dose is 0 mg or more", field=name, value=value
        )
    return number


def _row(table: Table, row: int, direct: str, sets: list[tuple[str, ...]]) -> Fraction | None:
    given = _cell(table, direct, row)
    drugs = [(names, [_cell(table, name, row) for name in names]) for names in sets]
    named = [names for names, cells in drugs if any(cell is not None for cell in cells)]
    if given is not None and named:
        raise InputFormatError(
            f"{direct} and {named[0][0]} are both given; give the dose as prednisone-equivalent "
            f"mg/day in {direct} or as drug, dose and frequency, not both",
            field=direct,
        )
    if given is not None:
        return _number(given, direct)
    if not named:
        return None
    total = Fraction(0)
    for (drug_name, dose_name, frequency_name), (drug, dose, frequency) in drugs:
        if drug is None and dose is None and frequency is None:
            continue
        if drug is None or dose is None:
            missing = drug_name if drug is None else dose_name
            raise InputFormatError(
                f"is empty where {dose_name if drug is None else drug_name} is given; a dose "
                "needs both the drug and the dose in mg",
                field=missing,
            )
        try:
            prescription = SteroidDose(
                drug, _number(dose, dose_name), "once daily" if frequency is None else frequency
            )
        except MyoresponseError as error:
            column = {"drug": drug_name, "dose_mg": dose_name, "frequency": frequency_name}
            raise type(error)(
                error.reason, field=column.get(error.field or "", error.field), value=error.value
            ) from None
        total += prescription.prednisone_equivalent_daily
    return total


def attach_series_doses(columns: dict[str, Any], output: Any, doses: SteroidDoses) -> None:
    """Add the dose column to ``score_series_many``'s row-aligned ``columns`` and its ``output``.

    For a dict the output is those columns. For a DataFrame's two tables, ``visits`` gets
    ``prednisone_equivalent_mg_per_day`` (the visit's dose) and ``patients`` gets
    ``baseline_prednisone_equivalent_mg_per_day``.
    """
    values = doses.floats()
    columns[DOSE_COLUMN] = values
    if output is columns:
        return
    kind = np.asarray(columns["row"])
    output.visits[DOSE_COLUMN] = values[kind == "visit"]
    output.patients[f"baseline_{DOSE_COLUMN}"] = values[kind == "patient"]


def attach_pair_doses(output: Any, table: Table, errors: str) -> Any:
    """Add the baseline/follow-up dose columns of a pair table to ``score_many``'s output.

    A row whose glucocorticoid cells are invalid becomes a row in error (its scores emptied,
    the message in ``error`` unless the row already has one; like the other messages of the
    row-aligned ``error`` column it does not repeat the row); ``errors="raise"`` raises the
    first such message, with its row named.
    """
    read = {kind: read_steroid_doses(table, f"{kind}_") for kind in ("baseline", "followup")}
    if not any(doses.present for doses in read.values()):
        return output
    failed = {**read["followup"].reasons, **read["baseline"].reasons}  # baseline's first
    if failed and errors == "raise":
        first = min(failed)
        raise InputFormatError(f"{table.label(first)}: {failed[first]}")
    for kind, doses in read.items():
        output[f"{kind}_{DOSE_COLUMN}"] = doses.floats()
    if failed:
        rows = np.array(sorted(failed), dtype=np.intp)
        _empty_rows(output, rows, [failed[row] for row in rows.tolist()])
    return output


def _empty_rows(output: Any, rows: NDArray[np.intp], messages: list[str]) -> None:
    """Rows in error: their scores emptied, their message in ``error`` unless they have one."""
    frame = hasattr(output, "iloc")
    for name in list(output.keys()):
        if name == "id" or name.endswith(DOSE_COLUMN):
            continue
        column = output[name]
        if name == "error":
            current = (column.iloc[rows] if frame else column[rows]).tolist()
            value: Any = [m if empty(c) else c for c, m in zip(current, messages, strict=True)]
        elif frame and str(column.dtype) in ("Int64", "boolean", "category", "string"):
            import pandas as pd  # type: ignore[import-untyped,unused-ignore]  # a DataFrame

            value = pd.NA
        else:
            kind = column.dtype.kind
            value = np.nan if kind == "f" else False if kind == "b" else ""
        if frame:
            output.iloc[rows, output.columns.get_loc(name)] = value
        else:
            column[rows] = value
