"""Visit series: per-visit results, endpoints, confirmed deterioration, subtypes, JSON and CLI."""

from __future__ import annotations

import datetime
import io
import json
import sys
import warnings
from fractions import Fraction
from typing import Any

import pytest

from myoresponse import (
    Category,
    DeteriorationCondition,
    DeteriorationRule,
    FollowUp,
    InvalidValueError,
    MissingMeasureError,
    Scales,
    Series,
    SeriesResult,
    UnknownFieldError,
    UnvalidatedSubtypeWarning,
    Visit,
    score,
    score_json,
    score_series,
    score_series_json,
)
from myoresponse.io.cli import main

SCALES = Scales(mmt_max=80, enzyme_uln={"CK": 200})
KEYS = ("physician_global", "patient_global", "mmt", "haq", "ck", "extramuscular")
BASE = (6, 6, 56, 1.5, 1200, 4)


def visit(pg: Any, pt: Any, mmt: Any, haq: Any, ck: Any, em: Any) -> Visit:
    return Visit(
        physician_global=pg,
        patient_global=pt,
        mmt=mmt,
        haq=haq,
        enzymes={"CK": ck},
        extramuscular=em,
    )


def series(*visits: tuple[Any, ...], base: tuple[Any, ...] = BASE, **kwargs: Any) -> Series:
    kwargs.setdefault("scales", SCALES)
    return Series(
        population=kwargs.pop("population", "adult"),
        baseline=visit(*base),
        visits=[FollowUp(f"v{i + 1}", visit(*v)) for i, v in enumerate(visits)],
        **kwargs,
    )


# The worked series of docs/endpoints.rst (adult DM, MMT-8 0–80, CK ULN 200: range 0–3000).
# TIS by hand (points per measure in table order):
#   week 4 : 7.5 + 0 + 10 + 0 + 2.5 + 0     = 20  minimal
#   week 8 : 0 + 0 + 0 + 0 + 0 + 0          = 0   none (flare: extramuscular +2.5 cm)
#   week 12: 17.5 + 5 + 10 + 5 + 5 + 12.5   = 55  moderate
#   week 16: 17.5 + 7.5 + 20 + 7.5 + 7.5 + 15 = 75 major
WORKED = {
    "week 4": (4.5, 5.5, 60, 1.5, 900, 3.5),
    "week 8": (7, 7, 50, 1.75, 1500, 6.5),
    "week 12": (3, 4, 64, 1.25, 600, 2),
    "week 16": (2, 3, 68, 1, 300, 1),
}


def worked() -> Series:
    start = datetime.date(2024, 1, 8)
    return Series(
        population="adult",
        subtype="DM",
        baseline=visit(*BASE),
        baseline_date=start,
        scales=SCALES,
        visits=[
            FollowUp(label, visit(*values), start + datetime.timedelta(weeks=int(label[5:])))
            for label, values in WORKED.items()
        ],
    )


def test_worked_series_per_visit() -> None:
    result = score_series(worked())
    assert [v.result.total_improvement_score for v in result.visits] == [20, 0, 55, 75]
    assert [v.result.category.value for v in result.visits] == [
        "minimal",
        "none",
        "moderate",
        "major",
    ]
    assert [v.worsened_count for v in result.visits] == [0, 6, 0, 0]
    assert result.visit("week 8").worsened == (*KEYS[:4], "enzyme", "extramuscular")
    assert [v.deterioration for v in result.visits] == [
        (),
        (DeteriorationCondition.EXTRAMUSCULAR,),
        (),
        (),
    ]
    assert [v.doi.met for v in result.visits if v.doi] == [False, False, True, True]
    assert result.visits[1].date == datetime.date(2024, 3, 4)


def test_worked_series_endpoints() -> None:
    result = score_series(worked())
    assert result.first_reached == {
        Category.MINIMAL: "week 4",
        Category.MODERATE: "week 12",
        Category.MAJOR: "week 16",
    }
    assert result.first_met == {"imacs_doi_2004": "week 12"}
    assert result.consecutive_response.met
    # week 4 alone is one visit short
    assert result.consecutive_response.visits == ("week 12", "week 16")
    assert result.deterioration is not None
    assert not result.deterioration.met  # extramuscular worse at week 8 only
    assert result.warnings == ()


