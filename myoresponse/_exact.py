"""Exact numbers from clinical inputs: every value becomes a :class:`fractions.Fraction`.

A float is read at its shortest decimal representation (``2.2`` means 22/10, not the binary
2.2000000000000001776…), so band edges are decided as a person computing by hand decides them.

**Limits.** A number is accepted when it is 0 or its size lies between ``10**-400``
(:data:`SMALLEST`) and the largest float64, about ``1.8e308`` (:data:`LARGEST`), written with at
most 800 significant digits (:data:`MAX_DIGITS`). Every float64 passes, and so does the exact
decimal expansion of every float64 (at most 767 significant digits); the largest is needed because
results are reported as JSON numbers (float64), the smallest leaves room below the smallest
float64 (about ``4.9e-324``). The bounds are checked before any big number is built, so a value
such as ``1e999999999`` (a billion-digit integer if made exact) is rejected at once.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from fractions import Fraction
from numbers import Rational
from typing import Any

from myoresponse.errors import InvalidValueError

__all__ = ["LARGEST", "MAX_DIGITS", "SMALLEST", "check_size", "exact", "optional_exact"]

MAX_DIGITS = 800
"""Most significant digits a decimal number may be written with."""

LARGEST = Fraction(sys.float_info.max)
"""The largest size a number may have: the largest float64, ``1.7976931348623157e308``."""

SMALLEST = Fraction(1, 10**400)
"""The smallest size a number other than 0 may have: ``1e-400``."""

_LARGEST_INT = int(sys.float_info.max)
_LARGEST_DECIMAL = Decimal(sys.float_info.max)
_SMALLEST_ADJUSTED = -400  # Decimal.adjusted() of 1e-400: the exponent of its first digit
_FLOAT_REPR = float.__repr__
# Recently read ints and floats and their Fractions (immutable, so shared): clinical values repeat.
# Two caches, as an int and a float can be equal (1e23 == 99999999999999991611392) while the float
# is read at its shortest repr (10**23). Equal floats have equal Fractions (0.0 == -0.0); NaN and
# infinities are never stored.
_RECENT_INTS: dict[int, Fraction] = {}
_RECENT_FLOATS: dict[float, Fraction] = {}
_RECENT_SIZE = 4096
_EXACT_FLOAT_INT = 2.0**53


def exact(value: Any, field: str) -> Fraction:
    """Convert ``value`` to an exact :class:`Fraction`, rejecting what is not a finite number.

    Numbers outside the limits of this module (too large, too small, too many digits) are an
    :class:`~myoresponse.errors.InvalidValueError` naming ``field``.
    """
    cls = type(value)
    if cls is int or cls is float:
        recent = _RECENT_INTS if cls is int else _RECENT_FLOATS
        known = recent.get(value)
        if known is not None:
            return known
        if cls is int:
            if not -_LARGEST_INT <= value <= _LARGEST_INT:
                raise _too_large(value, field)
            number = Fraction(value)
        elif value - value != 0.0:  # inf or nan
            raise InvalidValueError(f"{value!r} is not a finite number", field=field, value=value)
        else:
            number = _from_float(value)
        if len(recent) >= _RECENT_SIZE:
            recent.clear()
        recent[value] = number
        return number
    if isinstance(value, bool):
        raise InvalidValueError(
            f"{value!r} is a boolean; a number is required", field=field, value=value
        )
    if isinstance(value, Fraction):
        return check_size(value, value, field)
    if isinstance(value, int):
        return exact(int(value), field)
    if isinstance(value, float):
        return exact(float(value), field)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidValueError(f"{value!r} is not a finite number", field=field, value=value)
        return _from_decimal(value, value, field)
    if isinstance(value, Rational):
        number = Fraction(int(value.numerator), int(value.denominator))
        return check_size(number, value, field)
    kind = getattr(getattr(value, "dtype", None), "kind", None)
    if kind in ("i", "u"):  # numpy integers
        return exact(int(value), field)
    if kind == "f":  # numpy floats: str() is the shortest repr at the value's own precision
        text = Decimal(str(value))  # a longdouble may be finite beyond the float64 range
        if not text.is_finite():
            raise InvalidValueError(f"{value!r} is not a finite number", field=field, value=value)
        return _from_decimal(text, value, field)
    raise InvalidValueError(
        f"{value!r} is not a number (got {type(value).__name__})", field=field, value=value
    )


def optional_exact(value: Any, field: str) -> Fraction | None:
    """Like :func:`exact`, but ``None`` (a missing measure) stays ``None``."""
    return None if value is None else exact(value, field)


def check_size(number: Fraction, written: Any, field: str) -> Fraction:
    """``number`` if its size is within the limits; an error showing ``written`` otherwise."""
    top, bottom = abs(number.numerator).bit_length(), number.denominator.bit_length()
    if -1300 <= top - bottom <= 1022 or not top:  # size within 2**-1301 … 2**1023: fine
        return number
    size = abs(number)
    if size > LARGEST:
        raise _too_large(written, field)
    if size and size < SMALLEST:
        raise _too_small(written, field)
    return number


def _from_float(value: float) -> Fraction:
    """A finite float at its shortest decimal repr (every float64 is within the limits)."""
    if value.is_integer() and -_EXACT_FLOAT_INT < value < _EXACT_FLOAT_INT:
        return Fraction(int(value))  # below 2**53 the repr is the integer itself
    mantissa, _, exponent = _FLOAT_REPR(value).partition("e")
    whole, _, decimals = mantissa.partition(".")
    power = int(exponent or 0) - len(decimals)
    digits = int(whole + decimals)
    return Fraction(digits * 10**power) if power >= 0 else Fraction(digits, 10**-power)


def _from_decimal(value: Decimal, written: Any, field: str) -> Fraction:
    """A finite Decimal, its digits and exponent checked before the exact number is built."""
    if value:
        digits = value.as_tuple().digits
        if len(digits) > MAX_DIGITS:
            raise InvalidValueError(
                f"{_written(written)} has {len(digits)} significant digits; at most "
                f"{MAX_DIGITS} are accepted",
                field=field,
                value=written,
            )
        adjusted = value.adjusted()
        if adjusted > 308 or (adjusted == 308 and value.copy_abs() > _LARGEST_DECIMAL):
            raise _too_large(written, field)
        if adjusted < _SMALLEST_ADJUSTED:
            raise _too_small(written, field)
    return Fraction(value)


def _too_large(written: Any, field: str) -> InvalidValueError:
    return InvalidValueError(
        f"{_written(written)} is too large; a number may be at most {sys.float_info.max!r} "
        "(the largest float64) in size",
        field=field,
        value=written,
    )


def _too_small(written: Any, field: str) -> InvalidValueError:
    return InvalidValueError(
        f"{_written(written)} is too small; a number other than 0 must be at least 1e-400 in size",
        field=field,
        value=written,
    )


def _written(value: Any) -> str:
    """A number as its user wrote it, shortened when it has very many digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        return _integer(value)
    text = str(value) if isinstance(value, (Decimal, Fraction)) else repr(value)
    return text if len(text) <= 60 else f"{text[:25]}…{text[-25:]}"


def _integer(value: int) -> str:
    bits = abs(value).bit_length()
    if bits <= 128:
        return str(value)
    if bits > 100_000:
        return "an integer of more than 30000 digits"
    digits = bits * 30103 // 100000  # floor(bits × log10 2), at most one short
    if abs(value) >= 10**digits:
        digits += 1
    return f"an integer of {digits} digits"
