"""Exact numbers from clinical inputs: every value becomes a :class:`fractions.Fraction`.

A float is read at its shortest decimal representation (``2.2`` means 22/10, not the binary
2.2000000000000001776…), so band edges are decided as a person computing by hand decides them.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from numbers import Rational
from typing import Any

from myoresponse.errors import InvalidValueError

__all__ = ["exact", "optional_exact"]


def exact(value: Any, field: str) -> Fraction:
    """Convert ``value`` to an exact :class:`Fraction`, rejecting what is not a finite number."""
    if isinstance(value, bool):
        raise InvalidValueError(
            f"{value!r} is a boolean; a number is required", field=field, value=value
        )
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidValueError(f"{value!r} is not a finite number", field=field, value=value)
        return Fraction(float.__repr__(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidValueError(f"{value!r} is not a finite number", field=field, value=value)
        return Fraction(value)
    if isinstance(value, Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    kind = getattr(getattr(value, "dtype", None), "kind", None)
    if kind in ("i", "u"):  # numpy integers
        return Fraction(int(value))
    if kind == "f":  # numpy floats: str() is the shortest repr at the value's own precision
        if not math.isfinite(float(value)):
            raise InvalidValueError(f"{value!r} is not a finite number", field=field, value=value)
        return Fraction(str(value))
    raise InvalidValueError(
        f"{value!r} is not a number (got {type(value).__name__})", field=field, value=value
    )


def optional_exact(value: Any, field: str) -> Fraction | None:
    """Like :func:`exact`, but ``None`` (a missing measure) stays ``None``."""
    return None if value is None else exact(value, field)
