"""Myositis subtypes, and which of them the 2016 ACR/EULAR criteria were validated in.

The adult criteria were developed and validated in dermatomyositis and polymyositis (Aggarwal et
al. 2017), the juvenile criteria in juvenile dermatomyositis (Rider et al. 2017). A ``subtype`` is
optional; when it is given and falls outside those populations, the result is still computed and
carries a warning that says so (``Result.warnings``), and an
:class:`~myoresponse.errors.UnvalidatedSubtypeWarning` is emitted.
"""

from __future__ import annotations

import enum
import warnings
from collections.abc import Iterable

from myoresponse.criteria import Population
from myoresponse.errors import InvalidValueError, UnvalidatedSubtypeWarning

__all__ = ["VALIDATED_SUBTYPES", "Subtype", "subtype_warnings"]


class Subtype(str, enum.Enum):
    """A clinical subtype of idiopathic inflammatory myopathy. Names match case-insensitively."""

    DM = "DM"
    PM = "PM"
    JDM = "JDM"
    IMNM = "IMNM"
    ANTISYNTHETASE = "antisynthetase"
    OVERLAP = "overlap"
    IBM = "IBM"
    OTHER = "other"

    @classmethod
    def parse(cls, value: object, field: str = "subtype") -> Subtype:
        """The subtype ``value`` names (``"dm"``, ``"IMNM"``, ``Subtype.IBM``), or an error."""
        if isinstance(value, Subtype):
            return value
        if isinstance(value, str):
            text = value.strip().lower()
            if text == "antisynthetase syndrome":
                text = "antisynthetase"
            for member in cls:
                if member.value.lower() == text:
                    return member
        allowed = ", ".join(member.value for member in cls)
        raise InvalidValueError(
            f"{value!r} is not a subtype; allowed: {allowed}", field=field, value=value
        )


def optional_subtype(value: object) -> Subtype | None:
    """``None`` stays ``None``; anything else is parsed with :meth:`Subtype.parse`."""
    return None if value is None else Subtype.parse(value)


VALIDATED_SUBTYPES: frozenset[tuple[Population, Subtype]] = frozenset(
    {
        (Population.ADULT, Subtype.DM),
        (Population.ADULT, Subtype.PM),
        (Population.JUVENILE, Subtype.JDM),
    }
)
"""The (population, subtype) pairs the 2016 criteria were validated in."""


def subtype_warnings(population: Population, subtype: Subtype | None) -> tuple[str, ...]:
    """The warnings a result for ``subtype`` scored with ``population``'s criteria carries.

    Empty when no subtype is given or the pair is one of :data:`VALIDATED_SUBTYPES`.
    """
    if subtype is None or (population, subtype) in VALIDATED_SUBTYPES:
        return ()
    criteria = "adult DM/PM" if population is Population.ADULT else "JDM"
    return (
        f"subtype {subtype.value}: the 2016 ACR/EULAR response criteria were validated in adult "
        f"DM/PM and in JDM; this result applies the {criteria} criteria outside the population "
        "they were validated in",
    )


def emit(messages: Iterable[str], stacklevel: int) -> None:
    """Emit each message as an :class:`UnvalidatedSubtypeWarning` for the caller's caller."""
    for message in messages:
        warnings.warn(message, UnvalidatedSubtypeWarning, stacklevel=stacklevel + 1)
