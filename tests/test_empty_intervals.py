"""Every scale, range, maximum and ULN rejects an empty or zero interval, on every path.

A percent change divides by the width of its scale: a maximum, a ULN or a multiple of 0 (or
below), or a CHQ-PhS range ``[lo, hi]`` with ``lo >= hi``, would divide by zero or flip the sign.
Each must be refused with the library's own error, naming the field — from Python, JSON, the cohort
table (keyword or per-row column) and the CSV command line — never a bare ``ZeroDivisionError``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from myoresponse import (
    DeteriorationRule,
    InvalidValueError,
    MyoresponseError,
    Options,
    Scales,
    score_json,
    score_many,
    score_series_json,
)
from myoresponse.io.cli import main

EMPTY_RANGES = [[50, 50], [60, 50], [0, 0], [-10, -10]]
NOT_POSITIVE = [0, -1, 0.0]

# (Python constructor, JSON section, key, field named in the error)
POSITIVE: list[tuple[Any, str, str, str]] = [
    (lambda v: Scales(global_max=v), "scales", "global_max", "scales.global_max"),
    (lambda v: Scales(mmt_max=v), "scales", "mmt_max", "scales.mmt_max"),
    (lambda v: Scales(enzyme_uln={"CK": v}), "scales", "enzyme_uln", "scales.enzyme_uln.CK"),
    (
        lambda v: Options(enzyme_range_multiples={"CK": v}),
        "options",
        "enzyme_range_multiples",
        "options.enzyme_range_multiples.CK",
    ),
]


@pytest.mark.parametrize("value", NOT_POSITIVE)
@pytest.mark.parametrize(("build", "section", "key", "field"), POSITIVE)
def test_python_rejects_a_zero_or_negative_maximum(
    build: Any, section: str, key: str, field: str, value: Any
) -> None:
    with pytest.raises(InvalidValueError) as raised:
        build(value)
    assert raised.value.field == field
    assert "greater than 0" in raised.value.reason


@pytest.mark.parametrize("bounds", EMPTY_RANGES)
def test_python_rejects_an_empty_chq_phs_range(bounds: list[int]) -> None:
    with pytest.raises(InvalidValueError) as raised:
        Scales(chq_phs_range=bounds)
    assert raised.value.field == "scales.chq_phs_range"
    assert "lo < hi" in raised.value.reason


@pytest.mark.parametrize("name", ["global_cm", "strength_percent", "measures_percent"])
@pytest.mark.parametrize("value", [0, -2])
def test_deterioration_thresholds_must_be_positive(name: str, value: int) -> None:
    with pytest.raises(InvalidValueError):
        DeteriorationRule(**{name: value})


def _printo_json(chq_phs_range: Any) -> dict[str, Any]:
    visit = {"physician_global": 5, "patient_global": 5, "cmas": 30, "chaq": 1, "chq_phs": 40}
    return {
        "population": "juvenile",
        "core_set": "printo",
        "scales": {"chq_phs_range": chq_phs_range},
        "options": {"missing": "zero"},
        "baseline": visit,
        "followup": {**visit, "chq_phs": 45},
    }


def _adult_json(section: str, key: str, value: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "population": "adult",
        "scales": {"mmt_max": 150, "enzyme_uln": {"CK": 200}},
        "options": {"missing": "zero"},
        "baseline": {"physician_global": 6, "mmt": 100, "enzymes": {"CK": 400}},
        "followup": {"physician_global": 2, "mmt": 110, "enzymes": {"CK": 200}},
    }
    doc[section][key] = {"CK": value} if key in ("enzyme_uln", "enzyme_range_multiples") else value
    return doc


@pytest.mark.parametrize("value", NOT_POSITIVE)
@pytest.mark.parametrize(("build", "section", "key", "field"), POSITIVE)
def test_json_rejects_a_zero_or_negative_maximum(
    build: Any, section: str, key: str, field: str, value: Any
) -> None:
    with pytest.raises(InvalidValueError) as raised:
        score_json(_adult_json(section, key, value))
    assert raised.value.field == field


@pytest.mark.parametrize("bounds", EMPTY_RANGES)
def test_json_rejects_an_empty_chq_phs_range(bounds: list[int]) -> None:
    with pytest.raises(InvalidValueError) as raised:
        score_json(_printo_json(bounds))
    assert raised.value.field == "scales.chq_phs_range"


def test_a_valid_chq_phs_range_scores() -> None:  # the control of the two tests above
    out = score_json(_printo_json([0, 100]))
    change = {m["measure"]: m["absolute_percent_change"] for m in out["measures"]}
    assert change["chq_phs"] == 5.0


@pytest.mark.parametrize("bounds", EMPTY_RANGES[:2])
def test_series_json_rejects_an_empty_chq_phs_range(bounds: list[int]) -> None:
    doc = _printo_json(bounds)
    doc["visits"] = [doc.pop("followup")]
    with pytest.raises(InvalidValueError) as raised:
        score_series_json(doc)
    assert raised.value.field == "scales.chq_phs_range"


def _table(**extra: float) -> dict[str, Any]:
    columns: dict[str, Any] = {
        "baseline_physician_global": [6.0, 6.0],
        "followup_physician_global": [2.0, 2.0],
        "baseline_mmt": [100.0, 100.0],
        "followup_mmt": [110.0, 110.0],
        "baseline_ck": [400.0, 400.0],
        "followup_ck": [200.0, 200.0],
        "uln_ck": [200.0, 200.0],
    }
    for name, value in extra.items():  # the second row gets the bad value
        columns[name] = [columns.get(name, [np.nan])[0], value]
    return {name: np.array(values) for name, values in columns.items()}


@pytest.mark.parametrize("value", NOT_POSITIVE)
@pytest.mark.parametrize(
    ("keyword", "field"),
    [
        ("mmt_max", "mmt_max"),  # the keyword, not the JSON path scales.mmt_max
        ("global_max", "global_max"),
        ("enzyme_range_multiples", "enzyme_range_multiples['CK']"),
    ],
)
def test_table_keywords_are_refused_for_the_whole_table(
    keyword: str, field: str, value: Any
) -> None:
    keywords: dict[str, Any] = {"population": "adult", "mmt_max": 150, "missing": "zero"}
    keywords[keyword] = {"CK": value} if keyword == "enzyme_range_multiples" else value
    with pytest.raises(InvalidValueError) as raised:
        score_many(_table(), **keywords)
    assert raised.value.field == field


@pytest.mark.parametrize("bounds", EMPTY_RANGES)
def test_table_chq_phs_range_keyword_is_refused(bounds: list[int]) -> None:
    with pytest.raises(InvalidValueError) as raised:
        score_many(_table(), population="adult", mmt_max=150, chq_phs_range=bounds)
    assert raised.value.field == "chq_phs_range"


@pytest.mark.parametrize("value", NOT_POSITIVE)
@pytest.mark.parametrize("column", ["mmt_max", "global_max", "uln_ck"])
def test_table_columns_make_only_their_row_an_error(column: str, value: Any) -> None:
    out = score_many(_table(**{column: value}), population="adult", mmt_max=150, missing="zero")
    assert out["error"][0] == ""
    assert out["total_improvement_score"][0] == 30.0
    assert out["error"][1].startswith(f"{column}: ")  # the column, not scales.<field>
    assert "must be greater than 0" in out["error"][1]
    assert np.isnan(out["total_improvement_score"][1])


CSV_HEADER = "baseline_physician_global,followup_physician_global,baseline_mmt,followup_mmt"


@pytest.mark.parametrize("column", ["mmt_max", "global_max", "uln_ck"])
def test_csv_columns_make_only_their_row_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], column: str
) -> None:
    enzyme = ",baseline_ck,followup_ck" + ("" if column == "uln_ck" else ",uln_ck")
    good = "6,2,100,110,400,200" + ("" if column == "uln_ck" else ",200")
    source = tmp_path / "cohort.csv"
    source.write_text(
        f"{CSV_HEADER}{enzyme},{column}\n{good},{200 if column == 'uln_ck' else ''}\n{good},0\n",
        encoding="utf-8",
    )
    status = main(["score", "--csv", str(source), "--population", "adult", "--mmt-max", "150",
                   "--missing", "zero"])  # fmt: skip
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert status == 1
    assert lines[1].endswith(",")  # no error on the good row
    assert f",{column}: " in lines[2] and "must be greater than 0" in lines[2]
    assert "Traceback" not in out.err and "ZeroDivision" not in out.err


@pytest.mark.parametrize("flag", ["--mmt-max", "--global-max"])
@pytest.mark.parametrize("value", ["0", "-1"])
def test_csv_flags_are_refused_as_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, value: str
) -> None:
    source = tmp_path / "cohort.csv"
    source.write_text(f"{CSV_HEADER}\n6,2,100,110\n", encoding="utf-8")
    arguments = ["score", "--csv", str(source), "--population", "adult", "--missing", "zero"]
    if flag != "--mmt-max":
        arguments += ["--mmt-max", "150"]
    assert main([*arguments, f"{flag}={value}"]) == 64  # usage error
    err = capsys.readouterr().err
    assert f"{flag}: {value} must be greater than 0" in err  # the flag as typed
    assert "Traceback" not in err


def test_every_refusal_is_a_value_error_of_the_library() -> None:
    for bounds in EMPTY_RANGES:
        with pytest.raises(MyoresponseError):
            Scales(chq_phs_range=bounds)
    assert issubclass(MyoresponseError, ValueError)


# The relative enzyme rule divides by the baseline value: a baseline of 0 is an empty denominator.


@pytest.mark.parametrize("followup", [0.0, 300.0])
@pytest.mark.parametrize("missing", ["zero"])  # the table rows lack optional measures
def test_relative_rule_refuses_a_zero_baseline_on_every_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], followup: float, missing: str
) -> None:
    doc = _adult_json("options", "enzyme_rule", "relative")
    doc["options"]["missing"] = missing
    doc["baseline"]["enzymes"] = {"CK": 0}
    doc["followup"]["enzymes"] = {"CK": followup}
    with pytest.raises(InvalidValueError) as raised:
        score_json(doc)
    assert raised.value.field == "baseline.enzymes.CK"
    expected = f"baseline_ck: {raised.value.reason}"  # the table's column

    table = _table()
    table["baseline_ck"] = np.array([400.0, 0.0])
    table["followup_ck"] = np.array([200.0, followup])
    out = score_many(
        table, population="adult", mmt_max=150, missing=missing, enzyme_rule="relative"
    )
    assert out["error"][0] == "" and out["error"][1] == expected
    assert np.isnan(out["total_improvement_score"][1])

    source = tmp_path / "cohort.csv"
    source.write_text(
        f"{CSV_HEADER},baseline_ck,followup_ck,uln_ck\n6,2,100,110,0,{followup:g},200\n",
        encoding="utf-8",
    )
    arguments = ["score", "--csv", str(source), "--population", "adult", "--mmt-max", "150"]
    assert main([*arguments, "--missing", missing, "--enzyme-rule", "relative"]) == 1
    # the command line names the column and the flag
    assert (
        f"baseline_ck: {raised.value.reason}".replace("enzyme_rule='range'", "--enzyme-rule range")
        in capsys.readouterr().out
    )
