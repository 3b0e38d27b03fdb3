"""The published criteria as data: band edges, level points and category thresholds.

Every number of the 2016 ACR/EULAR band table and thresholds lives here, once; the scalar engine
(:mod:`myoresponse.scoring`), the vectorised cohort engine and the documentation all read these
objects. Sources: Aggarwal R et al., Ann Rheum Dis 2017;76:792–801 (adult DM/PM) and Rider LG
et al., Arthritis Rheumatol 2017;69:911–923, Table 3 (JDM; the band table is the same for both).
"""

from __future__ import annotations

import enum
import math
from bisect import bisect_left, bisect_right
from fractions import Fraction

from attrs import field, frozen

from myoresponse._names import choice
from myoresponse.errors import InvalidValueError, UnknownFieldError

__all__ = [
    "ADULT",
    "JUVENILE_IMACS",
    "JUVENILE_PRINTO",
    "BandEdges",
    "Better",
    "Category",
    "CoreSet",
    "Criteria",
    "MeasureRule",
    "Population",
    "criteria_for",
]


class Population(str, enum.Enum):
    """Who the criteria are applied to: adult dermatomyositis/polymyositis or juvenile DM."""

    ADULT = "adult"
    JUVENILE = "juvenile"


class CoreSet(str, enum.Enum):
    """Which core set of measures is used: IMACS (adult and JDM) or PRINTO (JDM only)."""

    IMACS = "imacs"
    PRINTO = "printo"


class Category(str, enum.Enum):
    """The response category a Total Improvement Score falls in."""

    NONE = "none"
    MINIMAL = "minimal"
    MODERATE = "moderate"
    MAJOR = "major"


class BandEdges(str, enum.Enum):
    """Which band an improvement exactly on a band edge belongs to.

    ``UPPER_INCLUSIVE`` (default) is the table as printed ("worsening to 5 %", "> 5 % to 15 %"): an
    edge belongs to the band below, so exactly 5 % scores 0. ``LOWER_INCLUSIVE`` reads the table as
    "5–14.9 %": an edge belongs to the band above (no published source printing it was found).
    """

    UPPER_INCLUSIVE = "upper-inclusive"
    LOWER_INCLUSIVE = "lower-inclusive"


class Better(str, enum.Enum):
    """Which way a measure improves."""

    LOWER = "lower"
    HIGHER = "higher"


def _fractions(*values: str | int) -> tuple[Fraction, ...]:
    return tuple(Fraction(v) for v in values)


@frozen
class MeasureRule:
    """One row of the band table: a core set measure, its scale and its level points.

    ``edges`` are the four band edges in percent (absolute percent change); ``points`` the five
    level points, from the band at or below the first edge to the band above the last.
    ``scale`` names where the measure's range comes from (see :mod:`myoresponse.scoring`).
    """

    key: str
    label: str
    better: Better
    scale: str
    edges: tuple[Fraction, ...]
    points: tuple[Fraction, ...]

    _whole_edges: tuple[int, tuple[int, ...]] = field(init=False, repr=False, eq=False, hash=False)
    """``(d, edges × d)``: the edges as integers over their common denominator ``d``."""

    def __attrs_post_init__(self) -> None:
        if len(self.points) != len(self.edges) + 1:
            raise ValueError(f"{self.key}: need one more level point than band edges")
        if list(self.edges) != sorted(self.edges) or list(self.points) != sorted(self.points):
            raise ValueError(f"{self.key}: edges and points must be non-decreasing")
        common = math.lcm(*(edge.denominator for edge in self.edges))
        whole = tuple(int(edge * common) for edge in self.edges)
        object.__setattr__(self, "_whole_edges", (common, whole))

    @property
    def max_points(self) -> Fraction:
        """The most this measure can contribute to the Total Improvement Score."""
        return self.points[-1]

    def band(self, change: Fraction, band_edges: BandEdges = BandEdges.UPPER_INCLUSIVE) -> int:
        """Index (0–4) of the band an absolute percent ``change`` falls in.

        The number of edges below ``change`` (upper-inclusive) or at or below it
        (lower-inclusive), decided exactly in integers: with the edges as whole numbers ``E`` over
        their common denominator ``d``, and ``q = floor(change × d)``, an edge is below ``change``
        when ``E <= q``, except ``E == q`` when ``change × d`` is exactly ``q`` (then it is on it).
        """
        number, denominator = change.as_integer_ratio()
        return self.band_of_ratio(number, denominator, band_edges)

    def band_of_ratio(
        self, number: int, denominator: int, band_edges: BandEdges = BandEdges.UPPER_INCLUSIVE
    ) -> int:
        """:meth:`band` of the change ``number / denominator`` (``denominator > 0``, the ratio
        not necessarily in lowest terms), for a scorer that has the integers at hand."""
        common, edges = self._whole_edges
        whole, rest = divmod(number * common, denominator)
        if rest == 0 and band_edges is BandEdges.UPPER_INCLUSIVE:
            return bisect_left(edges, whole)
        return bisect_right(edges, whole)

    def level_points(
        self, change: Fraction, band_edges: BandEdges = BandEdges.UPPER_INCLUSIVE
    ) -> Fraction:
        """Level points for an absolute percent ``change`` (worsening scores 0)."""
        return self.points[self.band(change, band_edges)]


