"""Long tables through the columnar engine: every baseline/visit pair at once, endpoints by patient.

The steps, for the patients the fast path can decide:

1. **Group**: the patients' rows in order (baseline first), as one sorted index with offsets;
   the visit labels as integer codes (:mod:`._labels`).
2. **Constants**: per patient the one non-empty value of each per-patient column; a patient whose
   cells disagree, or hold an odd cell, is left to the scalar path (which names the conflict).
3. **Gather and score**, in chunks of patients whose work arrays are reused (:class:`Visits`):
   ``baseline_<key>``/``followup_<key>`` of every visit pair by index, ULNs and scales broadcast,
   scored by :func:`myoresponse.tables.pairs.engine_scores`, the engine of
   :func:`~myoresponse.score_many`.
4. **Flags** per pair, exact (:mod:`._relative`): the definitions met and the worsening
   conditions, one measure at a time.
5. **Over visits** (:mod:`._grouped`), once for the table: first visit reaching each category or
   meeting each definition, confirmed deterioration runs, consecutive response runs.

Every patient with anything the fast path does not decide — an undecided or invalid pair, an odd or
conflicting cell, an empty id or label, a repeated label, a date that is not a date or not in
order, a patient without visits, a landmark, deterioration conventions other than the defaults —
is returned to be scored whole by the exact scalar path, which keeps the message and its order.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from myoresponse._exact import exact
from myoresponse.criteria import Better, Category, Population
from myoresponse.endpoints.definitions import RelativeDefinition
from myoresponse.endpoints.deterioration import BaselineZero, DeteriorationRule, PercentOf
from myoresponse.enzymes import Enzyme
from myoresponse.errors import MyoresponseError
from myoresponse.subtypes import optional_subtype, subtype_warnings
from myoresponse.tables._columns import ENZYME_NAMES, VISIT_KEYS, Table, text_cells
from myoresponse.tables._dates import BAD, VisitDates
from myoresponse.tables._dates import NONE as NO_DATE
from myoresponse.tables._decimal import Group
from myoresponse.tables._engine import CATEGORIES, ENZYMES
from myoresponse.tables._grouped import first_true, runs_at_least
from myoresponse.tables._labels import Labels, differs_from_previous
from myoresponse.tables._relative import LongInts, Relative, Scratch, Tally
from myoresponse.tables._settings import TableSettings
from myoresponse.tables.pairs import _BLOCK_ROWS, engine_scores

__all__ = ["Patients", "score_fast"]

Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]
Indices = NDArray[np.intp]

_SEPARATOR = ";"
_WARNING_SEPARATOR = " | "
_PER_PATIENT = ("global_max", "mmt_max", *(f"uln_{low}" for low in ENZYME_NAMES))
_DAY_SPAN = 1 << 22  # more days than any date has (9999-12-31 is day 3,652,059)


class Patients:
    """The patients of a long table sorted once: ``rows[starts[p]:starts[p+1]]`` is patient
    ``p`` (its first row the baseline), ``patient`` and ``head`` (whether the row is its patient's
    baseline) per sorted row."""

    def __init__(self, rows: Indices, sizes: Indices, ordered: bool | None = None) -> None:
        """``ordered``: whether ``rows`` are known to be ``0, 1, 2, …`` (checked if None)."""
        self.count = sizes.size
        self.sizes = sizes
        self.starts = np.zeros(self.count + 1, dtype=np.intp)
        np.cumsum(sizes, out=self.starts[1:])
        self.rows = rows
        self.patient = np.repeat(np.arange(self.count, dtype=np.intp), sizes)
        self.head = np.zeros(rows.size, dtype=bool)
        self.head[self.starts[:-1][sizes > 0]] = True
        self.heads = rows[self.starts[:-1]]
        if ordered is None:
            ordered = bool((rows == np.arange(rows.size)).all())
        self.ordered = ordered  # the patients' rows in table order already

    @classmethod
    def from_groups(cls, groups: Sequence[Sequence[int]]) -> Patients:
        """Patients given as lists of rows."""
        sizes = np.fromiter((len(g) for g in groups), dtype=np.intp, count=len(groups))
        total = int(sizes.sum())
        rows = np.fromiter((r for g in groups for r in g), dtype=np.intp, count=total)
        return cls(rows, sizes)

    @classmethod
    def by_id(cls, ids: NDArray[np.str_]) -> Patients:
        """Rows grouped by a non-empty text id, patients in order of first appearance."""
        grouped = cls._contiguous(ids)
        if grouped is not None:
            return grouped
        _, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
        rank = np.empty(first.size, dtype=np.intp)
        rank[np.argsort(first, kind="stable")] = np.arange(first.size)
        code = rank[inverse.reshape(-1)]
        rows = np.argsort(code, kind="stable").astype(np.intp)
        return cls(rows, np.bincount(code, minlength=first.size).astype(np.intp))

    @classmethod
    def _contiguous(cls, ids: NDArray[np.str_]) -> Patients | None:
        """The usual long table, each patient's rows together: found from the runs of equal ids
        (only the runs' ids are sorted, to check that no id comes back); None otherwise."""
        if ids.size == 0:
            return None
        starts = np.flatnonzero(differs_from_previous(ids)) + 1
        heads = ids[np.concatenate(([0], starts))]
        if (
            heads.size > 1
            and not (heads[1:] > heads[:-1]).all()
            and (
                np.unique(heads).size != heads.size  # unsorted runs: sort their ids to check
            )
        ):
            return None  # an id in two runs: rows of patients interleaved
        bounds = np.concatenate(([0], starts, [ids.size]))
        return cls(np.arange(ids.size, dtype=np.intp), np.diff(bounds).astype(np.intp), True)

    def group(self, index: int) -> list[int]:
        """The rows of patient ``index``, baseline first."""
        return self.rows[self.starts[index] : self.starts[index + 1]].tolist()  # type: ignore[no-any-return]

    def any(self, mask_sorted: Bools) -> Bools:
        """Per patient, whether ``mask_sorted`` (per sorted row) holds at any of its rows."""
        out = np.zeros(self.count, dtype=bool)
        out[self.patient[mask_sorted]] = True
        return out


def score_fast(
    table: Table,
    settings: TableSettings,
    endpoints: Mapping[str, Any],
    patients: Patients,
    labels: Labels,
    dates: VisitDates | None,
    odd: Bools,
    out: Any,
) -> Bools:
    """Score the patients the fast path decides into ``out``; return the others (per patient).

    ``endpoints`` holds ``level``, ``consecutive``, ``deterioration``, ``landmark``, ``subtype``
    (the keyword) and ``definitions``; ``labels``/``dates`` are the visit labels and date values
    per row; ``odd`` marks rows the scalar path must read (preset errors, odd cells, empty ids).
    """
    order = patients.rows
    slow = patients.any(odd if patients.ordered else odd[order]) | (patients.sizes < 2)
    rule: DeteriorationRule = _rule(endpoints)
    imacs = settings.core_set.value == "imacs"
    defaults = rule.percent_of is PercentOf.BASELINE and rule.baseline_zero is BaselineZero.ANY_RISE
    if endpoints["landmark"] is not None or (imacs and not defaults):
        slow[:] = True
    slow |= _bad_labels(patients, labels)
    if dates is not None:
        slow |= _bad_dates(patients, dates)
    constants = {name: _constant(table, name, patients, slow) for name in _PER_PATIENT}
    population, warnings = _populations(table, settings, endpoints["subtype"], patients, slow)
    if slow.all():
        return slow
    scratch = Scratch()
    for visits in Visits.chunks(patients, slow, _CHUNK_PAIRS):
        if not visits.slow.all():
            _score_chunk(table, settings, endpoints, visits, constants, population, out, scratch)
    if not slow.all():
        everyone = Visits(patients, 0, patients.count, slow)
        _write_patients(out, everyone, labels, endpoints, settings.core_set.value == "imacs")
    fast = ~slow
    if isinstance(warnings, str):  # every patient takes the keywords: one text
        found = {warnings}
        if warnings:
            out.warnings[patients.heads[fast]] = warnings
    else:
        texts = np.empty(patients.count, dtype=object)
        texts[:] = warnings
        out.warnings[patients.heads[fast]] = texts[fast]
        found = set(texts[fast].tolist())
    for text in found - {""}:
        out.warned.update(text.split(_WARNING_SEPARATOR))
    return slow


def _rule(endpoints: Mapping[str, Any]) -> DeteriorationRule:
    """The deterioration rule asked for, else the default one (made once: its validation costs)."""
    given: DeteriorationRule | None = endpoints["deterioration"]
    return given or _default_rule()


@functools.cache
def _default_rule() -> DeteriorationRule:
    return DeteriorationRule()


_CHUNK_PAIRS = _BLOCK_ROWS
"""Pairs scored at once, at most (the engine's block: a chunk is one block). The patients are
taken in chunks so that the work arrays stay small (in cache, and reused from one chunk to the
next rather than fresh memory)."""


class Visits:
    """The follow-up visits of a chunk of patients ``p0 … p1 - 1``, one baseline/visit pair
    each: the visit's row and its baseline's row in the table (``rows``, ``base``) and in the
    chunk's sorted rows ``sorted`` (``at``, ``base_at``), and its patient within the chunk
    (``owner``); ``heads`` and ``slow`` (a view of the run's) are per patient of the chunk."""

    def __init__(self, patients: Patients, p0: int, p1: int, slow: Bools) -> None:
        s0, s1 = int(patients.starts[p0]), int(patients.starts[p1])
        self.span = slice(s0, s1) if patients.ordered else None  # the rows, if in table order
        self.count = p1 - p0
        self.first = p0
        self.sorted: Indices = patients.rows[s0:s1]
        pair = ~patients.head[s0:s1]
        self.at: Indices = np.flatnonzero(pair)
        self.owner: Indices = patients.patient[s0:s1][pair] - p0
        self.rows: Indices = self.sorted.take(self.at)
        self.heads: Indices = patients.heads[p0:p1]
        self.slow: Bools = slow[p0:p1]
        self._starts = patients.starts[p0:p1] - s0

    @functools.cached_property
    def base_at(self) -> Indices:
        """Per pair, its baseline's index in ``sorted``."""
        return self._starts.take(self.owner)  # type: ignore[no-any-return,unused-ignore]

    @functools.cached_property
    def base(self) -> Indices:
        """Per pair, its baseline's row in the table."""
        return self.sorted.take(self.base_at)  # type: ignore[no-any-return,unused-ignore]

    @classmethod
    def chunks(cls, patients: Patients, slow: Bools, size: int) -> Iterator[Visits]:
        """The patients in chunks of at most ``size`` pairs (a patient is never split: one with
        more pairs is a chunk of its own), so that the engine reads a chunk in one block."""
        before = np.zeros(patients.count + 1, dtype=np.intp)  # pairs before each patient
        np.cumsum(np.maximum(patients.sizes - 1, 0), out=before[1:])
        p0 = 0
        while p0 < patients.count:
            end = int(np.searchsorted(before, before[p0] + size, side="right")) - 1
            p1 = min(max(end, p0 + 1), patients.count)
            yield cls(patients, p0, p1, slow)
            p0 = p1


def _score_chunk(
    table: Table,
    settings: TableSettings,
    endpoints: Mapping[str, Any],
    visits: Visits,
    constants: Mapping[str, Floats | None],
    population: NDArray[np.int8],
    out: Any,
    scratch: Scratch,
) -> None:
    """Score the pairs of a chunk of patients; the patients found unsure join ``visits.slow``."""
    rule: DeteriorationRule = _rule(endpoints)
    imacs = settings.core_set.value == "imacs"
    mine = slice(visits.first, visits.first + visits.count)
    size = visits.rows.size
    columns: dict[str, Any] = {}
    for name in table.names:  # gathered into work arrays (the engine only reads them)
        if name in ENZYME_NAMES or name in _VISIT_COLUMNS:
            values = table.numeric(name).values
            for kind, rows in (("baseline", visits.base), ("followup", visits.rows)):
                work = scratch.get(f"{kind}_{name}", size)
                columns[f"{kind}_{name}"] = values.take(rows, out=work)
    for name, constant in constants.items():
        if constant is not None:
            columns[name] = constant[mine].take(visits.owner, out=scratch.get(name, size))
    pairs = Table(columns, size=visits.rows.size)
    codes = population[mine].take(visits.owner)
    buffers = scratch.get("b", size), scratch.get("f", size), scratch.get("right", size)
    tallies = _tallies(settings, codes, pairs, rule, imacs, endpoints["definitions"])
    enzymes = tuple(e for e in ENZYMES if table.has(e.value.lower()))
    early = _Early(settings, tallies, codes, buffers, enzymes, scratch)
    scores, problems = engine_scores(
        pairs,
        settings,
        codes,
        (scratch.engine, scratch.hints),
        early if early.on else None,
        scratch.pair_scores(size, settings.keys, len(settings.criteria) == 1),
    )
    unsure = problems.undecided | problems.failing()
    flags, bits, more_unsure = _flags(
        table,
        visits,
        settings,
        scores.enzyme,
        codes,
        tallies,
        early.done,
        buffers,
        scratch,
        early.held,
    )
    unsure |= more_unsure
    visits.slow[visits.owner[unsure]] = True
    keep = ~visits.slow.take(visits.owner)
    _write_visits(out, visits.rows, scores, keep, flags, bits, imacs)


class _Early:
    """Feeds a measure's relative change to the tally as the engine reads the measure's decimal
    group (``baseline_<key>``, ``followup_<key>`` of every pair of the chunk), so that the flags
    need not read the measure again: taken only when the chunk has one criteria set and the
    group covers the whole chunk (one block); other measures are read by :func:`_flags`."""

    def __init__(
        self,
        settings: TableSettings,
        tallies: Mapping[int, Tally],
        codes: NDArray[np.int8],
        buffers: tuple[Floats, Floats, Floats],
        enzymes: tuple[Enzyme, ...],
        scratch: Scratch,
    ) -> None:
        """``enzymes``: those with a column in the table (one of them: kept for the flags)."""
        self.on = len(tallies) == 1 and bool((codes == next(iter(tallies))).all())
        self.better: dict[str, Better] = {}
        self.size = codes.size
        self.enzyme: Enzyme | None = None
        if self.on:
            index, self.tally = next(iter(tallies.items()))
            measures = settings.criteria[index].measures
            self.better = {m.key: m.better for m in measures if m.key != "enzyme"}
            if len(enzymes) == 1 and "enzyme" in settings.criteria[index].keys:
                self.enzyme = enzymes[0]
                self.enzyme_ints = (
                    scratch.get("enzyme b", self.size),
                    scratch.get("enzyme f", self.size),
                )
        self.buffers = buffers
        self.done: set[str] = set()
        self.held: Held | None = None  # the one enzyme's integers, as the engine read them

    def __call__(self, names: tuple[str, ...], group: Group) -> None:
        key = names[0].partition("_")[2]
        if names != (f"baseline_{key}", f"followup_{key}") or group.ints[0].size != self.size:
            return
        if self.enzyme is not None and key == self.enzyme.value.lower() and self.held is None:
            nb, nf = self.enzyme_ints
            np.copyto(nb, group.ints[0])
            np.copyto(nf, group.ints[1])
            bad = None if group.bad is None else group.bad.copy()
            self.held = Held(self.enzyme, nb, nf, group.d, max(group.top(0), group.top(1)), bad)
            return
        if key not in self.better or key in self.done:
            return
        nb, nf, right = self.buffers
        np.copyto(nb, group.ints[0])  # the engine's work arrays: copied, not written
        np.copyto(nf, group.ints[1])
        unsure = np.zeros(self.size, dtype=bool) if group.bad is None else group.bad.copy()
        top = max(group.top(0), group.top(1))
        self.tally.add(key, Relative(nb, nf, group.d, top, unsure, self.better[key], right))
        self.done.add(key)


class Held(NamedTuple):
    """An enzyme's decimal integers over the pairs of a chunk, as the engine read them."""

    enzyme: Enzyme
    nb: Floats
    nf: Floats
    d: int
    top: float
    bad: Bools | None

    def change(self, chosen: NDArray[np.int8], right: Floats) -> Relative:
        """The enzyme's relative change where it is the chosen one (``chosen``: per pair, the
        index in ENZYMES of the enzyme followed), NaN elsewhere: as :meth:`LongInts.pairs`."""
        other = chosen != ENZYMES.index(self.enzyme)
        if other.any():
            np.copyto(self.nb, np.nan, where=other)
            np.copyto(self.nf, np.nan, where=other)
        unsure = np.zeros(self.nb.size, dtype=bool) if self.bad is None else self.bad
        return Relative(self.nb, self.nf, self.d, self.top, unsure, Better.LOWER, right)


_VISIT_COLUMNS = frozenset(VISIT_KEYS)


def _bad_labels(patients: Patients, labels: Labels) -> Bools:
    """Patients with an empty or a repeated visit label."""
    codes = labels.codes if patients.ordered else labels.codes.take(patients.rows)
    if patients.count and int(patients.sizes.max()) <= _FEW_VISITS:
        return patients.any((codes == labels.empty) | _repeated_nearby(patients, codes))
    key = patients.patient.astype(np.int64) * max(labels.texts.size, 1) + codes
    ordered = np.sort(key)
    twice = ordered[1:][ordered[1:] == ordered[:-1]]
    repeated = np.isin(key, twice) if twice.size else np.zeros(key.size, dtype=bool)
    return patients.any((codes == labels.empty) | repeated)


_FEW_VISITS = 16  # up to this many rows per patient, repeated labels are found by shifts


def _repeated_nearby(patients: Patients, codes: Indices) -> Bools:
    """Per sorted row, whether another row of its patient has the same label (a few shifts)."""
    repeated = np.zeros(codes.size, dtype=bool)
    owner = patients.patient
    for shift in range(1, int(patients.sizes.max())):
        same = (codes[shift:] == codes[:-shift]) & (owner[shift:] == owner[:-shift])
        repeated[shift:] |= same
        repeated[:-shift] |= same
    return repeated


def _bad_dates(patients: Patients, dates: VisitDates) -> Bools:
    """Patients with a date that is not a date, or dates not strictly increasing."""
    day = dates.days[patients.rows]
    bad = day == BAD
    day = np.where(bad, NO_DATE, day)
    stamped = patients.patient.astype(np.int64) * _DAY_SPAN + day
    before = np.maximum.accumulate(stamped)
    previous = np.full(stamped.size, -1, dtype=np.int64)
    previous[1:] = before[:-1]
    own = patients.patient.astype(np.int64) * _DAY_SPAN
    bad |= (day >= 0) & (previous >= own) & (stamped <= previous)
    return patients.any(bad)


def _constant(table: Table, name: str, patients: Patients, slow: Bools) -> Floats | None:
    """Per patient, the one non-empty value of a numeric per-patient column (NaN if none)."""
    if not table.has(name):
        return None
    column = table.numeric(name)
    values = column.values if patients.ordered else column.values.take(patients.rows)
    if column.odd is not None:
        slow |= patients.any(column.odd if patients.ordered else column.odd.take(patients.rows))
    present = ~np.isnan(values)
    if present.all() and values.size:  # every cell given: each patient's first row
        out = values.take(patients.starts[:-1], mode="clip")
        out[patients.sizes == 0] = np.nan  # (clipped: a patient without rows has none)
    else:
        first = first_true(present, patients.patient, patients.count)
        out = np.where(first >= 0, values.take(first), np.nan)
    slow |= patients.any(present & (values != out.take(patients.patient)))
    return out


def _populations(
    table: Table, settings: TableSettings, subtype: Any, patients: Patients, slow: Bools
) -> tuple[NDArray[np.int8], str | list[str]]:
    """Per patient: the index of its criteria set (-1 when the scalar path decides) and its
    subtype warnings joined (one text when every patient takes the keywords)."""
    texts = {}
    for name in ("population", "subtype"):
        if table.has(name):
            cells = text_cells(table.raw[name])
            texts[name] = [cells[r] for r in patients.rows.tolist()]
    codes = np.full(patients.count, -1, dtype=np.int8)
    if not texts:  # every patient takes the keywords
        code, warning = _criteria_index(settings, _value(settings.population), _value(subtype))
        codes.fill(code)
        slow |= code < 0
        return codes, warning
    warnings = [""] * patients.count
    known: dict[tuple[Any, Any], tuple[int, str]] = {}
    for p in range(patients.count):
        if slow[p]:
            continue
        lo, hi = int(patients.starts[p]), int(patients.starts[p + 1])
        values = []
        for name, keyword in (("population", settings.population), ("subtype", subtype)):
            seen = {v for v in texts[name][lo:hi] if v is not None} if name in texts else set()
            if len(seen) > 1:
                slow[p] = True
            given = next(iter(seen)) if seen else None
            values.append(given if given is not None else _value(keyword))
        key = (values[0], values[1])
        if key not in known:
            known[key] = _criteria_index(settings, values[0], values[1])
        codes[p], warnings[p] = known[key]
        if codes[p] < 0:
            slow[p] = True
    return codes, warnings


def _value(keyword: Any) -> Any:
    return getattr(keyword, "value", keyword)


def _criteria_index(settings: TableSettings, population: Any, subtype: Any) -> tuple[int, str]:
    for index, criteria in enumerate(settings.criteria):
        if population == criteria.population.value:
            try:
                parsed = optional_subtype(subtype)
            except MyoresponseError:
                return -1, ""
            found = subtype_warnings(Population(population), parsed)
            return index, _WARNING_SEPARATOR.join(found)
    return -1, ""


def _tallies(
    settings: TableSettings,
    codes: NDArray[np.int8],
    pairs: Table,
    rule: DeteriorationRule,
    imacs: bool,
    definitions: Sequence[RelativeDefinition],
) -> dict[int, Tally]:
    """A tally per criteria set that some pair of the chunk takes."""
    size = codes.size
    if not size:
        return {}
    rise = _rise(pairs, settings, rule) if imacs else (0.0, 1.0)
    found = codes[:1] if (codes == codes[0]).all() else np.unique(codes)
    return {
        index: Tally(size, definitions, rule if imacs else None, rise)
        for index in found.tolist()
        if 0 <= index < len(settings.criteria)
    }


def _flags(
    table: Table,
    visits: Visits,
    settings: TableSettings,
    enzyme: NDArray[np.int8],
    codes: NDArray[np.int8],
    tallies: Mapping[int, Tally],
    done: set[str],
    buffers: tuple[Floats, Floats, Floats],
    scratch: Scratch,
    held: Held | None = None,
) -> tuple[dict[str, Bools], NDArray[np.int8], Bools]:
    """Per pair: the definitions met, the worsening conditions (bits), and unsure pairs
    (``done``: the measures already counted into the chunk's one tally; ``held``: the one
    enzyme's integers as the engine read them)."""
    size = visits.rows.size
    long = visits.sorted.size
    nan = np.full(long, np.nan)

    def column(name: str, index: int = 0) -> Floats:
        """The chunk's rows of a long-table column."""
        if not table.has(name):
            return nan
        values = table.numeric(name).values
        if visits.span is not None:
            return values[visits.span]
        return values.take(visits.sorted, out=scratch.get(f"long {index}", long))

    definitions = next(iter(tallies.values())).definitions if tallies else ()
    met = {definition.key: np.zeros(size, dtype=bool) for definition in definitions}
    bits = np.zeros(size, dtype=np.int8)
    unsure = np.zeros(size, dtype=bool)
    for index, tally in tallies.items():
        criteria = settings.criteria[index]
        mine: Any = codes == index
        if mine.all():
            mine = True
        for measure in criteria.measures:  # one measure's arrays at a time
            key = measure.key
            if key in done:  # counted as the engine read it (one criteria set: this one)
                continue
            if key == "enzyme" and held is not None:  # one criteria set: this one
                change = held.change(enzyme, buffers[2])
            elif key == "enzyme":
                present = [e for e in ENZYMES if table.has(e.value.lower())]
                names = [e.value.lower() for e in present]
                columns = [column(n, i) for i, n in enumerate(names)] or [nan]
                ints = LongInts(columns, scratch, " ".join(names))
                picks: list[Bools | None] = [enzyme == ENZYMES.index(e) for e in present]
                if len(picks) == 1 and picks[0] is not None and picks[0].all():
                    picks = [None]
                at = (visits.base_at, visits.at)
                change = ints.pairs(*at, picks or [None], Better.LOWER, buffers)
            else:
                ints = LongInts([column(key)], scratch, key)
                change = ints.pairs(visits.base_at, visits.at, [None], measure.better, buffers)
            tally.add(key, change)
        for number, definition in enumerate(definitions):
            met[definition.key] |= tally.met(number) & mine
        if tally.rule is not None:
            bits |= np.where(mine, tally.conditions(), 0).astype(np.int8)
        unsure |= tally.unsure
    return met, bits, unsure


def _rise(
    pairs: Table, settings: TableSettings, rule: DeteriorationRule
) -> tuple[Floats | float, Floats | float]:
    """The rise ``global_cm · global_max / 10`` as numerator and denominator (per pair when the
    table has a ``global_max`` column)."""
    default = settings.scales.global_max
    if not pairs.has("global_max"):
        value = rule.global_cm * default / 10
        return float(value.numerator), float(value.denominator)
    scale = pairs.numeric("global_max").values
    distinct, inverse = np.unique(scale, return_inverse=True)
    num, den = np.empty(distinct.size), np.empty(distinct.size)
    for i, x in enumerate(distinct.tolist()):
        value = rule.global_cm * (default if np.isnan(x) else exact(x, "global_max")) / 10
        num[i], den[i] = float(value.numerator), float(value.denominator)
    return num[inverse.reshape(-1)], den[inverse.reshape(-1)]


def _write_visits(
    out: Any,
    rows: Indices,
    scores: Any,
    keep: Bools,
    met: Mapping[str, Bools],
    bits: NDArray[np.int8],
    imacs: bool,
) -> None:
    """The visit rows of the fast patients."""
    chosen: Any = slice(None)
    if not keep.all():
        chosen = np.flatnonzero(keep)
        rows = rows[chosen]
    out.tis[rows] = scores.tis[chosen]
    out.category[rows] = scores.category[chosen]
    out.enzyme[rows] = scores.enzyme[chosen]
    for key in scores.keys:
        out.points[key][rows] = scores.points[key][chosen]
        out.change[key][rows] = scores.change[key][chosen]
    out.worsened[rows] = scores.worsened[chosen]
    if scores.partial.any():  # out.partial starts False
        out.partial[rows] = scores.partial[chosen]
    if imacs:
        out.worsening[rows] = bits[chosen]
    for key, flags in met.items():
        out.met[key][rows] = flags[chosen]
    out.scored_visit[rows] = True


def _write_patients(
    out: Any, visits: Visits, labels: Labels, endpoints: Mapping[str, Any], imacs: bool
) -> None:
    """The patient rows of the fast patients: the endpoints over their visits, read from their
    visit rows (written by :func:`_write_visits`)."""
    count, owner, rows = visits.count, visits.owner, visits.rows
    met = {key: flags.take(rows) for key, flags in out.met.items()}
    fast = ~visits.slow
    head_rows = visits.heads[fast]
    objects = labels.objects

    def write(column: NDArray[np.object_], first: Indices) -> None:
        """The label of each fast patient's visit ``first`` (a pair; -1: none, left "")."""
        found = (first >= 0) & fast
        column[visits.heads[found]] = objects.take(rows.take(first[found]))

    rank = out.category.take(rows)
    for category in (Category.MINIMAL, Category.MODERATE, Category.MAJOR):
        first = first_true(rank >= CATEGORIES.index(category), owner, count)
        write(out.first[category.value], first)
    for key, flags in met.items():
        write(out.first_met[key], first_true(flags, owner, count))
    deteriorated: Any = False
    if imacs:
        rule: DeteriorationRule = _rule(endpoints)
        worsening = out.worsening.take(rows) != 0
        deteriorated, start = runs_at_least(worsening, owner, count, rule.consecutive)
        out.confirmed[head_rows] = start[fast] >= 0
        _run_labels(out.deterioration_visits, visits, fast, start, rule.consecutive, labels)
        out.evaluated[head_rows] = True
    level = CATEGORIES.index(endpoints["level"])
    responding = rank >= level
    if deteriorated is not False:
        responding &= ~deteriorated
    window = endpoints["consecutive"]
    _, start = runs_at_least(responding, owner, count, window)
    out.consecutive_response[head_rows] = start[fast] >= 0
    _run_labels(out.consecutive_visits, visits, fast, start, window, labels)
    out.scored_patient[head_rows] = True


def _run_labels(
    column: NDArray[np.object_],
    visits: Visits,
    fast: Bools,
    start: Indices,
    length: int,
    labels: Labels,
) -> None:
    """Write the labels of ``length`` visits from ``start`` (a pair; -1: none) joined by ";"
    to the patient rows of the fast patients that have such a run."""
    found = (start >= 0) & fast
    first = start[found]
    if first.size:
        lines = visits.rows.take(first[:, None] + np.arange(length))
        column[visits.heads[found]] = labels.join(lines, _SEPARATOR)
