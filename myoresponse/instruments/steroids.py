"""Prednisone-equivalent daily dose of systemic glucocorticoids.

Steroid sparing is reported as the prednisone-equivalent daily dose (mg/day), e.g. the median
before and after treatment, and a response is "prednisone-free" at 0 mg/day. This module converts
a dose of any of nine systemic glucocorticoids to prednisone milligrams with an equivalence table,
and a dose taken at a frequency (twice daily, every other day, weekly, …) to a daily dose, exactly.

Equivalence table (mg of each drug equivalent in anti-inflammatory, glucocorticoid effect to
5 mg of prednisone; oral or intravenous use):

=====================  =======
drug                   mg
=====================  =======
cortisone              25
hydrocortisone         20
prednisone             5
prednisolone           5
methylprednisolone     4
triamcinolone          4
deflazacort            6
dexamethasone          0.75
betamethasone          0.6
=====================  =======

Sources: all drugs but deflazacort from Liu D, Ahmet A, Ward L, et al. A practical guide to the
monitoring and management of the complications of systemic corticosteroid therapy. Allergy Asthma
Clin Immunol 2013;9:30 (Table 1); the same values appear in the standard tables (Meikle AW, Tyler
FH. Potency and duration of action of glucocorticoids. Am J Med 1977;63:200-207), although some
tables give betamethasone as 0.75 mg. Deflazacort: 6 mg ≈ 5 mg prednisone (prednisolone), the
ratio of the deflazacort prescribing information and of Markham A, Bryson HM. Deflazacort: a
review of its pharmacological properties and therapeutic efficacy. Drugs 1995;50:317-333; other
studies report 1.2-1.5 mg of deflazacort per mg of prednisolone.

Equivalences are approximate: they describe anti-inflammatory potency, not mineralocorticoid
effect, duration of action or route-specific bioavailability, and they do not apply to inhaled,
topical, intra-articular or intramuscular depot preparations. Conversions here are exact
arithmetic on the table, so they are linear and round-trip; the table itself is the approximation.

JSON shape of one dose (``frequency`` defaults to ``"once daily"``)::

    {"drug": "methylprednisolone", "dose_mg": 16, "frequency": "twice daily"}

:meth:`myoresponse.SteroidDose.to_dict` adds ``"daily_mg"`` and
``"prednisone_equivalent_mg_per_day"``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any, TypeVar

from attrs import field, frozen

from myoresponse._exact import exact
from myoresponse._shapes import as_object, normalise_name, only_keys
from myoresponse.errors import (
    InputFormatError,
    InvalidValueError,
    MyoresponseError,
    UnknownFieldError,
)

__all__ = [
    "EQUIVALENT_TO_5_MG_PREDNISONE",
    "Frequency",
    "Glucocorticoid",
    "SteroidDose",
    "daily_dose",
    "from_prednisone_equivalent",
    "prednisone_equivalent",
    "prednisone_equivalent_daily",
    "total_prednisone_equivalent_daily",
]


N = TypeVar("N", bound=enum.Enum)


def _named(kind: type[N], value: object, aliases: Mapping[str, str]) -> N | None:
    """The member of ``kind`` that ``value`` is or names (any case, spaces or underscores, or an
    alias); ``None`` when it names none."""
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        name = normalise_name(value).replace("_", " ")
        name = aliases.get(name, name)
        for member in kind:
            if member.value == name:
                return member
    return None


class Glucocorticoid(str, enum.Enum):
    """A systemic glucocorticoid of the equivalence table. Names match case-insensitively."""

    HYDROCORTISONE = "hydrocortisone"
    CORTISONE = "cortisone"
    PREDNISONE = "prednisone"
    PREDNISOLONE = "prednisolone"
    METHYLPREDNISOLONE = "methylprednisolone"
    TRIAMCINOLONE = "triamcinolone"
    DEXAMETHASONE = "dexamethasone"
    BETAMETHASONE = "betamethasone"
    DEFLAZACORT = "deflazacort"

    @classmethod
    def parse(cls, value: object, field: str = "drug") -> Glucocorticoid:
        """The drug ``value`` names (``"Prednisolone"``, ``"cortisol"``); an error otherwise."""
        member = _named(cls, value, _DRUG_ALIASES)
        if member is not None:
            return member
        allowed = ", ".join(member.value for member in cls)
        raise UnknownFieldError(
            f"{value!r} is not a glucocorticoid of the equivalence table; allowed: {allowed}",
            field=field,
            value=value,
        )


_DRUG_ALIASES = {
    "cortisol": "hydrocortisone",
    "cortisone acetate": "cortisone",
    "methylprednisolone sodium succinate": "methylprednisolone",
    "hydrocortisone sodium succinate": "hydrocortisone",
}

EQUIVALENT_TO_5_MG_PREDNISONE: Mapping[Glucocorticoid, Fraction] = MappingProxyType(
    {
        Glucocorticoid.CORTISONE: Fraction(25),
        Glucocorticoid.HYDROCORTISONE: Fraction(20),
        Glucocorticoid.PREDNISONE: Fraction(5),
        Glucocorticoid.PREDNISOLONE: Fraction(5),
        Glucocorticoid.METHYLPREDNISOLONE: Fraction(4),
        Glucocorticoid.TRIAMCINOLONE: Fraction(4),
        Glucocorticoid.DEFLAZACORT: Fraction(6),
        Glucocorticoid.DEXAMETHASONE: Fraction("0.75"),
        Glucocorticoid.BETAMETHASONE: Fraction("0.6"),
    }
)
"""Milligrams of each drug equivalent to 5 mg of prednisone (see the module docs for sources)."""

_PREDNISONE_MG = Fraction(5)


class Frequency(str, enum.Enum):
    """How often a dose is taken; :attr:`per_day` is the exact number of doses per day."""

    ONCE_DAILY = "once daily"
    TWICE_DAILY = "twice daily"
    THREE_TIMES_DAILY = "three times daily"
    FOUR_TIMES_DAILY = "four times daily"
    EVERY_OTHER_DAY = "every other day"
    TWICE_WEEKLY = "twice weekly"
    THREE_TIMES_WEEKLY = "three times weekly"
    WEEKLY = "weekly"

    @property
    def per_day(self) -> Fraction:
        """The number of doses per day (2 twice daily, 1/2 every other day, 1/7 weekly)."""
        return _PER_DAY[self]

    @classmethod
    def parse(cls, value: object, field: str = "frequency") -> Frequency:
        """The frequency ``value`` names: the member values or a usual abbreviation (``"bid"``)."""
        member = _named(cls, value, _FREQUENCY_ALIASES)
        if member is not None:
            return member
        allowed = ", ".join(repr(member.value) for member in cls)
        raise InvalidValueError(
            f"{value!r} is not a known dosing frequency; allowed: {allowed} "
            "(or qd/od, bid, tid, qid, qod/eod, weekly)",
            field=field,
            value=value,
        )


_PER_DAY = {
    Frequency.ONCE_DAILY: Fraction(1),
    Frequency.TWICE_DAILY: Fraction(2),
    Frequency.THREE_TIMES_DAILY: Fraction(3),
    Frequency.FOUR_TIMES_DAILY: Fraction(4),
    Frequency.EVERY_OTHER_DAY: Fraction(1, 2),
    Frequency.TWICE_WEEKLY: Fraction(2, 7),
    Frequency.THREE_TIMES_WEEKLY: Fraction(3, 7),
    Frequency.WEEKLY: Fraction(1, 7),
}

_FREQUENCY_ALIASES = {
    "daily": "once daily",
    "once a day": "once daily",
    "qd": "once daily",
    "od": "once daily",
    "every 24 hours": "once daily",
    "q24h": "once daily",
    "twice a day": "twice daily",
    "bid": "twice daily",
    "bd": "twice daily",
    "every 12 hours": "twice daily",
    "q12h": "twice daily",
    "three times a day": "three times daily",
    "tid": "three times daily",
    "tds": "three times daily",
    "every 8 hours": "three times daily",
    "q8h": "three times daily",
    "four times a day": "four times daily",
    "qid": "four times daily",
    "qds": "four times daily",
    "every 6 hours": "four times daily",
    "q6h": "four times daily",
    "alternate days": "every other day",
    "alternate day": "every other day",
    "qod": "every other day",
    "eod": "every other day",
    "every 48 hours": "every other day",
    "q48h": "every other day",
    "twice a week": "twice weekly",
    "three times a week": "three times weekly",
    "once weekly": "weekly",
    "once a week": "weekly",
    "every week": "weekly",
    "qw": "weekly",
}


def _dose(value: Any, field: str) -> Fraction:
    number = exact(value, field)
    if number < 0:
        raise InvalidValueError(
            f"{value!r} is negative; a dose is 0 mg or more", field=field, value=value
        )
    return number


def prednisone_equivalent(dose_mg: Any, drug: Glucocorticoid | str) -> Fraction:
    """Milligrams of prednisone equivalent to ``dose_mg`` of ``drug``, exactly.

    >>> prednisone_equivalent(16, "methylprednisolone")
    Fraction(20, 1)
    """
    which = Glucocorticoid.parse(drug)
    return _dose(dose_mg, "dose_mg") * _PREDNISONE_MG / EQUIVALENT_TO_5_MG_PREDNISONE[which]


def from_prednisone_equivalent(prednisone_mg: Any, drug: Glucocorticoid | str) -> Fraction:
    """Milligrams of ``drug`` equivalent to ``prednisone_mg`` of prednisone (the inverse).

    >>> from_prednisone_equivalent(20, "dexamethasone")
    Fraction(3, 1)
    """
    which = Glucocorticoid.parse(drug)
    return (
        _dose(prednisone_mg, "prednisone_mg")
        * EQUIVALENT_TO_5_MG_PREDNISONE[which]
        / _PREDNISONE_MG
    )


def daily_dose(dose_mg: Any, frequency: Frequency | str = Frequency.ONCE_DAILY) -> Fraction:
    """Milligrams per day of ``dose_mg`` taken at ``frequency``, exactly.

    >>> daily_dose(20, "every other day")
    Fraction(10, 1)
    """
    return _dose(dose_mg, "dose_mg") * Frequency.parse(frequency).per_day


def prednisone_equivalent_daily(
    drug: Glucocorticoid | str, dose_mg: Any, frequency: Frequency | str = Frequency.ONCE_DAILY
) -> Fraction:
    """Prednisone-equivalent mg/day of ``dose_mg`` of ``drug`` taken at ``frequency``.

    >>> prednisone_equivalent_daily("dexamethasone", 4, "twice daily")
    Fraction(160, 3)
    """
    return SteroidDose(drug, dose_mg, frequency).prednisone_equivalent_daily


def _drug(value: Any) -> Glucocorticoid:
    return Glucocorticoid.parse(value, "drug")


def _dose_mg(value: Any) -> Fraction:
    return _dose(value, "dose_mg")


def _frequency(value: Any) -> Frequency:
    return Frequency.parse(value, "frequency")


@frozen
class SteroidDose:
    """One glucocorticoid prescription: ``drug``, ``dose_mg`` per administration and ``frequency``.

    Validated at construction: an unknown drug is an
    :class:`~myoresponse.errors.UnknownFieldError` (field ``drug``), a negative or non-numeric
    dose and an unknown frequency are :class:`~myoresponse.errors.InvalidValueError` (fields
    ``dose_mg``, ``frequency``).
    """

    drug: Glucocorticoid = field(converter=_drug)
    dose_mg: Fraction = field(converter=_dose_mg)
    frequency: Frequency = field(default=Frequency.ONCE_DAILY, converter=_frequency)

    @property
    def daily_mg(self) -> Fraction:
        """Milligrams of the drug per day."""
        return self.dose_mg * self.frequency.per_day

    @property
    def prednisone_equivalent_daily(self) -> Fraction:
        """Prednisone-equivalent milligrams per day."""
        return self.daily_mg * _PREDNISONE_MG / EQUIVALENT_TO_5_MG_PREDNISONE[self.drug]

    @classmethod
    def from_mapping(cls, data: Any) -> SteroidDose:
        """Read ``{"drug", "dose_mg", "frequency"}`` (``frequency`` optional)."""
        obj = as_object(data, None)
        only_keys(obj, ("drug", "dose_mg", "frequency"))
        for key in ("drug", "dose_mg"):
            if key not in obj:
                raise InputFormatError(
                    'is required, e.g. {"drug": "prednisone", "dose_mg": 10}',
                    field=key,
                    value=None,
                )
        return cls(obj["drug"], obj["dose_mg"], obj.get("frequency", Frequency.ONCE_DAILY))

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape plus the computed ``daily_mg`` and prednisone-equivalent mg/day."""
        return {
            "drug": self.drug.value,
            "dose_mg": _number(self.dose_mg),
            "frequency": self.frequency.value,
            "daily_mg": _number(self.daily_mg),
            "prednisone_equivalent_mg_per_day": _number(self.prednisone_equivalent_daily),
        }


def total_prednisone_equivalent_daily(
    doses: Iterable[SteroidDose | Mapping[str, Any]],
) -> Fraction:
    """Sum of the prednisone-equivalent mg/day of several concurrent prescriptions (0 if none).

    A mapping in ``doses`` is read with :meth:`SteroidDose.from_mapping`; an error in the n-th
    one has its field prefixed with ``doses[n]``.
    """
    total = Fraction(0)
    for index, dose in enumerate(doses):
        if not isinstance(dose, SteroidDose):
            try:
                dose = SteroidDose.from_mapping(dose)
            except MyoresponseError as error:
                raise error.with_field_prefix(f"doses[{index}]") from None
        total += dose.prednisone_equivalent_daily
    return total


def _number(value: Fraction) -> int | float:
    return value.numerator if value.denominator == 1 else float(value)
