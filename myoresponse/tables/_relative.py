"""Relative changes and the visit flags built on them, column-wise and exact.

The twins of :mod:`myoresponse.endpoints.definitions` (relative change, the DOI and PRINTO
definitions) and :mod:`myoresponse.endpoints.deterioration` (the worsening conditions) for the
visit pairs of a long table. The definitions are read as data (thresholds, counts, strictness), so
a new :class:`~myoresponse.endpoints.definitions.RelativeDefinition` needs no code here.

Exactness: a value pair is read as decimal integers ``nb``, ``nf`` at one scale (see
:mod:`._decimal`); a relative change of at least ``t = num/den`` percent is
``100·gain·den >= num·nb`` (``nb > 0``), and a rise of at least ``r = num/den`` is
``(nf - nb)·den >= num·10**d``: products of integers held as float64 and checked below ``2**53``
once per column. Where a check fails the visit is *unsure* and its patient is scored by the scalar
path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from myoresponse.criteria import Better, Criteria
from myoresponse.endpoints.definitions import STRENGTH_KEYS, RelativeDefinition
from myoresponse.endpoints.deterioration import DeteriorationCondition, DeteriorationRule
from myoresponse.tables._decimal import EXACT, POW10, decimal_group

__all__ = ["Relative", "conditions", "definitions_met"]

Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]


class Relative:
    """The relative change of one measure over the visit pairs (NaN cells are missing)."""

    def __init__(self, b: Floats, f: Floats, better: Better) -> None:
        group = decimal_group([b, f])
        nb, nf = group.ints
        self.d = group.d
        self.unsure = np.zeros(b.size, dtype=bool) if group.bad is None else group.bad.copy()
        self.nb, self.nf = nb, nf
        self.top = max(group.top(0), group.top(1))
        with np.errstate(invalid="ignore"):
            self.present = ~np.isnan(b) & ~np.isnan(f)
            self.changed = self.present & (nb != 0)  # a relative change exists
            self.from_zero = self.present & (nb == 0) & (nf > 0)
        self.gain = nb - nf if better is Better.LOWER else nf - nb
        self.better = better

    def _compare(self, threshold: Fraction, sign: float, strict: bool) -> Bools:
        """Where ``sign · 100 · gain / nb`` is at least (``strict``: above) ``threshold``."""
        den, num = float(threshold.denominator), float(threshold.numerator)
        if not (200.0 * self.top * den < EXACT and abs(num) * self.top < EXACT):
            self.unsure |= self.changed
        with np.errstate(invalid="ignore"):
            left = (sign * 100.0 * den) * self.gain
            right = num * self.nb
            hit = (left > right) if strict else (left >= right)
        return hit & self.changed  # type: ignore[no-any-return,unused-ignore]

    def improved_by(self, threshold: Fraction) -> Bools:
        """``RelativeChange.improved_by``: from 0 counts for a higher-is-better measure."""
        hit = self._compare(threshold, 1.0, False)
        return hit | self.from_zero if self.better is Better.HIGHER else hit

    def worse_by(self, threshold: Fraction, strict: bool = False) -> Bools:
        """``RelativeChange.worse_by``: any rise from 0 counts for a lower-is-better measure."""
        hit = self._compare(threshold, -1.0, strict)
        return hit | self.from_zero if self.better is Better.LOWER else hit

    def rose(self, num: Floats, den: Floats) -> Bools:
        """Where the follow-up exceeds the baseline by at least ``num/den`` (per pair)."""
        scale = POW10[self.d]
        num_top = float(np.max(np.abs(num), initial=0.0)) * scale
        if not (2.0 * self.top * float(np.max(den, initial=1.0)) < EXACT and num_top < EXACT):
            self.unsure |= self.present
        with np.errstate(invalid="ignore"):
            return self.present & ((self.nf - self.nb) * den >= num * scale)  # type: ignore[no-any-return,unused-ignore]


def definitions_met(
    criteria: Criteria, changes: Mapping[str, Relative], definition: RelativeDefinition
) -> Bools:
    """Per pair, whether ``definition`` is met (``RelativeDefinition.evaluate`` column-wise)."""
    size = next(iter(changes.values())).nb.size
    improved = np.zeros(size, dtype=np.int64)
    worsened = np.zeros(size, dtype=np.int64)
    strength_worse = np.zeros(size, dtype=bool)
    for rule in criteria.measures:
        change = changes[rule.key]
        improved += change.improved_by(definition.improvement)
        worse = change.worse_by(definition.worsening, definition.worsening_strict)
        worsened += worse
        if rule.key in STRENGTH_KEYS:
            strength_worse |= worse
    met = (improved >= definition.min_improved) & (worsened <= definition.max_worsened)
    if not definition.strength_may_worsen:
        met &= ~strength_worse
    return met  # type: ignore[no-any-return,unused-ignore]


CONDITIONS: Sequence[DeteriorationCondition] = tuple(DeteriorationCondition)
"""The worsening conditions in the order a visit reports them (bit ``i`` is condition ``i``)."""


def conditions(
    criteria: Criteria,
    changes: Mapping[str, Relative],
    rule: DeteriorationRule,
    rise: tuple[Floats, Floats],
) -> NDArray[np.int8]:
    """Per pair, the worsening conditions that hold as bits (``DeteriorationRule.conditions``
    under ``percent_of="baseline"`` and ``baseline_zero="any_rise"``)."""
    size = next(iter(changes.values())).nb.size
    keys = [m.key for m in criteria.measures]
    strength = np.zeros(size, dtype=bool)
    for key in STRENGTH_KEYS & set(keys):
        strength |= changes[key].worse_by(rule.strength_percent)
    bits = np.zeros(size, dtype=np.int8)
    if "physician_global" in changes:
        held = changes["physician_global"].rose(*rise) & strength
        bits |= held.astype(np.int8) << CONDITIONS.index(
            DeteriorationCondition.PHYSICIAN_AND_STRENGTH
        )
    if "extramuscular" in changes:
        held = changes["extramuscular"].rose(*rise)
        bits |= held.astype(np.int8) << CONDITIONS.index(DeteriorationCondition.EXTRAMUSCULAR)
    worse = np.zeros(size, dtype=np.int64)
    for key in keys:
        if key != "enzyme":
            worse += changes[key].worse_by(rule.measures_percent)
    held = worse >= rule.measures_count
    bits |= held.astype(np.int8) << CONDITIONS.index(DeteriorationCondition.CORE_SET_MEASURES)
    return bits
