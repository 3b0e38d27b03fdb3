"""Write a case-series report into a directory: the page, the summary, the table, the figures.

:func:`~myoresponse.report.write_report` writes

- ``report.html`` (or ``report.md`` with ``format="md"``): the summary in words, the per-patient
  table, the figures and the methods. The HTML page is one self-contained file: its figures are
  embedded as ``data:`` URIs, its style is inline, and it refers to no other file or address,
  so it opens offline in any browser. The Markdown page refers to ``figures/*.png``;
- ``summary.json``: :meth:`Summary.to_dict <myoresponse.report.Summary.to_dict>`;
- ``patients.csv``: :mod:`myoresponse.report.patients`;
- ``figures/``: each figure of :mod:`myoresponse.report.figures` as PNG and SVG (the figure over
  time only when a patient has more than one follow-up visit).
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from myoresponse.criteria import Category
from myoresponse.report.cases import CaseSeries
from myoresponse.report.figures import FIGURES, LARGE, has_timeline, save_figure
from myoresponse.report.patients import columns, rows, write_csv
from myoresponse.report.summary import Summary, summarise
from myoresponse.report.words import number, sentences

__all__ = ["alt_text", "write_report"]

_DISCLAIMER = (
    "Computed with myoresponse {version}, a calculation aid for research and clinical "
    "documentation; not a medical device. Check the per-patient values before publishing."
)
_SYNTHETIC = (
    "SYNTHETIC DATA: the built-in example of 8 invented patients, made up to show the report. "
    "These are not real patients' data."
)
_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.45; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border: 1px solid #bbb; padding: 0.2rem 0.45rem; text-align: right; }
th { background: #eee; } td:first-child, td:nth-child(2), td:nth-child(5),
td:last-child { text-align: left; }
figure { margin: 1.5rem 0; } img { max-width: 100%; height: auto; }
.synthetic { border: 2px solid #D55E00; padding: 0.5rem 1rem; font-weight: bold; }
.errors { color: #a00; } dt { font-weight: bold; } code { font-size: 0.9em; }
"""


def alt_text(stem: str, series: CaseSeries) -> str:
    """A text alternative of a figure that carries its numbers, for screen readers."""
    thresholds = ", ".join(f"{float(t):g}" for _, t in series.criteria.thresholds)
    cases = sorted(series.evaluable, key=lambda c: (c.tis or 0.0, c.id))
    if len(cases) > LARGE:  # the numbers are in the table and patients.csv
        counts = ", ".join(
            f"{sum(c.category is category for c in cases):,} {category.value}"
            for category in Category
        )
        return (
            f"{FIGURES[stem][1]}, {len(cases):,} patients (too many to list here; see the "
            f"patients table): {counts}. Dashed lines mark the thresholds {thresholds}."
        )
    if stem == "response":
        bars = "; ".join(
            f"{c.id} {number(c.tis)} ({c.category.value if c.category else ''})" for c in cases
        )
        return (
            f"{FIGURES[stem][1]}, sorted from lowest to highest: {bars}. Dashed lines mark the "
            f"thresholds {thresholds}."
        )
    if stem == "steroids":
        pairs = "; ".join(
            f"{c.id} {number(c.dose_before)} to {number(c.dose_after)} mg/day"
            for c in series.evaluable
            if c.dose_before is not None and c.dose_after is not None
        )
        return f"{FIGURES[stem][1]}: {pairs or 'no patient has both doses'}."
    if stem == "drivers":
        parts = "; ".join(
            f"{c.id}: "
            + ", ".join(f"{key} {number(points)}" for key, points in c.points.items() if points)
            for c in cases
        )
        return f"{FIGURES[stem][1]}, in the order of the response figure: {parts}."
    lines = "; ".join(
        f"{c.id}: " + ", ".join(f"{label} {number(tis)}" for label, _, tis in c.timeline)
        for c in series.evaluable
    )
    return f"{FIGURES[stem][1]}: {lines}. Dashed lines mark the thresholds {thresholds}."


def write_report(
    series: CaseSeries,
    directory: str | Path,
    *,
    format: str = "html",
    title: str = "Case series report",
    synthetic: bool = False,
    summary: Summary | None = None,
) -> Summary:
    """Write the report of ``series`` into ``directory`` (created if needed); see the module.

    ``format`` is ``"html"`` or ``"md"``; ``synthetic`` puts the synthetic-data notice at the top.
    Returns the :class:`~myoresponse.report.Summary` written to ``summary.json``.
    """
    if format not in ("html", "md"):
        raise ValueError(f"format must be 'html' or 'md', got {format!r}")
    summary = summary or summarise(series)
    out = Path(directory)
    figures = out / "figures"
    out.mkdir(parents=True, exist_ok=True)
    pictures: list[tuple[str, bytes]] = []
    for stem, (draw, _) in FIGURES.items():
        if stem == "timeline" and not has_timeline(series):
            continue
        figure = draw(series)
        pictures.append((stem, save_figure(figure, figures, stem)["png"]))
    text = json.dumps(summary.to_dict(), indent=2, ensure_ascii=False, allow_nan=False)
    (out / "summary.json").write_text(text + "\n", encoding="utf-8")
    write_csv(series, out / "patients.csv")
    page = _html if format == "html" else _markdown
    name = f"report.{format}"
    (out / name).write_text(page(series, summary, pictures, title, synthetic), encoding="utf-8")
    return summary


