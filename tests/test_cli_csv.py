"""``myoresponse score --csv``: a cohort file through the command line, row by row as score_json."""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from myoresponse import score_json
from myoresponse.io.cli import main, schema_text
from myoresponse.io.csv import in_column_terms
from myoresponse.tables.terms import as_flags
from tests.cohort_oracle import expected

HEADER = [
    "id",
    "population",
    "baseline_physician_global",
    "followup_physician_global",
    "baseline_patient_global",
    "followup_patient_global",
    "baseline_mmt",
    "followup_mmt",
    "baseline_haq",
    "followup_haq",
    "baseline_chaq",
    "followup_chaq",
    "baseline_ck",
    "followup_ck",
    "uln_ck",
    "baseline_aldolase",
    "followup_aldolase",
    "uln_aldolase",
    "baseline_extramuscular",
    "followup_extramuscular",
    "notes",
]
ROWS = [
    [
        "A1",
        "adult",
        "6.0",
        "2.0",
        "7",
        "4.5",
        "110",
        "131",
        "1.5",
        "0.875",
        "",
        "",
        "2400",
        "310",
        "200",
        "9.1",
        "7",
        "7.6",
        "4",
        "1.5",
        "first",
    ],
    [
        "A2",
        "adult",
        "2.2",
        "0.7",
        "5",
        "5",
        "60",
        "62",
        "1",
        "1",
        "",
        "",
        "300",
        "300",
        "200",
        "",
        "",
        "",
        "3",
        "3",
        "",
    ],
    [
        "J1",
        "juvenile",
        "5.5",
        "1.5",
        "6",
        "2",
        "100",
        "135",
        "",
        "",
        "2.125",
        "0.5",
        "800",
        "200",
        "150",
        "12",
        "6",
        "7.6",
        "5",
        "1",
        "",
    ],
    [
        "A3",
        "",
        "4.4",
        "3.9",
        "3.3",
        "2.3",
        "90",
        "93",
        "0.375",
        "0.25",
        "",
        "",
        "",
        "",
        "",
        "22.8",
        "10",
        "7.6",
        "2.5",
        "2",
        "no CK",
    ],
    [
        "J2",
        "juvenile",
        "3",
        "1",
        "6",
        "",
        "100",
        "135",
        "",
        "",
        "1",
        "1",
        "800",
        "200",
        "150",
        "",
        "",
        "",
        "5",
        "1",
        "missing follow-up",
    ],
]


def _write(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "myoresponse", *args], capture_output=True, text=True, check=False
    )


def _compare(
    output: str, rows: list[list[str]], header: list[str], **keywords: Any
) -> list[dict[str, str]]:
    table = list(csv.DictReader(io.StringIO(output)))
    assert len(table) == len(rows)
    columns = {name: [row[i] for row in rows] for i, name in enumerate(header)}
    for index, got in enumerate(table):
        want = expected(columns, index, **keywords)
        if want["error"]:
            # The command line names the CSV columns and flags (issue 12 item 12).
            assert got["error"] == as_flags(want["error"])
            assert got["total_improvement_score"] == "" and got["category"] == ""
            continue
        assert got["error"] == ""
        for name, value in want.items():
            cell = got[name]
            if isinstance(value, bool):
                assert cell == ("true" if value else "false"), name
            elif isinstance(value, float):
                assert (cell == "" and math.isnan(value)) or float(cell) == value, (
                    index,
                    name,
                    cell,
                    value,
                )
            else:
                assert cell == str(value), (index, name, cell, value)
    return table


@pytest.mark.parametrize("missing", ["error", "zero"])
def test_round_trip_through_the_command(tmp_path: Path, missing: str) -> None:
    source = _write(tmp_path / "cohort.csv", ROWS)
    target = tmp_path / "scored.csv"
    shown = _run(
        "score",
        "--csv",
        str(source),
        "-o",
        str(target),
        "--population",
        "adult",
        "--mmt-max",
        "150",
        "--missing",
        missing,
        "--chunk-rows",
        "2",
    )
    table = _compare(
        target.read_text(encoding="utf-8"),
        ROWS,
        HEADER,
        population="adult",
        mmt_max=Decimal(150),
        missing=missing,
    )
    assert [row["id"] for row in table] == ["A1", "A2", "J1", "A3", "J2"]
    if missing == "zero":
        assert table[4]["error"] == "" and table[4]["partial"] == "true"
        assert table[4]["change_patient_global"] == ""  # an empty cell is a missing value
        assert shown.returncode == 0, shown.stderr
        assert shown.stderr == ""
    else:
        assert table[4]["error"].startswith("followup_patient_global: is missing")
        assert shown.returncode == 1
        assert shown.stderr.count("\n") == 1 and "rows could not be scored" in shown.stderr


