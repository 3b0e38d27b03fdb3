"""Render the criteria tables of the documentation from the library's own data.

The pages never type a band edge, a level point, a threshold or an enzyme multiple: these directives
read :data:`myoresponse.ADULT`, :data:`myoresponse.JUVENILE_IMACS`,
:data:`myoresponse.JUVENILE_PRINTO` and :data:`myoresponse.enzymes.DEFAULT_RANGE_MULTIPLES` when the
site is built, so the documentation cannot drift from the code.

Directives:

``.. criteria-table:: adult | juvenile-imacs | juvenile-printo``
    The band table of one criteria set: for each measure its level points per band of absolute
    percent change. Measures sharing band edges share a table, as in the published layout. Option
    ``:band-edges: upper-inclusive | lower-inclusive`` (default: the library's default) words the
    column headings; the wording is derived from :meth:`myoresponse.MeasureRule.band` itself.

``.. criteria-thresholds::``
    The Total Improvement Score thresholds of every criteria set.

``.. criteria-measures::``
    The six core set measures of every criteria set, position by position.

``.. enzyme-multiples::``
    The default ULN multiples of the ``range`` enzyme rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import pairwise
from typing import Any, ClassVar

from docutils import nodes  # type: ignore[import-untyped]
from docutils.parsers.rst import directives  # type: ignore[import-untyped]
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

import myoresponse
from myoresponse import BandEdges, Criteria, MeasureRule, Options
from myoresponse.enzymes import DEFAULT_RANGE_MULTIPLES

CRITERIA: dict[str, Criteria] = {
    "adult": myoresponse.ADULT,
    "juvenile-imacs": myoresponse.JUVENILE_IMACS,
    "juvenile-printo": myoresponse.JUVENILE_PRINTO,
}


def number(value: Fraction) -> str:
    """A Fraction as a person writes it: ``20``, ``7.5``; ``1/3`` when it has no short decimal."""
    if value.denominator == 1:
        return str(value.numerator)
    as_float = float(value)
    return repr(as_float) if Fraction(repr(as_float)) == value else str(value)


def band_headings(rule: MeasureRule, band_edges: BandEdges) -> list[str]:
    """Column headings for the bands of ``rule``, worded from how ``rule.band`` treats each edge."""
    edges = rule.edges
    # Does an improvement exactly on edge i fall in band i (the band below) or band i + 1?
    below = [rule.band(edge, band_edges) == i for i, edge in enumerate(edges)]
    if all(below):
        first = f"worsening to {number(edges[0])}\u00a0%"
        middle = [f"> {number(a)} to {number(b)}\u00a0%" for a, b in pairwise(edges)]
        last = f"> {number(edges[-1])}\u00a0%"
    elif not any(below):
        first = f"worsening to < {number(edges[0])}\u00a0%"
        middle = [f"{number(a)} to < {number(b)}\u00a0%" for a, b in pairwise(edges)]
        last = f"≥ {number(edges[-1])}\u00a0%"
    else:  # pragma: no cover - no such convention exists
        raise ValueError(f"{rule.key}: edges are not treated alike under {band_edges.value}")
    return [first, *middle, last]


def _text_cell(text: str, *, literal: bool = False) -> nodes.entry:
    entry = nodes.entry()
    paragraph = nodes.paragraph()
    paragraph += nodes.literal(text, text) if literal else nodes.Text(text)
    entry += paragraph
    return entry


def _cell(*parts: nodes.Node) -> nodes.entry:
    entry = nodes.entry()
    paragraph = nodes.paragraph()
    for part in parts:
        paragraph += part
    entry += paragraph
    return entry


def _measure_cell(rule: MeasureRule) -> nodes.entry:
    return _cell(nodes.Text(f"{rule.label} "), nodes.literal(rule.key, rule.key))


def build_table(
    header: Sequence[str],
    rows: Sequence[Sequence[nodes.entry]],
    *,
    title: str | None = None,
    widths: Sequence[int] | None = None,
) -> nodes.table:
    """A docutils table node with one header row."""
    table = nodes.table(classes=["criteria-data"])
    if title:
        table += nodes.title(title, title)
    group = nodes.tgroup(cols=len(header))
    table += group
    for width in widths or [1] * len(header):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head_row = nodes.row()
    for text in header:
        head_row += _text_cell(text)
    head += head_row
    body = nodes.tbody()
    group += body
    for cells in rows:
        row = nodes.row()
        for cell in cells:
            row += cell
        body += row
    return table


class CriteriaTable(SphinxDirective):
    """``.. criteria-table:: adult`` — the band table of one criteria set."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {
        "band-edges": lambda arg: directives.choice(arg, [e.value for e in BandEdges]),
    }

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0].strip()
        if name not in CRITERIA:
            raise self.error(f"unknown criteria set {name!r}; choose from {', '.join(CRITERIA)}")
        criteria = CRITERIA[name]
        band_edges = BandEdges(self.options.get("band-edges", Options().band_edges.value))
        groups: dict[tuple[Fraction, ...], list[MeasureRule]] = {}
        for rule in criteria.measures:
            groups.setdefault(rule.edges, []).append(rule)
        tables: list[nodes.Node] = []
        for rules in groups.values():
            header = ["Core set measure", "better", *band_headings(rules[0], band_edges), "max"]
            rows = [
                [
                    _measure_cell(rule),
                    _text_cell(rule.better.value),
                    *(_text_cell(number(p)) for p in rule.points),
                    _text_cell(number(rule.max_points)),
                ]
                for rule in rules
            ]
            widths = [30, 8, *([10] * len(rules[0].points)), 6]
            tables.append(build_table(header, rows, widths=widths))
        total = number(criteria.max_score)
        note = nodes.paragraph(
            "",
            f"{criteria.name}: level points of each band of absolute percent improvement "
            f"(band edges {band_edges.value}); the maxima add up to {total}.",
        )
        return [note, *tables]


