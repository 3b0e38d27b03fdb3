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

import contextlib
import csv
import difflib
import gc
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, TextIO

import numpy as np

from myoresponse.enzymes import Enzyme
from myoresponse.errors import InputFormatError, MyoresponseError, UnknownFieldError
from myoresponse.io._cells import Records, cells_to_text, distinct_texts, text_to_numbers
from myoresponse.io._exports import csv_rows
from myoresponse.io._output import internal_error
from myoresponse.io._plain_chunk import LineChunks, PlainChunk
from myoresponse.io._row_bytes import byte_column, joined_rows
from myoresponse.tables.frames import tidy_columns
from myoresponse.tables.mapping import mapped_names
from myoresponse.tables.pairs import MEASURE_COLUMNS, score_many
from myoresponse.tables.terms import as_flags, pair_terms, user_column, user_columns
from myoresponse.tables.visits import MEASURES
from myoresponse.tables.visits import score_long_table as _score_long_table

__all__ = [
    "CsvSummary",
    "KeywordError",
    "MissingKeyword",
    "SeriesCsvSummary",
    "score_csv",
    "score_series_csv",
]

CHUNK_ROWS = 50_000


@dataclass
class CsvSummary:
    """What a CSV run did: rows scored, rows in error, and the first error's message."""

    rows: int = 0
    errors: int = 0
    first_error: str | None = None
    notes: list[str] = field(default_factory=list)


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
    header, a duplicated or unknown measure column, a cell too long for the reader),
    :class:`KeywordError` for an invalid keyword and :class:`MissingKeyword` when the population or
    the MMT scale is given neither as a keyword nor as a column; row problems are reported in the
    rows' ``error`` column and counted in the summary. Blank lines are skipped (and counted in the
    summary's notes); a row with the wrong number of cells keeps its ``id`` and is an error row.
    """
    _check_chunk(chunk_rows)
    with _long_cells(), user_columns(keywords.get("column_map")):  # messages: the file's names
        reader = csv_rows(source)
        keywords = dict(keywords)
        header = _header(reader, _PAIR_COLUMNS, keywords.pop("column_map", None), "pair")
        empty = {name: np.array([], dtype=str) for name in header}
        names = list(_validated(lambda: score_many(empty, **keywords), keywords))
        _require(header, keywords, mmt_columns=("baseline_mmt", "followup_mmt"))
        writer = csv.writer(sink, lineterminator="\n")
        writer.writerow(names)
        summary = CsvSummary()
        records = LineChunks(reader, source, len(header))
        while True:
            lines, taken = records.take_chunk(chunk_rows)
            if isinstance(taken, PlainChunk):
                out = _plain_scored(taken, header, keywords)
                _count_errors(out["error"], lines, {}, summary)
                if not _write_plain(out, names, header, taken, sink):
                    _write_rows(out, names, writer)
            elif taken:
                out, ragged = _rows_scored(taken, lines, header, keywords)
                _count_errors(out["error"], lines, ragged, summary)
                _write_rows(out, names, writer)
            else:
                break
            if progress is not None:
                progress(summary.rows)
        summary.notes = records.notes()
    return summary


def _plain_scored(chunk: PlainChunk, header: list[str], keywords: dict[str, Any]) -> dict[str, Any]:
    """``score_many`` on a plain chunk, its columns read from the chunk's bytes."""
    columns = {
        name: chunk.numbers(place) if name in _NUMERIC else chunk.texts(place)
        for place, name in enumerate(header)
    }
    out = _scored(columns, keywords, chunk.size)
    rows: list[list[str]] = [[]] * chunk.size  # the cells of the rows in error, for the messages
    for index in np.flatnonzero(out["error"] != ""):
        rows[index] = chunk.row(int(index))
    _in_column_terms(out["error"], rows, header)
    return out


