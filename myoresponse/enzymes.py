"""Serum muscle enzymes: names, units, the range multiples and the choice of the enzyme to follow.

The criteria score the *most abnormal* muscle enzyme at baseline — the largest value ÷ its upper
limit of normal (ULN) among CK, aldolase, AST, ALT and LDH — and follow that same enzyme at the
follow-up visit (Aggarwal et al. 2017). A caller may pin the enzyme instead.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from myoresponse._exact import exact
from myoresponse.errors import InvalidValueError, UnknownFieldError

__all__ = [
    "DEFAULT_RANGE_MULTIPLES",
    "Enzyme",
    "EnzymeUnit",
    "enzyme_panel",
    "most_abnormal",
]


class Enzyme(str, enum.Enum):
    """A serum muscle enzyme the criteria accept. Names are matched case-insensitively."""

    CK = "CK"
    ALDOLASE = "aldolase"
    AST = "AST"
    ALT = "ALT"
    LDH = "LDH"

    @classmethod
    def parse(cls, value: object, field: str = "enzyme") -> Enzyme:
        """The enzyme ``value`` names (``"ck"``, ``"CK"``, ``Enzyme.CK``); an error otherwise."""
        if isinstance(value, Enzyme):
            return value
        if isinstance(value, str):
            found = _ENZYME_NAMES.get(value) or _ENZYME_NAMES.get(value.strip().lower())
            if found is not None:
                return found
        allowed = ", ".join(member.value for member in cls)
        raise UnknownFieldError(
            f"{value!r} is not a muscle enzyme of the criteria; allowed: {allowed}",
            field=field,
            value=value,
        )


_ENZYME_NAMES = {
    **{member.value.lower(): member for member in Enzyme},
    **{member.value: member for member in Enzyme},
}


class EnzymeUnit(str, enum.Enum):
    """Unit of enzyme activity. 1 µkat/L = 60 U/L."""

    U_PER_L = "U/L"
    UKAT_PER_L = "ukat/L"

    @classmethod
    def parse(cls, value: object, field: str = "enzyme_unit") -> EnzymeUnit:
        """The unit ``value`` names: ``"U/L"`` or ``"ukat/L"`` (also ``"µkat/L"``), any case."""
        if isinstance(value, EnzymeUnit):
            return value
        if isinstance(value, str):
            text = value.strip().lower().replace("µ", "u").replace("μ", "u")
            for member in cls:
                if member.value.lower() == text:
                    return member
        raise InvalidValueError(
            f"{value!r} is not an enzyme unit; allowed: 'U/L', 'ukat/L'", field=field, value=value
        )

    def to(self, other: EnzymeUnit, value: Fraction) -> Fraction:
        """Convert ``value`` from this unit to ``other`` exactly."""
        if self is other:
            return value
        return value * _IN_U_PER_L[self] / _IN_U_PER_L[other]


_IN_U_PER_L = {EnzymeUnit.U_PER_L: Fraction(1), EnzymeUnit.UKAT_PER_L: Fraction(60)}

DEFAULT_RANGE_MULTIPLES: Mapping[Enzyme, Fraction] = MappingProxyType(
    {
        Enzyme.CK: Fraction(15),
        Enzyme.ALDOLASE: Fraction(3),
        Enzyme.AST: Fraction(3),
        Enzyme.ALT: Fraction(3),
        Enzyme.LDH: Fraction(3),
    }
)
"""Top of each enzyme's range as a multiple of its ULN under ``enzyme_rule="range"``.

The multiples of an independent implementation (an R script, named in the documentation's
references, which takes them from an unnamed guide); the criteria papers do not print them, so
they are unconfirmed (an open point, see the documentation). Override with
``Options(enzyme_range_multiples=...)``.
"""


def enzyme_panel(
    values: Mapping[Any, Any] | None, field: str, *, positive: bool = False
) -> Mapping[Enzyme, Fraction]:
    """Validate a mapping of enzyme name → value into an exact, read-only panel.

    Values must be finite and ≥ 0 (> 0 with ``positive``, as for ULNs). Two spellings of one enzyme
    (``"CK"`` and ``"ck"``) are an error.
    """
    if values is None:
        return MappingProxyType({})
    if type(values) is not dict and not isinstance(values, Mapping):  # dict: no ABC check
        raise InvalidValueError(
            f"must be a mapping of enzyme name to value, got {type(values).__name__}",
            field=field,
            value=values,
        )
    panel: dict[Enzyme, Fraction] = {}
    for name, raw in values.items():
        enzyme = _ENZYME_NAMES.get(name) if type(name) is str else None  # the usual spellings
        if enzyme is None:
            enzyme = Enzyme.parse(name, f"{field}.{name}")
        where = f"{field}.{enzyme._value_}"  # ._value_: .value without its descriptor
        if enzyme in panel:
            raise InvalidValueError(f"{enzyme.value} is given twice", field=where, value=name)
        value = exact(raw, where)
        if positive and value.numerator <= 0:
            raise InvalidValueError(f"{raw!r} must be greater than 0", field=where, value=raw)
        if value.numerator < 0:
            raise InvalidValueError(
                f"{raw!r} is negative; must be 0 or more", field=where, value=raw
            )
        panel[enzyme] = value
    if len(panel) > 1:
        panel = dict(sorted(panel.items(), key=lambda kv: _ORDER[kv[0]]))
    return MappingProxyType(panel)


_ORDER = {enzyme: index for index, enzyme in enumerate(Enzyme)}


def most_abnormal(baseline: Mapping[Enzyme, Fraction], uln: Mapping[Enzyme, Fraction]) -> Enzyme:
    """The enzyme with the largest baseline value ÷ ULN; ties go to the first in the order CK,
    aldolase, AST, ALT, LDH. ``baseline`` must be non-empty and every enzyme in it must have a ULN.
    """
    if len(baseline) == 1:
        return next(iter(baseline))
    best: Enzyme | None = None
    best_ratio = Fraction(-1)
    for enzyme in sorted(baseline, key=_ORDER.__getitem__):
        ratio = baseline[enzyme] / uln[enzyme]
        if ratio > best_ratio:
            best, best_ratio = enzyme, ratio
    if best is None:
        raise ValueError("most_abnormal needs at least one baseline enzyme")
    return best
