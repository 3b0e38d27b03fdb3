"""``series --csv`` writes its rows column-wise as bytes: the same bytes as the csv writer.

Random long tables (quoted and non-ASCII ids, odd cells, ragged rows, patients out of order),
written as one long table and as the two tidy tables of ``--patients-output``, with and without
the byte assembly.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from myoresponse.io import csv as csv_stream

MEASURES = ["physician_global", "patient_global", "mmt", "haq", "ck", "extramuscular", "uln_ck"]
cells = st.one_of(
    st.integers(0, 10).map(str),
    st.sampled_from(["", "NA", "1e-400", "12345678901234567", "2.2", "-3", "x", "1,5", "200"]),
    st.integers(40, 150).map(str),
)
ids = st.sampled_from(["A", "B", "C", "", "Zoë", "a,b", 'say "hi"'])


@st.composite
def long_tables(draw: Any) -> tuple[str, int]:
    """A long CSV table (rows mostly grouped by patient) and a chunk size."""
    header = ["id", "visit", *MEASURES]
    rows = []
    for index in range(draw(st.integers(0, 25))):
        row = [draw(ids), draw(st.sampled_from(["0", "1", "2", f"v{index}", ""]))]
        row += [draw(cells) for _ in MEASURES]
        if draw(st.integers(0, 20)) == 0:
            row = row[: draw(st.integers(0, len(row)))]
        rows.append(row)
    if draw(st.booleans()):
        rows.sort(key=lambda row: row[0] if row else "")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue(), draw(st.integers(1, 8))


def run(text: str, chunk_rows: int, split: bool) -> tuple[str, str, Any]:
    sink, patients = io.StringIO(newline=""), io.StringIO(newline="")
    keywords: dict[str, Any] = {"population": "adult", "mmt_max": 150, "missing": "zero"}
    summary = csv_stream.score_series_csv(
        io.StringIO(text, newline=""),
        sink,
        keywords,
        chunk_rows=chunk_rows,
        patients_sink=patients if split else None,
    )
    return sink.getvalue(), patients.getvalue(), summary


@given(long_tables(), st.booleans())
def test_series_output_bytes_equal_the_csv_writer(table: tuple[str, int], split: bool) -> None:
    text, chunk_rows = table
    fast = run(text, chunk_rows, split)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(csv_stream, "byte_column", lambda *args: None)
        reference = run(text, chunk_rows, split)
    assert fast == reference
