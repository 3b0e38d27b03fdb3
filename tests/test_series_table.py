"""score_series_many and ``myoresponse series --csv``: the long table form of visit series.

The oracle is the per-patient path: every patient's rows must equal what ``score_series`` (read
through its JSON form, ``SeriesResult.to_dict()``) gives for that patient alone.
"""

from __future__ import annotations

import csv
import io
import math
import subprocess
import sys
import warnings
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from myoresponse import (
    DeteriorationRule,
    InputFormatError,
    InvalidValueError,
    UnknownFieldError,
    UnvalidatedSubtypeWarning,
    score_many,
    score_series,
    score_series_json,
    score_series_many,
)
from myoresponse.io.cli import main
from tests.test_series import BASE, WORKED, worked, worked_json
from tests.test_series_properties import make, values

COLUMNS = ("physician_global", "patient_global", "mmt", "haq", "ck", "extramuscular")
DATES = ("2024-01-08", "2024-02-05", "2024-03-04", "2024-04-01", "2024-04-29")
KEYS = ("physician_global", "patient_global", "mmt", "haq", "enzyme", "extramuscular")


def worked_rows(ident: str = "DM-1") -> list[dict[str, Any]]:
    """The worked series of tests/test_series.py as long-table rows."""
    labelled = [("baseline", BASE), *WORKED.items()]
    return [
        {
            "id": ident,
            "visit": label,
            "date": date,
            "subtype": "DM",
            **dict(zip(COLUMNS, values_, strict=True)),
            "uln_ck": 200,
        }
        for (label, values_), date in zip(labelled, DATES, strict=True)
    ]


