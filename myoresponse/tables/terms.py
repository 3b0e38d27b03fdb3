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

**A column renamed by a column map** (``column_map=``, ``--column-map``;
:mod:`myoresponse.tables.mapping`) is named by the caller's own name, the column they have in
front of them, wherever the table above would name the library's: with ``{"pga_bl":
"baseline_physician_global", "haq_bl": "baseline_haq"}`` the message is ``pga_bl: 11 is outside
the scale 0 to 10 (global_max=10)``, its list ``(all missing: pga_bl, haq_bl)``; in a long table
with ``{"pga_vas": "physician_global", "ck_ul": "ck"}``, ``pga_vas at follow-up`` and ``ck_ul/ast
at baseline``, and the required measures ``(required: pga_vas, mmt)``; a scale or ULN column
(``(gmax)``, ``ck_uln``) and a glucocorticoid column (``pred_bl``) alike. Only the names the
rewrite puts in, and whole glucocorticoid column names, are renamed — never a part of a name
(``baseline_ck`` renamed leaves ``uln_ck`` and ``baseline_ck_2``-like names alone) nor a word of
the text. The map is in force for one call (:func:`user_columns`) and costs nothing per row: it is
part of each :class:`TableTerms`, so a renamed message is still rewritten once. A column the map
does not name keeps the library's name, which is then also the caller's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Literal

from myoresponse.errors import MyoresponseError
from myoresponse.tables._columns import ENZYME_NAMES, STEROID_COLUMN

__all__ = [
    "TableTerms",
    "as_flags",
    "as_keyword",
    "in_user_columns",
    "long_terms",
    "pair_terms",
    "user_column",
    "user_columns",
]

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
_REQUIRED = re.compile(r"\(required: ([\w, ]+)\)")  # a long table's measures are its columns
_PLACE = {"baseline": "baseline", "followup": "follow-up"}
_REMEMBERED = 4096
_Names = tuple[tuple[str, str], ...]  # (the library's column, the caller's column) pairs
_RENAMED: ContextVar[_Names] = ContextVar("myoresponse_user_columns", default=())


class TableTerms:
    """Rewrites messages of the scalar path into the terms of one table (see the module)."""

    def __init__(
        self, shape: Shape, columns: Iterable[str], names: Mapping[str, str] | None = None
    ) -> None:
        self.shape = shape
        self.columns = frozenset(columns)
        self.names = dict(names or {})  # the library's column -> the caller's (a column_map)
        self._seen: dict[str, str] = {}

    def column(self, name: str) -> str:
        """The column ``name`` as the caller's table calls it (renamed by a ``column_map``)."""
        return self.names.get(name, name)

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
        present = [
            self.column(prefix + low) for low in ENZYME_NAMES if prefix + low in self.columns
        ]
        if present:
            return "/".join(present)
        return f"{side} enzymes" if side else "enzymes"

    def _rewrite(self, message: str) -> str:
        message = _SCALE_SOURCE.sub(self._scale_source, message)
        message = _ULN.sub(lambda m: self.column(f"uln_{m[1].lower()}"), message)
        message = _SCALES.sub(lambda m: self.column(m[1]), message)
        message = _MULTIPLE.sub(lambda m: f"enzyme_range_multiples[{m[1]!r}]", message)
        message = _OPTIONS.sub(r"\1", message)
        if self.shape == "pair":
            message = _ENZYME.sub(lambda m: self.column(f"{m[1]}_{m[2].lower()}"), message)
            message = _ENZYMES.sub(lambda m: self.enzymes(m[1]), message)
            return _VALUE.sub(lambda m: self.column(f"{m[1]}_{m[2]}"), message)
        message = _ENZYME.sub(lambda m: f"{self.column(m[2].lower())} at {_PLACE[m[1]]}", message)
        message = _ENZYMES.sub(lambda m: f"{self.enzymes('')} at {_PLACE[m[1]]}", message)
        message = _VALUE.sub(
            lambda m: f"{self.column(_long_column(m[2]))} at {_PLACE[m[1]]}", message
        )
        message = _BARE_ENZYME.sub(lambda m: self.column(m[1].lower()), message)
        return _REQUIRED.sub(self._required, message) if self.names else message

    def _required(self, found: re.Match[str]) -> str:
        """``(required: physician_global, mmt)``: a long table's measure columns, renamed."""
        return f"(required: {', '.join(self.column(key) for key in found[1].split(', '))})"

    def _scale_source(self, found: re.Match[str]) -> str:
        """``0 to 10 (scales.global_max)``: the column when the table has one, else the
        keyword with the value the scale had."""
        name = found[2]
        source = self.column(name) if name in self.columns else f"{name}={found[1]}"
        return f" to {found[1]} ({source})"


