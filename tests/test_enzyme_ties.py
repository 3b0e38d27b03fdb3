"""An exact most-abnormal tie follows the earlier enzyme (CK, aldolase, AST, ALT, LDH) everywhere.

CK 2000 U/L with ULN 200 and AST 400 U/L with ULN 40 are both exactly 10 × ULN at baseline. The
scalar path follows CK; the cohort table, JSON and CSV paths must do the same. The follow-up is
chosen so that following the later enzyme instead would score 7.5 points more: CK stays at 2000
(0 points) while AST falls to 40 (300 % of its 0–120 range, the top band, 7.5 points).
"""

from __future__ import annotations

import csv
import io
import itertools
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from myoresponse import Options, Scales, Visit, score, score_json, score_many
from myoresponse.io.cli import main

OTHERS = {"physician_global": 6, "patient_global": 6, "mmt": 70, "haq": 1.5, "extramuscular": 6}
BEFORE = {"CK": 2000, "AST": 400}
AFTER = {"CK": 2000, "AST": 40}
ULN = {"CK": 200, "AST": 40}


def scalar(**scales: Any) -> Any:
    return score(
        Visit(**OTHERS, enzymes=BEFORE),
        Visit(**OTHERS, enzymes=AFTER),
        population="adult",
        scales=Scales(mmt_max=150, enzyme_uln=ULN, **scales),
    )


def test_the_scalar_path_follows_ck_and_ast_would_score_more() -> None:
    result = scalar()
    assert result.enzyme is not None and result.enzyme.name.value == "CK"
    assert result.enzyme.selection == "most abnormal at baseline"
    assert result.total_improvement_score == 0
    pinned = scalar(enzyme="AST")
    assert pinned.total_improvement_score == Fraction(15, 2)


def cohort(order: tuple[str, ...]) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for key, value in OTHERS.items():
        columns[f"baseline_{key}"] = np.array([float(value)])
        columns[f"followup_{key}"] = np.array([float(value)])
    for name in order:  # column order must not matter
        low = name.lower()
        columns[f"baseline_{low}"] = np.array([float(BEFORE[name])])
        columns[f"followup_{low}"] = np.array([float(AFTER[name])])
        columns[f"uln_{low}"] = np.array([float(ULN[name])])
    return columns


@pytest.mark.parametrize("order", [("CK", "AST"), ("AST", "CK")])
def test_the_cohort_row_equals_the_scalar_result(order: tuple[str, ...]) -> None:
    out = score_many(cohort(order), population="adult", mmt_max=150)
    assert out["error"][0] == ""
    assert out["enzyme"][0] == "CK"
    assert out["total_improvement_score"][0] == 0.0
    assert out["points_enzyme"][0] == 0.0
    assert out["change_enzyme"][0] == 0.0


def test_json_follows_ck() -> None:
    doc = {
        "population": "adult",
        "scales": {"mmt_max": 150, "enzyme_uln": ULN},
        "baseline": {**OTHERS, "enzymes": BEFORE},
        "followup": {**OTHERS, "enzymes": AFTER},
    }
    out = score_json(doc)
    assert out["enzyme"]["name"] == "CK" and out["total_improvement_score"] == 0.0


def test_csv_follows_ck(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    columns = cohort(("AST", "CK"))
    source = tmp_path / "tie.csv"
    source.write_text(
        ",".join(columns) + "\n" + ",".join(f"{v[0]:g}" for v in columns.values()) + "\n",
        encoding="utf-8",
    )
    assert main(["score", "--csv", str(source), "--population", "adult", "--mmt-max", "150"]) == 0
    (row,) = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert row["enzyme"] == "CK" and float(row["total_improvement_score"]) == 0.0


ORDER = ("CK", "aldolase", "AST", "ALT", "LDH")


@pytest.mark.parametrize(("first", "second"), list(itertools.combinations(ORDER, 2)))
@pytest.mark.parametrize("rule", ["range", "relative"])
def test_every_tie_goes_to_the_earlier_enzyme_on_both_paths(
    first: str, second: str, rule: str
) -> None:
    # both 4 × ULN at baseline; only the later one falls, to 1 × ULN
    uln = {first: 25, second: 30}
    before = {first: 100, second: 120}
    after = {first: 100, second: 30}
    expected = score(
        Visit(**OTHERS, enzymes=before),
        Visit(**OTHERS, enzymes=after),
        population="adult",
        scales=Scales(mmt_max=150, enzyme_uln=uln),
        options=Options(enzyme_rule=rule),
    )
    assert expected.enzyme is not None and expected.enzyme.name.value == first
    columns: dict[str, Any] = {}
    for key, value in OTHERS.items():
        columns[f"baseline_{key}"] = np.array([float(value)])
        columns[f"followup_{key}"] = np.array([float(value)])
    for name in (second, first):
        columns[f"baseline_{name.lower()}"] = np.array([float(before[name])])
        columns[f"followup_{name.lower()}"] = np.array([float(after[name])])
        columns[f"uln_{name.lower()}"] = np.array([float(uln[name])])
    out = score_many(columns, population="adult", mmt_max=150, enzyme_rule=rule)
    assert out["enzyme"][0] == first
    assert out["total_improvement_score"][0] == float(expected.total_improvement_score)
    assert out["points_enzyme"][0] == float(expected.measure("enzyme").points)
