"""score_many: the table form in and out, row-level errors, pandas, odd column types."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

import myoresponse.tables.pairs as cohort
from myoresponse import InputFormatError, InvalidValueError, UnknownFieldError, score_many
from tests.cohort_oracle import check

ADULT_ROWS: dict[str, list[Any]] = {
    "id": ["P1", "P2", "P3", "P4"],
    "baseline_physician_global": [6.0, 2.2, 5.0, 8.0],
    "followup_physician_global": [2.0, 0.7, 5.5, 1.0],
    "baseline_patient_global": [7.0, 5.0, 4.0, 9.0],
    "followup_patient_global": [4.5, 5.0, 4.0, 2.0],
    "baseline_mmt": [110, 60, 120, 90],
    "followup_mmt": [131, 62, 118, 140],
    "baseline_haq": [1.5, 1.0, 0.5, 2.625],
    "followup_haq": [0.875, 1.0, 0.5, 0.125],
    "baseline_ck": [2400, 300, 150, 9000],
    "followup_ck": [310, 300, 150, 200],
    "uln_ck": [200, 200, 200, 200],
    "baseline_ast": [95, 20, 45, 40],
    "followup_ast": [41, 20, 45, 30],
    "uln_ast": [40, 40, 40, 40],
    "baseline_extramuscular": [4.0, 3.0, 2.0, 6.0],
    "followup_extramuscular": [1.5, 3.0, 2.5, 0.0],
}
KEYWORDS: dict[str, Any] = {"population": "adult", "mmt_max": 150}


def _arrays(rows: dict[str, list[Any]]) -> dict[str, Any]:
    return {
        name: np.array(values, dtype=object if name == "id" else np.float64)
        for name, values in rows.items()
    }


@pytest.fixture
def rescored(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many rows each score_many call sent to the scalar path."""
    counts: list[int] = []
    original = cohort._rescore

    def spy(table: Any, settings: Any, scores: Any, rows: Any) -> None:
        counts.append(int(rows.size))
        original(table, settings, scores, rows)

    monkeypatch.setattr(cohort, "_rescore", spy)
    return counts


def test_clean_rows_are_scored_without_the_scalar_path(rescored: list[int]) -> None:
    columns = _arrays(ADULT_ROWS)
    out = score_many(columns, **KEYWORDS)
    assert rescored == [0]
    check(out, columns, 4, **KEYWORDS)
    assert out["id"].tolist() == ["P1", "P2", "P3", "P4"]
    assert out["total_improvement_score"][0] == 70.0 and out["category"][0] == "major"
    assert out["enzyme"].tolist() == ["CK", "CK", "AST", "CK"]


def test_output_columns_follow_the_interface() -> None:
    out = score_many(_arrays(ADULT_ROWS), **KEYWORDS)
    keys = ["physician_global", "patient_global", "mmt", "haq", "enzyme", "extramuscular"]
    assert list(out) == [
        "id",
        "total_improvement_score",
        "category",
        "enzyme",
        *(f"points_{k}" for k in keys),
        *(f"change_{k}" for k in keys),
        "worsened_count",
        "partial",
        "error",
    ]
    assert all(len(column) == 4 for column in out.values())


def test_realistic_cohort_is_decided_by_the_fast_path(rescored: list[int]) -> None:
    rng = np.random.default_rng(7)
    n = 400
    columns = {
        "baseline_physician_global": np.round(rng.uniform(0, 10, n), 1),
        "followup_physician_global": np.round(rng.uniform(0, 10, n), 1),
        "baseline_patient_global": rng.integers(0, 101, n) / 10,
        "followup_patient_global": rng.integers(0, 101, n) / 10,
        "baseline_mmt": rng.integers(0, 81, n).astype(float),
        "followup_mmt": rng.integers(0, 81, n).astype(float),
        "baseline_haq": rng.integers(0, 25, n) / 8,
        "followup_haq": rng.integers(0, 25, n) / 8,
        "baseline_extramuscular": rng.integers(0, 101, n) / 10,
        "followup_extramuscular": rng.integers(0, 101, n) / 10,
        "baseline_ck": rng.integers(0, 5000, n).astype(float),
        "followup_ck": rng.integers(0, 5000, n).astype(float),
        "uln_ck": np.full(n, 200.0),
        "baseline_ldh": rng.integers(0, 900, n).astype(float),
        "followup_ldh": rng.integers(0, 900, n).astype(float),
        "uln_ldh": np.full(n, 250.0),
    }
    keywords = {"population": "juvenile", "mmt_max": 80}
    columns["baseline_chaq"] = columns.pop("baseline_haq")
    columns["followup_chaq"] = columns.pop("followup_haq")
    out = score_many(columns, **keywords)
    assert rescored == [0]
    check(out, columns, n, **keywords)


