"""MMT-8: manual muscle testing of eight muscle groups, the strength measure of the IMACS core set.

Each muscle group is graded on the IMACS 0-10 scale (whole grades; 0 = no contraction felt,
10 = holds the test position against strong pressure). The eight groups are neck flexors, deltoid
(middle), biceps brachii, wrist extensors, gluteus maximus, gluteus medius, quadriceps and ankle
dorsiflexors.

- **Unilateral** protocol: the seven limb groups on one side plus the neck flexors, total 0-80.
  IMACS tests one side, generally the right (the left when the right cannot be tested).
- **Bilateral** protocol: the neck flexors once and the seven limb groups on both sides, 15
  groups, total 0-150.

The result reports its own maximum, which is the ``mmt_max`` an assessment needs: the maximum
changes the percent change a lot, so it must come from the protocol actually used.

A missing grade is an error naming the muscle and side. Only when the caller asks
(``prorate=True``) are missing groups prorated: ``total = sum of graded groups * groups in the
protocol / groups graded``, kept as an exact fraction (not rounded). IMACS publishes no proration
rule for the MMT-8; this is the usual "mean of the graded groups, scaled up" convention and it is
an option, never a default. The result says whether it was prorated and what was missing.

Sources: Rider LG, Koziol D, Giannini EH, et al. Validation of manual muscle testing and a subset
of eight muscles for adult and juvenile idiopathic inflammatory myopathies. Arthritis Care Res
2010;62:465-472. IMACS Form 04, Manual Muscle Testing Scoring Sheet (MMT-8 0-80 unilateral, 0-150
bilateral; 0-10 scale per group).

JSON shape (one object per examination; ``null`` or an absent key is a missing grade)::

    {"protocol": "unilateral", "side": "right",
     "grades": {"neck_flexors": 8, "deltoid": 9, "biceps": 9, "wrist_extensors": 10,
                "gluteus_maximus": 7, "gluteus_medius": 8, "quadriceps": 9,
                "ankle_dorsiflexors": 10}}

    {"protocol": "bilateral",
     "grades": {"neck_flexors": 8,
                "deltoid": {"right": 9, "left": 8}, "biceps": {"right": 9, "left": 9}, ...}}

``protocol`` defaults to ``"unilateral"`` and ``side`` (unilateral only) to ``"right"``.
:meth:`myoresponse.MMT8Score.to_dict` gives ``{"total", "maximum", "protocol", "graded", "groups",
"missing", "prorated"}``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from attrs import field, frozen

from myoresponse._exact import exact
from myoresponse._names import choice
from myoresponse._shapes import as_object, json_type, normalise_name, only_keys
from myoresponse.errors import (
    InputFormatError,
    InvalidValueError,
    NotComputableError,
    UnknownFieldError,
)

__all__ = [
    "GRADE_MAX",
    "GRADE_MIN",
    "MMT8Grades",
    "MMT8Score",
    "Muscle",
    "Protocol",
    "Side",
    "score_mmt8",
]

GRADE_MIN = 0
"""Lowest grade of the IMACS 0-10 scale (no contraction felt)."""
GRADE_MAX = 10
"""Highest grade of the IMACS 0-10 scale (holds against strong pressure)."""


class Muscle(str, enum.Enum):
    """The eight MMT-8 muscle groups, in the order of the IMACS scoring sheet."""

    NECK_FLEXORS = "neck_flexors"
    DELTOID = "deltoid"
    BICEPS = "biceps"
    WRIST_EXTENSORS = "wrist_extensors"
    GLUTEUS_MAXIMUS = "gluteus_maximus"
    GLUTEUS_MEDIUS = "gluteus_medius"
    QUADRICEPS = "quadriceps"
    ANKLE_DORSIFLEXORS = "ankle_dorsiflexors"

    @property
    def label(self) -> str:
        """The group's name on the scoring sheet ("deltoid (middle)")."""
        return _LABELS[self]

    @property
    def axial(self) -> bool:
        """True for the neck flexors, graded once in either protocol (no side)."""
        return self is Muscle.NECK_FLEXORS

    @classmethod
    def parse(cls, value: object, field: str = "muscle") -> Muscle:
        """The group ``value`` names (``"deltoid"``, ``"Neck flexors"``, ``Muscle.BICEPS``)."""
        if isinstance(value, Muscle):
            return value
        if isinstance(value, str):
            name = _ALIASES.get(normalise_name(value), normalise_name(value))
            for member in cls:
                if member.value == name:
                    return member
        allowed = ", ".join(member.value for member in cls)
        raise UnknownFieldError(
            f"{value!r} is not an MMT-8 muscle group; allowed: {allowed}", field=field, value=value
        )


