"""The column-wise CSV read and write of plain chunks equal the csv-module path, byte for byte.

``score --csv`` splits, parses and writes a plain chunk (no quote, no stray carriage return, no
blank or ragged line) from its bytes; every other chunk goes through :mod:`csv` and the cell-wise
conversion as before. These tests hold the fast path to the reference: the same numbers for every
cell (odd cells such as ``1e-400`` or 17-digit values kept as text, so that they score as their
decimals), the same output bytes for whole random tables, and the same summary.
"""

from __future__ import annotations

import csv
import io
import struct
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from myoresponse.io import _plain_chunk
from myoresponse.io import csv as csv_stream
from myoresponse.io._cells import text_to_numbers
from myoresponse.io._plain_chunk import plain_chunk

PLAIN_CHARS = "0123456789.+-"
number_cells = st.one_of(
    st.text(PLAIN_CHARS, max_size=17),  # plain or nearly: "1.2.3", "+-", "-", ".", 16 digits
    st.sampled_from(["", "NA", "nan", " 7 ", "1e3", "1e-400", "2.2", "+5", ".5", "5.", "-0", "x"]),
    st.sampled_from(["0.1000000000000000001", "12345678901234567", "123456789012345", "1_0"]),
    st.sampled_from(["٣", "-0.0", "+.5", "-.5", "00012", "999999999999999", "0.30000000000000004"]),
    st.decimals(min_value=-3000, max_value=3000, places=3).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.integers(0, 200).map(str),
)


def same_cell(a: Any, b: Any) -> bool:
    """Equal values of the same type; floats bit for bit (``-0.0`` is not ``0.0``, NaN is NaN)."""
    if isinstance(a, float) and isinstance(b, float):
        return struct.pack("<d", a) == struct.pack("<d", b) or (a != a and b != b)
    return type(a) is type(b) and a == b


@given(st.lists(st.tuples(number_cells, number_cells), min_size=1, max_size=40))
def test_plain_chunk_numbers_equal_the_cellwise_reading(rows: list[tuple[str, str]]) -> None:
    lines = [f"{a},{b}\n" for a, b in rows]
    chunk = plain_chunk(lines, ",", 2, 1 << 24)
    assert chunk is not None
    for column in (0, 1):
        cells = [row[column] for row in rows]
        expected, got = text_to_numbers(cells), chunk.numbers(column)
        assert expected.dtype == got.dtype
        for row, (want, have) in enumerate(zip(expected.tolist(), got.tolist(), strict=True)):
            assert same_cell(want, have), (row, cells[row], want, have)


@given(st.lists(st.text(st.characters(blacklist_characters=',"\r\n\x00'), max_size=12), min_size=1))
def test_plain_chunk_texts_equal_the_csv_reading(ids: list[str]) -> None:
    lines = [f"{name},1\n" for name in ids]
    chunk = plain_chunk(lines, ",", 2, 1 << 24)
    assert chunk is not None
    expected = np.array(ids, dtype=str)
    got = chunk.texts(0)
    assert got.dtype.kind == "U" and got.tolist() == expected.tolist()
    assert [chunk.row(row)[0] for row in range(len(ids))] == ids


@pytest.mark.parametrize(
    "lines",
    [
        ['a,"b"\n'],  # a quote
        ["a,b\r"],  # a carriage return that is no line end
        ["a,b\n", "\n"],  # a blank line
        ["a,b\n", "a,b,c\n"],  # a ragged line
        ["a,b,\n", "c\n"],  # ragged lines whose cells add up
        ["a\x00,b\n"],  # a NUL
    ],
)
def test_chunks_that_are_not_plain_go_to_the_csv_module(lines: list[str]) -> None:
    assert plain_chunk(lines, ",", 2, 1 << 24) is None


def test_a_chunk_with_a_cell_over_the_limit_goes_to_the_csv_module() -> None:
    assert plain_chunk(["abcdef,1\n"], ",", 2, 5) is None
    assert plain_chunk(["abcde,1\r\n", "a,2"], ",", 2, 5) is not None  # \r\n, no final line end


