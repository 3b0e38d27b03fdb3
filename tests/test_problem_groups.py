"""Column-wise error messages: rows with equal keys share one scalar call and its message."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from myoresponse.errors import MyoresponseError
from myoresponse.tables._problems import messages

_COLUMN = st.one_of(
    st.lists(st.integers(0, 40), min_size=1, max_size=4),  # short whole ranges: counted
    st.lists(st.integers(0, 10**9), min_size=1, max_size=4),  # wide whole ranges: sorted
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=4),  # fractions
)


@settings(max_examples=150, deadline=None)
@given(
    choices=st.lists(_COLUMN, min_size=1, max_size=4),
    rows=st.integers(1, 300),
    seed=st.integers(0, 2**32 - 1),
)
def test_each_row_gets_the_message_of_its_own_key(
    choices: list[list[float]], rows: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    keys = [
        np.asarray(values, dtype=np.float64)[rng.integers(0, len(values), rows)]
        for values in choices
    ]
    positions = rng.permutation(rows * 3)[:rows]  # the table rows of the problems
    by_row = {int(row): i for i, row in enumerate(positions)}
    calls: list[int] = []

    def explain(row: int) -> MyoresponseError:
        calls.append(row)
        i = by_row[row]
        return MyoresponseError(repr(tuple(float(column[i]) for column in keys)))

    out, left = messages(positions, keys, explain)
    assert left.size == 0
    distinct = {tuple(float(column[i]) for column in keys) for i in range(rows)}
    assert len(calls) == len(distinct)  # one scalar call per distinct key
    for i in range(rows):
        assert out[i] == repr(tuple(float(column[i]) for column in keys))


def test_a_key_without_scalar_error_sends_its_rows_back() -> None:
    keys = [np.array([1.0, 2.0, 1.0, 3.0])]
    rows = np.array([10, 11, 12, 13])
    out, left = messages(rows, keys, lambda row: None if row in (10, 12) else MyoresponseError("x"))
    assert sorted(left.tolist()) == [10, 12] and out[1] == "x" and out[3] == "x"


def test_large_whole_keys_in_a_short_range_are_their_own_digits() -> None:
    # whole values beyond an int64 but close together: offset from the lowest before the cast
    from myoresponse.tables._problems import _digits

    column = np.array([1e19, 1e19 + 4096, 1e19, 1e19 + 2048])
    size, codes = _digits(column, float(column.min()), float(column.max()), column.size)
    assert size == 3 and codes.tolist() == [0, 2, 0, 1]
    size, codes = _digits(np.array([7, -3, 7], dtype=np.int32), -3.0, 7.0, 3)  # integer codes
    assert size == 2 and codes.tolist() == [1, 0, 1]
