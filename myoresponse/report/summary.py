"""The numbers a methods section needs, from a case series: :func:`summarise` → :class:`Summary`.

Proportions are of the **evaluable** patients (those with a scored follow-up visit); patients not
evaluable are counted in ``n_patients`` and listed with their reason, not counted as
non-responders. The statistics and their assumptions are in :mod:`myoresponse.report.statistics`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import frozen

from myoresponse._version import __version__
from myoresponse.criteria import Category
from myoresponse.errors import InvalidValueError
from myoresponse.report.cases import CaseSeries, case_series
from myoresponse.report.statistics import (
    MIN_PAIRS,
    describe,
    median,
    proportion,
    signed_rank,
)

__all__ = ["Summary", "summarise"]

_LEVELS = (Category.MINIMAL, Category.MODERATE, Category.MAJOR)
_RANK = {category: rank for rank, category in enumerate(Category)}


@frozen
class Summary:
    """Summary statistics of a case series; :meth:`to_dict` is the JSON form (``summary.json``).

    - ``categories``: per category, ``count`` and ``proportion`` of the evaluable patients;
    - ``at_least``: for ``minimal``, ``moderate`` (at least that category) and ``major``:
      ``count``, ``n``, ``proportion``, ``ci_low``, ``ci_high`` (exact 95 % CI);
    - ``tis``: ``n``, ``median``, ``q1``, ``q3``, ``min``, ``max``, ``mean`` (``None``: no one
      evaluable);
    - ``steroids``: ``n_pairs`` (evaluable patients with both doses), ``before`` and ``after``
      (as ``tis``), ``median_change`` (median of after − before, mg/day) and ``wilcoxon`` (see
      :func:`~myoresponse.report.statistics.signed_rank`); ``None`` with ``steroids_reason``
      when no patient has both doses;
    - ``measures``: per core set measure, ``n``, ``median_absolute_percent_change`` (of the
      patients where it is computable) and ``median_points``;
    - ``conventions``: population, criteria, thresholds, follow-up rule, scoring options and the
      statistical methods; ``version``: of myoresponse.
    """

    n_patients: int
    n_evaluable: int
    not_evaluable: tuple[tuple[str, str], ...]
    errors: tuple[tuple[str, str], ...]
    categories: Mapping[str, Mapping[str, Any]]
    at_least: Mapping[str, Mapping[str, Any]]
    tis: Mapping[str, Any] | None
    steroids: Mapping[str, Any] | None
    steroids_reason: str | None
    measures: Mapping[str, Mapping[str, Any]]
    conventions: Mapping[str, Any]
    version: str = __version__

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready plain data."""
        return {
            "n_patients": self.n_patients,
            "n_evaluable": self.n_evaluable,
            "not_evaluable": [{"id": i, "reason": r} for i, r in self.not_evaluable],
            "errors": [{"id": i, "error": e} for i, e in self.errors],
            "categories": {k: dict(v) for k, v in self.categories.items()},
            "at_least": {k: dict(v) for k, v in self.at_least.items()},
            "tis": None if self.tis is None else dict(self.tis),
            "steroids": None if self.steroids is None else dict(self.steroids),
            "steroids_reason": self.steroids_reason,
            "measures": {k: dict(v) for k, v in self.measures.items()},
            "conventions": dict(self.conventions),
            "version": self.version,
        }


def summarise(
    table: CaseSeries | Mapping[str, Any], *, min_pairs: int = MIN_PAIRS, **keywords: Any
) -> Summary:
    """Summarise a case series, or a long table of visits scored with :func:`case_series`.

    ``keywords`` go to :func:`~myoresponse.report.case_series` (``population``,
    ``mmt_max``, ``at``, ``at_day``, ``window``, …); ``min_pairs`` is the fewest dose changes
    for a Wilcoxon p-value.
    """
    if isinstance(table, CaseSeries):
        if keywords:
            raise InvalidValueError(
                f"{', '.join(sorted(keywords))} apply when scoring a table; a CaseSeries is "
                "already scored (pass them to case_series)",
                field=sorted(keywords)[0],
            )
        series = table
    else:
        series = case_series(table, **keywords)
    cases = series.evaluable
    n = len(cases)
    categories = {}
    for category in Category:
        count = sum(case.category is category for case in cases)
        categories[category.value] = {"count": count, "proportion": count / n if n else None}
    at_least = {}
    for level in _LEVELS:
        count = sum(
            case.category is not None and _RANK[case.category] >= _RANK[level] for case in cases
        )
        at_least[level.value] = proportion(count, n)
    measures = {}
    for key in series.criteria.keys:
        changes = [c.changes[key] for c in cases if c.changes.get(key) is not None]
        measures[key] = {
            "n": len(changes),
            "median_absolute_percent_change": median([x for x in changes if x is not None]),
            "median_points": median([c.points[key] for c in cases]),
        }
    pairs = [
        (c.dose_before, c.dose_after)
        for c in cases
        if c.dose_before is not None and c.dose_after is not None
    ]
    steroids: dict[str, Any] | None = None
    reason = None
    if pairs:
        before = [b for b, _ in pairs]
        after = [a for _, a in pairs]
        steroids = {
            "n_pairs": len(pairs),
            "before": describe(before),
            "after": describe(after),
            "median_change": median([a - b for b, a in pairs]),
            "wilcoxon": signed_rank(before, after, min_pairs),
        }
    else:
        reason = "no evaluable patient has a glucocorticoid dose recorded at both visits"
    return Summary(
        n_patients=len(series.cases),
        n_evaluable=n,
        not_evaluable=tuple((c.id, c.reason or "") for c in series.cases if not c.evaluable),
        errors=tuple((c.id, c.error) for c in series.errors if c.error is not None),
        categories=categories,
        at_least=at_least,
        tis=describe([c.tis for c in cases if c.tis is not None]),
        steroids=steroids,
        steroids_reason=reason,
        measures=measures,
        conventions=_conventions(series, min_pairs),
    )


def _conventions(series: CaseSeries, min_pairs: int) -> dict[str, Any]:
    settings = series.settings
    criteria = series.criteria
    return {
        "population": criteria.population.value,
        "core_set": criteria.core_set.value,
        "criteria": criteria.name,
        "thresholds": {c.value: float(t) for c, t in criteria.thresholds},
        "followup": series.choice.describe(),
        "band_edges": settings.get("band_edges", "upper-inclusive"),
        "enzyme_rule": settings.get("enzyme_rule", "range"),
        "missing": settings.get("missing", "error"),
        "mmt_max": None if settings.get("mmt_max") is None else str(settings["mmt_max"]),
        "denominator": "evaluable patients (a scored follow-up visit)",
        "quartiles": "linear interpolation (Hyndman-Fan type 7, numpy and R default)",
        "confidence_interval": "exact (Clopper-Pearson) 95 %, scipy.stats.binomtest",
        "wilcoxon": (
            "two-sided signed-rank test of after - before, scipy.stats.wilcoxon; zero "
            "differences dropped (zero_method='wilcox'); tied differences get mean ranks; exact "
            "without ties, exact permutation with ties up to 13 pairs, normal approximation "
            f"otherwise; at least {min_pairs} non-zero differences"
        ),
        "steroid_dose": "prednisone-equivalent mg/day (myoresponse.instruments.steroids)",
    }