def _row(
    key: str, label: str, better: Better, scale: str, edges: tuple[int, ...], *points: str
) -> MeasureRule:
    return MeasureRule(key, label, better, scale, _fractions(*edges), _fractions(*points))


_GLOBAL_EDGES = (5, 15, 25, 40)
_STRENGTH_EDGES = (2, 10, 20, 30)

# The printed table (identical for adults and JDM).
# The repeated 7.5 of HAQ and of enzymes is as printed.
_PHYSICIAN = _row(
    "physician_global",
    "Physician global activity",
    Better.LOWER,
    "global",
    _GLOBAL_EDGES,
    "0",
    "7.5",
    "15",
    "17.5",
    "20",
)
_PATIENT = _row(
    "patient_global",
    "Patient/parent global activity",
    Better.LOWER,
    "global",
    _GLOBAL_EDGES,
    "0",
    "2.5",
    "5",
    "7.5",
    "10",
)
_MMT = _row(
    "mmt",
    "Manual muscle testing (MMT)",
    Better.HIGHER,
    "mmt",
    _STRENGTH_EDGES,
    "0",
    "10",
    "20",
    "27.5",
    "32.5",
)
_HAQ = _row(
    "haq",
    "Health Assessment Questionnaire (HAQ-DI)",
    Better.LOWER,
    "haq",
    _GLOBAL_EDGES,
    "0",
    "5",
    "7.5",
    "7.5",
    "10",
)
_ENZYME = _row(
    "enzyme",
    "Most abnormal muscle enzyme",
    Better.LOWER,
    "enzyme",
    _GLOBAL_EDGES,
    "0",
    "2.5",
    "5",
    "7.5",
    "7.5",
)
_EXTRAMUSCULAR = _row(
    "extramuscular",
    "Extramuscular global activity",
    Better.LOWER,
    "global",
    _GLOBAL_EDGES,
    "0",
    "7.5",
    "12.5",
    "15",
    "20",
)


def _same_row(rule: MeasureRule, key: str, label: str, better: Better, scale: str) -> MeasureRule:
    return MeasureRule(key, label, better, scale, rule.edges, rule.points)


@frozen
class Criteria:
    """One criteria set: its measures in the order of the published table, and its thresholds.

    ``thresholds`` are the lowest Total Improvement Scores of minimal, moderate and major response.
    ``required`` are the measures that stay required when missing measures are scored as 0 points
    (physician global activity and muscle strength, as the official calculators require).
    """

    name: str
    population: Population
    core_set: CoreSet
    measures: tuple[MeasureRule, ...]
    thresholds: tuple[tuple[Category, Fraction], ...] = field()
    required: tuple[str, ...] = ("physician_global", "mmt")

    @thresholds.validator
    def _check_thresholds(
        self, _attribute: object, value: tuple[tuple[Category, Fraction], ...]
    ) -> None:
        scores = [threshold for _, threshold in value]
        if scores != sorted(scores):
            raise ValueError(f"{self.name}: thresholds must increase")

    @property
    def keys(self) -> tuple[str, ...]:
        """The measure keys, in table order."""
        return tuple(rule.key for rule in self.measures)

    @property
    def max_score(self) -> Fraction:
        """The largest possible Total Improvement Score (100 for every published set)."""
        return sum((rule.max_points for rule in self.measures), Fraction(0))

    def measure(self, key: str) -> MeasureRule:
        """The rule of measure ``key``; :class:`UnknownFieldError` if this set has none."""
        for rule in self.measures:
            if rule.key == key:
                return rule
        raise UnknownFieldError(
            f"{key!r} is not a measure of the {self.name}; its measures are {', '.join(self.keys)}",
            field=key,
            value=key,
        )

    def category(self, total_improvement_score: Fraction) -> Category:
        """The response category of a Total Improvement Score (thresholds are inclusive)."""
        reached = Category.NONE
        score, over = total_improvement_score.as_integer_ratio()
        for category, threshold in self.thresholds:
            number, denominator = threshold.as_integer_ratio()
            if score * denominator >= number * over:  # score >= threshold, in integers
                reached = category
        return reached


