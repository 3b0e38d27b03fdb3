"""mypy checks tests/typing/tables.py: the table functions' return types follow their input
(overloads), and ``Visit`` takes numbers. Skipped without mypy and pandas-stubs (the ``dev``
extra); CI runs it after installing the extras."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

CHECK = Path(__file__).resolve().parent / "typing" / "tables.py"


def test_table_return_types_follow_the_input() -> None:
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed (the dev extra)")
    try:
        importlib.metadata.version("pandas-stubs")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("pandas-stubs is not installed (the dev extra)")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--warn-unused-ignores", str(CHECK)],
        capture_output=True,
        text=True,
        cwd=CHECK.parent.parent.parent,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