def columns_of(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    names = list(dict.fromkeys(name for row in rows for name in row))
    return {name: [row.get(name) for row in rows] for name in names}


def expected_rows(doc: dict[str, Any], definitions: tuple[str, ...]) -> list[dict[str, Any]]:
    """The output rows of one patient, from the series result object of the per-patient path."""
    endpoints = doc["endpoints"]
    deterioration = endpoints["confirmed_deterioration"]
    landmark = endpoints["landmark_response"]
    head: dict[str, Any] = {
        "row": "patient",
        "visit": doc["baseline"]["label"],
        "date": doc["baseline"]["date"] or "",
        **{f"first_{c}": label or "" for c, label in endpoints["first_reached"].items()},
        **{f"first_{d}": label or "" for d, label in endpoints["first_met"].items()},
        "consecutive_response": endpoints["consecutive_response"]["met"],
        "consecutive_visits": ";".join(endpoints["consecutive_response"]["visits"]),
        "confirmed_deterioration": bool(deterioration and deterioration["met"]),
        "deterioration_visits": ";".join(deterioration["visits"]) if deterioration else "",
        "landmark_visit": (landmark["visit"] or "") if landmark else "",
        "landmark_response": bool(landmark and landmark["met"]),
        "warnings": " | ".join(doc["warnings"]),
        "error": "",
    }
    rows = [head]
    for visit in doc["visits"]:
        result = visit["result"]
        row: dict[str, Any] = {
            "row": "visit",
            "visit": visit["label"],
            "date": visit["date"] or "",
            "total_improvement_score": result["total_improvement_score"],
            "category": result["category"],
            "enzyme": result["enzyme"]["name"] if result["enzyme"] else "",
            "worsened_count": visit["worsened_count"],
            "partial": result["partial"],
            "worsening": ";".join(visit["deterioration"] or []),
            "error": "",
        }
        for measure in result["measures"]:
            row[f"points_{measure['measure']}"] = measure["points"]
            change = measure["absolute_percent_change"]
            row[f"change_{measure['measure']}"] = math.nan if change is None else change
        met = {d["definition"]: d["met"] for d in [visit["doi"], *(visit["printo"] or [])] if d}
        assert set(met) == set(definitions)
        row.update({f"met_{key}": value for key, value in met.items()})
        rows.append(row)
    return rows


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


def assert_rows(out: dict[str, Any], rows: list[int], expected: list[dict[str, Any]]) -> None:
    assert len(rows) == len(expected)
    for row, wanted in zip(rows, expected, strict=True):
        for name, value in wanted.items():
            got = out[name][row]
            got = got.item() if isinstance(got, np.generic) else got
            assert same(got, value), (row, name, got, value)


# -- the worked series -------------------------------------------------------------------------


def test_worked_series_as_a_long_table() -> None:
    out = score_series_many(columns_of(worked_rows()), population="adult", mmt_max=80)
    doc = score_series(worked()).to_dict()
    assert doc == score_series_json(worked_json())
    assert_rows(out, list(range(5)), expected_rows(doc, ("imacs_doi_2004",)))
    # the values by hand (tests/test_series.py)
    assert out["row"].tolist() == ["patient", "visit", "visit", "visit", "visit"]
    assert out["total_improvement_score"][1:].tolist() == [20, 0, 55, 75]
    assert out["worsening"].tolist() == ["", "", "extramuscular_global", "", ""]
    assert out["met_imacs_doi_2004"].tolist() == [False, False, False, True, True]
    assert out["first_minimal"][0] == "week 4" and out["first_major"][0] == "week 16"
    assert out["first_imacs_doi_2004"][0] == "week 12"
    assert out["consecutive_visits"][0] == "week 12;week 16" and out["consecutive_response"][0]
    assert not out["confirmed_deterioration"][0] and out["deterioration_visits"][0] == ""
    assert out["date"].tolist() == list(DATES)
    assert set(out["error"].tolist()) == {""}


def test_visit_rows_equal_score_many_on_the_pairs() -> None:
    """The score columns of a visit row are score_many's for the pair baseline/visit."""
    out = score_series_many(columns_of(worked_rows()), population="adult", mmt_max=80)
    pairs: dict[str, Any] = {"uln_ck": [200] * 4}
    for name, base in zip(COLUMNS, BASE, strict=True):
        pairs[f"baseline_{name}"] = [base] * 4
        pairs[f"followup_{name}"] = [values_[COLUMNS.index(name)] for values_ in WORKED.values()]
    many = score_many(pairs, population="adult", mmt_max=80)
    for name, column in many.items():
        if name == "error":
            continue
        assert [
            same(a, b) for a, b in zip(out[name][1:].tolist(), column.tolist(), strict=True)
        ] == [True] * 4


def test_parameters_reach_the_endpoints() -> None:
    table = columns_of(worked_rows())
    out = score_series_many(table, population="adult", mmt_max=80, level="major")
    assert not out["consecutive_response"][0] and out["consecutive_visits"][0] == ""
    out = score_series_many(table, population="adult", mmt_max=80, consecutive=1)
    assert out["consecutive_visits"][0] == "week 4"
    rule = DeteriorationRule(global_cm=3, consecutive=1)
    out = score_series_many(table, population="adult", mmt_max=80, deterioration=rule)
    assert out["worsening"][2] == ""  # extramuscular rose 2.5 cm < 3 cm
    rule = DeteriorationRule(consecutive=1)
    out = score_series_many(table, population="adult", mmt_max=80, deterioration=rule)
    assert out["confirmed_deterioration"][0] and out["deterioration_visits"][0] == "week 8"


def test_missing_measure_under_missing_zero_is_partial() -> None:
    rows = worked_rows()
    rows[3]["haq"] = None  # week 12
    out = score_series_many(columns_of(rows), population="adult", mmt_max=80, missing="zero")
    series = worked_json()
    series["options"] = {"missing": "zero"}
    del series["visits"][2]["haq"]
    assert_rows(out, list(range(5)), expected_rows(score_series_json(series), ("imacs_doi_2004",)))
    assert out["partial"].tolist() == [False, False, False, True, False]
    assert math.isnan(out["change_haq"][3]) and out["points_haq"][3] == 0
    out = score_series_many(columns_of(rows), population="adult", mmt_max=80)
    assert out["error"][0].startswith("visit 'week 12' (row 3): haq: is missing;")


def test_printo_core_set() -> None:
    base = {"physician_global": 5, "patient_global": 6, "cmas": 30, "chaq": 1.5, "chq_phs": 30}
    rows = [
        {"id": "J", "visit": "baseline", **base, "das": 10},
        {"id": "J", "visit": "m3", **base, "physician_global": 4, "cmas": 36, "das": 8},
        {"id": "J", "visit": "m6", **base, "physician_global": 2, "cmas": 45, "das": 4},
    ]
    out = score_series_many(
        columns_of(rows), population="juvenile", core_set="printo", chq_phs_range=(15, 65)
    )
    series = {
        "population": "juvenile",
        "core_set": "printo",
        "scales": {"chq_phs_range": [15, 65]},
        "baseline": {"label": "baseline", **base, "das": 10},
        "visits": [
            {"label": row["visit"], **{k: v for k, v in row.items() if k not in ("id", "visit")}}
            for row in rows[1:]
        ],
    }
    definitions = ("printo_20", "printo_50", "printo_70", "printo_90")
    assert_rows(out, [0, 1, 2], expected_rows(score_series_json(series), definitions))
    assert "met_imacs_doi_2004" not in out and "first_printo_50" in out
    assert out["met_printo_20"].tolist() == [False, True, True]
    assert out["worsening"].tolist() == ["", "", ""]  # not evaluated on the PRINTO core set


# -- property: every patient equals score_series on that patient -------------------------------


def as_number(value: Fraction) -> float:
    assert float(value) == value  # halves, eighths and whole numbers: exact in binary
    return float(value)


@settings(max_examples=40, deadline=None)
@given(
    patients=st.lists(st.tuples(values, st.lists(values, max_size=4)), min_size=1, max_size=4),
    data=st.data(),
)
def test_each_patient_equals_score_series(
    patients: list[tuple[tuple[Fraction, ...], list[tuple[Fraction, ...]]]], data: st.DataObject
) -> None:
    # interleave the patients' rows at random, each patient's rows staying in order
    order = data.draw(st.permutations([p for p, (_, v) in enumerate(patients) for _ in [0, *v]]))
    seen = [0] * len(patients)
    rows: list[dict[str, Any]] = []
    where: list[list[int]] = [[] for _ in patients]
    for p in order:
        base, visits = patients[p]
        k = seen[p]
        seen[p] += 1
        chosen = base if k == 0 else visits[k - 1]
        where[p].append(len(rows))
        rows.append(
            {
                "id": f"P{p}",
                "visit": "base" if k == 0 else f"v{k - 1}",
                **{c: as_number(x) for c, x in zip(COLUMNS, chosen, strict=True)},
            }
        )
    table = {name: np.array([row[name] for row in rows]) for name in rows[0]}
    table["uln_ck"] = np.full(len(rows), 200.0)
    threshold = data.draw(st.sampled_from([None, 20, 40]))
    out = score_series_many(
        table, population="adult", mmt_max=80, landmark="v1", responder_threshold=threshold
    )
    for p, (base, visits) in enumerate(patients):
        series = make(base, visits)
        doc = score_series(series, landmark="v1", responder_threshold=threshold).to_dict()
        doc["baseline"]["label"] = "base"
        assert_rows(out, where[p], expected_rows(doc, ("imacs_doi_2004",)))
        assert out["id"][where[p]].tolist() == [f"P{p}"] * len(where[p])


# -- errors ------------------------------------------------------------------------------------


def three_patients() -> list[dict[str, Any]]:
    rows = worked_rows("A")
    bad = worked_rows("B")
    bad[2]["physician_global"] = 11  # week 8
    return rows + bad + worked_rows("C")


def test_a_bad_visit_fails_its_patient_only() -> None:
    out = score_series_many(columns_of(three_patients()), population="adult", mmt_max=80)
    clean = score_series_many(columns_of(worked_rows("C")), population="adult", mmt_max=80)
    message = (
        "visit 'week 8' (row 7): physician_global: 11 is outside the scale 0 to 10 (global_max=10)"
    )
    assert out["error"].tolist() == [""] * 5 + [message] * 5 + [""] * 5
    assert out["row"][5:10].tolist() == ["patient", "visit", "visit", "visit", "visit"]
    assert np.isnan(out["total_improvement_score"][5:10]).all()
    assert out["category"][5:10].tolist() == [""] * 5 and out["first_minimal"][5] == ""
    assert not out["consecutive_response"][5]
    for name, column in clean.items():
        if name == "id":
            continue
        for rows in (slice(0, 5), slice(10, 15)):
            got, want = column.tolist(), out[name][rows].tolist()
            assert all(same(a, b) for a, b in zip(got, want, strict=True)), name
    with pytest.raises(InvalidValueError) as raised:
        score_series_many(
            columns_of(three_patients()), population="adult", mmt_max=80, errors="raise"
        )
    assert str(raised.value) == f"patient 'B': {message}"
    assert raised.value.field == "physician_global"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda rows: rows[3].update(date="2024-02-01"),
            "visit 'week 12' (row 3): date: 2024-02-01 is not after 2024-03-04; visits must be "
            "in time order",
        ),
        (
            lambda rows: rows[2].update(visit="week 4"),
            "visit 'week 4' (row 2): visit: 'week 4' is used twice; every visit needs its own "
            "label",
        ),
        (
            lambda rows: rows[2].update(visit=""),
            "the visit at row 2: visit: is required: a label for the visit such as 'week 4'",
        ),
        (
            lambda rows: rows[0].update(ck=-5),
            "visit 'baseline' (row 0): ck: -5 is negative; must be 0 or more",
        ),
        (
            lambda rows: rows[3].update(uln_ck=250),
            "uln_ck: differs between the rows of one patient: 200 at row 0, 250 at row 3; it "
            "describes the whole series and must be the same at every visit (or empty)",
        ),
        (
            lambda rows: [row.update(uln_ck=None) for row in rows],
            "uln_ck: no upper limit of normal for CK; every scored enzyme needs its ULN",
        ),
        (
            lambda rows: rows[1].update(date="4 Feb"),
            "visit 'week 4' (row 1): date: '4 Feb' is not a date; give a datetime.date or "
            "'YYYY-MM-DD'",
        ),
    ],
)
def test_patient_errors_name_visit_and_column(change: Any, message: str) -> None:
    rows = worked_rows()
    change(rows)
    out = score_series_many(columns_of(rows), population="adult", mmt_max=80)
    assert out["error"].tolist() == [message] * 5