def _rows_scored(
    rows: list[list[str]], lines: Sequence[int], header: list[str], keywords: dict[str, Any]
) -> tuple[dict[str, Any], dict[int, str]]:
    """``score_many`` on rows read by the :mod:`csv` module; rows with the wrong number of cells
    are errors (the second value: row index → message)."""
    width = len(header)
    ragged: dict[int, str] = {}
    if set(map(len, rows)) != {width}:
        for index, row in enumerate(rows):
            if len(row) != width:
                ragged[index] = f"has {len(row)} cells where the header has {width}"
                rows[index] = (row + [""] * width)[:width]
    columns = {
        name: text_to_numbers(cells) if name in _NUMERIC else np.array(cells, dtype=str)
        for name, cells in zip(header, zip(*rows, strict=True), strict=True)
    }
    out = _scored(columns, keywords, len(rows))
    _in_column_terms(out["error"], rows, header)
    for index, message in ragged.items():
        _blank(out, index)
        out["error"][index] = f"line {lines[index]}: {message}"
    return out, ragged


def _count_errors(
    errors: Any, lines: Sequence[int], ragged: dict[int, str], summary: CsvSummary
) -> None:
    """Add a chunk's rows and rows in error to ``summary``; keep the file's first error."""
    failed = np.flatnonzero(errors != "")
    if failed.size and summary.first_error is None:
        first = int(failed[0])
        message = errors[first]
        summary.first_error = message if first in ragged else f"line {lines[first]}: {message}"
    summary.errors += int(failed.size)
    summary.rows += len(lines)


def _write_rows(out: dict[str, Any], names: list[str], writer: Any) -> None:
    """Write a chunk's output rows with the :mod:`csv` writer."""
    writer.writerows(
        zip(*(cells_to_text(out[name], name, out["error"]) for name in names), strict=True)
    )


def _write_plain(
    out: dict[str, Any], names: list[str], header: list[str], chunk: PlainChunk, sink: TextIO
) -> bool:
    """Write a plain chunk's output rows as bytes assembled column-wise (the same bytes as
    :func:`_write_rows`, faster); ``False`` (and nothing written) for an output it cannot."""
    columns = []
    for name in names:
        column = None
        if name == "id" and not chunk.has_comma(header.index("id")):
            column = chunk.byte_matrix(header.index("id"))  # the cells as read
        if column is None:
            column = byte_column(*distinct_texts(out[name], name, out["error"]))
        if column is None:
            return False
        columns.append(column)
    sink.write(joined_rows(columns).decode("utf-8"))
    return True


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
    notes: list[str] = field(default_factory=list)


def score_series_csv(
    source: TextIO,
    sink: TextIO,
    keywords: dict[str, Any],
    *,
    chunk_rows: int = CHUNK_ROWS,
    progress: Callable[[int], None] | None = None,
    patients_sink: TextIO | None = None,
) -> SeriesCsvSummary:
    """Score every patient of the long-table CSV ``source``; write the output table to ``sink``.

    With ``patients_sink``, the output is two tidy tables instead of one long one: ``sink`` gets
    one row per follow-up visit (``id``, ``visit``, ``date`` and the visit's scores) and
    ``patients_sink`` one row per patient (``id``, ``baseline_visit``, ``baseline_date``, the
    endpoints, ``warnings`` and ``error``): the columns of
    :class:`~myoresponse.SeriesTables`.

    ``keywords`` go to :func:`~myoresponse.score_series_many`. Rows are read ``chunk_rows`` at a
    time; the rows of a chunk's last patient are kept for the next chunk, so memory holds one
    chunk (or one patient, if longer) plus the set of ids seen. A patient's rows must be
    contiguous: a group of rows whose id appeared before another patient's rows is an error
    patient of its own (the earlier rows were scored without it). Raises a
    :class:`~myoresponse.MyoresponseError` for a file that cannot be read as a long table.
    """
    _check_chunk(chunk_rows)
    with _long_cells(), user_columns(keywords.get("column_map")):  # messages: the file's names
        reader = csv_rows(source)
        keywords = dict(keywords)
        header = _header(reader, _LONG_COLUMNS, keywords.pop("column_map", None), "long")
        empty = {name: np.array([], dtype=str) for name in header}
        names = list(_validated(lambda: _score_long_table(empty, keywords).columns, keywords))
        _require(header, keywords, mmt_columns=("mmt",))
        ident = header.index("id")
        writer = _Tables(names, sink, patients_sink)
        summary = SeriesCsvSummary()
        seen: dict[str, int] = {}
        pending: list[list[str]] = []
        pending_lines: list[int] = []
        records = Records(reader)
        while True:
            lines, rows = records.take(chunk_rows)
            block, block_lines = pending + rows, pending_lines + lines
            if not block:
                break
            pending, pending_lines = [], []
            if rows:
                cut = _last_patient(block, ident)
                if cut == 0:  # one patient so far: read on
                    pending, pending_lines = block, block_lines
                    continue
                block, pending = block[:cut], block[cut:]
                block_lines, pending_lines = block_lines[:cut], block_lines[cut:]
            _series_block(block, block_lines, header, ident, keywords, seen, names, writer, summary)
            if progress is not None:
                progress(summary.rows)
        summary.notes = records.notes()
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


