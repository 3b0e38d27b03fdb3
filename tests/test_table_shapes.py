"""A table's columns must be columns: one cell per row (issue 12, item 13).

A text value has a length, so ``{"uln_ck": "200", "baseline_ck": [1, 2, 3]}`` once passed the
length check as three one-character cells and ended in an ``IndexError``. Every value that is sized
but not a column is refused with the library's error, naming the column.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from myoresponse import InputFormatError, score_many, score_series_many

NOT_COLUMNS = ["200", "abc", b"200", {0: 1, 1: 2, 2: 3}, {1, 2, 3}, frozenset({1, 2, 3})]


@pytest.mark.parametrize("value", NOT_COLUMNS, ids=repr)
def test_pair_table_refuses_a_value_that_is_not_a_column(value: Any) -> None:
    with pytest.raises(InputFormatError) as caught:
        score_many({"uln_ck": value, "baseline_ck": [1, 2, 3]}, population="adult", mmt_max=80)
    assert caught.value.field == "uln_ck"
    assert "one per row" in str(caught.value)


@pytest.mark.parametrize("value", NOT_COLUMNS, ids=repr)
def test_long_table_refuses_a_value_that_is_not_a_column(value: Any) -> None:
    columns = {"id": ["A", "A", "A"], "visit": ["b", "w4", "w8"], "mmt": value}
    with pytest.raises(InputFormatError) as caught:
        score_series_many(columns, population="adult", mmt_max=80, missing="zero")
    assert caught.value.field == "mmt"


def test_columns_of_every_sequence_kind_are_still_columns() -> None:
    # a list, a tuple, a numpy array and a range are columns, scored alike; the refusal is only
    # for text, bytes, mappings and sets
    def points(column: Any) -> list[float]:
        out = score_many(
            {
                "baseline_mmt": column,
                "followup_mmt": [70, 70, 70],
                "baseline_physician_global": [5, 5, 5],
                "followup_physician_global": [5, 5, 5],
            },
            population="adult",
            mmt_max=80,
            missing="zero",
        )
        assert out["error"].tolist() == ["", "", ""]
        return out["points_mmt"].tolist()  # type: ignore[no-any-return]

    expected = points([60, 70, 80])
    assert expected[0] > 0 and expected[1] == 0
    for column in ((60, 70, 80), np.array([60, 70, 80]), range(60, 90, 10)):
        assert points(column) == expected


def test_problems_of_every_block_land_on_their_own_rows() -> None:
    # blocks record their problems straight into the table's arrays (views): a problem in the
    # second block must be reported on its row, not on the same offset of the first block
    from myoresponse.tables.pairs import _BLOCK_ROWS

    rows = _BLOCK_ROWS + 1000
    base = np.full(rows, 60.0)
    follow = np.full(rows, 70.0)
    bad = [3, _BLOCK_ROWS - 1, _BLOCK_ROWS, _BLOCK_ROWS + 7, rows - 1]
    follow[bad[:3]] = -1.0  # negative
    follow[bad[3:]] = 99.0  # outside 0 to 80
    out = score_many(
        {
            "baseline_mmt": base,
            "followup_mmt": follow,
            "baseline_physician_global": np.full(rows, 5.0),
            "followup_physician_global": np.full(rows, 4.0),
        },
        population="adult",
        mmt_max=80,
        missing="zero",
    )
    assert np.flatnonzero(out["error"] != "").tolist() == bad
    assert "followup_mmt: -1.0 is negative" in out["error"][_BLOCK_ROWS]
    assert "followup_mmt: 99 is outside" in out["error"][rows - 1]
    assert np.isnan(out["total_improvement_score"][bad]).all()
    assert not np.isnan(np.delete(out["total_improvement_score"], bad)).any()