def test_empty_cells_of_per_patient_columns_take_the_patients_value() -> None:
    rows = worked_rows()
    for row in rows[1:]:
        row["uln_ck"] = None
        row["subtype"] = ""
    rows[2]["population"] = "adult"
    out = score_series_many(columns_of(rows), mmt_max=80)
    assert out["total_improvement_score"][1:].tolist() == [20, 0, 55, 75]
    rows[3]["population"] = "juvenile"
    out = score_series_many(columns_of(rows), mmt_max=80)
    assert out["error"][0].startswith("population: differs between the rows of one patient")


def test_an_empty_id_is_an_error_row_of_its_own() -> None:
    rows = worked_rows()
    rows.insert(2, {**rows[2], "id": ""})
    out = score_series_many(columns_of(rows), population="adult", mmt_max=80)
    assert (
        out["error"].tolist()
        == [""] * 2 + ["id: is empty at row 2; every row needs its patient's id"] + [""] * 3
    )
    assert out["row"][2] == "patient"
    assert out["total_improvement_score"][3:].tolist() == [0, 55, 75]  # week 8 is still there


def test_subtype_warning_column_and_one_python_warning() -> None:
    rows = [{**row, "subtype": "IMNM"} for row in worked_rows("A") + worked_rows("B")]
    with pytest.warns(UnvalidatedSubtypeWarning) as caught:
        out = score_series_many(columns_of(rows), population="adult", mmt_max=80)
    assert len(caught) == 1
    assert out["warnings"][0].startswith("subtype IMNM:") and out["warnings"][1] == ""
    assert out["warnings"][5] == out["warnings"][0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        score_series_many(columns_of(worked_rows()), population="adult", mmt_max=80)


@pytest.mark.parametrize(
    ("change", "keywords", "error", "field"),
    [
        (lambda t: t.pop("id"), {}, InputFormatError, "id"),
        (lambda t: t.pop("visit"), {}, InputFormatError, "visit"),
        (lambda t: t.update(baseline_mmt=t["mmt"]), {}, UnknownFieldError, "baseline_mmt"),
        (lambda t: t.update(uln_cpk=t["uln_ck"]), {}, UnknownFieldError, "uln_cpk"),
        (lambda t: None, {"population": None}, InputFormatError, "population"),
        (lambda t: None, {"level": "none"}, InvalidValueError, "level"),
        (lambda t: None, {"consecutive": 0}, InvalidValueError, "consecutive"),
        (lambda t: None, {"errors": "ignore"}, InvalidValueError, "errors"),
        (lambda t: None, {"deterioration": {"global_cm": 3}}, InputFormatError, "deterioration"),
        (lambda t: None, {"core_set": "printo"}, Exception, None),  # adult + PRINTO
    ],
)
def test_table_problems_raise_at_once(
    change: Any, keywords: dict[str, Any], error: type[Exception], field: str | None
) -> None:
    table = columns_of(worked_rows())
    change(table)
    with pytest.raises(error) as raised:
        score_series_many(table, **{"population": "adult", "mmt_max": 80, **keywords})
    if field is not None:
        assert getattr(raised.value, "field", None) == field


# -- pandas ------------------------------------------------------------------------------------


def test_dataframe_in_two_tidy_tables_out() -> None:
    pd = pytest.importorskip("pandas")
    rows = three_patients()
    frame = pd.DataFrame(rows, index=[f"r{i}" for i in range(len(rows))])
    frame["date"] = pd.to_datetime(frame["date"])  # datetime64 dates are read as dates
    out = score_series_many(frame, population="adult", mmt_max=80)
    plain = score_series_many(columns_of(rows), population="adult", mmt_max=80)
    visit_rows = np.flatnonzero(plain["row"] == "visit")
    head_rows = np.flatnonzero(plain["row"] == "patient")
    visits, patients = out
    assert list(visits.index) == [f"r{i}" for i in visit_rows]
    assert list(patients.index) == ["A", "B", "C"] and patients.index.name == "id"
    assert not {"row", "id", "visit", "date"} & set(visits.columns)
    assert str(visits["worsened_count"].dtype) == "Int64"
    for name in ("partial", "met_imacs_doi_2004"):
        assert str(visits[name].dtype) == "boolean"
    for name in FLAGS[1:]:
        assert str(patients[name].dtype) == "boolean"
    assert patients.loc["B", "consecutive_response"] is pd.NA  # patient B is in error
    assert patients.loc["A", "consecutive_response"] == True  # noqa: E712
    assert visits.loc["r7", "error"].startswith("visit 'week 8' (row 'r7'): physician_global")
    message = plain["error"][7].replace("(row 7)", "(row 'r7')")
    assert patients.loc["B", "error"] == message and visits.loc["r6", "error"] == message
    assert patients.loc["A", "baseline_visit"] == "baseline"
    assert patients["baseline_date"].tolist() == frame["date"].iloc[head_rows].tolist()
    for table, where in ((visits, visit_rows), (patients, head_rows)):
        for name in table.columns:
            if name in ("error", "baseline_visit", "baseline_date"):
                continue
            got = [None if v is pd.NA or v is None else v for v in table[name].astype(object)]
            want = plain[name][where].tolist()
            for row, (a, b) in enumerate(zip(got, want, strict=True)):
                if a is None or (isinstance(a, float) and math.isnan(a)):  # missing in pandas
                    assert b in (False, "") or (isinstance(b, float) and math.isnan(b)), (name, row)
                else:
                    assert same(a, b), (name, row, a, b)
    with pytest.raises(InputFormatError, match="reset_index"):
        score_series_many(frame.set_index("id"), population="adult", mmt_max=80)
    with pytest.raises(TypeError, match=r"\.visits"):
        out["category"]


# -- the command line --------------------------------------------------------------------------

HEADER = ["id", "visit", "date", *COLUMNS, "uln_ck", "note"]


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow(["" if row.get(n) is None else row.get(n, "") for n in HEADER])


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "myoresponse", "series", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


FLAGS = ("partial", "consecutive_response", "confirmed_deterioration", "landmark_response")


def read_out(text: str) -> dict[str, list[Any]]:
    """The output CSV as columns, numbers and flags parsed (empty cells as NaN / None)."""
    rows = list(csv.DictReader(io.StringIO(text)))
    columns: dict[str, list[Any]] = {}
    for name in rows[0]:
        cells = [row[name] for row in rows]
        if name.startswith(("points_", "change_")) or name in (
            "total_improvement_score",
            "worsened_count",
        ):
            columns[name] = [float(c) if c else math.nan for c in cells]
        elif name in FLAGS or (name.startswith("met_")):
            columns[name] = [{"true": True, "false": False, "": None}[c] for c in cells]
        else:
            columns[name] = cells
    return columns


def expected_csv(doc: dict[str, Any]) -> list[dict[str, Any]]:
    rows = expected_rows(doc, ("imacs_doi_2004",))
    for row in rows:  # in the CSV, flags of the other kind of row are empty
        if row["row"] == "patient":
            row["partial"] = None
            if doc["endpoints"]["landmark_response"] is None:
                row["landmark_response"] = None
        else:
            row["consecutive_response"] = row["confirmed_deterioration"] = None
            row["landmark_response"] = None
    return rows


def test_cli_round_trip(tmp_path: Path) -> None:
    rows = worked_rows("A") + worked_rows("B")
    for row in rows[5:]:
        row["date"] = None
        row["note"] = "second"
    write_csv(tmp_path / "in.csv", rows)
    done = run("--csv", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"),
               "--population", "adult", "--mmt-max", "80", "--subtype", "DM")  # fmt: skip
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "")
    out = read_out((tmp_path / "out.csv").read_text(encoding="utf-8"))
    assert out["id"] == ["A"] * 5 + ["B"] * 5
    doc = score_series_json(worked_json())
    assert_rows(out, list(range(5)), expected_csv(doc))
    for item in [doc["baseline"], *doc["visits"]]:
        item["date"] = None
    assert_rows(out, list(range(5, 10)), expected_csv(doc))
    assert out["consecutive_visits"][0] == "week 12;week 16"


