"""JSON text in and out for the command line (private): exact numbers, nothing lost.

Numbers keep their written decimal value (:class:`~decimal.Decimal`). The non-standard tokens
``NaN``, ``Infinity`` and ``-Infinity`` that Python's :func:`json.dumps` writes are read, so that
only the item holding one is answered with an error (:func:`item_problem`); so is an object with
a key written twice. A byte-order mark is accepted. A document nested too deeply for the parser is
unreadable as a whole; an item nested deeper than :data:`MAX_DEPTH` is an error of its own.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

from myoresponse.errors import InputFormatError, InvalidValueError, MyoresponseError

__all__ = [
    "MAX_DEPTH",
    "Unreadable",
    "dump",
    "item_problem",
    "parse",
    "split_id",
]

MAX_DEPTH = 32
"""The deepest nesting of arrays and objects an item may have (a scored item needs 4)."""

_INT_DIGITS = 4000  # longer integer literals are read as Decimal (Python's int() refuses them)
_CONSTANTS = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


class Unreadable(Exception):
    """The input as a whole cannot be read: not UTF-8, not JSON, or nested too deeply."""


class _Duplicated(dict[str, Any]):
    """An object in which ``key`` was written more than once (the last value is kept)."""

    key: str


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    seen: set[str] = set()
    duplicated = _Duplicated(obj)
    for key, _ in pairs:
        if key in seen:
            duplicated.key = key
            break
        seen.add(key)
    return duplicated


def _integer(text: str) -> int | Decimal:
    return int(text) if len(text) <= _INT_DIGITS else Decimal(text)


def parse(text: str | bytes, what: str = "input") -> Any:
    """Parse one JSON document (``what`` names it in messages: ``input``, ``line 4``)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise Unreadable(
                f"{what} is not UTF-8 text: byte 0x{text[error.start]:02x} at offset {error.start}"
            ) from None
    elif text.startswith("\ufeff"):
        text = text[1:]
    try:
        return json.loads(
            text,
            parse_float=Decimal,
            parse_int=_integer,
            parse_constant=_CONSTANTS.__getitem__,
            object_pairs_hook=_object,
        )
    except RecursionError:
        raise Unreadable(
            f"{what} is nested too deeply to read (items may nest at most {MAX_DEPTH} levels)"
        ) from None
    except ValueError as error:
        raise Unreadable(f"{what} is not valid JSON: {error}") from None


def item_problem(item: Any) -> MyoresponseError | None:
    """The first NaN/Infinity token, repeated key or excess nesting in ``item``, as an error."""
    stack: list[tuple[Any, str, int]] = [(item, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            return InputFormatError(
                f"is nested more than {MAX_DEPTH} levels deep", field=path or None, value=None
            )
        if isinstance(value, float) and not math.isfinite(value):
            token = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
            return InvalidValueError(
                f"{token} is not a number; write null for a missing value",
                field=path or None,
                value=token,
            )
        if isinstance(value, _Duplicated):
            key = value.key
            return InputFormatError(
                f"the key {key!r} appears more than once in one object; give it once",
                field=_join(path, key),
                value=None,
            )
        if isinstance(value, dict):
            stack.extend((v, _join(path, str(k)), depth + 1) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(
                (v, f"{path}[{i}]", depth + 1) for i, v in reversed(list(enumerate(value)))
            )
    return None


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def split_id(item: Any) -> tuple[Any, Any]:
    """An item's ``id`` (a string or a number, echoed in its result) and the item without it.

    Returns ``(None, item)`` for an item without an ``id``; raises for an ``id`` of another type.
    """
    if not isinstance(item, dict) or "id" not in item:
        return None, item
    rest = dict(item)
    ident = rest.pop("id")
    if isinstance(ident, float) and math.isfinite(ident):  # from Python; JSON text gives Decimal
        return ident, rest
    if isinstance(ident, bool) or not isinstance(ident, str | int | Decimal):
        shown = json.dumps(ident, default=str)
        raise InvalidValueError(
            f"{shown} is not an id; give a string or a number", field="id", value=ident
        )
    if isinstance(ident, Decimal):
        if not ident.is_finite() or not -300 < ident.adjusted() < 300:
            raise InvalidValueError(
                f"{ident} is not an id; give a string or a number of at most 300 digits",
                field="id",
                value=ident,
            )
        ident = int(ident) if ident == ident.to_integral_value() else float(ident)
    return ident, rest


def dump(document: Any, compact: bool) -> str:
    """The JSON text of an output document (one line when ``compact``), with a final newline."""
    return json.dumps(document, indent=None if compact else 2, allow_nan=False) + "\n"