_LABELS = {
    Muscle.NECK_FLEXORS: "neck flexors",
    Muscle.DELTOID: "deltoid (middle)",
    Muscle.BICEPS: "biceps brachii",
    Muscle.WRIST_EXTENSORS: "wrist extensors",
    Muscle.GLUTEUS_MAXIMUS: "gluteus maximus",
    Muscle.GLUTEUS_MEDIUS: "gluteus medius",
    Muscle.QUADRICEPS: "quadriceps",
    Muscle.ANKLE_DORSIFLEXORS: "ankle dorsiflexors",
}
_ALIASES = {
    "deltoid_middle": "deltoid",
    "middle_deltoid": "deltoid",
    "biceps_brachii": "biceps",
    "ankle_dorsiflexor": "ankle_dorsiflexors",
    "wrist_extensor": "wrist_extensors",
    "neck_flexor": "neck_flexors",
}


class Side(str, enum.Enum):
    """Side of the body a limb muscle group was tested on."""

    RIGHT = "right"
    LEFT = "left"


class Protocol(str, enum.Enum):
    """Which MMT-8 protocol was used: one side (0-80) or both sides (0-150)."""

    UNILATERAL = "unilateral"
    BILATERAL = "bilateral"

    @property
    def groups(self) -> int:
        """The number of graded groups (8 unilateral; 15 bilateral, neck flexors once)."""
        return 8 if self is Protocol.UNILATERAL else 15

    @property
    def maximum(self) -> Fraction:
        """The maximum possible total (80 unilateral, 150 bilateral)."""
        return Fraction(GRADE_MAX * self.groups)


Site = tuple[Muscle, "Side | None"]
"""One graded group: a muscle and, for limb groups in the bilateral protocol, a side."""


def _sites(protocol: Protocol) -> tuple[Site, ...]:
    """Every group the protocol grades, in sheet order (right before left)."""
    if protocol is Protocol.UNILATERAL:
        return tuple((muscle, None) for muscle in Muscle)
    sites: list[Site] = [(Muscle.NECK_FLEXORS, None)]
    for muscle in Muscle:
        if not muscle.axial:
            sites.extend([(muscle, Side.RIGHT), (muscle, Side.LEFT)])
    return tuple(sites)


def _path(site: Site) -> str:
    muscle, side = site
    return muscle.value if side is None else f"{muscle.value}.{side.value}"


def _grade(value: Any, field: str, where: str) -> int | None:
    """A whole grade 0-10, or ``None`` for a missing one; ``where`` names muscle and side."""
    if value is None:
        return None
    number = exact(value, field)
    if number.denominator != 1 or not GRADE_MIN <= number <= GRADE_MAX:
        raise InvalidValueError(
            f"{value!r} for {where} is out of scale; MMT-8 grades are whole numbers "
            f"{GRADE_MIN}-{GRADE_MAX} (IMACS 0-10 scale)",
            field=field,
            value=value,
        )
    return int(number)


def _where(muscle: Muscle, side: Side | None) -> str:
    return muscle.label if side is None else f"{muscle.label} ({side.value} side)"


