"""The built-in **synthetic** case series: 8 invented adult patients, not real patients' data.

Eight adults with refractory myositis, scored at baseline, month 3 and month 6 (one patient has no
month 6 visit), MMT-8 on the 0–150 scale, CK with its upper limit of normal, and glucocorticoid
doses given both ways: as ``prednisone_mg_per_day`` and as drug, dose and frequency. Every value
was made up to exercise the report; ids start with ``SYN-`` to say so.
"""

from __future__ import annotations

import csv
import io
from importlib import resources
from typing import TextIO

from myoresponse.errors import InputFormatError

__all__ = ["EXAMPLE_FILE", "example_table", "read_columns"]

EXAMPLE_FILE = "data/example_case_series.csv"
"""The example's path inside the package (a long table of visits, CSV)."""


def example_table() -> dict[str, list[str]]:
    """The synthetic example as a dict of columns of text cells (what a CSV file gives)."""
    text = resources.files("myoresponse").joinpath(EXAMPLE_FILE).read_text(encoding="utf-8")
    return read_columns(io.StringIO(text))


def read_columns(stream: TextIO) -> dict[str, list[str]]:
    """A CSV long table as a dict of columns of text cells (empty cell: ``""``).

    Blank lines are skipped; an empty file, a repeated column name or a line with more or fewer
    cells than the header is an :class:`~myoresponse.InputFormatError`.
    """
    reader = csv.reader(stream)
    header = [name.strip() for name in next(reader, [])]
    if not header:
        raise InputFormatError("the CSV file is empty; its first line must name the columns")
    columns: dict[str, list[str]] = {}
    for name in header:
        if name in columns:
            raise InputFormatError(f"column {name!r} appears twice in the header", field=name)
        columns[name] = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputFormatError(
                f"line {reader.line_num} has {len(row)} cells where the header has {len(header)}"
            )
        for name, cell in zip(header, row, strict=True):
            columns[name].append(cell)
    return columns