def test_each_row_equals_score_json_of_its_own_assessment(tmp_path: Path) -> None:
    source = _write(tmp_path / "cohort.csv", ROWS[:1])
    shown = _run("score", "--csv", str(source), "--population", "adult", "--mmt-max", "150")
    assert shown.returncode == 0, shown.stderr
    row = next(csv.DictReader(io.StringIO(shown.stdout)))
    example = json.loads(_run("example", "--compact").stdout)
    direct = score_json(
        {
            "population": "adult",
            "scales": {"mmt_max": 150, "enzyme_uln": {"CK": 200, "aldolase": Decimal("7.6")}},
            "baseline": {
                "physician_global": Decimal("6.0"),
                "patient_global": 7,
                "mmt": 110,
                "haq": Decimal("1.5"),
                "enzymes": {"CK": 2400, "aldolase": Decimal("9.1")},
                "extramuscular": 4,
            },
            "followup": {
                "physician_global": 2,
                "patient_global": Decimal("4.5"),
                "mmt": 131,
                "haq": Decimal("0.875"),
                "enzymes": {"CK": 310, "aldolase": 7},
                "extramuscular": Decimal("1.5"),
            },
        }
    )
    assert float(row["total_improvement_score"]) == direct["total_improvement_score"]
    assert row["category"] == direct["category"] == example["category"]


def test_a_bad_row_in_the_middle(tmp_path: Path) -> None:
    rows = [list(row) for row in ROWS[:3]]
    rows[1][7] = "151"  # followup_mmt outside 0..150
    source = _write(tmp_path / "cohort.csv", rows)
    shown = _run("score", "--csv", str(source), "--mmt-max", "150", "--population", "adult")
    assert shown.returncode == 1
    table = _compare(shown.stdout, rows, HEADER, population="adult", mmt_max=Decimal(150))
    assert table[0]["error"] == "" and table[2]["error"] == ""
    assert table[1]["error"] == "followup_mmt: 151 is outside the scale 0 to 150 (--mmt-max 150)"
    assert shown.stderr.strip() == (
        "myoresponse: 1 of 3 rows could not be scored (see the error column); first: line 3: "
        "followup_mmt: 151 is outside the scale 0 to 150 (--mmt-max 150)"
    )


def test_ragged_and_non_numeric_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "cohort.csv"
    good = ",".join(ROWS[0])
    source.write_text(
        ",".join(HEADER)
        + "\n"
        + good
        + "\n"
        + "A9,adult,1,2\n"
        + good.replace("6.0", "six")
        + "\n",
        encoding="utf-8",
    )
    status = main(["score", "--csv", str(source), "--mmt-max", "150"])
    out = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert status == 1
    assert out[0]["error"] == ""
    assert out[1]["error"] == "line 3: has 4 cells where the header has 21"
    assert out[2]["error"] == "baseline_physician_global: 'six' is not a number (got str)"


def test_unreadable_tables_exit_2(tmp_path: Path) -> None:
    bad_header = _write(tmp_path / "bad.csv", [], header=["baseline_mmmt", "followup_mmt"])
    shown = _run("score", "--csv", str(bad_header), "--population", "adult")
    assert shown.returncode == 2 and "baseline_mmmt" in shown.stderr
    assert _run("score", "--csv", str(tmp_path / "nowhere.csv")).returncode == 2
    no_population = _write(tmp_path / "nopop.csv", [], header=["baseline_mmt", "followup_mmt"])
    assert _run("score", "--csv", str(no_population)).returncode == 64  # usage: --population
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert _run("score", "--csv", str(empty), "--population", "adult").returncode == 2
    assert _run("score", "x.json", "--population", "adult").returncode == 64


def test_json_scoring_is_unchanged(tmp_path: Path) -> None:
    example = _run("example", "--compact")
    assert example.returncode == 0
    source = tmp_path / "a.json"
    source.write_text(json.dumps([json.loads(schema_text())["$defs"] and {"population": "adult"}]))
    shown = _run("score", str(source))
    assert (
        shown.returncode == 1
        and json.loads(shown.stdout)[0]["error"]["type"] == "MissingMeasureError"
    )