def test_cli_landmark_flags(tmp_path: Path) -> None:
    write_csv(tmp_path / "in.csv", worked_rows("A"))
    common = ("--csv", str(tmp_path / "in.csv"), "--population", "adult", "--mmt-max", "80")
    by_label = run(*common, "--landmark", "week 12", "--responder-threshold", "60")
    assert by_label.returncode == 0, by_label.stderr
    out = read_out(by_label.stdout)
    assert out["landmark_visit"][0] == "week 12" and out["landmark_response"][0] is False
    endpoints = {"landmark": "week 12", "responder_threshold": 60}
    doc = score_series_json({**worked_json(), "endpoints": endpoints})
    assert_rows(out, list(range(5)), expected_csv(doc))
    by_day = run(*common, "--landmark-day", "112", "--window-days", "14")
    out = read_out(by_day.stdout)
    assert out["landmark_visit"][0] == "week 16" and out["landmark_response"][0] is True
    no_window = run(*common, "--landmark-day", "112")
    assert no_window.returncode == 64  # a command-line mistake: usage
    assert "--window-days: is required with --landmark-day" in no_window.stderr


@pytest.mark.parametrize("chunk", ["1", "2", "3", "7"])
def test_cli_chunks_do_not_split_patients(tmp_path: Path, chunk: str) -> None:
    rows = three_patients()
    write_csv(tmp_path / "in.csv", rows)
    base = run("--csv", str(tmp_path / "in.csv"), "--population", "adult", "--mmt-max", "80")
    small = run("--csv", str(tmp_path / "in.csv"), "--population", "adult", "--mmt-max", "80",
                "--chunk-rows", chunk)  # fmt: skip
    assert small.stdout == base.stdout and small.returncode == base.returncode == 1
    out = read_out(small.stdout)
    assert out["row"] == ["patient", "visit", "visit", "visit", "visit"] * 3
    assert out["total_improvement_score"][11:15] == [20, 0, 55, 75]