class _Tables:
    """Where the long output's rows go: one long table, or split into visits and patients."""

    def __init__(self, names: list[str], sink: TextIO, patients_sink: TextIO | None) -> None:
        self._long = csv.writer(sink, lineterminator="\n")
        self._sinks = (sink, patients_sink)
        self._split = patients_sink is not None
        if patients_sink is None:
            self._long.writerow(names)
            return
        visit_names, patient_names = tidy_columns(names)
        self._visits = [names.index(n) for n in ("id", "visit", "date", *visit_names)]
        self._patients = [names.index(n) for n in ("id", "visit", "date", *patient_names)]
        self._patients.append(names.index("error"))
        self._patient_writer = csv.writer(patients_sink, lineterminator="\n")
        self._long.writerow(names[i] for i in self._visits)
        heads = ("id", "baseline_visit", "baseline_date")
        self._patient_writer.writerow((*heads, *(names[i] for i in self._patients[3:])))
        self._kind = names.index("row")

    def write_columns(self, columns: list[tuple[list[str], Any]], patient: Any) -> None:
        """Write rows given column-wise (each column's distinct texts and which text each row
        has; ``patient`` marks the patient rows), as bytes where it can (see ``_row_bytes``)."""
        if not self._split:
            if not _write_bytes(columns, None, self._sinks[0]):
                self.writerows(_picked(columns))
            return
        visits = [columns[i] for i in self._visits]
        patients = [columns[i] for i in self._patients]
        fast = _write_bytes(visits, ~patient, self._sinks[0])
        if fast and _write_bytes(patients, patient, self._sinks[1]):
            return
        if not fast:
            self._long.writerows(_picked(visits, ~patient))
        self._patient_writer.writerows(_picked(patients, patient))

    def writerows(self, rows: Iterable[Sequence[str]]) -> None:
        if not self._split:
            self._long.writerows(rows)
            return
        for row in rows:
            if row[self._kind] == "patient":
                self._patient_writer.writerow([row[i] for i in self._patients])
            else:
                self._long.writerow([row[i] for i in self._visits])


