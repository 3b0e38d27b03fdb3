"""The one-row CSV template for people who do not program scores as the page says it does."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from myoresponse import score_json
from myoresponse.io.cli import main

TEMPLATE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "template.csv"


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_template_scores_the_worked_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "--csv", str(TEMPLATE)]) == 0
    (out,) = rows(capsys.readouterr().out)
    assert out["id"] == "patient-1" and out["error"] == ""
    assert float(out["total_improvement_score"]) == 70.0
    assert out["category"] == "major" and out["enzyme"] == "CK"


def test_the_template_row_equals_the_json_path() -> None:
    (row,) = rows(TEMPLATE.read_text(encoding="utf-8"))
    measures = ("physician_global", "patient_global", "mmt", "haq", "extramuscular")
    doc = {
        "population": row["population"],
        "scales": {
            "mmt_max": float(row["mmt_max"]),
            "global_max": float(row["global_max"]),
            "enzyme_uln": {"CK": float(row["uln_ck"]), "AST": float(row["uln_ast"])},
        },
        **{
            visit: {
                **{key: float(row[f"{visit}_{key}"]) for key in measures},
                "enzymes": {"CK": float(row[f"{visit}_ck"]), "AST": float(row[f"{visit}_ast"])},
            }
            for visit in ("baseline", "followup")
        },
    }
    assert score_json(doc)["total_improvement_score"] == 70.0


def test_an_emptied_optional_enzyme_still_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (row,) = rows(TEMPLATE.read_text(encoding="utf-8"))
    row.update(baseline_ast="", followup_ast="", uln_ast="")
    edited = tmp_path / "mine.csv"
    with edited.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    assert main(["score", "--csv", str(edited)]) == 0
    (out,) = rows(capsys.readouterr().out)
    assert float(out["total_improvement_score"]) == 70.0


def test_an_emptied_required_measure_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (row,) = rows(TEMPLATE.read_text(encoding="utf-8"))
    row.update(followup_haq="")
    edited = tmp_path / "mine.csv"
    with edited.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    assert main(["score", "--csv", str(edited)]) == 1
    (out,) = rows(capsys.readouterr().out)
    assert out["error"].startswith("followup_haq: ")