def test_per_visit_result_equals_the_pair_alone() -> None:
    s = worked()
    result = score_series(s)
    for follow_up, visit_result in zip(s.visits, result.visits, strict=True):
        alone = score(s.baseline, follow_up.visit, population="adult", scales=SCALES, subtype="DM")
        assert visit_result.result == alone


# -- consecutive response -------------------------------------------------------------------------

MINIMAL = (4.5, 5.5, 60, 1.5, 900, 3.5)  # TIS 20
NONE = (6, 6, 56, 1.5, 1200, 4)  # unchanged
MODERATE = (3, 4, 64, 1.25, 600, 2)  # TIS 55
MAJOR = (2, 3, 68, 1, 300, 1)  # TIS 75


def test_consecutive_response_met_at_two_consecutive_visits() -> None:
    result = score_series(series(NONE, MINIMAL, MODERATE))
    assert result.consecutive_response.met and result.consecutive_response.visits == ("v2", "v3")


def test_consecutive_response_one_visit_short() -> None:
    assert not score_series(series(NONE, NONE, MINIMAL)).consecutive_response.met
    assert not score_series(series(MINIMAL, NONE, MINIMAL)).consecutive_response.met


def test_consecutive_response_level_and_count_are_parameters() -> None:
    s = series(MINIMAL, MODERATE, MAJOR, MODERATE)
    assert score_series(s, level="moderate").consecutive_response.visits == ("v2", "v3")
    assert score_series(s, level="major").consecutive_response.met is False
    three = score_series(s, level=Category.MODERATE, consecutive=3).consecutive_response
    assert three.visits == ("v2", "v3", "v4") and three.consecutive == 3
    assert not score_series(s, level="moderate", consecutive=4).consecutive_response.met
    assert score_series(s, consecutive=1).consecutive_response.visits == ("v1",)


def test_invalid_parameters() -> None:
    s = series(MINIMAL)
    with pytest.raises(InvalidValueError):
        score_series(s, level="none")
    with pytest.raises(InvalidValueError):
        score_series(s, consecutive=0)
    with pytest.raises(InvalidValueError):
        score_series(s, level="huge")


# -- confirmed deterioration ----------------------------------------------------------------------

# Baseline 6, 6, 56, 1.5, 1200, 4. Extramuscular 4 → 6 (+2 cm) while the rest improve a lot:
# TIS 17.5 + 7.5 + 20 + 7.5 + 7.5 + 0 = 60, major, and a worsening visit.
MAJOR_BUT_EXTRAMUSCULAR_WORSE = (2, 3, 68, 1, 300, 6)
EXTRAMUSCULAR_ALMOST = (2, 3, 68, 1, 300, 5.9)  # +1.9 cm: no worsening
PHYSICIAN_AND_MMT = (8, 6, 44.8, 1.5, 1200, 4)  # +2 cm and MMT −20 % exactly
PHYSICIAN_ONLY = (8, 6, 45, 1.5, 1200, 4)  # MMT −19.6 %: not with physician
THREE_AT_30 = (7.8, 7.8, 56, 1.95, 1200, 4)  # physician +1.8 cm; three measures +30 %
TWO_AT_30 = (7.8, 7.8, 56, 1.94, 1200, 4)  # HAQ +29.3 %


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (MAJOR_BUT_EXTRAMUSCULAR_WORSE, (DeteriorationCondition.EXTRAMUSCULAR,)),
        (EXTRAMUSCULAR_ALMOST, ()),
        (PHYSICIAN_AND_MMT, (DeteriorationCondition.PHYSICIAN_AND_STRENGTH,)),
        (PHYSICIAN_ONLY, ()),
        (THREE_AT_30, (DeteriorationCondition.CORE_SET_MEASURES,)),
        (TWO_AT_30, ()),
        (
            (8, 8, 44, 2, 1200, 6),
            (
                DeteriorationCondition.PHYSICIAN_AND_STRENGTH,
                DeteriorationCondition.EXTRAMUSCULAR,
                DeteriorationCondition.CORE_SET_MEASURES,
            ),
        ),
    ],
)
def test_worsening_conditions(values: tuple[Any, ...], expected: tuple[Any, ...]) -> None:
    assert score_series(series(values)).visits[0].deterioration == expected


