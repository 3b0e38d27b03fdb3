"""The case series: one record per patient, scored at the chosen follow-up visit.

:func:`case_series` scores a long table of visits with :func:`~myoresponse.score_series_many`
(so every Total Improvement Score equals :func:`~myoresponse.score_series` for that patient and
visit), chooses each patient's follow-up visit (:mod:`myoresponse.report.followup`) and keeps
what a report needs: the score, category and points of that visit, the prednisone-equivalent
dose at baseline and at that visit, and every visit's score for the figure over time.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from typing import Any

from attrs import field, frozen

from myoresponse._names import choice
from myoresponse.criteria import Category, CoreSet, Criteria, Population, criteria_for
from myoresponse.errors import InputFormatError, InvalidValueError
from myoresponse.report.followup import Chosen, FollowUpChoice
from myoresponse.tables.steroid_columns import DOSE_COLUMN
from myoresponse.tables.visits import score_series_many

__all__ = ["Case", "CaseSeries", "case_series"]


@frozen
class Case:
    """One patient of the case series.

    ``reason`` is ``None`` for an evaluable patient, else why it is not evaluable (``error`` is
    also set when the patient's rows are invalid). ``points`` and ``changes`` map each core set
    measure to its level points and absolute percent change (``None``: not computable).
    ``dose_before``/``dose_after`` are prednisone-equivalent mg/day (``None``: not recorded).
    ``timeline`` holds (label, day, Total Improvement Score) for every follow-up visit.
    """

    id: str
    followup: str | None = None
    day: int | None = None
    tis: float | None = None
    category: Category | None = None
    points: Mapping[str, float] = field(factory=dict)
    changes: Mapping[str, float | None] = field(factory=dict)
    dose_before: float | None = None
    dose_after: float | None = None
    reason: str | None = None
    error: str | None = None
    timeline: tuple[tuple[str, int | None, float], ...] = ()

    @property
    def evaluable(self) -> bool:
        """Whether the patient has a scored follow-up visit."""
        return self.reason is None


@frozen
class CaseSeries:
    """Every patient of a table, the criteria set they were scored with and the settings used."""

    cases: tuple[Case, ...]
    criteria: Criteria
    choice: FollowUpChoice
    settings: Mapping[str, Any]

    @property
    def evaluable(self) -> tuple[Case, ...]:
        """The patients with a scored follow-up visit."""
        return tuple(case for case in self.cases if case.evaluable)

    @property
    def errors(self) -> tuple[Case, ...]:
        """The patients whose rows are invalid."""
        return tuple(case for case in self.cases if case.error is not None)


def case_series(
    columns: Mapping[str, Any],
    *,
    population: Population | str | None = None,
    at: str | None = None,
    at_day: int | None = None,
    window: int | None = None,
    **keywords: Any,
) -> CaseSeries:
    """Score a long table of visits (see :func:`~myoresponse.score_series_many`) as a case series.

    ``at`` (a visit label) or ``at_day`` with ``window`` choose each patient's follow-up visit
    (:class:`~myoresponse.report.FollowUpChoice`; default the last visit). The other
    keywords (``mmt_max``, ``missing``, ``band_edges``, …) go to
    :func:`~myoresponse.score_series_many`. The table must describe one population: a
    ``population`` column with more than one value is an error, since the response thresholds
    differ (adult 20/40/60, juvenile 30/45/70).
    """
    chooser = FollowUpChoice(label=at, day=at_day, window=window)
    population = _one_population(columns, population)
    core_set = choice(CoreSet, keywords.get("core_set", CoreSet.IMACS), "core_set")
    criteria = criteria_for(population, core_set)
    if all(hasattr(columns, name) for name in ("columns", "index", "iloc")):  # a DataFrame
        frame: Any = columns
        columns = {str(name): frame[name].to_numpy() for name in frame.columns}
    out = score_series_many(columns, population=population, errors="mark", **keywords)
    data = {name: list(out[name]) for name in out}
    rows: dict[str, list[int]] = {}
    for row, ident in enumerate(data["id"]):
        rows.setdefault(_text(ident), []).append(row)
    cases = tuple(_case(ident, group, data, chooser, criteria) for ident, group in rows.items())
    settings = {"population": population, **keywords}
    return CaseSeries(cases, criteria, chooser, settings)


def _one_population(columns: Mapping[str, Any], keyword: Population | str | None) -> Population:
    found: set[Population] = set()
    if keyword is not None:
        found.add(choice(Population, keyword, "population"))
    if "population" in columns:
        for cell in list(columns["population"]):
            text = _text(cell)
            if text:
                found.add(choice(Population, text, "population"))
    if len(found) > 1:
        names = ", ".join(sorted(p.value for p in found))
        raise InvalidValueError(
            f"the table mixes populations ({names}); the response thresholds differ between "
            "them (adult 20/40/60, juvenile 30/45/70), so report each population separately",
            field="population",
        )
    if not found:
        raise InputFormatError(
            "is required: pass population='adult' or 'juvenile', or give a population column",
            field="population",
        )
    return found.pop()


def _text(cell: Any) -> str:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return ""
    if hasattr(cell, "item"):
        cell = cell.item()
    return str(cell).strip()


def _number(cell: Any) -> float | None:
    value = float(cell)
    return None if math.isnan(value) else value


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _case(
    ident: str,
    rows: list[int],
    data: Mapping[str, list[Any]],
    chooser: FollowUpChoice,
    criteria: Criteria,
) -> Case:
    head, visits = rows[0], rows[1:]
    error = _text(data["error"][head]) or None
    if error is not None:
        return Case(ident, reason=f"invalid rows: {error}", error=error)
    labels = [_text(data["visit"][row]) for row in visits]
    dates = [_date(_text(data["date"][row])) for row in visits]
    chosen = chooser.choose(labels, dates, _date(_text(data["date"][head])))
    doses = data.get(DOSE_COLUMN)
    before = None if doses is None else _number(doses[head])
    if not isinstance(chosen, Chosen):
        return Case(ident, reason=chosen, dose_before=before)
    row = visits[chosen.index]
    base = _date(_text(data["date"][head]))
    timeline = tuple(
        (
            label,
            None if date is None or base is None else (date - base).days,
            float(data["total_improvement_score"][visit]),
        )
        for label, date, visit in zip(labels, dates, visits, strict=True)
    )
    return Case(
        ident,
        followup=chosen.label,
        day=chosen.day,
        tis=float(data["total_improvement_score"][row]),
        category=Category(_text(data["category"][row])),
        points={key: float(data[f"points_{key}"][row]) for key in criteria.keys},
        changes={key: _number(data[f"change_{key}"][row]) for key in criteria.keys},
        dose_before=before,
        dose_after=None if doses is None else _number(doses[row]),
        timeline=timeline,
    )