def as_keyword(error: MyoresponseError) -> MyoresponseError:
    """An error of a table function's keyword, named by the keyword (``mmt_max``,
    ``enzyme_range_multiples['CK']``) rather than by its place in a JSON object."""
    terms = _terms("pair", frozenset(), ())
    field = None if error.field is None else terms(error.field)
    return type(error)(terms(error.reason), field=field, value=error.value)


def _long_column(key: str) -> str:
    return "visit" if key == "label" else key


@lru_cache(maxsize=32)
def _terms(shape: Shape, columns: frozenset[str], names: _Names) -> TableTerms:
    return TableTerms(shape, columns, dict(names))


def pair_terms(columns: Iterable[str]) -> TableTerms:
    """The terms of a pair table (:func:`~myoresponse.score_many`) with these columns, named as
    the caller's table names them (:func:`user_columns`)."""
    return _terms("pair", frozenset(columns), _RENAMED.get())


def long_terms(columns: Iterable[str]) -> TableTerms:
    """The terms of a long table (:func:`~myoresponse.score_series_many`) with these columns,
    named as the caller's table names them (:func:`user_columns`)."""
    return _terms("long", frozenset(columns), _RENAMED.get())


@contextmanager
def user_columns(column_map: Mapping[str, str] | None) -> Iterator[None]:
    """Within this block, table messages name a column renamed by ``column_map`` (the caller's
    column -> the library's, :mod:`myoresponse.tables.mapping`) by the caller's name: ``pga_bl:
    11 is outside the scale 0 to 10`` for ``{"pga_bl": "baseline_physician_global"}``.

    No map (None) leaves the names in force unchanged (a table function called by the command
    line's reader, which applied the map to the file's header itself)."""
    if column_map is None:
        yield
        return
    names = tuple(
        sorted((target, source) for source, target in column_map.items() if source != target)
    )
    token = _RENAMED.set(names)
    try:
        yield
    finally:
        _RENAMED.reset(token)


def in_user_columns(error: MyoresponseError) -> MyoresponseError:
    """``error`` with the columns renamed by the map in force named by the caller's names: its
    field (the table reader's errors about a whole column: ``pga_bl: has 3 rows where ...``)
    and the glucocorticoid columns its reason names (``pred_bl and ...``; whole names only,
    ``steroid_drug`` is not a part of ``steroid_drug_2``)."""
    names = dict(_RENAMED.get())
    if not names:
        return error
    field = None if error.field is None else names.get(error.field, error.field)
    steroids = [name for name in names if STEROID_COLUMN.match(name)]
    reason = error.reason
    if steroids:
        words = re.compile(rf"(?<!\w)({'|'.join(map(re.escape, steroids))})(?!\w)")
        reason = words.sub(lambda m: names[m[1]], reason)
    if field == error.field and reason == error.reason:
        return error
    return type(error)(reason, field=field, value=error.value)


def user_column(name: str) -> str:
    """The library's column ``name`` as the caller's table calls it (see :func:`user_columns`)."""
    return dict(_RENAMED.get()).get(name, name)


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
    (re.compile(r"\bcolumn_map\[('[^']*')\]"), lambda m: f"--column-map entry {m[1]}"),
    (
        re.compile(r"\b(score_many|score_series_many) reads\b"),
        lambda m: f"{'score' if m[1] == 'score_many' else 'series'} --csv reads",
    ),
)


def as_flags(message: str) -> str:
    """A table message with the Python keywords as command-line flags (``missing='zero'`` ->
    ``--missing zero``, ``global_max=10`` -> ``--global-max 10``); columns stay as they are."""
    for pattern, replace in _FLAGS:
        message = pattern.sub(replace, message)
    return message