def test_schema_command_prints_the_shipped_schema() -> None:
    shown = _run("schema")
    assert shown.returncode == 0
    assert json.loads(shown.stdout) == json.loads(schema_text())


def test_help_teaches_by_example() -> None:
    shown = _run("score", "--help")
    assert "--csv" in shown.stdout and "myoresponse score --csv cohort.csv" in shown.stdout


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("baseline.physician_global: -1.5 is negative", "baseline_physician_global: -1.5"),
        ("followup.enzymes.CK: -200 is negative", "followup_ck: -200 is negative"),
        (
            "all missing: baseline.enzymes, baseline.haq",
            "all missing: baseline enzymes, baseline_haq",
        ),
        (
            "required under missing='error'; pass missing='zero'",
            "under --missing error; pass --missing zero",
        ),
    ],
)
def test_csv_messages_name_the_column_and_the_flag(message: str, shown: str) -> None:
    assert shown in in_column_terms(message)


def test_csv_error_column_names_the_column(tmp_path: Path) -> None:
    source = tmp_path / "c.csv"
    source.write_text(
        "id,baseline_physician_global,followup_physician_global,baseline_mmt,followup_mmt,"
        "baseline_ck,followup_ck,uln_ck\nB,5,2,100,110,300,-200,200\n",
        encoding="utf-8",
    )
    shown = _run("score", "--csv", str(source), "--population", "adult", "--mmt-max", "150")
    row = next(csv.DictReader(io.StringIO(shown.stdout)))
    assert row["error"].startswith("followup_ck: -200")
    assert "followup.enzymes" not in shown.stderr and "followup_ck" in shown.stderr


def test_csv_errors_show_the_cell_as_written(tmp_path: Path) -> None:
    # Issue 12 item 12: the cell text (-1, -2e2), not the float it was read as (-1.0, -200.0).
    source = tmp_path / "c.csv"
    source.write_text(
        "id,baseline_physician_global,followup_physician_global,baseline_mmt,followup_mmt,"
        "baseline_ck,followup_ck,uln_ck\n"
        "A,-1,2,100,110,300,200,200\nB,5,2,100,110,300,-2e2,200\nC,5,2,100,x,300,200,200\n",
        encoding="utf-8",
    )
    shown = _run("score", "--csv", str(source), "--population", "adult", "--mmt-max", "150")
    errors = [row["error"] for row in csv.DictReader(io.StringIO(shown.stdout))]
    assert errors == [
        "baseline_physician_global: -1 is negative; must be 0 or more",
        "followup_ck: -2e2 is negative; must be 0 or more",
        "followup_mmt: 'x' is not a number (got str)",
    ]


def test_series_csv_errors_show_the_cell_as_written(tmp_path: Path) -> None:
    # Issue 9 "Still open" and issue 12 item 12: series --csv shows -3, not -3.0; the value is the
    # one of the row the message names (line 3), whichever row of the patient carries it.
    source = tmp_path / "v.csv"
    source.write_text(
        "id,visit,mmt,physician_global,patient_global,haq,ck,extramuscular,uln_ck\n"
        "A,0,-3,5,5,1,100,3,200\nA,1,100,2,3,0.5,100,2,200\n"
        "B,0,50,5,5,1,100,3,200\nB,1,60,-2e2,3,0.5,100,2,200\n"
        "C,0,50,5,5,1,100,3,200\nC,1,60,-0.50,3,0.5,100,2,200\n"
        "D,0,50,5,5,1,100,3,200\nD,1,60,x,3,0.5,100,2,200\n",
        encoding="utf-8",
    )
    shown = _run("series", "--csv", str(source), "--population", "adult", "--mmt-max", "150")
    rows = list(csv.DictReader(io.StringIO(shown.stdout)))
    errors = {row["id"]: row["error"] for row in rows if row["row"] == "patient"}
    assert errors == {
        "A": "visit '0' (line 2): mmt: -3 is negative; must be 0 or more",
        "B": "visit '1' (line 5): physician_global: -2e2 is negative; must be 0 or more",
        "C": "visit '1' (line 7): physician_global: -0.50 is negative; must be 0 or more",
        "D": "visit '1' (line 9): physician_global: 'x' is not a number (got str)",
    }
    assert all(row["error"] == errors[row["id"]] for row in rows)
    assert "line 2): mmt: -3 is negative" in shown.stderr