def _series_block(
    block: list[list[str]],
    lines: list[int],
    header: list[str],
    ident: int,
    keywords: dict[str, Any],
    seen: dict[str, int],
    names: list[str],
    writer: _Tables,
    summary: SeriesCsvSummary,
) -> None:
    """Score the whole patients of ``block`` (its rows on ``lines``) and write their rows."""
    width = len(header)
    row_errors: dict[int, str] = {}
    for index, row in enumerate(block):
        if len(row) != width:
            row_errors[index] = (
                f"line {lines[index]}: has {len(row)} cells where the header has {width}"
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
                f"line {lines[index]}: patient {key!r} appears again after other patients' rows "
                f"(its first row is line {seen[key]}); a patient's rows must be contiguous: sort "
                "the file by id",
            )
        else:
            seen[key] = lines[index]
    columns = {
        name: text_to_numbers(cells) if name in _SERIES_NUMERIC else np.array(cells, dtype=str)
        for name, cells in zip(header, zip(*block, strict=True), strict=True)
    }
    outcome = _score_long_table(
        columns, keywords, groups=groups, row_errors=row_errors, where=lambda r: f"line {lines[r]}"
    )
    out = outcome.columns
    _in_column_terms(out["error"])
    _series_as_written(out["error"], block, lines, header)
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
    cells: list[tuple[list[str], Any]] = []
    for name in names:
        column = out[name]
        if name in outcome.na:
            where = np.asarray(column, dtype=bool).astype(np.intp)
            where[outcome.na[name]] = 2
            cells.append((["false", "true", ""], where))
        else:
            cells.append(distinct_texts(column, name, out["error"]))
    writer.write_columns(cells, out["row"] == "patient")


def _write_bytes(columns: list[tuple[list[str], Any]], rows: Any, sink: TextIO | None) -> bool:
    """Write the ``rows`` (a mask; ``None``: all) of ``columns`` as assembled bytes; ``False``
    (and nothing written) if a column cannot be (see :func:`byte_column`)."""
    picked = []
    for texts, where in columns:
        column = byte_column(texts, where if rows is None else where[rows])
        if column is None:
            return False
        picked.append(column)
    if sink is not None and picked and picked[0].shape[0]:
        sink.write(joined_rows(picked).decode("utf-8"))
    return True


def _picked(columns: list[tuple[list[str], Any]], rows: Any = None) -> Iterator[tuple[Any, ...]]:
    """The rows of ``columns`` as cell tuples for the :mod:`csv` writer."""
    cells = [
        np.array(texts, dtype=object)[where if rows is None else where[rows]].tolist()
        for texts, where in columns
    ]
    return zip(*cells, strict=True)


_PAIR_COLUMNS = frozenset({*MEASURE_COLUMNS, "id", "population", "mmt_max", "global_max"})
_LONG_COLUMNS = frozenset(
    {
        *MEASURES,
        *(f"uln_{enzyme.value.lower()}" for enzyme in Enzyme),
        *("id", "visit", "date", "population", "subtype", "mmt_max", "global_max"),
    }
)
_MEASURE_STEMS = frozenset(MEASURES)
_NUMERIC = frozenset({*MEASURE_COLUMNS, "mmt_max", "global_max"})  # parsed at the edge
_SERIES_NUMERIC = _LONG_COLUMNS - {"id", "visit", "date", "population", "subtype"}


def in_column_terms(message: str, columns: Iterable[str] = ()) -> str:
    """A scalar-path message about a row of a pair table with ``columns``, in the CSV file's and
    the command line's terms (:mod:`myoresponse.tables.terms`): ``followup.enzymes.CK`` ->
    ``followup_ck``, ``missing='zero'`` -> ``--missing zero``."""
    return as_flags(pair_terms(columns)(message))


def _in_column_terms(
    errors: Any, rows: list[list[str]] | None = None, header: list[str] | None = None
) -> None:
    """Rewrite an ``error`` column (already in the table's terms) in place with the command
    line's flags, each distinct message once; with the chunk's ``rows`` and ``header``, a value
    is shown as its cell was written (``-1``, not ``-1.0``)."""
    seen: dict[str, str] = {}
    place = {user_column(name): column for column, name in enumerate(header or ())}
    named = re.compile(rf"^({_any_of(place)}): (\S+) ")
    for index in np.flatnonzero(errors != ""):
        message = errors[index]
        if message not in seen:
            seen[message] = as_flags(message)
        errors[index] = seen[message]
        if rows is not None:
            errors[index] = _as_written(errors[index], rows[index], place, named)


