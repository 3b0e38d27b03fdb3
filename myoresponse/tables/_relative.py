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

The decimal integers are read once per column of the long table (:class:`LongInts`: one scale for
every row of the column, or of the enzyme columns together) and gathered for the baseline and the
follow-up of each pair: a scale common to the whole column is common to each pair, and the
comparisons above do not depend on which common scale is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from myoresponse.criteria import Better
from myoresponse.endpoints.definitions import STRENGTH_KEYS, RelativeDefinition
from myoresponse.endpoints.deterioration import DeteriorationCondition, DeteriorationRule
from myoresponse.tables._decimal import EXACT, POW10, decimal_group
from myoresponse.tables._output import PairScores
from myoresponse.tables._series_output import CONDITIONS

__all__ = ["LongInts", "Relative", "Scratch", "Tally"]

Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]
Indices = NDArray[np.intp]


class Scratch:
    """Work arrays by name, reused by every chunk of a run: fresh memory costs page faults."""

    def __init__(self) -> None:
        self.arrays: dict[str, Any] = {}
        self.scales: dict[str, int] = {}  # decimal scale per column, a starting point only
        self.engine: dict[str, Any] = {}  # the engine's work arrays and decimal scales
        self.hints: dict[str, dict[str, int]] = {}

    def get(self, name: str, size: int, dtype: Any = np.float64) -> Any:
        """The array ``name`` of ``size`` elements (contents undefined)."""
        array = self.arrays.get(name)
        if array is None or array.size < size or array.dtype != dtype:
            array = self.arrays[name] = np.empty(size, dtype=dtype)
        return array[:size]

    def pair_scores(self, size: int, keys: Sequence[str], filled: bool) -> PairScores:
        """Scores for ``size`` pairs in reused arrays (:meth:`PairScores.reused`)."""
        held = self.arrays.get("pair scores")
        if held is None or held.tis.size < size:
            held = self.arrays["pair scores"] = PairScores(size, keys, filled)
        return held.reused(size)


class LongInts:
    """Decimal integers of columns of the long table at one common scale ``10**d`` (NaN where a
    cell is empty), ``bad`` the rows not representable, ``top`` a bound on every ``|n|``.

    The integers live in ``scratch`` until the next :class:`LongInts`: read them at once."""

    def __init__(self, columns: Sequence[Floats], scratch: Scratch, name: str) -> None:
        size = columns[0].size
        work = [scratch.get(f"ints {i}", size) for i in range(len(columns))]
        # the scale sampled from this chunk's values (a scale carried over from another chunk
        # could only be higher, and a higher scale makes large values unrepresentable)
        group = decimal_group(list(columns), None, [*work, scratch.get("round trip", size)])
        self.d = group.d
        self.ints = group.ints
        self.bad = group.bad
        self.top = max(group.top(i) for i in range(len(columns)))

    def pairs(
        self,
        base: Indices,
        rows: Indices,
        pick: Sequence[Bools | None],
        better: Better,
        buffers: tuple[Floats, Floats, Floats],
    ) -> Relative:
        """The change over the pairs ``base``/``rows`` of a measure where ``better`` is good,
        written to ``buffers`` (its own two, and one shared for comparisons); pair ``i`` reads
        column ``j`` where ``pick[j]`` holds (None: every pair; the enzyme chosen per pair), NaN
        elsewhere."""
        nb, nf, right = buffers
        if pick[0] is not None:
            nb.fill(np.nan)
            nf.fill(np.nan)
        for ints, chosen in zip(self.ints, pick, strict=True):
            if chosen is None:
                ints.take(base, out=nb)
                ints.take(rows, out=nf)
                continue
            nb[chosen] = ints.take(base[chosen])
            nf[chosen] = ints.take(rows[chosen])
        unsure = np.zeros(base.size, dtype=bool)
        if self.bad is not None:
            unsure = self.bad.take(base) | self.bad.take(rows)
        return Relative(nb, nf, self.d, self.top, unsure, better, right)


