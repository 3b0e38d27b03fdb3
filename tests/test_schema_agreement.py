"""The JSON Schema and the JSON readers agree, on generated documents, in both directions.

- Everything ``#/$defs/input`` accepts is scored, or rejected by the reader for one of the reasons
  docs/embedding.rst lists as beyond the schema (``NOT_IN_SCHEMA`` below, the same list).
- Everything the schema rejects — a valid document with one change — is rejected by the reader.
- The entry points are apart: no output object is valid input, no input object valid output.
"""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from myoresponse import MyoresponseError, score_json, score_series_json
from myoresponse.io.cli import example_assessment, schema_text
from tests.schema_documents import Documents

SCHEMA = json.loads(schema_text())
DOCUMENTS = Documents(SCHEMA)
SCORERS = {"assessment": score_json, "series": score_series_json}
SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# What the schema cannot say, as docs/embedding.rst lists it: (docs item, message pattern).
NOT_IN_SCHEMA: list[tuple[str, str]] = [
    ("a value outside its scale", r"is outside the scale|must have lo < hi"),
    (
        "a measure the criteria set needs, or does not have",
        r"is missing|is required even under|missing while .* is given|is not a measure of the"
        r"|is required when MMT is given|no upper limit of normal|defined for juvenile"
        r"|the same enzyme must be followed",
    ),
    (
        "a name the reader normalises",
        r"is not an enzyme unit|is not a subtype|is not a glucocorticoid|is not a dosing frequency"
        r"|is not a (HAQ-DI|CHAQ) category|is given twice",
    ),
    (
        "an instrument sheet that cannot be totalled",
        r"is not graded|no muscle group is graded|must be a grade .* or null, got an object"
        r"|must be an object .* in the bilateral protocol"
        r"|a side applies to the unilateral protocol only|categories answered"
        r"|on another MMT-8 protocol|disagrees with the .* given beside it",
    ),
    (
        "exclusive alternatives",
        r'give either "enzyme" or an "enzymes" panel'
        r"|give either a visit label \(landmark\) or a day"
        r"|is required: a visit label \(landmark\) or a day|is required with landmark_day",
    ),
    (
        "series order and endpoint parameters",
        r"is not after|is used twice|must be a whole number|must be greater than",
    ),
]


def documented(error: MyoresponseError) -> bool:
    return any(re.search(pattern, error.reason) for _, pattern in NOT_IN_SCHEMA)


def score(name: str, document: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SCORERS[name](document)


@pytest.mark.parametrize("name", ["assessment", "series"])
def test_what_the_schema_accepts_is_scored_or_rejected_for_a_documented_reason(name: str) -> None:
    @SETTINGS
    @given(DOCUMENTS.valid(name))
    def check(document: Any) -> None:
        try:
            result = score(name, document)
        except MyoresponseError as error:
            assert documented(error), f"{error} (not a documented non-schema reason)"
        else:
            output = DOCUMENTS.validator("output")
            assert output.is_valid(json.loads(json.dumps(result))), result

    check()


@pytest.mark.parametrize("name", ["assessment", "series"])
def test_what_the_schema_rejects_the_reader_rejects(name: str) -> None:
    @SETTINGS
    @given(DOCUMENTS.invalid(name))
    def check(case: tuple[Any, str]) -> None:
        document, change = case
        with pytest.raises(MyoresponseError):
            score(name, document)
            raise AssertionError(f"scored a document the schema rejects ({change})")

    check()


def test_input_and_output_have_separate_entry_points() -> None:
    assert SCHEMA["$ref"] == "#/$defs/input"
    top = DOCUMENTS.validator("input")
    output = DOCUMENTS.validator("output")
    assessment = example_assessment()
    result = json.loads(json.dumps(score_json(assessment)))
    as_json = json.loads(json.dumps(assessment, default=float))
    assert top.is_valid(as_json) and top.is_valid([as_json])
    assert not output.is_valid(as_json)
    for document in (result, [result], {"error": {"message": "x", "field": None}}):
        assert not top.is_valid(document)
    assert output.is_valid(result) and output.is_valid([result])
    import jsonschema

    assert jsonschema.Draft202012Validator(SCHEMA).is_valid(as_json)
    assert not jsonschema.Draft202012Validator(SCHEMA).is_valid(result)


def test_required_lists_what_scoring_needs() -> None:
    top = DOCUMENTS.validator("input")
    for document in (
        {"population": "adult", "baseline": {}, "followup": {}},
        {"population": "adult", "followup": {"physician_global": 1}},
        {"baseline": {"physician_global": 1}, "followup": {"physician_global": 1}},
        {"population": "adult", "baseline": {"physician_global": None}, "followup": {}},
    ):
        assert not top.is_valid(document), document
        with pytest.raises(MyoresponseError):
            score_json(document)


def test_the_documented_list_is_the_docs_list() -> None:
    from pathlib import Path

    page = (Path(__file__).resolve().parent.parent / "docs" / "embedding.rst").read_text()
    for item, _ in NOT_IN_SCHEMA:
        assert item in page, item


def test_name_patterns_accept_every_declared_spelling() -> None:
    from myoresponse import Enzyme, EnzymeUnit, Subtype
    from myoresponse.instruments._disability_index import _NA_SPELLINGS

    defs = SCHEMA["$defs"]
    visit = defs["visit"]["properties"]
    unit = re.compile(visit["enzyme_unit"]["pattern"])
    subtype = re.compile(defs["assessment"]["properties"]["subtype"]["pattern"])
    enzyme = re.compile(visit["enzyme"]["properties"]["name"]["pattern"])
    answer = defs["chaq_answers"]["properties"]["items"]["additionalProperties"]
    na = re.compile(answer["oneOf"][1]["pattern"])
    for value in EnzymeUnit:
        assert unit.match(value.value) and unit.match(value.value.upper())
        assert EnzymeUnit.parse(value.value.upper()) is value
    for value in Subtype:
        assert subtype.match(value.value) and subtype.match(f" {value.value.lower()} ")
    for value in Enzyme:
        assert enzyme.match(value.value) and enzyme.match(value.value.lower())
    for spelling in _NA_SPELLINGS:
        assert na.match(spelling.upper())
    assert not unit.match("mg/dL") and not subtype.match("CADM") and not na.match("none")
