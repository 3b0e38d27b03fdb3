"""The per-patient table of a report: one row per patient, as ``patients.csv`` and in the page.

Columns: ``id``, ``followup_visit`` and ``followup_day`` (days after baseline; empty without
dates), ``total_improvement_score``, ``category``, ``points_<measure>`` for each core set measure,
``dose_before_mg_per_day`` and ``dose_after_mg_per_day`` (prednisone-equivalent; empty when not
recorded) and ``reason`` (why the patient is not evaluable; empty when evaluable).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from myoresponse.report.cases import Case, CaseSeries

__all__ = ["columns", "rows", "write_csv"]


def columns(series: CaseSeries) -> list[str]:
    """The column names of the per-patient table."""
    return [
        "id",
        "followup_visit",
        "followup_day",
        "total_improvement_score",
        "category",
        *(f"points_{key}" for key in series.criteria.keys),
        "dose_before_mg_per_day",
        "dose_after_mg_per_day",
        "reason",
    ]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _row(case: Case, keys: Sequence[str]) -> list[str]:
    return [
        case.id,
        _cell(case.followup),
        _cell(case.day),
        _cell(case.tis),
        "" if case.category is None else case.category.value,
        *(_cell(case.points.get(key)) for key in keys),
        _cell(case.dose_before),
        _cell(case.dose_after),
        _cell(case.reason),
    ]


def rows(series: CaseSeries) -> list[list[str]]:
    """The per-patient table as text cells, patients in table order."""
    return [_row(case, series.criteria.keys) for case in series.cases]


def write_csv(series: CaseSeries, path: Path) -> None:
    """Write the per-patient table to ``path`` (UTF-8, comma-separated, header line first)."""
    with path.open("w", encoding="utf-8", newline="") as sink:
        writer = csv.writer(sink, lineterminator="\n")
        writer.writerow(columns(series))
        writer.writerows(rows(series))