def test_a_bad_row_gets_its_message_and_the_others_are_scored() -> None:
    rows = {name: list(values) for name, values in ADULT_ROWS.items()}
    rows["followup_mmt"][1] = 151  # outside 0..150
    rows["baseline_ast"][2] = -3  # negative
    columns = _arrays(rows)
    out = score_many(columns, **KEYWORDS)
    check(out, columns, 4, **KEYWORDS)
    assert out["error"][1] == "followup_mmt: 151 is outside the scale 0 to 150 (mmt_max=150)"
    assert out["error"][2].startswith("baseline_ast: ")
    assert np.isnan(out["total_improvement_score"][1]) and out["category"][1] == ""
    assert out["error"][0] == "" and out["error"][3] == ""


def test_errors_raise_names_the_row() -> None:
    rows = {name: list(values) for name, values in ADULT_ROWS.items()}
    rows["followup_mmt"][2] = 151
    with pytest.raises(InvalidValueError, match=r"^row 2: followup_mmt: 151 is outside") as info:
        score_many(_arrays(rows), errors="raise", **KEYWORDS)
    assert info.value.field == "followup_mmt"


@pytest.mark.parametrize("missing", ["error", "zero"])
def test_nan_is_a_missing_value_under_both_policies(missing: str) -> None:
    rows = {name: list(values) for name, values in ADULT_ROWS.items()}
    rows["followup_patient_global"][0] = float("nan")
    rows["baseline_haq"][3] = float("nan")
    rows["followup_haq"][3] = float("nan")
    columns = _arrays(rows)
    out = score_many(columns, missing=missing, **KEYWORDS)
    check(out, columns, 4, missing=missing, **KEYWORDS)
    if missing == "zero":
        assert out["partial"].tolist() == [True, False, False, True]
        assert out["points_patient_global"][0] == 0.0
        assert np.isnan(out["change_patient_global"][0])
    else:
        assert "followup_patient_global: is missing" in out["error"][0]


def test_followup_without_baseline_is_an_error() -> None:
    rows = {name: list(values) for name, values in ADULT_ROWS.items()}
    rows["baseline_extramuscular"][1] = float("nan")
    columns = _arrays(rows)
    out = score_many(columns, missing="zero", **KEYWORDS)
    assert out["error"][1].startswith("baseline_extramuscular: missing while followup_")
    check(out, columns, 4, missing="zero", **KEYWORDS)


def test_per_row_population_and_scales_override_the_keywords() -> None:
    columns = _arrays(ADULT_ROWS)
    columns["population"] = np.array(["adult", "juvenile", "", "adult"], dtype=object)
    columns["mmt_max"] = np.array([150, 150, np.nan, 260])
    columns["global_max"] = np.array([10, np.nan, 10, 10])
    columns["baseline_chaq"] = np.array([np.nan, 1.0, np.nan, np.nan])
    columns["followup_chaq"] = np.array([np.nan, 1.0, np.nan, np.nan])
    columns["baseline_haq"][1] = np.nan
    columns["followup_haq"][1] = np.nan
    out = score_many(columns, **KEYWORDS)
    check(out, columns, 4, **KEYWORDS)
    assert "points_haq" in out and "points_chaq" in out
    assert np.isnan(out["points_haq"][1]) and out["points_chaq"][1] == 0.0
    assert np.isnan(out["points_chaq"][0])


def test_invalid_population_cell_is_a_row_error() -> None:
    columns = _arrays(ADULT_ROWS)
    columns["population"] = np.array(["adult", "Adult", "adult", "adult"], dtype=object)
    out = score_many(columns, mmt_max=150)
    assert out["error"][1].startswith("population: 'Adult' is not one of")
    assert out["error"][0] == ""


def test_text_object_integer_and_decimal_columns() -> None:
    columns: dict[str, Any] = _arrays(ADULT_ROWS)
    columns["baseline_physician_global"] = np.array(["6.0", " 2.2", "5", "8"])
    columns["followup_physician_global"] = np.array(
        [2, Decimal("0.7"), Fraction(11, 2), None], dtype=object
    )
    columns["baseline_mmt"] = np.array([110, 60, 120, 90], dtype=np.int64)
    columns["followup_mmt"] = [131, 62, 118, "x"]
    out = score_many(columns, missing="zero", **KEYWORDS)
    check(out, columns, 4, missing="zero", **KEYWORDS)
    assert out["change_physician_global"][1] == 15.0
    assert out["error"][3] == "followup_mmt: 'x' is not a number (got str)"


def test_boolean_cells_are_errors() -> None:
    columns = _arrays(ADULT_ROWS)
    columns["baseline_mmt"] = np.array([True, False, True, False])
    out = score_many(columns, **KEYWORDS)
    assert all(
        message.startswith("baseline_mmt: true is a boolean")
        or message.startswith("baseline_mmt: false is a boolean")
        for message in out["error"]
    )


