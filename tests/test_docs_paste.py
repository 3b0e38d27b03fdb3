"""The examples of the narrative pages can be pasted: each page runs from a fresh session.

The documentation build runs every example with shared imports (``doctest_global_setup``), which
can hide a missing import. Here each page's examples run in order in an empty namespace, as a
reader pasting them into a new Python session would.
"""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = [
    "getting-started",
    "how-it-works",
    "open-points",
    "paper-or-trial",
    "endpoints",
    "embedding",
]


@pytest.mark.parametrize("page", PAGES)
def test_page_examples_run_from_a_fresh_session(page: str) -> None:
    failures, tried = doctest.testfile(
        str(DOCS / f"{page}.rst"),
        module_relative=False,
        globs={},
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS,
    )
    assert tried > 0
    assert failures == 0
