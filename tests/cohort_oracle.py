"""Test helper: what the exact scalar path (``score_json``) gives for each row of a cohort table.

Builds the JSON assessment object of a row on its own — independently of
``myoresponse.tables.pairs`` —
so that the property tests compare the vectorised engine with the scalar engine, not with itself.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np

from myoresponse import MyoresponseError, score_json
from myoresponse.tables.terms import pair_terms

ENZYMES = {"ck": "CK", "aldolase": "aldolase", "ast": "AST", "alt": "ALT", "ldh": "LDH"}
VISIT_KEYS = (
    "physician_global",
    "patient_global",
    "mmt",
    "haq",
    "chaq",
    "extramuscular",
    "cmas",
    "chq_phs",
    "das",
)
OPTION_KEYS = ("band_edges", "enzyme_rule", "missing", "enzyme_range_multiples")


def _cell(columns: Mapping[str, Any], name: str, row: int) -> Any:
    if name not in columns:
        return None
    value = columns[name][row]
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):  # a text cell is a decimal number; empty, NA or NaN is missing
        text = value.strip()
        if text.lower() in ("", "na", "nan"):
            return None
        if name in ("id", "population"):
            return value
        try:
            return Decimal(text)
        except InvalidOperation:
            return value
    return value


def row_json(columns: Mapping[str, Any], row: int, **keywords: Any) -> dict[str, Any]:
    """The JSON assessment object of row ``row``, per the table form of interface.md."""
    obj: dict[str, Any] = {"core_set": keywords.get("core_set", "imacs")}
    population = _cell(columns, "population", row) or keywords.get("population")
    if population is not None:
        obj["population"] = population
    scales: dict[str, Any] = {}
    for name in ("global_max", "mmt_max"):
        value = _cell(columns, name, row)
        value = keywords.get(name) if value is None else value
        if value is not None:
            scales[name] = value
    uln = {
        ENZYMES[low]: v for low in ENZYMES if (v := _cell(columns, f"uln_{low}", row)) is not None
    }
    if uln:
        scales["enzyme_uln"] = uln
    if keywords.get("enzyme") is not None:
        scales["enzyme"] = keywords["enzyme"]
    if keywords.get("chq_phs_range") is not None:
        scales["chq_phs_range"] = list(keywords["chq_phs_range"])
    obj["scales"] = scales
    obj["options"] = {k: keywords[k] for k in OPTION_KEYS if keywords.get(k) is not None}
    for visit in ("baseline", "followup"):
        values = {
            key: v for key in VISIT_KEYS if (v := _cell(columns, f"{visit}_{key}", row)) is not None
        }
        enzymes = {
            ENZYMES[low]: v
            for low in ENZYMES
            if (v := _cell(columns, f"{visit}_{low}", row)) is not None
        }
        if enzymes:
            values["enzymes"] = enzymes
        obj[visit] = values
    return obj


def expected(columns: Mapping[str, Any], row: int, **keywords: Any) -> dict[str, Any]:
    """The output columns of one row, from the scalar path."""
    try:
        result = score_json(row_json(columns, row, **keywords))
    except MyoresponseError as error:  # named in the table's terms (columns, keywords)
        return {"error": pair_terms(columns)(str(error))}
    flat: dict[str, Any] = {
        "total_improvement_score": result["total_improvement_score"],
        "category": result["category"],
        "enzyme": "" if result["enzyme"] is None else result["enzyme"]["name"],
        "worsened_count": len(result["worsened"]),
        "partial": result["partial"],
        "error": "",
    }
    for measure in result["measures"]:
        flat[f"points_{measure['measure']}"] = measure["points"]
        change = measure["absolute_percent_change"]
        flat[f"change_{measure['measure']}"] = math.nan if change is None else change
    return flat


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b) and type(a) is type(b) if isinstance(a, bool) else bool(a == b)


def check(out: Mapping[str, Any], columns: Mapping[str, Any], size: int, **keywords: Any) -> None:
    """Assert that every row of ``out`` equals the scalar path's result for that row."""
    for row in range(size):
        want = expected(columns, row, **keywords)
        got = {name: _plain(out[name][row]) for name in out}
        if want["error"]:
            assert got["error"] == want["error"], (
                row,
                got,
                want,
                row_json(columns, row, **keywords),
            )
            assert math.isnan(got["total_improvement_score"]), (row, got)
            assert got["category"] == "" and got["partial"] in (False, None), (row, got)
            continue
        for name, value in want.items():
            assert same(got[name], value), (
                row,
                name,
                got[name],
                value,
                row_json(columns, row, **keywords),
            )
        for name, value in got.items():  # measures of the other population are empty
            if name.startswith("points_") and name not in want:
                assert math.isnan(value), (row, name, value)


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value
