"""The figures of a case series, each a matplotlib ``Figure``.

Figures are made with the Agg canvas directly (no pyplot, no global state, never shown), so they
work the same in scripts, on servers and in notebooks (a notebook displays a returned Figure).
Colours are the Okabe–Ito palette, which stays distinguishable with the common colour-vision
deficiencies; the categories are also named in the legend.
The response thresholds drawn are those of the criteria set the patients were scored with.
Patients who are not evaluable are left out of every figure.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from myoresponse.criteria import Category, Criteria
from myoresponse.report.cases import Case, CaseSeries
from myoresponse.report.extra import require

__all__ = [
    "CATEGORY_COLOURS",
    "FIGURES",
    "LARGE",
    "dose_figure",
    "drivers_figure",
    "figure_bytes",
    "response_figure",
    "save_figure",
    "timeline_figure",
]

OKABE_ITO = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
)
CATEGORY_COLOURS = {
    Category.NONE: "#999999",  # grey: no response
    Category.MINIMAL: OKABE_ITO[1],
    Category.MODERATE: OKABE_ITO[4],
    Category.MAJOR: OKABE_ITO[2],
}
"""Bar colour of each response category (grey, then Okabe–Ito sky blue, blue, bluish green)."""

_MEASURE_COLOURS = (*OKABE_ITO[:3], OKABE_ITO[4], OKABE_ITO[5], OKABE_ITO[6])
LARGE = 60
"""Above this many patients, figures draw areas and line collections and omit the ids."""
_LINE_COLOURS = tuple(colour for colour in OKABE_ITO if colour != "#F0E442")  # yellow: fills only
_THRESHOLD_COLOUR = "#444444"
_OUTSIDE: dict[str, Any] = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0), "frameon": False}


def _figure(width: float, height: float) -> Any:
    figure_module = require("matplotlib.figure")
    agg = require("matplotlib.backends.backend_agg")
    figure = figure_module.Figure(figsize=(width, height), layout="constrained")
    agg.FigureCanvasAgg(figure)
    return figure


def _thresholds(axes: Any, criteria: Criteria) -> None:
    """Dashed lines at the criteria set's thresholds, labelled with category and score."""
    for category, threshold in criteria.thresholds:
        axes.axhline(
            float(threshold),
            linestyle="--",
            linewidth=1,
            color=_THRESHOLD_COLOUR,
            label=f"{category.value} ≥ {float(threshold):g}",
            gid=f"threshold-{category.value}",
        )


def _by_score(cases: Sequence[Case]) -> list[Case]:
    return sorted(cases, key=lambda case: (case.tis or 0.0, case.id))


def _width(count: int) -> float:
    return 10.0 if count > LARGE else max(6.0, 0.45 * count + 2.0)


def _ids(axes: Any, cases: Sequence[Case]) -> None:
    """Patient ids under the bars; above :data:`LARGE` patients, a count instead."""
    if len(cases) > LARGE:
        axes.set_xticks([])
        axes.set_xlabel(f"Patients, sorted (n = {len(cases):,}; ids in patients.csv)")
        return
    axes.set_xticks(range(len(cases)))
    rotate = 90 if len(cases) > 12 else 0
    axes.set_xticklabels([case.id for case in cases], rotation=rotate, fontsize=8)
    axes.set_xlabel("Patient")


def _bars(
    axes: Any, heights: Sequence[float], colours: Sequence[str], bottom: Sequence[float], **kw: Any
) -> None:
    """Bars with black edges; above :data:`LARGE` bars, one filled step area per colour (fast)."""
    if len(heights) <= LARGE:
        axes.bar(
            range(len(heights)), heights, bottom=bottom, color=colours, edgecolor="black", **kw
        )
        return
    np = require("numpy")
    x = np.arange(len(heights))
    low = np.asarray(bottom, dtype=float)
    high = low + np.asarray(heights, dtype=float)
    shades = np.asarray(colours)
    label = kw.get("label")
    for colour in dict.fromkeys(colours):
        area = axes.fill_between(
            x, low, high, where=shades == colour, step="mid", color=colour, linewidth=0,
            label=label,
        )  # fmt: skip
        area.set_in_layout(False)
        label = None


def response_figure(series: CaseSeries) -> Any:
    """One bar per evaluable patient, sorted by Total Improvement Score, coloured by category."""
    cases = _by_score(series.evaluable)
    figure = _figure(_width(len(cases)) + 1.5, 4.5)
    axes = figure.add_subplot()
    colours = [CATEGORY_COLOURS[case.category or Category.NONE] for case in cases]
    _bars(axes, [case.tis or 0.0 for case in cases], colours, [0.0] * len(cases))
    _thresholds(axes, series.criteria)
    _ids(axes, cases)
    axes.set_ylim(0, float(series.criteria.max_score))
    axes.set_ylabel("Total Improvement Score (points, 0–100)")
    axes.set_title(f"Response per patient ({series.choice.short()})")
    handles = [
        require("matplotlib.patches").Patch(facecolor=colour, edgecolor="black", label=c.value)
        for c, colour in CATEGORY_COLOURS.items()
    ]
    lines = [line for line in axes.get_lines() if str(line.get_gid()).startswith("threshold")]
    axes.legend(handles=[*handles, *lines], fontsize=8, **_OUTSIDE)
    return figure


