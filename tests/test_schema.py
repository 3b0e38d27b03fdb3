"""The shipped JSON Schema describes the assessment, result and error objects, and only them."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from myoresponse import MyoresponseError, score_json
from myoresponse.io.cli import example_assessment, schema_text
from myoresponse.io.json import error_to_json

SCHEMA = json.loads(schema_text())


def _validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({"$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{name}"})


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def _as_json(value: Any) -> Any:
    return json.loads(json.dumps(value, default=float))


def test_example_assessment_and_result_validate() -> None:
    assessment = example_assessment()
    _validator("assessment").validate(_as_json(assessment))
    result = score_json(assessment)
    _validator("result").validate(result)
    _validator("output").validate(result)
    jsonschema.validate(_as_json(assessment), SCHEMA)  # the document's own entry point: input


vas = st.integers(0, 100).map(lambda k: k / 10)


@settings(max_examples=60, deadline=None)
@given(
    population=st.sampled_from(["adult", "juvenile"]),
    values=st.lists(vas, min_size=6, max_size=6),
    mmt=st.tuples(st.integers(0, 80), st.integers(0, 80)),
    ck=st.tuples(st.integers(0, 4000), st.integers(0, 4000)),
    missing=st.sampled_from(["error", "zero"]),
    drop=st.booleans(),
    options=st.fixed_dictionaries(
        {
            "band_edges": st.sampled_from(["upper-inclusive", "lower-inclusive"]),
            "enzyme_rule": st.sampled_from(["range", "relative"]),
        }
    ),
)
def test_score_json_outputs_validate(
    population: str,
    values: list[float],
    mmt: tuple[int, int],
    ck: tuple[int, int],
    missing: str,
    drop: bool,
    options: dict[str, str],
) -> None:
    function = "haq" if population == "adult" else "chaq"
    baseline = {
        "physician_global": values[0],
        "patient_global": values[1],
        "mmt": mmt[0],
        function: min(values[2], 3.0),
        "enzymes": {"CK": ck[0]},
        "extramuscular": values[3],
    }
    followup = {
        "physician_global": values[4],
        "patient_global": values[5],
        "mmt": mmt[1],
        function: min(values[3], 3.0),
        "enzymes": {"CK": ck[1]},
    }
    if not drop:
        followup["extramuscular"] = values[0]
    assessment = {
        "population": population,
        "scales": {"mmt_max": 80, "enzyme_uln": {"CK": 200}},
        "options": {**options, "missing": missing},
        "baseline": baseline,
        "followup": followup,
    }
    _validator("assessment").validate(assessment)
    try:
        result = score_json(assessment)
    except MyoresponseError as error:
        _validator("error").validate(error_to_json(error))
        return
    _validator("result").validate(result)


@pytest.mark.parametrize(
    "breakage",
    [
        lambda r: r.pop("category"),
        lambda r: r.update(category="huge"),
        lambda r: r.update(total_improvement_score=101.0),
        lambda r: r["measures"][0].update(points=3.0),
        lambda r: r.update(extra=1),
        lambda r: r["enzyme"].update(name="CPK"),
    ],
)
def test_schema_rejects_a_broken_result(breakage: Any) -> None:
    result = score_json(example_assessment())
    broken = copy.deepcopy(result)
    breakage(broken)
    with pytest.raises(jsonschema.ValidationError):
        _validator("result").validate(broken)


def test_schema_rejects_a_broken_assessment() -> None:
    assessment = _as_json(example_assessment())
    assessment["baseline"]["mmt"] = -1
    with pytest.raises(jsonschema.ValidationError):
        _validator("assessment").validate(assessment)
    del assessment["population"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(assessment, SCHEMA)


def test_series_and_series_result_validate() -> None:
    from myoresponse import score_series_json
    from tests.test_series import worked_json

    document = worked_json()
    document["subtype"] = "IMNM"
    document["endpoints"] = {"level": "moderate", "consecutive": 2}
    _validator("series").validate(_as_json(document))
    with pytest.warns(UserWarning):
        result = score_series_json(document)
    _validator("series_result").validate(result)
    jsonschema.validate([_as_json(document)], SCHEMA)
    _validator("output").validate([result])
    broken = copy.deepcopy(result)
    broken["endpoints"]["consecutive_response"]["met"] = "yes"
    with pytest.raises(jsonschema.ValidationError):
        _validator("series_result").validate(broken)


def test_instrument_shapes_and_steroids_validate() -> None:
    assessment = _as_json(example_assessment())
    del assessment["baseline"]["mmt"], assessment["baseline"]["haq"]
    grades = {
        "neck_flexors": 8,
        **{
            m: {"right": 9, "left": 9}
            for m in (
                "deltoid",
                "biceps",
                "wrist_extensors",
                "gluteus_maximus",
                "gluteus_medius",
                "quadriceps",
                "ankle_dorsiflexors",
            )
        },
    }
    assessment["baseline"]["mmt8"] = {"protocol": "bilateral", "grades": grades, "prorate": False}
    assessment["baseline"]["haq_answers"] = {
        "items": {
            "dress": 1,
            "shampoo": 2,
            "stand_up": 1,
            "in_out_of_bed": 1,
            "cut_meat": 1,
            "lift_cup": 1,
            "open_milk_carton": 1,
            "walk_outdoors": 2,
            "climb_steps": 2,
            "wash_and_dry": 0,
            "reach_overhead": 1,
        },
        "aids": ["walking"],
    }
    assessment["followup"]["steroids"] = [{"drug": "prednisone", "dose_mg": 10}]
    assessment["baseline"]["steroids"] = [
        {"drug": "methylprednisolone", "dose_mg": 16, "frequency": "twice daily"}
    ]
    _validator("assessment").validate(assessment)
    result = score_json(assessment)
    _validator("result").validate(result)
    haq = result["measures"][3]
    assert haq["baseline"] == 7 / 6  # (2 + 1 + 1 + 2 + 0 + 1) / 6 answered categories
    assert result["measures"][2]["baseline"] == 8 + 7 * 18  # bilateral MMT-8 sheet
    assert result["prednisone_equivalent_mg_per_day"] == {"baseline": 40.0, "followup": 10.0}
    bad = copy.deepcopy(assessment)
    bad["baseline"]["mmt8"]["grades"]["neck_flexors"] = 11
    with pytest.raises(jsonschema.ValidationError):
        _validator("assessment").validate(bad)
    with pytest.raises(MyoresponseError):
        score_json(bad)
