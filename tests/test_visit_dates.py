"""The ``date`` column of a long table read at once equals reading it cell by cell (issue 9).

``VisitDates`` reads a ``datetime64`` column as a whole and a numpy text column once per distinct
text; the day numbers and texts must be those the cell-by-cell reading gives, and a row's value
the one the scalar path reads.
"""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from myoresponse import score_series_many
from myoresponse.endpoints.series import read_date
from myoresponse.errors import MyoresponseError
from myoresponse.tables._columns import text_cell
from myoresponse.tables._dates import BAD, NONE, VisitDates, date_text, date_value

TEXTS = ["2024-01-01", "2024-02-29", "2023-02-29", "20240101", "", " 2024-03-01 ", "NA", "soon"]


def _reference(raw: Any, size: int) -> tuple[list[int], list[str], list[Any]]:
    """Days, texts and values read one cell at a time (the reading before this change)."""
    days, texts, values = [], [], []
    for row in range(size):
        cell = raw[row] if isinstance(raw, np.ndarray) and raw.dtype.kind == "M" else None
        value = date_value(text_cell(raw, row) if cell is None else cell)
        values.append(value)
        texts.append(date_text(value))
        if value is None:
            days.append(NONE)
        elif isinstance(value, str):
            try:
                parsed = read_date(value)
                days.append(NONE if parsed is None else parsed.toordinal())
            except MyoresponseError:
                days.append(BAD)
        elif isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            days.append(value.toordinal())
        else:
            days.append(BAD)
    return days, texts, values


def _check(raw: Any, size: int) -> None:
    dates = VisitDates(raw, size)
    days, texts, values = _reference(raw, size)
    assert dates.days.tolist() == days
    assert dates.texts.tolist() == texts
    assert [dates.value(row) for row in range(size)] == values


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(TEXTS), max_size=30))
def test_text_columns_equal_the_cell_by_cell_reading(cells: list[str]) -> None:
    _check(np.array(cells, dtype=str), len(cells))  # numpy text: once per distinct text
    _check(cells, len(cells))  # a list: cell by cell


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.integers(-800_000, 2_900_000)), max_size=30
    ),  # days around 1970
    st.sampled_from(["D", "s", "ns"]),
)
def test_datetime64_columns_equal_the_cell_by_cell_reading(
    days: list[int | None], unit: str
) -> None:
    values = np.array(
        [np.datetime64("NaT") if d is None else np.datetime64(d, "D") for d in days],
        dtype="datetime64[D]",
    )
    if unit != "D":
        inside = (values >= np.datetime64("1678-01-01")) & (values < np.datetime64("2262-01-01"))
        values = np.where(inside | np.isnat(values), values, np.datetime64("NaT"))
    _check(values.astype(f"datetime64[{unit}]"), len(days))


def test_dates_beyond_a_python_date_are_read_cell_by_cell() -> None:
    far = np.array(["2024-01-01", "10000-01-01", "NaT"], dtype="datetime64[D]")
    _check(far, 3)
    assert VisitDates(far, 3).days[1] == BAD


def test_mixed_object_cells() -> None:
    cells = [datetime.date(2024, 1, 2), datetime.datetime(2024, 1, 3, 12), "2024-01-04", None, 3]
    _check(cells, len(cells))
    _check(np.array(cells, dtype=object), len(cells))


def test_pandas_columns() -> None:
    pd = pytest.importorskip("pandas")
    stamps = pd.to_datetime(["2024-01-01", None, "2024-03-01T10:00"], format="ISO8601")
    _check(pd.Series(stamps), 3)
    _check(pd.Series(["2024-01-01", None, "x"]), 3)


@pytest.mark.parametrize("kind", ["text", "datetime64"])
def test_long_table_with_dates_equals_per_patient_dates(kind: str) -> None:
    # the fast path reads the date column at once; the endpoints and the output's date column
    # are those of the same table with the dates as Python dates
    dates = ["2024-01-01", "2024-02-01", "2024-03-01", "2024-01-05", "2024-01-04"]
    column: Any = np.array(dates) if kind == "text" else np.array(dates, dtype="datetime64[D]")
    table = {
        "id": ["A", "A", "A", "B", "B"],
        "visit": ["base", "w4", "w8", "base", "w4"],
        "physician_global": [6, 3, 2, 5, 3],
        "mmt": [100, 120, 130, 100, 110],
        "date": column,
    }
    keywords: dict[str, Any] = {"population": "adult", "mmt_max": 150, "missing": "zero"}
    out = score_series_many(table, **keywords)
    same = score_series_many(
        {**table, "date": [datetime.date.fromisoformat(d) for d in dates]}, **keywords
    )
    for name in out:
        if out[name].dtype.kind == "f":
            assert np.array_equal(out[name], same[name], equal_nan=True), name
        else:
            assert out[name].tolist() == same[name].tolist(), name
    assert out["date"].tolist() == dates
    assert out["error"][3] != "" and "date" in out["error"][3]  # B's dates go backwards
    assert out["error"][0] == ""
