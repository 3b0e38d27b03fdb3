"""Under ``missing="zero"`` a row missing a *required* measure is still an error, on every path.

Physician global activity and muscle strength (MMT; CMAS on the PRINTO core set) stay required
when other missing measures score 0 points. These are fast example tests of what the cohort
property tests cover only by chance.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from myoresponse import MissingMeasureError, Options, Scales, Visit, score, score_json, score_many

ADULT = {"physician_global": 6, "patient_global": 7, "mmt": 110, "haq": 1.5, "extramuscular": 4}
AFTER = {"physician_global": 2, "patient_global": 4.5, "mmt": 131, "haq": 0.875, "extramuscular": 1}


def without(values: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k != key}


@pytest.mark.parametrize("key", ["physician_global", "mmt"])
def test_a_required_measure_is_an_error_under_missing_zero(key: str) -> None:
    with pytest.raises(MissingMeasureError) as raised:
        score(
            Visit(**without(ADULT, key), enzymes={"CK": 2400}),
            Visit(**without(AFTER, key), enzymes={"CK": 310}),
            population="adult",
            scales=Scales(mmt_max=150, enzyme_uln={"CK": 200}),
            options=Options(missing="zero"),
        )
    assert raised.value.field == f"baseline.{key}"
    assert "required even under missing='zero'" in raised.value.reason


def test_an_optional_measure_is_scored_zero_in_the_same_rows() -> None:  # the control
    result = score(
        Visit(**without(ADULT, "haq"), enzymes={"CK": 2400}),
        Visit(**without(AFTER, "haq"), enzymes={"CK": 310}),
        population="adult",
        scales=Scales(mmt_max=150, enzyme_uln={"CK": 200}),
        options=Options(missing="zero"),
    )
    assert result.partial and result.missing == ("haq",)
    assert result.measure("haq").points == 0


def test_cohort_rows_missing_a_required_measure_are_errors_and_the_rest_score() -> None:
    nan = np.nan
    columns = {
        # row 0 complete; row 1 no physician global; row 2 no MMT at follow-up; row 3 no HAQ
        "baseline_physician_global": np.array([6.0, nan, 6.0, 6.0]),
        "followup_physician_global": np.array([2.0, nan, 2.0, 2.0]),
        "baseline_patient_global": np.array([7.0, 7.0, 7.0, 7.0]),
        "followup_patient_global": np.array([4.5, 4.5, 4.5, 4.5]),
        "baseline_mmt": np.array([110.0, 110.0, 110.0, 110.0]),
        "followup_mmt": np.array([131.0, 131.0, nan, 131.0]),
        "baseline_haq": np.array([1.5, 1.5, 1.5, nan]),
        "followup_haq": np.array([0.875, 0.875, 0.875, nan]),
        "baseline_ck": np.array([2400.0] * 4),
        "followup_ck": np.array([310.0] * 4),
        "uln_ck": np.array([200.0] * 4),
        "baseline_extramuscular": np.array([4.0] * 4),
        "followup_extramuscular": np.array([1.5] * 4),
    }
    out = score_many(columns, population="adult", mmt_max=150, missing="zero")
    assert out["total_improvement_score"].tolist()[0] == 70.0
    assert out["total_improvement_score"].tolist()[3] == 62.5 and bool(out["partial"][3])
    assert out["error"][0] == "" and out["error"][3] == ""
    assert out["error"][1].startswith("baseline_physician_global: is required even under")
    assert out["error"][2].startswith("followup_mmt: is required even under")
    assert np.isnan(out["total_improvement_score"][1:3]).all()
    assert out["category"][1] == "" and out["category"][2] == ""


def test_json_names_the_required_measure() -> None:
    doc = {
        "population": "juvenile",
        "core_set": "printo",
        "scales": {"chq_phs_range": [0, 100]},
        "options": {"missing": "zero"},
        "baseline": {"physician_global": 5, "patient_global": 5, "chaq": 1, "chq_phs": 40},
        "followup": {"physician_global": 3, "patient_global": 4, "chaq": 1, "chq_phs": 45},
    }
    with pytest.raises(MissingMeasureError) as raised:
        score_json(doc)
    assert raised.value.field == "baseline.cmas"


def test_direction_of_a_change() -> None:  # the public classmethod, beside the engine's table
    from fractions import Fraction

    from myoresponse import Direction

    assert Direction.of(Fraction(1, 10**9)) is Direction.IMPROVED
    assert Direction.of(Fraction(0)) is Direction.UNCHANGED
    assert Direction.of(Fraction(-1, 10**9)) is Direction.WORSENED
    unchanged = score(
        Visit(**ADULT, enzymes={"CK": 2400}),
        Visit(**ADULT, enzymes={"CK": 2400}),
        population="adult",
        scales=Scales(mmt_max=150, enzyme_uln={"CK": 200}),
    )
    assert {m.direction for m in unchanged.measures} == {Direction.UNCHANGED}
    assert unchanged.worsened == () and unchanged.total_improvement_score == 0
