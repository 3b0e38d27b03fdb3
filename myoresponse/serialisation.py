"""The JSON form: assessment objects in, result objects out (the documentation's *Embedding* page).

Takes JSON as parsed Python data (``dict``/``list``/numbers; ``decimal.Decimal`` numbers keep their
exact decimal value) so that tools in any language get the same results as the Python API.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._choices import choice
from ._documents import as_object, only_keys
from .criteria import Population
from .enzymes import Enzyme
from .errors import InputFormatError, MyoresponseError
from .measures import MEASURE_KEYS, Scales, Visit
from .mmt8 import score_mmt8
from .options import Options
from .scoring import Assessment

__all__ = ["assessment_from_json", "error_to_json", "score_json"]

_TOP_KEYS = ("population", "core_set", "subtype", "scales", "options", "baseline", "followup")
_SCALE_KEYS = ("global_max", "mmt_max", "enzyme_uln", "enzyme_unit", "enzyme", "chq_phs_range")
_OPTION_KEYS = ("band_edges", "enzyme_rule", "missing", "enzyme_range_multiples")
_VISIT_KEYS = (
    *MEASURE_KEYS,
    "enzyme",
    "enzyme_unit",
    "mmt8",
    "haq_answers",
    "chaq_answers",
    "steroids",
)


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
    only_keys(obj, _TOP_KEYS, "")
    if "population" not in obj:
        raise InputFormatError("is required: 'adult' or 'juvenile'", field="population", value=None)
    scales_obj = dict(as_object(_or_empty(obj.get("scales")), "scales"))
    only_keys(scales_obj, _SCALE_KEYS, "scales.")
    options_obj = as_object(_or_empty(obj.get("options")), "options")
    only_keys(options_obj, _OPTION_KEYS, "options.")

    baseline_kwargs, baseline_pin = _visit_kwargs(obj.get("baseline"), "baseline")
    followup_kwargs, followup_pin = _visit_kwargs(obj.get("followup"), "followup")
    pins = {pin for pin in (baseline_pin, followup_pin) if pin is not None}
    if scales_obj.get("enzyme") is not None:
        pins.add(Enzyme.parse(scales_obj["enzyme"], "scales.enzyme"))
    if len(pins) > 1:
        raise InputFormatError(
            "names different enzymes for the two visits; the same enzyme must be followed",
            field="followup.enzyme.name",
            value=sorted(p.value for p in pins),
        )
    if pins:
        scales_obj["enzyme"] = pins.pop()

    return Assessment(
        population=choice(Population, obj["population"], "population"),
        core_set=obj.get("core_set", "imacs"),
        subtype=obj.get("subtype"),
        scales=Scales(**scales_obj),
        options=Options(**options_obj),
        baseline=_build(Visit, baseline_kwargs, "baseline"),
        followup=_build(Visit, followup_kwargs, "followup"),
    )


def _or_empty(data: Any) -> Any:
    return {} if data is None else data


def _visit_kwargs(data: Any, name: str) -> tuple[dict[str, Any], Enzyme | None]:
    obj = dict(as_object(_or_empty(data), name))
    only_keys(obj, _VISIT_KEYS, f"{name}.")
    pin = None
    direct = obj.pop("enzyme", None)
    if direct is not None:
        enzyme = as_object(direct, f"{name}.enzyme")
        only_keys(enzyme, ("name", "value"), f"{name}.enzyme.")
        if "name" not in enzyme or "value" not in enzyme:
            raise InputFormatError(
                'needs both "name" and "value", e.g. {"name": "CK", "value": 2400}',
                field=f"{name}.enzyme",
                value=None,
            )
        if obj.get("enzymes"):
            raise InputFormatError(
                'give either "enzyme" or an "enzymes" panel, not both', field=f"{name}.enzyme"
            )
        pin = Enzyme.parse(enzyme["name"], f"{name}.enzyme.name")
        obj["enzymes"] = {pin.value: enzyme["value"]}
    sheet = obj.get("mmt8")
    if isinstance(sheet, Mapping) and "prorate" in sheet:
        sheet = dict(sheet)
        prorate = sheet.pop("prorate")
        try:
            obj["mmt8"] = score_mmt8(sheet, prorate=prorate)
        except MyoresponseError as error:
            raise error.with_field_prefix(f"{name}.mmt8") from None
    return obj, pin


def _build(make: Callable[..., Visit], kwargs: dict[str, Any], prefix: str) -> Visit:
    try:
        return make(**kwargs)
    except MyoresponseError as error:
        raise error.with_field_prefix(prefix) from None
