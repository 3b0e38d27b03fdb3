"""score_series_many through the columnar engine equals score_series, patient for patient.

Random long tables: interleaved patients, missing values, values on band and definition edges,
rises from 0, per-patient scales, dates, both core sets, deterioration parameters. The expected
rows come from the typed per-patient path (``Series`` + ``score_series``), not from the tables.
A counting test shows that clean patients do not go through the scalar path.
"""

from __future__ import annotations

import datetime
import math
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import myoresponse.tables.visits as visits
from myoresponse import (
    DeteriorationRule,
    FollowUp,
    MyoresponseError,
    Options,
    Scales,
    Series,
    Visit,
    score_series,
    score_series_many,
)
from tests.test_series_table import assert_rows, expected_rows

NAN = math.nan
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _value(top: float, step: float) -> st.SearchStrategy[float]:
    grid = st.integers(0, int(top / step)).map(lambda k: round(k * step, 4))
    edge = st.sampled_from([0.0, top])
    return st.integers(0, 39).flatmap(lambda n: st.just(NAN) if n == 0 else edge if n < 5 else grid)


@st.composite
def long_tables(draw: st.DrawFn) -> dict[str, Any]:
    juvenile = draw(st.booleans())
    printo = juvenile and draw(st.booleans())
    gmax = draw(st.sampled_from([10.0, 100.0]))
    measures: dict[str, tuple[float, float]] = {
        "physician_global": (gmax, gmax / 20),
        "patient_global": (gmax, gmax / 20),
        ("chaq" if juvenile else "haq"): (3.0, 0.125),
    }
    if printo:
        measures.update(cmas=(52.0, 1.0), chq_phs=(60.0, 1.0), das=(20.0, 1.0))
    else:
        measures.update(mmt=(80.0, 1.0), extramuscular=(gmax, gmax / 20), ck=(3000.0, 50.0))
    count = draw(st.integers(1, 5))
    patients = []
    for p in range(count):
        size = draw(st.integers(1, 6))
        dated = draw(st.booleans())
        visits_ = []
        for k in range(size):
            cells = {key: draw(_value(*spec)) for key, spec in measures.items()}
            if draw(st.integers(0, 30)) == 0:  # an invalid cell: this patient is an error
                cells["physician_global"] = gmax + 1
            date = datetime.date(2024, 1, 1) + datetime.timedelta(days=30 * k) if dated else None
            visits_.append(("base" if k == 0 else f"w{4 * k}", date, cells))
        patients.append((f"P{p}", visits_))
    order = draw(st.permutations([p for p, (_, v) in enumerate(patients) for _ in v]))
    rule = draw(
        st.sampled_from(
            [
                None,
                DeteriorationRule(consecutive=1),
                DeteriorationRule(global_cm=1, measures_count=2, consecutive=3),
            ]
        )
    )
    return {
        "juvenile": juvenile,
        "printo": printo,
        "gmax": gmax,
        "gmax_column": draw(st.booleans()),
        "patients": patients,
        "order": order,
        "missing": draw(st.sampled_from(["zero", "zero", "error"])),
        "level": draw(st.sampled_from(["minimal", "moderate", "major"])),
        "consecutive": draw(st.integers(1, 3)),
        "deterioration": rule,
        "measures": list(measures),
    }


def _table(case: dict[str, Any]) -> tuple[dict[str, Any], list[list[int]]]:
    rows: list[dict[str, Any]] = []
    where: list[list[int]] = [[] for _ in case["patients"]]
    seen = [0] * len(case["patients"])
    for p in case["order"]:
        ident, visits_ = case["patients"][p]
        label, date, cells = visits_[seen[p]]
        seen[p] += 1
        where[p].append(len(rows))
        row = {"id": ident, "visit": label, "date": date.isoformat() if date else "", **cells}
        if case["gmax_column"]:
            row["global_max"] = case["gmax"] if seen[p] == 1 else NAN
        if not case["printo"]:
            row["uln_ck"] = 200.0
        rows.append(row)
    table = {name: np.array([row[name] for row in rows]) for name in rows[0]}
    return table, where


def _series(case: dict[str, Any], p: int) -> Series:
    _, visits_ = case["patients"][p]

    def visit(cells: dict[str, float]) -> Visit:
        given = {k: v for k, v in cells.items() if not math.isnan(v) and k != "ck"}
        ck = cells.get("ck", NAN)
        return Visit(**given, enzymes={} if math.isnan(ck) else {"CK": ck})

    base = visits_[0]
    return Series(
        population="juvenile" if case["juvenile"] else "adult",
        core_set="printo" if case["printo"] else "imacs",
        scales=Scales(
            global_max=case["gmax"],
            mmt_max=80,
            enzyme_uln={} if case["printo"] else {"CK": 200},
            chq_phs_range=(0, 60) if case["printo"] else None,
        ),
        options=Options(missing=case["missing"]),
        baseline=visit(base[2]),
        baseline_label=base[0],
        baseline_date=base[1],
        visits=[FollowUp(label, visit(cells), date) for label, date, cells in visits_[1:]],
    )


