"""The one exception hierarchy of myoresponse.

Every error the library raises for bad input is a :class:`MyoresponseError`, itself a
:class:`ValueError`, so ``except ValueError`` keeps working for callers who do not care which. Each
error names the offending ``field`` (dotted, e.g. ``"baseline.physician_global"``) and carries the
offending ``value`` so that tools can point at the cell or form input at fault.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "InputFormatError",
    "InvalidValueError",
    "MissingMeasureError",
    "MyoresponseError",
    "NotComputableError",
    "UnknownFieldError",
    "UnvalidatedSubtypeWarning",
]


class MyoresponseError(ValueError):
    """Base class: input that myoresponse cannot score, with the field at fault named.

    ``reason`` says what is wrong and what is allowed; ``str(error)`` is ``"<field>: <reason>"``.
    """

    def __init__(self, reason: str, *, field: str | None = None, value: Any = None) -> None:
        self.reason = reason
        self.field = field
        self.value = value
        super().__init__(f"{field}: {reason}" if field else reason)

    def with_field_prefix(self, prefix: str) -> MyoresponseError:
        """Return the same error with ``prefix`` put before its field (``baseline`` + ``mmt``)."""
        field = f"{prefix}.{self.field}" if self.field else prefix
        new = type(self)(self.reason, field=field, value=self.value)
        new.__cause__ = self.__cause__
        return new

    def __reduce__(self) -> tuple[Any, ...]:  # keep errors picklable (multiprocessing)
        return (_rebuild, (type(self), self.reason, self.field, self.value))


def _rebuild(
    cls: type[MyoresponseError], reason: str, field: str | None, value: Any
) -> MyoresponseError:
    return cls(reason, field=field, value=value)


class InvalidValueError(MyoresponseError):
    """A value of the wrong type or outside what its scale allows (negative, NaN, out of range)."""


class MissingMeasureError(MyoresponseError):
    """A core set measure needed under the chosen missing-measure policy is absent."""


class UnknownFieldError(MyoresponseError):
    """A key that this population or core set does not have (e.g. ``chaq`` for an adult)."""


class InputFormatError(MyoresponseError):
    """A document of the wrong shape: not an object, a list where an object belongs, and so on."""


class NotComputableError(MyoresponseError):
    """An instrument score that its own rules say cannot be computed from the answers given."""


class UnvalidatedSubtypeWarning(UserWarning):
    """A result computed for a myositis subtype the criteria were not validated in.

    The 2016 ACR/EULAR criteria were validated in adult dermatomyositis/polymyositis and in juvenile
    dermatomyositis. Results for other subtypes (IMNM, antisynthetase syndrome, overlap myositis,
    IBM, other) are still computed; they carry a ``warnings`` entry and this warning is emitted.
    Silence it with ``warnings.simplefilter("ignore", UnvalidatedSubtypeWarning)``.
    """
