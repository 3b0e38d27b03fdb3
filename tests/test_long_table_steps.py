"""The steps of score_series_many's fast path against simple references.

- In chunks of a few pairs, with the patients' rows grouped or interleaved, the long table still
  equals score_series patient for patient (the chunks carry work arrays from one to the next).
- Visit labels read as codes (a checked hash of the text) equal the per-cell reading, also when
  the hash collides; the labels of a run joined once per distinct run equal a plain join.
- Runs of flagged visits found by windows equal a loop over the visits.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import myoresponse.tables._labels as labels_module
import myoresponse.tables._visit_pairs as visit_pairs
from myoresponse import MyoresponseError, score_series, score_series_many
from myoresponse.tables._columns import text_cell
from myoresponse.tables._grouped import runs_at_least
from myoresponse.tables._labels import read_labels
from tests.test_series_many_fast import SETTINGS, _series, _table, long_tables
from tests.test_series_table import assert_rows, expected_rows

# -- chunks ---------------------------------------------------------------------------------------


def _keywords(case: dict[str, Any]) -> dict[str, Any]:
    keywords: dict[str, Any] = {
        "population": "juvenile" if case["juvenile"] else "adult",
        "core_set": "printo" if case["printo"] else "imacs",
        "missing": case["missing"],
        "level": case["level"],
        "consecutive": case["consecutive"],
        "deterioration": case["deterioration"],
        "mmt_max": 80,
    }
    if not case["gmax_column"]:
        keywords["global_max"] = case["gmax"]
    if case["printo"]:
        keywords["chq_phs_range"] = (0, 60)
    return keywords


def _assert_equals_score_series(case: dict[str, Any], out: dict[str, Any], where: Any) -> None:
    definitions = (
        ("printo_20", "printo_50", "printo_70", "printo_90")
        if case["printo"]
        else ("imacs_doi_2004",)
    )
    for p in range(len(case["patients"])):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = score_series(
                    _series(case, p),
                    level=case["level"],
                    consecutive=case["consecutive"],
                    deterioration=case["deterioration"],
                )
        except MyoresponseError:
            assert all(out["error"][row] for row in where[p])
            continue
        assert_rows(out, where[p], expected_rows(result.to_dict(), definitions))


@SETTINGS
@given(case=long_tables(), chunk=st.integers(1, 7), grouped=st.booleans())
def test_chunks_of_pairs_equal_score_series(
    case: dict[str, Any], chunk: int, grouped: bool
) -> None:
    if grouped:  # each patient's rows together, in table order (the rows are read as slices)
        case = {**case, "order": sorted(case["order"])}
    table, where = _table(case)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(visit_pairs, "_CHUNK_PAIRS", chunk)
        out = score_series_many(table, **_keywords(case))
    _assert_equals_score_series(case, out, where)
    whole = score_series_many(table, **_keywords(case))
    for name, column in whole.items():
        if column.dtype.kind == "f":
            assert np.array_equal(column, out[name], equal_nan=True), name
        else:
            assert column.tolist() == out[name].tolist(), name


def test_a_table_in_many_chunks_scores_each_patient_once(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(5)
    sizes = rng.integers(1, 8, 60)  # patients of 1 to 7 visits (a single visit: scalar path)
    ids = np.repeat([f"P{p}" for p in range(sizes.size)], sizes)
    size = ids.size
    table = {
        "id": ids,
        "visit": np.concatenate([[f"v{k}" for k in range(n)] for n in sizes]),
        "physician_global": rng.integers(0, 21, size) / 2,
        "patient_global": rng.integers(0, 21, size) / 2,
        "mmt": rng.integers(40, 81, size).astype(float),
        "haq": rng.integers(0, 25, size) / 8,
        "extramuscular": rng.integers(0, 21, size) / 2,
        "ck": rng.integers(0, 60, size) * 50.0,
        "uln_ck": np.full(size, 200.0),
    }
    keywords: dict[str, Any] = {"population": "adult", "mmt_max": 80, "missing": "zero"}
    whole = score_series_many(table, **keywords)
    monkeypatch.setattr(visit_pairs, "_CHUNK_PAIRS", 10)
    chunked = score_series_many(table, **keywords)
    for name, column in whole.items():
        if column.dtype.kind == "f":
            assert np.array_equal(column, chunked[name], equal_nan=True), name
        else:
            assert column.tolist() == chunked[name].tolist(), name
    assert (whole["row"] == "patient").sum() == sizes.size


# -- labels ---------------------------------------------------------------------------------------

_TEXTS = st.sampled_from(
    ["baseline", "week 4", " week 4", "week 4 ", "", "  ", "NA", "nan", "na", "N/A", "wk\u00e9 8"]
)


def _read(cell: Any) -> str:
    """A label as the scalar path reads its cell (tables/visits.py)."""
    value = text_cell([cell], 0)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@given(cells=st.lists(_TEXTS, max_size=40))
def test_labels_of_a_text_array_equal_the_per_cell_reading(cells: list[str]) -> None:
    array = np.array(cells, dtype=str)
    labels = read_labels(array)
    expected = [_read(cell) for cell in array.tolist()]
    assert labels.objects.tolist() == expected
    assert sorted(labels.texts.tolist()) == sorted(set(expected))  # distinct after reading
    assert labels.empty == (labels.texts.tolist().index("") if "" in expected else -1)
    assert read_labels(cells).objects.tolist() == expected  # a list: cell by cell


@given(
    cells=st.lists(
        st.one_of(_TEXTS, st.integers(-3, 3), st.floats(allow_nan=True, width=32), st.none()),
        max_size=30,
    )
)
def test_labels_of_mixed_cells_equal_the_per_cell_reading(cells: list[Any]) -> None:
    labels = read_labels(np.array(cells, dtype=object))
    assert labels.objects.tolist() == [_read(cell) for cell in cells]


def test_a_hash_collision_falls_back_to_the_exact_sort(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(labels_module, "_MIX", np.uint64(0))  # every label hashes alike
    cells = np.array(["week 4", "baseline", "week 4", "week 12", "baseline"])
    labels = read_labels(cells)
    assert labels.objects.tolist() == cells.tolist()
    assert len(set(labels.codes.tolist())) == 3


@given(
    cells=st.lists(_TEXTS, min_size=1, max_size=20),
    lines=st.lists(st.lists(st.integers(0, 19), min_size=3, max_size=3), max_size=12),
    length=st.integers(0, 3),
)
def test_joined_labels_equal_a_plain_join(
    cells: list[str], lines: list[list[int]], length: int
) -> None:
    labels = read_labels(np.array(cells, dtype=str))
    rows = np.array([[r % len(cells) for r in line[:length]] for line in lines], dtype=np.intp)
    rows = rows.reshape(len(lines), length)
    names = labels.objects.tolist()
    expected = [";".join(names[r] for r in line) for line in rows.tolist()]
    assert labels.join(rows, ";").tolist() == expected


# -- runs of visits -------------------------------------------------------------------------------


def _runs(flags: list[bool], patient: list[int], count: int, length: int) -> tuple[list, list]:
    inside = [False] * len(flags)
    first = [-1] * count
    i = 0
    while i < len(flags):
        if not flags[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(flags) and flags[j + 1] and patient[j + 1] == patient[i]:
            j += 1
        if j - i + 1 >= length:
            inside[i : j + 1] = [True] * (j - i + 1)
            if first[patient[i]] < 0:
                first[patient[i]] = i
        i = j + 1
    return inside, first


@given(
    visits=st.lists(st.lists(st.booleans(), max_size=8), min_size=1, max_size=6),
    length=st.integers(1, 5),
)
def test_runs_by_windows_equal_a_loop(visits: list[list[bool]], length: int) -> None:
    flags = [f for patient in visits for f in patient]
    patient = [p for p, flags_ in enumerate(visits) for _ in flags_]
    inside, first = runs_at_least(
        np.array(flags, dtype=bool), np.array(patient, dtype=np.intp), len(visits), length
    )
    assert (inside.tolist(), first.tolist()) == _runs(flags, patient, len(visits), length)


def test_runs_longer_than_the_table_find_nothing() -> None:
    inside, first = runs_at_least(np.ones(3, dtype=bool), np.zeros(3, dtype=np.intp), 1, 4)
    assert not inside.any() and first.tolist() == [-1]
