"""Confirmed deterioration reports the visits that confirmed it, not the whole worsening run.

A run of worsening visits longer than ``consecutive`` is confirmed at its ``consecutive``-th visit;
the confirmation is those first ``consecutive`` visits, on every path (Python, JSON, long table).
"""

from __future__ import annotations

from typing import Any

import pytest

from myoresponse import DeteriorationCondition, DeteriorationRule, score_series, score_series_many
from tests.test_series import BASE, MINIMAL, NONE, PHYSICIAN_AND_MMT, THREE_AT_30, series
from tests.test_series_table import COLUMNS, columns_of

# v2..v5 worsen (a run of four), v1 and v6 do not.
LONG_RUN = (NONE, PHYSICIAN_AND_MMT, THREE_AT_30, PHYSICIAN_AND_MMT, THREE_AT_30, MINIMAL)


@pytest.mark.parametrize(
    ("consecutive", "visits"),
    [(2, ("v2", "v3")), (3, ("v2", "v3", "v4")), (4, ("v2", "v3", "v4", "v5"))],
)
def test_a_longer_run_is_confirmed_by_its_first_consecutive_visits(
    consecutive: int, visits: tuple[str, ...]
) -> None:
    result = score_series(
        series(*LONG_RUN), deterioration=DeteriorationRule(consecutive=consecutive)
    )
    assert [v.worsening for v in result.visits] == [False, True, True, True, True, False]
    confirmed = result.deterioration
    assert confirmed is not None and confirmed.met
    assert confirmed.visits == visits
    assert confirmed.confirmed_at == visits[-1]
    held = {
        "v2": (DeteriorationCondition.PHYSICIAN_AND_STRENGTH,),
        "v3": (DeteriorationCondition.CORE_SET_MEASURES,),
        "v4": (DeteriorationCondition.PHYSICIAN_AND_STRENGTH,),
        "v5": (DeteriorationCondition.CORE_SET_MEASURES,),
    }
    assert confirmed.conditions == tuple(held[label] for label in visits)


def test_a_run_shorter_than_consecutive_is_not_confirmed() -> None:
    rule = DeteriorationRule(consecutive=5)
    result = score_series(series(*LONG_RUN), deterioration=rule)
    assert result.deterioration is not None and not result.deterioration.met
    assert result.deterioration.visits == ()


def test_the_first_run_is_reported_when_there_are_two() -> None:
    visits = (PHYSICIAN_AND_MMT, THREE_AT_30, PHYSICIAN_AND_MMT, NONE, THREE_AT_30, THREE_AT_30)
    confirmed = score_series(series(*visits)).deterioration
    assert confirmed is not None and confirmed.visits == ("v1", "v2")


def test_json_and_long_table_report_the_same_confirmation() -> None:
    result = score_series(series(*LONG_RUN))
    doc = result.to_dict()["endpoints"]["confirmed_deterioration"]
    assert doc["visits"] == ["v2", "v3"] and doc["confirmed_at"] == "v3"
    rows: list[dict[str, Any]] = [
        {"id": "P", "visit": label, **dict(zip(COLUMNS, values, strict=True)), "uln_ck": 200}
        for label, values in [("baseline", BASE)]
        + [(f"v{i + 1}", v) for i, v in enumerate(LONG_RUN)]
    ]
    out = score_series_many(columns_of(rows), population="adult", mmt_max=80)
    head = list(out["row"]).index("patient")
    assert bool(out["confirmed_deterioration"][head])
    assert out["deterioration_visits"][head] == "v2;v3"
