"""A chunk of plain CSV lines read column-wise from its bytes (private; the fast CSV read).

Most cohort files are plain: no quote character, no carriage return but in ``\\r\\n`` line ends, no
blank line, every line with the header's number of cells. For such a chunk, :mod:`csv` would split
each line at the delimiter and nothing else, so the chunk is split here without making a Python
string per cell: the delimiters and line ends are found in the chunk's UTF-8 bytes, and a column is
the start and length of each of its cells. A chunk that is not plain returns ``None`` and is read
by the :mod:`csv` module as before.

Numbers are parsed column-wise too. A cell of at most 15 characters made of digits, one optional
point and an optional leading sign (the cells that :mod:`myoresponse.io._cells` calls plain) is
its mantissa, a whole number below 10**15 and so exact in a float64, divided by a power of ten
below 10**16, exact too: IEEE division rounds once, so the quotient is the correctly rounded
float64 of the decimal, the same float as ``float(cell)``. Every other non-empty cell (spaces,
``NA``, an exponent, more digits, a word) goes to :func:`~myoresponse.io._cells.text_to_numbers`,
which reads it as it reads any cell.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from itertools import chain, islice
from typing import Any

import numpy as np
from numpy.typing import NDArray

from myoresponse.io._cells import Records, text_to_numbers

__all__ = ["LineChunks", "PlainChunk", "plain_chunk"]

_PLAIN_WIDTH = 15  # as _cells: a double keeps 15 significant digits
_WIDE_TEXT = 256  # a text column wider than this is decoded cell by cell, not as a byte matrix
_DIGIT_0, _DIGIT_9, _POINT, _PLUS, _MINUS, _COMMA = 48, 57, 46, 43, 45, 44


class PlainChunk:
    """The cells of a plain chunk: ``data`` (its bytes) and per cell its start and length."""

    def __init__(self, data: NDArray[np.uint8], starts: NDArray[np.intp], ends: NDArray[np.intp]):
        self.data = data
        self.starts = starts
        self.lengths = ends - starts
        self.size = starts.shape[0]
        self._matrices: dict[int, NDArray[np.uint8] | None] = {}

    def cell(self, row: int, column: int) -> str:
        """The text of one cell."""
        start = int(self.starts[row, column])
        return bytes(self.data[start : start + int(self.lengths[row, column])]).decode("utf-8")

    def row(self, row: int) -> list[str]:
        """The cells of one row, as :mod:`csv` reads them."""
        return [self.cell(row, column) for column in range(self.starts.shape[1])]

    def byte_matrix(self, column: int) -> NDArray[np.uint8] | None:
        """A column's cells as rows of UTF-8 bytes padded with zeros; ``None`` if very wide."""
        if column not in self._matrices:
            self._matrices[column] = self._byte_matrix(column)
        return self._matrices[column]

    def _byte_matrix(self, column: int) -> NDArray[np.uint8] | None:
        lengths = self.lengths[:, column]
        width = int(lengths.max()) if self.size else 0
        if width > _WIDE_TEXT:
            return None
        offsets = np.arange(max(width, 1))
        inside = offsets < lengths[:, None]
        where = np.minimum(self.starts[:, column, None] + offsets, self.data.size - 1)
        return np.where(inside, self.data[where], 0).astype(np.uint8)

    def texts(self, column: int) -> NDArray[Any]:
        """A text column as a numpy string array (what ``np.array(cells, dtype=str)`` gives)."""
        matrix = self.byte_matrix(column)
        if matrix is None:
            return np.array([self.cell(row, column) for row in range(self.size)], dtype=str)
        packed: NDArray[Any] = np.ascontiguousarray(matrix).view(f"S{matrix.shape[1]}")
        packed = packed.reshape(self.size)
        if matrix.size and matrix.max() >= 0x80:
            decoded: NDArray[np.str_] = np.char.decode(packed, "utf-8")  # numpy 1.24+
            return decoded
        return packed.astype(str)

    def numbers(self, column: int) -> NDArray[Any]:
        """A measure column as :func:`~myoresponse.io._cells.text_to_numbers` reads it."""
        lengths = self.lengths[:, column]
        width = min(int(lengths.max()) if self.size else 0, _PLAIN_WIDTH)
        values = np.full(self.size, np.nan)
        empty = lengths == 0
        if width:
            values, plain = self._plain_numbers(column, width)
            odd = ~plain & ~empty
        else:
            odd = ~empty
        if not odd.any():
            return values
        rows = np.flatnonzero(odd)
        parsed = text_to_numbers([self.cell(int(row), column) for row in rows])
        if parsed.dtype == object:
            values = values.astype(object)
        values[rows] = parsed
        return values

    def _plain_numbers(self, column: int, width: int) -> tuple[NDArray[np.float64], NDArray[Any]]:
        """The column's values where its cells are plain, and which cells are plain.

        The cells' bytes are laid out place by place (one row of the matrix per character
        place), so that every step is a whole-array operation over the rows.
        """
        lengths = self.lengths[:, column]
        inside = np.arange(width)[:, None] < lengths
        codes = self.data[self.starts[:, column] + np.arange(width)[:, None]]  # data is padded
        digits = codes - np.uint8(_DIGIT_0)  # wraps round for a byte below '0'
        digit = inside & (digits <= 9)
        point = inside & (codes == _POINT)
        signed = (codes[0] == _PLUS) | (codes[0] == _MINUS)
        plain = (lengths > 0) & (lengths <= _PLAIN_WIDTH) & (digit | point | ~inside).all(axis=0)
        plain |= (
            (lengths > 1)
            & (lengths <= _PLAIN_WIDTH)
            & signed
            & (digit[1:] | point[1:] | ~inside[1:]).all(axis=0)
        )
        plain &= (point.sum(axis=0, dtype=np.int8) <= 1) & digit.any(axis=0)
        mantissa = np.zeros(self.size)
        decimals = np.zeros(self.size, dtype=np.int8)
        after_point = np.zeros(self.size, dtype=bool)
        for place in range(width):
            here = digit[place]
            mantissa = np.where(here, mantissa * 10 + digits[place], mantissa)
            after_point |= point[place]
            decimals += here & after_point
        values = mantissa / 10.0**decimals
        values = np.where(codes[0] == _MINUS, -values, values)
        values[~plain] = np.nan
        return values, plain

    def has_comma(self, column: int) -> bool:
        """Whether a cell of the column holds a comma (a cell the CSV writer would quote)."""
        matrix = self.byte_matrix(column)
        return matrix is None or bool((matrix == _COMMA).any())


