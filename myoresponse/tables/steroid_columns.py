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

from myoresponse._exact import exact
from myoresponse.errors import InputFormatError, InvalidValueError, MyoresponseError
from myoresponse.instruments.steroids import SteroidDose
from myoresponse.tables._columns import STEROID_COLUMN, Floats, Table, empty, raw_cell

__all__ = ["DOSE_COLUMN", "SteroidDoses", "read_steroid_doses"]

DOSE_COLUMN = "prednisone_equivalent_mg_per_day"
"""The output column (``baseline_``/``followup_`` prefixed in the pair table)."""

_DIRECT = "prednisone_mg_per_day"
_PARTS = ("steroid_drug", "steroid_dose_mg", "steroid_frequency")


class SteroidDoses:
    """The prednisone-equivalent mg/day of every row (``None``: not recorded) and row errors.

    ``present`` says whether the table has any glucocorticoid column at all (with that prefix).
    """

    def __init__(self, doses: list[Fraction | None], errors: dict[int, str], present: bool) -> None:
        self.doses = doses
        self.errors = errors
        self.present = present

    def floats(self) -> Floats:
        """The doses as float64, NaN where not recorded or in error."""
        return np.array([np.nan if d is None else float(d) for d in self.doses], dtype=np.float64)


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
        return SteroidDoses([None] * table.size, {}, False)
    suffixes = sorted({name.rpartition("_")[2] for name in found if name[-1].isdigit()}, key=int)
    sets = [tuple(f"{prefix}{part}" for part in _PARTS)]
    sets += [tuple(f"{prefix}{part}_{suffix}" for part in _PARTS) for suffix in suffixes]
    direct = f"{prefix}{_DIRECT}"
    doses: list[Fraction | None] = []
    errors: dict[int, str] = {}
    for row in range(table.size):
        try:
            doses.append(_row(table, row, direct, sets))
        except MyoresponseError as error:
            doses.append(None)
            errors[row] = f"{label(row)}: {error}"
    return SteroidDoses(doses, errors, bool(found))


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
            f"{value!r} is negative; a dose is 0 mg or more", field=name, value=value
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
    the message in ``error`` unless the row already has one); ``errors="raise"`` raises the
    first such message.
    """
    read = {kind: read_steroid_doses(table, f"{kind}_") for kind in ("baseline", "followup")}
    if not any(doses.present for doses in read.values()):
        return output
    failed = {**read["followup"].errors, **read["baseline"].errors}
    if failed and errors == "raise":
        raise InputFormatError(failed[min(failed)])
    for kind, doses in read.items():
        output[f"{kind}_{DOSE_COLUMN}"] = doses.floats()
    for row, message in sorted(failed.items()):
        _empty_row(output, row, message)
    return output


def _empty_row(output: Any, row: int, message: str) -> None:
    frame = hasattr(output, "iloc")
    for name in list(output.keys()):
        if name == "id" or name.endswith(DOSE_COLUMN):
            continue
        column = output[name]
        if name == "error":
            current = column.iloc[row] if frame else column[row]
            value: Any = message if empty(current) else current
        elif frame and str(column.dtype) in ("Int64", "boolean", "category", "string"):
            import pandas as pd  # type: ignore[import-untyped,unused-ignore]  # a DataFrame

            value = pd.NA
        else:
            kind = column.dtype.kind
            value = np.nan if kind == "f" else False if kind == "b" else ""
        if frame:
            output.iloc[row, output.columns.get_loc(name)] = value
        else:
            column[row] = value
