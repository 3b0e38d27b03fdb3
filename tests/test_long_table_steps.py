"""The steps of score_series_many's fast path against simple references.

- In chunks of a few pairs, with the patients' rows grouped or interleaved, the long table still
  equals score_series patient for patient (the chunks carry work arrays from one to the next).
- Visit labels read as codes (a checked hash of the text) equal the per-cell reading, also when
  the hash collides; the labels of a run joined once per distinct run equal a plain join.
- Runs of flagged visits found by windows equal a loop over the visits.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import myoresponse.tables._labels as labels_module
import myoresponse.tables._visit_pairs as visit_pairs
import myoresponse.tables.pairs as pairs_module
from myoresponse import (
    DeteriorationRule,
    score_series_many,
)
from myoresponse.tables._columns import TextColumn, text_cell
from myoresponse.tables._grouped import runs_at_least
from myoresponse.tables._labels import read_labels
from tests.test_series_many_fast import (
    SETTINGS,
    _table,
    adult_measures,
    assert_equals_score_series,
    long_tables,
    series_keywords,
)

# -- chunks ---------------------------------------------------------------------------------------


def _keywords(case: dict[str, Any]) -> dict[str, Any]:
    return series_keywords(case)


def _assert_equals_score_series(case: dict[str, Any], out: dict[str, Any], where: Any) -> None:
    assert_equals_score_series(case, out, where)


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
    table = {
        "id": ids,
        "visit": np.concatenate([[f"v{k}" for k in range(n)] for n in sizes]),
        **adult_measures(rng, ids.size),
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


@pytest.mark.parametrize("filled", [True, False])
def test_reused_pair_scores_start_as_new_ones_would(filled: bool) -> None:
    # a chunk's scores live in the first rows of the run's arrays: the flags start False, and
    # the measure columns NaN where rows of another criteria set leave them unwritten
    from myoresponse.tables._output import PairScores

    held = PairScores(5, ("mmt", "haq"), filled)
    for array in (held.points["mmt"], held.change["haq"], held.tis):
        array[:] = 7.0
    held.partial[:] = True
    held.failed[:] = True
    part = held.reused(3)
    assert part.tis.size == part.partial.size == part.points["mmt"].size == 3
    assert np.shares_memory(part.points["mmt"], held.points["mmt"])
    assert not part.partial.any() and not part.failed.any()
    kept = part.points["mmt"].tolist() + part.change["haq"].tolist()
    assert (kept == [7.0] * 6) if filled else np.isnan(kept).all()
    assert held.points["mmt"][3:].tolist() == [7.0, 7.0]  # rows past the part untouched


@given(sizes=st.lists(st.integers(1, 9), max_size=30), size=st.integers(1, 12))
def test_chunks_hold_at_most_their_size_in_pairs(sizes: list[int], size: int) -> None:
    # a chunk is at most one engine block; only a patient with more pairs is a chunk of its own
    patients = visit_pairs.Patients(
        np.arange(sum(sizes), dtype=np.intp), np.array(sizes, dtype=np.intp), True
    )
    slow = np.zeros(len(sizes), dtype=bool)
    chunks = list(visit_pairs.Visits.chunks(patients, slow, size))
    assert [c.first for c in chunks] == sorted(c.first for c in chunks)
    assert sum(c.count for c in chunks) == len(sizes)
    for chunk in chunks:
        assert chunk.rows.size <= size or chunk.count == 1
        assert chunk.count >= 1


# -- flags counted as the engine reads each measure ----------------------------------------------


def _assert_same(one: dict[str, Any], other: dict[str, Any]) -> None:
    for name, column in one.items():
        if column.dtype.kind == "f":
            assert np.array_equal(column, other[name], equal_nan=True), name
        else:
            assert column.tolist() == other[name].tolist(), name


def _without_early(table: dict[str, Any], keywords: dict[str, Any]) -> dict[str, Any]:
    """The long table with every measure's flags read from the long table itself."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(visit_pairs._Early, "__call__", lambda self, names, group: None)
        return score_series_many(table, **keywords)