def plain_chunk(lines: list[str], delimiter: str, width: int, limit: int) -> PlainChunk | None:
    """The ``lines`` (a chunk of a file) as a :class:`PlainChunk`, or ``None`` if not plain.

    ``width`` is the header's number of cells (at least 2, else ``None``: a one-column table's
    blank line would look like an empty cell) and ``limit`` the longest cell the CSV reader takes.
    """
    if width < 2 or not lines:
        return None
    text = "".join(lines)
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    if '"' in text or "\x00" in text:
        return None
    if not text.endswith("\n"):
        text += "\n"
    data = np.frombuffer(text.encode("utf-8") + bytes(_PLAIN_WIDTH), dtype=np.uint8)  # padded
    ends = np.flatnonzero((data == ord(delimiter)) | (data == ord("\n")))
    if ends.size != len(lines) * width:
        return None
    kinds = data[ends].reshape(len(lines), width)
    if (kinds[:, -1] != ord("\n")).any() or (kinds[:, :-1] != ord(delimiter)).any():
        return None
    starts = np.empty_like(ends)
    starts[0] = 0
    starts[1:] = ends[:-1] + 1
    if (ends - starts).max() > limit:
        return None
    return PlainChunk(data, starts.reshape(-1, width), ends.reshape(-1, width))


class _Done:
    """A reader that has read nothing (yet): no lines to count."""

    line_num = 0


class LineChunks(Records):
    """The records after the header in chunks of lines: a plain chunk as a :class:`PlainChunk`,
    any other through the :mod:`csv` module (as :class:`~myoresponse.io._cells.Records`).

    ``reader`` is the :mod:`csv` reader that read the header and ``source`` the lines it reads
    from; both are read in turn, never at once, since the reader reads no line ahead.
    """

    def __init__(self, reader: Any, source: Iterator[str], width: int) -> None:
        super().__init__(reader)
        self.dialect = reader.dialect
        self.source = source
        self.width = width

    def take_chunk(self, count: int) -> tuple[Sequence[int], PlainChunk | list[list[str]]]:
        """The next ``count`` lines: the plain chunk and its rows' line numbers, or the rows of
        the records that start on those lines and theirs (:meth:`Records.take`); none at the end.
        """
        self.offset += self.reader.line_num
        self.reader = _Done()
        raw = list(islice(self.source, count))
        if not raw:
            return [], []
        chunk = plain_chunk(raw, self.dialect.delimiter, self.width, csv.field_size_limit())
        if chunk is not None:
            self.offset += len(raw)
            return range(self.offset - len(raw) + 1, self.offset + 1), chunk
        self.reader = csv.reader(chain(raw, self.source), dialect=self.dialect)
        return self.take(len(raw))
