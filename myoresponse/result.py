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

from myoresponse._version import __version__
from myoresponse.criteria import Category, Criteria, Population
from myoresponse.enzymes import Enzyme, EnzymeUnit
from myoresponse.options import EnzymeRule, Options

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


def _text(value: Fraction | None) -> str:
    """A number as a person writes it: ``70``, ``17.5``, ``20.8333``; empty for ``None``."""
    if value is None:
        return ""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.6g}"


# ``member._value_`` below is ``member.value`` without the descriptor call (hot in to_dict).


def _number(value: Fraction | None) -> float | None:
    if value is None:
        return None
    numerator, denominator = value.as_integer_ratio()
    return numerator / denominator  # what float(value) computes, without its slow dispatch


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
            "direction": None if self.direction is None else self.direction._value_,
            "points": _number(self.points),
            "max_points": _number(self.max_points),
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
            "name": self.name._value_,
            "uln": _number(self.uln),
            "unit": self.unit._value_,
            "rule": self.rule._value_,
            "range_multiple": None
            if multiple is None
            else (int(multiple) if multiple.denominator == 1 else float(multiple)),
        }


@frozen
class Result:
    """The 2016 ACR/EULAR response of one follow-up visit against baseline.

    ``warnings`` says when the result falls outside what the criteria were validated for (a
    subtype other than adult DM/PM or JDM, see :mod:`myoresponse.subtypes`); empty otherwise.
    """

    criteria: Criteria
    total_improvement_score: Fraction
    category: Category
    measures: tuple[MeasureScore, ...]
    enzyme: EnzymeUsed | None
    options: Options
    prednisone_equivalent_mg_per_day: tuple[Fraction | None, Fraction | None] = (None, None)
    """Baseline and follow-up glucocorticoid dose in prednisone-equivalent mg/day, when recorded
    (``Visit.steroids``); not part of the score."""
    warnings: tuple[str, ...] = ()

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

    def explain(self) -> str:
        """A plain-text table of how the score came about, for people (not for parsing)."""
        lines = [
            f"{self.criteria.name}: Total Improvement Score {_text(self.total_improvement_score)}"
            f" ({self.category.value} improvement)"
            + (f"; PARTIAL, missing: {', '.join(self.missing)}" if self.partial else ""),
            f"{'measure':<18}{'baseline':>10}{'follow-up':>11}{'change %':>10}"
            f"  {'direction':<10}{'points':>12}",
        ]
        for m in self.measures:
            change = (
                ""
                if m.absolute_percent_change is None
                else f"{float(m.absolute_percent_change):.2f}"
            )
            lines.append(
                f"{m.measure:<18}{_text(m.baseline):>10}{_text(m.followup):>11}{change:>10}"
                f"  {'' if m.direction is None else m.direction.value:<10}"
                f"{_text(m.points) + ' / ' + _text(m.max_points):>12}"
            )
        if self.enzyme is not None:
            e = self.enzyme
            how = (
                f"range 0 to {_text(e.range_multiple)} × ULN"
                if e.range_multiple is not None
                else "relative to baseline"
            )
            lines.append(
                f"enzyme: {e.name.value} ({e.selection}), ULN {_text(e.uln)} {e.unit.value}, {how}"
            )
        lines.append(
            f"conventions: band edges {self.options.band_edges.value}, "
            f"enzyme rule {self.options.enzyme_rule.value}, missing {self.options.missing.value}"
            f"; myoresponse {__version__}"
        )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The result object of the JSON interface (see the documentation's *Embedding* page).

        ``myoresponse_version`` names the version that computed it, so that a stored result states
        its software as well as its conventions. ``prednisone_equivalent_mg_per_day``
        (``{"baseline", "followup"}``) is added only when a visit recorded its steroids.
        """
        missing = [m.measure for m in self.measures if m.absolute_percent_change is None]
        out = {
            "criteria": self.criteria.name,
            "population": self.criteria.population._value_,
            "total_improvement_score": _number(self.total_improvement_score),
            "category": self.category._value_,
            "partial": bool(missing),
            "missing": missing,
            "worsened": [m.measure for m in self.measures if m.direction is Direction.WORSENED],
            "measures": [m.to_dict() for m in self.measures],
            "enzyme": None if self.enzyme is None else self.enzyme.to_dict(),
            "options": self.options.to_dict(),
            "warnings": list(self.warnings),
            "myoresponse_version": __version__,
        }
        before, after = self.prednisone_equivalent_mg_per_day
        if before is not None or after is not None:
            out["prednisone_equivalent_mg_per_day"] = {
                "baseline": _number(before),
                "followup": _number(after),
            }
        return out
