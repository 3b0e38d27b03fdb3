"""CSV cells to numbers and back, column by column (private; the fast edge of the CSV commands).

Reading: a column's cells are parsed once per distinct text (a cohort column holds a few hundred
distinct values, not a million). A plain decimal of at most 15 characters (``2.2``, ``-1``,
``131``) becomes its float64, which the table code reads back at its shortest repr — the decimal
written, since a double keeps 15 significant digits. Empty and ``NA``/``NaN`` cells are NaN. Any
other cell (an exponent, more digits, a word) is odd: a column with odd cells is handed over as
objects, floats for the plain cells and the cell's text for the odd ones, so that the table code
reads that text exactly as it reads any text.

Writing: each distinct value of a float column is formatted once and the cells are picked from
those strings; booleans pick from two strings. No per-cell Python formatting.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from itertools import islice
from typing import Any

import numpy as np
from numpy.typing import NDArray

from myoresponse.errors import InputFormatError

__all__ = ["Records", "cells_to_text", "distinct_texts", "text_to_numbers"]

_PLAIN = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")
_MISSING = frozenset({"", "na", "nan"})


class _Parsed(dict[str, float]):
    """Text → float, parsed on first sight; odd texts are NaN here and remembered in ``odd``."""

    def __init__(self) -> None:
        super().__init__()
        self.odd: set[str] = set()

    def __missing__(self, text: str) -> float:
        clean = text.strip()
        value = np.nan
        if len(clean) <= 15 and _PLAIN.fullmatch(clean):
            value = float(clean)
        elif clean.lower() not in _MISSING:
            self.odd.add(text)
        self[text] = value
        return value


def text_to_numbers(cells: Sequence[str]) -> NDArray[Any]:
    """A column of CSV cells as float64, or as objects (floats, odd texts) if it has odd cells."""
    parsed = _Parsed()
    values = np.fromiter(map(parsed.__getitem__, cells), dtype=np.float64, count=len(cells))
    if not parsed.odd:
        return values
    odd = np.fromiter(map(parsed.odd.__contains__, cells), dtype=bool, count=len(cells))
    mixed = values.astype(object)
    mixed[odd] = np.array(cells, dtype=object)[odd]
    return mixed


def cells_to_text(column: NDArray[Any], name: str, error: NDArray[Any]) -> list[Any]:
    """An output column as CSV cells: shortest-repr floats, empty for NaN and for rows in error."""
    texts, where = distinct_texts(column, name, error)
    return np.array(texts, dtype=object)[where].tolist()  # type: ignore[no-any-return]


def distinct_texts(
    column: NDArray[Any], name: str, error: NDArray[Any]
) -> tuple[list[str], NDArray[np.intp]]:
    """An output column as its distinct cell texts and, per row, which of them is its cell.

    Floats are written at their shortest repr (counts as whole numbers), NaN as an empty cell;
    booleans as ``true``/``false``, empty in a row in error; text as it is.
    """
    kind = column.dtype.kind
    if kind == "f":
        missing = np.isnan(column)
        if name == "worsened_count":  # a count: whole numbers
            column = np.where(missing, 0, column).astype(np.int64)
        distinct, where = np.unique(column, return_inverse=True)
        where = where.reshape(-1)
        where[missing] = distinct.size
        return [*distinct.astype(str).tolist(), ""], where
    if kind == "b":
        where = column.astype(np.intp)
        where[error != ""] = 2
        return ["false", "true", ""], where
    if kind == "U":
        distinct, where = np.unique(column, return_inverse=True)
        return distinct.tolist(), where.reshape(-1)
    where = np.zeros(column.shape[0], dtype=np.intp)  # text: mostly empty (``error``)
    present = np.flatnonzero(column != "")
    index: dict[Any, int] = {"": 0}
    where[present] = [index.setdefault(cell, len(index)) for cell in column[present].tolist()]
    return list(index), where


class Records:
    """The rows of a CSV reader in chunks, with the physical line each starts on.

    Blank lines are skipped and counted. Line numbers cost nothing for files whose records are
    one line each; a chunk with a quoted cell spanning lines counts that cell's line breaks.
    """

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self.offset = 0  # lines read before ``reader`` started
        self.blank = 0
        self.first_blank = 0

    def take(self, count: int) -> tuple[list[int], list[list[str]]]:
        """Up to ``count`` records that are not blank, and the lines they start on."""
        while True:
            lines, rows = self._chunk(count)
            if not lines or [] not in rows:
                return lines, rows
            keep = [index for index, row in enumerate(rows) if row]
            blank = [line for line, row in zip(lines, rows, strict=True) if not row]
            self.blank += len(blank)
            self.first_blank = self.first_blank or blank[0]
            if keep:
                return [lines[index] for index in keep], [rows[index] for index in keep]

    def _chunk(self, count: int) -> tuple[list[int], list[list[str]]]:
        reader = self.reader
        start = self.offset + reader.line_num + 1
        try:
            rows = list(islice(reader, count))
        except csv.Error as error:
            raise InputFormatError(f"line {self.offset + reader.line_num}: {error}") from None
        if self.offset + reader.line_num - start + 1 == len(rows):  # one line per record
            return list(range(start, start + len(rows))), rows
        lines = []
        line = start
        for row in rows:
            lines.append(line)
            line += 1 + sum(cell.count("\n") for cell in row)
        return lines, rows

    def notes(self) -> list[str]:
        """One line about skipped blank lines, or none."""
        if not self.blank:
            return []
        plural = "s" if self.blank > 1 else ""
        return [f"skipped {self.blank} blank line{plural} (the first is line {self.first_blank})"]
