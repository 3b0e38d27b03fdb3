"""Messages in a table's terms: the column a value came from and the caller's keyword or flag.

The scalar path names a value by its place in the JSON object (``followup.enzymes.CK``,
``scales.global_max``). A table's caller wrote columns and keywords instead, so every message a
table path emits is rewritten once, here:

=====================================  ================================  =======================
scalar path                            pair table                        long table (visits)
=====================================  ================================  =======================
``followup.physician_global``          ``followup_physician_global``     ``physician_global at
                                                                         follow-up``
``baseline.enzymes.CK``                ``baseline_ck``                   ``ck at baseline``
``baseline.enzymes`` (none given)      the enzyme columns present        ``ck/ast at baseline``,
                                       (``baseline_ck/baseline_ast``),   else ``enzymes at
                                       else ``baseline enzymes``         baseline``
``scales.enzyme_uln.CK``               ``uln_ck``                        ``uln_ck``
``scales.mmt_max``                     ``mmt_max``                       ``mmt_max``
``0 to 10 (scales.global_max)``        ``0 to 10 (global_max=10)``, or   the same
                                       ``(global_max)`` when the table
                                       has that column
``options.enzyme_range_multiples.CK``  ``enzyme_range_multiples['CK']``  the same
=====================================  ================================  =======================

Keywords keep their Python spelling (``missing='zero'``, ``global_max=10``); :func:`as_flags`
turns them into the command line's flags (``--missing zero``, ``--global-max 10``). A long table's
message already names the visit and the column it is about (``visit 'week 4' (row 3):
physician_global: ...``), so a place inside it says at which visit of the pair it is. Each
:class:`TableTerms` remembers what it rewrote: a cohort's messages cost one rewrite per distinct
message, not per row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Literal

from myoresponse.errors import MyoresponseError
from myoresponse.tables._columns import ENZYME_NAMES

__all__ = ["TableTerms", "as_flags", "as_keyword", "long_terms", "pair_terms"]

Shape = Literal["pair", "long"]

_SCALE_SOURCE = re.compile(r" to (\S+) \(scales\.(global_max|mmt_max)\)")
_ULN = re.compile(r"\bscales\.enzyme_uln\.(\w+)")
_SCALES = re.compile(r"\bscales\.(\w+)")
_MULTIPLE = re.compile(r"\boptions\.enzyme_range_multiples\.(\w+)")
_OPTIONS = re.compile(r"\boptions\.(\w+)")
_ENZYME = re.compile(r"\b(baseline|followup)\.enzymes\.(\w+)")
_ENZYMES = re.compile(r"\b(baseline|followup)\.enzymes\b(?!\.\w)")
_VALUE = re.compile(r"\b(baseline|followup)\.(\w+)")
_BARE_ENZYME = re.compile(r"(?<![\w.])enzymes\.(\w+)")
_PLACE = {"baseline": "baseline", "followup": "follow-up"}
_REMEMBERED = 4096


class TableTerms:
    """Rewrites messages of the scalar path into the terms of one table (see the module)."""

    def __init__(self, shape: Shape, columns: Iterable[str]) -> None:
        self.shape = shape
        self.columns = frozenset(columns)
        self._seen: dict[str, str] = {}

    def __call__(self, message: str) -> str:
        """``message`` in the table's terms (remembered: the same message is rewritten once)."""
        found = self._seen.get(message)
        if found is None:
            if len(self._seen) >= _REMEMBERED:  # many distinct values: memory stays bounded
                self._seen.clear()
            found = self._seen[message] = self._rewrite(message)
        return found

    def enzymes(self, side: str) -> str:
        """The enzyme columns of ``side`` (``baseline``, ``followup``; ``""`` in a long table)
        that the table has, joined by ``/``, or ``<side> enzymes`` when it has none."""
        prefix = f"{side}_" if side else ""
        present = [prefix + low for low in ENZYME_NAMES if prefix + low in self.columns]
        if present:
            return "/".join(present)
        return f"{side} enzymes" if side else "enzymes"

    def _rewrite(self, message: str) -> str:
        message = _SCALE_SOURCE.sub(self._scale_source, message)
        message = _ULN.sub(lambda m: f"uln_{m[1].lower()}", message)
        message = _SCALES.sub(r"\1", message)
        message = _MULTIPLE.sub(lambda m: f"enzyme_range_multiples[{m[1]!r}]", message)
        message = _OPTIONS.sub(r"\1", message)
        if self.shape == "pair":
            message = _ENZYME.sub(lambda m: f"{m[1]}_{m[2].lower()}", message)
            message = _ENZYMES.sub(lambda m: self.enzymes(m[1]), message)
            return _VALUE.sub(r"\1_\2", message)
        message = _ENZYME.sub(lambda m: f"{m[2].lower()} at {_PLACE[m[1]]}", message)
        message = _ENZYMES.sub(lambda m: f"{self.enzymes('')} at {_PLACE[m[1]]}", message)
        message = _VALUE.sub(lambda m: f"{_long_column(m[2])} at {_PLACE[m[1]]}", message)
        return _BARE_ENZYME.sub(lambda m: m[1].lower(), message)

    def _scale_source(self, found: re.Match[str]) -> str:
        """``0 to 10 (scales.global_max)``: the column when the table has one, else the
        keyword with the value the scale had."""
        name = found[2]
        return f" to {found[1]} ({name if name in self.columns else f'{name}={found[1]}'})"


def as_keyword(error: MyoresponseError) -> MyoresponseError:
    """An error of a table function's keyword, named by the keyword (``mmt_max``,
    ``enzyme_range_multiples['CK']``) rather than by its place in a JSON object."""
    terms = _terms("pair", frozenset())
    field = None if error.field is None else terms(error.field)
    return type(error)(terms(error.reason), field=field, value=error.value)


def _long_column(key: str) -> str:
    return "visit" if key == "label" else key


@lru_cache(maxsize=32)
def _terms(shape: Shape, columns: frozenset[str]) -> TableTerms:
    return TableTerms(shape, columns)


def pair_terms(columns: Iterable[str]) -> TableTerms:
    """The terms of a pair table (:func:`~myoresponse.score_many`) with these columns."""
    return _terms("pair", frozenset(columns))


def long_terms(columns: Iterable[str]) -> TableTerms:
    """The terms of a long table (:func:`~myoresponse.score_series_many`) with these columns."""
    return _terms("long", frozenset(columns))


_FLAGS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"\b(missing|enzyme_rule|band_edges)='([\w-]+)'"),
        lambda m: f"--{m[1].replace('_', '-')} {m[2]}",
    ),
    (re.compile(r"\b(global_max|mmt_max)="), lambda m: f"--{m[1].replace('_', '-')} "),
    (
        re.compile(r"\((landmark_day|window_days|responder_threshold)\)"),
        lambda m: f"(--{m[1].replace('_', '-')})",
    ),
)


def as_flags(message: str) -> str:
    """A table message with the Python keywords as command-line flags (``missing='zero'`` ->
    ``--missing zero``, ``global_max=10`` -> ``--global-max 10``); columns stay as they are."""
    for pattern, replace in _FLAGS:
        message = pattern.sub(replace, message)
    return message
