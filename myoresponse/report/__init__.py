"""The case-series report: summary statistics, figures and a self-contained report file.

The layer between the tables and io: it scores a long table of visits with
:func:`~myoresponse.score_series_many`, chooses each patient's follow-up visit, and summarises
(:func:`summarise`), draws (:mod:`myoresponse.report.figures`) and writes
(:func:`write_report`) the case series. matplotlib and scipy (the ``report`` extra,
``pip install 'myoresponse[report]'``) are imported only when a figure or a statistic is made.

>>> from myoresponse.report import case_series, example_table, summarise
>>> series = case_series(example_table(), population="adult", mmt_max=150)
>>> summary = summarise(series)
>>> summary.at_least["major"]["count"], summary.n_evaluable
(5, 8)

``write_report(series, "report-folder")`` then writes the report files.
"""

from __future__ import annotations

from myoresponse.report.cases import Case, CaseSeries, case_series
from myoresponse.report.example import example_table
from myoresponse.report.extra import MissingExtraError
from myoresponse.report.followup import FollowUpChoice
from myoresponse.report.summary import Summary, summarise
from myoresponse.report.writing import write_report

__all__ = [
    "Case",
    "CaseSeries",
    "FollowUpChoice",
    "MissingExtraError",
    "Summary",
    "case_series",
    "example_table",
    "summarise",
    "write_report",
]
