"""The command line as a subprocess: one object, an array with a bad item, unreadable input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from myoresponse import score_json


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "myoresponse", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_one_object_from_a_file(tmp_path: Path, example_json: dict[str, Any]) -> None:
    path = tmp_path / "visit.json"
    path.write_text(json.dumps(example_json))
    done = run("score", str(path))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["total_improvement_score"] == 70.0
    assert result["category"] == "major"
    assert result == score_json(example_json)


def test_one_object_from_stdin(example_json: dict[str, Any]) -> None:
    for args in (("score",), ("score", "-")):
        done = run(*args, stdin=json.dumps(example_json))
        assert done.returncode == 0
        assert json.loads(done.stdout)["category"] == "major"


def test_array_with_a_bad_item_in_the_middle(example_json: dict[str, Any]) -> None:
    bad = json.loads(json.dumps(example_json))
    bad["followup"]["mmt"] = 151
    done = run("score", "--compact", stdin=json.dumps([example_json, bad, example_json]))
    assert done.returncode == 1
    out = json.loads(done.stdout)
    assert len(out) == 3
    assert out[0]["category"] == out[2]["category"] == "major"
    assert out[1] == {
        "error": {
            "type": "InvalidValueError",
            "message": "followup.mmt: 151 is outside the scale 0 to 150 (scales.mmt_max)",
            "field": "followup.mmt",
        }
    }
    assert "item 1: followup.mmt" in done.stderr
    assert "Traceback" not in done.stderr


def test_single_invalid_object_gives_an_error_object() -> None:
    done = run("score", stdin=json.dumps({"population": "adult"}))
    assert done.returncode == 1
    assert json.loads(done.stdout)["error"]["type"] == "MissingMeasureError"


@pytest.mark.parametrize(
    "text",
    ["{not json", "", "42", '"adult"', "[1, 2"],
)
def test_unreadable_input_exits_2(text: str) -> None:
    done = run("score", stdin=text)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("myoresponse: ")
    assert "Traceback" not in done.stderr


def test_missing_file_exits_2(tmp_path: Path) -> None:
    done = run("score", str(tmp_path / "nope.json"))
    assert done.returncode == 2
    assert "cannot read" in done.stderr


def test_array_items_that_are_not_objects_are_errors_in_place(
    example_json: dict[str, Any],
) -> None:
    done = run("score", stdin=json.dumps([7, example_json]))
    assert done.returncode == 1
    out = json.loads(done.stdout)
    assert out[0]["error"]["type"] == "InputFormatError"
    assert out[1]["category"] == "major"


def test_example_command_scores_the_built_in_example() -> None:
    done = run("example", "--compact")
    assert done.returncode == 0
    result = json.loads(done.stdout)
    assert (result["total_improvement_score"], result["category"]) == (70.0, "major")


def test_help_teaches_by_example() -> None:
    done = run("--help")
    assert done.returncode == 0
    assert "myoresponse score visit.json" in done.stdout
    assert "exit status" in done.stdout


def test_no_command_prints_help_and_fails() -> None:
    done = run()
    assert done.returncode == 64
    assert "usage: myoresponse" in done.stderr
