"""The CSV command's column-wise cell conversion reads and writes what the cell-wise one did.

``text_to_numbers`` hands the table code float64 for plain decimals of at most 15 characters and the
cell's text for every other cell; scoring must equal scoring the text columns as given.
``cells_to_text`` formats each distinct value once; the cells must equal per-cell formatting.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from myoresponse.io._cells import Records, cells_to_text, text_to_numbers
from myoresponse.tables.pairs import score_many

COLUMNS = [
    "baseline_physician_global",
    "followup_physician_global",
    "baseline_mmt",
    "followup_mmt",
    "baseline_ck",
    "followup_ck",
    "uln_ck",
]
cells = st.one_of(
    st.sampled_from(["", "NA", "nan", " 7 ", "1e3", "1e-400", "2.2", "+5", ".5", "5.", "-0", "x"]),
    st.sampled_from(["0.1000000000000000001", "12345678901234567", "1_0", "inf", "110", "131"]),
    st.decimals(min_value=0, max_value=3000, places=3).map(str),
    st.integers(0, 200).map(str),
)


def same(a: Any, b: Any) -> bool:
    a, b = (x.item() if isinstance(x, np.generic) else x for x in (a, b))
    if isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b):
        return True
    return bool(a == b)


@given(st.lists(st.lists(cells, min_size=len(COLUMNS), max_size=len(COLUMNS)), min_size=1))
def test_converted_columns_score_as_their_text(rows: list[list[str]]) -> None:
    columns = dict(zip(COLUMNS, zip(*rows, strict=True), strict=True))
    text = {name: np.array(column, dtype=str) for name, column in columns.items()}
    fast = {name: text_to_numbers(column) for name, column in columns.items()}
    keywords: dict[str, Any] = {"population": "adult", "mmt_max": 150, "missing": "zero"}
    expected, got = score_many(text, **keywords), score_many(fast, **keywords)
    for name, column in expected.items():
        for row, value in enumerate(column):
            assert same(value, got[name][row]), (name, row, rows[row])


def test_plain_cells_become_floats_and_odd_cells_stay_text() -> None:
    plain = text_to_numbers(("2.2", "", "NA", " 131 ", "-0.5"))
    assert plain.dtype == np.float64
    assert plain[0] == 2.2 and np.isnan(plain[1]) and np.isnan(plain[2]) and plain[3] == 131
    mixed = text_to_numbers(("2.2", "1e-400", "12345678901234567", "abc"))
    assert mixed.dtype == object
    assert mixed.tolist() == [2.2, "1e-400", "12345678901234567", "abc"]


@given(st.lists(st.one_of(st.floats(allow_infinity=False), st.just(np.nan)), min_size=1))
def test_formatting_each_distinct_value_once_equals_formatting_each_cell(
    values: list[float],
) -> None:
    column = np.array(values, dtype=np.float64)
    error = np.array([""] * len(values), dtype=object)
    expected = column.astype(str)
    expected[np.isnan(column)] = ""
    assert cells_to_text(column, "total_improvement_score", error) == expected.tolist()
    flags = np.array([v > 0 for v in values])
    error[0] = "bad"
    texts = cells_to_text(flags, "partial", error)
    assert texts[0] == "" and texts[1:] == ["true" if f else "false" for f in flags[1:]]


def test_records_give_physical_lines_and_skip_blank_lines() -> None:
    text = 'a,b\n1,2\n\n"x\ny",3\n\n\n4,5\n'
    reader = csv.reader(io.StringIO(text))
    next(reader)
    records = Records(reader)
    assert records.take(2) == ([2], [["1", "2"]])  # up to 2 records; the blank one is dropped
    assert records.take(2) == ([4], [["x\ny", "3"]])
    assert records.take(2) == ([8], [["4", "5"]])  # a chunk of blank lines only: read on
    assert records.take(2) == ([], [])
    assert records.notes() == ["skipped 3 blank lines (the first is line 3)"]


LONG_MEASURES = [
    "physician_global",
    "patient_global",
    "mmt",
    "haq",
    "ck",
    "extramuscular",
    "uln_ck",
]


@given(
    st.lists(
        st.tuples(st.sampled_from(["A", "B", "C"]), st.lists(cells, min_size=7, max_size=7)),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(["error", "zero"]),
)
def test_converted_long_columns_score_as_their_text(
    rows: list[tuple[str, list[str]]], missing: str
) -> None:
    # series --csv hands the long table its measure columns converted as score --csv does.
    from myoresponse.tables.visits import score_long_table

    rows = sorted(rows, key=lambda row: row[0])  # each patient's rows together
    ids = [row[0] for row in rows]
    labels = [str(index) for index in range(len(rows))]
    measures = dict(zip(LONG_MEASURES, zip(*(row[1] for row in rows), strict=True), strict=True))
    text = {"id": np.array(ids), "visit": np.array(labels)}
    fast = dict(text)
    for name, column in measures.items():
        text[name] = np.array(column, dtype=str)
        fast[name] = text_to_numbers(column)
    keywords: dict[str, Any] = {"population": "adult", "mmt_max": 150, "missing": missing}
    expected = score_long_table(text, keywords).columns
    got = score_long_table(fast, keywords).columns
    assert list(expected) == list(got)
    for name, column in expected.items():
        for row, value in enumerate(column):
            assert same(value, got[name][row]), (name, row, rows[row])
