"""Nothing lost, no traceback: the command line under faults, hostile input and interruptions.

One test (or a few) per class of defect of issue 12; the fuzz tests are in test_cli_fuzz.py.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from myoresponse import score_json, score_series_json
from myoresponse.io import csv as csv_stream
from myoresponse.io.cli import EXIT_USAGE, main

FLAGS = ["--population", "adult", "--mmt-max", "150", "--missing", "zero"]
HEADER = "id,baseline_physician_global,followup_physician_global,baseline_mmt,followup_mmt\n"
ROW = "{id},6,2,110,131\n"


def cohort(rows: int) -> str:
    return HEADER + "".join(ROW.format(id=f"P{n}") for n in range(rows))


def run(*args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "myoresponse", *args],
        input=data,
        capture_output=True,
        timeout=120,
    )


def one_line(stderr: bytes) -> str:
    text = stderr.decode()
    assert "Traceback" not in text
    assert len(text.strip().splitlines()) == 1, text
    return text


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


# -- 1. -o equal to the input; a failed run keeps the previous output -----------------------------


def test_output_equal_to_input_csv_is_refused_and_the_input_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the scores do not carry the input's columns: writing them over the input would lose the data
    path = tmp_path / "c.csv"
    text = cohort(3)
    path.write_text(text)
    assert main(["score", "--csv", str(path), *FLAGS, "-o", str(path)]) == 64
    assert path.read_text() == text
    monkeypatch.chdir(tmp_path)  # the same file by another name
    assert main(["score", "--csv", "c.csv", *FLAGS, "-o", "./sub/../c.csv"]) == 64
    assert path.read_text() == text
    assert leftovers(tmp_path) == []


def test_output_equal_to_input_series_json_and_patients_output(
    tmp_path: Path, example_json: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    series = tmp_path / "v.csv"
    text = "id,visit,physician_global,mmt\nA,baseline,6,110\nA,week 4,2,131\n"
    series.write_text(text)
    assert main(["series", "--csv", str(series), *FLAGS, "-o", str(series)]) == 64
    assert "-o " in capsys.readouterr().err
    other = str(tmp_path / "visits.csv")
    command = ["series", "--csv", str(series), *FLAGS, "-o", other]
    assert main([*command, "--patients-output", str(series)]) == 64
    assert "--patients-output" in capsys.readouterr().err
    assert series.read_text() == text
    doc = tmp_path / "a.json"
    doc.write_text(json.dumps(example_json))
    assert main(["score", str(doc), "-o", str(doc)]) == 64
    assert json.loads(doc.read_text()) == example_json
    assert leftovers(tmp_path) == []


def test_a_failed_run_keeps_the_existing_output(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("precious\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("baseline_mmmt,followup_mmt\n1,2\n")
    assert main(["score", "--csv", str(bad), *FLAGS, "-o", str(out)]) == 2
    assert out.read_text() == "precious\n"
    assert main(["score", str(tmp_path / "missing.json"), "-o", str(out)]) == 2
    assert out.read_text() == "precious\n"
    assert leftovers(tmp_path) == []


def test_output_keeps_the_replaced_files_permissions(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text(cohort(1))
    out = tmp_path / "out.csv"
    out.write_text("old\n")
    out.chmod(0o640)
    assert main(["score", "--csv", str(src), *FLAGS, "-o", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o640


# -- 4. deep nesting --------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [100_000, 3_000])
def test_deep_nesting_is_unreadable_in_one_line(depth: int) -> None:
    done = run("score", stdin="[" * depth + "]" * depth)
    assert done.returncode == 2
    assert "nested too deeply" in one_line(done.stderr)


def test_an_item_nested_too_deeply_is_its_own_error(
    example_json: dict[str, Any], capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    deep: Any = 1
    for _ in range(200):
        deep = [deep]
    bad = dict(example_json, baseline=dict(example_json["baseline"], mmt=deep))
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps([example_json, bad])))
    assert main(["score", "--compact"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out[0] == score_json(example_json)
    assert "nested more than" in out[1]["error"]["message"]
    assert out[1]["error"]["field"].startswith("baseline.mmt")


# -- 5. unwritable -o on every path -----------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["score", "{json}"],
        ["score", "--jsonl", "{json}"],
        ["score", "--csv", "{csv}", *FLAGS],
        ["series", "--csv", "{series}", *FLAGS],
        ["series", "{series_json}"],
        ["schema"],
        ["example"],
    ],
)
@pytest.mark.parametrize("target", ["nowhere/x.out", "."])
def test_unwritable_output_is_one_clear_line(
    tmp_path: Path,
    example_json: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    target: str,
) -> None:
    files = {
        "json": tmp_path / "a.json",
        "csv": tmp_path / "c.csv",
        "series": tmp_path / "s.csv",
        "series_json": tmp_path / "s.json",
    }
    files["json"].write_text(json.dumps(example_json))
    files["csv"].write_text(cohort(2))
    files["series"].write_text("id,visit,physician_global,mmt\nA,b,6,110\nA,w4,2,131\n")
    files["series_json"].write_text("{}")
    argv = [part.format(**{k: str(v) for k, v in files.items()}) for part in command]
    assert main([*argv, "-o", str(tmp_path / target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("myoresponse: cannot write") and len(err.splitlines()) == 1
    assert leftovers(tmp_path) == []


# -- 6. long CSV cells --------------------------------------------------------------------------


def test_a_cell_over_the_csv_modules_default_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    long_id = "x" * 200_000
    long_cell = "1" + "x" * 200_000
    src.write_text(
        HEADER + ROW.format(id=long_id) + ROW.format(id="P2") + f"P3,6,2,110,{long_cell}\n"
    )
    assert main(["score", "--csv", str(src), *FLAGS]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 4
    assert out[1].startswith(long_id + ",")
    assert out[2].startswith("P2,")
    assert out[3].startswith("P3,") and "followup_mmt" in out[3]


def test_a_cell_over_the_raised_limit_stops_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    monkeypatch.setattr(csv_stream, "FIELD_SIZE_LIMIT", 1000)
    src = tmp_path / "in.csv"
    src.write_text(HEADER + ROW.format(id="P1") + ROW.format(id="y" * 5000))
    out = tmp_path / "out.csv"
    assert main(["score", "--csv", str(src), *FLAGS, "-o", str(out)]) == 2
    assert "line 3: field larger than field limit" in capsys.readouterr().err
    assert not out.exists()


# -- 7. interruption, bad UTF-8 mid-file, broken pipe --------------------------------------------


def test_interrupt_in_process_leaves_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    src = tmp_path / "in.csv"
    src.write_text(cohort(10))
    out = tmp_path / "out.csv"
    out.write_text("previous\n")
    real = csv_stream.score_many
    calls = []

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) > 2:  # the header check, one chunk written, then Ctrl-C
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(csv_stream, "score_many", interrupted)
    status = main(["score", "--csv", str(src), *FLAGS, "-o", str(out), "--chunk-rows", "3"])
    assert status == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "Traceback" not in err
    assert out.read_text() == "previous\n"
    assert leftovers(tmp_path) == []


def test_sigint_subprocess_exits_130_in_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    process = subprocess.Popen(
        [sys.executable, "-m", "myoresponse", "score", "--csv", "-", *FLAGS, "-o", str(out)],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None
    process.stdin.write(cohort(100).encode())
    process.stdin.flush()  # and keep standard input open: the run waits for more rows
    time.sleep(3)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert one_line(err).strip() == "myoresponse: interrupted"
    assert not out.exists() and leftovers(tmp_path) == []


def test_bad_utf8_mid_file_leaves_no_partial_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_bytes(cohort(6).encode() + b"P\xff,6,2,110,131\n")
    out = tmp_path / "out.csv"
    status = main(["score", "--csv", str(src), *FLAGS, "-o", str(out), "--chunk-rows", "2"])
    assert status == 2
    assert "is not UTF-8 text" in capsys.readouterr().err
    assert not out.exists() and leftovers(tmp_path) == []
    assert run("score", stdin=b'{"population": "adult\xff"}').returncode == 2


def test_broken_pipe_ends_quietly(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text(cohort(20_000))
    process = subprocess.Popen(
        [sys.executable, "-m", "myoresponse", "score", "--csv", str(src), *FLAGS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith(b"id,")
    process.stdout.close()  # like `| head -1`
    err = process.stderr.read()
    process.wait(timeout=120)
    assert process.returncode == 0
    assert err == b""


# -- 8. NaN/Infinity tokens and duplicate keys --------------------------------------------------


def test_nan_answers_only_its_item(example_json: dict[str, Any]) -> None:
    text = json.dumps(example_json)
    bad = json.dumps(dict(example_json, baseline=dict(example_json["baseline"], mmt=math.nan)))
    assert "NaN" in bad
    followup = dict(example_json["followup"], physician_global=-math.inf)
    inf = json.dumps(dict(example_json, followup=followup))
    done = run("score", "--compact", stdin=f"[{text}, {bad}, {inf}, {text}]")
    assert done.returncode == 1
    out = json.loads(done.stdout)
    assert out[0] == out[3] == score_json(example_json)
    assert out[1]["error"]["field"] == "baseline.mmt"
    assert out[1]["error"]["message"].startswith("baseline.mmt: NaN is not a number")
    assert "-Infinity is not a number" in out[2]["error"]["message"]
    assert b"Traceback" not in done.stderr


def test_duplicate_keys_are_an_error_naming_the_key(example_json: dict[str, Any]) -> None:
    text = json.dumps(example_json)
    bad = text.replace('"mmt": 110', '"mmt": 110, "mmt": 60', 1)
    done = run("score", "--compact", stdin=f"[{bad}, {text}]")
    assert done.returncode == 1
    out = json.loads(done.stdout)
    assert out[0]["error"]["field"] == "baseline.mmt"
    assert "'mmt' appears more than once" in out[0]["error"]["message"]
    assert out[1] == score_json(example_json)


# -- 9. byte-order mark on standard input ---------------------------------------------------------


def test_bom_on_stdin_csv_and_json(example_json: dict[str, Any]) -> None:
    done = run("score", "--csv", "-", *FLAGS, stdin=b"\xef\xbb\xbf" + cohort(1).encode())
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().splitlines()[1].startswith("P0,")
    done = run("score", stdin=b"\xef\xbb\xbf" + json.dumps(example_json).encode())
    assert done.returncode == 0
    assert json.loads(done.stdout) == score_json(example_json)


# -- 10. column names -------------------------------------------------------------------------


def test_column_names_match_case_insensitively(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_text(HEADER.upper() + ROW.format(id="P1"))
    lower = tmp_path / "lower.csv"
    lower.write_text(cohort(1).replace("P0", "P1"))
    assert main(["score", "--csv", str(src), *FLAGS]) == 0
    upper_out = capsys.readouterr().out
    assert main(["score", "--csv", str(lower), *FLAGS]) == 0
    assert upper_out == capsys.readouterr().out


@pytest.mark.parametrize(
    ("column", "named"),
    [
        ("baseline_patient_globl", "baseline_patient_globl"),
        ("Baseline_Patient_Globl", "baseline_patient_globl"),
        ("physician_global", "physician_global: is a measure without"),
        ("popluation", "popluation: is not a column name; did you mean 'population'"),
        ("mmt_mx", "did you mean 'mmt_max'"),
    ],
)
def test_a_column_that_looks_like_a_measure_is_never_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], column: str, named: str
) -> None:
    src = tmp_path / "in.csv"
    src.write_text(HEADER.strip() + f",{column}\n" + ROW.format(id="P1").strip() + ",5\n")
    assert main(["score", "--csv", str(src), *FLAGS]) == 2
    assert named in capsys.readouterr().err


def test_other_columns_pass_quietly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.csv"
    src.write_text(HEADER.strip() + ",notes,site\n" + ROW.format(id="P1").strip() + ",hi,3\n")
    assert main(["score", "--csv", str(src), *FLAGS]) == 0


# -- 11. ragged rows and blank lines ----------------------------------------------------------


def test_ragged_rows_keep_their_id_and_blank_lines_are_skipped_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_text(
        HEADER
        + ROW.format(id="P1")
        + "\n"
        + 'P2,6,2,110\n"P\n3",6,2,110,131\n\n'
        + "P4,6,2,110,131,9\n"
    )
    assert main(["score", "--csv", str(src), *FLAGS]) == 1
    captured = capsys.readouterr()
    rows = list(csv.reader(io.StringIO(captured.out)))
    assert [row[0] for row in rows[1:]] == ["P1", "P2", "P\n3", "P4"]
    errors = [row[-1] for row in rows[1:]]
    assert errors[0] == "" and errors[2] == ""
    assert errors[1] == "line 4: has 4 cells where the header has 5"
    assert errors[3] == "line 8: has 6 cells where the header has 5"  # the quoted cell spans 5-6
    assert "skipped 2 blank lines (the first is line 3)" in captured.err
    assert "first: line 4: has 4 cells" in captured.err and "line 4: line 4" not in captured.err


def test_series_lines_are_physical_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,visit,physician_global,mmt\n\nA,baseline,6,110\nA,week 4,2\n")
    assert main(["series", "--csv", str(src), *FLAGS]) == 1
    captured = capsys.readouterr()
    assert "line 4: has 3 cells where the header has 4" in captured.out
    assert "skipped 1 blank line (the first is line 2)" in captured.err


# -- 13. smaller: chunk rows, missing scale, visit labels ----------------------------------------


@pytest.mark.parametrize("chunk", ["0", "-1", "x"])
def test_chunk_rows_must_be_positive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], chunk: str
) -> None:
    src = tmp_path / "in.csv"
    src.write_text(cohort(2))
    assert main(["score", "--csv", str(src), *FLAGS, "--chunk-rows", chunk]) == EXIT_USAGE
    assert "not a positive whole number" in capsys.readouterr().err
    with pytest.raises(ValueError, match="chunk_rows"):
        csv_stream.score_csv(io.StringIO(cohort(1)), io.StringIO(), {}, chunk_rows=0)


@pytest.mark.parametrize(
    ("command", "text"),
    [
        ("score", cohort(2)),
        ("series", "id,visit,physician_global,mmt\nA,b,6,110\nA,w4,2,131\n"),
    ],
)
def test_a_missing_mmt_scale_stops_like_a_missing_population(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, text: str
) -> None:
    src = tmp_path / "in.csv"
    src.write_text(text)
    out = tmp_path / "out.csv"
    assert main([command, "--csv", str(src), "--population", "adult", "-o", str(out)]) == 64
    assert "--mmt-max is required" in capsys.readouterr().err
    assert main([command, "--csv", str(src), "--mmt-max", "150", "-o", str(out)]) == 64
    assert "--population is required" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("label", [0, False, ""])
def test_visit_labels_are_never_replaced(label: Any) -> None:
    series = {
        "population": "adult",
        "scales": {"mmt_max": 150},
        "options": {"missing": "zero"},
        "baseline": {"physician_global": 6, "mmt": 110},
        "visits": [{"label": label, "physician_global": 2, "mmt": 131}],
    }
    with pytest.raises(ValueError, match=r"visits\[0\]\.label"):
        score_series_json(series)
    series["visits"][0]["label"] = "week 4"
    series["baseline"]["label"] = label
    with pytest.raises(ValueError, match=r"baseline\.label"):
        score_series_json(series)


# -- 12. messages in the user's terms on the command line ------------------------------------------


@pytest.mark.parametrize(
    ("flags", "shown"),
    [
        (["--mmt-max", "x"], "--mmt-max x: is not a number"),
        (["--mmt-max", "-80"], "--mmt-max: -80 "),
        (["--global-max", "-1.5"], "--global-max: -1.5 must be greater than 0"),
        (["--enzyme", "troponin"], "--enzyme: troponin is not"),
    ],
)
def test_flag_errors_name_the_flag_as_typed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], shown: str
) -> None:
    src = tmp_path / "in.csv"
    src.write_text(cohort(1))
    base = ["--population", "adult", "--mmt-max", "150"]
    assert main(["score", "--csv", str(src), *base, *flags]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert shown in err and "Traceback" not in err
    assert "Decimal(" not in err


# -- issue 13: ids, JSON Lines, -o and --compact everywhere ---------------------------------------


def test_json_ids_are_echoed(example_json: dict[str, Any]) -> None:
    items = [dict(example_json, id="A-1"), dict(example_json, id=7), {"id": "bad"}]
    done = run("score", "--compact", stdin=json.dumps(items))
    assert done.returncode == 1
    out = json.loads(done.stdout)
    assert out[0] == {"id": "A-1", **score_json(example_json)}
    assert out[1]["id"] == 7 and out[2]["id"] == "bad" and "error" in out[2]
    done = run("score", stdin=json.dumps(dict(example_json, id=True)))
    assert done.returncode == 1 and json.loads(done.stdout)["error"]["field"] == "id"


def test_jsonl_round_trip(tmp_path: Path, example_json: dict[str, Any]) -> None:
    lines = [
        json.dumps(dict(example_json, id=1)),
        "",
        "{not json",
        json.dumps(dict(example_json, id="two")),
        json.dumps({"id": 3, "population": "adult"}),
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["score", "--jsonl", str(src), "-o", str(out)]) == 1
    results = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(results) == 4
    assert results[0] == {"id": 1, **score_json(example_json)}
    assert "line 3" in results[1]["error"]["message"]
    assert results[2]["id"] == "two" and results[3]["id"] == 3 and "error" in results[3]


def iter_commands() -> Iterator[list[str]]:
    yield ["schema"]
    yield ["example"]


@pytest.mark.parametrize("command", list(iter_commands()))
def test_schema_and_example_take_output_and_compact(tmp_path: Path, command: list[str]) -> None:
    out = tmp_path / "out.json"
    assert main([*command, "--compact", "-o", str(out)]) == 0
    text = out.read_text()
    assert text.count("\n") == 1 and json.loads(text)


def test_compact_with_csv_is_a_usage_error(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text(cohort(1))
    assert main(["score", "--csv", str(src), *FLAGS, "--compact"]) == EXIT_USAGE


def test_subtype_on_score_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.csv"
    src.write_text(cohort(1))
    assert main(["score", "--csv", str(src), *FLAGS, "--subtype", "IMNM"]) == 0
    assert "warning: subtype IMNM" in capsys.readouterr().err
    assert main(["score", "--csv", str(src), *FLAGS, "--subtype", "flu"]) == EXIT_USAGE


def test_each_command_help_shows_its_own_options() -> None:
    for command, own, other in [
        ("score", "--csv", "--consecutive"),
        ("series", "--consecutive", "myoresponse score visit.json"),
        ("schema", "--compact", "--csv"),
        ("example", "-o OUT", "--population"),
    ]:
        done = run(command, "--help")
        text = done.stdout.decode()
        assert done.returncode == 0 and own in text and other not in text
        assert "example:" in text
    assert os.environ is not None


def test_every_command_and_flag_is_in_the_cli_reference() -> None:
    from myoresponse.io.cli import _parser

    page = (Path(__file__).resolve().parent.parent / "docs" / "api" / "cli.rst").read_text()
    parser = _parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in commands.choices.items():
        assert f"``{name}``" in page, name
        for action in command._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert f"``{option}" in page, f"{name} {option}"


# -- a defect of the library: isolated to its item or row, one line, never a traceback ------------


def test_an_unexpected_exception_answers_only_its_item(
    example_json: dict[str, Any], capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    from myoresponse.io import cli

    def fragile(item: Any) -> dict[str, Any]:
        if item.get("core_set") == "boom":
            raise OverflowError("integer division result too large for a float")
        return score_json(item)

    monkeypatch.setattr(cli, "score_json", fragile)
    monkeypatch.setattr(
        "sys.stdin", io.StringIO(json.dumps([dict(example_json, core_set="boom"), example_json]))
    )
    assert main(["score", "--compact"]) == 1
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out[0]["error"]["type"] == "InternalError"
    assert "OverflowError" in out[0]["error"]["message"]
    assert out[1] == score_json(example_json)
    assert "Traceback" not in captured.err


def test_an_unexpected_exception_in_a_chunk_fails_only_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    real = csv_stream.score_many

    def fragile(columns: Any, **keywords: Any) -> Any:
        if "P1" in list(columns.get("id", [])):
            raise OverflowError("boom")
        return real(columns, **keywords)

    monkeypatch.setattr(csv_stream, "score_many", fragile)
    src = tmp_path / "in.csv"
    src.write_text(cohort(3))
    assert main(["score", "--csv", str(src), *FLAGS]) == 1
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [row[0] for row in rows[1:]] == ["P0", "P1", "P2"]
    assert rows[1][-1] == "" and rows[3][-1] == ""
    assert rows[2][-1].startswith("internal error (OverflowError: boom)")
    assert rows[2][1] == ""  # no score shown for the row


def test_an_unexpected_exception_elsewhere_is_one_line_and_exit_70(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    from myoresponse.io import cli

    def broken() -> str:
        raise RuntimeError("schema missing")

    monkeypatch.setattr(cli, "schema_text", broken)
    out = tmp_path / "schema.json"
    assert main(["schema", "-o", str(out)]) == cli.EXIT_SOFTWARE == 70
    err = capsys.readouterr().err
    assert err.startswith("myoresponse: internal error (RuntimeError: schema missing)")
    assert len(err.splitlines()) == 1 and not out.exists()
