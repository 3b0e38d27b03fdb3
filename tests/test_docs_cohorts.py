"""The examples of docs/cohorts.rst run and print what the page says."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parent.parent / "docs" / "cohorts.rst"


def test_cohorts_page_examples() -> None:
    pytest.importorskip("pandas")
    failures, tried = doctest.testfile(
        str(PAGE),
        module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS,
    )
    assert tried > 10
    assert failures == 0
