"""The exact scalar objects of one table row or one patient, built straight from its cells.

Rows (and patients) that the columnar engine does not decide are scored by the scalar path. Their
objects — :class:`~myoresponse.Visit`, :class:`~myoresponse.Scales`,
:class:`~myoresponse.scoring.Assessment`, :class:`~myoresponse.Series` — are built here from the
cell values, in the order in which the JSON reader (:mod:`myoresponse.io.json`) checks the same
values, so that an invalid row gets the error (class, field, message) that the JSON object of the
row gets, without building or parsing a JSON document.

Every ``values`` mapping holds the visit's measure keys (``physician_global`` …) with the cells'
values and, under ``enzymes``, the enzyme panel by enzyme name; empty cells are left out.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from myoresponse._names import choice
from myoresponse.criteria import CoreSet, Population
from myoresponse.endpoints.series import FollowUp, Series, read_date
from myoresponse.errors import InputFormatError, MyoresponseError
from myoresponse.measures import Scales, Visit
from myoresponse.options import Options
from myoresponse.scoring import Assessment

__all__ = ["VisitCells", "pair_assessment", "patient_series"]


class VisitCells:
    """One visit of a patient: its label, its date cell and its measure values."""

    __slots__ = ("date", "label", "values")

    def __init__(self, label: str, date: Any, values: Mapping[str, Any]) -> None:
        self.label = label
        self.date = date
        self.values = values


def _required(population: Any) -> None:
    if population is None:
        raise InputFormatError("is required: 'adult' or 'juvenile'", field="population", value=None)


def _visit(values: Mapping[str, Any], name: str) -> Visit:
    try:
        return Visit(**values)
    except MyoresponseError as error:
        raise error.with_field_prefix(name) from None


def pair_assessment(
    *,
    population: Any,
    core_set: CoreSet,
    scales: Mapping[str, Any],
    options: Options,
    baseline: Mapping[str, Any],
    followup: Mapping[str, Any],
) -> Assessment:
    """The :class:`~myoresponse.scoring.Assessment` of one row of a pair table."""
    _required(population)
    before = _visit(baseline, "baseline")
    after = _visit(followup, "followup")
    return Assessment(
        population=choice(Population, population, "population"),
        core_set=core_set,
        scales=Scales(**scales),
        options=options,
        baseline=before,
        followup=after,
    )


def patient_series(
    *,
    population: Any,
    core_set: CoreSet,
    subtype: Any,
    scales: Mapping[str, Any],
    options: Options,
    visits: Sequence[VisitCells],
) -> Series:
    """The :class:`~myoresponse.Series` of one patient; ``visits[0]`` is the baseline."""
    _required(population)
    first = visits[0]
    baseline = _visit(first.values, "baseline")
    follow_ups = []
    for index, cells in enumerate(visits[1:]):
        where = f"visits[{index}]"
        visit = _visit(cells.values, where)
        try:
            follow_ups.append(FollowUp(cells.label, visit, read_date(cells.date)))
        except MyoresponseError as error:
            raise error.with_field_prefix(where) from None
    chosen = choice(Population, population, "population")
    built = Scales(**scales)
    try:
        baseline_date: datetime.date | None = read_date(first.date)
        return Series(
            population=chosen,
            core_set=core_set,
            subtype=subtype,
            scales=built,
            options=options,
            baseline=baseline,
            visits=follow_ups,
            baseline_label=first.label,
            baseline_date=baseline_date,
        )
    except MyoresponseError as error:
        if error.field in ("label", "date"):
            raise error.with_field_prefix("baseline") from None
        raise