def test_enzyme_is_not_one_of_the_three_measures() -> None:
    # Physician and patient +30 %, CK ×3: only two non-enzyme measures worse.
    assert score_series(series((7.8, 7.8, 56, 1.5, 3000, 4))).visits[0].deterioration == ()


def test_confirmed_deterioration_at_two_consecutive_visits() -> None:
    result = score_series(series(NONE, PHYSICIAN_AND_MMT, THREE_AT_30, MINIMAL))
    assert result.deterioration is not None
    assert result.deterioration.met
    assert result.deterioration.visits == ("v2", "v3")
    assert result.deterioration.confirmed_at == "v3"
    assert result.deterioration.conditions == (
        (DeteriorationCondition.PHYSICIAN_AND_STRENGTH,),
        (DeteriorationCondition.CORE_SET_MEASURES,),
    )


def test_deterioration_at_one_visit_only_is_not_confirmed() -> None:
    result = score_series(series(NONE, PHYSICIAN_AND_MMT, NONE))
    assert result.deterioration is not None and not result.deterioration.met
    assert result.deterioration.visits == () and result.deterioration.confirmed_at is None


def test_deterioration_at_two_non_consecutive_visits_is_not_confirmed() -> None:
    result = score_series(series(PHYSICIAN_AND_MMT, NONE, THREE_AT_30, MINIMAL))
    assert result.deterioration is not None and not result.deterioration.met


def test_confirmed_deterioration_blocks_consecutive_response() -> None:
    worse = MAJOR_BUT_EXTRAMUSCULAR_WORSE
    blocked = score_series(series(worse, worse))
    assert [v.result.category.value for v in blocked.visits] == ["major", "major"]
    assert blocked.deterioration is not None and blocked.deterioration.met
    assert blocked.first_reached[Category.MAJOR] == "v1"
    assert not blocked.consecutive_response.met
    # A single worsening visit is not a confirmed deterioration and does not block.
    once = score_series(series(worse, EXTRAMUSCULAR_ALMOST))
    assert once.consecutive_response.met and once.consecutive_response.visits == ("v1", "v2")
    # A run of worsening visits blocks every visit in it, and only those.
    later = score_series(series(worse, worse, MAJOR, MAJOR))
    assert later.consecutive_response.visits == ("v3", "v4")


def test_global_threshold_scales_with_global_max() -> None:
    mm = Scales(mmt_max=80, enzyme_uln={"CK": 200}, global_max=100)
    base = (60, 60, 56, 1.5, 1200, 40)
    assert score_series(series((60, 60, 56, 1.5, 1200, 60), base=base, scales=mm)).visits[
        0
    ].deterioration == (DeteriorationCondition.EXTRAMUSCULAR,)
    assert (
        score_series(series((60, 60, 56, 1.5, 1200, 59), base=base, scales=mm))
        .visits[0]
        .deterioration
        == ()
    )
    likert = Scales(mmt_max=80, enzyme_uln={"CK": 200}, global_max=4)
    base = (2, 2, 56, 1.5, 1200, 1)
    # 2 cm of 10 is 0.8 on a 0–4 scale.
    assert score_series(series((2, 2, 56, 1.5, 1200, 1.8), base=base, scales=likert)).visits[
        0
    ].deterioration == (DeteriorationCondition.EXTRAMUSCULAR,)
    assert (
        score_series(series((2, 2, 56, 1.5, 1200, 1.75), base=base, scales=likert))
        .visits[0]
        .deterioration
        == ()
    )


def test_deterioration_rule_is_data() -> None:
    lenient = DeteriorationRule(global_cm=3, consecutive=3)
    assert (
        score_series(series(MAJOR_BUT_EXTRAMUSCULAR_WORSE), deterioration=lenient)
        .visits[0]
        .deterioration
        == ()
    )
    result = score_series(
        series(PHYSICIAN_AND_MMT, PHYSICIAN_AND_MMT), deterioration=DeteriorationRule(consecutive=3)
    )
    assert result.deterioration is not None and not result.deterioration.met
    assert DeteriorationRule().to_dict() == {
        "consecutive": 2,
        "global_cm": 2,
        "strength_percent": 20,
        "measures_percent": 30,
        "measures_count": 3,
        "percent_of": "baseline",
        "baseline_zero": "any_rise",
    }
    with pytest.raises(InvalidValueError):
        DeteriorationRule(measures_count=0)


