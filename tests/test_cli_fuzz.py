"""Fuzz tests of the edge: hostile JSON and CSV through the Python APIs and the command line.

Promises checked on every generated input:

- the Python APIs (score_json, score_series_json, score_many) raise nothing but the library's
  own :class:`~myoresponse.MyoresponseError`;
- the command line exits with 0, 1, 2, 64 or 130 and never prints a traceback;
- output length and order equal the input's (items, rows, visit rows);
- every item/row/patient that scores equals scoring it alone.

The example count is modest for CI; set MYORESPONSE_FUZZ_EXAMPLES for a longer run, e.g.
``MYORESPONSE_FUZZ_EXAMPLES=2000 pytest tests/test_cli_fuzz.py``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myoresponse import MyoresponseError, score_json, score_series_json
from myoresponse.io.cli import main
from myoresponse.tables.pairs import MEASURE_COLUMNS, score_many

EXAMPLES = int(os.environ.get("MYORESPONSE_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
EXITS = {0, 1, 2, 64, 130}

KEYS = [
    "population",
    "core_set",
    "subtype",
    "scales",
    "options",
    "baseline",
    "followup",
    "visits",
    "endpoints",
    "id",
    "physician_global",
    "patient_global",
    "mmt",
    "haq",
    "chaq",
    "extramuscular",
    "enzymes",
    "enzyme",
    "mmt_max",
    "global_max",
    "enzyme_uln",
    "missing",
    "label",
    "date",
    "CK",
    "AST",
    "name",
    "value",
]
WORDS = ["adult", "juvenile", "imacs", "printo", "zero", "error", "CK", "DM", "IMNM", "2024-01-05"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.sampled_from([math.nan, math.inf, -math.inf, 1e-300, 1e300]),
    st.sampled_from(WORDS),
    st.text(max_size=6),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=10,
)


def base_assessment() -> dict[str, Any]:
    return {
        "population": "adult",
        "scales": {"mmt_max": 150, "enzyme_uln": {"CK": 200}},
        "options": {"missing": "zero"},
        "baseline": {"physician_global": 6, "patient_global": 7, "mmt": 110, "enzymes": {"CK": 9}},
        "followup": {"physician_global": 2, "patient_global": 4, "mmt": 131, "enzymes": {"CK": 3}},
    }


def base_series() -> dict[str, Any]:
    return {
        "population": "adult",
        "scales": {"mmt_max": 150},
        "options": {"missing": "zero"},
        "baseline": {"physician_global": 6, "mmt": 110},
        "visits": [
            {"label": "week 4", "physician_global": 3, "mmt": 120},
            {"label": "week 8", "physician_global": 2, "mmt": 131},
        ],
    }


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> Any:
    """``base`` with a few values replaced, added or removed at random places (or junk)."""
    if draw(st.integers(0, 9)) == 0:
        return draw(values)
    item = json.loads(json.dumps(base))
    for _ in range(draw(st.integers(0, 3))):
        node = item
        while True:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            child = node[key]
            if isinstance(child, dict | list) and child and draw(st.booleans()):
                node = child
                continue
            action = draw(st.integers(0, 4))
            if action == 0 and isinstance(node, dict):
                del node[key]
            elif action == 1 and isinstance(node, dict):
                node[draw(st.sampled_from(KEYS))] = draw(values)
            else:
                node[key] = draw(values)
            break
    if draw(st.integers(0, 4)) == 0 and isinstance(item, dict):
        item["id"] = draw(st.one_of(st.text(max_size=5), st.integers(), st.none(), st.booleans()))
    return item


def library_only(call: Any, *args: Any, **kwargs: Any) -> Any:
    """Call; a MyoresponseError is an answer (returned), any other exception fails the test."""
    try:
        return call(*args, **kwargs)
    except MyoresponseError as error:
        return error


# -- Python APIs ------------------------------------------------------------------------------


@FUZZ
@given(mutated(base_assessment()))
def test_score_json_raises_only_its_own_errors(item: Any) -> None:
    library_only(score_json, item)


@FUZZ
@given(mutated(base_series()))
def test_score_series_json_raises_only_its_own_errors(item: Any) -> None:
    library_only(score_series_json, item)


cells = st.one_of(
    st.sampled_from(["", "NA", "nan", "0", "1", "2.5", "10", "60", "131", "150", "200", "-1"]),
    st.decimals(min_value=-1000, max_value=10_000, places=3).map(str),
    st.text(max_size=5),
    st.none(),
    st.floats(min_value=-1e6, max_value=1e6),
    st.integers(-(10**6), 10**6),
)
PAIR_COLUMNS = ["id", "population", "mmt_max", *MEASURE_COLUMNS[:8], "baseline_ck", "followup_ck"]


@st.composite
def pair_tables(draw: st.DrawFn) -> dict[str, list[Any]]:
    names = draw(st.lists(st.sampled_from(PAIR_COLUMNS[1:]), min_size=1, max_size=8, unique=True))
    rows = draw(st.integers(1, 6))
    table = {"id": [f"R{n}" for n in range(rows)]}
    for name in names:
        table[name] = draw(st.lists(cells, min_size=rows, max_size=rows))
    return table


def row_of(table: dict[str, list[Any]], row: int) -> dict[str, list[Any]]:
    return {name: column[row : row + 1] for name, column in table.items()}


def same(a: Any, b: Any) -> bool:
    a, b = (x.item() if isinstance(x, np.generic) else x for x in (a, b))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


@FUZZ
@given(pair_tables(), st.sampled_from(["error", "zero"]))
def test_score_many_rows_equal_each_row_alone(table: dict[str, list[Any]], missing: str) -> None:
    keywords = {"population": "adult", "mmt_max": 150, "missing": missing}
    out = library_only(score_many, table, **keywords)
    if isinstance(out, MyoresponseError):
        return
    size = len(table["id"])
    assert all(len(column) == size for column in out.values())
    assert list(out["id"]) == table["id"]
    for row in range(size):
        alone = score_many(row_of(table, row), **keywords)
        assert (out["error"][row] == "") == (alone["error"][0] == "")
        if out["error"][row] == "":  # a valid row; error texts may show a cell per its column
            for name, column in out.items():
                assert same(column[row], alone[name][0]), (name, row)


# -- the command line, in-process ---------------------------------------------------------------


@contextlib.contextmanager
def console(stdin: str) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            yield out, err
    finally:
        sys.stdin = saved


def run_main(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    with console(stdin) as (out, err):
        status = main(argv)
    assert status in EXITS, (status, err.getvalue())
    assert "Traceback" not in err.getvalue()
    assert "internal error" not in err.getvalue()  # a defect answered in place: still a failure
    return status, out.getvalue(), err.getvalue()


def json_text(document: Any) -> str:
    return json.dumps(document)  # NaN/Infinity become the non-standard tokens, as in Python


@FUZZ
@given(
    st.sampled_from(["score", "series"]).flatmap(
        lambda command: st.tuples(
            st.just(command),
            st.lists(
                mutated(base_assessment() if command == "score" else base_series()),
                min_size=1,
                max_size=4,
            ),
        )
    )
)
def test_json_command_answers_every_item_in_order(case: tuple[str, list[Any]]) -> None:
    command, items = case
    status, out, _ = run_main([command, "--compact"], json_text(items))
    if status == 2:  # only a document that is unreadable as a whole
        return
    outputs = json.loads(out)
    assert len(outputs) == len(items)
    for item, output in zip(items, outputs, strict=True):
        alone_status, alone, _ = run_main([command, "--compact"], json_text([item]))
        assert alone_status in (0, 1)
        assert json.loads(alone) == [output]
        assert ("error" in output) == (alone_status == 1)


@FUZZ
@given(st.lists(mutated(base_assessment()), min_size=1, max_size=4))
def test_jsonl_answers_every_line_in_order(items: list[Any]) -> None:
    text = "".join(json_text(item) + "\n" for item in items)
    status, out, _ = run_main(["score", "--jsonl"], text)
    assert status in (0, 1)
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == len(items)
    for item, line in zip(items, lines, strict=True):
        _, alone, _ = run_main(["score", "--compact"], json_text([item]))
        assert json.loads(alone) == [line]


csv_cells = st.one_of(
    st.sampled_from(["", "NA", "6", "2", "110", "131", "150", "2.5", "-1", "x", "1e3", " 7 "]),
    st.decimals(min_value=0, max_value=200, places=2).map(str),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=4),
)
CSV_COLUMNS = [
    "baseline_physician_global",
    "followup_physician_global",
    "baseline_mmt",
    "followup_mmt",
    "baseline_patient_global",
    "followup_patient_global",
    "population",
    "mmt_max",
    "notes",
]


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    names = ["id", *draw(st.lists(st.sampled_from(CSV_COLUMNS), min_size=1, unique=True))]
    rows = []
    for n in range(draw(st.integers(1, 8))):
        row = [f"R{n}", *(draw(csv_cells) for _ in names[1:])]
        if draw(st.integers(0, 9)) == 0:  # a ragged row
            row = row[: draw(st.integers(1, len(row)))] + draw(st.lists(csv_cells, max_size=2))
        rows.append(row)
    return names, rows


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    sink = io.StringIO()
    writer = csv.writer(sink, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return sink.getvalue()


def read_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@FUZZ
@given(csv_files(), st.integers(1, 4), st.sampled_from(["error", "zero"]))
def test_csv_command_rows_equal_each_row_alone(
    table: tuple[list[str], list[list[str]]], chunk: int, missing: str
) -> None:
    header, rows = table
    flags = ["--population", "adult", "--mmt-max", "150", "--missing", missing]
    argv = ["score", "--csv", "-", *flags, "--chunk-rows", str(chunk)]
    status, out, _ = run_main(argv, csv_text(header, rows))
    if status in (2, 64):
        return
    written = read_rows(out)
    body = [row for row in rows if row]  # csv.writer writes [] as a blank line: skipped
    assert len(written) == len(body) + 1
    assert [row[0] for row in written[1:]] == [row[0] for row in body]
    for row, output in zip(body, written[1:], strict=True):
        _, alone, _ = run_main(["score", "--csv", "-", *flags], csv_text(header, [row]))
        assert read_rows(alone)[1][:-1] == output[:-1]  # the error's line number may differ


SERIES_COLUMNS = ["physician_global", "mmt", "patient_global", "date", "population", "notes"]


@st.composite
def long_tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    names = ["id", "visit", *draw(st.lists(st.sampled_from(SERIES_COLUMNS), unique=True))]
    rows = []
    for patient in range(draw(st.integers(1, 3))):
        for visit in range(draw(st.integers(1, 4))):
            label = "baseline" if visit == 0 else draw(st.sampled_from([f"week {visit}", "", "0"]))
            rows.append([f"P{patient}", label, *(draw(csv_cells) for _ in names[2:])])
    return names, rows


@FUZZ
@given(long_tables(), st.integers(1, 5))
def test_series_command_patients_equal_each_patient_alone(
    table: tuple[list[str], list[list[str]]], chunk: int
) -> None:
    header, rows = table
    flags = ["--population", "adult", "--mmt-max", "150", "--missing", "zero"]
    argv = ["series", "--csv", "-", *flags, "--chunk-rows", str(chunk)]
    status, out, _ = run_main(argv, csv_text(header, rows))
    if status in (2, 64):
        return
    written = read_rows(out)[1:]
    assert len(written) == len(rows)
    assert [row[1] for row in written] == [row[0] for row in rows]
    for patient in sorted({row[0] for row in rows}):
        mine = [row for row in rows if row[0] == patient]
        _, alone, _ = run_main(["series", "--csv", "-", *flags], csv_text(header, mine))
        together = [row for row in written if row[1] == patient]
        assert strip_lines(read_rows(alone)[1:]) == strip_lines(together)


def strip_lines(rows: list[list[str]]) -> list[list[str]]:
    """Rows without their ``line N`` references (a patient alone starts on line 2)."""
    return [[cell.split(" (line")[0].split("line ")[0] for cell in row] for row in rows]


# -- the command line as a real process: a handful of runs ----------------------------------------


@settings(max_examples=max(3, EXAMPLES // 10), deadline=None, derandomize=True)
@given(st.lists(mutated(base_assessment()), min_size=1, max_size=3), csv_files())
def test_real_processes_never_print_a_traceback(
    items: list[Any], table: tuple[list[str], list[list[str]]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        src = Path(folder) / "in.csv"
        src.write_text(csv_text(*table), encoding="utf-8")
        runs = [
            (["score", "--compact"], json_text(items)),
            (["score", "--csv", str(src), "--population", "adult", "--mmt-max", "150"], ""),
        ]
        for argv, stdin in runs:
            done = subprocess.run(
                [sys.executable, "-m", "myoresponse", *argv],
                input=stdin,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode in EXITS
            assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def test_fuzz_helpers_see_real_differences() -> None:
    assert not same(1.0, 2.0) and not same(np.float64(1.0), 1.5)
    assert same(math.nan, np.float64("nan")) and same(np.str_("a"), "a")
    assert strip_lines([["line 4: has 2 cells", "visit 'b' (line 3): x"]]) == [["", "visit 'b'"]]
