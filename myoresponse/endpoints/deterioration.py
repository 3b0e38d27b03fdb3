"""Confirmed deterioration: the worsening conditions of one visit, and the conventions they need.

The published definition (IMACS trial guideline, Oddis et al. 2005; as printed for the ProDERM trial
in Arthritis Res Ther 2023, figure 1) is a change from baseline, on two consecutive visits, of any
of: physician global worse by ≥ 2 cm **and** MMT-8 worse by ≥ 20 %; extramuscular global worse by
≥ 2 cm; any 3 of the 5 non-enzyme core set measures worse by ≥ 30 %.

The sources leave two points open; :class:`DeteriorationRule` makes them options:

- ``percent_of``: whether "worse by 20 %" and "worse by 30 %" are **relative** to the baseline
  value (``"baseline"``, the default: ``100 × worsening / baseline``, as in the IMACS 2004 DOI) or
  percentages of the measure's **scale range** (``"range"``: ``100 × worsening / range``, the
  2016 criteria's absolute percent change).
- ``baseline_zero``: a relative change from a baseline of 0 does not exist. ``"any_rise"`` (the
  default, the IMACS 2004 DOI convention) counts any rise of a lower-is-better measure from 0 as
  worse by every percentage; ``"threshold_of_range"`` counts it only when the rise is at least that
  percentage of the measure's scale range (30 % of 0–10 cm is 3 cm, of HAQ 0–3 is 0.9). It applies
  under ``percent_of="baseline"`` only: under ``"range"`` a baseline of 0 needs no rule.

A higher-is-better measure (MMT) at baseline 0 cannot worsen under either rule.
"""

from __future__ import annotations

import enum
from fractions import Fraction
from typing import Any

from attrs import field, frozen

from myoresponse._exact import exact
from myoresponse._names import choice
from myoresponse.criteria import Better
from myoresponse.endpoints.definitions import STRENGTH_KEYS, relative_change
from myoresponse.errors import InvalidValueError
from myoresponse.result import Result

__all__ = ["BaselineZero", "DeteriorationCondition", "DeteriorationRule", "PercentOf"]

_TEN = Fraction(10)


class DeteriorationCondition(str, enum.Enum):
    """The worsening conditions of confirmed deterioration (IMACS trial guideline)."""

    PHYSICIAN_AND_STRENGTH = "physician_global_and_strength"
    """Physician global worse by ≥ 2 cm and muscle strength (MMT) worse by ≥ 20 %."""
    EXTRAMUSCULAR = "extramuscular_global"
    """Extramuscular global activity worse by ≥ 2 cm."""
    CORE_SET_MEASURES = "core_set_measures"
    """At least 3 of the 5 non-enzyme core set measures worse by ≥ 30 %."""


class PercentOf(str, enum.Enum):
    """What "worse by N %" of confirmed deterioration is a percentage of."""

    BASELINE = "baseline"
    """Relative to the baseline value, as in the IMACS 2004 DOI (the default)."""
    RANGE = "range"
    """Of the measure's scale range, as in the 2016 criteria's absolute percent change."""


class BaselineZero(str, enum.Enum):
    """How a rise from a baseline of 0 counts under ``percent_of="baseline"``."""

    ANY_RISE = "any_rise"
    """Any rise from 0 is worse by every percentage (the IMACS 2004 DOI convention; default)."""
    THRESHOLD_OF_RANGE = "threshold_of_range"
    """A rise from 0 is worse by N % only when it is at least N % of the scale range."""


def _positive(value: object) -> Fraction:
    number = exact(value, "deterioration")
    if number <= 0:
        raise InvalidValueError(f"{value!r} must be greater than 0", field="deterioration")
    return number


