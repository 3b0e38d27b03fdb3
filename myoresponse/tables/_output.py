"""The output columns of the table functions: scores per row, and the table the user gets back.

:class:`PairScores` holds what scoring a table of baseline/follow-up pairs gives per row (the
columnar engine, the scalar fallback and the column-wise errors all write into it);
:func:`pair_output` turns it into the columns of :func:`~myoresponse.score_many` (a DataFrame
by :mod:`myoresponse.tables.frames` where the input was one).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from myoresponse.result import Result
from myoresponse.tables._columns import Floats, Table
from myoresponse.tables._engine import CATEGORIES, ENZYMES

__all__ = ["LABEL_BLOCK", "PairScores", "labels", "pair_output"]

LABEL_BLOCK = 1 << 16  # rows per block when taking labels


class PairScores:
    """Per row of a pair table: the scores, or the error that stands in their place."""

    def __init__(self, size: int, keys: Sequence[str], filled: bool) -> None:
        # Every row is written by the engine or the fallback; unless ``filled``, the measure
        # columns of rows of another criteria set must start as NaN.
        def floats() -> Floats:
            return np.empty(size) if filled else np.full(size, np.nan)

        self.keys = tuple(keys)
        self._filled = filled
        self.tis = np.empty(size)
        self.category = np.empty(size, dtype=np.int8)  # index into CATEGORIES, -1 none
        self.enzyme = np.empty(size, dtype=np.int8)  # index into ENZYMES, -1 none
        self.points = {key: floats() for key in keys}
        self.change = {key: floats() for key in keys}
        self.worsened = np.empty(size)
        self.partial = np.zeros(size, dtype=bool)
        self.failed = np.zeros(size, dtype=bool)
        self.error = np.empty(size, dtype=object)
        self.error.fill("")

    def reused(self, size: int) -> PairScores:
        """Scores for ``size`` rows (at most this one's) in the first rows of this one's arrays:
        a caller that scores a table in chunks reuses its work memory (the flags start False,
        the measure columns NaN unless ``filled``; the engine writes the others, and ``error``
        keeps what it held)."""
        part = PairScores(0, self.keys, True)
        part.tis, part.category = self.tis[:size], self.category[:size]
        part.enzyme, part.worsened = self.enzyme[:size], self.worsened[:size]
        for name in ("points", "change"):
            columns = {key: array[:size] for key, array in getattr(self, name).items()}
            if not self._filled:
                for array in columns.values():
                    array.fill(np.nan)
            setattr(part, name, columns)
        part.partial, part.failed = self.partial[:size], self.failed[:size]
        part.partial.fill(False)
        part.failed.fill(False)
        part.error = self.error[:size]
        return part

    def clear(self, rows: Any) -> None:
        """Rows about to be scored again start empty."""
        for key in self.keys:
            self.points[key][rows] = np.nan
            self.change[key][rows] = np.nan

    def clear_scores(self, rows: Any) -> None:
        """Rows that hold no scores: every score column empty."""
        self.clear(rows)
        self.tis[rows] = np.nan
        self.category[rows] = -1
        self.enzyme[rows] = -1
        self.worsened[rows] = np.nan
        self.partial[rows] = False

    def fail(self, rows: Any, messages: Any, cleared: bool = False) -> None:
        """Rows in error: the message and empty scores (``cleared``: emptied already)."""
        if not cleared:
            self.clear_scores(rows)
        self.failed[rows] = True
        self.error[rows] = messages

    def write(self, row: int, result: Result) -> None:
        """One row's scalar result."""
        self.tis[row] = float(result.total_improvement_score)
        self.category[row] = CATEGORIES.index(result.category)
        used = result.enzyme
        self.enzyme[row] = -1 if used is None else ENZYMES.index(used.name)
        for measure in result.measures:
            key = measure.measure
            self.points[key][row] = float(measure.points)
            change = measure.absolute_percent_change
            self.change[key][row] = np.nan if change is None else float(change)
        self.worsened[row] = len(result.worsened)
        self.partial[row] = result.partial


def pair_output(table: Table, scores: PairScores) -> Any:
    """The output columns of :func:`~myoresponse.score_many` (a DataFrame for a DataFrame)."""
    out: dict[str, Any] = {}
    if table.has("id"):
        ident = table.raw["id"]
        out["id"] = ident.to_numpy() if hasattr(ident, "to_numpy") else np.asarray(ident)
    out["total_improvement_score"] = scores.tis
    framed = table.frame is not None  # a DataFrame's categoricals are built from the codes
    out["category"] = scores.category if framed else _category_labels(scores.category)
    out["enzyme"] = scores.enzyme if framed else _enzyme_labels(scores.enzyme)
    for key in scores.keys:
        out[f"points_{key}"] = scores.points[key]
    for key in scores.keys:
        out[f"change_{key}"] = scores.change[key]
    out["worsened_count"] = scores.worsened
    out["partial"] = scores.partial
    out["error"] = scores.error
    if table.frame is None:
        return out
    from myoresponse.tables.frames import pair_frame  # given a DataFrame

    return pair_frame(out, table.frame.index, scores.failed)


def _category_labels(codes: NDArray[np.int8]) -> NDArray[np.str_]:
    return labels(("", *(c.value for c in CATEGORIES)), codes)


def _enzyme_labels(codes: NDArray[np.int8]) -> NDArray[np.str_]:
    return labels(("", *(e.value for e in ENZYMES)), codes)


def labels(names: Sequence[str], codes: NDArray[np.int8]) -> NDArray[np.str_]:
    """``names[code + 1]`` per row, as a fixed-width text array (``""`` for code -1)."""
    table = np.array(names)
    out = np.empty(codes.size, dtype=table.dtype)
    # take the fixed-width cells as opaque bytes (much faster than taking text elements), a block
    # at a time so that the index stays small
    cell = np.dtype((np.void, table.dtype.itemsize))
    cells, target = table.view(cell), out.view(cell)
    index = np.empty(min(codes.size, LABEL_BLOCK), dtype=np.intp)
    for start in range(0, codes.size, LABEL_BLOCK):
        stop = min(start + LABEL_BLOCK, codes.size)
        part = index[: stop - start]
        np.add(codes[start:stop], 1, out=part, casting="unsafe")
        cells.take(part, out=target[start:stop], mode="clip")
    return out
