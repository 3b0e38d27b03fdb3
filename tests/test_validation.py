"""Every validation rule of spec §7, and the missing-measure policies of §6.

Each test checks the error type, the field it names and that the message says what is allowed.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from myoresponse import (
    InputFormatError,
    InvalidValueError,
    MissingMeasureError,
    MyoresponseError,
    Options,
    Scales,
    UnknownFieldError,
    Visit,
    score,
    score_json,
)
from tests.conftest import ULN, improved, score_pair, steady


def test_error_hierarchy_is_rooted_in_value_error() -> None:
    for cls in (InvalidValueError, MissingMeasureError, UnknownFieldError, InputFormatError):
        assert issubclass(cls, MyoresponseError)
    assert issubclass(MyoresponseError, ValueError)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (-1, "negative"),
        (float("nan"), "not a finite number"),
        (float("inf"), "not a finite number"),
        (Decimal("NaN"), "not a finite number"),
        ("6", "not a number"),
        ([6], "not a number"),
        (True, "boolean"),
        (complex(1, 1), "not a number"),
    ],
    ids=["negative", "nan", "inf", "decimal-nan", "string", "list", "bool", "complex"],
)
def test_bad_measure_values_are_rejected_at_construction(value: Any, says: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        Visit(physician_global=value)
    assert caught.value.field == "physician_global"
    assert says in str(caught.value)
    assert str(caught.value).startswith("physician_global: ")


@pytest.mark.parametrize(
    ("measure", "value", "scale"),
    [
        ("physician_global", 10.1, "0 to 10"),
        ("patient_global", 11, "0 to 10"),
        ("extramuscular", 10.5, "0 to 10"),
        ("mmt", 151, "0 to 150"),
        ("haq", 3.125, "0 to 3"),
    ],
)
@pytest.mark.parametrize("visit", ["baseline", "followup"])
def test_out_of_range_names_visit_field_and_scale(
    measure: str, value: Any, scale: str, visit: str
) -> None:
    before, after = steady(), steady()
    (before if visit == "baseline" else after)[measure] = value
    with pytest.raises(InvalidValueError) as caught:
        score_pair(before, after)
    assert caught.value.field == f"{visit}.{measure}"
    assert scale in str(caught.value)


def test_top_of_scale_is_allowed() -> None:
    result = score_pair(steady(physician_global=10, mmt=0, haq=3), steady(physician_global=0))
    assert result.measure("physician_global").absolute_percent_change == 100


def test_range_follows_global_max() -> None:
    scales = Scales(global_max=4, mmt_max=150, enzyme_uln=ULN)
    with pytest.raises(InvalidValueError, match=r"outside the scale 0 to 4 \(scales.global_max\)"):
        score_pair(steady(), steady(), scales=scales)  # steady globals are 6


def test_followup_without_baseline() -> None:
    before = steady()
    del before["haq"]
    with pytest.raises(MissingMeasureError) as caught:
        score_pair(before, steady(), missing="zero")
    assert caught.value.field == "baseline.haq"
    assert "followup.haq is given" in str(caught.value)


def test_followup_enzyme_without_baseline() -> None:
    with pytest.raises(MissingMeasureError) as caught:
        score_pair(steady(enzymes={"CK": 2400}), steady(enzymes={"CK": 300, "AST": 40}))
    assert caught.value.field == "baseline.enzymes.AST"


def test_enzyme_without_uln() -> None:
    with pytest.raises(MissingMeasureError) as caught:
        score_pair(steady(), steady(), scales=Scales(mmt_max=150, enzyme_uln={"CK": 200}))
    assert caught.value.field == "scales.enzyme_uln.AST"
    assert "upper limit of normal" in str(caught.value)


@pytest.mark.parametrize("uln", [0, -200, float("nan")])
def test_uln_must_be_positive(uln: float) -> None:
    with pytest.raises(InvalidValueError) as caught:
        Scales(enzyme_uln={"CK": uln})
    assert caught.value.field == "scales.enzyme_uln.CK"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"global_max": 0}, "scales.global_max"),
        ({"global_max": -10}, "scales.global_max"),
        ({"mmt_max": 0}, "scales.mmt_max"),
        ({"mmt_max": True}, "scales.mmt_max"),
        ({"enzyme_unit": "mg/dL"}, "scales.enzyme_unit"),
        ({"enzyme": "troponin"}, "scales.enzyme"),
        ({"enzyme_uln": {"troponin": 5}}, "scales.enzyme_uln.troponin"),
        ({"enzyme_uln": {"CK": 200, "ck": 180}}, "scales.enzyme_uln.CK"),
        ({"enzyme_uln": [("CK", 200)]}, "scales.enzyme_uln"),
        ({"chq_phs_range": [50, 10]}, "scales.chq_phs_range"),
        ({"chq_phs_range": [10]}, "scales.chq_phs_range"),
    ],
)
def test_bad_scales(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(MyoresponseError) as caught:
        Scales(**kwargs)
    assert caught.value.field == field


def test_mmt_max_is_required_for_mmt() -> None:
    with pytest.raises(MissingMeasureError) as caught:
        score_pair(steady(), steady(), scales=Scales(enzyme_uln=ULN))
    assert caught.value.field == "scales.mmt_max"
    assert "80" in str(caught.value) and "150" in str(caught.value)


@pytest.mark.parametrize(
    ("population", "key", "value"),
    [
        ("adult", "chaq", 1),
        ("adult", "cmas", 30),
        ("adult", "das", 5),
        ("juvenile", "haq", 1),
        ("juvenile", "chq_phs", 40),
    ],
)
def test_key_of_another_population_or_core_set(population: str, key: str, value: Any) -> None:
    before = steady(population, **{key: value})
    with pytest.raises(UnknownFieldError) as caught:
        score_pair(before, steady(population), population=population)
    assert caught.value.field == f"baseline.{key}"
    assert "allowed:" in str(caught.value)


def test_unknown_enzyme_name() -> None:
    with pytest.raises(UnknownFieldError) as caught:
        Visit(enzymes={"troponin": 5})
    assert caught.value.field == "enzymes.troponin"
    assert "CK, aldolase, AST, ALT, LDH" in str(caught.value)


def test_unknown_keyword_is_a_type_error_in_python() -> None:
    # The typed API follows Python: a misspelt keyword is a programming error.
    with pytest.raises(TypeError):
        Visit(physician_globl=5)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"band_edges": "inclusive"}, "options.band_edges"),
        ({"enzyme_rule": "ratio"}, "options.enzyme_rule"),
        ({"missing": "impute"}, "options.missing"),
        ({"enzyme_range_multiples": {"CK": 0}}, "options.enzyme_range_multiples.CK"),
    ],
)
def test_bad_options(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        Options(**kwargs)
    assert caught.value.field == field


def test_bad_population_and_core_set() -> None:
    with pytest.raises(InvalidValueError, match="'adult', 'juvenile'"):
        score(Visit(), Visit(), population="child")
    with pytest.raises(InvalidValueError) as caught:
        score(Visit(), Visit(), population="adult", core_set="printo")
    assert caught.value.field == "core_set"


def test_relative_rule_with_zero_baseline_enzyme() -> None:
    with pytest.raises(InvalidValueError) as caught:
        score_pair(
            steady(enzymes={"CK": 0}),
            steady(enzymes={"CK": 0}),
            scales=Scales(mmt_max=150, enzyme_uln={"CK": 200}),
            enzyme_rule="relative",
        )
    assert caught.value.field == "baseline.enzymes.CK"


# -- missing measures (spec §6) ----------------------------------------------------------------


def test_missing_error_policy_lists_all_missing() -> None:
    after = improved(physician_global=45)
    del after["haq"], after["extramuscular"]
    with pytest.raises(MissingMeasureError) as caught:
        score_pair(steady(), after)
    assert caught.value.field == "followup.haq"
    assert "followup.haq, followup.extramuscular" in str(caught.value)
    assert "missing='zero'" in str(caught.value)


def test_missing_zero_policy_scores_zero_and_marks_partial() -> None:
    before, after = steady(), improved(physician_global=45, haq=50, mmt=35)
    del before["haq"], after["haq"], after["patient_global"]
    result = score_pair(before, after, missing="zero")
    assert result.missing == ("patient_global", "haq")
    assert result.partial is True
    assert result.measure("haq").points == 0
    assert result.measure("haq").absolute_percent_change is None
    assert result.total_improvement_score == 20 + Fraction("32.5")
    as_json = result.to_dict()
    assert as_json["partial"] is True and as_json["missing"] == ["patient_global", "haq"]
    haq = as_json["measures"][3]
    assert haq == {
        "measure": "haq",
        "baseline": None,
        "followup": None,
        "absolute_percent_change": None,
        "direction": None,
        "points": 0.0,
        "max_points": 10.0,
    }


def test_missing_enzyme_at_followup_is_not_replaced_by_another() -> None:
    # CK is the most abnormal at baseline; its follow-up is missing. AST must not stand in.
    result = score_pair(
        steady(enzymes={"CK": 2400, "AST": 80}),
        steady(enzymes={"AST": 40}),
        missing="zero",
    )
    assert result.missing == ("enzyme",)
    assert result.enzyme is not None and result.enzyme.name.value == "CK"


@pytest.mark.parametrize("required", ["physician_global", "mmt"])
def test_physician_global_and_mmt_stay_required_under_zero(required: str) -> None:
    before, after = steady(), steady()
    del before[required], after[required]
    with pytest.raises(MissingMeasureError) as caught:
        score_pair(before, after, missing="zero")
    assert caught.value.field == f"baseline.{required}"
    assert "required even under missing='zero'" in str(caught.value)


# -- the JSON form ----------------------------------------------------------------------------


def base_json() -> dict[str, Any]:
    return {
        "population": "adult",
        "scales": {"mmt_max": 150, "enzyme_uln": {"CK": 200}},
        "baseline": {
            "physician_global": 6,
            "patient_global": 6,
            "mmt": 70,
            "haq": 1.5,
            "enzymes": {"CK": 2400},
            "extramuscular": 6,
        },
        "followup": {
            "physician_global": 4,
            "patient_global": 6,
            "mmt": 80,
            "haq": 1.5,
            "enzymes": {"CK": 2400},
            "extramuscular": 6,
        },
    }


@pytest.mark.parametrize(
    ("mutate", "error", "field"),
    [
        (lambda d: d.pop("population"), InputFormatError, "population"),
        (lambda d: d.update(population="adults"), InvalidValueError, "population"),
        (lambda d: d.update(colour="red"), UnknownFieldError, "colour"),
        (lambda d: d["scales"].update(mmt_maximum=80), UnknownFieldError, "scales.mmt_maximum"),
        (lambda d: d.update(options={"edges": "x"}), UnknownFieldError, "options.edges"),
        (lambda d: d.update(baseline=[1, 2]), InputFormatError, "baseline"),
        (lambda d: d["baseline"].update(mmt="70"), InvalidValueError, "baseline.mmt"),
        (lambda d: d["followup"].update(haq=True), InvalidValueError, "followup.haq"),
        (lambda d: d["followup"].update(hq=1), UnknownFieldError, "followup.hq"),
        (lambda d: d["baseline"].update(chaq=1), UnknownFieldError, "baseline.chaq"),
        (
            lambda d: d["followup"].update(enzymes={"CK": -1}),
            InvalidValueError,
            "followup.enzymes.CK",
        ),
        (
            lambda d: d["baseline"].update(enzymes=None, enzyme={"name": "CK"}),
            InputFormatError,
            "baseline.enzyme",
        ),
        (lambda d: d.update(scales=5), InputFormatError, "scales"),
    ],
)
def test_json_errors_name_the_field(mutate: Any, error: type, field: str) -> None:
    doc = base_json()
    mutate(doc)
    with pytest.raises(error) as caught:
        score_json(doc)
    assert caught.value.field == field  # type: ignore[attr-defined]


def test_json_not_an_object() -> None:
    with pytest.raises(InputFormatError, match="must be an object, got array"):
        score_json([1, 2])  # type: ignore[arg-type]


def test_json_direct_enzyme_pins_it() -> None:
    doc = base_json()
    doc["scales"]["enzyme_uln"] = {"CK": 200, "AST": 40}
    doc["baseline"]["enzymes"] = {"CK": 2400, "AST": 400}  # AST is 10 × ULN, CK 12 ×
    doc["followup"]["enzymes"] = {"CK": 1200, "AST": 40}
    chosen = score_json(doc)["enzyme"]["name"]
    assert chosen == "CK"
    for visit, value in (("baseline", 400), ("followup", 40)):
        doc[visit].pop("enzymes")
        doc[visit]["enzyme"] = {"name": "ast", "value": value}
    assert score_json(doc)["enzyme"]["name"] == "AST"
    doc["followup"]["enzyme"] = {"name": "CK", "value": 1200}
    with pytest.raises(InputFormatError, match="same enzyme"):
        score_json(doc)


def test_json_nan_value_is_rejected() -> None:
    doc = base_json()
    doc["baseline"]["haq"] = math.nan
    with pytest.raises(InvalidValueError) as caught:
        score_json(doc)
    assert caught.value.field == "baseline.haq"


def test_numpy_scalars_are_read_at_their_decimal_value() -> None:
    import numpy as np

    visit = Visit(physician_global=np.float32(2.2), patient_global=np.float64(0.7), mmt=np.int64(5))
    assert visit.physician_global == Fraction(11, 5)
    assert visit.patient_global == Fraction(7, 10)
    assert visit.mmt == 5
    with pytest.raises(InvalidValueError, match="not a finite number"):
        Visit(haq=np.float32("nan"))


def test_score_needs_visit_objects() -> None:
    with pytest.raises(InputFormatError) as caught:
        score({"mmt": 5}, Visit(), population="adult")  # type: ignore[arg-type]
    assert caught.value.field == "baseline"
    assert "Visit" in str(caught.value)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("-1.5"), "-1.5 is negative"),
        (-1.5, "-1.5 is negative"),
        (np.float64(-1.5), "-1.5 is negative"),
        (np.float32(-2.2), "-2.2 is negative"),
        (np.int64(-3), "-3 is negative"),
        (True, "true is a boolean"),
        (np.False_, "false is not a number"),
    ],
)
def test_messages_show_values_as_written(value: object, shown: str) -> None:
    # Issue 12 item 12: never Decimal('-1.5'), np.float64(-1.5) or Python's True in a message.
    with pytest.raises(MyoresponseError) as caught:
        Visit(physician_global=value)
    assert str(caught.value).startswith(f"physician_global: {shown}")
    assert "Decimal(" not in str(caught.value) and "np." not in str(caught.value)