MEASURES = [
    "baseline_physician_global",
    "followup_physician_global",
    "baseline_patient_global",
    "followup_patient_global",
    "baseline_mmt",
    "followup_mmt",
    "baseline_haq",
    "followup_haq",
    "baseline_ck",
    "followup_ck",
    "uln_ck",
    "baseline_extramuscular",
    "followup_extramuscular",
]
table_cells = st.one_of(
    st.integers(0, 10).map(str),
    st.decimals(min_value=0, max_value=10, places=1).map(str),
    st.sampled_from(["", "", "NA", "1e-400", "12345678901234567", "2.2", " 3 ", "-3", "x", "1,5"]),
    st.integers(40, 150).map(str),
    st.integers(0, 3000).map(str),
)
ids = st.one_of(
    st.from_regex(r"P[0-9]{1,4}", fullmatch=True),
    st.sampled_from(["", "Zoë", "a,b", 'say "hi"', "two\nlines", "semi;colon", " padded "]),
)


@st.composite
def tables(draw: Any) -> tuple[str, int]:
    """A cohort CSV text (some rows ragged, some lines blank) and a chunk size."""
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    header = ["id", *draw(st.permutations(MEASURES))[: draw(st.integers(len(MEASURES) - 2, 13))]]
    rows: list[list[str]] = []
    for _ in range(draw(st.integers(0, 30))):
        row = [draw(ids), *(draw(table_cells) for _ in header[1:])]
        if draw(st.integers(0, 30)) == 0:
            row = row[: draw(st.integers(0, len(row) + 1))] + ["7"] * draw(st.integers(0, 2))
        rows.append(row)
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))
    )
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    if rows and draw(st.booleans()):
        lines = text.split("\n")
        spot = draw(st.integers(1, len(lines) - 1))
        text = "\n".join([*lines[:spot], "", *lines[spot:]])
    return text, draw(st.integers(1, 8))


def run(text: str, chunk_rows: int) -> tuple[str, csv_stream.CsvSummary]:
    sink = io.StringIO(newline="")
    keywords: dict[str, Any] = {"population": "adult", "mmt_max": 150}
    summary = csv_stream.score_csv(
        io.StringIO(text, newline=""), sink, keywords, chunk_rows=chunk_rows
    )
    return sink.getvalue(), summary


@given(tables())
def test_output_equals_the_csv_module_path(table: tuple[str, int]) -> None:
    text, chunk_rows = table
    fast = run(text, chunk_rows)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(_plain_chunk, "plain_chunk", lambda *args: None)
        reference = run(text, chunk_rows)
    assert fast[0] == reference[0]
    assert fast[1] == reference[1]


def test_plain_and_quoted_chunks_mix_in_one_file() -> None:
    head = "id,baseline_mmt,followup_mmt\n"
    text = head + "A,100,120\n" * 3 + '"B, quoted",100,-3\nC,100,1e-400\n' + "D,90,131\n" * 3
    out, summary = run(text, 3)
    lines = out.splitlines()
    assert lines[1].startswith("A,") and lines[4].startswith('"B, quoted",')
    assert lines[5].startswith("C,") and lines[7].startswith("D,")
    assert summary.rows == 8 and summary.errors == 8  # partial rows under missing="error"
    assert "followup_mmt: -3 is negative" in lines[4]  # the cell as written, from a csv chunk
    assert (out, summary) == run(text, 100)


def test_an_error_row_of_a_plain_chunk_shows_its_cell_as_written() -> None:
    head = "id,baseline_physician_global,followup_physician_global\n"
    out, summary = run(head + "A,-3,2\nB,-2e2,2\n", 10)
    assert "baseline_physician_global: -3 " in out.splitlines()[1]
    assert "baseline_physician_global: -2e2 " in out.splitlines()[2]
    assert summary.first_error is not None and summary.first_error.startswith("line 2: ")


def test_line_numbers_count_a_header_that_spans_lines() -> None:
    text = 'id,baseline_mmt,followup_mmt,"a note\nover two lines"\nA,100,-3,x\nB,100,120,y\n'
    out, summary = run(text, 10)
    assert summary.first_error == "line 3: followup_mmt: -3 is negative; must be 0 or more"
    assert out.splitlines()[1].startswith("A,")
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(_plain_chunk, "plain_chunk", lambda *args: None)
        assert run(text, 10) == (out, summary)