def test_baseline_zero_rise_counts_as_worse_for_three_measures() -> None:
    base = (0, 0, 56, 0, 1200, 4)
    result = score_series(series((1, 0.5, 56, 0.125, 1200, 4), base=base))
    assert result.visits[0].deterioration == (DeteriorationCondition.CORE_SET_MEASURES,)


# -- series model -------------------------------------------------------------------------------


def test_first_reached_none_when_never_reached() -> None:
    result = score_series(series(NONE, MINIMAL))
    assert result.first_reached[Category.MINIMAL] == "v2"
    assert result.first_reached[Category.MODERATE] is None
    assert result.first_met == {"imacs_doi_2004": None}


def test_labels_unique_and_dates_increasing() -> None:
    with pytest.raises(InvalidValueError) as raised:
        Series(
            population="adult",
            baseline=visit(*BASE),
            visits=[FollowUp("a", visit(*NONE)), FollowUp("a", visit(*NONE))],
        )
    assert raised.value.field == "visits[1].label"
    with pytest.raises(InvalidValueError) as raised:
        Series(
            population="adult",
            baseline=visit(*BASE),
            baseline_date="2024-02-01",
            visits=[
                FollowUp("a", visit(*NONE), "2024-03-01"),
                FollowUp("b", visit(*NONE), "2024-03-01"),
            ],
        )
    assert raised.value.field == "visits[1].date"
    with pytest.raises(InvalidValueError):
        FollowUp("a", visit(*NONE), "1 March")
    with pytest.raises(InvalidValueError):
        FollowUp("", visit(*NONE))


def test_invalid_visit_names_the_visit() -> None:
    with pytest.raises(InvalidValueError) as raised:
        score_series(series(NONE, (6, 6, 81, 1.5, 1200, 4)))
    assert raised.value.field == "visits[1].mmt"
    with pytest.raises(MissingMeasureError) as missing:
        score_series(series(NONE, scales=Scales()))
    assert missing.value.field == "scales.mmt_max"


def test_printo_series_uses_printo_levels_and_no_deterioration() -> None:
    scales = Scales(chq_phs_range=(15, 65))
    base = Visit(physician_global=5, patient_global=6, cmas=30, chaq=1.5, chq_phs=30, das=10)
    good = Visit(physician_global=2.5, patient_global=3, cmas=30, chaq=0.75, chq_phs=30, das=10)
    s = Series(
        population="juvenile",
        core_set="printo",
        subtype="JDM",
        baseline=base,
        scales=scales,
        visits=[FollowUp("m3", base), FollowUp("m6", good)],
    )
    result = score_series(s)
    assert result.deterioration is None
    assert result.visits[1].deterioration is None and result.visits[1].doi is None
    assert [p.met for p in result.visits[1].printo] == [True, True, False, False]
    assert result.first_met == {
        "printo_20": "m6",
        "printo_50": "m6",
        "printo_70": None,
        "printo_90": None,
    }
    doc = result.to_dict()
    assert doc["endpoints"]["confirmed_deterioration"] is None
    assert doc["visits"][1]["printo"][1]["definition"] == "printo_50"
    with pytest.raises(InvalidValueError):
        Series(population="adult", core_set="printo", baseline=base, visits=[])


# -- subtype -----------------------------------------------------------------------------------


@pytest.mark.parametrize("subtype", ["IMNM", "antisynthetase", "overlap", "IBM", "other", "JDM"])
def test_unvalidated_subtype_warns(subtype: str) -> None:
    with pytest.warns(UnvalidatedSubtypeWarning, match=subtype):
        result = score_series(series(MINIMAL, MODERATE, subtype=subtype))
    assert len(result.warnings) == 1
    assert all(v.result.warnings == result.warnings for v in result.visits)
    assert result.consecutive_response.met  # still computed


@pytest.mark.parametrize(
    ("population", "subtype"), [("adult", "DM"), ("adult", "pm"), ("adult", None)]
)
def test_validated_subtype_does_not_warn(population: str, subtype: str | None) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = score_series(series(MINIMAL, population=population, subtype=subtype))
    assert result.warnings == ()


