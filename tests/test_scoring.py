"""Whole-patient vectors computed by hand, scales, enzymes and the float traps of decimal inputs."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest

import myoresponse
from myoresponse import (
    Category,
    Direction,
    Enzyme,
    EnzymeRule,
    Options,
    Scales,
    Visit,
    score,
    score_json,
)
from tests.conftest import ULN, improved, score_pair, steady

F = Fraction


# -- whole patients either side of each threshold ------------------------------------------------

ADULT_CASES = [
    # (improvements in % of range, expected TIS, category); points from the printed table.
    ({"physician_global": 15, "mmt": 2.5}, "17.5", Category.NONE),  # 7.5 + 10
    ({"physician_global": 15, "patient_global": 6, "mmt": 2.5}, "20", Category.MINIMAL),
    ({"physician_global": 30, "mmt": 15}, "37.5", Category.MINIMAL),  # 17.5 + 20
    ({"physician_global": 45, "mmt": 15}, "40", Category.MODERATE),  # 20 + 20
    ({"physician_global": 45, "mmt": 25, "haq": 41}, "57.5", Category.MODERATE),  # 20+27.5+10
    ({"physician_global": 45, "mmt": 35, "enzyme": 30}, "60", Category.MAJOR),  # 20+32.5+7.5
]
JDM_CASES = [
    ({"physician_global": 10, "mmt": 15}, "27.5", Category.NONE),  # 7.5 + 20
    ({"physician_global": 10, "mmt": 15, "patient_global": 10}, "30", Category.MINIMAL),
    ({"physician_global": 20, "mmt": 25}, "42.5", Category.MINIMAL),  # 15 + 27.5
    ({"physician_global": 20, "mmt": 25, "patient_global": 10}, "45", Category.MODERATE),
    ({"physician_global": 41, "mmt": 31, "extramuscular": 30}, "67.5", Category.MODERATE),
    (
        {"physician_global": 41, "mmt": 31, "extramuscular": 20, "chaq": 10},
        "70",
        Category.MAJOR,
    ),  # 20 + 32.5 + 12.5 + 5
]


@pytest.mark.parametrize(("moves", "tis", "category"), ADULT_CASES)
def test_adult_patients_either_side_of_thresholds(
    moves: dict[str, Any], tis: str, category: Category
) -> None:
    result = score_pair(steady(), improved(**moves))
    assert result.total_improvement_score == F(tis)
    assert result.category is category
    assert result.partial is False and result.worsened == ()


@pytest.mark.parametrize(("moves", "tis", "category"), JDM_CASES)
def test_jdm_patients_either_side_of_thresholds(
    moves: dict[str, Any], tis: str, category: Category
) -> None:
    result = score_pair(steady("juvenile"), improved("juvenile", **moves), population="juvenile")
    assert result.total_improvement_score == F(tis)
    assert result.category is category
    assert result.criteria.name == "2016 ACR/EULAR JDM (IMACS core set)"


def test_same_tis_is_minimal_for_adults_but_none_for_jdm() -> None:
    moves = {"physician_global": 15, "patient_global": 6, "mmt": 2.5}  # TIS 20
    adult = score_pair(steady(), improved(**moves))
    jdm = score_pair(steady("juvenile"), improved("juvenile", **moves), population="juvenile")
    assert adult.total_improvement_score == jdm.total_improvement_score == 20
    assert adult.category is Category.MINIMAL
    assert jdm.category is Category.NONE


def test_interface_example_is_major_70(example_json: dict[str, Any]) -> None:
    result = score_json(example_json)
    assert result["total_improvement_score"] == 70.0
    assert result["category"] == "major"
    points = {m["measure"]: m["points"] for m in result["measures"]}
    assert points == {
        "physician_global": 17.5,  # 40 % exactly: upper-inclusive keeps it in >25–40
        "patient_global": 5.0,  # 25 % exactly
        "mmt": 20.0,  # 21/150 = 14 %
        "haq": 7.5,  # 0.625/3 = 20.8 %
        "enzyme": 7.5,  # CK (12 × ULN) chosen over AST; 2090/3000 = 69.7 %
        "extramuscular": 12.5,  # 25 % exactly
    }
    assert result["enzyme"] == {
        "name": "CK",
        "uln": 200.0,
        "unit": "U/L",
        "rule": "range",
        "range_multiple": 15,
    }


def test_worsening_scores_zero_and_is_listed() -> None:
    after = improved(physician_global=45, mmt=35)
    after["haq"] = F(3)  # from 1.5: worse by 50 % of range
    after["patient_global"] = 6  # unchanged
    result = score_pair(steady(), after)
    haq = result.measure("haq")
    assert haq.absolute_percent_change == -50
    assert haq.direction is Direction.WORSENED
    assert haq.points == 0
    assert result.measure("patient_global").direction is Direction.UNCHANGED
    assert result.worsened == ("haq",)
    assert result.total_improvement_score == F("52.5")


def test_baseline_zero_needs_no_special_case() -> None:
    before = steady(extramuscular=0)
    after = improved(extramuscular=0)
    after["extramuscular"] = 0
    result = score_pair(before, after)
    assert result.measure("extramuscular").absolute_percent_change == 0
    assert result.measure("extramuscular").points == 0


# -- scales ---------------------------------------------------------------------------------


GLOBALS = ("physician_global", "patient_global", "extramuscular")


@pytest.mark.parametrize(
    ("global_max", "before", "after"),
    [(10, F(8), F("5.5")), (100, F(80), F(55)), (4, F(4), F(3))],
    ids=["cm", "mm", "likert"],
)
def test_vas_cm_mm_and_likert_agree_for_the_same_proportion(
    global_max: int, before: Fraction, after: Fraction
) -> None:
    scales = Scales(global_max=global_max, mmt_max=150, enzyme_uln=ULN)
    result = score_pair(
        steady(**dict.fromkeys(GLOBALS, before)),
        steady(**dict.fromkeys(GLOBALS, after)),
        scales=scales,
    )
    assert [result.measure(k).absolute_percent_change for k in GLOBALS] == [25, 25, 25]
    assert result.total_improvement_score == 15 + 5 + F("12.5")


def test_mmt_maximum_changes_the_result() -> None:
    before, after = steady(mmt=60), steady(mmt=66)
    narrow = score_pair(before, after, scales=Scales(mmt_max=80, enzyme_uln=ULN))
    wide = score_pair(before, after, scales=Scales(mmt_max=260, enzyme_uln=ULN))
    assert narrow.measure("mmt").absolute_percent_change == F(600, 80)  # 7.5 %
    assert narrow.measure("mmt").points == 10
    assert wide.measure("mmt").absolute_percent_change == F(600, 260)  # 2.3 %
    assert wide.measure("mmt").points == 10
    assert (
        score_pair(steady(mmt=60), steady(mmt=61), scales=Scales(mmt_max=80, enzyme_uln=ULN))
        .measure("mmt")
        .points
        == 0
    )  # 1.25 %


# -- enzymes --------------------------------------------------------------------------------


def enzyme_result(before: dict[str, Any], after: dict[str, Any], **kw: Any) -> Any:
    scales = kw.pop("scales", None) or Scales(mmt_max=150, enzyme_uln={"CK": 200, "AST": 40})
    return score_pair(steady(enzymes=before), steady(enzymes=after), scales=scales, **kw)


def test_range_and_relative_enzyme_rules_by_hand() -> None:
    ranged = enzyme_result({"CK": 600}, {"CK": 300})
    relative = enzyme_result({"CK": 600}, {"CK": 300}, enzyme_rule="relative")
    assert ranged.measure("enzyme").absolute_percent_change == 10  # 300 / (15 × 200)
    assert ranged.measure("enzyme").points == F("2.5")
    assert ranged.enzyme is not None and ranged.enzyme.range_multiple == 15
    assert relative.measure("enzyme").absolute_percent_change == 50  # 300 / 600
    assert relative.measure("enzyme").points == F("7.5")
    assert relative.enzyme is not None and relative.enzyme.range_multiple is None
    assert relative.to_dict()["enzyme"]["rule"] == "relative"


def test_range_multiple_is_configurable() -> None:
    default = enzyme_result({"AST": 120}, {"AST": 100})
    assert default.measure("enzyme").absolute_percent_change == F(2000, 120)  # 20 / (3 × 40)
    custom = enzyme_result({"AST": 120}, {"AST": 100}, enzyme_range_multiples={"ast": 5})
    assert custom.measure("enzyme").absolute_percent_change == 10  # 20 / (5 × 40)
    assert custom.enzyme is not None and custom.enzyme.range_multiple == 5


def test_most_abnormal_enzyme_at_baseline_is_followed() -> None:
    # AST 1000/40 = 25 × ULN beats CK 2400/200 = 12 × ULN, although CK falls more.
    result = enzyme_result({"CK": 2400, "AST": 1000}, {"CK": 200, "AST": 940})
    assert result.enzyme is not None and result.enzyme.name is Enzyme.AST
    assert result.enzyme.selection == "most abnormal at baseline"
    assert result.measure("enzyme").absolute_percent_change == 50  # 60 / 120
    assert (result.measure("enzyme").baseline, result.measure("enzyme").followup) == (1000, 940)


def test_tie_goes_to_the_first_enzyme_in_table_order() -> None:
    result = enzyme_result({"AST": 80, "CK": 400}, {"AST": 40, "CK": 400})
    assert result.enzyme is not None and result.enzyme.name is Enzyme.CK


def test_pinned_enzyme_overrides_the_choice() -> None:
    scales = Scales(mmt_max=150, enzyme_uln={"CK": 200, "AST": 40}, enzyme="ast")
    result = enzyme_result({"CK": 2400, "AST": 95}, {"CK": 310, "AST": 41}, scales=scales)
    assert result.enzyme is not None and result.enzyme.name is Enzyme.AST
    assert result.enzyme.selection == "pinned"
    assert result.measure("enzyme").absolute_percent_change == 45  # 54 / 120


def test_enzyme_names_are_case_insensitive() -> None:
    a = enzyme_result({"ck": 2400}, {"Ck": 310})
    b = enzyme_result({"CK": 2400}, {"CK": 310})
    assert a.to_dict() == b.to_dict()


def test_ukat_and_u_per_l_give_the_same_result() -> None:
    in_u = enzyme_result({"CK": 2400}, {"CK": 310})
    in_ukat = enzyme_result(
        {"CK": 40},  # 2400 U/L
        {"CK": F(31, 6)},  # 310 U/L
        scales=Scales(mmt_max=150, enzyme_uln={"CK": F(10, 3)}, enzyme_unit="µkat/L"),
    )
    assert in_ukat.measure("enzyme").absolute_percent_change == (
        in_u.measure("enzyme").absolute_percent_change
    )
    assert in_ukat.total_improvement_score == in_u.total_improvement_score
    assert in_ukat.to_dict()["enzyme"]["unit"] == "ukat/L"


def test_visit_values_in_another_unit_are_converted() -> None:
    in_u = enzyme_result({"CK": 2400}, {"CK": 310})
    mixed = score_pair(
        steady(enzymes={"CK": 40}, enzyme_unit="ukat/L"),
        steady(enzymes={"CK": 310}),
        scales=Scales(mmt_max=150, enzyme_uln={"CK": 200}),
    )
    assert mixed.measure("enzyme").baseline == 2400  # reported in the ULN's unit
    assert mixed.measure("enzyme").points == in_u.measure("enzyme").points


# -- decimal inputs that binary floating point gets wrong ------------------------------------


def test_float_traps_are_decided_exactly() -> None:
    assert 100 * (2.2 - 0.7) / 10 != 15  # the trap
    assert 100 * (1.1 - 0.6) / 10 != 5
    fifteen = score_pair(steady(physician_global=2.2), steady(physician_global=0.7))
    five = score_pair(steady(physician_global=1.1), steady(physician_global=0.6))
    assert fifteen.measure("physician_global").absolute_percent_change == 15
    assert fifteen.measure("physician_global").points == F("7.5")  # not 15
    assert five.measure("physician_global").absolute_percent_change == 5
    assert five.measure("physician_global").points == 0  # not 7.5


def test_one_decimal_vas_sweep_matches_integer_arithmetic() -> None:
    # Every one-decimal physician-global pair b → f on a 10 cm VAS: the change in percent is the
    # difference in tenths of a cm, an integer, so the expected points are an integer lookup.
    steps = [round(t / 10, 1) for t in range(0, 101)]
    printed = [(5, 0), (15, F("7.5")), (25, 15), (40, F("17.5"))]
    rest = {k: v for k, v in steady().items() if k != "physician_global"}
    rest_before, rest_after = Visit(**rest), Visit(**rest)
    scales = Scales(mmt_max=150, enzyme_uln=ULN)
    for upper in (True, False):
        options = Options(band_edges="upper-inclusive" if upper else "lower-inclusive")
        for b_tenths in range(0, 101, 3):
            for f_tenths in range(0, 101):
                before = Visit(**{**rest, "physician_global": steps[b_tenths]})
                after = Visit(**{**rest, "physician_global": steps[f_tenths]})
                change = b_tenths - f_tenths
                want = next(
                    (p for edge, p in printed if (change <= edge if upper else change < edge)),
                    F(20),
                )
                got = score(before, after, population="adult", scales=scales, options=options)
                assert got.measure("physician_global").absolute_percent_change == change
                assert got.measure("physician_global").points == want, (b_tenths, f_tenths)
    del rest_before, rest_after


def test_json_numbers_as_decimal_or_float_agree(example_json: dict[str, Any]) -> None:
    from decimal import Decimal

    as_decimal = json.loads(json.dumps(example_json), parse_float=Decimal)
    assert score_json(as_decimal) == score_json(example_json)


def test_result_json_shape(example_json: dict[str, Any]) -> None:
    result = score_json(example_json)
    assert list(result) == [
        "criteria",
        "population",
        "total_improvement_score",
        "category",
        "partial",
        "missing",
        "worsened",
        "measures",
        "enzyme",
        "options",
        "warnings",
        "myoresponse_version",
    ]
    assert result["myoresponse_version"] == myoresponse.__version__
    assert [m["measure"] for m in result["measures"]] == [
        "physician_global",
        "patient_global",
        "mmt",
        "haq",
        "enzyme",
        "extramuscular",
    ]
    for m in result["measures"]:
        assert set(m) == {
            "measure",
            "baseline",
            "followup",
            "absolute_percent_change",
            "direction",
            "points",
            "max_points",
        }
    assert json.loads(json.dumps(result)) == result  # plain JSON types only
    assert result["options"] == {
        "band_edges": "upper-inclusive",
        "enzyme_rule": "range",
        "missing": "error",
    }


def test_enzyme_rule_enum_values() -> None:
    assert [r.value for r in EnzymeRule] == ["range", "relative"]


def test_explain_tells_the_score_and_every_measure(example_json: dict[str, Any]) -> None:
    from myoresponse import assessment_from_json

    text = assessment_from_json(example_json).score().explain()
    lines = text.splitlines()
    assert lines[0] == (
        "2016 ACR/EULAR adult DM/PM: Total Improvement Score 70 (major improvement)"
    )
    assert lines[2].split() == [
        "physician_global",
        "6",
        "2",
        "40.00",
        "improved",
        "17.5",
        "/",
        "20",
    ]
    assert lines[5].split()[:4] == ["haq", "1.5", "0.875", "20.83"]
    assert "enzyme: CK (most abnormal at baseline), ULN 200 U/L, range 0 to 15 × ULN" in text
    assert lines[-1] == (
        "conventions: band edges upper-inclusive, enzyme rule range, missing error; "
        f"myoresponse {myoresponse.__version__}"
    )
    partial = score_pair(steady(), steady(haq=None), missing="zero").explain()
    assert "PARTIAL, missing: haq" in partial.splitlines()[0]


@pytest.mark.parametrize("ident", ["P-001", 7, 2.5])
def test_score_json_echoes_an_id_first(ident: object) -> None:
    # Issue 13: JSON callers match results by id, not only by position.
    from myoresponse import score_json

    document = {
        "id": ident,
        "population": "adult",
        "scales": {"mmt_max": 80},
        "options": {"missing": "zero"},
        "baseline": {"physician_global": 2.2, "mmt": 60},
        "followup": {"physician_global": 0.7, "mmt": 62},
    }
    result = score_json(document)
    assert next(iter(result)) == "id" and result["id"] == ident
    without = dict(document)
    del without["id"]
    assert {k: v for k, v in result.items() if k != "id"} == score_json(without)


@pytest.mark.parametrize("ident", [[1], True, None, float("nan")])
def test_score_json_rejects_an_id_that_is_not_text_or_number(ident: object) -> None:
    from myoresponse import score_json
    from myoresponse.errors import InvalidValueError

    with pytest.raises(InvalidValueError) as caught:
        score_json({"id": ident, "population": "adult", "baseline": {}, "followup": {}})
    assert caught.value.field == "id"