def _early_keys(table: dict[str, Any], keywords: dict[str, Any]) -> set[str]:
    """The measures whose flags some chunk counted from the engine's groups."""
    seen: set[str] = set()
    flags = visit_pairs._flags

    def spy(*args: Any) -> Any:
        seen.update(args[6])
        return flags(*args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(visit_pairs, "_flags", spy)
        score_series_many(table, **keywords)
    return seen


@SETTINGS
@given(case=long_tables(), chunk=st.integers(1, 9), block=st.integers(1, 9))
def test_flags_from_the_engine_groups_equal_flags_from_the_long_table(
    case: dict[str, Any], chunk: int, block: int
) -> None:
    # blocks smaller than a chunk: the engine reads a measure in parts, which the flags do not take
    table, where = _table(case)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(visit_pairs, "_CHUNK_PAIRS", chunk)
        patch.setattr(pairs_module, "_BLOCK_ROWS", block)
        out = score_series_many(table, **_keywords(case))
        reference = _without_early(table, _keywords(case))
    _assert_same(out, reference)
    _assert_equals_score_series(case, out, where)


_NAMES = ("physician_global", "patient_global", "mmt", "haq", "extramuscular", "ck")
_EDGES = [
    (5.0, 4.0, 50.0, 1.0, 2.0, 300.0),
    (4.0, 3.2, 60.0, 0.8, 4.0, 240.0),  # 20 % better (the DOI's edge), extramuscular +2 cm
    (6.25, 5.0, 42.5, 1.25, 4.0, 375.0),  # 25 % worse (the DOI's edge), mmt 15 % worse
    (5.0, 4.0, 40.0, 1.2, 1.999, 300.0),  # mmt and haq 20 % worse, a rise of 1.999 cm
    (0.0, 0.0, 50.0, 0.0, 0.0, 0.0),
    (0.125, 0.1, 50.0, 0.001, 0.0, 50.5),  # rises from 0, more decimals than elsewhere
]


def _edge_case(patients: int, rule: Any = None) -> dict[str, Any]:
    """Pairs on the edges of the DOI (20 % better, 25 % worse) and of the deterioration
    conditions (a 2 cm rise, 15 % and 20 % worse); a chunk's scale differs from the column's."""
    visits_ = [
        ("base" if k == 0 else f"w{k}", None, dict(zip(_NAMES, cells, strict=True)))
        for k, cells in enumerate(_EDGES)
    ]
    return {
        "juvenile": False,
        "printo": False,
        "gmax": 10.0,
        "gmax_column": False,
        "patients": [(f"P{p}", visits_[: 6 - p % 3]) for p in range(patients)],
        "order": [p for p in range(patients) for _ in range(6 - p % 3)],
        "missing": "zero",
        "level": "minimal",
        "consecutive": 1,
        "deterioration": rule,
        "measures": list(_NAMES),
    }


@pytest.mark.parametrize("chunk", [1, 5, 7, 1 << 16])
@pytest.mark.parametrize("rule", [None, DeteriorationRule(consecutive=1, measures_count=2)])
def test_flags_on_definition_edges_from_the_engine_groups(chunk: int, rule: Any) -> None:
    case = _edge_case(4, rule)
    table, where = _table(case)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(visit_pairs, "_CHUNK_PAIRS", chunk)
        out = score_series_many(table, **_keywords(case))
        early = _early_keys(table, _keywords(case))
        reference = _without_early(table, _keywords(case))
        read = []
        patch.setattr(visit_pairs, "LongInts", lambda *args: read.append(args[2]))
        assert _assert_same(score_series_many(table, **_keywords(case)), out) is None
    assert early == set(_NAMES[:5])  # and the one enzyme, kept as the engine read it
    assert read == []  # no measure read again from the long table
    _assert_same(out, reference)
    _assert_equals_score_series(case, out, where)
    assert out["met_imacs_doi_2004"][1]  # exactly 20 % better: met


def test_two_enzyme_columns_read_the_enzyme_flags_from_the_long_table() -> None:
    case = _edge_case(3)
    table, _ = _table(case)
    table["ast"] = table["ck"][::-1].copy() / 10
    table["uln_ast"] = np.full(table["ck"].size, 40.0)
    keywords = _keywords(case)
    read: list[str] = []
    long_ints = visit_pairs.LongInts

    def spy(columns: Any, scratch: Any, name: str) -> Any:
        read.append(name)
        return long_ints(columns, scratch, name)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(visit_pairs, "LongInts", spy)
        out = score_series_many(table, **keywords)
    assert read == ["ck ast"]  # the enzyme followed is chosen per pair among both
    _assert_same(out, _without_early(table, keywords))
    assert (out["row"] == "patient").sum() == 3 and (out["error"] == "").all()


def test_a_population_column_of_two_criteria_sets_reads_flags_from_the_long_table() -> None:
    case = _edge_case(3)
    table, _ = _table(case)
    juvenile = table["id"] == "P1"
    table["population"] = np.where(juvenile, "juvenile", "adult")
    table["chaq"] = np.where(juvenile, table["haq"], np.nan)
    table["haq"] = np.where(juvenile, np.nan, table["haq"])
    keywords = {**_keywords(case), "population": None}
    assert _early_keys(table, keywords) == set()  # one chunk, two criteria sets
    out = score_series_many(table, **keywords)
    _assert_same(out, _without_early(table, keywords))
    assert (out["row"] == "patient").sum() == 3 and (out["error"] == "").all()


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


@given(cells=st.lists(_TEXTS, max_size=40), slot_bits=st.sampled_from([12, 2, 1]))
def test_labels_of_a_text_array_equal_the_per_cell_reading(
    cells: list[str], slot_bits: int
) -> None:
    # few slots: distinct hashes share one, and the codes come from the sort
    array = np.array(cells, dtype=str)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(labels_module, "_SLOT_BITS", slot_bits)
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


@given(
    cells=st.lists(
        st.text(st.sampled_from(["a", "N", "\t", " ", "\x1c", "\x85", "\xa0", "\u3000", "\u3001"]))
        | st.sampled_from(["NA", " nan", "P1", ""]),
        max_size=20,
    )
)
def test_text_columns_read_without_a_strip_equal_the_per_cell_reading(cells: list[str]) -> None:
    raw = np.array(cells, dtype=str) if cells else np.array([], dtype="U1")
    before = raw.copy()
    column = TextColumn(raw)
    assert column.values.tolist() == [text_cell(cells, row) for row in range(len(cells))]
    assert np.array_equal(raw, before)  # the caller's array is not written


@given(cells=st.lists(_TEXTS | st.sampled_from(["P1", "P10", "P1\U0001f600", "ab", "abc"])))
def test_changes_between_neighbouring_ids_equal_a_text_comparison(cells: list[str]) -> None:
    # compared as code points a column at a time: widths of 4 bytes a point (odd and even)
    from myoresponse.tables._labels import differs_from_previous

    array = np.array(cells, dtype=str) if cells else np.array([], dtype="U1")
    expected = [a != b for a, b in zip(array.tolist()[1:], array.tolist()[:-1], strict=True)]
    assert differs_from_previous(array).tolist() == expected
    wider = array.astype(f"U{array.dtype.itemsize // 4 + 1}")  # the other word size
    assert differs_from_previous(wider).tolist() == expected


def test_a_collision_between_labels_of_equal_hash_slots_is_found() -> None:
    # two labels alike but in the last code point share a hash when the mixing is off; the check
    # compares every code point, so they stay two labels
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(labels_module, "_MIX", np.uint64(1))
        cells = np.array(["week 12", "week 21", "week 12"])  # same points xor-ed, other order
        labels = read_labels(cells)
    assert labels.objects.tolist() == cells.tolist()
    assert labels.codes.tolist()[0] == labels.codes.tolist()[2] != labels.codes.tolist()[1]


@given(
    cells=st.lists(
        st.text(st.sampled_from(["n", "N", "a", "A", "\u0130", "\u212a", "\u0149", " ", "x"]))
        | st.sampled_from(["na", "NaN", "nAn ", " NA", "nana", "nan\u0130", "n", ""]),
        max_size=20,
    )
)
def test_missing_texts_are_found_by_code_points_as_by_lower_casing(cells: list[str]) -> None:
    # "", "na" and "nan" in any case are empty; letters that lower-case to something else
    # (dotted capital I, the Kelvin sign, ŉ) are text
    raw = np.array(cells, dtype=str) if cells else np.array([], dtype="U1")
    column = TextColumn(raw)
    expected = [cell.strip().lower() in ("", "na", "nan") for cell in raw.tolist()]
    assert column.empty.tolist() == expected
    assert column.values.tolist() == [text_cell(cells, row) for row in range(len(cells))]


@pytest.mark.parametrize(
    "cells",
    [["P1 ", "P2 "], ["\u3000P1", "P2\x85"], ["P1", "\tP2"], ["P 1", "P 2"], ["P1", "P2  "]],
)
def test_white_space_at_either_end_of_full_width_cells_is_stripped(cells: list[str]) -> None:
    # every cell full width: only the first and last code points are looked at
    column = TextColumn(np.array(cells))
    assert column.values.tolist() == [cell.strip() for cell in cells]


@pytest.mark.parametrize("order", [">", "<"])
def test_text_columns_in_either_byte_order_or_strided_read_alike(order: str) -> None:
    # the cells are read as code points: a big-endian or strided array is made native first
    cells = ["na", "NA", " P1", "x", "nan ", "P2"]
    expected = [None, None, "P1", "x", None, "P2"]
    raw = np.array(cells, dtype=f"{order}U4")
    assert TextColumn(raw).values.tolist() == expected
    assert TextColumn(np.repeat(raw, 2)[::2]).values.tolist() == expected
    assert raw.tolist() == cells  # the caller's array is not written
    assert read_labels(raw).objects.tolist() == ["", "", "P1", "x", "", "P2"]


def test_an_empty_patient_takes_no_per_patient_value_of_its_neighbour() -> None:
    from myoresponse.tables._columns import Table

    table = Table({"uln_ck": np.array([200.0, 200.0, 150.0, 150.0])})
    patients = visit_pairs.Patients.from_groups([[0, 1], [], [2, 3]])
    slow = np.zeros(3, dtype=bool)
    values = visit_pairs._constant(table, "uln_ck", patients, slow)
    assert values is not None
    assert values.tolist()[0] == 200.0 and np.isnan(values[1]) and values.tolist()[2] == 150.0
    assert not slow.any()


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
    dense=st.sampled_from([1 << 12, 1]),
)
def test_joined_labels_equal_a_plain_join(
    cells: list[str], lines: list[list[int]], length: int, dense: int
) -> None:
    # sequences coded as digits (dense) or by repeated sorts (too many possible sequences)
    labels = read_labels(np.array(cells, dtype=str))
    patch = pytest.MonkeyPatch()
    patch.setattr(labels_module, "_DENSE", dense)
    rows = np.array([[r % len(cells) for r in line[:length]] for line in lines], dtype=np.intp)
    rows = rows.reshape(len(lines), length)
    names = labels.objects.tolist()
    expected = [";".join(names[r] for r in line) for line in rows.tolist()]
    try:
        assert labels.join(rows, ";").tolist() == expected
    finally:
        patch.undo()


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


