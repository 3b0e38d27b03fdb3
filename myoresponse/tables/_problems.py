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
    """The undecided rows of a table or block and, for the others, the first problem and its
    value.

    A block (:meth:`part`, or a block of its own) records its problems in arrays of the block's
    size: ``code`` (:data:`NONE` where none), ``value`` and ``scale``. :meth:`put` then keeps, for
    the table, only the rows with a problem (:meth:`found`): a cohort is not given three more
    columns of its full length, most of them empty."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.undecided = np.zeros(size, dtype=bool)
        self.code: Codes | None = None
        self.value: Floats | None = None
        self.scale: Floats | None = None
        self._whole: Problems | None = None  # of a part: the table's
        self._found: list[tuple[NDArray[np.intp], Codes, Floats, Floats]] = []
        self._work: tuple[Codes, Floats, Floats] | None = None  # a part's arrays, reused

    def part(self, rows: slice) -> Problems:
        """The problems of the consecutive ``rows``: ``undecided`` a view of this table's, the
        problems in work arrays that every part of this table reuses (hand it back with
        :meth:`put` before the next part records)."""
        part = Problems(0)
        part.size = rows.stop - rows.start
        part.undecided = self.undecided[rows]
        part._whole = self
        return part

    def add(self, mask: Bools | None) -> None:
        """Rows the fast path cannot decide: the scalar path scores them."""
        if mask is not None:
            self.undecided |= mask

    def all(self) -> None:
        self.undecided[:] = True

    def put(self, where: Any, other: Problems) -> NDArray[np.intp] | None:
        """Keep the problems of a block (``other``) at its rows ``where`` of this table; return
        those rows (None when the block has none)."""
        if other._whole is not self:
            self.undecided[where] |= other.undecided
        if other.code is None:
            return None
        assert other.value is not None and other.scale is not None
        at = np.flatnonzero(other.code != NONE)
        rows = at + where.start if isinstance(where, slice) else np.asarray(where)[at]
        self._found.append((rows, other.code[at], other.value[at], other.scale[at]))
        other.code = other.value = other.scale = None  # (a part's work arrays: free again)
        return rows

    def found(self) -> tuple[NDArray[np.intp], Codes, Floats, Floats] | None:
        """The rows with a problem (as blocks were put) and their codes, values and scales."""
        if not self._found:
            return None
        if len(self._found) > 1:
            parts = zip(*self._found, strict=True)
            rows, code, value, scale = (np.concatenate(column) for column in parts)
            self._found = [(rows, code, value, scale)]
        return self._found[0]

    def failing(self) -> Bools:
        """Per row of the table, whether it has a problem."""
        mask = np.zeros(self.size, dtype=bool)
        for rows, *_ in self._found:
            mask[rows] = True
        return mask

    def _arrays(self) -> tuple[Codes, Floats, Floats]:
        if self.code is None or self.value is None or self.scale is None:
            if self._whole is not None:  # the table's work arrays, as long as the largest part
                work = self._whole._work
                if work is None or work[0].size < self.size:
                    work = self._whole._work = (
                        np.empty(self.size, dtype=np.int32),
                        np.empty(self.size),
                        np.empty(self.size),
                    )
                code, value, scale = (
                    work[0][: self.size],
                    work[1][: self.size],
                    work[2][: self.size],
                )
                code.fill(NONE)
                value.fill(0.0)
                scale.fill(0.0)
            else:
                code = np.full(self.size, NONE, dtype=np.int32)
                value, scale = np.zeros(self.size), np.zeros(self.size)
            self.code, self.value, self.scale = code, value, scale
            return code, value, scale
        return self.code, self.value, self.scale

    def record(self, mask: Any, code: int, value: Floats | None = None, scale: Any = None) -> None:
        """Rows in ``mask`` have problem ``code``; a row keeps its earliest (lowest) code."""
        if mask is None or not mask.any():
            return
        self.record_rows(np.flatnonzero(mask), code, value, scale)

    def record_rows(
        self, rows: NDArray[np.intp], code: int, value: Floats | None = None, scale: Any = None
    ) -> None:
        """:meth:`record` for the rows given by index (in increasing order)."""
        if not rows.size:
            return
        codes, values, scales = self._arrays()
        first = rows[codes[rows] > code]  # those without an earlier problem
        codes[first] = code
        if value is not None:
            values[first] = value[first]
        if scale is not None:
            scales[first] = scale[first] if isinstance(scale, np.ndarray) else scale


def messages(
    rows: NDArray[np.intp],
    keys: list[NDArray[Any]],
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
    if rows.size == 0:
        return np.empty(0, dtype=object), rows
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
    left = unsure[inverse]
    return texts.take(inverse), rows[left]


def _digits(
    column: NDArray[Any], low: float, high: float, count: int
) -> tuple[int, NDArray[np.int64]]:
    """A key column as digits ``0 … size-1`` (equal values, equal digits) and ``size``.

    Whole values in a short range (missing patterns, codes, most offending values) are their own
    digits, offset by the lowest: no sort. Other columns are numbered by a sort.
    """
    whole = column.dtype.kind in "iu"  # integer codes: whole by their type
    if high - low < 4 * count + 1024 and (whole or bool((column == np.floor(column)).all())):
        if whole:
            offset = column.astype(np.int64)
            offset -= int(low)
        else:  # (from the lowest first: a large whole value need not fit an int64)
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
