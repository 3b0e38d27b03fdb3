"""Reading a named choice (population, band-edge convention, …) from an enum member or its text."""

from __future__ import annotations

import enum
import functools
from typing import TypeVar

from myoresponse.errors import InvalidValueError

E = TypeVar("E", bound=enum.Enum)


@functools.cache
def _members(kind: type[E]) -> dict[object, E]:
    """Each member of ``kind`` by its value (built once per enum)."""
    return {member.value: member for member in kind}


def choice(kind: type[E], value: object, field: str) -> E:
    """The member of ``kind`` that ``value`` is or names; an error listing the allowed values."""
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        found: E | None = _members(kind).get(value)
        if found is not None:
            return found
    allowed = ", ".join(repr(member.value) for member in kind)
    raise InvalidValueError(f"{value!r} is not one of {allowed}", field=field, value=value)