def _thresholds(minimal: int, moderate: int, major: int) -> tuple[tuple[Category, Fraction], ...]:
    return (
        (Category.MINIMAL, Fraction(minimal)),
        (Category.MODERATE, Fraction(moderate)),
        (Category.MAJOR, Fraction(major)),
    )


ADULT = Criteria(
    name="2016 ACR/EULAR adult DM/PM",
    population=Population.ADULT,
    core_set=CoreSet.IMACS,
    measures=(_PHYSICIAN, _PATIENT, _MMT, _HAQ, _ENZYME, _EXTRAMUSCULAR),
    thresholds=_thresholds(20, 40, 60),
)
"""Adult dermatomyositis/polymyositis, IMACS core set; minimal ≥ 20, moderate ≥ 40, major ≥ 60."""

JUVENILE_IMACS = Criteria(
    name="2016 ACR/EULAR JDM (IMACS core set)",
    population=Population.JUVENILE,
    core_set=CoreSet.IMACS,
    measures=(
        _PHYSICIAN,
        _same_row(_PATIENT, "patient_global", "Parent global activity", Better.LOWER, "global"),
        _MMT,
        _same_row(_HAQ, "chaq", "Childhood HAQ (CHAQ)", Better.LOWER, "haq"),
        _ENZYME,
        _EXTRAMUSCULAR,
    ),
    thresholds=_thresholds(30, 45, 70),
)
"""Juvenile dermatomyositis, IMACS core set; minimal ≥ 30, moderate ≥ 45, major ≥ 70."""

JUVENILE_PRINTO = Criteria(
    name="2016 ACR/EULAR JDM (PRINTO core set)",
    population=Population.JUVENILE,
    core_set=CoreSet.PRINTO,
    measures=(
        _PHYSICIAN,
        _same_row(_PATIENT, "patient_global", "Parent global well-being", Better.LOWER, "global"),
        _same_row(
            _MMT, "cmas", "Childhood Myositis Assessment Scale (CMAS)", Better.HIGHER, "cmas"
        ),
        _same_row(_HAQ, "chaq", "Childhood HAQ (CHAQ)", Better.LOWER, "haq"),
        _same_row(_ENZYME, "chq_phs", "CHQ physical summary score", Better.HIGHER, "chq_phs"),
        _same_row(_EXTRAMUSCULAR, "das", "JDM Disease Activity Score (DAS)", Better.LOWER, "das"),
    ),
    thresholds=_thresholds(30, 45, 70),
    required=("physician_global", "cmas"),
)
"""Juvenile dermatomyositis, PRINTO core set; same rows and thresholds as the JDM IMACS set."""

_ALL = {(c.population, c.core_set): c for c in (ADULT, JUVENILE_IMACS, JUVENILE_PRINTO)}


def criteria_for(population: Population | str, core_set: CoreSet | str = CoreSet.IMACS) -> Criteria:
    """The criteria set of a population and core set; an error for a pair that does not exist."""
    pop = choice(Population, population, "population")
    cs = choice(CoreSet, core_set, "core_set")
    try:
        return _ALL[(pop, cs)]
    except KeyError:
        raise InvalidValueError(
            f"the {cs.value} core set is defined for juvenile dermatomyositis only",
            field="core_set",
            value=core_set,
        ) from None
