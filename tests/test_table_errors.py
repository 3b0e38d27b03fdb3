"""Rows in error get their messages column-wise, with the scalar path's text (issue 9, item 3).

The property test injects missing, negative, out-of-scale and follow-up-without-baseline cells,
mixed in one row, and compares every row with ``score_json`` of the row's own JSON object
(:mod:`tests.cohort_oracle`). The counting tests show that a cohort with many incomplete rows asks
the scalar path once per distinct problem, not once per row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import myoresponse.tables.pairs as pairs
from myoresponse import MissingMeasureError, score_many
from tests.cohort_oracle import check

NAN = float("nan")
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
GLOBALS = ("physician_global", "patient_global", "extramuscular")


def _cell(top: float, step: float) -> st.SearchStrategy[float]:
    """Mostly valid values; sometimes missing, negative or above the scale; rarely 7 decimals."""
    ok = st.integers(0, int(top / step)).map(lambda k: round(k * step, 4))
    kinds: list[tuple[int, st.SearchStrategy[float]]] = [
        (80, ok),
        (10, st.just(NAN)),
        (4, st.sampled_from([-1.0, -0.5, -step])),  # negative
        (4, st.sampled_from([top + step, top * 2, top + 1])),  # above the scale
        (1, st.just(0.1234567)),  # seven decimals: undecided, scalar path
    ]
    weights = [w for w, _ in kinds]
    return st.integers(0, sum(weights) - 1).flatmap(
        lambda n: next(s for i, (_, s) in enumerate(kinds) if n < sum(weights[: i + 1]))
    )


@st.composite
def cohorts(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], int]:
    size = draw(st.integers(1, 25))
    juvenile = draw(st.booleans())
    keywords: dict[str, Any] = {
        "population": "juvenile" if juvenile else "adult",
        "missing": draw(st.sampled_from(["error", "error", "zero"])),
        "mmt_max": draw(st.sampled_from([80, 150])),
        "enzyme_rule": draw(st.sampled_from(["range", "relative"])),
    }
    row_global_max = draw(st.booleans())
    if draw(st.booleans()):
        keywords["enzyme"] = draw(st.sampled_from(["CK", "AST"]))
    columns: dict[str, list[Any]] = {}

    def put(name: str, value: Any) -> None:
        columns.setdefault(name, []).append(value)

    for _ in range(size):
        top = 10.0
        if row_global_max:
            top = draw(st.sampled_from([10.0, 100.0]))
            put("global_max", draw(st.sampled_from([top, top, NAN])))
            if np.isnan(columns["global_max"][-1]):
                top = 10.0
        for key in GLOBALS:
            for visit in ("baseline", "followup"):
                put(f"{visit}_{key}", draw(_cell(top, 0.1 if top == 10 else 1.0)))
        for visit in ("baseline", "followup"):
            put(f"{visit}_mmt", draw(_cell(float(keywords["mmt_max"]), 1.0)))
            put(f"{visit}_{'chaq' if juvenile else 'haq'}", draw(_cell(3.0, 0.125)))
        for enzyme in ("ck", "ast"):
            for visit in ("baseline", "followup"):
                put(f"{visit}_{enzyme}", draw(_cell(5000.0, 1.0)))
            put(f"uln_{enzyme}", draw(st.sampled_from([200.0, 40.0] * 5 + [NAN])))
    arrays = {name: np.array(values, dtype=np.float64) for name, values in columns.items()}
    return arrays, keywords, size


@SETTINGS
@given(cohorts())
def test_error_rows_equal_the_scalar_path(case: tuple[dict[str, Any], dict[str, Any], int]) -> None:
    columns, keywords, size = case
    check(score_many(columns, **keywords), columns, size, **keywords)


@SETTINGS
@given(cohorts(), st.integers(1, 4))
def test_error_rows_in_small_blocks_equal_the_scalar_path(
    case: tuple[dict[str, Any], dict[str, Any], int], block: int
) -> None:
    # each block records its problems in work arrays that the next block reuses: a value or a
    # scale left over from another block's row would give a row another row's message
    columns, keywords, size = case
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pairs, "_BLOCK_ROWS", block)
        out = score_many(columns, **keywords)
    check(out, columns, size, **keywords)


def test_rows_of_two_criteria_sets_in_error_equal_the_scalar_path() -> None:
    # a population column of both sets: the engine scores each set's rows by index, not by slice
    population = np.array(["adult", "juvenile", "juvenile", "adult", "adult", "juvenile"], object)
    columns: dict[str, Any] = {
        "population": population,
        "baseline_physician_global": np.array([5.0, 6.0, NAN, 12.0, 4.0, 3.0]),
        "followup_physician_global": np.array([3.0, 11.0, 4.0, 2.0, NAN, 2.0]),
        "baseline_mmt": np.array([60.0, 60.0, 60.0, 60.0, 60.0, -1.0]),
        "followup_mmt": np.array([70.0, 64.0, 66.0, 61.0, 66.0, 70.0]),
    }
    keywords = {"mmt_max": 80, "missing": "zero"}
    out = score_many(columns, **keywords)
    assert (out["error"] != "").sum() >= 4  # a row in error in each set
    check(out, columns, 6, **keywords)


@pytest.fixture
def scalar_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Rows of each score_many call that were scored by the scalar path (for a message or all)."""
    calls: list[int] = []
    original = pairs.row_assessment

    def spy(table: Any, settings: Any, row: int) -> Any:
        calls.append(row)
        return original(table, settings, row)

    monkeypatch.setattr(pairs, "row_assessment", spy)
    return calls


