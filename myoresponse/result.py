"""The scored response: Total Improvement Score, category, and how each measure contributed.

A :class:`Result` explains itself — per measure the exact absolute percent change, its direction,
the band's level points — and states the conventions it was computed under. ``to_dict()`` gives the
result object of the JSON interface.
"""

from __future__ import annotations

import enum
from fractions import Fraction
from typing import Any

from attrs import frozen

from .criteria import Category, Criteria, Population
from .enzymes import Enzyme, EnzymeUnit
from .options import EnzymeRule, Options

__all__ = ["Direction", "EnzymeUsed", "MeasureScore", "Result"]


class Direction(str, enum.Enum):
    """Whether a measure moved the good way between baseline and follow-up."""

    IMPROVED = "improved"
    WORSENED = "worsened"
    UNCHANGED = "unchanged"

    @classmethod
    def of(cls, change: Fraction) -> Direction:
        """The direction of an absolute percent change (positive is improvement)."""
        if change > 0:
            return cls.IMPROVED
        if change < 0:
            return cls.WORSENED
        return cls.UNCHANGED


def _number(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


@frozen
class MeasureScore:
    """One core set measure's contribution. A missing measure has ``None`` values and 0 points."""

    measure: str
    baseline: Fraction | None
    followup: Fraction | None
    absolute_percent_change: Fraction | None
    direction: Direction | None
    band: int | None
    points: Fraction
    max_points: Fraction

    @property
    def missing(self) -> bool:
        """True when the measure was not scored for want of a value."""
        return self.absolute_percent_change is None

    def to_dict(self) -> dict[str, Any]:
        """One entry of the result's ``measures`` list."""
        return {
            "measure": self.measure,
            "baseline": _number(self.baseline),
            "followup": _number(self.followup),
            "absolute_percent_change": _number(self.absolute_percent_change),
            "direction": None if self.direction is None else self.direction.value,
            "points": float(self.points),
            "max_points": float(self.max_points),
        }


@frozen
class EnzymeUsed:
    """Which enzyme was followed and how its change was computed.

    ``selection`` is ``"most abnormal at baseline"`` or ``"pinned"``; values are in ``unit``, the
    unit of the ULN. ``range_multiple`` is the k of the range ``0 … k × ULN`` (``None`` under the
    relative rule).
    """

    name: Enzyme
    uln: Fraction
    unit: EnzymeUnit
    rule: EnzymeRule
    range_multiple: Fraction | None
    selection: str

    def to_dict(self) -> dict[str, Any]:
        """The result's ``enzyme`` object."""
        multiple = self.range_multiple
        return {
            "name": self.name.value,
            "uln": float(self.uln),
            "unit": self.unit.value,
            "rule": self.rule.value,
            "range_multiple": None
            if multiple is None
            else (int(multiple) if multiple.denominator == 1 else float(multiple)),
        }


@frozen
class Result:
    """The 2016 ACR/EULAR response of one follow-up visit against baseline."""

    criteria: Criteria
    total_improvement_score: Fraction
    category: Category
    measures: tuple[MeasureScore, ...]
    enzyme: EnzymeUsed | None
    options: Options

    @property
    def population(self) -> Population:
        """The population whose criteria were applied."""
        return self.criteria.population

    @property
    def missing(self) -> tuple[str, ...]:
        """Keys of the measures that were missing (scored 0 under ``missing="zero"``)."""
        return tuple(m.measure for m in self.measures if m.missing)

    @property
    def partial(self) -> bool:
        """True when any measure was missing, so the score may understate the response."""
        return bool(self.missing)

    @property
    def worsened(self) -> tuple[str, ...]:
        """Keys of the measures whose change is negative."""
        return tuple(m.measure for m in self.measures if m.direction is Direction.WORSENED)

    def measure(self, key: str) -> MeasureScore:
        """The score of measure ``key`` (``KeyError`` if this criteria set has none)."""
        for score in self.measures:
            if score.measure == key:
                return score
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        """The result object of the JSON interface (see the documentation's *Embedding* page)."""
        return {
            "criteria": self.criteria.name,
            "population": self.population.value,
            "total_improvement_score": float(self.total_improvement_score),
            "category": self.category.value,
            "partial": self.partial,
            "missing": list(self.missing),
            "worsened": list(self.worsened),
            "measures": [m.to_dict() for m in self.measures],
            "enzyme": None if self.enzyme is None else self.enzyme.to_dict(),
            "options": self.options.to_dict(),
        }
