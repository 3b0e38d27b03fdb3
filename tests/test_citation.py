"""CITATION.cff names the version that results report, so a citation and a result agree."""

from __future__ import annotations

import re
from pathlib import Path

import myoresponse

CITATION = Path(__file__).resolve().parent.parent / "CITATION.cff"


def test_citation_version_is_the_package_version() -> None:
    text = CITATION.read_text(encoding="utf-8")
    versions = re.findall(r'^version:\s*"?([^"\n]+)"?\s*$', text, flags=re.MULTILINE)
    assert versions == [myoresponse.__version__]


def test_citation_cites_both_criteria_papers_by_doi() -> None:
    text = CITATION.read_text(encoding="utf-8")
    assert "doi: 10.1002/art.40064" in text  # adult DM/PM
    assert "doi: 10.1002/art.40060" in text  # JDM
    assert text.startswith("# Citation File Format") and "cff-version: 1.2.0" in text
