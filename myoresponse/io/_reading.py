"""Reading the parts that assessment and series JSON objects share: the header and the visits.

The header is the population, scales and options; a visit object becomes a validated
:class:`~myoresponse.Visit`. Errors name the field with its place in the document
(``baseline.mmt``, ``visits[2].enzyme.name``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from myoresponse._shapes import as_object, only_keys
from myoresponse.enzymes import Enzyme
from myoresponse.errors import InputFormatError, MyoresponseError
from myoresponse.instruments.mmt8 import score_mmt8
from myoresponse.measures import MEASURE_KEYS, Visit

SCALE_KEYS = ("global_max", "mmt_max", "enzyme_uln", "enzyme_unit", "enzyme", "chq_phs_range")
OPTION_KEYS = ("band_edges", "enzyme_rule", "missing", "enzyme_range_multiples")
VISIT_KEYS = (
    *MEASURE_KEYS,
    "enzyme",
    "enzyme_unit",
    "mmt8",
    "haq_answers",
    "chaq_answers",
    "steroids",
)


def or_empty(data: Any) -> Any:
    """An absent (``null``) object read as an empty one."""
    return {} if data is None else data


def read_header(
    obj: Mapping[str, Any], top_keys: tuple[str, ...]
) -> tuple[dict[str, Any], dict[str, Any], set[Enzyme]]:
    """Check the top-level keys; return the scales and options objects and the pinned enzymes."""
    only_keys(obj, top_keys, "")
    if "population" not in obj:
        raise InputFormatError("is required: 'adult' or 'juvenile'", field="population", value=None)
    scales = dict(as_object(or_empty(obj.get("scales")), "scales"))
    only_keys(scales, SCALE_KEYS, "scales.")
    options = dict(as_object(or_empty(obj.get("options")), "options"))
    only_keys(options, OPTION_KEYS, "options.")
    pins: set[Enzyme] = set()
    if scales.get("enzyme") is not None:
        pins.add(Enzyme.parse(scales["enzyme"], "scales.enzyme"))
    return scales, options, pins


def read_visit(
    data: Any, name: str, pins: set[Enzyme], extra_keys: tuple[str, ...] = ()
) -> tuple[Visit, dict[str, Any]]:
    """A visit object as a :class:`Visit`, plus the ``extra_keys`` it carried (label, date).

    A directly named enzyme (``"enzyme": {"name", "value"}``) is added to ``pins``;
    ``"prorate": true`` inside an ``mmt8`` sheet prorates its missing groups.
    """
    obj = dict(as_object(or_empty(data), name))
    extras = {key: obj.pop(key) for key in extra_keys if key in obj}
    only_keys(obj, VISIT_KEYS, f"{name}.")
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
        pins.add(pin)
        obj["enzymes"] = {pin.value: enzyme["value"]}
    try:
        sheet = obj.get("mmt8")
        if isinstance(sheet, Mapping) and "prorate" in sheet:
            sheet = dict(sheet)
            prorate = sheet.pop("prorate")
            obj["mmt8"] = _at("mmt8", lambda: score_mmt8(sheet, prorate=prorate))
        return Visit(**obj), extras
    except MyoresponseError as error:
        raise error.with_field_prefix(name) from None


def settle_pin(scales: dict[str, Any], pins: set[Enzyme], field: str, where: str) -> None:
    """Pin the one enzyme named anywhere in the document; naming two is an error."""
    if len(pins) > 1:
        raise InputFormatError(
            f"names different enzymes for {where}; the same enzyme must be followed",
            field=field,
            value=sorted(p.value for p in pins),
        )
    if pins:
        scales["enzyme"] = next(iter(pins))


def _at(prefix: str, read: Any) -> Any:
    try:
        return read()
    except MyoresponseError as error:
        raise error.with_field_prefix(prefix) from None
