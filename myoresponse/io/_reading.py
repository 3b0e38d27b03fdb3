"""Reading JSON objects into keyword arguments: the header, the visits, any class's object.

Every JSON object of the interface is the keyword arguments of one class or function (``Scales``,
``Options``, ``Visit``, ``DeteriorationRule``, ``scoring.build_assessment``), so
its allowed keys are read from that signature (:func:`keys_of`) rather than kept by hand. Reading
checks shapes and keys; values are checked by the classes themselves, in the order
``scoring.build_assessment`` documents. Errors name the field with its place in
the document (``baseline.mmt``, ``visits[2].enzyme.name``).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from myoresponse._shapes import as_object, only_keys
from myoresponse.enzymes import Enzyme
from myoresponse.errors import InputFormatError, MyoresponseError
from myoresponse.instruments.mmt8 import score_mmt8
from myoresponse.measures import MEASURE_KEYS, Scales, Visit
from myoresponse.options import Options
from myoresponse.scoring import build_assessment, build_visit

_NAMED = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)


@functools.cache
def keys_of(kind: Callable[..., Any]) -> tuple[str, ...]:
    """The keyword names ``kind`` takes, in signature order: the keys of its JSON object."""
    parameters = inspect.signature(kind).parameters.values()
    return tuple(p.name for p in parameters if p.kind in _NAMED)


ASSESSMENT_KEYS = keys_of(build_assessment)
HEADER_KEYS = tuple(key for key in ASSESSMENT_KEYS if key not in ("baseline", "followup"))
# A visit's measures first, then the JSON-only "enzyme" ({"name", "value"}), then the rest.
VISIT_KEYS = (*MEASURE_KEYS, "enzyme", *(k for k in keys_of(Visit) if k not in MEASURE_KEYS))


def or_empty(data: Any) -> Any:
    """An absent (``null``) object read as an empty one."""
    return {} if data is None else data


def read_object(data: Any, where: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """A JSON object (``null`` reads as ``{}``) as a new dict whose keys are all in ``keys``."""
    obj = as_object(or_empty(data), where)
    only_keys(obj, keys, f"{where}.")
    return dict(obj)


def structure(
    kind: Callable[..., Any],
    data: Any,
    where: str,
    *,
    keys: tuple[str, ...] | None = None,
    prefix: str | None = None,
) -> Any:
    """``kind(**object)`` from the JSON object ``data`` found at ``where``.

    The object's keys must be ``kind``'s keyword names (or ``keys``); errors raised by ``kind``
    name their field under ``prefix`` (default ``where``).
    """
    obj = read_object(data, where, keys_of(kind) if keys is None else keys)
    return _at(where if prefix is None else prefix, lambda: kind(**obj))


def read_header(
    obj: Mapping[str, Any], top_keys: tuple[str, ...]
) -> tuple[dict[str, Any], dict[str, Any], set[Enzyme]]:
    """Check the top-level keys; return the scales and options objects and the pinned enzymes."""
    only_keys(obj, top_keys, "")
    if "population" not in obj:
        raise InputFormatError("is required: 'adult' or 'juvenile'", field="population", value=None)
    scales = read_object(obj.get("scales"), "scales", keys_of(Scales))
    options = read_object(obj.get("options"), "options", keys_of(Options))
    pins: set[Enzyme] = set()
    if scales.get("enzyme") is not None:
        pins.add(Enzyme.parse(scales["enzyme"], "scales.enzyme"))
    return scales, options, pins


def visit_keywords(
    data: Any, name: str, pins: set[Enzyme], extra_keys: tuple[str, ...] = ()
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A visit object as :class:`Visit` keyword arguments, plus its ``extra_keys`` (label, date).

    A directly named enzyme (``"enzyme": {"name", "value"}``) becomes a one-enzyme panel and is
    added to ``pins``; ``"prorate": true`` inside an ``mmt8`` sheet prorates its missing groups.
    """
    obj = dict(as_object(or_empty(data), name))
    extras = {key: obj.pop(key) for key in extra_keys if key in obj} if extra_keys else {}
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
    sheet = obj.get("mmt8")
    if sheet is not None and isinstance(sheet, Mapping) and "prorate" in sheet:
        sheet = dict(sheet)
        prorate = sheet.pop("prorate")
        obj["mmt8"] = _at(f"{name}.mmt8", lambda: score_mmt8(sheet, prorate=prorate))
    return obj, extras


def read_visit(
    data: Any, name: str, pins: set[Enzyme], extra_keys: tuple[str, ...] = ()
) -> tuple[Visit, dict[str, Any]]:
    """A visit object as a :class:`Visit` (see :func:`visit_keywords`), plus its extra keys."""
    keywords, extras = visit_keywords(data, name, pins, extra_keys)
    return build_visit(keywords, name), extras


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


def _at(prefix: str, read: Callable[[], Any]) -> Any:
    try:
        return read()
    except MyoresponseError as error:
        raise error.with_field_prefix(prefix) from None
