"""Property tests: invariants of the criteria that hold for every valid input."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from myoresponse import (
    ADULT,
    JUVENILE_IMACS,
    BandEdges,
    MyoresponseError,
    Options,
    Scales,
    Visit,
    score,
    score_json,
)

THRESHOLDS = {"adult": (20, 40, 60), "juvenile": (30, 45, 70)}
CATEGORIES = ("none", "minimal", "moderate", "major")
ENZYMES = ("CK", "aldolase", "AST", "ALT", "LDH")

vas = st.integers(0, 100).map(lambda t: t / 10)  # one-decimal cm VAS, as floats
haq = st.integers(0, 24).map(lambda k: Fraction(k, 8))
mmt = st.integers(0, 150)
ulns = st.fixed_dictionaries({}, optional={e: st.integers(10, 300) for e in ENZYMES})


@st.composite
def visit_values(draw: st.DrawFn, population: str, panel: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "physician_global": draw(vas),
        "patient_global": draw(vas),
        "mmt": draw(mmt),
        "haq" if population == "adult" else "chaq": draw(haq),
        "extramuscular": draw(vas),
        "enzymes": {e: draw(st.integers(0, 6000)) for e in panel},
    }
    return values


@st.composite
def assessments(draw: st.DrawFn) -> dict[str, Any]:
    population = draw(st.sampled_from(["adult", "juvenile"]))
    panel = tuple(draw(st.lists(st.sampled_from(ENZYMES), min_size=1, max_size=5, unique=True)))
    uln = {e: draw(st.integers(10, 300)) for e in panel}
    before = draw(visit_values(population, panel))
    after = draw(visit_values(population, panel))
    for e in panel:  # exact multiples of the ULN, so that most-abnormal ties are drawn
        if draw(st.integers(0, 2)) == 0:
            before["enzymes"][e] = draw(st.sampled_from([1, 2, 10])) * uln[e]
    rule = draw(st.sampled_from(["range", "relative"]))
    if rule == "relative":
        before["enzymes"] = {e: max(v, 1) for e, v in before["enzymes"].items()}
    return {
        "population": population,
        "baseline": before,
        "followup": after,
        "scales": {"mmt_max": 150, "enzyme_uln": uln},
        "options": {
            "band_edges": draw(st.sampled_from(["upper-inclusive", "lower-inclusive"])),
            "enzyme_rule": rule,
        },
    }


def typed(doc: dict[str, Any]) -> Any:
    return score(
        Visit(**doc["baseline"]),
        Visit(**doc["followup"]),
        population=doc["population"],
        scales=Scales(**doc["scales"]),
        options=Options(**doc["options"]),
    )


def jsonable(doc: dict[str, Any]) -> dict[str, Any]:
    def plain(v: Any) -> Any:
        if isinstance(v, Fraction):
            return float(v)  # multiples of 1/8 are exact floats
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        return v

    return plain(doc)  # type: ignore[no-any-return]


@given(assessments())
def test_tis_bounds_sum_and_category(doc: dict[str, Any]) -> None:
    result = typed(doc)
    tis = result.total_improvement_score
    assert 0 <= tis <= 100
    assert (tis / Fraction(5, 2)).denominator == 1  # a multiple of 2.5
    assert tis == sum(m.points for m in result.measures)
    for m in result.measures:
        assert 0 <= m.points <= m.max_points
    reached = sum(tis >= t for t in THRESHOLDS[doc["population"]])
    assert result.category.value == CATEGORIES[reached]


@given(assessments())
def test_score_json_round_trips_with_the_typed_api(doc: dict[str, Any]) -> None:
    as_json = score_json(jsonable(doc))
    assert as_json == typed(doc).to_dict()
    assert json.loads(json.dumps(as_json)) == as_json


@given(
    st.sampled_from([*ADULT.measures, *JUVENILE_IMACS.measures]),
    st.fractions(min_value=-200, max_value=200),
    st.fractions(min_value=0, max_value=50),
    st.sampled_from(list(BandEdges)),
)
def test_points_are_monotone_in_improvement(
    rule: Any, change: Fraction, more: Fraction, edges: BandEdges
) -> None:
    assert rule.level_points(change, edges) <= rule.level_points(change + more, edges)
    # and the two conventions differ only exactly on an edge
    if change not in rule.edges:
        assert rule.level_points(change, BandEdges.UPPER_INCLUSIVE) == rule.level_points(
            change, BandEdges.LOWER_INCLUSIVE
        )


@given(assessments(), st.data())
def test_improving_one_followup_value_never_lowers_the_tis(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    before = typed(doc).total_improvement_score
    after_values = dict(doc["followup"])
    key = data.draw(st.sampled_from([k for k in after_values if k != "enzymes"] + ["enzymes"]))
    if key == "mmt":
        after_values["mmt"] = data.draw(st.integers(after_values["mmt"], 150))
    elif key == "enzymes":
        name = data.draw(st.sampled_from(sorted(after_values["enzymes"])))
        value = after_values["enzymes"][name]
        after_values["enzymes"] = {
            **after_values["enzymes"],
            name: data.draw(st.integers(0, value)),
        }
    elif key in ("haq", "chaq"):
        after_values[key] = data.draw(st.integers(0, int(after_values[key] * 8))) / 8
    else:
        after_values[key] = data.draw(st.integers(0, round(after_values[key] * 10))) / 10
    better = typed({**doc, "followup": after_values}).total_improvement_score
    assert better >= before


@given(assessments())
def test_swapping_visits_never_scores_both_ways(doc: dict[str, Any]) -> None:
    if doc["options"]["enzyme_rule"] == "relative":
        doc["followup"]["enzymes"] = {e: max(v, 1) for e, v in doc["followup"]["enzymes"].items()}
    forward = typed(doc)
    backward = typed({**doc, "baseline": doc["followup"], "followup": doc["baseline"]})
    for f, b in zip(forward.measures, backward.measures, strict=True):
        if f.measure == "enzyme" and forward.enzyme != backward.enzyme:
            continue  # a different enzyme may be the most abnormal at the other visit
        assert not (f.points > 0 and b.points > 0), f.measure
        assert f.absolute_percent_change is not None
        if forward.options.enzyme_rule.value == "range" or f.measure != "enzyme":
            assert f.absolute_percent_change == -b.absolute_percent_change  # type: ignore[operator]


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@given(assessments(), st.data(), junk)
def test_any_bad_value_raises_the_library_error(
    doc: dict[str, Any], data: st.DataObject, value: Any
) -> None:
    doc = jsonable(doc)
    where = data.draw(
        st.sampled_from(
            [
                ("baseline", "physician_global"),
                ("followup", "mmt"),
                ("baseline", "enzymes"),
                ("followup", "enzymes"),
                ("scales", "mmt_max"),
                ("scales", "global_max"),
                ("scales", "enzyme_uln"),
                ("scales", "enzyme"),
                ("options", "band_edges"),
                ("options", "missing"),
                (None, "population"),
                (None, "baseline"),
                (None, "core_set"),
            ]
        )
    )
    section, key = where
    target = doc if section is None else doc[section]
    target[key] = value
    try:
        result = score_json(doc)
    except MyoresponseError as error:
        assert error.field, "every error names a field"
        assert str(error).startswith(error.field)
    else:
        assert result["category"] in CATEGORIES


@given(st.fractions(min_value=0, max_value=10), st.fractions(min_value=0, max_value=10))
def test_exact_change_for_arbitrary_fractions(b: Fraction, f: Fraction) -> None:
    assume(b != f)
    result = score(
        Visit(
            physician_global=b, patient_global=0, mmt=0, haq=0, extramuscular=0, enzymes={"CK": 1}
        ),
        Visit(
            physician_global=f, patient_global=0, mmt=0, haq=0, extramuscular=0, enzymes={"CK": 1}
        ),
        population="adult",
        scales=Scales(mmt_max=80, enzyme_uln={"CK": 100}),
    )
    assert result.measure("physician_global").absolute_percent_change == 10 * (b - f)
