"""Relative-change response definitions: the IMACS 2004 DOI and PRINTO 20/50/70/90.

Unlike the 2016 criteria (absolute percent change over a measure's range), these older definitions
count measures by their **relative** change from baseline, ``100 × (baseline − followup) /
baseline`` for a measure where lower is better and ``100 × (followup − baseline) / baseline``
where higher is better (positive is improvement). They are evaluated on the same six core set
measures and the same values as a 2016 :class:`~myoresponse.result.Result`, so a DOI or PRINTO
response always refers to exactly the inputs the 2016 score used — including the enzyme: the DOI
follows the enzyme the 2016 result followed (the most abnormal at baseline, or the pinned one).

- **IMACS 2004 preliminary definition of improvement (DOI)** (Rider et al., Arthritis Rheum
  2004;50:2281–2290): "3 of any 6 of the core set measures improved by ≥20 %, with no more than 2
  worse by ≥25 % (which could not include manual muscle testing)". IMACS core set only.
- **PRINTO 20/50/70/90** (Ruperto et al., Arthritis Care Res 2010;62:1533–1541): ≥20 % (50 %,
  70 %, 90 %) relative improvement in at least 3 of the 6 PRINTO core set variables. The clause
  "no more than 1 of the remaining worsening by more than 30 %, which cannot be muscle strength"
  is the commonly cited full wording, taken from secondary sources and not confirmed against the
  paper. PRINTO 90 is the same definition at 90 %, reported by PRINTO beside 50 and 70 (e.g.
  Giancane et al., Pediatr Rheumatol 2019;17:24). PRINTO core set only.

**Baseline zero.** A relative change divides by the baseline, so a baseline of 0 has none
(:attr:`myoresponse.RelativeChange.percent` is ``None``). Following the IMACS convention, a
lower-is-better
measure at baseline 0 cannot improve and any rise from 0 counts as worse by every threshold.
myoresponse applies the mirror convention to a higher-is-better measure (MMT, CMAS, CHQ-PhS) at
baseline 0: it cannot worsen, and any rise from 0 counts as improved by every threshold. A measure
missing at either visit (``missing="zero"``) counts as neither improved nor worse.

Every threshold is a :class:`~fractions.Fraction` and every comparison exact: a fall from 2.5 to
2.0 is exactly a 20 % improvement and counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from attrs import frozen

from myoresponse.criteria import Better, CoreSet
from myoresponse.errors import InvalidValueError
from myoresponse.result import Result

__all__ = [
    "IMACS_DOI_2004",
    "PRINTO_20",
    "PRINTO_50",
    "PRINTO_70",
    "PRINTO_90",
    "PRINTO_LEVELS",
    "DefinitionResult",
    "RelativeChange",
    "RelativeDefinition",
    "imacs_doi",
    "printo_responses",
    "relative_changes",
]

_HUNDRED = Fraction(100)

STRENGTH_KEYS: frozenset[str] = frozenset({"mmt", "cmas"})
"""The muscle strength measures (MMT in the IMACS core set, CMAS in the PRINTO set)."""


@frozen
class RelativeChange:
    """One measure's relative change from baseline, in percent (positive is improvement).

    ``percent`` is ``None`` when the measure is missing or its baseline is 0; see the module
    documentation for how a change from 0 is counted.
    """

    measure: str
    baseline: Fraction | None
    followup: Fraction | None
    better: Better
    percent: Fraction | None

    @property
    def missing(self) -> bool:
        """True when the measure is missing at baseline or at the follow-up visit."""
        return self.baseline is None or self.followup is None

    @property
    def from_zero(self) -> bool:
        """True when the baseline is 0 and the follow-up is not (no relative change exists)."""
        return self.baseline == 0 and self.followup is not None and self.followup > 0

    def improved_by(self, threshold: Fraction) -> bool:
        """Whether the measure improved by at least ``threshold`` percent."""
        if self.percent is not None:
            return self.percent >= threshold
        return self.from_zero and self.better is Better.HIGHER

    def worse_by(self, threshold: Fraction, *, strictly: bool = False) -> bool:
        """Whether the measure worsened by at least (``strictly``: more than) ``threshold`` %."""
        if self.percent is not None:
            return -self.percent > threshold if strictly else -self.percent >= threshold
        return self.from_zero and self.better is Better.LOWER

    def to_dict(self) -> dict[str, Any]:
        """One entry of a definition result's ``changes`` list."""
        return {
            "measure": self.measure,
            "baseline": _number(self.baseline),
            "followup": _number(self.followup),
            "relative_percent_change": _number(self.percent),
        }


def relative_change(
    measure: str, baseline: Fraction | None, followup: Fraction | None, better: Better
) -> RelativeChange:
    """The :class:`RelativeChange` of one measure between two values (exact)."""
    percent: Fraction | None = None
    if baseline is not None and followup is not None and baseline != 0:
        improvement = baseline - followup if better is Better.LOWER else followup - baseline
        percent = _HUNDRED * improvement / baseline
    return RelativeChange(measure, baseline, followup, better, percent)


def relative_changes(result: Result) -> tuple[RelativeChange, ...]:
    """The relative change of each of the result's six measures, in table order.

    Uses the values the 2016 result scored (the followed enzyme in the unit of its ULN).
    """
    return tuple(
        relative_change(
            m.measure, m.baseline, m.followup, result.criteria.measure(m.measure).better
        )
        for m in result.measures
    )