def _parse_grades(raw: Any, protocol: Protocol, side: Side | None) -> dict[Site, int | None]:
    """Validate the ``grades`` object of the protocol into one entry per group."""
    obj = as_object(raw, "grades")
    seen: dict[Muscle, str] = {}
    grades: dict[Site, int | None] = dict.fromkeys(_sites(protocol))
    for key, value in obj.items():
        muscle = Muscle.parse(key, f"grades.{key}")
        if muscle in seen:
            raise InvalidValueError(
                f"{muscle.label} is given twice (as {seen[muscle]!r} and {key!r})",
                field=f"grades.{key}",
                value=key,
            )
        seen[muscle] = str(key)
        field = f"grades.{muscle.value}"
        if protocol is Protocol.UNILATERAL or muscle.axial:
            if isinstance(value, Mapping):
                why = (
                    "the neck flexors are graded once, not per side"
                    if muscle.axial
                    else "the unilateral protocol grades one side: give one number"
                )
                raise InputFormatError(
                    f"must be a grade 0-10 or null, got an object; {why}", field=field, value=value
                )
            where = _where(muscle, None if muscle.axial else side)
            grades[(muscle, None)] = _grade(value, field, where)
            continue
        if value is None:
            continue  # both sides missing
        if not isinstance(value, Mapping):
            raise InputFormatError(
                f"must be an object {{'right': grade, 'left': grade}} in the bilateral protocol, "
                f"got {json_type(value)}",
                field=field,
                value=value,
            )
        only_keys(value, [s.value for s in Side], f"{field}.")
        for each in Side:
            grades[(muscle, each)] = _grade(
                value.get(each.value), f"{field}.{each.value}", _where(muscle, each)
            )
    return grades


