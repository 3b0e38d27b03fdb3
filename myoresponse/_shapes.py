"""Reading instrument documents: plain dicts and lists as parsed from JSON, checked key by key.

Fields are named relative to the instrument's own document (``grades.deltoid.left``,
``items.dress``); a caller embedding the document elsewhere adds its prefix with
:meth:`~myoresponse.errors.MyoresponseError.with_field_prefix`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from myoresponse.errors import InputFormatError, UnknownFieldError


def json_type(value: Any) -> str:
    """The JSON name of ``value``'s type, for messages ("null", "array", "string", …)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, (list, tuple)):
        return "array"
    return type(value).__name__


def as_object(data: Any, field: str | None) -> Mapping[Any, Any]:
    """``data`` if it is a mapping (a JSON object); an :class:`InputFormatError` otherwise.

    ``field`` is ``None`` for a whole document, whose place only its caller knows.
    """
    if type(data) is not dict and not isinstance(data, Mapping):  # a dict skips the ABC check
        raise InputFormatError(f"must be an object, got {json_type(data)}", field=field, value=data)
    return data


def only_keys(obj: Mapping[Any, Any], allowed: Iterable[str], prefix: str = "") -> None:
    """Raise :class:`UnknownFieldError` for the first key of ``obj`` not in ``allowed``."""
    allowed = tuple(allowed)
    for key in obj:
        if key not in allowed:
            raise UnknownFieldError(
                f"{key!r} is not a known key here; allowed: {', '.join(allowed)}",
                field=f"{prefix}{key}",
                value=key,
            )


def normalise_name(value: str) -> str:
    """A name as the tables spell it: trimmed, lower case, spaces and hyphens as underscores."""
    return "_".join(value.strip().lower().replace("-", " ").replace("&", " and ").split())