def _cohort(size: int, seed: int = 7) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    columns: dict[str, Any] = {}
    for key in GLOBALS:
        columns[f"baseline_{key}"] = rng.integers(0, 101, size) / 10
        columns[f"followup_{key}"] = rng.integers(0, 101, size) / 10
    columns["baseline_mmt"] = rng.integers(0, 151, size).astype(float)
    columns["followup_mmt"] = rng.integers(0, 151, size).astype(float)
    columns["baseline_haq"] = rng.integers(0, 25, size) / 8
    columns["followup_haq"] = rng.integers(0, 25, size) / 8
    columns["baseline_ck"] = rng.integers(0, 5000, size).astype(float)
    columns["followup_ck"] = rng.integers(0, 5000, size).astype(float)
    columns["uln_ck"] = np.full(size, 200.0)
    return columns


def test_incomplete_rows_ask_the_scalar_path_once_per_pattern(scalar_calls: list[int]) -> None:
    columns = _cohort(2000)
    rng = np.random.default_rng(1)
    gone = rng.random(2000) < 0.2
    columns["followup_patient_global"][gone] = np.nan  # one missing place
    both = rng.random(2000) < 0.05
    columns["baseline_haq"][both] = np.nan
    columns["followup_haq"][both] = np.nan  # another place, alone or with the first
    out = score_many(columns, population="adult", mmt_max=150)
    wrong = gone | both
    assert (out["error"] != "").tolist() == wrong.tolist()
    assert len(scalar_calls) == 3  # patient global, HAQ, and both
    mixed = np.flatnonzero(gone & both)[0]
    assert out["error"][mixed] == (
        "followup_patient_global: is missing (all missing: followup_patient_global, baseline_haq); "
        "all six core set measures are required under missing='error'; pass missing='zero' to "
        "score a missing measure as 0 points"
    )
    check(out, columns, 200, population="adult", mmt_max=150)


def test_out_of_scale_values_share_a_message_per_value(scalar_calls: list[int]) -> None:
    columns = _cohort(500)
    columns["followup_physician_global"][::5] = 11.0
    columns["baseline_mmt"][1::5] = -3.0
    out = score_many(columns, population="adult", mmt_max=150)
    assert len(scalar_calls) == 2
    assert out["error"][0] == (
        "followup_physician_global: 11 is outside the scale 0 to 10 (global_max=10)"
    )
    assert out["error"][1] == "baseline_mmt: -3.0 is negative; must be 0 or more"
    assert np.isnan(out["total_improvement_score"][0]) and out["category"][0] == ""
    check(out, columns, 20, population="adult", mmt_max=150)


def test_errors_raise_names_the_first_row_in_error() -> None:
    columns = _cohort(50)
    columns["followup_patient_global"][[7, 30]] = np.nan
    with pytest.raises(MissingMeasureError, match=r"^row 7: followup_patient_global: is missing"):
        score_many(columns, population="adult", mmt_max=150, errors="raise")


def test_a_bad_scale_cell_is_not_taken_for_its_rows_missing_measure() -> None:
    # rows 0 and 1 miss the same measures, but row 1's global_max cell is itself an error (the
    # scalar path names it first): its message must not stand for row 0, nor row 0's for it
    columns = _cohort(3)
    for key in GLOBALS:
        columns[f"baseline_{key}"][:2] = np.nan
        columns[f"followup_{key}"][:2] = np.nan
    columns["global_max"] = np.array([10.0, 0.0, 10.0])
    out = score_many(columns, population="adult", mmt_max=150)
    assert out["error"][0].startswith("baseline_physician_global: is missing")
    assert "global_max" in out["error"][1]
    check(out, columns, 3, population="adult", mmt_max=150)
