"""Visit labels as small integer codes: each distinct label read and made a string once.

A long table repeats a handful of labels (``"baseline"``, ``"week 4"``) over thousands of rows.
Reading them once per distinct cell, and handling them as codes, keeps the label work of
:func:`~myoresponse.score_series_many` off the per-row path: the ``visit`` column is one ``take``
from the distinct texts, a repeated label within a patient is an integer comparison, and the labels
of a run of visits are joined once per distinct run.

A numpy text column is factorized by a hash of its code points, and the hash is then *checked*:
every cell must equal the representative of its code (one vectorised comparison), so a hash
collision can only send the column to the exact sort (:func:`numpy.unique`), never merge two
labels. A label is read as :func:`~myoresponse.tables._columns.text_cell` reads a cell (stripped,
``""``/``"NA"``/``"NaN"`` empty) and written as text (a whole float as an integer: ``4.0`` is
``"4"``); an empty cell is the label ``""``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from myoresponse.tables._columns import TextColumn, text_cell

__all__ = ["Labels", "differs_from_previous", "factorize", "read_labels"]

Indices = NDArray[np.intp]

_MIX = np.uint64(0x9E3779B97F4A7C15)  # an odd 64-bit multiplier (the golden ratio's bits)


class Labels:
    """Visit labels per row: ``codes`` into ``texts`` (distinct, ``str``), ``empty`` the code of
    ``""`` (-1 when no label is empty)."""

    def __init__(self, codes: Indices, texts: Sequence[str]) -> None:
        distinct: dict[str, int] = {}
        remap = np.fromiter(
            (distinct.setdefault(text, len(distinct)) for text in texts), np.intp, len(texts)
        )
        same = remap.size == len(distinct)  # no two cells read as one label
        self.codes: Indices = codes if same else remap.take(codes)
        self.texts = np.empty(len(distinct), dtype=object)
        self.texts[:] = list(distinct)
        self.empty = distinct.get("", -1)
        self._objects: NDArray[np.object_] | None = None

    @property
    def objects(self) -> NDArray[np.object_]:
        """The label of every row as an object array (one ``take``; the strings are shared)."""
        if self._objects is None:
            self._objects = self.texts.take(self.codes)
        return self._objects

    def join(self, rows: Indices, separator: str) -> NDArray[np.object_]:
        """Per line of ``rows`` (a 2-D array of rows), their labels joined by ``separator``:
        each distinct sequence of labels is joined once."""
        count, length = rows.shape
        if count == 0 or length == 0:
            return np.full(count, "", dtype=object)
        key = self.codes.take(rows[:, 0])
        base = max(self.texts.size, 1)
        if base**length <= _DENSE:  # a sequence's code: its labels' codes as digits in ``base``
            for step in range(1, length):
                key *= base
                key += self.codes.take(rows[:, step])
            line = np.empty(base**length, dtype=np.intp)
            line.fill(-1)
            line[key] = np.arange(count, dtype=np.intp)  # a line of each sequence
            used = np.flatnonzero(line >= 0)
            joined = np.empty(line.size, dtype=object)
            joined[used] = [
                separator.join(self.texts.take(self.codes.take(one)).tolist())
                for one in rows[line[used]]
            ]
            return joined.take(key)  # type: ignore[no-any-return,unused-ignore]
        for step in range(1, length):  # codes of the sequences so far, kept below count
            _, key = np.unique(
                key * self.texts.size + self.codes.take(rows[:, step]), return_inverse=True
            )
            key = key.reshape(-1)
        _, where, key = np.unique(key, return_index=True, return_inverse=True)
        texts = np.empty(where.size, dtype=object)
        texts[:] = [
            separator.join(self.texts.take(self.codes.take(line)).tolist()) for line in rows[where]
        ]
        return texts.take(key.reshape(-1))  # type: ignore[no-any-return,unused-ignore]


def read_labels(raw: Any) -> Labels:
    """The labels of a ``visit`` column (a numpy array, a list, a pandas Series)."""
    if isinstance(raw, np.ndarray) and raw.dtype.kind == "U" and raw.ndim == 1:
        codes, distinct = factorize(np.ascontiguousarray(raw))
        column = TextColumn(distinct)  # each distinct cell read once
        assert column.text is not None
        return Labels(codes, column.text.tolist())
    cells = raw.tolist() if hasattr(raw, "tolist") else list(raw)
    known: dict[tuple[type, Any], int] = {}
    texts: list[str] = []
    codes = np.empty(len(cells), dtype=np.intp)
    for row, cell in enumerate(cells):
        key: tuple[type, Any] | None = None
        code = None
        if type(cell) in _SAME_WHEN_EQUAL:  # equal cells of these types read the same
            key = (type(cell), cell)
            code = known.get(key)
        if code is None:
            code = len(texts)
            texts.append(_label_text(text_cell(cells, row)))
            if key is not None:
                known[key] = code
        codes[row] = code
    return Labels(codes, texts)


_SAME_WHEN_EQUAL = frozenset({str, int, float, bool, type(None)})
"""Cell types whose equal values have one text (``Decimal("4.00") == Decimal("4")`` do not)."""


def _label_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def factorize(text: NDArray[np.str_]) -> tuple[Indices, NDArray[np.str_]]:
    """Codes per cell and the distinct cells of a text array (a checked hash, else a sort)."""
    if text.size == 0 or text.dtype.itemsize == 0:
        return np.zeros(text.size, dtype=np.intp), text[:1]
    wide = text.dtype.itemsize % 8 == 0  # two code points per 64-bit word
    points = text.view(np.uint64 if wide else np.uint32).reshape(text.size, -1)
    hashed = np.zeros(text.size, dtype=np.uint64)
    for column in range(points.shape[1]):
        hashed ^= points[:, column]
        hashed *= _MIX
    codes = _slot_codes(hashed)
    if codes is None:
        _, inverse = np.unique(hashed, return_inverse=True)
        codes = inverse.reshape(-1).astype(np.intp, copy=False)
    first = np.empty(int(codes.max()) + 1, dtype=np.intp)
    first[codes] = np.arange(text.size, dtype=np.intp)  # a row of each code
    distinct = text.take(first)
    if not _all_equal(points.take(first, axis=0), codes, points):  # a collision: sort instead
        distinct, inverse = np.unique(text, return_inverse=True)
        codes = inverse.reshape(-1).astype(np.intp, copy=False)
    return codes, distinct


_SLOT_BITS = 12  # at most 16
_TOP = 3 if sys.byteorder == "little" else 0  # the uint16 holding a uint64's top bits
_DENSE = 1 << 12  # sequences of labels coded densely up to this many possible sequences


def _slot_codes(hashed: NDArray[np.uint64]) -> Indices | None:
    """Codes of the distinct hashes without a sort, by their top bits (a slot each), when no
    two distinct hashes share a slot (checked); else None."""
    top = hashed.view(np.uint16)[_TOP::4]  # the hashes' top 16 bits (no 64-bit shift)
    slots = (top >> np.uint16(16 - _SLOT_BITS)).astype(np.intp)
    row = np.empty(1 << _SLOT_BITS, dtype=np.intp)
    row.fill(-1)
    row[slots] = np.arange(hashed.size, dtype=np.intp)  # a row of each slot
    if not (hashed.take(np.maximum(row, 0)).take(slots) == hashed).all():
        return None
    used = row >= 0
    return np.cumsum(used, dtype=np.intp).take(slots) - 1  # type: ignore[no-any-return,unused-ignore]


_BLOCK = 1 << 14  # rows compared at once: the text arrays of a block stay small


def _all_equal(distinct: NDArray[Any], codes: Indices, points: NDArray[Any]) -> bool:
    """Whether every cell equals the distinct cell of its code, compared as code points (the
    padding of a short cell is 0, as numpy compares text)."""
    return all(
        bool((distinct.take(codes[i : i + _BLOCK], axis=0) == points[i : i + _BLOCK]).all())
        for i in range(0, codes.size, _BLOCK)
    )


def differs_from_previous(text: NDArray[np.str_]) -> NDArray[np.bool_]:
    """For cells ``1 … n-1`` of a text array, whether the cell differs from the one before:
    compared as code points a column at a time (faster than comparing text, which is
    elementwise)."""
    if text.size < 2 or text.dtype.itemsize == 0:
        return np.zeros(max(text.size - 1, 0), dtype=bool)
    wide = text.dtype.itemsize % 8 == 0
    points = text.view(np.uint64 if wide else np.uint32).reshape(text.size, -1)
    differs = points[1:, 0] != points[:-1, 0]
    for column in range(1, points.shape[1]):
        differs |= points[1:, column] != points[:-1, column]
    return differs  # type: ignore[no-any-return,unused-ignore]
