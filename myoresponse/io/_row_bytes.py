"""Output rows assembled column-wise as bytes (private; the CSV commands' fast write).

An output column holds few distinct texts (points, categories, changes on grids, one message per
problem): each is rendered once, as the :mod:`csv` writer renders that field, and encoded to
UTF-8 as a row of a small byte table padded with zeros. A column's cells are picked from its
table; the columns, the commas and the line ends are laid side by side in one byte matrix, and
dropping the zero padding leaves the output lines, the same bytes the writer would have written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["ByteColumn", "byte_column", "joined_rows"]

ByteColumn = NDArray[np.uint8]
"""A column's cells as rows of UTF-8 bytes, padded with zeros."""

_SPECIAL = (",", '"', "\r", "\n")  # what makes the csv writer quote a field (QUOTE_MINIMAL)


def _rendered(text: str) -> str:
    """``text`` as the CSV writer writes it inside a row of several fields."""
    if not any(mark in text for mark in _SPECIAL):
        return text
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([text, ""])
    return buffer.getvalue()[:-2]


def byte_column(texts: Sequence[str], where: NDArray[np.intp]) -> ByteColumn | None:
    """The column whose cell ``i`` is ``texts[where[i]]``; ``None`` if a text holds a NUL or is
    not a string."""
    if not all(isinstance(text, str) for text in texts):
        return None
    table = _ascii_table(texts)
    if table is None:
        encoded = [_rendered(text).encode("utf-8") for text in texts]
        if any(b"\x00" in text for text in encoded):
            return None
        widest = max((len(text) for text in encoded), default=0)
        table = np.array(encoded, dtype=f"S{max(widest, 1)}").view(np.uint8)
        table = table.reshape(len(encoded), -1)
    return table[where]


def _ascii_table(texts: Sequence[str]) -> NDArray[np.uint8] | None:
    """The texts as a byte table in one step, if all are ASCII without a NUL or a quoted mark."""
    joined = "".join(texts)
    if not joined.isascii() or any(mark in joined for mark in (*_SPECIAL, "\x00")):
        return None
    table = np.array(texts, dtype=bytes)
    if table.itemsize == 0 or not table.size:
        return None
    return table.view(np.uint8).reshape(table.size, -1)


def joined_rows(columns: list[ByteColumn]) -> bytes:
    """The CSV lines (``,``-separated, ``\\n``-ended) of the rows of ``columns``."""
    size = columns[0].shape[0]
    comma = np.full((size, 1), ord(","), dtype=np.uint8)
    parts: list[Any] = []
    for column in columns:
        parts += [column, comma]
    parts[-1] = np.full((size, 1), ord("\n"), dtype=np.uint8)
    matrix = np.concatenate(parts, axis=1).reshape(-1)
    text: bytes = matrix[matrix != 0].tobytes()
    return text
