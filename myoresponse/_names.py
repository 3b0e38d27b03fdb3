"""Reading a named choice (population, band-edge convention, …) from an enum member or its text."""

from __future__ import annotations

import enum
from typing import TypeVar

from myoresponse.errors import InvalidValueError

E = TypeVar("E", bound=enum.Enum)


def choice(kind: type[E], value: object, field: str) -> E:
    """The member of ``kind`` that ``value`` is or names; an error listing the allowed values."""
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        for member in kind:
            if member.value == value:
                return member
    allowed = ", ".join(repr(member.value) for member in kind)
    raise InvalidValueError(f"{value!r} is not one of {allowed}", field=field, value=value)
