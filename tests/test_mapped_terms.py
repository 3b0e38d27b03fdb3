"""Table messages name the caller's own column when a ``column_map`` renamed it (issue 12 item 12).

The user who renamed ``pga_bl`` to ``baseline_physician_global`` has ``pga_bl`` in front of them,
so every message of a table path (``score_many`` with a dict or a DataFrame,
``score_series_many``, the ``score --csv``/``series --csv`` commands with ``--column-map``,
``errors="raise"``) names ``pga_bl``: at the head of the message, in the ``(all missing: ...)``
list, in the long table's ``<column> at follow-up`` and ``ck/ast`` forms, a scale column and a
glucocorticoid column. Each message class is checked by its exact text; every expected message
differs from the library-named one, so these tests fail on the library's wording.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from myoresponse import (
    InputFormatError,
    InvalidValueError,
    MyoresponseError,
    score_many,
    score_series_many,
)
from myoresponse.io.cli import main
from myoresponse.tables.terms import as_flags, user_column, user_columns
from tests.test_table_terms import ROW

NAN = math.nan
MISSING_ERROR = (
    "all six core set measures are required under missing='error'; pass missing='zero' to score "
    "a missing measure as 0 points"
)
KEYWORDS: dict[str, Any] = {"population": "adult", "mmt_max": 80}

# -- the pair table -----------------------------------------------------------------------------

PAIR_MAP = {  # the caller's column -> the library's
    "pga_bl": "baseline_physician_global",
    "pga_fu": "followup_physician_global",
    "ptg_bl": "baseline_patient_global",
    "ptg_fu": "followup_patient_global",
    "mmt_bl": "baseline_mmt",
    "mmt_fu": "followup_mmt",
    "haq_bl": "baseline_haq",
    "haq_fu": "followup_haq",
    "extra_bl": "baseline_extramuscular",
    "extra_fu": "followup_extramuscular",
    "ck_bl": "baseline_ck",
    "ck_fu": "followup_ck",
    "ck_ul": "uln_ck",
    "ast_bl": "baseline_ast",
    "ast_fu": "followup_ast",
    "ast_ul": "uln_ast",
    "gmax": "global_max",
    "pred_bl": "baseline_prednisone_mg_per_day",
}
PAIR_ROW: dict[str, Any] = ROW  # a valid row of every measure (tests.test_table_terms)


def _renamed(row: dict[str, Any], mapping: dict[str, str]) -> tuple[dict[str, list[Any]], Any]:
    """The table under the caller's names (one row per list entry) and the map of its columns."""
    users = {library: user for user, library in mapping.items()}
    table = {users.get(name, name): value for name, value in row.items()}
    return table, {user: mapping[user] for user in table if user in mapping}


def _pair(**changes: Any) -> tuple[dict[str, list[Any]], dict[str, str]]:
    row = {name: [value] for name, value in {**PAIR_ROW, **changes}.items() if value is not None}
    return _renamed(row, PAIR_MAP)


PAIRS = [
    (  # a missing measure and the list of all missing places
        {"followup_physician_global": NAN, "baseline_haq": NAN, "followup_haq": NAN},
        {},
        f"pga_fu: is missing (all missing: pga_fu, haq_bl); {MISSING_ERROR}",
    ),
    (  # no enzyme at all: the enzyme columns the table has, each by its name
        {"baseline_ck": NAN, "followup_ck": NAN, "baseline_ast": NAN, "followup_ast": NAN},
        {"uln_ast": 35},
        f"ck_bl/ast_bl: is missing; {MISSING_ERROR}",
    ),
    (
        {"followup_mmt": NAN},
        {"missing": "zero"},
        "mmt_fu: is required even under missing='zero' (required: physician_global, mmt)",
    ),
    ({"baseline_mmt": -1}, {}, "mmt_bl: -1 is negative; must be 0 or more"),
    ({"followup_ck": -2}, {}, "ck_fu: -2 is negative; must be 0 or more"),
    (
        {"followup_physician_global": 11},
        {},
        "pga_fu: 11 is outside the scale 0 to 10 (global_max=10)",
    ),
    (
        {"baseline_patient_global": NAN},
        {},
        "ptg_bl: missing while ptg_fu is given; a change needs a baseline value",
    ),
    (
        {"baseline_ck": NAN, "baseline_ast": 40, "followup_ast": 30},
        {"uln_ast": 35},
        "ck_bl: missing while ck_fu is given; a change needs a baseline value",
    ),
    ({"uln_ck": 0}, {}, "ck_ul: 0 must be greater than 0"),
    (
        {"uln_ck": NAN},
        {},
        "ck_ul: no upper limit of normal for CK; every scored enzyme needs its ULN",
    ),
    (
        {"baseline_ck": 0},
        {"enzyme_rule": "relative"},
        "ck_bl: is 0; the relative enzyme rule divides by the baseline value; use "
        "enzyme_rule='range'",
    ),
    ({"global_max": 0}, {}, "gmax: 0 must be greater than 0"),  # a scale column
    (  # a scale from the table's column is named by the caller's column
        {"global_max": 8, "followup_patient_global": 9},
        {},
        "ptg_fu: 9 is outside the scale 0 to 8 (gmax)",
    ),
    (  # a glucocorticoid column
        {"baseline_prednisone_mg_per_day": -5},
        {},
        "pred_bl: -5 is negative; a dose is 0 mg or more",
    ),
]


