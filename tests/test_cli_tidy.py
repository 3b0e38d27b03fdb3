"""``myoresponse series --csv --patients-output``: the long table as two tidy tables (issue 13)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from myoresponse.io.cli import EXIT_USAGE, main

FLAGS = ["--population", "adult", "--mmt-max", "150", "--missing", "zero"]
# A scored patient with two follow-ups (one a response), a patient without a date whose second
# visit is in error, and a patient with only a baseline.
VISITS = (
    "id,visit,date,physician_global,patient_global,mmt,haq,extramuscular\n"
    "A,baseline,2024-01-02,6,5,110,1.5,4\n"
    "A,week 4,2024-01-30,2,2,131,0.5,1\n"
    "A,week 8,2024-02-27,5,5,112,1.4,4\n"
    "B,baseline,,6,5,110,1.5,4\n"
    'B,"week 4, early",,3,3,120,1,2\n'
    "B,week 8,,x,2,131,0.5,1\n"
    "C,baseline,2024-03-01,6,5,110,1.5,4\n"
)


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "visits.csv"
    path.write_text(VISITS)
    return path


def test_the_two_tables_hold_the_long_tables_visit_and_patient_rows(
    table: Path, tmp_path: Path
) -> None:
    long, visits, patients = (tmp_path / n for n in ("long.csv", "v.csv", "p.csv"))
    assert main(["series", "--csv", str(table), *FLAGS, "-o", str(long)]) == 1  # B has an error
    split = ["-o", str(visits), "--patients-output", str(patients)]
    assert main(["series", "--csv", str(table), *FLAGS, *split]) == 1
    rows = read(long)
    visit_rows = [r for r in rows if r.pop("row") == "visit"]
    patient_rows = [r for r in read(long) if r.pop("row") == "patient"]
    assert len(visit_rows) == 4 and len(patient_rows) == 3

    got_visits = read(visits)
    assert got_visits == [
        {name: row[name] for name in got_visits[0]} for row in visit_rows
    ]  # same rows, same values, in the same order
    assert list(got_visits[0])[:4] == ["id", "visit", "date", "total_improvement_score"]
    assert "first_minimal" not in got_visits[0] and "landmark_response" not in got_visits[0]
    assert [r["visit"] for r in got_visits] == ["week 4", "week 8", "week 4, early", "week 8"]
    assert got_visits[0]["total_improvement_score"] != ""  # scored, not all blank
    assert got_visits[3]["error"].startswith("visit 'week 8'")

    renamed = {"baseline_visit": "visit", "baseline_date": "date"}
    got_patients = read(patients)
    assert got_patients == [
        {name: row[renamed.get(name, name)] for name in got_patients[0]} for row in patient_rows
    ]
    assert [(r["id"], r["baseline_visit"], r["baseline_date"]) for r in got_patients] == [
        ("A", "baseline", "2024-01-02"),
        ("B", "baseline", ""),
        ("C", "baseline", "2024-03-01"),
    ]
    assert got_patients[1]["error"] != "" and got_patients[0]["error"] == ""
    # every long column lands in exactly one of the two files (id, visit, date in the visits)
    long_names = set(rows[0]) - {"visit", "date"}
    assert long_names <= set(got_visits[0]) | set(got_patients[0])


def test_the_columns_are_those_of_the_dataframe_tables(table: Path, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    from myoresponse import score_series_many

    visits, patients = tmp_path / "v.csv", tmp_path / "p.csv"
    main(
        [
            "series",
            "--csv",
            str(table),
            *FLAGS,
            "-o",
            str(visits),
            "--patients-output",
            str(patients),
        ]
    )
    frame = pd.read_csv(table, dtype=str, keep_default_na=False)
    tables = score_series_many(frame, population="adult", mmt_max=150, missing="zero")
    assert list(read(visits)[0]) == ["id", "visit", "date", *tables.visits.columns]
    assert list(read(patients)[0]) == ["id", *tables.patients.columns]


def test_the_default_output_is_the_one_long_table(table: Path, tmp_path: Path) -> None:
    out = tmp_path / "long.csv"
    main(["series", "--csv", str(table), *FLAGS, "-o", str(out)])
    lines = out.read_text().splitlines()
    assert lines[0].startswith("row,id,visit,date,total_improvement_score,")
    assert [line.split(",")[0] for line in lines[1:]] == [
        "patient", "visit", "visit", "patient", "visit", "visit", "patient",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--patients-output", "{p}"], "neither of them - (standard output)"),
        (["-o", "-", "--patients-output", "{p}"], "neither of them - (standard output)"),
        (["-o", "{v}", "--patients-output", "-"], "neither of them - (standard output)"),
        (["-o", "{p}", "--patients-output", "{p}"], "both name"),
    ],
)
def test_standard_output_or_one_file_for_both_is_a_usage_error(
    table: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    message: str,
) -> None:
    names = {"p": str(tmp_path / "p.csv"), "v": str(tmp_path / "v.csv")}
    given = [a.format(**names) for a in arguments]
    assert main(["series", "--csv", str(table), *FLAGS, *given]) == EXIT_USAGE
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["visits.csv"]


def test_json_input_with_patients_output_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    series = tmp_path / "s.json"
    series.write_text("{}")
    out, patients = str(tmp_path / "v.json"), str(tmp_path / "p.csv")
    assert main(["series", str(series), "-o", out, "--patients-output", patients]) == EXIT_USAGE
    assert "--patients-output applies to --csv" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]


def test_a_failed_run_leaves_neither_file(table: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("visit,physician_global,mmt\nbaseline,6,110\n")  # no id column
    visits, patients = tmp_path / "v.csv", tmp_path / "p.csv"
    split = ["-o", str(visits), "--patients-output", str(patients)]
    assert main(["series", "--csv", str(bad), *FLAGS, *split]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "visits.csv"]
    # over earlier files: both stay as they were
    visits.write_text("old visits\n")
    patients.write_text("old patients\n")
    assert main(["series", "--csv", str(bad), *FLAGS, *split]) == 2
    assert visits.read_text() == "old visits\n" and patients.read_text() == "old patients\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_a_failure_after_rows_were_written_leaves_neither_file(tmp_path: Path) -> None:
    # some 40 kB of patients scored chunk by chunk, then a byte that is not UTF-8
    body = "".join(
        f"P{n},baseline,,6,5,110,1.5,4\nP{n},week 4,,2,2,131,0.5,1\n" for n in range(1000)
    )
    broken = tmp_path / "broken.csv"
    broken.write_bytes((VISITS + body).encode() + b"D,baseline,,6,5,110,1.5,\xff\n")
    visits, patients = tmp_path / "v.csv", tmp_path / "p.csv"
    split = ["-o", str(visits), "--patients-output", str(patients), "--chunk-rows", "10"]
    assert main(["series", "--csv", str(broken), *FLAGS, *split]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.csv"]
