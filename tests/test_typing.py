"""mypy checks tests/typing/tables.py: the table functions' return types follow their input
(overloads), and ``Visit`` takes numbers. Skipped without mypy and pandas-stubs (the ``dev``
extra) unless ``MYORESPONSE_REQUIRE_TYPING`` is set: ``.ci/run`` sets it after installing the dev
extra, so there it fails instead of skipping."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

CHECK = Path(__file__).resolve().parent / "typing" / "tables.py"


def _missing(reason: str) -> None:
    if os.environ.get("MYORESPONSE_REQUIRE_TYPING"):
        pytest.fail(reason)
    pytest.skip(reason)


def test_table_return_types_follow_the_input() -> None:
    if importlib.util.find_spec("mypy") is None:
        _missing("mypy is not installed (the dev extra)")
    try:
        importlib.metadata.version("pandas-stubs")
    except importlib.metadata.PackageNotFoundError:
        _missing("pandas-stubs is not installed (the dev extra)")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--warn-unused-ignores", str(CHECK)],
        capture_output=True,
        text=True,
        cwd=CHECK.parent.parent.parent,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