class CriteriaThresholds(SphinxDirective):
    """``.. criteria-thresholds::`` — TIS thresholds of every criteria set."""

    def run(self) -> list[nodes.Node]:
        categories = [category for category, _ in myoresponse.ADULT.thresholds]
        header = ["Criteria set", *(f"{c.value} response" for c in categories), "max TIS"]
        rows = []
        for key, criteria in CRITERIA.items():
            by_category = dict(criteria.thresholds)
            rows.append(
                [
                    _cell(nodes.Text(f"{criteria.name} "), nodes.literal(key, f"({key})")),
                    *(_text_cell(f"TIS ≥ {number(by_category[c])}") for c in categories),
                    _text_cell(number(criteria.max_score)),
                ]
            )
        return [build_table(header, rows, widths=[40, 14, 14, 14, 10])]


class CriteriaMeasures(SphinxDirective):
    """``.. criteria-measures::`` — the six core set measures of every criteria set."""

    def run(self) -> list[nodes.Node]:
        sets = list(CRITERIA.values())
        header = ["#", *(c.name for c in sets)]
        rows = []
        for position in range(max(len(c.measures) for c in sets)):
            cells = [_text_cell(str(position + 1))]
            for criteria in sets:
                rule = criteria.measures[position]
                cells.append(
                    _cell(
                        nodes.Text(f"{rule.label} "),
                        nodes.literal(rule.key, rule.key),
                        nodes.Text(f" ({rule.better.value} is better)"),
                    )
                )
            rows.append(cells)
        return [build_table(header, rows, widths=[4, 32, 32, 32])]


class EnzymeMultiples(SphinxDirective):
    """``.. enzyme-multiples::`` — the default ULN multiples of the range enzyme rule."""

    def run(self) -> list[nodes.Node]:
        header = ["Enzyme", "k (range is 0 … k × ULN)"]
        rows = [
            [_text_cell(enzyme.value, literal=True), _text_cell(number(multiple))]
            for enzyme, multiple in DEFAULT_RANGE_MULTIPLES.items()
        ]
        return [build_table(header, rows, widths=[20, 30])]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("criteria-table", CriteriaTable)
    app.add_directive("criteria-thresholds", CriteriaThresholds)
    app.add_directive("criteria-measures", CriteriaMeasures)
    app.add_directive("enzyme-multiples", EnzymeMultiples)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
