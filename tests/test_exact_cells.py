"""Table cells are read as the decimals written (issue 9, item 4).

A text cell that a double cannot hold exactly (17 significant digits, ``1e-400``, ``1e-310``) is
scored as its decimal, as the JSON path scores the same decimal; a float32 column is read at
float32's shortest repr, as the scalar path reads ``np.float32``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myoresponse import Options, Scales, Visit, score, score_many
from tests.cohort_oracle import check

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KEYWORDS: dict[str, Any] = {"population": "adult", "mmt_max": 80, "missing": "zero"}


@st.composite
def near_edges(draw: st.DrawFn) -> str:
    """A VAS value as text: on the 0.1 grid, or off it by less than a double can tell."""
    tenths = draw(st.integers(0, 100))
    base = Decimal(tenths) / 10
    tiny = Decimal(draw(st.sampled_from([0, 1, -1, 5, -5]))) * Decimal("1e-17")
    value = base + tiny
    if value < 0 or value > 10:
        value = base
    return draw(st.sampled_from([str(value), f"{value:.20f}", str(base)]))


@SETTINGS
@given(
    st.lists(st.tuples(near_edges(), near_edges()), min_size=1, max_size=12),
    st.sampled_from(["upper-inclusive", "lower-inclusive"]),
)
def test_text_cells_score_as_their_decimals(pairs: list[tuple[str, str]], edges: str) -> None:
    columns = {
        "baseline_physician_global": np.array([b for b, _ in pairs]),
        "followup_physician_global": np.array([f for _, f in pairs]),
        "baseline_mmt": np.array(["60"] * len(pairs)),
        "followup_mmt": np.array(["62"] * len(pairs)),
    }
    keywords = {**KEYWORDS, "band_edges": edges}
    check(score_many(columns, **keywords), columns, len(pairs), **keywords)


def test_a_decimal_a_double_rounds_onto_an_edge_keeps_its_band() -> None:
    # 2.2 - 0.70000000000000001 is just under 1.5, a change just under 15 %: float64 reads the
    # follow-up as 0.7 (exactly 15 %, the band above under lower-inclusive edges)
    columns = {
        "baseline_physician_global": np.array(["2.2", "2.2"]),
        "followup_physician_global": np.array(["0.70000000000000001", "0.7"]),
        "baseline_mmt": np.array(["60", "60"]),
        "followup_mmt": np.array(["62", "62"]),
    }
    keywords = {**KEYWORDS, "band_edges": "lower-inclusive"}
    out = score_many(columns, **keywords)
    assert out["points_physician_global"].tolist() == [7.5, 15.0]
    check(out, columns, 2, **keywords)


def test_underflow_and_overflow_cells_are_read_as_written() -> None:
    columns = {
        "baseline_physician_global": np.array(["1e-400", "0.0", "2", "12"]),
        "followup_physician_global": np.array(["0", "1e-400", "1e-310", "1"]),
        "baseline_mmt": np.array(["60"] * 4),
        "followup_mmt": np.array(["62"] * 4),
    }
    out = score_many(columns, **KEYWORDS)
    check(out, columns, 4, **KEYWORDS)
    assert out["change_physician_global"][1] == -1e-399  # the decimal, not a double's 0
    assert out["error"][3].startswith("baseline_physician_global: 12 is outside")


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100)), min_size=1, max_size=10))
def test_float32_columns_equal_the_scalar_path_on_float32(pairs: list[tuple[int, int]]) -> None:
    b = np.array([x / 10 for x, _ in pairs], dtype=np.float32)
    f = np.array([y / 10 for _, y in pairs], dtype=np.float32)
    mmt = np.full(len(pairs), 60.0)
    out = score_many(
        {
            "baseline_physician_global": b,
            "followup_physician_global": f,
            "baseline_mmt": mmt,
            "followup_mmt": mmt,
        },
        **KEYWORDS,
    )
    for row in range(len(pairs)):
        result = score(
            Visit(physician_global=b[row], mmt=60),
            Visit(physician_global=f[row], mmt=60),
            population="adult",
            scales=Scales(mmt_max=80),
            options=Options(missing="zero"),
        )
        assert out["category"][row] == result.category.value
        assert out["points_physician_global"][row] == float(
            result.measure("physician_global").points
        )
