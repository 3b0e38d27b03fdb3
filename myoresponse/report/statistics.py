"""The statistics of a case series, each a small function on plain numbers.

- :func:`describe`: median, quartiles, minimum, maximum and mean. Quartiles are numpy's default
  ``"linear"`` percentiles (Hyndman and Fan type 7, also R's default): the 25th percentile of n
  sorted values lies at position 0.25·(n − 1), interpolated between neighbours. The median of an
  even number of values is the mean of the middle two.
- :func:`proportion`: a count out of n with the exact (Clopper–Pearson) 95 % confidence interval,
  from ``scipy.stats.binomtest`` (``proportion_ci(method="exact")``). At 0 of n the interval
  is 0 to 1 − 0.025^(1/n); at n of n it is 0.025^(1/n) to 1.
- :func:`signed_rank`: the Wilcoxon signed-rank test of paired values (before/after) with
  ``scipy.stats.wilcoxon``, two-sided. Pairs with no change (zero differences) are dropped
  before ranking (Wilcoxon's original rule, ``zero_method="wilcox"``) and the number dropped is
  reported. Equal absolute differences (ties) get their mean rank. The p-value is **exact** when
  there are no ties (the null distribution of the rank sum over all 2^n sign patterns); with ties
  it is the exact permutation distribution of the tied ranks over all 2^n sign patterns when
  n ≤ 13, and the normal approximation with the tie-corrected variance (no continuity correction)
  above. The method used is reported with the p-value. Fewer non-zero differences than
  ``min_pairs`` (default 6) give no p-value: with n pairs the smallest two-sided p-value possible
  is 2/2^n, so with 5 or fewer no change could reach the 5 % level.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from myoresponse.report.extra import require

__all__ = ["MIN_PAIRS", "describe", "median", "proportion", "signed_rank"]

MIN_PAIRS = 6
"""The fewest non-zero paired differences for which a Wilcoxon p-value is given."""
_EXACT_WITH_TIES = 13  # up to 2**13 sign patterns, enumerated exactly
_EXACT_NO_TIES = 50


def median(values: Sequence[float]) -> float | None:
    """The median (the mean of the middle two for an even count); ``None`` for no values."""
    return float(np.median(values)) if len(values) else None


def describe(values: Sequence[float]) -> dict[str, Any] | None:
    """n, median, quartiles (type 7), minimum, maximum and mean; ``None`` for no values."""
    if not len(values):
        return None
    array = np.asarray(values, dtype=float)
    q1, q2, q3 = np.percentile(array, [25, 50, 75])
    return {
        "n": int(array.size),
        "median": float(q2),
        "q1": float(q1),
        "q3": float(q3),
        "min": float(array.min()),
        "max": float(array.max()),
        "mean": float(array.mean()),
    }


def proportion(count: int, n: int) -> dict[str, Any]:
    """``count`` of ``n`` with its exact (Clopper–Pearson) 95 % confidence interval."""
    if n == 0:
        return {"count": 0, "n": 0, "proportion": None, "ci_low": None, "ci_high": None}
    stats = require("scipy.stats")
    interval = stats.binomtest(count, n).proportion_ci(confidence_level=0.95, method="exact")
    return {
        "count": count,
        "n": n,
        "proportion": count / n,
        "ci_low": float(interval.low),
        "ci_high": float(interval.high),
    }


def signed_rank(
    before: Sequence[float], after: Sequence[float], min_pairs: int = MIN_PAIRS
) -> dict[str, Any]:
    """The two-sided Wilcoxon signed-rank test of after − before (see the module).

    Returns ``p_value`` (``None`` with a ``reason`` when it is not computed), ``statistic`` (the
    smaller of the positive and negative rank sums), ``method``, ``n_pairs``, ``n_zero`` (pairs
    dropped for no change) and ``ties``.
    """
    differences = np.asarray(after, dtype=float) - np.asarray(before, dtype=float)
    nonzero = differences[differences != 0]
    ties = bool(np.unique(np.abs(nonzero)).size < nonzero.size)
    out: dict[str, Any] = {
        "n_pairs": int(differences.size),
        "n_zero": int(differences.size - nonzero.size),
        "ties": ties,
        "zero_method": "wilcox",
        "statistic": None,
        "p_value": None,
        "method": None,
        "reason": None,
    }
    if nonzero.size < min_pairs:
        out["reason"] = (
            f"{nonzero.size} pair(s) with a change in dose; at least {min_pairs} are needed "
            "(with n pairs the smallest two-sided p-value possible is 2/2^n)"
        )
        return out
    stats = require("scipy.stats")
    method: Any
    if not ties and nonzero.size <= _EXACT_NO_TIES:
        method, name = "exact", "exact"
    elif ties and nonzero.size <= _EXACT_WITH_TIES:
        method = stats.PermutationMethod(n_resamples=np.inf)
        name = "exact permutation (ties)"
    else:
        method, name = (
            "asymptotic",
            "normal approximation (tie-corrected, no continuity correction)",
        )
    result = stats.wilcoxon(nonzero, zero_method="wilcox", alternative="two-sided", method=method)
    out.update(statistic=float(result.statistic), p_value=float(result.pvalue), method=name)
    return out
