"""Table messages name the table's columns and the caller's keywords or flags (issue 12 item 12).

The scalar path names a value by its JSON path (``followup.enzymes.CK``, ``scales.global_max``);
``score_many``, ``score_series_many`` and the ``score --csv``/``series --csv`` commands name the
column the value came from and the keyword (Python) or flag (command line) that sets a scale or a
policy. Each message class is checked on the three paths, by its exact text.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from myoresponse import (
    InvalidValueError,
    MissingMeasureError,
    MyoresponseError,
    score_json,
    score_many,
    score_series_many,
)
from myoresponse.io.cli import main
from myoresponse.io.csv import in_column_terms
from myoresponse.tables.terms import as_flags, long_terms, pair_terms

NAN = math.nan
JSON_PATH = re.compile(r"\b(?:baseline|followup|scales|options|visits\[\d+\])\.\w|\benzymes\.\w")

ROW: dict[str, float] = {
    "baseline_physician_global": 5,
    "followup_physician_global": 4,
    "baseline_patient_global": 5,
    "followup_patient_global": 4,
    "baseline_mmt": 60,
    "followup_mmt": 70,
    "baseline_haq": 1,
    "followup_haq": 1,
    "baseline_extramuscular": 5,
    "followup_extramuscular": 4,
    "baseline_ck": 500,
    "followup_ck": 400,
    "uln_ck": 200,
}
KEYWORDS: dict[str, Any] = {"population": "adult", "mmt_max": 80}


def _whole(message: str) -> str:
    """``-1.0`` as ``-1``: how a value is shown is not what these tests check."""
    return re.sub(r"(?<![\d.])(-?\d+)\.0\b", r"\1", message)


def _pair(**changes: float | None) -> dict[str, list[float]]:
    row = {**ROW, **changes}
    return {name: [value] for name, value in row.items() if value is not None}


def _pair_error(columns: dict[str, list[float]], **keywords: Any) -> str:
    message = str(score_many(columns, **{**KEYWORDS, **keywords})["error"][0])
    assert not JSON_PATH.search(message), message
    return message


def _csv_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, table: Any, *flags: str
) -> str:
    names = list(table)
    source = tmp_path / "in.csv"
    with source.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(names)
        for row in zip(*(table[name] for name in names), strict=True):
            writer.writerow(["" if isinstance(v, float) and math.isnan(v) else v for v in row])
    arguments = [command, "--csv", str(source), "--population", "adult", "--mmt-max", "80"]
    assert main([*arguments, *flags]) == 1
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    message = next(row["error"] for row in rows if row["error"])
    assert not JSON_PATH.search(message), message
    return message


# -- the pair table: score_many and score --csv -------------------------------------------------

PAIRS = [
    (  # a missing measure under missing='error', with every missing place listed
        {"followup_physician_global": NAN, "baseline_haq": NAN, "followup_haq": NAN},
        {},
        "followup_physician_global: is missing (all missing: followup_physician_global, "
        "baseline_haq); all six core set measures are required under missing='error'; pass "
        "missing='zero' to score a missing measure as 0 points",
    ),
    (  # every enzyme missing: the table's enzyme columns
        {"baseline_ck": NAN, "followup_ck": NAN},
        {},
        "baseline_ck: is missing; all six core set measures are required under "
        "missing='error'; pass missing='zero' to score a missing measure as 0 points",
    ),
    (  # a required measure under missing='zero'
        {"followup_mmt": NAN},
        {"missing": "zero"},
        "followup_mmt: is required even under missing='zero' (required: physician_global, mmt)",
    ),
    ({"baseline_mmt": -1}, {}, "baseline_mmt: -1 is negative; must be 0 or more"),
    ({"followup_ck": -2}, {}, "followup_ck: -2 is negative; must be 0 or more"),
    (
        {"followup_physician_global": 11},
        {},
        "followup_physician_global: 11 is outside the scale 0 to 10 (global_max=10)",
    ),
    ({"baseline_mmt": 90}, {}, "baseline_mmt: 90 is outside the scale 0 to 80 (mmt_max=80)"),
    (  # a follow-up value without a baseline value
        {"baseline_patient_global": NAN},
        {},
        "baseline_patient_global: missing while followup_patient_global is given; a change "
        "needs a baseline value",
    ),
    (
        {"baseline_ck": NAN, "baseline_ast": 40, "followup_ast": 30, "uln_ast": 35},
        {},
        "baseline_ck: missing while followup_ck is given; a change needs a baseline value",
    ),
    (  # enzyme ULN problems
        {"uln_ck": None},
        {},
        "uln_ck: no upper limit of normal for CK; every scored enzyme needs its ULN",
    ),
    ({"uln_ck": 0}, {}, "uln_ck: 0 must be greater than 0"),
    (  # the relative enzyme rule names its alternative as a keyword
        {"baseline_ck": 0},
        {"enzyme_rule": "relative"},
        "baseline_ck: is 0; the relative enzyme rule divides by the baseline value; use "
        "enzyme_rule='range'",
    ),
    ({"global_max": 0}, {}, "global_max: 0 must be greater than 0"),  # a scale column
    (  # a scale from the table's column is named by the column
        {"global_max": 8, "followup_patient_global": 9},
        {},
        "followup_patient_global: 9 is outside the scale 0 to 8 (global_max)",
    ),
]


@pytest.mark.parametrize(("changes", "keywords", "message"), PAIRS)
def test_score_many_names_columns_and_keywords(
    changes: dict[str, float | None], keywords: dict[str, Any], message: str
) -> None:
    assert _pair_error(_pair(**changes), **keywords) == message


@pytest.mark.parametrize(("changes", "keywords", "message"), PAIRS)
def test_score_many_message_is_the_scalar_message_in_table_terms(
    changes: dict[str, float | None], keywords: dict[str, Any], message: str
) -> None:
    columns = _pair(**changes)
    doc: dict[str, Any] = {"population": "adult", "scales": {"mmt_max": 80}, "options": keywords}
    for side in ("baseline", "followup"):
        doc[side] = {
            key[len(side) + 1 :]: value[0]
            for key, value in columns.items()
            if key.startswith(side) and not key.endswith(("_ck", "_ast")) and value[0] == value[0]
        }
        cells = {name: columns.get(f"{side}_{name}", [NAN])[0] for name in ("ck", "ast")}
        enzymes = {name.upper(): cell for name, cell in cells.items() if not math.isnan(cell)}
        if enzymes:
            doc[side]["enzymes"] = enzymes
    doc["scales"]["enzyme_uln"] = {
        name.upper(): columns[f"uln_{name}"][0]
        for name in ("ck", "ast")
        if f"uln_{name}" in columns
    }
    if "global_max" in columns:
        doc["scales"]["global_max"] = columns["global_max"][0]
    with pytest.raises(MyoresponseError) as raised:
        score_json(doc)
    assert JSON_PATH.search(str(raised.value))  # the scalar path names JSON paths ...
    assert pair_terms(columns)(str(raised.value)) == message  # ... the table its columns


@pytest.mark.parametrize(("changes", "keywords", "message"), PAIRS)
def test_score_csv_names_columns_and_flags(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    changes: dict[str, float | None],
    keywords: dict[str, Any],
    message: str,
) -> None:
    flags = [f"--{name.replace('_', '-')}={value}" for name, value in keywords.items()]
    got = _csv_error(tmp_path, capsys, "score", _pair(**changes), *flags)
    assert got == as_flags(message)
    assert "missing='" not in got and "enzyme_rule='" not in got and "global_max=" not in got


def test_flags_on_the_command_line() -> None:
    assert as_flags("0 to 10 (global_max=10); pass missing='zero'") == (
        "0 to 10 (--global-max 10); pass --missing zero"
    )
    assert as_flags("use enzyme_rule='range'") == "use --enzyme-rule range"
    assert as_flags("after baseline (landmark_day)") == "after baseline (--landmark-day)"
    assert as_flags("0 to 8 (global_max)") == "0 to 8 (global_max)"  # a column stays
    assert in_column_terms("baseline.enzymes: is missing") == "baseline enzymes: is missing"
    assert in_column_terms("baseline.enzymes: is missing", ["baseline_ast", "baseline_ck"]) == (
        "baseline_ck/baseline_ast: is missing"  # the table's enzyme columns, in panel order
    )


def test_keyword_errors_name_the_keyword() -> None:
    with pytest.raises(InvalidValueError) as raised:
        score_many(_pair(), population="adult", mmt_max=0)
    assert str(raised.value) == "mmt_max: 0 must be greater than 0"
    assert raised.value.field == "mmt_max"
    with pytest.raises(InvalidValueError) as raised:
        score_many(_pair(), population="adult", mmt_max=80, enzyme_range_multiples={"CK": 0})
    assert str(raised.value) == "enzyme_range_multiples['CK']: 0 must be greater than 0"
    with pytest.raises(InvalidValueError) as raised:
        score_many(_pair(), population="adult", mmt_max=80, missing="sometimes")
    assert str(raised.value) == "missing: 'sometimes' is not one of 'error', 'zero'"
    with pytest.raises(InvalidValueError) as raised:
        score_series_many(
            {"id": ["a"], "visit": ["b"], "mmt": [1]}, population="adult", global_max=-1
        )
    assert raised.value.field == "global_max"


def test_errors_raise_names_the_column() -> None:
    with pytest.raises(MissingMeasureError) as raised:
        score_many(_pair(uln_ck=None), errors="raise", **KEYWORDS)
    assert str(raised.value) == (
        "row 0: uln_ck: no upper limit of normal for CK; every scored enzyme needs its ULN"
    )
    assert raised.value.field == "uln_ck"
    with pytest.raises(InvalidValueError) as raised:
        score_many(_pair(followup_ck=-2), errors="raise", **KEYWORDS)
    assert str(raised.value) == "row 0: followup_ck: -2 is negative; must be 0 or more"
    assert raised.value.field == "followup_ck" and raised.value.reason.startswith("-2 is")


def test_column_wise_and_row_by_row_messages_agree() -> None:
    # 600 rows with problems found column-wise, and rows the scalar fallback scores one by one
    # (a value with more decimals than the engine reads exactly): the same terms on both paths
    size = 600
    columns = {name: np.full(size, value, dtype=float) for name, value in ROW.items()}
    columns["followup_physician_global"][::3] = 11
    columns["baseline_ck"][1::3] = NAN
    columns["baseline_haq"][2::3] = 1.12345678  # undecided: the scalar path scores these rows
    columns["followup_mmt"][2::6] = -1
    out = score_many(columns, **KEYWORDS)
    assert {_whole(message) for message in out["error"].tolist()} == {
        "followup_physician_global: 11 is outside the scale 0 to 10 (global_max=10)",
        "baseline_ck: missing while followup_ck is given; a change needs a baseline value",
        "followup_mmt: -1 is negative; must be 0 or more",
        "",
    }
    assert _whole(out["error"][2]) == "followup_mmt: -1 is negative; must be 0 or more"
    assert out["error"][5] == ""


def test_steroid_columns_are_named_by_column() -> None:
    out = score_many({**_pair(), "baseline_prednisone_mg_per_day": [-5]}, **KEYWORDS)
    # the row-aligned error column does not repeat the row, and shows the value as given
    assert (
        out["error"][0] == "baseline_prednisone_mg_per_day: -5 is negative; a dose is 0 mg or more"
    )
    assert not JSON_PATH.search(out["error"][0])


# -- the long table: score_series_many and series --csv ------------------------------------------


def _long(first: dict[str, float] | None = None, second: dict[str, float] | None = None) -> Any:
    base = {"physician_global": 5, "patient_global": 5, "mmt": 60, "haq": 1}
    base |= {"extramuscular": 5, "ck": 500, "uln_ck": 200}
    later = {"physician_global": 4, "patient_global": 4, "mmt": 70, "haq": 1}
    later |= {"extramuscular": 4, "ck": 400, "uln_ck": 200}
    rows = [{**base, **(first or {})}, {**later, **(second or {})}]
    names = [name for name in {**rows[0], **rows[1]}]
    table: dict[str, list[Any]] = {"id": ["P-1", "P-1"], "visit": ["baseline", "week 4"]}
    for name in names:
        table[name] = [row.get(name, NAN) for row in rows]
    return table


LONG = [
    (
        {},
        {"physician_global": NAN},
        {},
        "visit 'week 4' (row 1): physician_global: is missing; all six core set measures are "
        "required under missing='error'; pass missing='zero' to score a missing measure as 0 "
        "points",
    ),
    (
        {"haq": NAN},
        {"physician_global": NAN, "haq": NAN},
        {},
        "visit 'week 4' (row 1): physician_global: is missing (all missing: physician_global at "
        "follow-up, haq at baseline); all six core set measures are required under "
        "missing='error'; pass missing='zero' to score a missing measure as 0 points",
    ),
    (
        {"ck": NAN},
        {"ck": NAN},
        {},
        "visit 'baseline' (row 0): ck: is missing; all six core set measures are required under "
        "missing='error'; pass missing='zero' to score a missing measure as 0 points",
    ),
    (
        {},
        {"mmt": NAN},
        {"missing": "zero"},
        "visit 'week 4' (row 1): mmt: is required even under missing='zero' (required: "
        "physician_global, mmt)",
    ),
    ({}, {"mmt": -1}, {}, "visit 'week 4' (row 1): mmt: -1 is negative; must be 0 or more"),
    (
        {},
        {"physician_global": 11},
        {},
        "visit 'week 4' (row 1): physician_global: 11 is outside the scale 0 to 10 (global_max=10)",
    ),
    (
        {"patient_global": NAN},
        {},
        {},
        "visit 'baseline' (row 0): patient_global: missing while patient_global at follow-up is "
        "given; a change needs a baseline value",
    ),
    (
        {"ck": NAN},
        {},
        {},
        "visit 'baseline' (row 0): ck: missing while ck at follow-up is given; a change needs a "
        "baseline value",
    ),
    ({"uln_ck": 0}, {"uln_ck": 0}, {}, "uln_ck: 0 must be greater than 0"),
    (
        {"ck": 0},
        {},
        {"enzyme_rule": "relative"},
        "visit 'baseline' (row 0): ck: is 0; the relative enzyme rule divides by the baseline "
        "value; use enzyme_rule='range'",
    ),
]


@pytest.mark.parametrize(("first", "second", "keywords", "message"), LONG)
def test_score_series_many_names_columns_and_keywords(
    first: dict[str, float], second: dict[str, float], keywords: dict[str, Any], message: str
) -> None:
    out = score_series_many(_long(first, second), **{**KEYWORDS, **keywords})
    assert out["error"].tolist() == [message] * 2  # the patient row and the visit row
    assert not JSON_PATH.search(message)


@pytest.mark.parametrize(("first", "second", "keywords", "message"), LONG)
def test_series_csv_names_columns_and_flags(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    first: dict[str, float],
    second: dict[str, float],
    keywords: dict[str, Any],
    message: str,
) -> None:
    flags = [f"--{name.replace('_', '-')}={value}" for name, value in keywords.items()]
    got = _csv_error(tmp_path, capsys, "series", _long(first, second), *flags)
    lines = as_flags(message).replace("(row 0)", "(line 2)").replace("(row 1)", "(line 3)")
    assert _whole(got) == lines
    assert "missing='" not in got and "global_max=" not in got


def test_series_errors_raise_names_the_patient_and_the_column() -> None:
    with pytest.raises(InvalidValueError) as raised:
        score_series_many(_long(second={"ck": -3}), errors="raise", **KEYWORDS)
    assert str(raised.value) == (
        "patient 'P-1': visit 'week 4' (row 1): ck: -3 is negative; must be 0 or more"
    )
    assert raised.value.field == "ck"


def test_long_terms_name_enzyme_columns_and_places() -> None:
    terms = long_terms(["id", "visit", "ck", "ldh", "aldolase"])
    assert terms("is missing (all missing: baseline.enzymes, followup.haq)") == (
        "is missing (all missing: ck/aldolase/ldh at baseline, haq at follow-up)"
    )
    assert long_terms(["id", "visit"])("baseline.enzymes.AST, followup.label") == (
        "ast at baseline, visit at follow-up"
    )
    assert terms("enzymes.LDH: -3 is negative") == "ldh: -3 is negative"


def test_pair_terms_rewrite_each_distinct_message_once() -> None:
    terms = pair_terms(["baseline_ck"])
    first = terms("baseline.enzymes.CK: -1 is negative")
    assert first == "baseline_ck: -1 is negative"
    assert terms("baseline.enzymes.CK: -1 is negative") is first  # remembered, not rewritten
    assert pair_terms(["baseline_ck"]) is terms  # one per table shape and columns


@pytest.mark.parametrize("missing", ["error", "zero"])
@pytest.mark.parametrize("enzyme_rule", ["range", "relative"])
def test_no_message_of_a_corrupted_cohort_names_a_json_path(missing: str, enzyme_rule: str) -> None:
    # every message class at random places, on both table functions: none may name a JSON path
    rng = np.random.default_rng(12)
    size = 400
    columns: dict[str, Any] = {
        name: np.full(size, value, dtype=float) for name, value in ROW.items()
    }
    columns |= {"baseline_ast": np.full(size, 40.0), "followup_ast": np.full(size, 30.0)}
    columns |= {"uln_ast": np.full(size, 35.0), "global_max": np.full(size, NAN)}
    for name, column in columns.items():
        pick = rng.random(size)
        column[pick < 0.04] = NAN
        column[(pick >= 0.04) & (pick < 0.06)] = -1
        column[(pick >= 0.06) & (pick < 0.08)] = 0 if name.startswith(("uln", "global")) else 300
    keywords = {**KEYWORDS, "missing": missing, "enzyme_rule": enzyme_rule}
    out = score_many(columns, **keywords)
    messages = set(out["error"].tolist()) - {""}
    assert len(messages) > 10
    assert not [message for message in messages if JSON_PATH.search(message)]
    long = {name.removeprefix("baseline_"): column for name, column in columns.items()}
    long = {name: column for name, column in long.items() if not name.startswith("followup_")}
    long["id"] = np.repeat(np.arange(size // 4), 4).astype(str)
    long["visit"] = np.tile(np.array(["b", "w4", "w8", "w12"]), size // 4)
    out = score_series_many(long, **keywords)
    messages = set(out["error"].tolist()) - {""}
    assert len(messages) > 10
    assert not [message for message in messages if JSON_PATH.search(message)]


def test_remembered_messages_stay_bounded() -> None:
    terms = pair_terms(["followup_mmt", "remembered"])
    for value in range(10_000):
        assert terms(f"followup.mmt: {value} is negative") == f"followup_mmt: {value} is negative"
    assert 0 < len(terms._seen) <= 4096