def test_values_beyond_six_decimals_use_the_scalar_path(rescored: list[int]) -> None:
    columns = _arrays(ADULT_ROWS)
    columns["baseline_physician_global"][0] = 6.0000001
    out = score_many(columns, **KEYWORDS)
    assert rescored == [1]
    check(out, columns, 4, **KEYWORDS)


def test_printo_core_set() -> None:
    columns = {
        "baseline_physician_global": np.array([6.0, 3.0]),
        "followup_physician_global": np.array([2.0, 2.5]),
        "baseline_patient_global": np.array([7.0, 3.0]),
        "followup_patient_global": np.array([4.5, 3.0]),
        "baseline_cmas": np.array([30.0, 40.0]),
        "followup_cmas": np.array([45.0, 41.0]),
        "baseline_chaq": np.array([1.5, 0.5]),
        "followup_chaq": np.array([0.875, 0.5]),
        "baseline_chq_phs": np.array([30.0, 40.0]),
        "followup_chq_phs": np.array([45.0, 38.0]),
        "baseline_das": np.array([12.0, 5.0]),
        "followup_das": np.array([4.0, 5.0]),
    }
    keywords = {"population": "juvenile", "core_set": "printo", "chq_phs_range": (10, 60)}
    out = score_many(columns, **keywords)
    check(out, columns, 2, **keywords)
    assert out["error"].tolist() == ["", ""]


def test_pinned_enzyme_and_relative_rule() -> None:
    columns = _arrays(ADULT_ROWS)
    keywords = {**KEYWORDS, "enzyme": "AST", "enzyme_rule": "relative"}
    out = score_many(columns, **keywords)
    check(out, columns, 4, **keywords)
    assert out["enzyme"].tolist() == ["AST"] * 4


def test_call_level_problems_raise() -> None:
    columns = _arrays(ADULT_ROWS)
    with pytest.raises(UnknownFieldError, match="baseline_physican_global"):
        score_many({**columns, "baseline_physican_global": columns["baseline_mmt"]}, **KEYWORDS)
    with pytest.raises(InputFormatError, match="population"):
        score_many(columns, mmt_max=150)
    with pytest.raises(InputFormatError, match="rows"):
        score_many({**columns, "baseline_mmt": np.array([1.0])}, **KEYWORDS)
    with pytest.raises(InvalidValueError, match="band_edges"):
        score_many(columns, band_edges="both", **KEYWORDS)
    with pytest.raises(InvalidValueError, match="errors"):
        score_many(columns, errors="ignore", **KEYWORDS)
    with pytest.raises(InvalidValueError, match="juvenile"):
        score_many(columns, core_set="printo", **KEYWORDS)


def test_empty_table() -> None:
    out = score_many({"baseline_mmt": np.array([])}, population="adult")
    assert all(len(column) == 0 for column in out.values())


def test_dataframe_in_dataframe_out_index_kept() -> None:
    pd = pytest.importorskip("pandas")
    rows = {name: list(values) for name, values in ADULT_ROWS.items()}
    rows["followup_mmt"][1] = 151
    frame = pd.DataFrame(rows, index=pd.Index(["a", "b", "c", "d"], name="visit"))
    frame["followup_extramuscular"] = frame["followup_extramuscular"].astype("Float64")
    frame.loc["c", "followup_extramuscular"] = pd.NA
    out = score_many(frame, missing="zero", **KEYWORDS)
    assert isinstance(out, pd.DataFrame)
    assert list(out.index) == ["a", "b", "c", "d"] and out.index.name == "visit"
    assert out.loc["b", "error"].startswith("followup_mmt: 151")
    assert out["partial"].isna().tolist() == [False, True, False, False]
    assert out.loc["c", "partial"] == True  # noqa: E712
    assert str(out["worsened_count"].dtype) == "Int64"
    assert "id" not in out.columns  # the index carries the identity
    columns = {name: frame[name].to_numpy(dtype=object) for name in frame.columns}
    columns = {
        name: np.array([np.nan if v is pd.NA else v for v in values], dtype=object)
        for name, values in columns.items()
    }
    plain = {name: out[name].to_numpy() for name in out.columns}
    plain["id"] = frame["id"].to_numpy()
    for name in ("category", "enzyme", "error"):
        plain[name] = out[name].astype(object).fillna("").to_numpy()
    plain["partial"] = out["partial"].fillna(False).to_numpy(dtype=bool)
    plain["worsened_count"] = out["worsened_count"].to_numpy(dtype=float, na_value=np.nan)
    check(plain, columns, 4, missing="zero", **KEYWORDS)
    with pytest.raises(InvalidValueError, match=r"^row 'b': followup_mmt"):
        score_many(frame, errors="raise", **KEYWORDS)


def test_core_does_not_import_pandas() -> None:
    import subprocess
    import sys

    code = "import sys, myoresponse; myoresponse.score_many; print('pandas' in sys.modules)"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"