def count(value: object, name: str = "consecutive") -> int:
    """A whole number of at least 1 (a count of visits or measures), else an error on ``name``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidValueError(
            f"{value!r} must be a whole number of at least 1", field=name, value=value
        )
    return value


def _measures_count(value: object) -> int:
    return count(value, "deterioration.measures_count")


def _consecutive(value: object) -> int:
    return count(value, "deterioration.consecutive")


def _percent_of(value: object) -> PercentOf:
    return choice(PercentOf, value, "deterioration.percent_of")


def _baseline_zero(value: object) -> BaselineZero:
    return choice(BaselineZero, value, "deterioration.baseline_zero")


@frozen
class DeteriorationRule:
    """The thresholds and conventions of confirmed deterioration, as data.

    The default thresholds are the published ones; the default conventions are this project's
    (see the module documentation).

    - ``global_cm``: rise of physician global (with strength) or of extramuscular global, in cm on
      a 0–10 cm VAS; scaled by ``global_max / 10`` for other scales.
    - ``strength_percent``: fall of MMT that, with the physician global rise, is a worsening.
    - ``measures_percent`` and ``measures_count``: that many of the five non-enzyme core set
      measures worse by at least that percentage.
    - ``consecutive``: the number of consecutive worsening visits that confirms deterioration.
    - ``percent_of`` and ``baseline_zero``: what the percentages are of
      (:class:`~myoresponse.PercentOf`) and how a rise from 0 counts
      (:class:`~myoresponse.BaselineZero`).
    """

    global_cm: Fraction = field(default=Fraction(2), converter=_positive)
    strength_percent: Fraction = field(default=Fraction(20), converter=_positive)
    measures_percent: Fraction = field(default=Fraction(30), converter=_positive)
    measures_count: int = field(default=3, converter=_measures_count)
    consecutive: int = field(default=2, converter=_consecutive)
    percent_of: PercentOf = field(default=PercentOf.BASELINE, converter=_percent_of)
    baseline_zero: BaselineZero = field(default=BaselineZero.ANY_RISE, converter=_baseline_zero)

    def conditions(
        self, result: Result, global_max: Fraction
    ) -> tuple[DeteriorationCondition, ...]:
        """The worsening conditions that hold for the visit pair of an IMACS-core-set ``result``."""
        rise = self.global_cm * global_max / _TEN
        keys = [m.measure for m in result.measures]
        held: list[DeteriorationCondition] = []
        if _rose(result, "physician_global", rise) and any(
            self.worse_by(result, key, self.strength_percent) for key in STRENGTH_KEYS & set(keys)
        ):
            held.append(DeteriorationCondition.PHYSICIAN_AND_STRENGTH)
        if _rose(result, "extramuscular", rise):
            held.append(DeteriorationCondition.EXTRAMUSCULAR)
        worse = [
            key
            for key in keys
            if key != "enzyme" and self.worse_by(result, key, self.measures_percent)
        ]
        if len(worse) >= self.measures_count:
            held.append(DeteriorationCondition.CORE_SET_MEASURES)
        return tuple(held)

    def worse_by(self, result: Result, key: str, percent: Fraction) -> bool:
        """Whether measure ``key`` of ``result`` is worse by at least ``percent`` (this rule's way).

        A measure missing at either visit is never worse.
        """
        measure = result.measure(key)
        if measure.baseline is None or measure.followup is None:
            return False
        scale_change = measure.absolute_percent_change  # of the range; positive = improvement
        if self.percent_of is PercentOf.RANGE:
            return scale_change is not None and -scale_change >= percent
        better = result.criteria.measure(key).better
        change = relative_change(key, measure.baseline, measure.followup, better)
        if change.percent is not None:
            return -change.percent >= percent
        if not change.from_zero or better is Better.HIGHER:
            return False
        if self.baseline_zero is BaselineZero.ANY_RISE:
            return True
        return scale_change is not None and -scale_change >= percent

    def to_dict(self) -> dict[str, Any]:
        """The ``endpoints.deterioration`` parameters object of the JSON form."""
        return {
            "consecutive": self.consecutive,
            "global_cm": json_number(self.global_cm),
            "strength_percent": json_number(self.strength_percent),
            "measures_percent": json_number(self.measures_percent),
            "measures_count": self.measures_count,
            "percent_of": self.percent_of.value,
            "baseline_zero": self.baseline_zero.value,
        }


def _rose(result: Result, key: str, by: Fraction) -> bool:
    measure = result.measure(key)
    if measure.baseline is None or measure.followup is None:
        return False
    return measure.followup - measure.baseline >= by


def json_number(value: Fraction) -> int | float:
    """A JSON number for an exact value: an integer when whole, else the nearest float."""
    return int(value) if value.denominator == 1 else float(value)
