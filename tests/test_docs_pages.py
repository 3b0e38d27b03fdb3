"""The doctest blocks of the instruments and registry-exports pages run and print what they say.

``sphinx-build -b doctest`` runs them too (CI); this keeps a plain ``pytest`` honest about them.
"""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.parametrize(
    ("page", "at_least"), [("instruments.rst", 15), ("registry-exports.rst", 8)]
)
def test_page_examples(page: str, at_least: int) -> None:
    pytest.importorskip("pandas")
    failures, tried = doctest.testfile(
        str(DOCS / page),
        module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS,
    )
    assert tried >= at_least
    assert failures == 0
