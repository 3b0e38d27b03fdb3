"""Glucocorticoid columns of the cohort and long tables: forms, mixing, errors, not-recorded."""

from __future__ import annotations

import csv
from fractions import Fraction
from pathlib import Path

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
    assert out["error"][2].startswith(
        "visit 'month 6' (row 3): steroid_dose_mg: 'x' is not a number"
    )
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
    # the row-aligned error column does not repeat the row, as for every other message
    assert out["error"][1].startswith("followup_steroid_dose_mg: -1 is negative")
    assert np.isnan(out["total_improvement_score"][1]) and out["category"][1] == ""
    assert out["error"][0] == out["error"][2] == ""
    assert out["category"][0] != ""


def test_pair_table_dataframe_and_raise() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(PAIRS, index=["p1", "p2", "p3"])
    out = score_many(frame, population="adult", mmt_max=150, missing="zero")
    assert out.loc["p2", "error"].startswith("followup_steroid_dose_mg: -1.0 is negative")
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


# -- rows with the same cells are read once: the result equals reading every row ---------------

_DRUGS = [None, "", "prednisone", "methylprednisolone", "dexamethasone", "aspirin", "NA"]
_DOSES = [None, float("nan"), 0, 1, 5, 5.0, "5", " 7.5 ", "x", -1, True, 1.0, 10**400]
_FREQUENCIES = [None, "", "bid", "once daily", "every other day", "weekly?"]


def _per_row(table: dict[str, object]) -> tuple[list[object], dict[int, str]]:
    """The doses and errors read row by row (the reference the grouped reading must equal)."""
    from myoresponse.tables import steroid_columns as sc
    from myoresponse.tables._columns import Table

    read = Table(table)
    sets = [("steroid_drug", "steroid_dose_mg", "steroid_frequency")]
    sets.append(("steroid_drug_2", "steroid_dose_mg_2", "steroid_frequency_2"))
    doses: list[object] = []
    errors: dict[int, str] = {}
    for row in range(read.size):
        try:
            doses.append(sc._row(read, row, "prednisone_mg_per_day", sets))
        except MyoresponseError as error:
            doses.append(None)
            errors[row] = f"row {row}: {error}"
    return doses, errors


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("kind", ["lists", "arrays", "frame"])
def test_grouped_reading_equals_reading_every_row(seed: int, kind: str) -> None:
    rng = np.random.default_rng(seed)
    rows = 60

    def pick(pool: list[object]) -> list[object]:
        return [pool[i] for i in rng.integers(0, len(pool), rows)]

    table: dict[str, object] = {
        "prednisone_mg_per_day": [
            d if rng.random() < 0.5 else None for d in pick([None, 20, 20.0, "12.5", -2, "ten"])
        ],
        "steroid_drug": pick(_DRUGS),
        "steroid_dose_mg": pick(_DOSES),
        "steroid_frequency": pick(_FREQUENCIES),
        "steroid_drug_2": pick(_DRUGS[:3]),
        "steroid_dose_mg_2": pick(_DOSES[:6]),
    }
    if kind == "arrays":  # numeric columns as float arrays, text as numpy text
        table["prednisone_mg_per_day"] = rng.choice([np.nan, 0.0, 7.5, 20.0, -1.0], rows)
        table["steroid_drug"] = np.array(["" if d is None else d for d in pick(_DRUGS)])
        table["steroid_dose_mg"] = rng.choice([np.nan, 1.5, 5.0, 5.0, 40.0], rows)
    expected_doses, expected_errors = _per_row(table)
    given: object = table
    if kind == "frame":
        pd = pytest.importorskip("pandas")
        given = pd.DataFrame(table)
    doses = read_steroid_doses(given)  # type: ignore[arg-type]
    assert doses.doses == expected_doses
    assert doses.errors == expected_errors
    values = doses.floats()
    assert [None if np.isnan(v) else v for v in values.tolist()] == [
        None if d is None else float(d)
        for d in expected_doses  # type: ignore[arg-type]
    ]


