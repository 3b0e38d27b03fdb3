"""The JSON seam: keys read from the classes' signatures, one documented order of checks.

Pins the exact unknown-key messages of every JSON object (their allowed lists used to be kept by
hand) and the order in which :func:`myoresponse.scoring.build_assessment` reports the first
problem of an assessment (issue 9 item 1).
"""

from __future__ import annotations

from typing import Any

import pytest

from myoresponse import (
    InputFormatError,
    InvalidValueError,
    MissingMeasureError,
    MyoresponseError,
    UnknownFieldError,
    assessment_from_json,
    score_json,
    score_series_json,
)
from myoresponse.io._reading import keys_of, structure
from myoresponse.options import DEFAULT_OPTIONS
from myoresponse.scoring import build_assessment, evaluate

VISIT = (
    "physician_global, patient_global, mmt, haq, chaq, extramuscular, enzymes, cmas, chq_phs, "
    "das, enzyme, enzyme_unit, mmt8, haq_answers, chaq_answers, steroids"
)
HEADER = "population, core_set, subtype, scales, options"


def minimal(**top: Any) -> dict[str, Any]:
    return {"population": "adult", "baseline": {}, "followup": {}, **top}


@pytest.mark.parametrize(
    ("doc", "field", "allowed"),
    [
        (minimal(x=1), "x", f"{HEADER}, baseline, followup"),
        (
            minimal(scales={"x": 1}),
            "scales.x",
            "global_max, mmt_max, enzyme_uln, enzyme_unit, enzyme, chq_phs_range",
        ),
        (
            minimal(options={"x": 1}),
            "options.x",
            "band_edges, enzyme_rule, missing, enzyme_range_multiples",
        ),
        (minimal(baseline={"x": 1}), "baseline.x", VISIT),
        (minimal(followup={"enzyme": {"x": 1}}), "followup.enzyme.x", "name, value"),
    ],
)
def test_unknown_keys_of_an_assessment(doc: dict[str, Any], field: str, allowed: str) -> None:
    with pytest.raises(UnknownFieldError) as caught:
        score_json(doc)
    key = field.rsplit(".", 1)[-1]
    assert str(caught.value) == f"{field}: {key!r} is not a known key here; allowed: {allowed}"


SERIES: dict[str, Any] = {"population": "adult", "baseline": {}, "visits": []}


@pytest.mark.parametrize(
    ("doc", "field", "allowed"),
    [
        ({**SERIES, "x": 1}, "x", f"{HEADER}, endpoints, baseline, visits"),
        (
            {**SERIES, "endpoints": {"x": 1}},
            "endpoints.x",
            "level, consecutive, deterioration, "
            "landmark, landmark_day, window_days, responder_threshold",
        ),
        (
            {**SERIES, "endpoints": {"deterioration": {"x": 1}}},
            "endpoints.deterioration.x",
            "consecutive, global_cm, strength_percent, measures_percent, measures_count, "
            "percent_of, baseline_zero",
        ),
        ({**SERIES, "visits": [{"x": 1}]}, "visits[0].x", VISIT),
    ],
)
def test_unknown_keys_of_a_series(doc: dict[str, Any], field: str, allowed: str) -> None:
    with pytest.raises(UnknownFieldError) as caught:
        score_series_json(doc)
    key = field.rsplit(".", 1)[-1]
    assert str(caught.value) == f"{field}: {key!r} is not a known key here; allowed: {allowed}"


def test_deterioration_errors_keep_their_fields() -> None:
    doc = {**SERIES, "endpoints": {"deterioration": {"global_cm": 0}}}
    with pytest.raises(InvalidValueError) as caught:
        score_series_json(doc)
    assert caught.value.field == "endpoints.deterioration"
    with pytest.raises(InputFormatError, match="must be an object"):
        score_series_json({**SERIES, "endpoints": {"deterioration": [1]}})


def test_structure_builds_a_class_from_its_object() -> None:
    from myoresponse import Scales

    assert structure(Scales, {"mmt_max": 80}, "scales") == Scales(mmt_max=80)
    assert structure(Scales, None, "scales") == Scales()
    with pytest.raises(InvalidValueError) as caught:
        structure(Scales, {"mmt_max": -1}, "where", prefix="outer")
    assert caught.value.field == "outer.scales.mmt_max"
    assert keys_of(Scales)[:2] == ("global_max", "mmt_max")


# -- the order of checks --------------------------------------------------------------------


def bad(**changes: Any) -> dict[str, Any]:
    keywords: dict[str, Any] = {
        "population": "adult",
        "scales": {"mmt_max": 150},
        "options": {"missing": "zero"},
        "baseline": {"physician_global": 5, "mmt": 100},
        "followup": {"physician_global": 2, "mmt": 120},
    }
    keywords.update(changes)
    return keywords


ORDER = [  # each problem, in the order build_assessment reports them
    ("baseline", {"physician_global": -1}, "baseline.physician_global"),
    ("followup", {"mmt": -1}, "followup.mmt"),
    ("population", "child", "population"),
    ("scales", {"mmt_max": 0}, "scales.mmt_max"),
    ("options", {"missing": "impute"}, "options.missing"),
    ("core_set", "other", "core_set"),
    ("subtype", "unknown", "subtype"),
]


@pytest.mark.parametrize("first", range(len(ORDER)))
def test_first_problem_in_the_documented_order(first: int) -> None:
    problems = {key: value for key, value, _ in ORDER[first:]}
    with pytest.raises(MyoresponseError) as direct:
        build_assessment(**bad(**problems))
    assert direct.value.field == ORDER[first][2]
    with pytest.raises(MyoresponseError) as through_json:
        assessment_from_json(bad(**problems))
    assert str(through_json.value) == str(direct.value)
    assert type(through_json.value) is type(direct.value)


def test_shape_of_the_document_before_its_values() -> None:
    # A follow-up that is not an object is found before a bad baseline value.
    with pytest.raises(InputFormatError, match="followup: must be an object"):
        score_json(bad(baseline={"physician_global": -1}, followup=[]))


def test_build_assessment_equals_the_json_reading() -> None:
    keywords = bad()
    built = build_assessment(**keywords)
    assert built == assessment_from_json(keywords)
    assert evaluate(built).to_dict() == score_json(keywords)
    assert build_assessment(population="adult").options is DEFAULT_OPTIONS


def test_scoring_checks_come_after_building() -> None:
    with pytest.raises(MissingMeasureError, match=r"scales\.mmt_max: is required"):
        evaluate(build_assessment(**bad(scales={})))
