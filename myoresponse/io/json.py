"""The JSON form: assessment objects in, result objects out (the documentation's *Embedding* page).

Takes JSON as parsed Python data (``dict``/``list``/numbers; ``decimal.Decimal`` numbers keep their
exact decimal value) so that tools in any language get the same results as the Python API.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from myoresponse._names import choice
from myoresponse._shapes import as_object
from myoresponse.criteria import Population
from myoresponse.endpoints.series import (
    DeteriorationRule,
    FollowUp,
    Series,
    evaluate_series,
    read_date,
    score_series,
)
from myoresponse.errors import InputFormatError, MyoresponseError
from myoresponse.io._json_text import split_id
from myoresponse.io._reading import (
    ASSESSMENT_KEYS,
    HEADER_KEYS,
    keys_of,
    read_header,
    read_object,
    read_visit,
    settle_pin,
    structure,
    visit_keywords,
)
from myoresponse.measures import Scales
from myoresponse.options import Options
from myoresponse.scoring import Assessment, build_assessment
from myoresponse.subtypes import emit

__all__ = [
    "assessment_from_json",
    "error_to_json",
    "score_json",
    "score_series_json",
    "series_from_json",
]


def score_json(assessment: Mapping[str, Any]) -> dict[str, Any]:
    """Score one JSON assessment object and return the JSON result object.

    An ``id`` (a string or a number) is echoed as the result's first key, so that callers can
    match results to their inputs. Raises a :class:`~myoresponse.MyoresponseError` naming the
    field for invalid input.

    >>> from myoresponse import score_json
    >>> result = score_json({
    ...     "population": "adult",
    ...     "scales": {"mmt_max": 80},
    ...     "options": {"missing": "zero"},
    ...     "baseline": {"physician_global": 2.2, "mmt": 60},
    ...     "followup": {"physician_global": 0.7, "mmt": 62},
    ... })
    >>> [(m["measure"], m["absolute_percent_change"], m["points"]) for m in result["measures"][:3]]
    [('physician_global', 15.0, 7.5), ('patient_global', None, 0.0), ('mmt', 2.5, 10.0)]
    """
    ident, body = split_id(assessment)
    result = assessment_from_json(body).score().to_dict()
    return result if ident is None else {"id": ident, **result}


def error_to_json(error: MyoresponseError) -> dict[str, Any]:
    """The ``{"error": {...}}`` object that stands in place of an invalid item of an array."""
    return {"error": {"type": type(error).__name__, "message": str(error), "field": error.field}}


def assessment_from_json(data: Any) -> Assessment:
    """Validate a JSON assessment object into an :class:`~myoresponse.scoring.Assessment`.

    The document's shape and keys are checked first (both visits, then the enzyme named in it),
    then its values in the order of ``scoring.build_assessment``.
    """
    obj = as_object(data, "assessment")
    scales, options, pins = read_header(obj, ASSESSMENT_KEYS)
    baseline, _ = visit_keywords(obj.get("baseline"), "baseline", pins)
    followup, _ = visit_keywords(obj.get("followup"), "followup", pins)
    settle_pin(scales, pins, "followup.enzyme.name", "the two visits")
    return build_assessment(
        population=obj["population"],
        core_set=obj.get("core_set", "imacs"),
        subtype=obj.get("subtype"),
        scales=scales,
        options=options,
        baseline=baseline,
        followup=followup,
    )


# -- series ------------------------------------------------------------------------------------

_SERIES_KEYS = (*HEADER_KEYS, "endpoints", "baseline", "visits")
_ENDPOINT_KEYS = keys_of(score_series)[1:]  # the keywords after the series
# The keys of the deterioration object, in the order its JSON form writes them.
_DETERIORATION_KEYS = tuple(DeteriorationRule().to_dict())
# Endpoint parameters whose errors the series scorer names without their "endpoints." prefix.
_ENDPOINT_FIELDS = tuple(key for key in _ENDPOINT_KEYS if key != "deterioration")


def series_from_json(data: Any) -> tuple[Series, dict[str, Any]]:
    """Validate a JSON series object; return the :class:`~myoresponse.Series` and its parameters.

    The parameters are keyword arguments for :func:`myoresponse.score_series`.
    """
    obj = as_object(data, "series")
    scales_obj, options_obj, pins = read_header(obj, _SERIES_KEYS)
    visits_data = obj.get("visits")
    if not isinstance(visits_data, list):
        raise InputFormatError(
            "is required: an array of visit objects in time order", field="visits", value=None
        )
    baseline, extras = read_visit(obj.get("baseline"), "baseline", pins, ("label", "date"))
    baseline_label, baseline_date = extras.get("label"), extras.get("date")
    visits = []
    for index, item in enumerate(visits_data):
        where = f"visits[{index}]"
        visit, extras = read_visit(item, where, pins, ("label", "date"))
        date = _at(where, read_date, extras.get("date"))
        try:
            label = extras.get("label")  # 0, false and "" are errors, not replaced by the default
            visits.append(FollowUp(f"visit {index + 1}" if label is None else label, visit, date))
        except MyoresponseError as error:
            raise error.with_field_prefix(where) from None
    settle_pin(scales_obj, pins, "visits", "different visits")

    try:
        series = Series(
            population=choice(Population, obj["population"], "population"),
            core_set=obj.get("core_set", "imacs"),
            subtype=obj.get("subtype"),
            scales=Scales(**scales_obj),
            options=Options(**options_obj),
            baseline=baseline,
            visits=visits,
            baseline_label="baseline" if baseline_label is None else baseline_label,
            baseline_date=_at("baseline", read_date, baseline_date),
        )
    except MyoresponseError as error:
        if error.field in ("label", "date"):
            raise error.with_field_prefix("baseline") from None
        raise
    return series, _parameters(obj.get("endpoints"))


def _at(where: str, convert: Any, value: Any) -> Any:
    try:
        return convert(value)
    except MyoresponseError as error:
        raise error.with_field_prefix(where) from None


def _parameters(data: Any) -> dict[str, Any]:
    obj = read_object(data, "endpoints", _ENDPOINT_KEYS)
    parameters = {key: value for key, value in obj.items() if key != "deterioration"}
    if obj.get("deterioration") is not None:
        parameters["deterioration"] = structure(
            DeteriorationRule,
            obj["deterioration"],
            "endpoints.deterioration",
            keys=_DETERIORATION_KEYS,
            prefix="endpoints",
        )
    return parameters


def score_series_json(data: Mapping[str, Any]) -> dict[str, Any]:
    """Score one JSON series object and return the JSON series result object.

    Raises a :class:`~myoresponse.MyoresponseError` naming the field for invalid input.
    """
    ident, data = split_id(data)
    series, parameters = series_from_json(data)
    try:
        result = evaluate_series(series, **parameters)
    except MyoresponseError as error:
        if error.field in _ENDPOINT_FIELDS:
            raise error.with_field_prefix("endpoints") from None
        raise
    emit(result.warnings, stacklevel=2)
    document = result.to_dict()
    return document if ident is None else {"id": ident, **document}