def test_cli_bad_patient_in_the_middle(tmp_path: Path) -> None:
    write_csv(tmp_path / "in.csv", three_patients())
    done = run("--csv", str(tmp_path / "in.csv"), "--population", "adult", "--mmt-max", "80")
    assert done.returncode == 1
    assert done.stderr == (
        "myoresponse: 1 of 3 patients could not be scored (see the error column); first: "
        "patient 'B': visit 'week 8' (line 9): physician_global: 11 is outside the scale 0 to 10 "
        "(--global-max 10)\n"
    )
    out = read_out(done.stdout)
    assert [bool(e) for e in out["error"]] == [False] * 5 + [True] * 5 + [False] * 5
    assert out["total_improvement_score"][1:5] == out["total_improvement_score"][11:15]
    assert out["total_improvement_score"][1:5] == [20, 0, 55, 75]


def test_cli_non_contiguous_patient(tmp_path: Path) -> None:
    rows = worked_rows("A")
    rows = rows[:3] + worked_rows("B") + rows[3:]  # A's weeks 12 and 16 come after B
    write_csv(tmp_path / "in.csv", rows)
    done = run("--csv", str(tmp_path / "in.csv"), "--population", "adult", "--mmt-max", "80")
    assert done.returncode == 1
    out = read_out(done.stdout)
    message = (
        "line 10: patient 'A' appears again after other patients' rows (its first row is line "
        "2); a patient's rows must be contiguous: sort the file by id"
    )
    assert out["error"] == [""] * 8 + [message] * 2
    assert out["row"][8:] == ["patient", "visit"]
    assert out["total_improvement_score"][1:3] == [20, 0]  # A's first rows, scored as they stood
    assert f"first: patient 'A': {message}" in done.stderr
    # the Python API groups by id wherever the rows are
    api = score_series_many(columns_of(rows), population="adult", mmt_max=80)
    assert api["total_improvement_score"][[1, 2, 8, 9]].tolist() == [20, 0, 55, 75]
    assert api["row"][8] == "visit" and api["consecutive_visits"][0] == "week 12;week 16"