def _any_of(names: Iterable[str]) -> str:
    """A pattern matching any of ``names`` (a file's column names may hold spaces, hyphens …),
    the longest first; one that matches nothing when there are none."""
    escaped = [re.escape(name) for name in sorted(names, key=len, reverse=True) if name]
    return "|".join(escaped) or r"(?!)"


def _as_written(
    message: str, row: list[str], place: Mapping[str, int], named: re.Pattern[str]
) -> str:
    """``column: value ...`` with the value as the row's cell wrote it, when the two are equal
    (``named`` matches the columns of ``place`` at the start of a message)."""
    found = named.match(message)
    if found is None or found[1] not in place:
        return message
    cell = row[place[found[1]]].strip()
    if not cell or cell == found[2]:
        return message
    try:
        same = Decimal(cell) == Decimal(found[2])
    except (InvalidOperation, ValueError):
        return message
    return f"{found[1]}: {cell} {message[found.end() :]}" if same else message


def _series_as_written(
    errors: Any, block: list[list[str]], lines: list[int], header: list[str]
) -> None:
    """Rewrite a long table's ``error`` column in place, each distinct message once: a value of
    the row on ``line N`` is shown as its cell was written (``mmt: -3``, not ``mmt: -3.0``)."""
    place = {user_column(name): column for column, name in enumerate(header)}
    row_at = {line: index for index, line in enumerate(lines)}
    columns = _any_of(place)
    named = re.compile(rf"^({columns}): (\S+) ")
    at_line = re.compile(rf"(\bline (\d+)\)?: )((?:{columns}): \S+ )")

    def written(found: re.Match[str]) -> str:
        row = row_at.get(int(found[2]))
        value = found[3] if row is None else _as_written(found[3], block[row], place, named)
        return found[1] + value

    seen: dict[str, str] = {}
    for index in np.flatnonzero(errors != ""):
        message = errors[index]
        if message not in seen:
            seen[message] = at_line.sub(written, message)
        errors[index] = seen[message]


FIELD_SIZE_LIMIT = 1 << 24
"""The longest cell the reader takes (16 MiB; the :mod:`csv` module's default is 128 KiB)."""


class KeywordError(Exception):
    """A keyword (a command-line flag) is invalid: ``error`` says which and why."""

    def __init__(self, error: MyoresponseError) -> None:
        super().__init__(str(error))
        self.error = error


class MissingKeyword(Exception):
    """Neither a keyword nor a column gives the population or the MMT scale."""

    def __init__(self, keyword: str, reason: str) -> None:
        super().__init__(reason)
        self.keyword = keyword


def _scored(columns: dict[str, Any], keywords: dict[str, Any], size: int) -> dict[str, Any]:
    """``score_many`` on a chunk; if it fails unexpectedly, row by row, so one row cannot sink it.

    An exception other than a :class:`~myoresponse.MyoresponseError` is a defect of the library;
    the row that raises it gets an ``internal error`` message in its ``error`` column.
    """
    try:
        out: dict[str, Any] = score_many(columns, **keywords)
        return out
    except MyoresponseError:
        raise
    except Exception:
        pass
    parts = []
    for row in range(size):
        single = {name: column[row : row + 1] for name, column in columns.items()}
        try:
            parts.append(score_many(single, **keywords))
        except Exception as error:
            blank = {name: np.array([""], dtype=str) for name in columns if name != "id"}
            part = score_many(blank, **keywords)  # an empty row: the output's shape
            if "id" in columns:
                part = {"id": columns["id"][row : row + 1], **part}
            _blank(part, 0)
            part["error"] = np.array([internal_error(error)], dtype=object)
            parts.append(part)
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


def _check_chunk(chunk_rows: int) -> None:
    if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, int) or chunk_rows < 1:
        raise ValueError(f"chunk_rows must be a positive whole number, got {chunk_rows!r}")


