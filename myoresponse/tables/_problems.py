"""Rows in error, found column-wise: which rows, which problem comes first, and its message.

The columnar engine records two things per row. *Undecided* rows are those it cannot settle
(an odd cell, a guard that fails, a scale that does not resolve, any error kind not listed below):
they go to the exact scalar path whole. For the other rows it records the first *problem* in the
order the scalar path checks them, as a code whose order is that order:

=====================  =====================================================  ==================
stage (scalar order)   problem                                                code
=====================  =====================================================  ==================
0: the visits built    a negative value, baseline then follow-up, in the      ``side, field,
                       visit's field order (enzymes in panel order)           enzyme``
1: the rules scored    a value outside its scale (baseline, then follow-up),  ``rule, part``
                       a follow-up value without a baseline value
2: missing measures    a missing measure under ``missing="error"``, a         pattern of missing
                       required one under ``"zero"``                          places
=====================  =====================================================  ==================

A row's message depends only on its criteria set, its code, the offending value and its scale
(stages 0–1), or the pattern of missing places (stage 2). :func:`messages` groups the rows by
that key and asks the scalar path once per distinct key, with one row of the group: the message
is the scalar path's own by construction (put in the table's terms once per key), and a cohort
with many incomplete rows costs a handful of scalar calls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from myoresponse.errors import MyoresponseError
from myoresponse.measures import MEASURE_KEYS

__all__ = ["NONE", "Problems", "messages", "missing_code", "negative_code", "rule_code"]

Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]
Codes = NDArray[np.int32]

NONE = np.iinfo(np.int32).max
"""The code of a row without a problem."""

_STAGE = 100_000
PLACES = 16
"""Missing places per rule are digits of this base in a missing pattern (codes below 16)."""


def negative_code(side: str, key: str, enzyme: int = 0) -> int:
    """Stage 0: a negative value of ``key`` (``enzymes`` with the enzyme's index) at ``side``."""
    return (0 if side == "baseline" else 1000) + MEASURE_KEYS.index(key) * 10 + enzyme


def rule_code(rule: int, part: int) -> int:
    """Stage 1: rule ``rule`` (table order); ``part`` 0/1 baseline/follow-up outside the scale,
    2 a follow-up value without baseline (an enzyme's part is its index)."""
    return _STAGE + rule * 10 + part


def missing_code() -> int:
    """Stage 2: missing measures (the pattern of places is the row's value)."""
    return 2 * _STAGE


class Problems:
    """The undecided rows of a block and, for the others, the first problem and its value."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.undecided = np.zeros(size, dtype=bool)
        self.code: Codes | None = None
        self.value: Floats | None = None
        self.scale: Floats | None = None
        self._whole: tuple[Problems, slice] | None = None  # of a part: the table's, its rows

    def part(self, rows: slice) -> Problems:
        """The problems of the consecutive ``rows``, recorded straight into this table's
        arrays (views: nothing to copy back with :meth:`put`)."""
        part = Problems(0)
        part.size = rows.stop - rows.start
        part.undecided = self.undecided[rows]
        part._whole = (self, rows)
        return part

    def add(self, mask: Bools | None) -> None:
        """Rows the fast path cannot decide: the scalar path scores them."""
        if mask is not None:
            self.undecided |= mask

    def all(self) -> None:
        self.undecided[:] = True

    def put(self, where: Any, other: Problems) -> None:
        """Copy the problems of a block (``other``) to its rows ``where`` of this table."""
        if other._whole is not None and other._whole[0] is self:
            return  # a part of this table: recorded in place
        self.undecided[where] |= other.undecided
        if other.code is None:
            return
        code, value, scale = self._arrays()
        assert other.value is not None and other.scale is not None
        code[where] = other.code
        value[where] = other.value
        scale[where] = other.scale

    def _arrays(self) -> tuple[Codes, Floats, Floats]:
        if self.code is None or self.value is None or self.scale is None:
            if self._whole is not None:
                whole, rows = self._whole
                code, value, scale = whole._arrays()
                self.code, self.value, self.scale = code[rows], value[rows], scale[rows]
                return self.code, self.value, self.scale
            self.code = np.full(self.size, NONE, dtype=np.int32)
            self.value = np.zeros(self.size)
            self.scale = np.zeros(self.size)
        return self.code, self.value, self.scale

    def record(self, mask: Any, code: int, value: Floats | None = None, scale: Any = None) -> None:
        """Rows in ``mask`` have problem ``code``; a row keeps its earliest (lowest) code."""
        if mask is None or not mask.any():
            return
        codes, values, scales = self._arrays()
        first = np.flatnonzero(mask)  # the rows, then those without an earlier problem
        first = first[codes[first] > code]
        codes[first] = code
        if value is not None:
            values[first] = value[first]
        if scale is not None:
            scales[first] = scale[first] if isinstance(scale, np.ndarray) else scale


def messages(
    rows: NDArray[np.intp],
    keys: list[Floats],
    explain: Callable[[int], MyoresponseError | None],
    terms: Callable[[str], str] = str,
) -> tuple[NDArray[np.object_], NDArray[np.intp]]:
    """The message of each of ``rows`` (one scalar call per distinct key) and the rows left over.

    ``keys`` are per-row key columns aligned with ``rows``; ``explain(row)`` is the scalar path's
    error for a row (None if it has none), its message put in the table's ``terms``
    (:mod:`myoresponse.tables.terms`) once per key. Should the scalar path find no error for a key's
    representative (a problem recorded wrongly), that key's rows are returned to be scored by the
    scalar path one by one.
    """
    out = np.empty(rows.size, dtype=object)
    if rows.size == 0:
        return out, rows
    pattern = np.zeros(rows.size, dtype=np.int64)  # a mixed-radix number of the key's columns
    radix = 1
    for column in keys:  # one 1-D pass per column (much faster than sorting rows of keys)
        low, high = column.min(), column.max()
        if low == high:
            continue  # the same everywhere: no digit needed
        size, codes = _digits(column, float(low), float(high), rows.size)
        if radix * size >= 2**62:  # renumber the digits so far before they overflow
            _, pattern = np.unique(pattern, return_inverse=True)
            pattern = pattern.reshape(-1).astype(np.int64)
            radix = int(pattern.max()) + 1
        pattern = pattern * size + codes
        radix *= size
    first, inverse = _groups(pattern, radix)
    texts = np.empty(first.size, dtype=object)
    unsure = np.zeros(first.size, dtype=bool)
    for index, row in enumerate(rows[first].tolist()):
        error = explain(row)
        if error is None:
            unsure[index] = True
        else:
            texts[index] = terms(str(error))
    out[:] = texts[inverse]
    left = unsure[inverse]
    return out, rows[left]


def _digits(column: Floats, low: float, high: float, count: int) -> tuple[int, NDArray[np.int64]]:
    """A key column as digits ``0 … size-1`` (equal values, equal digits) and ``size``.

    Whole values in a short range (missing patterns, codes, most offending values) are their own
    digits, offset by the lowest: no sort. Other columns are numbered by a sort.
    """
    if high - low < 4 * count + 1024 and bool((column == np.floor(column)).all()):
        offset = (column - low).astype(np.int64)
        seen = np.bincount(offset, minlength=int(high - low) + 1) > 0
        number = np.cumsum(seen) - 1  # the values present, numbered in order
        return int(number[-1]) + 1, number[offset]
    values, codes = np.unique(column, return_inverse=True)
    return int(values.size), codes.reshape(-1).astype(np.int64)


def _groups(pattern: NDArray[np.int64], radix: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """One representative position per distinct ``pattern`` and each position's group number."""
    if radix <= 4 * pattern.size + 1024:  # count the digits straight: no sort
        seen = np.bincount(pattern, minlength=radix) > 0
        number = np.cumsum(seen) - 1
        inverse = number[pattern]
        first = np.empty(int(seen.sum()), dtype=np.intp)
        first[inverse[::-1]] = np.arange(pattern.size - 1, -1, -1)  # any member will do
        return first, inverse.astype(np.intp)
    _, first, inverse = np.unique(pattern, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)
