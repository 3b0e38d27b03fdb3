"""Trial endpoints over a visit series: one patient's baseline and ordered follow-up visits.

Every follow-up visit is scored against baseline with the full 2016 ACR/EULAR criteria (the same
engine as :func:`~myoresponse.score`: a visit's result equals scoring that pair alone), and with the
relative-change definitions of :mod:`myoresponse.endpoints.definitions` (the IMACS 2004 DOI on the
IMACS core
set, PRINTO 20/50/70 on the PRINTO core set). Over the series
:func:`myoresponse.score_series` reports

- the **first visit reaching** each category (minimal, moderate, major: at least that category) and
  the first visit meeting each definition;
- **confirmed deterioration** (IMACS trial guideline, Oddis et al. 2005, as used in the ProDERM
  trial): a visit *worsens* when, against baseline, any of the conditions of
  :class:`DeteriorationRule` holds; deterioration is *confirmed* when visits worsen at
  ``consecutive`` (default 2) consecutive visits;
- **sustained response** (ProDERM primary endpoint, Aggarwal et al. 2022): at least the chosen
  category (default minimal) at ``consecutive`` (default 2) consecutive visits, none of which is
  part of a confirmed deterioration.

Conventions myoresponse adopts where the sources are terse (see ``docs/endpoints.rst``):

- "worse by 2 cm" is 2 cm on the 0–10 cm VAS; on another scale the threshold is scaled by
  ``global_max / 10`` (20 mm on a 100 mm VAS, 0.8 on a 0–4 Likert scale). It is a rise of the
  follow-up value over the baseline value.
- "MMT worse by ≥20 %" and "worse by ≥30 %" are **relative** changes from baseline, as in the
  IMACS 2004 DOI, with the same baseline-zero rule (:mod:`myoresponse.endpoints.definitions`).
- Confirmation needs a worsening at each of the consecutive visits; the condition that holds may
  differ between them. Each visit reports which conditions held.
- A visit is "part of a confirmed deterioration" when it belongs to a run of at least
  ``DeteriorationRule.consecutive`` consecutive worsening visits.
- Confirmed deterioration is written for the IMACS core set (physician global, MMT, extramuscular
  global). On a PRINTO-core-set series it is not evaluated (``deterioration`` is ``None``) and the
  sustained response checks the category alone.

**JSON form.** A series object is an assessment object (``interface.md``) with ``followup``
replaced by ``visits``, an array of visit objects in time order; each visit object (and the
``baseline``) may also carry ``label`` (text; default ``"baseline"`` and ``"visit 1"``,
``"visit 2"``, …) and ``date`` (``"YYYY-MM-DD"``). An optional ``endpoints`` object sets the
parameters::

    {"population": "adult", "subtype": "DM",
     "scales": {"mmt_max": 150, "enzyme_uln": {"CK": 200}},
     "endpoints": {"level": "minimal", "consecutive": 2,
                   "deterioration": {"consecutive": 2, "global_cm": 2, "strength_percent": 20,
                                     "measures_percent": 30, "measures_count": 3}},
     "baseline": {"date": "2024-01-08", "physician_global": 6, ...},
     "visits": [{"label": "week 4", "date": "2024-02-05", "physician_global": 5, ...}, ...]}

:func:`myoresponse.score_series_json` returns the series result object: ``criteria``,
``population``,
``core_set``, ``subtype``, ``warnings``, ``baseline`` (label and date), ``visits`` (per visit:
``label``, ``date``, ``result`` — the 2016 result object —, ``worsened``, ``worsened_count``,
``deterioration`` — the conditions that held, or ``null`` on the PRINTO core set —, ``doi`` and
``printo``) and ``endpoints`` (``first_reached``, ``first_met``, ``sustained_response``,
``confirmed_deterioration``).
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from attrs import field, frozen

from myoresponse._exact import exact
from myoresponse._names import choice
from myoresponse.criteria import Category, CoreSet, Criteria, Population, criteria_for
from myoresponse.endpoints.definitions import (
    IMACS_DOI_2004,
    PRINTO_LEVELS,
    STRENGTH_KEYS,
    DefinitionResult,
    RelativeDefinition,
    relative_change,
)
from myoresponse.errors import InputFormatError, InvalidValueError, MyoresponseError
from myoresponse.measures import Scales, Visit
from myoresponse.options import Options
from myoresponse.result import Result
from myoresponse.scoring import Assessment, _Scorer
from myoresponse.subtypes import Subtype, emit, optional_subtype, subtype_warnings

__all__ = [
    "ConfirmedDeterioration",
    "DeteriorationCondition",
    "DeteriorationRule",
    "FollowUp",
    "Series",
    "SeriesResult",
    "SustainedResponse",
    "VisitResult",
    "score_series",
]

_RANK = {category: rank for rank, category in enumerate(Category)}
_TEN = Fraction(10)


# -- the visit series --------------------------------------------------------------------------


def _date(value: object) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidValueError(
        f"{value!r} is not a date; give a datetime.date or 'YYYY-MM-DD'", field="date", value=value
    )


def _label(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(
            f"{value!r} is not a label; a non-empty text is required", field="label", value=value
        )
    return value


@frozen
class FollowUp:
    """One follow-up visit of a series: a ``label`` (``"week 12"``), the measures, a date."""

    label: str = field(converter=_label)
    visit: Visit
    date: datetime.date | None = field(default=None, converter=_date)


def _follow_ups(value: Sequence[FollowUp]) -> tuple[FollowUp, ...]:
    return tuple(value)


def _population(value: object) -> Population:
    return choice(Population, value, "population")


def _core_set(value: object) -> CoreSet:
    return choice(CoreSet, value, "core_set")


@frozen
class Series:
    """One patient's baseline and follow-up visits, in time order, and how they were recorded.

    ``population``, ``scales``, ``options``, ``core_set`` and ``subtype`` mean what they mean for
    an :class:`~myoresponse.scoring.Assessment` and apply to every visit. Labels must be unique;
    dates, where given, must increase strictly from the baseline on.
    """

    population: Population = field(converter=_population)
    baseline: Visit
    visits: tuple[FollowUp, ...] = field(converter=_follow_ups)
    scales: Scales = field(factory=Scales)
    options: Options = field(factory=Options)
    core_set: CoreSet = field(default=CoreSet.IMACS, converter=_core_set)
    subtype: Subtype | None = field(default=None, converter=optional_subtype)
    baseline_label: str = field(default="baseline", converter=_label)
    baseline_date: datetime.date | None = field(default=None, converter=_date)

    def __attrs_post_init__(self) -> None:
        criteria_for(self.population, self.core_set)  # PRINTO is for juvenile DM only
        seen = {self.baseline_label}
        last = self.baseline_date
        for index, visit in enumerate(self.visits):
            if not isinstance(visit, FollowUp):
                raise InputFormatError(
                    f"must be a FollowUp, got {type(visit).__name__}",
                    field=f"visits[{index}]",
                )
            if visit.label in seen:
                raise InvalidValueError(
                    f"{visit.label!r} is used twice; every visit needs its own label",
                    field=f"visits[{index}].label",
                    value=visit.label,
                )
            seen.add(visit.label)
            if visit.date is not None:
                if last is not None and visit.date <= last:
                    raise InvalidValueError(
                        f"{visit.date.isoformat()} is not after {last.isoformat()}; visits must "
                        "be in time order",
                        field=f"visits[{index}].date",
                        value=visit.date.isoformat(),
                    )
                last = visit.date

    @property
    def criteria(self) -> Criteria:
        """The 2016 criteria set every visit is scored with."""
        return criteria_for(self.population, self.core_set)

    def assessment(self, index: int) -> Assessment:
        """The baseline/follow-up :class:`~myoresponse.scoring.Assessment` of visit ``index``."""
        return Assessment(
            population=self.population,
            baseline=self.baseline,
            followup=self.visits[index].visit,
            scales=self.scales,
            options=self.options,
            core_set=self.core_set,
            subtype=self.subtype,
        )

    def score(
        self,
        *,
        level: Category | str = Category.MINIMAL,
        consecutive: int = 2,
        deterioration: DeteriorationRule | None = None,
    ) -> SeriesResult:
        """Score this series; see :func:`myoresponse.score_series` for the parameters."""
        result = _score(self, level=level, consecutive=consecutive, deterioration=deterioration)
        emit(result.warnings, stacklevel=2)
        return result


# -- confirmed deterioration -------------------------------------------------------------------


class DeteriorationCondition(str, enum.Enum):
    """The worsening conditions of confirmed deterioration (IMACS trial guideline)."""

    PHYSICIAN_AND_STRENGTH = "physician_global_and_strength"
    """Physician global worse by ≥ 2 cm and muscle strength (MMT) worse by ≥ 20 %."""
    EXTRAMUSCULAR = "extramuscular_global"
    """Extramuscular global activity worse by ≥ 2 cm."""
    CORE_SET_MEASURES = "core_set_measures"
    """At least 3 of the 5 non-enzyme core set measures worse by ≥ 30 %."""


def _percent(value: object) -> Fraction:
    number = exact(value, "deterioration")
    if number <= 0:
        raise InvalidValueError(f"{value!r} must be greater than 0", field="deterioration")
    return number


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidValueError(
            f"{value!r} must be a whole number of at least 1", field="consecutive", value=value
        )
    return value


@frozen
class DeteriorationRule:
    """The thresholds of confirmed deterioration, as data; the defaults are the published ones.

    - ``global_cm``: rise of physician global (with strength) or of extramuscular global, in cm on
      a 0–10 cm VAS; scaled by ``global_max / 10`` for other scales.
    - ``strength_percent``: relative fall of MMT that, with the physician global rise, is a
      worsening.
    - ``measures_percent`` and ``measures_count``: that many of the five non-enzyme core set
      measures worse by at least that relative percentage.
    - ``consecutive``: the number of consecutive worsening visits that confirms deterioration.
    """

    global_cm: Fraction = field(default=Fraction(2), converter=_percent)
    strength_percent: Fraction = field(default=Fraction(20), converter=_percent)
    measures_percent: Fraction = field(default=Fraction(30), converter=_percent)
    measures_count: int = field(default=3, converter=_count)
    consecutive: int = field(default=2, converter=_count)

    def conditions(
        self, result: Result, global_max: Fraction
    ) -> tuple[DeteriorationCondition, ...]:
        """The worsening conditions that hold for the visit pair of an IMACS-core-set ``result``."""
        rise = self.global_cm * global_max / _TEN
        changes = {
            m.measure: relative_change(
                m.measure, m.baseline, m.followup, result.criteria.measure(m.measure).better
            )
            for m in result.measures
        }
        held: list[DeteriorationCondition] = []
        if _rose(result, "physician_global", rise) and any(
            changes[key].worse_by(self.strength_percent) for key in STRENGTH_KEYS & set(changes)
        ):
            held.append(DeteriorationCondition.PHYSICIAN_AND_STRENGTH)
        if _rose(result, "extramuscular", rise):
            held.append(DeteriorationCondition.EXTRAMUSCULAR)
        worse = [
            key
            for key, change in changes.items()
            if key != "enzyme" and change.worse_by(self.measures_percent)
        ]
        if len(worse) >= self.measures_count:
            held.append(DeteriorationCondition.CORE_SET_MEASURES)
        return tuple(held)

    def to_dict(self) -> dict[str, Any]:
        """The ``endpoints.deterioration`` parameters object of the JSON form."""
        return {
            "consecutive": self.consecutive,
            "global_cm": _json_number(self.global_cm),
            "strength_percent": _json_number(self.strength_percent),
            "measures_percent": _json_number(self.measures_percent),
            "measures_count": self.measures_count,
        }


def _rose(result: Result, key: str, by: Fraction) -> bool:
    measure = result.measure(key)
    if measure.baseline is None or measure.followup is None:
        return False
    return measure.followup - measure.baseline >= by


# -- results -----------------------------------------------------------------------------------


@frozen
class VisitResult:
    """One follow-up visit scored against baseline.

    ``result`` is the full 2016 result; ``deterioration`` the worsening conditions that held at
    this visit (``None`` on the PRINTO core set, where they are not defined); ``doi`` the IMACS
    2004 DOI (IMACS core set) and ``printo`` PRINTO 20, 50 and 70 (PRINTO core set; else empty).
    """

    label: str
    date: datetime.date | None
    result: Result
    deterioration: tuple[DeteriorationCondition, ...] | None
    doi: DefinitionResult | None
    printo: tuple[DefinitionResult, ...]

    @property
    def worsened(self) -> tuple[str, ...]:
        """Keys of the measures worse than at baseline (negative change), in table order."""
        return self.result.worsened

    @property
    def worsened_count(self) -> int:
        """How many measures are worse than at baseline."""
        return len(self.result.worsened)

    @property
    def worsening(self) -> bool:
        """True when any condition of confirmed deterioration held at this visit."""
        return bool(self.deterioration)

    @property
    def definitions(self) -> tuple[DefinitionResult, ...]:
        """The DOI and PRINTO results evaluated at this visit."""
        return (() if self.doi is None else (self.doi,)) + self.printo

    def to_dict(self) -> dict[str, Any]:
        """One entry of the series result's ``visits`` list."""
        return {
            "label": self.label,
            "date": None if self.date is None else self.date.isoformat(),
            "result": self.result.to_dict(),
            "worsened": list(self.worsened),
            "worsened_count": self.worsened_count,
            "deterioration": None
            if self.deterioration is None
            else [c.value for c in self.deterioration],
            "doi": None if self.doi is None else self.doi.to_dict(),
            "printo": [p.to_dict() for p in self.printo] if self.printo else None,
        }