def test_a_registry_of_repeated_doses_reads_each_distinct_dose_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from myoresponse.tables import steroid_columns as sc

    calls: list[int] = []
    row_reader = sc._row

    def counted(*args: object) -> object:
        calls.append(1)
        return row_reader(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(sc, "_row", counted)
    doses = read_steroid_doses({"prednisone_mg_per_day": np.tile([20.0, 7.5, np.nan], 1000)})
    assert len(calls) == 3
    assert doses.doses[:4] == [Fraction(20), Fraction(15, 2), None, Fraction(20)]


def test_equal_but_different_cells_are_read_apart() -> None:
    # True == 1 and "5" != 5 as keys: the reading must not merge a boolean with a number
    doses = read_steroid_doses({"prednisone_mg_per_day": [1, True, 1, "ten", "ten", [2]]})
    assert doses.doses[0] == doses.doses[2] == Fraction(1)
    assert sorted(doses.errors) == [1, 3, 4, 5]
    assert "true is a boolean" in doses.errors[1]
    assert doses.errors[4] == doses.errors[3].replace("row 3", "row 4")


@pytest.mark.parametrize("framed", [False, True])
def test_several_bad_dose_rows_are_emptied_and_an_earlier_error_is_kept(framed: bool) -> None:
    columns = {
        "baseline_physician_global": [5, 5, 11, 5],  # row 2: out of scale (its own error)
        "followup_physician_global": [3, 3, 3, 3],
        "baseline_mmt": [100, 100, 100, 100],
        "followup_mmt": [120, 120, 120, 120],
        "baseline_prednisone_mg_per_day": [20, -1, -1, "x"],
    }
    given: object = columns
    if framed:
        pd = pytest.importorskip("pandas")
        given = pd.DataFrame(columns)
    out: object = score_many(given, population="adult", mmt_max=150, missing="zero")  # type: ignore[call-overload]
    errors = [e if isinstance(e, str) else "" for e in list(out["error"])]  # type: ignore[index]
    assert errors[0] == ""
    assert errors[1].startswith("baseline_prednisone_mg_per_day: -1 is negative")
    assert "physician_global" in errors[2] and "prednisone" not in errors[2]
    assert errors[3].startswith("baseline_prednisone_mg_per_day: 'x' is not a number")
    tis = np.asarray(out["total_improvement_score"], dtype=float)  # type: ignore[index]
    assert not np.isnan(tis[0]) and np.isnan(tis[1:]).all()
    points = np.asarray(out["points_mmt"], dtype=float)  # type: ignore[index]
    assert np.isnan(points[[1, 3]]).all()
    categories = [c if isinstance(c, str) else "" for c in list(out["category"])]  # type: ignore[index]
    assert categories[0] != "" and categories[1:] == ["", "", ""]


def test_score_csv_shows_a_bad_dose_as_its_cell_and_its_line(tmp_path: Path) -> None:
    from myoresponse.io.cli import main

    path = tmp_path / "doses.csv"
    path.write_text(
        "id,baseline_physician_global,followup_physician_global,baseline_mmt,followup_mmt,"
        "baseline_prednisone_mg_per_day\na,5,3,60,70,-5\nb,5,3,60,70,-2e1\n"
    )
    out = tmp_path / "out.csv"
    code = main(
        [
            "score",
            "--csv",
            str(path),
            "--population",
            "adult",
            "--mmt-max",
            "80",
            "--missing",
            "zero",
            "-o",
            str(out),
        ]
    )
    assert code == 1
    rows = list(csv.DictReader(out.open()))
    assert [r["error"] for r in rows] == [
        "baseline_prednisone_mg_per_day: -5 is negative; a dose is 0 mg or more",
        "baseline_prednisone_mg_per_day: -2e1 is negative; a dose is 0 mg or more",
    ]


def test_equal_doses_written_differently_are_shown_as_written() -> None:
    from decimal import Decimal

    doses = read_steroid_doses({"prednisone_mg_per_day": [Decimal("-5"), Decimal("-5.0")]})
    assert "-5 is negative" in doses.errors[0]
    assert "-5.0 is negative" in doses.errors[1]
