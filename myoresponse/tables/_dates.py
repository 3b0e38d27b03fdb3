"""The ``date`` column of a long table, read once for the whole table.

Per row: the day number the fast path compares (an ordinal of :class:`datetime.date`, or
:data:`NONE`/:data:`BAD`), the text of the output's ``date`` column, and on demand the value the
scalar path reads (:meth:`VisitDates.value`). A ``datetime64`` column is converted as a whole, a
numpy text column once per distinct text (registries repeat dates); other columns cell by cell.
"""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from myoresponse.endpoints.series import read_date
from myoresponse.errors import MyoresponseError
from myoresponse.tables._columns import TextColumn, raw_cell, text_cell
from myoresponse.tables._labels import factorize

__all__ = ["BAD", "NONE", "VisitDates", "date_text", "date_value"]

NONE = -1
"""The day of a row without a date."""
BAD = -2
"""The day of a row whose date the fast path cannot read (the scalar path names the problem)."""

_EPOCH = datetime.date(1970, 1, 1).toordinal()
_FIRST = datetime.date.min.toordinal() - _EPOCH  # datetime64 days that a date can hold
_LAST = datetime.date.max.toordinal() - _EPOCH


class VisitDates:
    """The ``date`` cells of a long table: ``days`` and ``texts`` per row (see the module)."""

    def __init__(self, raw: Any, size: int) -> None:
        self.raw = raw
        self.days: NDArray[np.int64]
        self.texts: NDArray[np.object_]
        self.days, self.texts = _read(raw, size)

    def value(self, row: int) -> Any:
        """The date of ``row`` as :class:`~myoresponse.FollowUp` reads it: a date, text or None."""
        cell = raw_cell(self.raw, row)
        if isinstance(cell, np.datetime64):  # its day (``.item()`` of a ns value is an int)
            return date_value(cell)
        return date_value(text_cell(self.raw, row))


def date_value(value: Any) -> Any:
    """A date cell as what :class:`~myoresponse.FollowUp` reads: a date, text, or None."""
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        value = value.astype("datetime64[D]").item()
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def date_text(value: Any) -> str:
    """A date value as the output's ``date`` column shows it (``YYYY-MM-DD``, ``""`` for none)."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _read(raw: Any, size: int) -> tuple[NDArray[np.int64], NDArray[np.object_]]:
    values = raw.to_numpy() if hasattr(raw, "to_numpy") else raw
    if isinstance(values, np.ndarray) and values.ndim == 1 and values.dtype.kind == "M":
        read = _datetimes(values)
        if read is not None:
            return read
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":  # beyond a date's years
        cells = [date_value(cell) for cell in values]
        return _cells(cells, size)
    column = TextColumn(raw)
    if column.text is not None:  # numpy text, empty cells "": each distinct text read once
        codes, distinct = factorize(np.ascontiguousarray(column.text))
        numbers = np.array([_day(text) for text in distinct.tolist()], dtype=np.int64)
        return numbers.take(codes), column.text.astype(object)
    return _cells([date_value(cell) for cell in column.values.tolist()], size)


def _cells(values: list[Any], size: int) -> tuple[NDArray[np.int64], NDArray[np.object_]]:
    """Days and texts of date values read one at a time (each distinct text parsed once)."""
    days = np.empty(size, dtype=np.int64)
    texts = np.empty(size, dtype=object)
    known: dict[str, int] = {}
    for row, value in enumerate(values):
        texts[row] = date_text(value)
        if isinstance(value, str):
            if value not in known:
                known[value] = _day(value)
            days[row] = known[value]
        elif value is None:
            days[row] = NONE
        elif isinstance(value, datetime.date):
            days[row] = value.toordinal()
        else:
            days[row] = BAD  # other values: the scalar path reads (or rejects) them
    return days, texts


def _datetimes(
    values: NDArray[np.datetime64],
) -> tuple[NDArray[np.int64], NDArray[np.object_]] | None:
    """A ``datetime64`` column as days and texts; None when a value is beyond what a date holds
    (the cell-by-cell reading then rejects it as the scalar path does)."""
    days = values.astype("datetime64[D]")
    missing = np.isnat(days)
    number = days.astype(np.int64)
    present = number[~missing]
    if present.size and not ((present >= _FIRST) & (present <= _LAST)).all():
        return None
    ordinal = np.where(missing, NONE, number + _EPOCH).astype(np.int64)
    # the texts of the distinct days, made once each (a registry has few distinct dates)
    distinct, code = _distinct_days(np.where(missing, 0, number))
    shown = np.datetime_as_string(distinct.astype("datetime64[D]"), unit="D").astype(object)
    texts = shown.take(code)
    texts[missing] = ""
    return ordinal, texts


def _distinct_days(number: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.intp]]:
    """The distinct day numbers and each row's index among them (by counting when the days
    span a short range, else by a sort)."""
    if number.size == 0:
        return number, np.zeros(0, dtype=np.intp)
    low, high = int(number.min()), int(number.max())
    if high - low < 4 * number.size + 1024:
        offset = number - low
        seen = np.bincount(offset, minlength=high - low + 1) > 0
        index = np.cumsum(seen) - 1
        return (np.flatnonzero(seen) + low).astype(np.int64), index.take(offset)
    distinct, inverse = np.unique(number, return_inverse=True)
    return distinct, inverse.reshape(-1)


def _day(text: str) -> int:
    """The ordinal of a date text, :data:`NONE` for an empty cell, :data:`BAD` if not a date."""
    if not text:
        return NONE
    try:
        parsed = read_date(text)
    except MyoresponseError:
        return BAD
    return NONE if parsed is None else parsed.toordinal()
