"""Scoring a CSV cohort file in chunks (private; used by ``myoresponse score --csv``).

Reads a chunk of rows with the :mod:`csv` module, scores it with
:func:`~myoresponse.cohort.score_many` on the chunk's text columns, writes the chunk's output rows
and forgets it, so memory stays flat however long the file is. Cells are read as decimal text:
empty (or ``NA``/``NaN``) is a missing value.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from typing import Any, TextIO

import numpy as np

from .cohort import score_many
from .errors import InputFormatError

__all__ = ["CsvSummary", "score_csv"]

CHUNK_ROWS = 50_000


@dataclass
class CsvSummary:
    """What a CSV run did: rows scored, rows in error, and the first error's message."""

    rows: int = 0
    errors: int = 0
    first_error: str | None = None


def score_csv(
    source: TextIO,
    sink: TextIO,
    keywords: dict[str, Any],
    *,
    chunk_rows: int = CHUNK_ROWS,
    progress: Callable[[int], None] | None = None,
) -> CsvSummary:
    """Score every row of the CSV ``source`` and write the output table to ``sink``.

    ``keywords`` go to :func:`~myoresponse.cohort.score_many`. Raises a
    :class:`~myoresponse.MyoresponseError` for a file that cannot be read as a cohort table (no
    header, a duplicated or unknown measure column, invalid keywords); row problems are reported
    in the rows' ``error`` column and counted in the summary.
    """
    reader = csv.reader(source)
    header = next(reader, None)
    if not header:
        raise InputFormatError("the CSV file is empty; its first line must name the columns")
    header = [name.strip() for name in header]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise InputFormatError(f"column {name!r} appears twice in the header", field=name)
        seen.add(name)
    empty = {name: np.array([], dtype=str) for name in header}
    names = list(score_many(empty, **keywords))  # validates the header and the keywords
    writer = csv.writer(sink, lineterminator="\n")
    writer.writerow(names)
    summary = CsvSummary()
    width = len(header)
    while True:
        rows = list(islice(reader, chunk_rows))
        if not rows:
            break
        ragged: dict[int, str] = {}
        for index, row in enumerate(rows):
            if len(row) != width:
                ragged[index] = f"has {len(row)} cells where the header has {width}"
                rows[index] = [""] * width
        columns = {
            name: np.array(cells, dtype=str)
            for name, cells in zip(header, zip(*rows, strict=True), strict=True)
        }
        out = score_many(columns, **keywords)
        start = summary.rows
        for index, message in ragged.items():
            _blank(out, index)
            out["error"][index] = f"line {start + index + 2}: {message}"
        failed = np.flatnonzero(out["error"] != "")
        if failed.size and summary.first_error is None:
            first = int(failed[0])
            summary.first_error = f"line {start + first + 2}: {out['error'][first]}"
        summary.errors += int(failed.size)
        summary.rows += len(rows)
        writer.writerows(
            zip(*(_text(out[name], name, out["error"]) for name in names), strict=True)
        )
        if progress is not None:
            progress(summary.rows)
    return summary


def _blank(out: dict[str, Any], index: int) -> None:
    for name, column in out.items():
        if column.dtype.kind == "f":
            column[index] = np.nan
        elif name in ("category", "enzyme"):
            column[index] = ""
        elif name == "partial":
            column[index] = False


def _text(column: Any, name: str, error: Any) -> list[str]:
    """A column as CSV cells: shortest-repr floats, empty for NaN and for rows in error."""
    kind = column.dtype.kind
    if kind == "f":
        missing = np.isnan(column)
        if name == "worsened_count":  # a count: whole numbers
            cells = np.where(missing, 0, column).astype(np.int64).astype(str)
        else:
            cells = column.astype(str)
        cells[missing] = ""
        return cells.tolist()  # type: ignore[no-any-return]
    if kind == "b":
        cells = np.where(column, "true", "false")
        cells[error != ""] = ""
        return cells.tolist()  # type: ignore[no-any-return]
    return column.tolist()  # type: ignore[no-any-return]
