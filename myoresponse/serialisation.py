"""The JSON form: assessment objects in, result objects out (the documentation's *Embedding* page).

Takes JSON as parsed Python data (``dict``/``list``/numbers; ``decimal.Decimal`` numbers keep their
exact decimal value) so that tools in any language get the same results as the Python API.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._choices import choice
from ._documents import as_object
from ._reading import read_header, read_visit, settle_pin
from .criteria import Population
from .errors import MyoresponseError
from .measures import Scales
from .options import Options
from .scoring import Assessment

__all__ = ["assessment_from_json", "error_to_json", "score_json"]

_TOP_KEYS = ("population", "core_set", "subtype", "scales", "options", "baseline", "followup")


def score_json(assessment: Mapping[str, Any]) -> dict[str, Any]:
    """Score one JSON assessment object and return the JSON result object.

    Raises a :class:`~myoresponse.MyoresponseError` naming the field for invalid input.

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
    return assessment_from_json(assessment).score().to_dict()


def error_to_json(error: MyoresponseError) -> dict[str, Any]:
    """The ``{"error": {...}}`` object that stands in place of an invalid item of an array."""
    return {"error": {"type": type(error).__name__, "message": str(error), "field": error.field}}


def assessment_from_json(data: Any) -> Assessment:
    """Validate a JSON assessment object into an :class:`~myoresponse.scoring.Assessment`."""
    obj = as_object(data, "assessment")
    scales, options, pins = read_header(obj, _TOP_KEYS)
    baseline, _ = read_visit(obj.get("baseline"), "baseline", pins)
    followup, _ = read_visit(obj.get("followup"), "followup", pins)
    settle_pin(scales, pins, "followup.enzyme.name", "the two visits")
    return Assessment(
        population=choice(Population, obj["population"], "population"),
        core_set=obj.get("core_set", "imacs"),
        subtype=obj.get("subtype"),
        scales=Scales(**scales),
        options=Options(**options),
        baseline=baseline,
        followup=followup,
    )