def dose_figure(series: CaseSeries) -> Any:
    """Prednisone-equivalent dose at baseline and follow-up, joined per patient; medians marked."""
    cases = [c for c in series.evaluable if c.dose_before is not None and c.dose_after is not None]
    figure = _figure(5.0, 4.5)
    axes = figure.add_subplot()
    if len(cases) <= LARGE:
        for case in cases:
            axes.plot(
                [0, 1], [case.dose_before, case.dose_after], marker="o", color=OKABE_ITO[4],
                alpha=0.6,
            )  # fmt: skip
    else:
        segments = [[(0, case.dose_before), (1, case.dose_after)] for case in cases]
        lines = require("matplotlib.collections").LineCollection(
            segments, colors=OKABE_ITO[4], alpha=0.15, linewidths=0.5
        )
        lines.set_rasterized(True)  # one image in the SVG, not thousands of paths
        lines.set_in_layout(False)  # the layout need not measure every path
        axes.add_collection(lines)
    if cases:
        np = require("numpy")
        medians = [
            float(np.median([c.dose_before for c in cases])),
            float(np.median([c.dose_after for c in cases])),
        ]
        axes.plot(
            [0, 1],
            medians,
            marker="D",
            markersize=10,
            linewidth=3,
            color=OKABE_ITO[5],
            label=f"median: {medians[0]:g} → {medians[1]:g} mg/day",
            gid="median",
        )
        axes.legend(fontsize=8)
    else:
        axes.text(0.5, 0.5, "no patient has both doses", ha="center", transform=axes.transAxes)
    axes.set_xticks([0, 1])
    axes.set_xticklabels(["baseline", "follow-up"])
    axes.set_xlim(-0.4, 1.4)
    axes.set_ylim(bottom=0)
    axes.set_xlabel("Visit")
    axes.set_ylabel("Prednisone-equivalent dose (mg/day)")
    axes.set_title(f"Glucocorticoid dose before and after (n = {len(cases)})")
    return figure


def drivers_figure(series: CaseSeries) -> Any:
    """Per patient, the points of each core set measure stacked: what drove each response."""
    cases = _by_score(series.evaluable)
    figure = _figure(_width(len(cases)) + 3.0, 4.5)
    axes = figure.add_subplot()
    bottom = [0.0] * len(cases)
    for rule, colour in zip(series.criteria.measures, _MEASURE_COLOURS, strict=False):
        heights = [case.points.get(rule.key, 0.0) for case in cases]
        _bars(axes, heights, [colour] * len(cases), bottom, linewidth=0.5, label=rule.label)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    _thresholds(axes, series.criteria)
    _ids(axes, cases)
    axes.set_ylim(0, float(series.criteria.max_score))
    axes.set_ylabel("Points per measure (sum: TIS, 0–100)")
    axes.set_title("What drove each response")
    axes.legend(fontsize=7, **_OUTSIDE)
    return figure


def timeline_figure(series: CaseSeries) -> Any:
    """Total Improvement Score at every follow-up visit, one line per patient; thresholds drawn.

    The x axis is days since baseline when every visit has a date, else the visit's number.
    """
    cases = [case for case in series.evaluable if case.timeline]
    dated = all(day is not None for case in cases for _, day, _ in case.timeline)
    figure = _figure(8.0, 4.5)
    axes = figure.add_subplot()
    paths = [
        [
            (day if dated and day is not None else n + 1, tis)
            for n, (_, day, tis) in enumerate(c.timeline)
        ]
        for c in cases
    ]
    if len(cases) <= LARGE:
        for index, (case, path) in enumerate(zip(cases, paths, strict=True)):
            colour = _LINE_COLOURS[index % len(_LINE_COLOURS)]
            xs, ys = zip(*path, strict=True)
            axes.plot(xs, ys, marker="o", color=colour, linewidth=1.2, label=case.id)
    else:
        lines = require("matplotlib.collections").LineCollection(
            paths, colors=OKABE_ITO[4], alpha=0.1, linewidths=0.5
        )
        lines.set_rasterized(True)  # one image in the SVG, not thousands of paths
        lines.set_in_layout(False)  # the layout need not measure every path
        axes.add_collection(lines)
        axes.autoscale_view(scaley=False)
    _thresholds(axes, series.criteria)
    axes.set_ylim(0, float(series.criteria.max_score))
    axes.set_xlabel("Days since baseline" if dated else "Follow-up visit number")
    axes.set_ylabel("Total Improvement Score (points, 0–100)")
    axes.set_title("Total Improvement Score over time")
    if len(cases) <= 20:
        axes.legend(fontsize=7, **_OUTSIDE)
    return figure


def has_timeline(series: CaseSeries) -> bool:
    """Whether any evaluable patient has more than one follow-up visit."""
    return any(len(case.timeline) > 1 for case in series.evaluable)


FIGURES: dict[str, tuple[Callable[[CaseSeries], Any], str]] = {
    "response": (response_figure, "Bar chart of the Total Improvement Score of each patient"),
    "steroids": (dose_figure, "Prednisone-equivalent dose of each patient before and after"),
    "drivers": (drivers_figure, "Stacked bars of the points of each core set measure"),
    "timeline": (timeline_figure, "Total Improvement Score of each patient over time"),
}
"""Each figure's file stem, function and a short description (the start of its alt text)."""

_PNG_METADATA = {"Software": None}
_SVG_METADATA = {"Date": None, "Creator": None}


def figure_bytes(figure: Any, kind: str) -> bytes:
    """The figure as ``"png"`` (150 dpi) or ``"svg"`` bytes, without date or software stamps."""
    buffer = io.BytesIO()
    metadata = _PNG_METADATA if kind == "png" else _SVG_METADATA
    figure.savefig(buffer, format=kind, dpi=150, metadata=metadata)
    return buffer.getvalue()


def save_figure(figure: Any, directory: Path, stem: str) -> dict[str, bytes]:
    """Write ``stem.png`` and ``stem.svg`` into ``directory``; return the bytes written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for kind in ("png", "svg"):
        data = figure_bytes(figure, kind)
        (directory / f"{stem}.{kind}").write_bytes(data)
        written[kind] = data
    return written
