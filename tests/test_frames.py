"""pandas output: missing values, dtypes, the ordered category, join with the input, dates."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from myoresponse import score_many, score_series_many
from myoresponse.tables.frames import CATEGORY_ORDER, SeriesTables
from tests.test_cohort import ADULT_ROWS, KEYWORDS
from tests.test_series_table import columns_of, three_patients

pd = pytest.importorskip("pandas")


def cohort_frame() -> Any:
    frame = pd.DataFrame(ADULT_ROWS)
    frame.loc[1, "followup_mmt"] = 151  # row 1 is in error
    return frame


def test_missing_values_are_missing_in_every_column_type() -> None:
    out = score_many(cohort_frame(), **KEYWORDS)
    plain = score_many({k: np.asarray(v) for k, v in cohort_frame().items()}, **KEYWORDS)
    assert out["error"].isna().tolist() == [True, False, True, True]
    assert out["error"].notna().sum() == 1 and str(out["error"].dtype) == "string"
    assert out.loc[1, "error"] == plain["error"][1]
    assert out.loc[[1]].drop(columns="error").isna().all(axis=None)
    assert not out.drop(index=1).drop(columns="error").isna().any(axis=None)
    assert "" not in out["category"].astype(object).tolist()
    assert "" not in out["enzyme"].astype(object).tolist()


def test_category_is_ordered_and_enzyme_categorical() -> None:
    out = score_many(cohort_frame(), **KEYWORDS)
    dtype = out["category"].dtype
    assert isinstance(dtype, pd.CategoricalDtype) and dtype.ordered
    assert list(dtype.categories) == ["none", "minimal", "moderate", "major"]
    assert list(CATEGORY_ORDER) == list(dtype.categories)
    assert out["category"].astype(object).tolist()[0] == "major"
    assert (out["category"] >= "moderate").tolist() == [True, False, False, True]
    counts = out["category"].value_counts()
    assert counts.to_dict() == {"major": 2, "none": 1, "minimal": 0, "moderate": 0}
    assert out["category"].max() == "major" and out["category"].min() == "none"
    enzyme = out["enzyme"].dtype
    assert isinstance(enzyme, pd.CategoricalDtype) and not enzyme.ordered
    assert out["enzyme"].astype(object).tolist()[::2] == ["CK", "AST"]


def test_join_with_the_input_needs_no_suffix() -> None:
    frame = cohort_frame().set_axis(["a", "b", "c", "d"])
    out = score_many(frame, **KEYWORDS)
    assert "id" not in out.columns and list(out.index) == ["a", "b", "c", "d"]
    joined = frame.join(out)
    assert list(joined.columns) == [*frame.columns, *out.columns]
    assert joined.loc["d", "id"] == "P4" and joined.loc["d", "category"] == "major"
    numpy_out = score_many({k: np.asarray(v) for k, v in frame.items()}, **KEYWORDS)
    assert list(numpy_out) == ["id", *out.columns]  # the dict output keeps id


def test_series_tables_join_the_input() -> None:
    rows = three_patients()
    frame = pd.DataFrame(rows)
    out = score_series_many(frame, population="adult", mmt_max=80)
    assert isinstance(out, SeriesTables)
    joined = frame.join(out.visits)
    assert len(joined) == len(frame)
    assert joined["total_improvement_score"].isna().tolist()[:5] == [
        True,
        False,
        False,
        False,
        False,
    ]
    by_patient = frame.join(out.patients, on="id")
    assert by_patient["first_minimal"].tolist()[:5] == ["week 4"] * 5
    visits_only = frame.join(out.visits, how="inner")
    assert visits_only["visit"].tolist()[:4] == ["week 4", "week 8", "week 12", "week 16"]


def test_series_missing_values_are_na() -> None:
    frame = pd.DataFrame(three_patients())
    visits, patients = score_series_many(frame, population="adult", mmt_max=80)
    for name in ("first_major", "consecutive_visits", "deterioration_visits", "warnings", "error"):
        assert str(patients[name].dtype) == "string"
        assert "" not in patients[name].dropna().tolist(), name
        assert patients[name].isna().any(), name
    assert patients.loc["B"].drop(["error", "baseline_visit", "baseline_date"]).isna().all()
    assert patients["error"].notna().tolist() == [False, True, False]
    assert visits["error"].notna().sum() == 4
    assert isinstance(visits["category"].dtype, pd.CategoricalDtype)
    # worsening: "" when no condition held on a scored visit, missing where not evaluated
    assert visits.loc[1, "worsening"] == "" and visits.loc[6, "worsening"] is pd.NA


def test_printo_core_set_leaves_deterioration_missing() -> None:
    rows = [
        {"id": "J", "visit": "baseline", "physician_global": 6, "patient_global": 6, "cmas": 30,
         "chq_phs": 30, "chaq": 1.5, "das": 10},
        {"id": "J", "visit": "month 3", "physician_global": 3, "patient_global": 3, "cmas": 40,
         "chq_phs": 40, "chaq": 1.0, "das": 6},
    ]  # fmt: skip
    visits, patients = score_series_many(
        pd.DataFrame(rows), population="juvenile", core_set="printo"
    )
    assert patients.loc["J", "confirmed_deterioration"] is pd.NA
    assert visits.loc[1, "worsening"] is pd.NA
    assert str(visits["met_printo_20"].dtype) == "boolean"


@pytest.mark.parametrize("unit", ["ns", "us", "s"])
def test_datetime_dates_round_trip(unit: str) -> None:
    frame = pd.DataFrame(three_patients())
    frame["date"] = pd.to_datetime(frame["date"]).astype(f"datetime64[{unit}]")
    _, patients = score_series_many(frame, population="adult", mmt_max=80)
    heads = frame.groupby("id", sort=False)["date"].first()
    assert patients["baseline_date"].dtype == frame["date"].dtype
    assert patients["baseline_date"].tolist() == heads.tolist()
    aware = frame.assign(date=frame["date"].dt.tz_localize("Europe/Berlin"))
    _, patients = score_series_many(aware, population="adult", mmt_max=80)
    assert patients["baseline_date"].dtype == aware["date"].dtype


def test_text_dates_become_datetime64() -> None:
    rows = three_patients()
    _, patients = score_series_many(pd.DataFrame(rows), population="adult", mmt_max=80)
    assert patients["baseline_date"].dtype.kind == "M"
    assert patients.loc["A", "baseline_date"] == pd.Timestamp(rows[0]["date"])
    no_dates = pd.DataFrame(rows).drop(columns="date")
    _, patients = score_series_many(no_dates, population="adult", mmt_max=80)
    assert patients["baseline_date"].isna().all()


def test_the_numpy_output_keeps_its_shape() -> None:
    rows = three_patients()
    out = score_series_many(columns_of(rows), population="adult", mmt_max=80)
    assert isinstance(out, dict)
    assert out["row"].tolist()[:2] == ["patient", "visit"]
    assert out["category"][0] == "" and out["error"][0] == ""


# -- the DataFrame output is the dict output in pandas' conventions ------------------------------

_CELL = st.one_of(st.none(), st.integers(0, 12), st.sampled_from([2.5, 7.25, 160]))
_NAMES = [name for name in ADULT_ROWS if name != "id"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.fixed_dictionaries({name: _CELL for name in _NAMES}), min_size=1, max_size=8))
def test_frame_output_equals_the_dict_output(rows: list[dict[str, Any]]) -> None:
    columns = {
        name: np.array([np.nan if r[name] is None else r[name] for r in rows], dtype=float)
        for name in _NAMES
    }
    plain = score_many(columns, missing="zero", **KEYWORDS)
    frame = score_many(pd.DataFrame(columns), missing="zero", **KEYWORDS)
    assert list(frame.columns) == list(plain)
    failed = plain["error"] != ""
    for name in plain:
        got = frame[name].astype(object).tolist()
        for row, (a, b) in enumerate(zip(got, plain[name].tolist(), strict=True)):
            if a is pd.NA or (isinstance(a, float) and np.isnan(a)):
                assert b == "" or (isinstance(b, float) and np.isnan(b)) or failed[row], (name, b)
            else:
                assert a == b, (name, row, a, b)


def test_frame_output_equals_the_dict_output_cell_for_cell() -> None:
    """The DataFrame columns (built from codes and masks) say what the numpy-dict columns say."""
    rng = np.random.default_rng(13)
    rows = 3_000
    columns: dict[str, Any] = {"id": np.array([f"P{i}" for i in range(rows)])}
    for side in ("baseline", "followup"):
        columns[f"{side}_physician_global"] = rng.integers(0, 101, rows) / 10
        columns[f"{side}_patient_global"] = rng.integers(0, 101, rows) / 10
        columns[f"{side}_mmt"] = rng.integers(40, 152, rows).astype(float)  # 151: out of range
        columns[f"{side}_haq"] = rng.integers(0, 25, rows) / 8
        columns[f"{side}_extramuscular"] = rng.integers(0, 101, rows) / 10
        columns[f"{side}_ck"] = np.where(
            rng.random(rows) < 0.3, np.nan, rng.integers(20, 6000, rows)
        )
        columns[f"{side}_ast"] = rng.integers(10, 400, rows).astype(float)
    columns["followup_patient_global"][rng.random(rows) < 0.1] = np.nan
    columns["uln_ck"] = np.full(rows, 200.0)
    columns["uln_ast"] = np.full(rows, 40.0)
    plain = score_many(columns, population="adult", mmt_max=150)
    out = score_many(pd.DataFrame(columns), population="adult", mmt_max=150)
    failed = plain["error"] != ""
    assert 0 < failed.sum() < rows and set(plain["enzyme"]) >= {"", "CK", "AST"}
    assert list(out.columns) == [name for name in plain if name != "id"]
    assert str(out["category"].dtype) == "category" and str(out["enzyme"].dtype) == "category"
    assert str(out["worsened_count"].dtype) == "Int64"
    assert str(out["partial"].dtype) == "boolean" and str(out["error"].dtype) == "string"
    for name in ("category", "enzyme", "error"):
        expected = [None if cell == "" else str(cell) for cell in plain[name]]
        got = [None if cell is pd.NA or cell != cell else cell for cell in out[name].astype(object)]
        assert got == expected, name
    assert out["worsened_count"].isna().tolist() == failed.tolist()
    assert (out["worsened_count"][~failed].to_numpy() == plain["worsened_count"][~failed]).all()
    assert out["partial"].isna().tolist() == failed.tolist()
    assert (out["partial"][~failed].to_numpy() == plain["partial"][~failed]).all()
    for name in out.columns:
        if name.startswith(("points_", "change_", "total_")):
            np.testing.assert_array_equal(out[name].to_numpy(), plain[name])