def test_cli_ragged_row_fails_its_patient(tmp_path: Path) -> None:
    write_csv(tmp_path / "in.csv", worked_rows("A") + worked_rows("B"))
    lines = (tmp_path / "in.csv").read_text().splitlines()
    lines[3] += ",extra"
    (tmp_path / "in.csv").write_text("\n".join(lines) + "\n")
    done = run("--csv", str(tmp_path / "in.csv"), "--population", "adult", "--mmt-max", "80")
    assert done.returncode == 1
    out = read_out(done.stdout)
    assert out["error"][:5] == ["line 4: has 12 cells where the header has 11"] * 5
    assert out["error"][5:] == [""] * 5


def test_cli_unreadable_input(tmp_path: Path) -> None:
    done = run("--csv", str(tmp_path / "missing.csv"), "--population", "adult")
    assert done.returncode == 2 and "cannot read" in done.stderr and done.stdout == ""
    (tmp_path / "empty.csv").write_text("")
    done = run("--csv", str(tmp_path / "empty.csv"), "--population", "adult")
    assert done.returncode == 2 and "empty" in done.stderr
    (tmp_path / "pairs.csv").write_text("id,baseline_mmt,followup_mmt\nA,50,60\n")
    done = run("--csv", str(tmp_path / "pairs.csv"), "--population", "adult")
    assert done.returncode == 2
    assert done.stderr.startswith("myoresponse: cannot score")
    assert "baseline_mmt" in done.stderr and done.stderr.count("\n") == 1
    (tmp_path / "noid.csv").write_text("visit,mmt\nbaseline,50\n")
    done = run("--csv", str(tmp_path / "noid.csv"), "--population", "adult")
    assert done.returncode == 2 and "id: is a required column" in done.stderr


def test_cli_flags_and_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = worked_rows()
    for row in rows:
        row["note"] = ""
    write_csv(tmp_path / "in.csv", rows)
    assert main(["series", "--population", "adult", str(tmp_path / "in.csv")]) == 64
    assert "only apply with --csv" in capsys.readouterr().err
    args = ["series", "--csv", str(tmp_path / "in.csv"), "--population", "adult"]
    assert main([*args, "--mmt-max", "80", "--level", "major"]) == 0
    out = read_out(capsys.readouterr().out)
    assert out["consecutive_response"][0] is False and out["first_major"][0] == "week 16"
    assert main([*args, "--mmt-max", "80", "--consecutive", "1", "--subtype", "IMNM"]) == 0
    captured = capsys.readouterr()
    out = read_out(captured.out)
    assert out["consecutive_visits"][0] == "week 4"
    assert captured.err.startswith("myoresponse: warning: 1 of 1 patients have warnings")
    assert out["warnings"][0].startswith("subtype IMNM")
    assert main([*args, "--mmt-max", "x"]) == 64
