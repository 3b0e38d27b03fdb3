"""Registry exports: column maps (Python and --column-map), the REDCap example, CSV delimiters."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from myoresponse import InputFormatError, UnknownFieldError, score_many, score_series_many
from myoresponse.io._exports import csv_rows, delimiter_of, read_column_map
from myoresponse.io.cli import main
from myoresponse.tables.mapping import LONG_TABLE_COLUMNS, PAIR_TABLE_COLUMNS, mapped_names
from tests.test_cohort import ADULT_ROWS, KEYWORDS

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
REDCAP = EXAMPLES / "redcap_export.csv"
REDCAP_MAP = EXAMPLES / "redcap_map.json"
CANONICAL = EXAMPLES / "visits.csv"
EVENTS = {
    "baseline": "baseline_arm_1",
    "week 4": "week_4_arm_1",
    "week 8": "week_8_arm_1",
    "week 12": "week_12_arm_1",
    "week 16": "week_16_arm_1",
}
SERIES_KEYWORDS: dict[str, Any] = {"population": "adult", "mmt_max": 80}


def read(path: Path) -> dict[str, np.ndarray[Any, Any]]:
    with path.open(newline="") as stream:
        rows = list(csv.reader(stream))
    return {name: np.array(cells, dtype=str) for name, *cells in zip(*rows, strict=True)}


PGA, PGA_VAS = "): physician_global: ", "): pga_vas: "  # a message's column, the export's name


def canonical_with_event_labels() -> dict[str, np.ndarray[Any, Any]]:
    table = read(CANONICAL)
    table["visit"] = np.array([EVENTS[label] for label in table["visit"]], dtype=str)
    return table


def same_columns(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert list(a) == list(b)
    for name in a:
        for x, y in zip(a[name].tolist(), b[name].tolist(), strict=True):
            assert x == y or (isinstance(x, float) and math.isnan(x) and math.isnan(y)), name


# -- the REDCap longitudinal export --------------------------------------------------------------


def test_redcap_export_through_the_map_equals_the_canonical_table() -> None:
    column_map = json.loads(REDCAP_MAP.read_text())
    mapped = score_series_many(read(REDCAP), column_map=column_map, **SERIES_KEYWORDS)
    canonical = score_series_many(canonical_with_event_labels(), **SERIES_KEYWORDS)
    errors = [message.replace(PGA, PGA_VAS) for message in canonical["error"].tolist()]
    canonical["error"] = np.array(errors, dtype=object)  # messages name the export's column
    same_columns(mapped, canonical)
    assert mapped["first_major"][0] == "week_16_arm_1"  # the events are the visits
    assert mapped["error"][5].startswith("visit 'week_4_arm_1' (row 6): pga_vas: 11")


def test_redcap_export_as_a_dataframe() -> None:
    pd = pytest.importorskip("pandas")
    column_map = json.loads(REDCAP_MAP.read_text())
    export = pd.read_csv(REDCAP)
    visits, patients = score_series_many(export, column_map=column_map, **SERIES_KEYWORDS)
    canonical = pd.read_csv(CANONICAL).assign(visit=lambda f: f["visit"].map(EVENTS))
    want_visits, want_patients = score_series_many(canonical, **SERIES_KEYWORDS)
    for want in (want_visits, want_patients):  # messages name the export's column
        want["error"] = want["error"].str.replace(PGA, PGA_VAS, regex=False)
    pd.testing.assert_frame_equal(visits, want_visits)
    pd.testing.assert_frame_equal(patients, want_patients)
    joined = export.join(visits)  # the export's own column names stay as they are
    assert joined.loc[4, "redcap_event_name"] == "week_16_arm_1"
    assert joined.loc[4, "category"] == "major"


def test_redcap_export_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    canonical = tmp_path / "canonical.csv"
    with canonical.open("w", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        table = canonical_with_event_labels()
        writer.writerow(list(table))
        writer.writerows(zip(*table.values(), strict=True))
    flags = ["--population", "adult", "--mmt-max", "80"]
    status = main(["series", "--csv", str(canonical), *flags])
    want = capsys.readouterr().out.replace(PGA, PGA_VAS)  # messages name the export's column
    assert status == 1  # DM-2 is in error
    argv = ["series", "--csv", str(REDCAP), "--column-map", str(REDCAP_MAP), *flags]
    assert main(argv) == 1
    assert capsys.readouterr().out == want
    semicolons = tmp_path / "semicolons.csv"
    semicolons.write_text(REDCAP.read_text().replace(",", ";"))
    argv[2] = str(semicolons)
    assert main(argv) == 1
    assert capsys.readouterr().out == want


# -- the map's rules -----------------------------------------------------------------------------


def test_pair_table_map_names_both_visits_in_full() -> None:
    renames = {"pga_bl": "baseline_physician_global", "pga_fu": "followup_physician_global"}
    columns = {
        ({v: k for k, v in renames.items()}.get(name, name)): np.asarray(values)
        for name, values in ADULT_ROWS.items()
    }
    out = score_many(columns, column_map=renames, **KEYWORDS)
    want = score_many({k: np.asarray(v) for k, v in ADULT_ROWS.items()}, **KEYWORDS)
    same_columns(out, want)


def test_pair_table_map_on_a_dataframe_keeps_the_input() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(ADULT_ROWS).rename(columns={"followup_mmt": "mmt8_fu"})
    out = score_many(frame, column_map={"mmt8_fu": "followup_mmt"}, **KEYWORDS)
    assert "mmt8_fu" in frame.columns and "followup_mmt" not in frame.columns
    assert out["category"].astype(object).tolist() == ["major", "none", "none", "major"]


@pytest.mark.parametrize(
    ("column_map", "error", "message"),
    [
        ({"pga": "pga_vas"}, UnknownFieldError, r"'pga_vas' is not a column score_many reads"),
        ({"pga": "physician_global"}, UnknownFieldError, r"full: 'id', 'population'"),
        ({"nope": "baseline_mmt"}, InputFormatError, r"'nope' is not a column of the input"),
        (
            {"id": "baseline_mmt"},
            InputFormatError,
            r"the input has a column 'baseline_mmt' too",
        ),
        (
            {"id": "population", "uln_ck": "population"},
            InputFormatError,
            r"maps 'uln_ck' onto 'population', as does 'id'",
        ),
        ({"id": 3}, InputFormatError, r"must map text to text"),
    ],
)
def test_invalid_maps_are_named(column_map: Any, error: type[Exception], message: str) -> None:
    columns = {k: np.asarray(v) for k, v in ADULT_ROWS.items()}
    with pytest.raises(error, match=message) as raised:
        score_many(columns, column_map=column_map, **KEYWORDS)
    assert str(getattr(raised.value, "field", "")).startswith("column_map[")


def test_a_map_must_be_a_mapping() -> None:
    with pytest.raises(InputFormatError, match="must be a mapping") as raised:
        mapped_names(["a"], [("a", "id")], "pair")  # type: ignore[arg-type]
    assert raised.value.field == "column_map"


def test_long_table_map_names_the_per_visit_columns() -> None:
    assert mapped_names(["pga_vas", "subject"], {"pga_vas": "physician_global"}, "long") == [
        "physician_global",
        "subject",
    ]
    with pytest.raises(UnknownFieldError, match="score_series_many reads"):
        mapped_names(["pga"], {"pga": "baseline_physician_global"}, "long")
    assert "baseline_physician_global" in PAIR_TABLE_COLUMNS
    assert "physician_global" in LONG_TABLE_COLUMNS and "visit" in LONG_TABLE_COLUMNS
    assert mapped_names(["a", "b"], {"a": "id", "b": "visit"}, "long") == ["id", "visit"]
    assert mapped_names(["id", "x"], {"id": "visit", "x": "id"}, "long") == ["visit", "id"]


def test_column_map_file_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "map.json"
    bad.write_text('["pga_vas"]')
    with pytest.raises(InputFormatError, match="JSON object of text to text"):
        read_column_map(str(bad))
    bad.write_text("{not json")
    with pytest.raises(InputFormatError, match="is not valid JSON"):
        read_column_map(str(bad))
    with pytest.raises(InputFormatError, match="cannot read"):
        read_column_map(str(tmp_path / "missing.json"))
    argv = ["score", "--csv", str(REDCAP), "--column-map", str(bad), "--population", "adult"]
    assert main(argv) == 2
    assert "is not valid JSON" in capsys.readouterr().err
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"pga_vas": "physician_global"}')  # a long-table name on the pair table
    argv[4] = str(wrong)
    assert main(argv) == 2
    assert "'physician_global' is not a column score --csv reads" in capsys.readouterr().err
    assert main(["score", "-", "--column-map", str(wrong)]) == 64  # a table flag with JSON: usage
    assert "--column-map" in capsys.readouterr().err


# -- CSV delimiters ------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_detected(delimiter: str) -> None:
    text = delimiter.join(["id", "visit", "note"]) + "\n" + delimiter.join(["A", "1,5", "x"])
    if delimiter == ",":
        text = 'id,visit,note\nA,"1,5",x'
    assert delimiter_of(text.splitlines()[0]) == delimiter
    rows = list(csv_rows(io.StringIO(text)))
    assert rows == [["id", "visit", "note"], ["A", "1,5", "x"]]


def test_quoted_delimiters_in_the_header_do_not_count() -> None:
    assert delimiter_of('"id;x",visit') == ","
    assert delimiter_of('"a,b";"c,d"') == ";"


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("id|visit|mmt", r"has one column \(it has '\|' 2 times\); columns must be separated"),
        ("baseline_mmt", r"'baseline_mmt' has one column; columns must be separated"),
        ("id,visit;mmt", r"is split by ',' \(2 columns\) and ';' \(2 columns\)"),
        ("a\tb,c", r"is split by ',' \(2 columns\) and a tab \(2 columns\)"),
    ],
)
def test_unusable_delimiter_is_rejected_with_what_was_found(header: str, message: str) -> None:
    with pytest.raises(InputFormatError, match=message):
        delimiter_of(header)


def test_empty_file_still_reports_the_empty_file(tmp_path: Path) -> None:
    assert list(csv_rows(io.StringIO(""))) == []
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert main(["score", "--csv", str(empty), "--population", "adult"]) == 2


def test_semicolon_cohort_csv_is_scored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = {k: [str(v) for v in values] for k, values in ADULT_ROWS.items()}
    lines = [",".join(table)] + [",".join(row) for row in zip(*table.values(), strict=True)]
    commas, semicolons = tmp_path / "commas.csv", tmp_path / "semicolons.csv"
    commas.write_text("\n".join(lines) + "\n")
    semicolons.write_text("\n".join(lines).replace(",", ";") + "\n")
    flags = ["--population", "adult", "--mmt-max", "150"]
    assert main(["score", "--csv", str(commas), *flags]) == 0
    want = capsys.readouterr().out
    assert main(["score", "--csv", str(semicolons), *flags]) == 0
    assert capsys.readouterr().out == want
    piped = tmp_path / "pipes.csv"
    piped.write_text("\n".join(lines).replace(",", "|") + "\n")
    assert main(["score", "--csv", str(piped), *flags]) == 2
    err = capsys.readouterr().err
    assert "cannot tell the CSV delimiter" in err and "'|'" in err