@frozen(init=False)
class MMT8Grades:
    """One MMT-8 examination: the protocol, the side tested (unilateral) and the grades.

    ``grades`` takes the document shape: muscle group → grade for the unilateral protocol;
    for the bilateral one, neck flexors → grade and each limb group → ``{"right": g, "left": g}``.
    A grade is a whole number 0-10; ``None`` or an absent group is missing. Grades out of scale,
    unknown groups, sides where none belong and a ``side`` given with the bilateral protocol are
    errors whose field names the group (``grades.deltoid.left``).

    After construction, ``grades`` maps each group of the protocol — ``(muscle, side)``, with side
    ``None`` for the neck flexors and for every group of the unilateral protocol — to its grade.
    """

    protocol: Protocol
    side: Side | None
    grades: Mapping[Site, int | None] = field(hash=False)

    def __init__(
        self,
        grades: Mapping[Any, Any],
        *,
        protocol: Protocol | str = Protocol.UNILATERAL,
        side: Side | str | None = None,
    ) -> None:
        chosen = choice(Protocol, protocol, "protocol")
        tested: Side | None = None
        if chosen is Protocol.UNILATERAL:
            tested = Side.RIGHT if side is None else choice(Side, side, "side")
        elif side is not None:
            raise InvalidValueError(
                f"{side!r}: a side applies to the unilateral protocol only; the bilateral "
                "protocol grades both sides",
                field="side",
                value=side,
            )
        parsed = _parse_grades(grades, chosen, tested)
        self.__attrs_init__(chosen, tested, MappingProxyType(parsed))

    def __reduce__(self) -> tuple[Any, ...]:  # picklable (multiprocessing) despite the proxy
        return (MMT8Grades.from_mapping, (self.to_dict(),))

    @classmethod
    def from_mapping(cls, data: Any) -> MMT8Grades:
        """Read the JSON shape ``{"protocol", "side", "grades"}`` (see the module docs)."""
        obj = as_object(data, None)
        only_keys(obj, ("protocol", "side", "grades"))
        if "grades" not in obj:
            raise InputFormatError(
                "is required: an object of muscle group → grade 0-10", field="grades", value=None
            )
        return cls(
            obj["grades"],
            protocol=obj.get("protocol", Protocol.UNILATERAL),
            side=obj.get("side"),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape this examination was (or could have been) read from."""
        grades: dict[str, Any] = {}
        for (muscle, side), grade in self.grades.items():
            if side is None:
                grades[muscle.value] = grade
            else:
                grades.setdefault(muscle.value, {})[side.value] = grade
        out: dict[str, Any] = {"protocol": self.protocol.value}
        if self.side is not None:
            out["side"] = self.side.value
        out["grades"] = grades
        return out

    @property
    def missing(self) -> tuple[str, ...]:
        """The groups without a grade, as paths under ``grades`` (``"deltoid.left"``)."""
        return tuple(_path(site) for site, grade in self.grades.items() if grade is None)

    def score(self, *, prorate: bool = False) -> MMT8Score:
        """The MMT-8 total and its maximum.

        Every group must be graded unless ``prorate`` is true, in which case the total of the
        graded groups is scaled up to the protocol's group count (at least one group graded).
        """
        if not isinstance(prorate, bool):
            raise InvalidValueError(
                f"{prorate!r} must be true or false", field="prorate", value=prorate
            )
        graded = [grade for grade in self.grades.values() if grade is not None]
        missing = self.missing
        groups = self.protocol.groups
        raw_total = Fraction(sum(graded))
        if missing and not prorate:
            muscle, side = next(site for site, grade in self.grades.items() if grade is None)
            listed = ", ".join(missing)
            raise NotComputableError(
                f"{_where(muscle, side if side or muscle.axial else self.side)} "
                f"is not graded; the MMT-8 total needs all {groups} groups of the "
                f"{self.protocol.value} protocol (missing: {listed}); pass prorate=True to "
                "prorate missing groups",
                field=f"grades.{_path((muscle, side))}",
                value=None,
            )
        if not graded:
            raise NotComputableError(
                "no muscle group is graded; proration needs at least one graded group",
                field="grades",
                value=None,
            )
        total = raw_total * groups / len(graded) if missing else raw_total
        return MMT8Score(
            total=total,
            maximum=self.protocol.maximum,
            protocol=self.protocol,
            graded=len(graded),
            groups=groups,
            missing=missing,
            prorated=bool(missing),
            graded_sum=raw_total,
        )


@frozen
class MMT8Score:
    """The scored MMT-8: ``total`` and ``maximum`` feed an assessment's ``mmt`` and ``mmt_max``.

    ``graded_sum`` is the plain sum of the graded groups; it equals ``total`` unless the total was
    prorated (``prorated``), in which case ``missing`` lists the groups scaled over.
    """

    total: Fraction
    maximum: Fraction
    protocol: Protocol
    graded: int
    groups: int
    missing: tuple[str, ...]
    prorated: bool
    graded_sum: Fraction

    def to_dict(self) -> dict[str, Any]:
        """JSON form of the score; numbers are JSON numbers (a prorated total may be inexact)."""
        return {
            "total": _number(self.total),
            "maximum": _number(self.maximum),
            "protocol": self.protocol.value,
            "graded": self.graded,
            "groups": self.groups,
            "missing": list(self.missing),
            "prorated": self.prorated,
        }


def _number(value: Fraction) -> int | float:
    return value.numerator if value.denominator == 1 else float(value)


def score_mmt8(data: MMT8Grades | Mapping[str, Any], *, prorate: bool = False) -> MMT8Score:
    """Score an examination given as :class:`MMT8Grades` or as its JSON shape.

    >>> r = score_mmt8({"grades": {m.value: 9 for m in Muscle}})
    >>> (r.total, r.maximum)
    (Fraction(72, 1), Fraction(80, 1))
    """
    sheet = data if isinstance(data, MMT8Grades) else MMT8Grades.from_mapping(data)
    return sheet.score(prorate=prorate)