class Relative:
    """The relative change of one measure over the visit pairs (NaN cells are missing), read
    from the decimal integers ``nb``/``nf`` at scale ``10**d`` (``top`` bounds their size).

    It keeps ``100·gain`` (in ``nf``'s array) and the baseline read for a relative change
    (``base``, in ``nb``'s array: NaN where the baseline is missing or 0). A missing value then
    needs no mask: ``100·gain`` is NaN there, and a comparison with NaN is False.
    """

    def __init__(
        self,
        nb: Floats,
        nf: Floats,
        d: int,
        top: float,
        unsure: Bools,
        better: Better,
        right: Floats,
    ) -> None:
        """``right`` is a work array for comparisons (may be shared with other changes)."""
        self.d = d
        self.unsure = unsure
        self.top = top
        self.better = better
        with np.errstate(invalid="ignore"):
            zero = nb == 0
            self.rise_from_zero = zero & (nf > 0)
            if better is Better.LOWER:
                gain = np.subtract(nb, nf, out=nf)
            else:
                gain = np.subtract(nf, nb, out=nf)
        self.gain100 = np.multiply(gain, 100.0, out=gain)  # exact under the guards below
        nb[zero] = np.nan
        self.base = nb  # NaN: no relative change
        self._right = right

    def _changed(self) -> Bools:
        return ~np.isnan(self.gain100) & ~np.isnan(self.base)  # type: ignore[no-any-return,unused-ignore]

    def _compare(self, threshold: Fraction, sign: float, strict: bool) -> Bools:
        """Where ``sign · 100 · gain / nb`` is at least (``strict``: above) ``threshold``."""
        den, num = float(threshold.denominator), float(threshold.numerator)
        if not (200.0 * self.top * den < EXACT and abs(num) * self.top < EXACT):
            self.unsure |= self._changed()
        left = self.gain100 if den == 1.0 else self.gain100 * den
        with np.errstate(invalid="ignore"):
            right = np.multiply(self.base, sign * num, out=self._right)  # ·100·den·gain vs num·nb
            if sign > 0:
                hit = (left > right) if strict else (left >= right)
            else:
                hit = (left < right) if strict else (left <= right)
        return hit  # type: ignore[no-any-return,unused-ignore]

    def improved_by(self, threshold: Fraction) -> Bools:
        """``RelativeChange.improved_by``: from 0 counts for a higher-is-better measure."""
        hit = self._compare(threshold, 1.0, False)
        return hit | self.rise_from_zero if self.better is Better.HIGHER else hit

    def worse_by(self, threshold: Fraction, strict: bool = False) -> Bools:
        """``RelativeChange.worse_by``: any rise from 0 counts for a lower-is-better measure."""
        hit = self._compare(threshold, -1.0, strict)
        return hit | self.rise_from_zero if self.better is Better.LOWER else hit

    def rose(self, num: Floats | float, den: Floats | float) -> Bools:
        """Where the follow-up exceeds the baseline by at least ``num/den`` (per pair):
        ``(nf - nb)·den >= num·10**d``, i.e. ``∓100·gain·den >= 100·num·10**d``."""
        scale = 100.0 * POW10[self.d]
        num_top = float(np.max(np.abs(num), initial=0.0)) * scale
        if not (200.0 * self.top * float(np.max(den, initial=1.0)) < EXACT and num_top < EXACT):
            self.unsure |= ~np.isnan(self.gain100)
        with np.errstate(invalid="ignore"):
            if self.better is Better.LOWER:  # gain = nb - nf
                return self.gain100 * den <= np.multiply(num, -scale)  # type: ignore[no-any-return,unused-ignore]
            return self.gain100 * den >= np.multiply(num, scale)  # type: ignore[no-any-return,unused-ignore]


class Tally:
    """The DOI/PRINTO definitions and the worsening conditions over the pairs, fed the relative
    change of one measure at a time (so that one measure's arrays are held at once).

    Column-wise ``RelativeDefinition.evaluate`` and ``DeteriorationRule.conditions`` (under
    ``percent_of="baseline"`` and ``baseline_zero="any_rise"``); ``rule`` None skips the
    conditions (the PRINTO core set), ``rise`` is ``global_cm · global_max / 10`` as numerator
    and denominator.
    """

    def __init__(
        self,
        size: int,
        definitions: Sequence[RelativeDefinition],
        rule: DeteriorationRule | None,
        rise: tuple[Floats | float, Floats | float],
    ) -> None:
        self.definitions = tuple(definitions)
        self.rule = rule
        self.rise = rise
        self.improved = [np.zeros(size, dtype=np.int8) for _ in self.definitions]
        self.worsened = [np.zeros(size, dtype=np.int8) for _ in self.definitions]
        self.strength_worse = [np.zeros(size, dtype=bool) for _ in self.definitions]
        self.strength = np.zeros(size, dtype=bool)  # MMT/CMAS worse by strength_percent
        self.rose: dict[str, Bools] = {}  # physician and extramuscular global rises
        self.worse = np.zeros(size, dtype=np.int8)  # core set measures worse by measures_percent
        self.unsure = np.zeros(size, dtype=bool)

    def add(self, key: str, change: Relative) -> None:
        """Count the change of measure ``key`` (read at once: its arrays are reused next)."""
        strength = key in STRENGTH_KEYS
        for index, definition in enumerate(self.definitions):
            self.improved[index] += change.improved_by(definition.improvement)
            worse = change.worse_by(definition.worsening, definition.worsening_strict)
            self.worsened[index] += worse
            if strength:
                self.strength_worse[index] |= worse
        rule = self.rule
        if rule is not None:
            if strength:
                self.strength |= change.worse_by(rule.strength_percent)
            if key in ("physician_global", "extramuscular"):
                self.rose[key] = change.rose(*self.rise)
            if key != "enzyme":
                self.worse += change.worse_by(rule.measures_percent)
        self.unsure |= change.unsure

    def met(self, index: int) -> Bools:
        """Per pair, whether definition ``index`` is met."""
        definition = self.definitions[index]
        met = (self.improved[index] >= definition.min_improved) & (
            self.worsened[index] <= definition.max_worsened
        )
        if not definition.strength_may_worsen:
            met &= ~self.strength_worse[index]
        return met  # type: ignore[no-any-return,unused-ignore]

    def conditions(self) -> NDArray[np.int8]:
        """Per pair, the worsening conditions that hold as bits of :data:`CONDITIONS`."""
        assert self.rule is not None
        bits = np.zeros(self.worse.size, dtype=np.int8)
        held = {
            DeteriorationCondition.PHYSICIAN_AND_STRENGTH: (
                self.rose["physician_global"] & self.strength
                if "physician_global" in self.rose
                else None
            ),
            DeteriorationCondition.EXTRAMUSCULAR: self.rose.get("extramuscular"),
            DeteriorationCondition.CORE_SET_MEASURES: self.worse >= self.rule.measures_count,
        }
        for condition, flags in held.items():
            if flags is not None:
                bits |= flags.astype(np.int8) << CONDITIONS.index(condition)
        return bits
