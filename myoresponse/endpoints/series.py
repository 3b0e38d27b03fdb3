"""Trial endpoints over a visit series: one patient's baseline and ordered follow-up visits.

Every follow-up visit is scored against baseline with the full 2016 ACR/EULAR criteria (the same
engine as :func:`~myoresponse.score`: a visit's result equals scoring that pair alone), and with the
relative-change definitions of :mod:`myoresponse.endpoints.definitions` (the IMACS 2004 DOI on the
IMACS core set, PRINTO 20/50/70/90 on the PRINTO core set). Over the series
:func:`myoresponse.score_series` reports

- the **first visit reaching** each category (minimal, moderate, major: at least that category) and
  the first visit meeting each definition;
- **confirmed deterioration** (IMACS trial guideline, Oddis et al. 2005, as used in the ProDERM
  trial): a visit *worsens* when, against baseline, any of the conditions of
  :class:`~myoresponse.endpoints.deterioration.DeteriorationRule` holds; deterioration is
  *confirmed* when visits worsen at ``consecutive`` (default 2) consecutive visits;
- the **landmark responder** (the ProDERM primary endpoint; :mod:`myoresponse.endpoints.landmark`),
  when a landmark is given: a Total Improvement Score of at least 20 (adult) at the landmark visit
  and no deterioration confirmed at or before it;
- the **consecutive response**, a convention of this project built from the published pieces (not
  a trial's endpoint): at least the chosen category (default minimal) at ``consecutive`` (default
  2) consecutive visits, none of which is part of a confirmed deterioration.

Conventions myoresponse adopts where the sources are terse (see ``docs/endpoints.rst``):

- "worse by 2 cm" is 2 cm on the 0–10 cm VAS; on another scale the threshold is scaled by
  ``global_max / 10`` (20 mm on a 100 mm VAS, 0.8 on a 0–4 Likert scale). It is a rise of the
  follow-up value over the baseline value.
- "MMT worse by ≥20 %" and "worse by ≥30 %" are by default **relative** changes from baseline with
  the IMACS 2004 DOI's baseline-zero rule; ``DeteriorationRule(percent_of=..., baseline_zero=...)``
  chooses otherwise (:mod:`myoresponse.endpoints.deterioration`).
- Confirmation needs a worsening at each of the consecutive visits; the condition that holds may
  differ between them. Each visit reports which conditions held.
- A visit is "part of a confirmed deterioration" when it belongs to a run of at least
  ``DeteriorationRule.consecutive`` consecutive worsening visits.
- Confirmed deterioration is written for the IMACS core set (physician global, MMT, extramuscular
  global). On a PRINTO-core-set series it is not evaluated (``deterioration`` is ``None``) and the
  consecutive and landmark responses check the Total Improvement Score alone.

Every series result states the conventions it used (``conventions`` in the JSON form).

**JSON form.** A series object is an assessment object (``interface.md``) with ``followup``
replaced by ``visits``, an array of visit objects in time order; each visit object (and the
``baseline``) may also carry ``label`` (text; default ``"baseline"`` and ``"visit 1"``,
``"visit 2"``, …) and ``date`` (``"YYYY-MM-DD"``). An optional ``endpoints`` object sets the
parameters::

    {"population": "adult", "subtype": "DM",
     "scales": {"mmt_max": 150, "enzyme_uln": {"CK": 200}},
     "endpoints": {"level": "minimal", "consecutive": 2,
                   "landmark": "week 16", "responder_threshold": 20,
                   "deterioration": {"consecutive": 2, "global_cm": 2, "strength_percent": 20,
                                     "measures_percent": 30, "measures_count": 3,
                                     "percent_of": "baseline", "baseline_zero": "any_rise"}},
     "baseline": {"date": "2024-01-08", "physician_global": 6, ...},
     "visits": [{"label": "week 4", "date": "2024-02-05", "physician_global": 5, ...}, ...]}

(or ``"landmark_day": 112, "window_days": 14`` in place of ``"landmark"``).
:func:`myoresponse.score_series_json` returns the series result object: ``criteria``,
``population``, ``core_set``, ``subtype``, ``warnings``, ``baseline`` (label and date),
``visits`` (per visit: ``label``, ``date``, ``result`` — the 2016 result object —, ``worsened``,
``worsened_count``, ``deterioration`` — the conditions that held, or ``null`` on the PRINTO core
set —, ``doi`` and ``printo``), ``endpoints`` (``first_reached``, ``first_met``,
``consecutive_response``, ``confirmed_deterioration``, ``landmark_response``) and
``conventions``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from attrs import field, frozen

from myoresponse._names import choice
from myoresponse.criteria import Category, CoreSet, Criteria, Population, criteria_for
from myoresponse.endpoints.definitions import (
    IMACS_DOI_2004,
    PRINTO_LEVELS,
    DefinitionResult,
    RelativeDefinition,
)
from myoresponse.endpoints.deterioration import (
    BaselineZero,
    DeteriorationCondition,
    DeteriorationRule,
    PercentOf,
    count,
)
from myoresponse.endpoints.landmark import (
    TIE_RULE,
    Landmark,
    LandmarkResponse,
    landmark_of,
    landmark_response,
)
from myoresponse.errors import InputFormatError, InvalidValueError, MyoresponseError
from myoresponse.measures import Scales, Visit
from myoresponse.options import Options
from myoresponse.result import Result
from myoresponse.scoring import Assessment, evaluate
from myoresponse.subtypes import Subtype, emit, optional_subtype, subtype_warnings

__all__ = [
    "BaselineZero",
    "ConfirmedDeterioration",
    "ConsecutiveResponse",
    "DeteriorationCondition",
    "DeteriorationRule",
    "FollowUp",
    "Landmark",
    "LandmarkResponse",
    "PercentOf",
    "Series",
    "SeriesResult",
    "VisitResult",
    "score_series",
]

_RANK = {category: rank for rank, category in enumerate(Category)}


def _count(value: object) -> int:
    """``consecutive``: a whole number of visits, at least 1."""
    return count(value)


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

    def score(self, **parameters: Any) -> SeriesResult:
        """Score this series; see :func:`myoresponse.score_series` for the parameters."""
        result = _score(self, **parameters)
        emit(result.warnings, stacklevel=2)
        return result


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
class ConsecutiveResponse:
    """At least ``level`` at ``consecutive`` consecutive visits without confirmed deterioration.

    A convention of this project built from the published pieces (the 2016 categories and
    confirmed deterioration), not a trial's endpoint. ``visits`` are the labels of the first such
    run of visits (empty when not met).
    """

    level: Category
    consecutive: int
    met: bool
    visits: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The ``endpoints.consecutive_response`` object."""
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
    (``imacs_doi_2004``, ``printo_20``, …) to the first visit meeting it. ``landmark`` is the
    landmark responder (``None`` when no landmark was given); ``rule`` the deterioration rule the
    series was scored with. ``warnings`` are the subtype warnings every visit's result also
    carries.
    """

    series: Series
    visits: tuple[VisitResult, ...]
    first_reached: Mapping[Category, str | None] = field(hash=False)
    first_met: Mapping[str, str | None] = field(hash=False)
    consecutive_response: ConsecutiveResponse
    deterioration: ConfirmedDeterioration | None
    warnings: tuple[str, ...]
    landmark: LandmarkResponse | None = None
    rule: DeteriorationRule = field(factory=DeteriorationRule)

    def visit(self, label: str) -> VisitResult:
        """The result of the visit labelled ``label`` (``KeyError`` if there is none)."""
        for visit in self.visits:
            if visit.label == label:
                return visit
        raise KeyError(label)

    @property
    def conventions(self) -> dict[str, Any]:
        """The conventions this result used (the ``conventions`` object of the JSON form).

        ``deterioration`` is the rule with its thresholds, ``percent_of`` and ``baseline_zero``
        (``None`` on the PRINTO core set, where it is not evaluated); ``landmark_tie`` the tie rule
        of a landmark by day (``None`` when no landmark was given by day).
        """
        by_day = self.landmark is not None and self.landmark.landmark.day is not None
        return {
            "deterioration": None if self.deterioration is None else self.rule.to_dict(),
            "landmark_tie": TIE_RULE if by_day else None,
        }

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
                "consecutive_response": self.consecutive_response.to_dict(),
                "confirmed_deterioration": None
                if self.deterioration is None
                else self.deterioration.to_dict(),
                "landmark_response": None if self.landmark is None else self.landmark.to_dict(),
            },
            "conventions": self.conventions,
        }


# -- scoring -----------------------------------------------------------------------------------


def score_series(
    series: Series,
    *,
    level: Category | str = Category.MINIMAL,
    consecutive: int = 2,
    deterioration: DeteriorationRule | None = None,
    landmark: Landmark | str | None = None,
    landmark_day: int | None = None,
    window_days: int | None = None,
    responder_threshold: Any = None,
) -> SeriesResult:
    """Score every follow-up of ``series`` against its baseline and derive the endpoints.

    ``level`` and ``consecutive`` define the consecutive response (defaults: at least minimal
    improvement at 2 consecutive visits); ``deterioration`` the thresholds and conventions of
    confirmed deterioration (default :class:`DeteriorationRule`: the published thresholds). A
    landmark — a visit label (``landmark="week 16"``), a day after baseline with a window
    (``landmark_day=112, window_days=14``) or a :class:`~myoresponse.Landmark`
    — adds the landmark responder (ProDERM), met at a Total Improvement Score of at least
    ``responder_threshold`` (default: the minimal threshold, 20 adult, 30 juvenile). An invalid
    visit raises a :class:`~myoresponse.MyoresponseError` whose field names it
    (``visits[2].mmt``). For a subtype outside adult DM/PM and JDM one
    :class:`~myoresponse.errors.UnvalidatedSubtypeWarning` is emitted for the series.
    """
    result = _score(
        series,
        level=level,
        consecutive=consecutive,
        deterioration=deterioration,
        landmark=landmark,
        landmark_day=landmark_day,
        window_days=window_days,
        responder_threshold=responder_threshold,
    )
    emit(result.warnings, stacklevel=2)
    return result


def _score(
    series: Series,
    *,
    level: Category | str = Category.MINIMAL,
    consecutive: int = 2,
    deterioration: DeteriorationRule | None = None,
    landmark: Landmark | str | None = None,
    landmark_day: int | None = None,
    window_days: int | None = None,
    responder_threshold: Any = None,
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
    if not isinstance(rule, DeteriorationRule):
        raise InputFormatError(
            f"must be a DeteriorationRule, got {type(rule).__name__}", field="deterioration"
        )
    wanted_landmark = landmark_of(
        landmark,
        landmark_day=landmark_day,
        window_days=window_days,
        responder_threshold=responder_threshold,
    )
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
    confirmed_at: int | None = None
    if imacs:
        flags = [v.worsening for v in visits]
        runs = _runs(flags, rule.consecutive)
        deteriorated = {i for start, stop in runs for i in range(start, stop)}
        first_run = range(runs[0][0], runs[0][0] + rule.consecutive) if runs else range(0)
        confirmed_at = first_run[-1] if runs else None
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
    consecutive_response = ConsecutiveResponse(
        level=wanted,
        consecutive=window,
        met=bool(response_runs),
        visits=tuple(visits[i].label for i in first_window),
    )
    responder = None
    if wanted_landmark is not None:
        responder = landmark_response(
            wanted_landmark,
            labels=[v.label for v in visits],
            dates=[v.date for v in visits],
            baseline_date=series.baseline_date,
            scores=[v.result.total_improvement_score for v in visits],
            confirmed_at=confirmed_at,
            evaluated=imacs,
            minimal=dict(series.criteria.thresholds)[Category.MINIMAL],
        )
    return SeriesResult(
        series=series,
        visits=visits,
        first_reached=first_reached,
        first_met=first_met,
        consecutive_response=consecutive_response,
        deterioration=confirmed,
        warnings=subtype_warnings(series.population, series.subtype),
        landmark=responder,
        rule=rule,
    )


def _visit_result(series: Series, index: int, rule: DeteriorationRule, imacs: bool) -> VisitResult:
    follow_up = series.visits[index]
    try:
        result = evaluate(series.assessment(index))
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


# -- for the io and tables wings: the same steps, warnings left to the caller ------------------


def evaluate_series(series: Series, **endpoints: Any) -> SeriesResult:
    """:func:`score_series` without emitting warnings (the result carries them)."""
    return _score(series, **endpoints)


def read_date(value: object) -> datetime.date | None:
    """A visit date from a :class:`datetime.date`, ``'YYYY-MM-DD'`` or ``None``; field ``date``."""
    return _date(value)