def _methods(summary: Summary) -> list[tuple[str, str]]:
    out = []
    for key, value in summary.conventions.items():
        if isinstance(value, dict):
            value = ", ".join(f"{name} ≥ {limit:g}" for name, limit in value.items())
        out.append((key.replace("_", " "), str(value)))
    return out


def _html(
    series: CaseSeries,
    summary: Summary,
    pictures: Sequence[tuple[str, bytes]],
    title: str,
    synthetic: bool,
) -> str:
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{e(title)}</h1>",
    ]
    if synthetic:
        parts.append(f'<p class="synthetic">{e(_SYNTHETIC)}</p>')
    parts.append(f"<p>{e(_DISCLAIMER.format(version=summary.version))}</p>")
    parts.append("<h2>Summary</h2><ul>")
    parts += [f"<li>{e(sentence)}</li>" for sentence in sentences(summary)]
    parts.append("</ul>")
    if summary.errors:
        parts.append('<h2>Invalid rows</h2><ul class="errors">')
        parts += [f"<li>{e(ident)}: {e(error)}</li>" for ident, error in summary.errors]
        parts.append("</ul>")
    parts.append("<h2>Patients</h2><table><thead><tr>")
    parts += [f"<th>{e(name)}</th>" for name in columns(series)]
    parts.append("</tr></thead><tbody>")
    for row in rows(series):
        parts.append("<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>")
    parts.append("</tbody></table><h2>Figures</h2>")
    for stem, png in pictures:
        data = base64.b64encode(png).decode("ascii")
        parts.append(
            f'<figure id="figure-{stem}"><img src="data:image/png;base64,{data}" '
            f'alt="{e(alt_text(stem, series))}"><figcaption>{e(_caption(stem, series))}'
            "</figcaption></figure>"
        )
    parts.append("<h2>Methods and conventions</h2><dl>")
    for key, value in _methods(summary):
        parts.append(f"<dt>{e(key)}</dt><dd>{e(value)}</dd>")
    parts.append("</dl></body></html>")
    return "\n".join(parts) + "\n"


def _caption(stem: str, series: CaseSeries) -> str:
    left_out = len(series.cases) - len(series.evaluable)
    note = f" {left_out} patient(s) not evaluable are not shown." if left_out else ""
    captions = {
        "response": "Total Improvement Score per patient at "
        f"{series.choice.describe()}, sorted; colour: response category; dashed lines: thresholds.",
        "steroids": "Prednisone-equivalent dose at baseline and at the follow-up visit, "
        "one line per patient with both doses; diamonds: medians.",
        "drivers": "Points contributed by each core set measure, stacked per patient (same "
        "order as the response figure); dashed lines: thresholds.",
        "timeline": "Total Improvement Score at every follow-up visit, one line per patient.",
    }
    return captions[stem] + note


def _markdown(
    series: CaseSeries,
    summary: Summary,
    pictures: Sequence[tuple[str, bytes]],
    title: str,
    synthetic: bool,
) -> str:
    parts = [f"# {title}", ""]
    if synthetic:
        parts += [f"> **{_SYNTHETIC}**", ""]
    parts += [_DISCLAIMER.format(version=summary.version), "", "## Summary", ""]
    parts += [f"- {sentence}" for sentence in sentences(summary)]
    if summary.errors:
        parts += ["", "## Invalid rows", ""]
        parts += [f"- {ident}: {error}" for ident, error in summary.errors]
    names = columns(series)
    parts += ["", "## Patients", "", _md_row(names), _md_row(["---"] * len(names))]
    parts += [_md_row(row) for row in rows(series)]
    parts += ["", "## Figures", ""]
    for stem, _ in pictures:
        alt = alt_text(stem, series).replace("[", "(").replace("]", ")")
        parts += [f"![{alt}](figures/{stem}.png)", "", f"*{_caption(stem, series)}*", ""]
    parts += ["## Methods and conventions", ""]
    parts += [f"- **{key}**: {value}" for key, value in _methods(summary)]
    return "\n".join(parts) + "\n"


def _md_row(cells: Sequence[Any]) -> str:
    return "| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |"
