"""Glucocorticoid columns of the cohort and long tables: forms, mixing, errors, not-recorded."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from myoresponse import score_many, score_series_json, score_series_many
from myoresponse.errors import MyoresponseError
from myoresponse.tables.steroid_columns import read_steroid_doses


def test_both_forms_mix_row_by_row_and_several_drugs_add_up() -> None:
    doses = read_steroid_doses(
        {
            "prednisone_mg_per_day": ["12.5", None, "", None, 0],
            "steroid_drug": [None, "dexamethasone", None, "prednisone", None],
            "steroid_dose_mg": [None, 1.5, None, 5, None],
            "steroid_frequency": [None, "bid", None, None, None],
            "steroid_drug_2": [None, None, None, "hydrocortisone", None],
            "steroid_dose_mg_2": [None, None, None, 10, None],
            "steroid_frequency_2": [None, None, None, "every other day", None],
        }
    )
    # 1.5 mg dexamethasone twice daily = 3 mg/day = 20 mg prednisone; 5 + (10/2)/4 = 6.25
    assert doses.doses == [Fraction(25, 2), Fraction(20), None, Fraction(25, 4), Fraction(0)]
    assert doses.errors == {}
    assert doses.present


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"prednisone_mg_per_day": [5], "steroid_drug": ["prednisone"]}, "both given"),
        ({"steroid_drug": ["prednisone"]}, "steroid_dose_mg: is empty"),
        ({"steroid_dose_mg": [5]}, "steroid_drug: is empty"),
        ({"steroid_drug": ["aspirin"], "steroid_dose_mg": [5]}, "steroid_drug: 'aspirin'"),
        (
            {"steroid_drug": ["prednisone"], "steroid_dose_mg": [5], "steroid_frequency": ["x"]},
            "steroid_frequency: 'x'",
        ),
        ({"prednisone_mg_per_day": [-1]}, "prednisone_mg_per_day: -1 is negative"),
        ({"prednisone_mg_per_day": ["ten"]}, "'ten' is not a number"),
    ],
)
def test_errors_name_the_row_and_the_column(columns: dict[str, list[object]], message: str) -> None:
    table = {"other": [1, 2], **{name: [None, *cells] for name, cells in columns.items()}}
    doses = read_steroid_doses(table)
    assert doses.doses == [None, None]
    assert list(doses.errors) == [1]
    assert doses.errors[1].startswith("row 1: ")
    assert message in doses.errors[1]


def test_no_steroid_columns_adds_no_output_column() -> None:
    out = score_series_many(
        {"id": ["A", "A"], "visit": ["b", "f"], "physician_global": [5, 2], "mmt": [100, 120]},
        population="adult",
        mmt_max=150,
        missing="zero",
    )
    assert "prednisone_equivalent_mg_per_day" not in out
    assert not read_steroid_doses({"id": ["A"]}).present


LONG = {
    "id": ["A", "A", "B", "B"],
    "visit": ["baseline", "month 6", "baseline", "month 6"],
    "physician_global": [6, 2, 5, 4],
    "mmt": [100, 130, 110, 112],
    "prednisone_mg_per_day": [20, None, None, None],
    "steroid_drug": [None, "methylprednisolone", None, "prednisone"],
    "steroid_dose_mg": [None, 4, None, "x"],
}


def test_long_table_exposes_the_dose_and_marks_a_bad_patient() -> None:
    out = score_series_many(LONG, population="adult", mmt_max=150, missing="zero")
    dose = out["prednisone_equivalent_mg_per_day"]
    assert dose[:2].tolist() == [20.0, 5.0]
    assert np.isnan(dose[2]) and np.isnan(dose[3])  # not recorded; in error
    assert out["error"][0] == ""
    assert out["error"][2] == out["error"][3]
    assert out["error"][2].startswith("row 3: steroid_dose_mg: 'x' is not a number")
    # the scores equal the per-patient JSON path, which carries the same doses on its visits
    document = {
        "population": "adult",
        "scales": {"mmt_max": 150},
        "options": {"missing": "zero"},
        "baseline": {
            "physician_global": 6,
            "mmt": 100,
            "steroids": [{"drug": "prednisone", "dose_mg": 20}],
        },
        "visits": [
            {
                "label": "month 6",
                "physician_global": 2,
                "mmt": 130,
                "steroids": [{"drug": "methylprednisolone", "dose_mg": 4}],
            }
        ],
    }
    result = score_series_json(document)["visits"][0]["result"]
    assert out["total_improvement_score"][1] == result["total_improvement_score"]
    assert result["prednisone_equivalent_mg_per_day"] == {"baseline": 20, "followup": 5}


def test_long_table_rejects_pair_prefixed_steroid_columns() -> None:
    with pytest.raises(MyoresponseError, match="baseline_prednisone_mg_per_day"):
        score_series_many(
            {"id": ["A"], "visit": ["b"], "baseline_prednisone_mg_per_day": [5]},
            population="adult",
        )


PAIRS = {
    "baseline_physician_global": [6, 5, 4],
    "followup_physician_global": [2, 5, 3],
    "baseline_mmt": [100, 110, 90],
    "followup_mmt": [130, 110, 100],
    "baseline_prednisone_mg_per_day": [20, 10, None],
    "followup_steroid_drug": ["prednisolone", "prednisone", None],
    "followup_steroid_dose_mg": [7.5, -1, None],
}


def test_pair_table_dose_columns_and_a_bad_row() -> None:
    out = score_many(PAIRS, population="adult", mmt_max=150, missing="zero")
    assert out["baseline_prednisone_equivalent_mg_per_day"].tolist()[:2] == [20.0, 10.0]
    assert out["followup_prednisone_equivalent_mg_per_day"][0] == 7.5
    assert np.isnan(out["followup_prednisone_equivalent_mg_per_day"][2])  # not recorded, not 0
    assert out["error"][1].startswith("row 1: followup_steroid_dose_mg: -1 is negative")
    assert np.isnan(out["total_improvement_score"][1]) and out["category"][1] == ""
    assert out["error"][0] == out["error"][2] == ""
    assert out["category"][0] != ""


def test_pair_table_dataframe_and_raise() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(PAIRS, index=["p1", "p2", "p3"])
    out = score_many(frame, population="adult", mmt_max=150, missing="zero")
    assert out.loc["p2", "error"].startswith("row 'p2': followup_steroid_dose_mg")
    assert out["partial"].isna().tolist() == [False, True, False]
    assert out.loc["p1", "followup_prednisone_equivalent_mg_per_day"] == 7.5
    with pytest.raises(MyoresponseError, match="row 1: followup_steroid_dose_mg"):
        score_many(PAIRS, population="adult", mmt_max=150, missing="zero", errors="raise")


def test_long_table_dataframe_puts_the_doses_in_its_two_tables() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(LONG, index=[10, 11, 12, 13])
    visits, patients = score_series_many(frame, population="adult", mmt_max=150, missing="zero")
    assert visits.loc[11, "prednisone_equivalent_mg_per_day"] == 5.0
    assert patients.loc["A", "baseline_prednisone_equivalent_mg_per_day"] == 20.0
    assert np.isnan(patients.loc["B", "baseline_prednisone_equivalent_mg_per_day"])


def test_a_table_without_glucocorticoid_columns_takes_no_per_row_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A per-row pass over every cohort row made score_many about 25x slower with no steroid
    # column at all; without one, nothing is recorded and no row is read.
    import myoresponse.tables.steroid_columns as steroid_columns

    def no_row(*args: object) -> None:
        raise AssertionError("a row was read although the table has no glucocorticoid column")

    monkeypatch.setattr(steroid_columns, "_row", no_row)
    doses = steroid_columns.read_steroid_doses({"baseline_mmt": [1, 2, 3]}, "baseline_")
    assert doses.doses == [None, None, None] and doses.errors == {} and not doses.present