def _split(changes: dict[str, Any], extra: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The columns changed (``uln_ast`` is a column) and the keywords of a case."""
    columns = {**changes, **{k: v for k, v in extra.items() if k.startswith("uln_")}}
    keywords = {k: v for k, v in extra.items() if not k.startswith("uln_")}
    return columns, keywords


@pytest.mark.parametrize(("changes", "extra", "message"), PAIRS)
def test_score_many_names_the_callers_columns(
    changes: dict[str, Any], extra: dict[str, Any], message: str
) -> None:
    columns, keywords = _split(changes, extra)
    table, mapping = _pair(**columns)
    out = score_many(table, column_map=mapping, **KEYWORDS, **keywords)
    assert _whole(str(out["error"][0])) == message


@pytest.mark.parametrize(("changes", "extra", "message"), PAIRS)
def test_score_many_on_a_data_frame_names_the_callers_columns(
    changes: dict[str, Any], extra: dict[str, Any], message: str
) -> None:
    pd = pytest.importorskip("pandas")
    columns, keywords = _split(changes, extra)
    table, mapping = _pair(**columns)
    out = score_many(pd.DataFrame(table, index=["a"]), column_map=mapping, **KEYWORDS, **keywords)
    assert _whole(str(out["error"].iloc[0])) == message.replace("row 0", "row 'a'")


@pytest.mark.parametrize(("changes", "extra", "message"), PAIRS)
def test_score_csv_with_a_map_file_names_the_files_columns(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    changes: dict[str, Any],
    extra: dict[str, Any],
    message: str,
) -> None:
    columns, keywords = _split(changes, extra)
    table, mapping = _pair(**columns)
    flags = [f"--{name.replace('_', '-')}={value}" for name, value in keywords.items()]
    got = _csv_error(tmp_path, capsys, "score", table, mapping, *flags)
    assert _whole(got) == as_flags(message)


def test_errors_raise_names_the_callers_column() -> None:
    table, mapping = _pair(followup_ck=-2)
    with pytest.raises(InvalidValueError) as raised:
        score_many(table, column_map=mapping, errors="raise", **KEYWORDS)
    assert _whole(str(raised.value)) == "row 0: ck_fu: -2 is negative; must be 0 or more"
    assert raised.value.field == "ck_fu"
    table, mapping = _pair(followup_physician_global=NAN, followup_haq=NAN)
    with pytest.raises(MyoresponseError) as missing:
        score_many(table, column_map=mapping, errors="raise", **KEYWORDS)
    assert str(missing.value) == (
        f"row 0: pga_fu: is missing (all missing: pga_fu, haq_fu); {MISSING_ERROR}"
    )
    assert missing.value.field == "pga_fu"


def test_a_whole_column_error_names_the_callers_column() -> None:
    table, mapping = _pair()
    table["haq_fu"] = [1, 1]  # one row too many
    with pytest.raises(InputFormatError) as raised:
        score_many(table, column_map=mapping, **KEYWORDS)
    assert str(raised.value) == "haq_fu: has 2 rows where the other columns have 1"
    assert raised.value.field == "haq_fu"


def test_only_whole_names_are_renamed() -> None:
    """``baseline_ck`` renamed leaves ``uln_ck``; ``baseline_steroid_drug`` renamed leaves
    ``baseline_steroid_drug_2``; a map that swaps two names renames each once."""
    row: dict[str, list[Any]] = {name: [value] for name, value in PAIR_ROW.items()}
    renamed = {("ck_bl" if name == "baseline_ck" else name): v for name, v in row.items()}
    renamed["uln_ck"] = [0]
    out = score_many(renamed, column_map={"ck_bl": "baseline_ck"}, **KEYWORDS)
    assert _whole(out["error"][0]) == "uln_ck: 0 must be greater than 0"
    doses = {
        "drug": [None],
        "baseline_steroid_dose_mg": [None],
        "baseline_steroid_frequency": [None],
        "baseline_steroid_drug_2": ["prednisone"],
        "baseline_steroid_frequency_2": ["daily"],
    }
    out = score_many(
        {**row, "uln_ck": [200], **doses}, column_map={"drug": "baseline_steroid_drug"}, **KEYWORDS
    )
    assert "baseline_steroid_drug_2 is given" in out["error"][0]
    assert "drug_2" not in out["error"][0].replace("baseline_steroid_drug_2", "")
    swapped = {**row, "uln_ck": [200], "followup_ck": [-2]}
    out = score_many(
        swapped,
        column_map={"baseline_ck": "followup_ck", "followup_ck": "baseline_ck"},
        **KEYWORDS,
    )  # the caller's followup_ck (-2) is the library's baseline_ck: named as the caller's
    assert _whole(out["error"][0]) == "followup_ck: -2 is negative; must be 0 or more"


def test_glucocorticoid_reasons_name_the_callers_columns() -> None:
    row: dict[str, list[Any]] = {name: [value] for name, value in PAIR_ROW.items()}
    both = {"pred_bl": [5], "drug_bl": ["prednisone"], "dose_bl": [5], "freq_bl": ["daily"]}
    mapping = {
        "pred_bl": "baseline_prednisone_mg_per_day",
        "drug_bl": "baseline_steroid_drug",
        "dose_bl": "baseline_steroid_dose_mg",
        "freq_bl": "baseline_steroid_frequency",
    }
    out = score_many({**row, **both}, column_map=mapping, **KEYWORDS)
    assert out["error"][0] == (
        "pred_bl: pred_bl and drug_bl are both given; give the dose as "
        "prednisone-equivalent mg/day in pred_bl or as drug, dose and frequency, not both"
    )


def test_column_wise_messages_are_renamed_once_per_distinct_message() -> None:
    """Many rows, few distinct problems: every row in error names the caller's column."""
    rows = 2000
    row: dict[str, list[Any]] = {name: [value] * rows for name, value in PAIR_ROW.items()}
    row["baseline_mmt"] = [-1 if i % 5 == 0 else 60 for i in range(rows)]
    row["followup_physician_global"] = [11 if i % 7 == 0 else 4 for i in range(rows)]
    table, mapping = _renamed(row, PAIR_MAP)
    out = score_many(table, column_map=mapping, **KEYWORDS)
    assert {_whole(message) for message in out["error"].tolist()} == {
        "",
        "mmt_bl: -1 is negative; must be 0 or more",
        "pga_fu: 11 is outside the scale 0 to 10 (global_max=10)",
    }
    assert sum(bool(message) for message in out["error"].tolist()) == sum(
        1 for i in range(rows) if i % 5 == 0 or i % 7 == 0
    )


def test_the_map_is_in_force_only_within_the_call() -> None:
    with user_columns({"pga_bl": "baseline_physician_global"}):
        assert user_column("baseline_physician_global") == "pga_bl"
        assert user_column("baseline_ck") == "baseline_ck"
        with user_columns(None):  # no map: the names in force stay
            assert user_column("baseline_physician_global") == "pga_bl"
    assert user_column("baseline_physician_global") == "baseline_physician_global"
    table, mapping = _pair(baseline_mmt=-1)
    score_many(table, column_map=mapping, **KEYWORDS)
    out = score_many(
        {name: [v] for name, v in {**PAIR_ROW, "baseline_mmt": -1}.items()}, **KEYWORDS
    )
    assert _whole(out["error"][0]) == "baseline_mmt: -1 is negative; must be 0 or more"


# -- the long table -----------------------------------------------------------------------------

LONG_MAP = {
    "record": "id",
    "event": "visit",
    "pga": "physician_global",
    "ptg": "patient_global",
    "mmt8": "mmt",
    "haq_di": "haq",
    "extra": "extramuscular",
    "ck_ul": "ck",
    "ck_uln": "uln_ck",
    "gmax": "global_max",
    "pred": "prednisone_mg_per_day",
}


def _long(
    first: dict[str, Any] | None = None, second: dict[str, Any] | None = None
) -> tuple[dict[str, list[Any]], dict[str, str]]:
    base = {"physician_global": 5, "patient_global": 5, "mmt": 60, "haq": 1}
    base |= {"extramuscular": 5, "ck": 500, "uln_ck": 200}
    later = {"physician_global": 4, "patient_global": 4, "mmt": 70, "haq": 1}
    later |= {"extramuscular": 4, "ck": 400, "uln_ck": 200}
    rows = [{**base, **(first or {})}, {**later, **(second or {})}]
    table: dict[str, list[Any]] = {"id": ["P-1", "P-1"], "visit": ["baseline", "week 4"]}
    for name in {**rows[0], **rows[1]}:
        table[name] = [row.get(name, NAN) for row in rows]
    return _renamed(table, LONG_MAP)


LONG = [
    (
        {},
        {"physician_global": NAN},
        {},
        f"visit 'week 4' (row 1): pga: is missing; {MISSING_ERROR}",
    ),
    (
        {"haq": NAN},
        {"physician_global": NAN, "haq": NAN},
        {},
        "visit 'week 4' (row 1): pga: is missing (all missing: pga at follow-up, haq_di at "
        f"baseline); {MISSING_ERROR}",
    ),
    (  # the enzyme columns the table has: ck renamed, ast not
        {"ck": NAN, "ast": NAN},
        {"ck": NAN, "ast": NAN},
        {},
        f"visit 'baseline' (row 0): ck_ul/ast: is missing; {MISSING_ERROR}",
    ),
    (  # a long table's measures are its columns
        {},
        {"mmt": NAN},
        {"missing": "zero"},
        "visit 'week 4' (row 1): mmt8: is required even under missing='zero' (required: pga, mmt8)",
    ),
    ({}, {"mmt": -1}, {}, "visit 'week 4' (row 1): mmt8: -1 is negative; must be 0 or more"),
    (
        {},
        {"physician_global": 11},
        {},
        "visit 'week 4' (row 1): pga: 11 is outside the scale 0 to 10 (global_max=10)",
    ),
    (
        {"patient_global": NAN},
        {},
        {},
        "visit 'baseline' (row 0): ptg: missing while ptg at follow-up is given; a change needs "
        "a baseline value",
    ),
    (
        {"ck": NAN},
        {},
        {},
        "visit 'baseline' (row 0): ck_ul: missing while ck_ul at follow-up is given; a change "
        "needs a baseline value",
    ),
    ({"uln_ck": 0}, {"uln_ck": 0}, {}, "ck_uln: 0 must be greater than 0"),
    (
        {"uln_ck": NAN},
        {"uln_ck": NAN},
        {},
        "ck_uln: no upper limit of normal for CK; every scored enzyme needs its ULN",
    ),
    ({"global_max": 0}, {"global_max": 0}, {}, "gmax: 0 must be greater than 0"),
    (
        {"global_max": 8},
        {"global_max": 8, "physician_global": 9},
        {},
        "visit 'week 4' (row 1): pga: 9 is outside the scale 0 to 8 (gmax)",
    ),
    (
        {"prednisone_mg_per_day": -5},
        {"prednisone_mg_per_day": 5},
        {},
        "visit 'baseline' (row 0): pred: -5 is negative; a dose is 0 mg or more",
    ),
]


@pytest.mark.parametrize(("first", "second", "keywords", "message"), LONG)
def test_score_series_many_names_the_callers_columns(
    first: dict[str, Any], second: dict[str, Any], keywords: dict[str, Any], message: str
) -> None:
    table, mapping = _long(first, second)
    out = score_series_many(table, column_map=mapping, **{**KEYWORDS, **keywords})
    assert [_whole(text) for text in out["error"].tolist()] == [message] * 2


@pytest.mark.parametrize(("first", "second", "keywords", "message"), LONG)
def test_series_csv_with_a_map_file_names_the_files_columns(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    first: dict[str, Any],
    second: dict[str, Any],
    keywords: dict[str, Any],
    message: str,
) -> None:
    table, mapping = _long(first, second)
    flags = [f"--{name.replace('_', '-')}={value}" for name, value in keywords.items()]
    got = _csv_error(tmp_path, capsys, "series", table, mapping, *flags)
    lines = as_flags(message).replace("(row 0)", "(line 2)").replace("(row 1)", "(line 3)")
    assert _whole(got) == lines


def test_series_errors_raise_names_the_callers_column() -> None:
    table, mapping = _long(second={"ck": -3})
    with pytest.raises(InvalidValueError) as raised:
        score_series_many(table, column_map=mapping, errors="raise", **KEYWORDS)
    assert _whole(str(raised.value)) == (
        "patient 'P-1': visit 'week 4' (row 1): ck_ul: -3 is negative; must be 0 or more"
    )
    assert raised.value.field == "ck_ul"


def test_series_on_a_data_frame_names_the_callers_columns() -> None:
    pd = pytest.importorskip("pandas")
    table, mapping = _long(second={"physician_global": 11})
    out = score_series_many(pd.DataFrame(table), column_map=mapping, **KEYWORDS)
    assert _whole(str(out.visits["error"].iloc[0])) == (
        "visit 'week 4' (row 1): pga: 11 is outside the scale 0 to 10 (global_max=10)"
    )


# -- the map itself on the command line -----------------------------------------------------------


def test_a_bad_map_entry_is_named_by_the_flag_and_the_files_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table, _ = _pair()
    source = _write_csv(tmp_path, table)
    bad = tmp_path / "map.json"
    bad.write_text(json.dumps({"pga_bl": "baseline_nope"}), encoding="utf-8")
    arguments = ["score", "--csv", str(source), "--population", "adult", "--mmt-max", "80"]
    assert main([*arguments, "--column-map", str(bad)]) == 2
    error = capsys.readouterr().err
    assert "--column-map entry 'pga_bl': 'baseline_nope' is not a column score --csv reads" in (
        error
    )
    assert "column_map[" not in error and "score_many" not in error


def test_score_csv_shows_the_cell_as_written_under_a_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table, mapping = _pair(baseline_mmt="-1.50")
    got = _csv_error(tmp_path, capsys, "score", table, mapping)
    assert got == "mmt_bl: -1.50 is negative; must be 0 or more"


# -- helpers ------------------------------------------------------------------------------------


def _whole(message: str) -> str:
    """``-1.0`` as ``-1``: how a value is shown is not what these tests check."""
    return re.sub(r"(?<![\d.])(-?\d+)\.0\b", r"\1", message)


def _write_csv(tmp_path: Path, table: dict[str, list[Any]]) -> Path:
    names = list(table)
    source = tmp_path / "in.csv"
    with source.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(names)
        for row in zip(*(table[name] for name in names), strict=True):
            writer.writerow(
                ["" if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in row]
            )
    return source


def _csv_error(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    table: dict[str, list[Any]],
    mapping: dict[str, str],
    *flags: str,
) -> str:
    source = _write_csv(tmp_path, table)
    map_file = tmp_path / "map.json"
    map_file.write_text(json.dumps(mapping), encoding="utf-8")
    arguments = [command, "--csv", str(source), "--population", "adult", "--mmt-max", "80"]
    assert main([*arguments, "--column-map", str(map_file), *flags]) == 1
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    return next(row["error"] for row in rows if row["error"])


@pytest.mark.parametrize(
    ("value", "wording"),
    [([5, 3, 4], "pga: has 3 rows where the other columns have 2"), ("53", "pga: must be a 1-D")],
)
def test_whole_column_errors_of_the_long_table_name_the_callers_column(
    value: Any, wording: str
) -> None:
    columns = {"pid": ["a", "a"], "visit": ["b", "w"], "pga": value}
    with pytest.raises(InputFormatError) as raised:
        score_series_many(
            columns,
            population="adult",
            missing="zero",
            column_map={"pid": "id", "pga": "physician_global"},
        )
    assert str(raised.value).startswith(wording)
    assert raised.value.field == "pga"


@pytest.mark.parametrize("name", ["PGA bl", "pga-bl", "PGA (baseline)"])
def test_csv_shows_the_cell_as_written_under_any_column_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    # an export's names may hold spaces, hyphens, brackets: the value is still shown as written
    table = {"id": ["a"], name: ["-1"], "followup_physician_global": ["3"]}
    table |= {"baseline_mmt": ["60"], "followup_mmt": ["70"]}
    got = _csv_error(
        tmp_path, capsys, "score", table, {name: "baseline_physician_global"}, "--missing=zero"
    )
    assert got == f"{name}: -1 is negative; must be 0 or more"
    long = {"id": ["a", "a"], "visit": ["b", "w"], name: ["5", "-3"], "mmt": ["60", "70"]}
    got = _csv_error(tmp_path, capsys, "series", long, {name: "physician_global"}, "--missing=zero")
    assert got == f"visit 'w' (line 3): {name}: -3 is negative; must be 0 or more"
