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