def _flattened(visits: list[list[bool]]) -> tuple[list[bool], list[int]]:
    """Per-patient flags as one list of flags and the patient of each."""
    flags = [f for patient in visits for f in patient]
    return flags, [p for p, flags_ in enumerate(visits) for _ in flags_]


@given(
    visits=st.lists(st.lists(st.booleans(), max_size=8), min_size=1, max_size=6),
    length=st.integers(1, 5),
)
def test_runs_by_windows_equal_a_loop(visits: list[list[bool]], length: int) -> None:
    flags, patient = _flattened(visits)
    inside, first = runs_at_least(
        np.array(flags, dtype=bool), np.array(patient, dtype=np.intp), len(visits), length
    )
    assert (inside.tolist(), first.tolist()) == _runs(flags, patient, len(visits), length)


def test_runs_longer_than_the_table_find_nothing() -> None:
    inside, first = runs_at_least(np.ones(3, dtype=bool), np.zeros(3, dtype=np.intp), 1, 4)
    assert not inside.any() and first.tolist() == [-1]


@given(
    visits=st.lists(st.lists(st.booleans(), max_size=8), min_size=1, max_size=40),
    silent=st.integers(0, 200),
)
def test_first_visit_per_patient_equals_a_loop(visits: list[list[bool]], silent: int) -> None:
    # ``silent`` patients without visits at the end: few hits per patient take the run-start
    # branch, many take the minimum branch; both must give the first hit of each patient
    from myoresponse.tables._grouped import first_true

    flags, patient = _flattened(visits)
    count = len(visits) + silent
    expected = [-1] * count
    for index, (flag, owner) in enumerate(zip(flags, patient, strict=True)):
        if flag and expected[owner] < 0:
            expected[owner] = index
    got = first_true(np.array(flags, dtype=bool), np.array(patient, dtype=np.intp), count)
    assert got.tolist() == expected


def test_equal_labels_written_differently_keep_their_own_text() -> None:
    # Decimal("4.00") == Decimal("4"), but each cell is shown as written (the scalar path's text)
    from decimal import Decimal

    read = read_labels(np.array([Decimal("4"), Decimal("4.00"), "4", Decimal("4.00")], object))
    assert read.objects.tolist() == ["4", "4.00", "4", "4.00"]


def test_a_high_scale_hint_does_not_make_large_values_unrepresentable() -> None:
    # a scale carried over from other rows (6 decimals) would put values near 1e10 past the
    # 15 significant digits of the fast path; the search then starts again from their own scale
    from myoresponse.tables._decimal import decimal_group

    values = np.array([1.5e10, 2.25e10, 3e10, np.nan])
    hinted = decimal_group([values, values * 2], start=6)
    assert hinted.bad is None and hinted.d == 0
    assert hinted.ints[0][:3].tolist() == [1.5e10, 2.25e10, 3e10]
    mixed = np.array([1.5e10, 0.000001])  # needs 6 decimals itself: the large value is unsure
    assert decimal_group([mixed], start=0).bad is not None