def test_series_warning_is_emitted_once_and_is_filterable() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        score_series(series(MINIMAL, MODERATE, MAJOR, subtype="IMNM"))
    assert [w.category for w in caught] == [UnvalidatedSubtypeWarning]
    assert caught[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", UnvalidatedSubtypeWarning)
        score_series(series(MINIMAL, subtype="IBM"))  # no error raised: filtered


def test_assessment_subtype_warns_and_is_in_json() -> None:
    with pytest.warns(UnvalidatedSubtypeWarning) as record:
        result = score(
            visit(*BASE), visit(*MINIMAL), population="adult", scales=SCALES, subtype="IBM"
        )
    assert record[0].filename == __file__
    assert result.warnings and "IBM" in result.warnings[0]
    juvenile_dm = {"physician_global": 5, "patient_global": 5, "mmt": 50, "chaq": 1}
    doc = {
        "population": "juvenile",
        "subtype": "DM",  # adult subtype under the JDM criteria: outside validation
        "scales": {"mmt_max": 80},
        "options": {"missing": "zero"},
        "baseline": juvenile_dm,
        "followup": juvenile_dm,
    }
    with pytest.warns(UnvalidatedSubtypeWarning):
        out = score_json(doc)
    assert len(out["warnings"]) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert score_json({**doc, "subtype": "JDM"})["warnings"] == []
    with pytest.raises(InvalidValueError) as raised:
        score_json({**doc, "subtype": "myositis"})
    assert raised.value.field == "subtype"


# -- JSON ---------------------------------------------------------------------------------------


def as_json(values: tuple[Any, ...]) -> dict[str, Any]:
    return {
        "physician_global": values[0],
        "patient_global": values[1],
        "mmt": values[2],
        "haq": values[3],
        "enzymes": {"CK": values[4]},
        "extramuscular": values[5],
    }


def worked_json() -> dict[str, Any]:
    return {
        "population": "adult",
        "subtype": "DM",
        "scales": {"mmt_max": 80, "enzyme_uln": {"CK": 200}},
        "baseline": {"date": "2024-01-08", **as_json(BASE)},
        "visits": [
            {"label": "week 4", "date": "2024-02-05", **as_json(WORKED["week 4"])},
            {"label": "week 8", "date": "2024-03-04", **as_json(WORKED["week 8"])},
            {"label": "week 12", "date": "2024-04-01", **as_json(WORKED["week 12"])},
            {"label": "week 16", "date": "2024-04-29", **as_json(WORKED["week 16"])},
        ],
    }


def test_series_json_worked() -> None:
    doc = score_series_json(worked_json())
    assert doc == score_series(worked()).to_dict()
    assert doc["warnings"] == []
    assert doc["baseline"] == {"label": "baseline", "date": "2024-01-08"}
    assert [v["result"]["total_improvement_score"] for v in doc["visits"]] == [20, 0, 55, 75]
    assert doc["visits"][1]["deterioration"] == ["extramuscular_global"]
    assert doc["visits"][1]["worsened_count"] == 6
    assert doc["endpoints"] == {
        "first_reached": {"minimal": "week 4", "moderate": "week 12", "major": "week 16"},
        "first_met": {"imacs_doi_2004": "week 12"},
        "consecutive_response": {
            "level": "minimal",
            "consecutive": 2,
            "met": True,
            "visits": ["week 12", "week 16"],
        },
        "confirmed_deterioration": {
            "consecutive": 2,
            "met": False,
            "confirmed_at": None,
            "visits": [],
            "conditions": [],
        },
        "landmark_response": None,
    }
    assert doc["conventions"] == {
        "deterioration": DeteriorationRule().to_dict(),
        "landmark_tie": None,
    }
    json.dumps(doc, allow_nan=False)


def test_series_json_defaults_and_parameters() -> None:
    data = worked_json()
    for item in data["visits"]:
        del item["label"]
    data["endpoints"] = {"level": "moderate", "consecutive": 2, "deterioration": {"global_cm": 3}}
    doc = score_series_json(data)
    assert [v["label"] for v in doc["visits"]] == ["visit 1", "visit 2", "visit 3", "visit 4"]
    assert doc["endpoints"]["consecutive_response"]["visits"] == ["visit 3", "visit 4"]
    assert doc["visits"][1]["deterioration"] == []  # +2.5 cm < 3 cm


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        ({"visits": None}, Exception, "visits"),
        ({"followup": {}}, UnknownFieldError, "followup"),
        ({"endpoints": {"level": "none"}}, InvalidValueError, "endpoints.level"),
        ({"endpoints": {"consecutive": 0}}, InvalidValueError, "endpoints.consecutive"),
        ({"endpoints": {"minimum": 1}}, UnknownFieldError, "endpoints.minimum"),
        ({"endpoints": {"deterioration": {"global_cm": -1}}}, InvalidValueError, None),
        ({"subtype": "DMX"}, InvalidValueError, "subtype"),
        ({"core_set": "printo"}, InvalidValueError, "core_set"),
    ],
)
def test_series_json_errors(change: dict[str, Any], error: type, field: str | None) -> None:
    with pytest.raises(error) as raised:
        score_series_json({**worked_json(), **change})
    if field is not None:
        assert raised.value.field == field  # type: ignore[attr-defined]


