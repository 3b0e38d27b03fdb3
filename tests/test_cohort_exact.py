"""score_many equals the exact scalar path row by row, on realistic decimal grids and edges."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import myoresponse.tables.pairs as cohort
from myoresponse import ADULT, score_many
from myoresponse.enzymes import DEFAULT_RANGE_MULTIPLES
from tests.cohort_oracle import check

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

GLOBAL_EDGES = [float(e) for e in ADULT.measure("physician_global").edges]
STRENGTH_EDGES = [float(e) for e in ADULT.measure("mmt").edges]
ENZYME_NAMES = ("ck", "aldolase", "ast", "alt", "ldh")
NAN = float("nan")


def _grid(step: Fraction, top: Fraction) -> st.SearchStrategy[float]:
    """Values k·step in [0, top], as the float a person types (shortest repr of the decimal)."""
    count = int(top / step)
    return st.integers(0, count).map(lambda k: float(repr(float(k * step))))


def _maybe(value: st.SearchStrategy[Any], p_missing: float = 0.1) -> st.SearchStrategy[Any]:
    return st.one_of(value, st.just(NAN)) if p_missing else value


@st.composite
def _pair(
    draw: st.DrawFn, step: Fraction, top: Fraction, edges: list[float], higher: bool = False
) -> tuple[float, float]:
    """A baseline/follow-up pair on a grid; often exactly on a band edge, sometimes missing."""
    kind = draw(st.sampled_from(["free", "free", "edge", "missing_f", "missing_both", "bad"]))
    b = draw(_grid(step, top))
    if kind == "edge":
        delta = Fraction(draw(st.sampled_from(edges))) * top / 100
        f_exact = Fraction(repr(b)) + (delta if higher else -delta)
        f = float(f_exact) if 0 <= f_exact <= top else draw(_grid(step, top))
    elif kind == "missing_f":
        f = NAN
    elif kind == "missing_both":
        b, f = NAN, NAN
    elif kind == "bad":
        f = draw(st.sampled_from([float(top) + 1, -1.0, float("inf")]))
    else:
        f = draw(_grid(step, top))
    if draw(st.booleans()):
        b, f = f, b
    return b, f


@st.composite
def cohorts(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], int]:
    size = draw(st.integers(1, 12))
    juvenile = draw(st.booleans())
    per_row_population = draw(st.booleans())
    global_max = draw(st.sampled_from([10, 100, 4]))
    global_step = {10: Fraction(1, 10), 100: Fraction(1), 4: Fraction(1)}[global_max]
    mmt_max = draw(st.sampled_from([80, 150, 260]))
    keywords: dict[str, Any] = {
        "band_edges": draw(st.sampled_from(["upper-inclusive", "lower-inclusive"])),
        "enzyme_rule": draw(st.sampled_from(["range", "relative"])),
        "missing": draw(st.sampled_from(["error", "zero", "zero"])),
        "mmt_max": mmt_max,
        "global_max": global_max,
    }
    if draw(st.booleans()):
        keywords["enzyme_range_multiples"] = {"CK": draw(st.sampled_from([10, 15, 20])), "AST": 2.5}
    panel = draw(st.lists(st.sampled_from(ENZYME_NAMES), min_size=1, max_size=5, unique=True))
    if draw(st.integers(0, 4)) == 0:
        keywords["enzyme"] = draw(st.sampled_from(panel)).upper()
    columns: dict[str, list[Any]] = {}

    def put(name: str, value: Any) -> None:
        columns.setdefault(name, []).append(value)

    for _ in range(size):
        row_juvenile = draw(st.booleans()) if per_row_population else juvenile
        if per_row_population:
            put(
                "population",
                draw(st.sampled_from(["juvenile"] if row_juvenile else ["adult", "adult", ""])),
            )
        for key in ("physician_global", "patient_global", "extramuscular"):
            b, f = draw(_pair(global_step, Fraction(global_max), GLOBAL_EDGES))
            put(f"baseline_{key}", b)
            put(f"followup_{key}", f)
        b, f = draw(_pair(Fraction(1), Fraction(mmt_max), STRENGTH_EDGES, higher=True))
        put("baseline_mmt", b)
        put("followup_mmt", f)
        function_key = "chaq" if row_juvenile else "haq"
        other_key = "haq" if row_juvenile else "chaq"
        step = draw(st.sampled_from([Fraction(1, 8), Fraction(1, 20)]))
        b, f = draw(_pair(step, Fraction(3), GLOBAL_EDGES))
        put(f"baseline_{function_key}", b)
        put(f"followup_{function_key}", f)
        wrong = draw(st.integers(0, 15)) == 0  # an adult with a CHAQ value: an error
        put(f"baseline_{other_key}", 1.0 if wrong else NAN)
        put(f"followup_{other_key}", NAN)
        for name in panel:
            uln = draw(st.sampled_from([40.0, 200.0, 250.0, 7.5, 3.3, 33.0]))
            k = DEFAULT_RANGE_MULTIPLES[
                next(e for e in DEFAULT_RANGE_MULTIPLES if e.value.lower() == name)
            ]
            b = float(draw(st.integers(0, 6000)))
            if draw(st.integers(0, 2)) == 0:  # an exact multiple of the ULN: most-abnormal ties
                b = float(draw(st.sampled_from([1, 2, 10])) * Fraction(repr(uln)))
            kind = draw(st.sampled_from(["free", "edge", "edge", "missing_f", "missing", "no_uln"]))
            if kind == "edge":
                e = Fraction(draw(st.sampled_from(GLOBAL_EDGES)))
                if keywords["enzyme_rule"] == "range":
                    f_exact = Fraction(repr(b)) - e * k * Fraction(repr(uln)) / 100
                else:
                    f_exact = Fraction(repr(b)) * (1 - e / 100)
                f = float(f_exact) if f_exact >= 0 else 0.0
            elif kind == "missing_f":
                f = NAN
            elif kind == "missing":
                b, f = NAN, NAN
            else:
                f = float(draw(st.integers(0, 6000)))
            put(f"baseline_{name}", b)
            put(f"followup_{name}", f)
            put(f"uln_{name}", NAN if kind == "no_uln" else uln)
    arrays: dict[str, Any] = {
        name: np.array(values, dtype=object if name == "population" else np.float64)
        for name, values in columns.items()
    }
    if per_row_population:
        keywords["population"] = "adult"  # the keyword fills empty population cells
    else:
        keywords["population"] = "juvenile" if juvenile else "adult"
    return arrays, keywords, size


@SETTINGS
@given(cohorts())
def test_score_many_equals_scalar_path_row_by_row(
    case: tuple[dict[str, Any], dict[str, Any], int],
) -> None:
    columns, keywords, size = case
    out = score_many(columns, **keywords)
    check(out, columns, size, **keywords)


@SETTINGS
@given(cohorts())
def test_small_blocks_give_the_same_rows(case: tuple[dict[str, Any], dict[str, Any], int]) -> None:
    columns, keywords, size = case
    old = cohort._BLOCK_ROWS
    cohort._BLOCK_ROWS = 3
    try:
        out = score_many(columns, **keywords)
    finally:
        cohort._BLOCK_ROWS = old
    check(out, columns, size, **keywords)


@pytest.mark.parametrize("band_edges", ["upper-inclusive", "lower-inclusive"])
def test_float_noise_at_an_edge_does_not_move_the_band(band_edges: str) -> None:
    # 100 * (2.2 - 0.7) / 10 is 15.000000000000002 in binary floating point; exactly 15 %.
    columns = {
        "baseline_physician_global": np.array([2.2, 2.3, 6.5]),
        "followup_physician_global": np.array([0.7, 0.8, 2.5]),
        "baseline_mmt": np.array([60.0, 60.0, 60.0]),
        "followup_mmt": np.array([62.0, 68.0, 76.0]),
    }
    keywords = {"population": "adult", "mmt_max": 80, "missing": "zero", "band_edges": band_edges}
    out = score_many(columns, **keywords)
    check(out, columns, 3, **keywords)
    assert out["change_physician_global"].tolist() == [15.0, 15.0, 40.0]
    expected = [7.5, 7.5, 17.5] if band_edges == "upper-inclusive" else [15.0, 15.0, 20.0]
    assert out["points_physician_global"].tolist() == expected