@frozen
class SustainedResponse:
    """At least ``level`` at ``consecutive`` consecutive visits without confirmed deterioration.

    ``visits`` are the labels of the first such run of visits (empty when not met).
    """

    level: Category
    consecutive: int
    met: bool
    visits: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The ``endpoints.sustained_response`` object."""
        return {
            "level": self.level.value,
            "consecutive": self.consecutive,
            "met": self.met,
            "visits": list(self.visits),
        }


@frozen
class ConfirmedDeterioration:
    """Worsening against baseline at ``rule.consecutive`` consecutive visits.

    ``visits`` are the labels of the first such run (empty when not met), ``confirmed_at`` the
    label of the visit that confirmed it (the last of ``visits``), and ``conditions`` the
    conditions that held at each of ``visits``.
    """

    rule: DeteriorationRule
    met: bool
    visits: tuple[str, ...]
    conditions: tuple[tuple[DeteriorationCondition, ...], ...]

    @property
    def confirmed_at(self) -> str | None:
        """The label of the visit at which deterioration was first confirmed."""
        return self.visits[-1] if self.visits else None

    def to_dict(self) -> dict[str, Any]:
        """The ``endpoints.confirmed_deterioration`` object."""
        return {
            "consecutive": self.rule.consecutive,
            "met": self.met,
            "confirmed_at": self.confirmed_at,
            "visits": list(self.visits),
            "conditions": [[c.value for c in held] for held in self.conditions],
        }


@frozen
class SeriesResult:
    """The per-visit results and the endpoints of one :class:`Series`.

    ``first_reached`` maps minimal, moderate and major to the label of the first visit at least
    in that category (``None`` if none is); ``first_met`` maps the key of each definition evaluated
    (``imacs_doi_2004``, ``printo_20``, …) to the first visit meeting it. ``warnings`` are the
    subtype warnings every visit's result also carries.
    """

    series: Series
    visits: tuple[VisitResult, ...]
    first_reached: Mapping[Category, str | None] = field(hash=False)
    first_met: Mapping[str, str | None] = field(hash=False)
    sustained: SustainedResponse
    deterioration: ConfirmedDeterioration | None
    warnings: tuple[str, ...]

    def visit(self, label: str) -> VisitResult:
        """The result of the visit labelled ``label`` (``KeyError`` if there is none)."""
        for visit in self.visits:
            if visit.label == label:
                return visit
        raise KeyError(label)

    def to_dict(self) -> dict[str, Any]:
        """The series result object of the JSON form (see the module documentation)."""
        s = self.series
        return {
            "criteria": s.criteria.name,
            "population": s.population.value,
            "core_set": s.core_set.value,
            "subtype": None if s.subtype is None else s.subtype.value,
            "warnings": list(self.warnings),
            "baseline": {
                "label": s.baseline_label,
                "date": None if s.baseline_date is None else s.baseline_date.isoformat(),
            },
            "visits": [v.to_dict() for v in self.visits],
            "endpoints": {
                "first_reached": {c.value: label for c, label in self.first_reached.items()},
                "first_met": dict(self.first_met),
                "sustained_response": self.sustained.to_dict(),
                "confirmed_deterioration": None
                if self.deterioration is None
                else self.deterioration.to_dict(),
            },
        }


# -- scoring -----------------------------------------------------------------------------------


def score_series(
    series: Series,
    *,
    level: Category | str = Category.MINIMAL,
    consecutive: int = 2,
    deterioration: DeteriorationRule | None = None,
) -> SeriesResult:
    """Score every follow-up of ``series`` against its baseline and derive the endpoints.

    ``level`` and ``consecutive`` define the sustained response (defaults: at least minimal
    improvement at 2 consecutive visits, ProDERM); ``deterioration`` the thresholds of confirmed
    deterioration (default :class:`DeteriorationRule`, the published ones). An invalid visit raises
    a :class:`~myoresponse.MyoresponseError` whose field names it (``visits[2].mmt``). For a
    subtype outside adult DM/PM and JDM one
    :class:`~myoresponse.errors.UnvalidatedSubtypeWarning` is emitted for the series.
    """
    result = _score(series, level=level, consecutive=consecutive, deterioration=deterioration)
    emit(result.warnings, stacklevel=2)
    return result


def _score(
    series: Series,
    *,
    level: Category | str = Category.MINIMAL,
    consecutive: int = 2,
    deterioration: DeteriorationRule | None = None,
) -> SeriesResult:
    wanted = choice(Category, level, "level")
    if wanted is Category.NONE:
        raise InvalidValueError(
            "'none' is not a response level; use minimal, moderate or major",
            field="level",
            value="none",
        )
    window = _count(consecutive)
    rule = DeteriorationRule() if deterioration is None else deterioration
    imacs = series.core_set is CoreSet.IMACS
    visits = tuple(_visit_result(series, index, rule, imacs) for index in range(len(series.visits)))

    first_reached = {
        category: _first(visits, lambda v, c=category: _RANK[v.result.category] >= _RANK[c])
        for category in (Category.MINIMAL, Category.MODERATE, Category.MAJOR)
    }
    definitions: tuple[RelativeDefinition, ...] = (IMACS_DOI_2004,) if imacs else PRINTO_LEVELS
    first_met = {
        definition.key: _first(
            visits,
            lambda v, d=definition: any(r.met for r in v.definitions if r.definition == d),
        )
        for definition in definitions
    }

    confirmed: ConfirmedDeterioration | None = None
    deteriorated: set[int] = set()
    if imacs:
        flags = [v.worsening for v in visits]
        runs = _runs(flags, rule.consecutive)
        deteriorated = {i for start, stop in runs for i in range(start, stop)}
        first_run = range(runs[0][0], runs[0][0] + rule.consecutive) if runs else range(0)
        confirmed = ConfirmedDeterioration(
            rule=rule,
            met=bool(runs),
            visits=tuple(visits[i].label for i in first_run),
            conditions=tuple(visits[i].deterioration or () for i in first_run),
        )
    responding = [
        _RANK[v.result.category] >= _RANK[wanted] and i not in deteriorated
        for i, v in enumerate(visits)
    ]
    response_runs = _runs(responding, window)
    first_window = (
        range(response_runs[0][0], response_runs[0][0] + window) if response_runs else range(0)
    )
    sustained = SustainedResponse(
        level=wanted,
        consecutive=window,
        met=bool(response_runs),
        visits=tuple(visits[i].label for i in first_window),
    )
    return SeriesResult(
        series=series,
        visits=visits,
        first_reached=first_reached,
        first_met=first_met,
        sustained=sustained,
        deterioration=confirmed,
        warnings=subtype_warnings(series.population, series.subtype),
    )


def _visit_result(series: Series, index: int, rule: DeteriorationRule, imacs: bool) -> VisitResult:
    follow_up = series.visits[index]
    try:
        result = _Scorer(series.assessment(index)).run()
    except MyoresponseError as error:
        raise _at_visit(error, index) from None
    return VisitResult(
        label=follow_up.label,
        date=follow_up.date,
        result=result,
        deterioration=rule.conditions(result, series.scales.global_max) if imacs else None,
        doi=IMACS_DOI_2004.evaluate(result) if imacs else None,
        printo=() if imacs else tuple(d.evaluate(result) for d in PRINTO_LEVELS),
    )


def _at_visit(error: MyoresponseError, index: int) -> MyoresponseError:
    """Rename ``followup.<key>`` to ``visits[<index>].<key>`` in an error of the pair scorer."""
    name = error.field or ""
    if name == "followup" or name.startswith("followup."):
        name = f"visits[{index}]" + name[len("followup") :]
    elif not name.startswith("baseline"):
        return error
    return type(error)(error.reason, field=name, value=error.value)


def _first(visits: Sequence[VisitResult], test: Any) -> str | None:
    for visit in visits:
        if test(visit):
            return visit.label
    return None


def _runs(flags: Sequence[bool], length: int) -> list[tuple[int, int]]:
    """``(start, stop)`` of every maximal run of true flags at least ``length`` long."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for index, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            if index - start >= length:
                runs.append((start, index))
            start = None
    return runs


def _json_number(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


# -- the steps the long-table path (myoresponse.tables.visits) reuses -------------------------


def as_date(value: object) -> datetime.date | None:
    """A visit date from a :class:`datetime.date`, ``'YYYY-MM-DD'`` text or None (else an error)."""
    return _date(value)


def as_count(value: object) -> int:
    """A ``consecutive`` parameter: a whole number of at least 1 (else an error)."""
    return _count(value)


def evaluate_series(
    series: Series,
    *,
    level: Category | str = Category.MINIMAL,
    consecutive: int = 2,
    deterioration: DeteriorationRule | None = None,
) -> SeriesResult:
    """:func:`score_series` without emitting the subtype warning (the caller collects them)."""
    return _score(series, level=level, consecutive=consecutive, deterioration=deterioration)