@contextlib.contextmanager
def _long_cells() -> Iterator[None]:
    """For the run: cells up to :data:`FIELD_SIZE_LIMIT`, and the cycle collector paused.

    A chunk holds 50,000 row lists and some 10**6 cell strings; they form no reference cycles, but
    their allocation would trigger a full collection every few chunks, a third of the run time.
    Both settings are restored afterwards.
    """
    before = csv.field_size_limit()
    collecting = gc.isenabled()
    csv.field_size_limit(FIELD_SIZE_LIMIT)
    gc.disable()
    try:
        yield
    finally:
        csv.field_size_limit(before)
        if collecting:
            gc.enable()


def _require(header: list[str], keywords: dict[str, Any], mmt_columns: tuple[str, ...]) -> None:
    """Stop at once when the population or the MMT scale comes from neither keyword nor column."""
    if keywords.get("population") is None and "population" not in header:
        raise MissingKeyword(
            "population",
            "--population is required (adult or juvenile), or a population column",
        )
    found = [name for name in mmt_columns if name in header]
    if found and keywords.get("mmt_max") is None and "mmt_max" not in header:
        raise MissingKeyword(
            "mmt_max",
            f"--mmt-max is required: the table has the MMT column {found[0]}; give the MMT's "
            "maximum (80, 150 or 260), or an mmt_max column",
        )


def _validated(check: Callable[[], Any], keywords: dict[str, Any]) -> Any:
    """Run the header and keyword check; a keyword's error becomes :class:`KeywordError`."""
    try:
        return check()
    except MyoresponseError as error:
        head = (error.field or "").partition(".")[0]
        if head == "population" and keywords.get("population") is None:
            _require([], keywords, ())
        if head in _KEYWORDS:
            raise KeywordError(error) from None
        raise


_KEYWORDS = frozenset(
    {
        "population",
        "core_set",
        "mmt_max",
        "global_max",
        "band_edges",
        "enzyme_rule",
        "missing",
        "enzyme",
        "subtype",
        "level",
        "consecutive",
        "landmark",
        "landmark_day",
        "window_days",
        "responder_threshold",
        "endpoints",
        "scales",
        "options",
    }
)


def _header(
    reader: Any, known: frozenset[str], column_map: Mapping[str, str] | None, table: str
) -> list[str]:
    """The column names of the first line after ``column_map``, known names in lower case.

    Column names match case-insensitively and ignore surrounding spaces (and a byte-order mark);
    an unknown name that looks like a measure (a close misspelling of a known column, or a bare
    measure name in a table of pairs) is an error rather than a column silently ignored. The
    column map's keys are the names as written in the file.
    """
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise InputFormatError(f"line 1: {error}") from None
    if not header:
        raise InputFormatError("the CSV file is empty; its first line must name the columns")
    header = [name.strip().lstrip("\ufeff").strip() for name in header]
    header = [_column_name(name, known) for name in mapped_names(header, column_map, table)]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise InputFormatError(f"column {name!r} appears twice in the header", field=name)
        seen.add(name)
    return header


def _column_name(clean: str, known: frozenset[str]) -> str:
    lower = clean.lower()
    if lower in known:
        return lower
    close = difflib.get_close_matches(lower, sorted(known), n=1, cutoff=0.85)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    if lower.partition("_")[0] in ("baseline", "followup", "uln"):
        return lower  # the table reader reports an unknown prefixed name with the allowed ones
    if lower in _MEASURE_STEMS:
        raise UnknownFieldError(
            "is a measure without a baseline_/followup_ prefix; name the visit "
            f"(baseline_{lower}, followup_{lower})",
            field=clean,
            value=clean,
        )
    if close:
        raise UnknownFieldError(
            f"is not a column name{hint} (column names match case-insensitively; "
            "rename other columns that look like a measure)",
            field=clean,
            value=clean,
        )
    return clean


def _blank(out: dict[str, Any], index: int) -> None:
    for name, column in out.items():
        if column.dtype.kind == "f":
            column[index] = np.nan
        elif name in ("category", "enzyme"):
            column[index] = ""
        elif name == "partial":
            column[index] = False
