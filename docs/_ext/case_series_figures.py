"""Draw the figures of docs/case-series.rst from the code, at every build.

On ``builder-inited`` the built-in synthetic case series is scored and each figure of
:mod:`myoresponse.report.figures` is written as PNG to ``docs/_generated/case-series/`` (ignored
by git), where the page's ``.. figure::`` directives find them: the images always show what the
current code draws, and none is checked in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _draw(app: Any) -> None:
    from myoresponse.report import case_series, example_table
    from myoresponse.report.figures import FIGURES, figure_bytes

    target = Path(app.srcdir) / "_generated" / "case-series"
    target.mkdir(parents=True, exist_ok=True)
    series = case_series(example_table(), population="adult", mmt_max=150)
    for stem, (draw, _) in FIGURES.items():
        (target / f"{stem}.png").write_bytes(figure_bytes(draw(series), "png"))


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", _draw)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
