"""Reading registry and spreadsheet exports: the CSV delimiter and the column-map file.

Excel writes ``;``-separated CSV in many locales and some exports are tab-separated; read with
``,`` such a file has one column and every row would be in error with "is missing". The
delimiter is therefore decided from the header line — ``,``, ``;`` or a tab, whichever splits
it — and a header that none of them splits, or that more than one does, is rejected with a
message naming what was found.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections import Counter
from collections.abc import Iterator
from typing import TextIO

from myoresponse.errors import InputFormatError

__all__ = ["DELIMITERS", "csv_rows", "delimiter_of", "read_column_map"]

DELIMITERS: dict[str, str] = {",": "','", ";": "';'", "\t": "a tab"}
"""The delimiters a CSV file may use, with how a message names them."""


def delimiter_of(header: str) -> str:
    """The delimiter that splits the CSV ``header`` line; an error if none or several do."""
    fields = {
        delimiter: next(csv.reader([header], delimiter=delimiter), []) for delimiter in DELIMITERS
    }
    widths = {delimiter: len(names) for delimiter, names in fields.items()}
    splitting = [  # a split that leaves a stray quote in a name is not a clean parse
        delimiter
        for delimiter, names in fields.items()
        if len(names) > 1 and not any('"' in name for name in names)
    ]
    if len(splitting) == 1:
        return splitting[0]
    line = header.rstrip("\r\n")
    shown = line if len(line) <= 60 else line[:57] + "..."
    if splitting:
        found = " and ".join(f"{DELIMITERS[d]} ({widths[d]} columns)" for d in splitting)
        raise InputFormatError(
            f"cannot tell the CSV delimiter: the header line {shown!r} is split by {found}; "
            "use one of them only"
        )
    others = Counter(c for c in line if not (c.isalnum() or c in "_- \"'"))
    hint = (
        f" (it has {others.most_common(1)[0][0]!r} {others.most_common(1)[0][1]} times)"
        if others
        else ""
    )
    raise InputFormatError(
        f"cannot tell the CSV delimiter: the header line {shown!r} has one column{hint}; "
        "columns must be separated by ',', ';' or a tab"
    )


def csv_rows(source: TextIO) -> Iterator[list[str]]:
    """The rows of the CSV ``source``, its delimiter decided from the header line."""
    first = source.readline()
    if not first.strip():
        return iter(())  # the table reader reports the empty file
    return csv.reader(itertools.chain([first], source), delimiter=delimiter_of(first))


def read_column_map(path: str) -> dict[str, str]:
    """The column map in the JSON file ``path``: an object of input name → library name."""
    try:
        with open(path, encoding="utf-8") as stream:
            loaded = json.load(stream)
    except OSError as error:
        raise InputFormatError(
            f"cannot read {path}: {error.strerror}", field="column_map", value=path
        ) from None
    except ValueError as error:
        raise InputFormatError(
            f"{path} is not valid JSON: {error}", field="column_map", value=path
        ) from None
    if not isinstance(loaded, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in loaded.items()
    ):
        raise InputFormatError(
            f"{path} must hold a JSON object of text to text, such as "
            '{"pga_vas": "physician_global"}',
            field="column_map",
            value=path,
        )
    return loaded