def test_series_json_visit_errors_name_the_visit() -> None:
    data = worked_json()
    data["visits"][2]["mmt"] = 90
    with pytest.raises(InvalidValueError) as raised:
        score_series_json(data)
    assert raised.value.field == "visits[2].mmt"
    data = worked_json()
    data["visits"][1]["date"] = "2024-13-01"
    with pytest.raises(InvalidValueError) as raised:
        score_series_json(data)
    assert raised.value.field == "visits[1].date"
    data = worked_json()
    data["visits"][0]["haq"] = -1
    with pytest.raises(InvalidValueError) as raised:
        score_series_json(data)
    assert raised.value.field == "visits[0].haq"
    data = worked_json()
    data["baseline"]["date"] = "2024-03-01"
    with pytest.raises(InvalidValueError) as raised:
        score_series_json(data)
    assert raised.value.field == "visits[0].date"


def test_series_json_direct_enzyme_pins() -> None:
    data = worked_json()
    for item in [data["baseline"], *data["visits"]]:
        item["enzyme"] = {"name": "CK", "value": item.pop("enzymes")["CK"]}
    assert score_series_json(data) == score_series_json(worked_json())
    data["visits"][0]["enzyme"]["name"] = "AST"
    with pytest.raises(Exception) as raised:
        score_series_json(data)
    assert raised.value.field == "visits"  # type: ignore[attr-defined]


# -- command line -------------------------------------------------------------------------------


def run_cli(argv: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    return main(argv), out.getvalue(), err.getvalue()


def test_cli_series(monkeypatch: pytest.MonkeyPatch) -> None:
    status, out, err = run_cli(["series"], json.dumps(worked_json()), monkeypatch)
    assert status == 0 and err == ""
    assert json.loads(out)["endpoints"]["consecutive_response"]["met"] is True


def test_cli_series_array_with_an_error_and_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = {**worked_json(), "visits": [{"mmt": 99}]}
    imnm = {**worked_json(), "subtype": "IMNM"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        status, out, err = run_cli(["series", "-"], json.dumps([imnm, bad]), monkeypatch)
    assert status == 1
    docs = json.loads(out)
    assert docs[0]["warnings"] and docs[1]["error"]["field"] in ("visits[0].mmt", "baseline.mmt")
    assert "item 0: warning: subtype IMNM" in err and "item 1:" in err


def test_cli_series_unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_cli(["series"], "[1, 2", monkeypatch)[0] == 2
    assert run_cli(["series"], '"text"', monkeypatch)[0] == 2


def test_tis_values_are_exact() -> None:
    result = score_series(worked())
    assert all(isinstance(v.result.total_improvement_score, Fraction) for v in result.visits)
    assert isinstance(result, SeriesResult)


def test_endpoints_page_examples() -> None:
    import doctest
    from pathlib import Path

    page = Path(__file__).resolve().parent.parent / "docs" / "endpoints.rst"
    failures, tried = doctest.testfile(str(page), module_relative=False)
    assert tried > 10 and failures == 0
