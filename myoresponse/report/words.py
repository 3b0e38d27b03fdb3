"""The summary of a case series in sentences, as a methods or results section words it.

>>> from myoresponse.report import example_table, summarise
>>> from myoresponse.report.words import response_sentences
>>> summary = summarise(example_table(), population="adult", mmt_max=150)
>>> print(response_sentences(summary)[-1])
5 of 8 evaluable patients (62.5 %; 95 % CI 24.5–91.5 %) reached major response.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from myoresponse.report.summary import Summary

__all__ = [
    "number",
    "p_value",
    "percent",
    "response_sentences",
    "sentences",
    "steroid_sentence",
    "tis_sentence",
]


def number(value: float | None, digits: int = 1) -> str:
    """``value`` rounded half up to ``digits`` decimals (51.25 → ``"51.3"``), minus sign −.

    Half up, as by hand, on the shortest decimal form of the float; ``"–"`` when missing.
    """
    if value is None:
        return "–"
    step = Decimal(1).scaleb(-digits)
    rounded = Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP)
    rounded = abs(rounded) if rounded == 0 else rounded  # no "−0.0"
    return f"{rounded:f}".replace("-", "−")


def percent(value: float | None) -> str:
    """A proportion as a percentage with one decimal (0.625 → ``"62.5 %"``)."""
    return "–" if value is None else f"{number(100 * value)} %"


def p_value(value: float) -> str:
    """``p = 0.016``, or ``p < 0.001`` for smaller values."""
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def response_sentences(summary: Summary) -> list[str]:
    """One sentence per response level: count, percentage and exact 95 % CI."""
    out = []
    for level, words in (
        ("minimal", "at least minimal"),
        ("moderate", "at least moderate"),
        ("major", "major"),
    ):
        found = summary.at_least[level]
        if not found["n"]:
            continue
        low, high = number(100 * found["ci_low"]), number(100 * found["ci_high"])
        out.append(
            f"{found['count']} of {found['n']} evaluable patients ({percent(found['proportion'])}; "
            f"95 % CI {low}–{high} %) reached {words} response."
        )
    return out


def tis_sentence(summary: Summary) -> str:
    """The median Total Improvement Score with its interquartile range and range."""
    tis = summary.tis
    if tis is None:
        return "No patient was evaluable, so there is no Total Improvement Score to summarise."
    return (
        f"The median Total Improvement Score was {number(tis['median'])} (interquartile range "
        f"{number(tis['q1'])}–{number(tis['q3'])}; range {number(tis['min'])}–"
        f"{number(tis['max'])}; mean {number(tis['mean'])})."
    )


def _spread(described: Mapping[str, Any]) -> str:
    return (
        f"{number(described['median'])} (IQR {number(described['q1'])}–{number(described['q3'])})"
    )


def steroid_sentence(summary: Summary) -> str:
    """The glucocorticoid dose before and after, the median paired change and the test."""
    steroids = summary.steroids
    if steroids is None:
        return f"Glucocorticoid doses: not summarised ({summary.steroids_reason})."
    change = steroids["median_change"]
    verb = "fell" if change < 0 else "rose" if change > 0 else "did not change"
    test = steroids["wilcoxon"]
    if test["p_value"] is None:
        tested = f"no Wilcoxon signed-rank test ({test['reason']})"
    else:
        tested = f"Wilcoxon signed-rank {p_value(test['p_value'])}, {test['method']}"
        if test["n_zero"]:
            tested += f"; {test['n_zero']} unchanged pair(s) left out"
    return (
        f"In the {steroids['n_pairs']} evaluable patients with a dose recorded at both visits, "
        f"the median prednisone-equivalent dose {verb} from {_spread(steroids['before'])} to "
        f"{_spread(steroids['after'])} mg/day (median paired change {number(change)} mg/day; "
        f"{tested})."
    )


def sentences(summary: Summary) -> list[str]:
    """The whole summary in words: patients, responses, scores, doses."""
    conventions = summary.conventions
    lead = (
        f"{summary.n_patients} patients, {summary.n_evaluable} evaluable at "
        f"{conventions['followup']}; scored with the {conventions['criteria']} criteria "
        f"(minimal ≥ {conventions['thresholds']['minimal']:g}, moderate ≥ "
        f"{conventions['thresholds']['moderate']:g}, major ≥ "
        f"{conventions['thresholds']['major']:g})."
    )
    out = [lead]
    if summary.not_evaluable:
        listed = "; ".join(f"{ident}: {reason}" for ident, reason in summary.not_evaluable)
        out.append(f"Not evaluable: {listed}.")
    return [*out, *response_sentences(summary), tis_sentence(summary), steroid_sentence(summary)]