@SETTINGS
@given(long_tables())
def test_score_series_many_equals_score_series_per_patient(case: dict[str, Any]) -> None:
    table, where = _table(case)
    out = score_series_many(table, **series_keywords(case))
    assert_equals_score_series(case, out, where)


def series_keywords(case: dict[str, Any]) -> dict[str, Any]:
    """The keywords of ``score_series_many`` for a drawn case."""
    keywords: dict[str, Any] = {
        "population": "juvenile" if case["juvenile"] else "adult",
        "core_set": "printo" if case["printo"] else "imacs",
        "missing": case["missing"],
        "level": case["level"],
        "consecutive": case["consecutive"],
        "deterioration": case["deterioration"],
        "mmt_max": 80,
    }
    if not case["gmax_column"]:
        keywords["global_max"] = case["gmax"]
    if case["printo"]:
        keywords["chq_phs_range"] = (0, 60)
    return keywords


def assert_equals_score_series(case: dict[str, Any], out: dict[str, Any], where: Any) -> None:
    """Every patient's rows of ``out`` equal ``score_series`` of the patient (or are in error
    where it raises)."""
    definitions = (
        ("printo_20", "printo_50", "printo_70", "printo_90")
        if case["printo"]
        else ("imacs_doi_2004",)
    )
    for p in range(len(case["patients"])):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = score_series(
                    _series(case, p),
                    level=case["level"],
                    consecutive=case["consecutive"],
                    deterioration=case["deterioration"],
                )
        except MyoresponseError:
            assert all(out["error"][row] for row in where[p]), (p, out["error"][where[p]])
            continue
        assert_rows(out, where[p], expected_rows(result.to_dict(), definitions))


@pytest.fixture
def scalar_patients(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The patients each score_series_many call sent to the scalar path."""
    calls: list[list[int]] = []
    original = visits.score_patient

    def spy(table: Any, settings: Any, out: Any, rows: list[int], *rest: Any) -> None:
        calls.append(rows)
        original(table, settings, out, rows, *rest)

    monkeypatch.setattr(visits, "score_patient", spy)
    return calls


def adult_measures(rng: np.random.Generator, size: int) -> dict[str, Any]:
    """Valid adult measure columns of a long table (VAS in halves, MMT-8 of 80, CK with its ULN)."""
    return {
        "physician_global": rng.integers(0, 21, size) / 2,
        "patient_global": rng.integers(0, 21, size) / 2,
        "mmt": rng.integers(40, 81, size).astype(float),
        "haq": rng.integers(0, 25, size) / 8,
        "extramuscular": rng.integers(0, 21, size) / 2,
        "ck": rng.integers(0, 60, size) * 50.0,
        "uln_ck": np.full(size, 200.0),
    }


def test_clean_patients_take_the_fast_path(scalar_patients: list[list[int]]) -> None:
    rng = np.random.default_rng(3)
    table = {
        "id": np.repeat([f"P{p}" for p in range(50)], 6),
        "visit": np.tile(["base", "w4", "w8", "w12", "w16", "w20"], 50),
        **adult_measures(rng, 6 * 50),
    }
    table["mmt"][7] = 90.0  # above mmt_max: patient P1 is an error, scored by the scalar path
    out = score_series_many(table, population="adult", mmt_max=80)
    assert scalar_patients == [[6, 7, 8, 9, 10, 11]]
    assert out["error"][6].startswith("visit 'w4' (row 7): mmt: 90 is outside the scale")
    assert (out["error"][12:] == "").all() and (out["error"][:6] == "").all()


@pytest.mark.parametrize("missing", ["error", "zero"])
def test_a_long_table_without_measure_columns_is_a_row_error_not_a_crash(missing: str) -> None:
    # Found by the CLI fuzz tests: the pairs gathered from a table with no measure column had
    # no column to take their row count from, and writing the visits raised IndexError.
    table = {"id": ["P0", "P0", "P1", "P1"], "visit": ["baseline", "week 1"] * 2}
    out = score_series_many(table, population="adult", mmt_max=150, missing=missing)
    assert list(out["row"]) == ["patient", "visit", "patient", "visit"]
    assert np.isnan(out["total_improvement_score"]).all()
    for error in out["error"]:
        assert "physician_global" in error and "required" in error