@frozen
class RelativeDefinition:
    """A response definition that counts measures by relative change, as data.

    Met when at least ``min_improved`` measures improved by ≥ ``improvement`` % and at most
    ``max_worsened`` measures are worse by ``worsening`` % (≥, or > when ``worsening_strict``), and,
    unless ``strength_may_worsen``, the muscle strength measure is not among the worse ones.
    ``core_set`` is the core set the definition was written for; ``key`` names it in JSON.
    """

    key: str
    name: str
    core_set: CoreSet
    improvement: Fraction
    min_improved: int
    worsening: Fraction
    worsening_strict: bool
    max_worsened: int
    strength_may_worsen: bool
    source: str

    def evaluate(self, result: Result) -> DefinitionResult:
        """Apply this definition to the visit pair a 2016 ``result`` scored."""
        if result.criteria.core_set is not self.core_set:
            raise InvalidValueError(
                f"the {self.name} is defined on the {self.core_set.value} core set; this result "
                f"used the {result.criteria.core_set.value} core set",
                field="core_set",
                value=result.criteria.core_set.value,
            )
        changes = relative_changes(result)
        improved = tuple(c.measure for c in changes if c.improved_by(self.improvement))
        worsened = tuple(
            c.measure for c in changes if c.worse_by(self.worsening, strictly=self.worsening_strict)
        )
        strength_worse = any(key in STRENGTH_KEYS for key in worsened)
        met = (
            len(improved) >= self.min_improved
            and len(worsened) <= self.max_worsened
            and (self.strength_may_worsen or not strength_worse)
        )
        return DefinitionResult(self, met, changes, improved, worsened)


@frozen
class DefinitionResult:
    """Whether one visit pair meets a :class:`RelativeDefinition`, and why.

    ``improved`` lists the measures improved by at least the definition's threshold, ``worsened``
    those worse by its worsening threshold, both in table order.
    """

    definition: RelativeDefinition
    met: bool
    changes: tuple[RelativeChange, ...]
    improved: tuple[str, ...]
    worsened: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``definition``, ``met``, ``improved``, ``worsened``, ``changes``."""
        return {
            "definition": self.definition.key,
            "met": self.met,
            "improved": list(self.improved),
            "worsened": list(self.worsened),
            "changes": [c.to_dict() for c in self.changes],
        }


_RIDER_2004 = "Rider LG et al. Arthritis Rheum 2004;50:2281–2290"
_RUPERTO_2010 = (
    "Ruperto N et al. Arthritis Care Res 2010;62:1533–1541 "
    "(worsening clause from secondary sources)"
)

IMACS_DOI_2004 = RelativeDefinition(
    key="imacs_doi_2004",
    name="IMACS 2004 preliminary definition of improvement",
    core_set=CoreSet.IMACS,
    improvement=Fraction(20),
    min_improved=3,
    worsening=Fraction(25),
    worsening_strict=False,
    max_worsened=2,
    strength_may_worsen=False,
    source=_RIDER_2004,
)
"""≥3 of 6 IMACS core set measures improved by ≥20 %, ≤2 worse by ≥25 %, MMT not among them."""


def _printo(level: int) -> RelativeDefinition:
    return RelativeDefinition(
        key=f"printo_{level}",
        name=f"PRINTO {level}",
        core_set=CoreSet.PRINTO,
        improvement=Fraction(level),
        min_improved=3,
        worsening=Fraction(30),
        worsening_strict=True,
        max_worsened=1,
        strength_may_worsen=False,
        source=_RUPERTO_2010,
    )


PRINTO_20 = _printo(20)
"""≥3 of 6 PRINTO variables improved by ≥20 %, ≤1 worse by >30 %, and that one not CMAS."""
PRINTO_50 = _printo(50)
"""As :data:`PRINTO_20` with ≥50 % improvement."""
PRINTO_70 = _printo(70)
"""As :data:`PRINTO_20` with ≥70 % improvement."""
PRINTO_90 = _printo(90)
"""As :data:`PRINTO_20` with ≥90 % improvement."""
PRINTO_LEVELS: tuple[RelativeDefinition, ...] = (PRINTO_20, PRINTO_50, PRINTO_70, PRINTO_90)
"""PRINTO 20, 50, 70 and 90, in increasing order."""


def imacs_doi(result: Result) -> DefinitionResult:
    """The IMACS 2004 DOI for the visit pair of an IMACS-core-set 2016 ``result``.

    >>> from myoresponse import Scales, Visit, score
    >>> from myoresponse.endpoints.definitions import imacs_doi
    >>> before = Visit(physician_global=5, patient_global=5, mmt=100, haq=1,
    ...                enzymes={"CK": 1000}, extramuscular=2)
    >>> after = Visit(physician_global=4, patient_global=4, mmt=100, haq=0.8,
    ...               enzymes={"CK": 1000}, extramuscular=2.5)
    >>> doi = imacs_doi(score(before, after, population="adult",
    ...                       scales=Scales(mmt_max=150, enzyme_uln={"CK": 200})))
    >>> doi.met, doi.improved, doi.worsened
    (True, ('physician_global', 'patient_global', 'haq'), ('extramuscular',))
    """
    return IMACS_DOI_2004.evaluate(result)


def printo_responses(
    result: Result, levels: Sequence[RelativeDefinition] = PRINTO_LEVELS
) -> tuple[DefinitionResult, ...]:
    """PRINTO 20, 50, 70 and 90 (or the given ``levels``) for a PRINTO-core-set 2016 ``result``."""
    return tuple(level.evaluate(result) for level in levels)


def _number(value: Fraction | None) -> float | None:
    return None if value is None else float(value)
