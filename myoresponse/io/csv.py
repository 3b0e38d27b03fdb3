"""Scoring a CSV cohort file in chunks (private; used by ``myoresponse score --csv``).

Reads a chunk of rows with the :mod:`csv` module, scores it with
:func:`~myoresponse.tables.pairs.score_many` on the chunk's text columns, writes the chunk's output
rows
and forgets it, so memory stays flat however long the file is. Cells are read as decimal text:
empty (or ``NA``/``NaN``) is a missing value.

``myoresponse series --csv`` reads a long table (one row per patient visit) the same way, with
:func:`score_series_csv`: a chunk's last patient waits for the next chunk, so that each patient is
scored whole by :func:`~myoresponse.score_series_many`.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from typing import Any, TextIO

import numpy as np

from myoresponse.errors import InputFormatError
from myoresponse.io._exports import csv_rows
from myoresponse.tables.mapping import mapped_names
from myoresponse.tables.pairs import score_many
from myoresponse.tables.visits import _run as _score_long_table

__all__ = ["CsvSummary", "SeriesCsvSummary", "score_csv", "score_series_csv"]

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

    ``keywords`` go to :func:`~myoresponse.tables.pairs.score_many`. Raises a
    :class:`~myoresponse.MyoresponseError` for a file that cannot be read as a cohort table (no
    header, a duplicated or unknown measure column, invalid keywords); row problems are reported
    in the rows' ``error`` column and counted in the summary.
    """
    reader = csv_rows(source)
    keywords = dict(keywords)
    header = mapped_names(_header(reader), keywords.pop("column_map", None), "pair")
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


@dataclass
class SeriesCsvSummary:
    """What a long-table CSV run did: rows and patients read, patients in error or with warnings.

    ``first_error`` and ``first_warning`` name the patient (``patient 'P-002': ...``).
    """

    rows: int = 0
    patients: int = 0
    errors: int = 0
    first_error: str | None = None
    warned: int = 0
    first_warning: str | None = None


def score_series_csv(
    source: TextIO,
    sink: TextIO,
    keywords: dict[str, Any],
    *,
    chunk_rows: int = CHUNK_ROWS,
    progress: Callable[[int], None] | None = None,
) -> SeriesCsvSummary:
    """Score every patient of the long-table CSV ``source``; write the output table to ``sink``.

    ``keywords`` go to :func:`~myoresponse.score_series_many`. Rows are read ``chunk_rows`` at a
    time; the rows of a chunk's last patient are kept for the next chunk, so memory holds one
    chunk (or one patient, if longer) plus the set of ids seen. A patient's rows must be
    contiguous: a group of rows whose id appeared before another patient's rows is an error
    patient of its own (the earlier rows were scored without it). Raises a
    :class:`~myoresponse.MyoresponseError` for a file that cannot be read as a long table.
    """
    reader = csv_rows(source)
    keywords = dict(keywords)
    header = mapped_names(_header(reader), keywords.pop("column_map", None), "long")
    empty = {name: np.array([], dtype=str) for name in header}
    names = list(_score_long_table(empty, keywords).columns)  # validates header and keywords
    ident = header.index("id")
    writer = csv.writer(sink, lineterminator="\n")
    writer.writerow(names)
    summary = SeriesCsvSummary()
    seen: dict[str, int] = {}
    pending: list[list[str]] = []
    line = 2  # the line of the first pending row (lines count CSV records, header = line 1)
    while True:
        rows = list(islice(reader, chunk_rows))
        block = pending + rows
        if not block:
            break
        pending = []
        if rows:
            cut = _last_patient(block, ident)
            if cut == 0:  # one patient so far: read on
                pending = block
                continue
            block, pending = block[:cut], block[cut:]
        _series_block(block, line, header, ident, keywords, seen, names, writer, summary)
        line += len(block)
        if progress is not None:
            progress(summary.rows)
    return summary


def _row_id(row: list[str], ident: int) -> str:
    return row[ident].strip() if ident < len(row) else ""


def _last_patient(block: list[list[str]], ident: int) -> int:
    """Where the rows of the block's last patient start (rows without an id stand alone)."""
    last = _row_id(block[-1], ident)
    if not last:
        return len(block)
    start = len(block) - 1
    while start > 0 and _row_id(block[start - 1], ident) == last:
        start -= 1
    return start


def _series_block(
    block: list[list[str]],
    line: int,
    header: list[str],
    ident: int,
    keywords: dict[str, Any],
    seen: dict[str, int],
    names: list[str],
    writer: Any,
    summary: SeriesCsvSummary,
) -> None:
    """Score the whole patients of ``block`` (its first row on ``line``) and write their rows."""
    width = len(header)
    row_errors: dict[int, str] = {}
    for index, row in enumerate(block):
        if len(row) != width:
            row_errors[index] = (
                f"line {line + index}: has {len(row)} cells where the header has {width}"
            )
            block[index] = (row + [""] * width)[:width]
    groups: list[list[int]] = []
    previous = ""
    for index, row in enumerate(block):
        key = row[ident].strip()
        if key and key == previous:
            groups[-1].append(index)
            continue
        groups.append([index])
        previous = key
        if not key:
            continue
        if key in seen:
            row_errors.setdefault(
                index,
                f"line {line + index}: patient {key!r} appears again after other patients' rows "
                f"(its first row is line {seen[key]}); a patient's rows must be contiguous: sort "
                "the file by id",
            )
        else:
            seen[key] = line + index
    columns = {
        name: np.array(cells, dtype=str)
        for name, cells in zip(header, zip(*block, strict=True), strict=True)
    }
    outcome = _score_long_table(
        columns, keywords, groups=groups, row_errors=row_errors, where=lambda r: f"line {line + r}"
    )
    out = outcome.columns
    for rows in groups:
        head = rows[0]
        summary.patients += 1
        if out["error"][head]:
            summary.errors += 1
            if summary.first_error is None:
                summary.first_error = f"patient {str(out['id'][head])!r}: {out['error'][head]}"
        if out["warnings"][head]:
            summary.warned += 1
            if summary.first_warning is None:
                summary.first_warning = f"patient {str(out['id'][head])!r}: {out['warnings'][head]}"
    summary.rows += len(block)
    cells = []
    for name in names:
        column = out[name]
        if name in outcome.na:
            text = np.where(column, "true", "false")
            text[outcome.na[name]] = ""
            cells.append(text.tolist())
        else:
            cells.append(_text(column, name, out["error"]))
    writer.writerows(zip(*cells, strict=True))


def _header(reader: Any) -> list[str]:
    """The column names of the first line; an error for an empty file or a repeated name."""
    header = next(reader, None)
    if not header:
        raise InputFormatError("the CSV file is empty; its first line must name the columns")
    header = [name.strip() for name in header]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise InputFormatError(f"column {name!r} appears twice in the header", field=name)
        seen.add(name)
    return header


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
