"""Shared builders for tests: a quiet adult/JDM patient whose measures are all unchanged."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import settings

from myoresponse import Options, Result, Scales, Visit, score

settings.register_profile("ci", max_examples=150, deadline=None, derandomize=True)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile("ci")

ULN = {"CK": 200, "AST": 40}
# A patient whose measures stay the same unless a test moves one.
STEADY: dict[str, Any] = {
    "physician_global": 6,
    "patient_global": 6,
    "mmt": 70,
    "haq": Fraction(3, 2),
    "enzymes": {"CK": 2400, "AST": 40},
    "extramuscular": 6,
}


def steady(population: str = "adult", **changes: Any) -> dict[str, Any]:
    values = dict(STEADY)
    if population == "juvenile":
        values["chaq"] = values.pop("haq")
    values.update(changes)
    return values


def score_pair(
    before: dict[str, Any],
    after: dict[str, Any],
    *,
    population: str = "adult",
    scales: Scales | None = None,
    **options: Any,
) -> Result:
    return score(
        Visit(**before),
        Visit(**after),
        population=population,
        scales=scales or Scales(mmt_max=150, enzyme_uln=ULN),
        options=Options(**options),
    )


@pytest.fixture
def example_json() -> dict[str, Any]:
    """The assessment object of interface.md."""
    return {
        "population": "adult",
        "core_set": "imacs",
        "scales": {
            "global_max": 10,
            "mmt_max": 150,
            "enzyme_uln": {"CK": 200, "AST": 40},
            "enzyme_unit": "U/L",
        },
        "options": {"band_edges": "upper-inclusive", "enzyme_rule": "range", "missing": "error"},
        "baseline": {
            "physician_global": 6.0,
            "patient_global": 7.0,
            "mmt": 110,
            "haq": 1.5,
            "enzymes": {"CK": 2400, "AST": 95},
            "extramuscular": 4.0,
        },
        "followup": {
            "physician_global": 2.0,
            "patient_global": 4.5,
            "mmt": 131,
            "haq": 0.875,
            "enzymes": {"CK": 310, "AST": 41},
            "extramuscular": 1.5,
        },
    }


# Units of each measure per 1 % of its range, in the test patient's scales (cm VAS, MMT 0–150,
# HAQ 0–3, CK with range 0 … 15 × ULN 200).
PER_PERCENT = {
    "physician_global": Fraction(10, 100),
    "patient_global": Fraction(10, 100),
    "extramuscular": Fraction(10, 100),
    "mmt": Fraction(150, 100),
    "haq": Fraction(3, 100),
    "chaq": Fraction(3, 100),
    "enzyme": Fraction(15 * 200, 100),
}


def improved(population: str = "adult", **percent: Any) -> dict[str, Any]:
    """The steady patient's follow-up with each named measure improved by ``percent`` of range."""
    after = steady(population)
    for measure, change in percent.items():
        delta = Fraction(change) * PER_PERCENT[measure]
        if measure == "enzyme":
            after["enzymes"] = {"CK": 2400 - delta, "AST": 40}
        elif measure == "mmt":
            after["mmt"] = after["mmt"] + delta
        else:
            after[measure] = after[measure] - delta
    return after
