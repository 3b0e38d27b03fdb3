"""The output columns of a long table: one row per input row, patient rows and visit rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from myoresponse.criteria import Category
from myoresponse.endpoints.definitions import RelativeDefinition
from myoresponse.endpoints.deterioration import DeteriorationCondition
from myoresponse.endpoints.series import SeriesResult
from myoresponse.enzymes import Enzyme
from myoresponse.tables._columns import Bools, Table
from myoresponse.tables._output import labels

__all__ = ["CONDITIONS", "Outcome", "SeriesColumns"]

_SEPARATOR = ";"
_WARNING_SEPARATOR = " | "

CONDITIONS: tuple[DeteriorationCondition, ...] = tuple(DeteriorationCondition)
"""The worsening conditions in the order a visit reports them (bit ``i`` is condition ``i``)."""


def _texts(values: list[str]) -> NDArray[np.object_]:
    texts = np.empty(len(values), dtype=object)
    texts[:] = values
    return texts


_CATEGORIES = tuple(Category)
_ENZYMES = tuple(Enzyme)
_CATEGORY_NAMES = ("", *(c.value for c in Category), "")  # code -1, the categories, not scored
_ENZYME_NAMES = ("", *(e.value for e in Enzyme))  # code -1: none
_WORSENING_TEXTS = _texts(
    [
        _SEPARATOR.join(c.value for i, c in enumerate(CONDITIONS) if bits >> i & 1)
        for bits in range(1 << len(CONDITIONS))
    ]
)


def _index(codes: NDArray[np.int8]) -> NDArray[np.intp]:
    """Small codes as an index (``take`` with an int8 index is several times slower)."""
    return codes.astype(np.intp)


class Outcome:
    """The output columns of one run, with the masks of the flags that do not apply."""

    def __init__(self, output: Any, columns: dict[str, Any], na: dict[str, Bools]) -> None:
        self.output = output
        self.columns = columns
        self.na = na


class SeriesColumns:
    """The output arrays of a long table, written by the fast path and the scalar path.

    The text columns with few values are held as small integer codes until :meth:`assemble`
    (``category`` indexes :class:`~myoresponse.Category`, ``""`` past the end; ``enzyme`` indexes
    :class:`~myoresponse.Enzyme`, -1 none; ``worsening`` holds the conditions as bits of
    :data:`CONDITIONS`), each then built with one ``take``.
    """

    def __init__(
        self, table: Table, keys: Sequence[str], definitions: Sequence[RelativeDefinition]
    ) -> None:
        size = table.size
        self.table = table
        self.keys = tuple(keys)
        self.definitions = tuple(definitions)
        self.warned: set[str] = set()

        blank: NDArray[Any] = np.empty(size, dtype=object)
        blank.fill("")  # (np.full of an object is several times slower)

        def texts() -> NDArray[Any]:
            return blank.copy()  # type: ignore[no-any-return,unused-ignore]

        self.kind: NDArray[Any] = blank  # set by the reader of the visits
        self.visit: NDArray[Any] = blank
        self.date = texts()
        self.tis = np.full(size, np.nan)
        self.category = np.full(size, len(Category), dtype=np.int8)
        self.enzyme = np.full(size, -1, dtype=np.int8)
        self.points = {key: np.full(size, np.nan) for key in self.keys}
        self.change = {key: np.full(size, np.nan) for key in self.keys}
        self.worsened = np.full(size, np.nan)
        self.partial = np.zeros(size, dtype=bool)
        self.worsening = np.zeros(size, dtype=np.int8)
        self.met = {d.key: np.zeros(size, dtype=bool) for d in self.definitions}
        self.first = {
            c.value: texts() for c in (Category.MINIMAL, Category.MODERATE, Category.MAJOR)
        }
        self.first_met = {d.key: texts() for d in self.definitions}
        self.consecutive_response = np.zeros(size, dtype=bool)
        self.consecutive_visits = texts()
        self.confirmed = np.zeros(size, dtype=bool)
        self.deterioration_visits = texts()
        self.landmark_visit = texts()
        self.landmark_response = np.zeros(size, dtype=bool)
        self.landmark_evaluated = np.zeros(size, dtype=bool)
        self.warnings = texts()
        self.error = texts()
        self.scored_visit = np.zeros(size, dtype=bool)
        self.scored_patient = np.zeros(size, dtype=bool)
        self.evaluated = np.zeros(size, dtype=bool)  # confirmed deterioration evaluated

    def write(self, rows: list[int], result: SeriesResult) -> None:
        """One patient scored by the scalar path."""
        for row, visit in zip(rows[1:], result.visits, strict=True):
            scored = visit.result
            self.tis[row] = float(scored.total_improvement_score)
            self.category[row] = _CATEGORIES.index(scored.category)
            self.enzyme[row] = -1 if scored.enzyme is None else _ENZYMES.index(scored.enzyme.name)
            for measure in scored.measures:
                self.points[measure.measure][row] = float(measure.points)
                change = measure.absolute_percent_change
                self.change[measure.measure][row] = np.nan if change is None else float(change)
            self.worsened[row] = len(scored.worsened)
            self.partial[row] = scored.partial
            self.worsening[row] = sum(1 << CONDITIONS.index(c) for c in visit.deterioration or ())
            for definition in visit.definitions:
                self.met[definition.definition.key][row] = definition.met
            self.scored_visit[row] = True
        head = rows[0]
        for category, label in result.first_reached.items():
            self.first[category.value][head] = label or ""
        for key, label in result.first_met.items():
            self.first_met[key][head] = label or ""
        self.consecutive_response[head] = result.consecutive_response.met
        self.consecutive_visits[head] = _SEPARATOR.join(result.consecutive_response.visits)
        if result.deterioration is not None:
            self.confirmed[head] = result.deterioration.met
            self.deterioration_visits[head] = _SEPARATOR.join(result.deterioration.visits)
            self.evaluated[head] = True
        if result.landmark is not None:
            self.landmark_visit[head] = result.landmark.visit or ""
            self.landmark_response[head] = result.landmark.met
            self.landmark_evaluated[head] = True
        self.warnings[head] = _WARNING_SEPARATOR.join(result.warnings)
        self.warned.update(result.warnings)
        self.scored_patient[head] = True

    def assemble(self) -> Outcome:
        out: dict[str, Any] = {"row": self.kind}
        ident = self.table.raw["id"]
        out["id"] = ident.to_numpy() if hasattr(ident, "to_numpy") else np.asarray(ident)
        out["visit"], out["date"] = self.visit, self.date
        out["total_improvement_score"] = self.tis
        out["category"] = labels(_CATEGORY_NAMES, self.category)  # fixed-width text, as in
        out["enzyme"] = labels(_ENZYME_NAMES, self.enzyme)  # the output of score_many
        for key in self.keys:
            out[f"points_{key}"] = self.points[key]
        for key in self.keys:
            out[f"change_{key}"] = self.change[key]
        out["worsened_count"] = self.worsened
        out["partial"] = self.partial
        out["worsening"] = _WORSENING_TEXTS.take(_index(self.worsening))
        na: dict[str, Bools] = {"partial": ~self.scored_visit}
        for key, met in self.met.items():
            out[f"met_{key}"] = met
            na[f"met_{key}"] = ~self.scored_visit
        for value, first in self.first.items():
            out[f"first_{value}"] = first
        for key, first in self.first_met.items():
            out[f"first_{key}"] = first
        out["consecutive_response"] = self.consecutive_response
        na["consecutive_response"] = ~self.scored_patient
        out["consecutive_visits"] = self.consecutive_visits
        out["confirmed_deterioration"] = self.confirmed
        na["confirmed_deterioration"] = ~self.evaluated
        out["deterioration_visits"] = self.deterioration_visits
        out["landmark_visit"] = self.landmark_visit
        out["landmark_response"] = self.landmark_response
        na["landmark_response"] = ~self.landmark_evaluated
        out["warnings"] = self.warnings
        out["error"] = self.error
        if self.table.frame is None:
            return Outcome(out, out, na)
        from myoresponse.tables.frames import series_tables  # given a DataFrame

        return Outcome(series_tables(out, na, self.table.frame), out, na)
