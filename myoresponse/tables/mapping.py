"""Column mapping: an export's own column names onto the names the cohort tables read.

A registry or trial export names its columns its own way (``pga_vas``, ``mmt8_total``,
``ck_ul``, REDCap's ``record_id`` and ``redcap_event_name``). ``column_map`` — a keyword of
:func:`~myoresponse.score_many` and :func:`~myoresponse.score_series_many`, ``--column-map`` on
the command line — maps such a name to the library's::

    {"record_id": "id", "redcap_event_name": "visit", "pga_vas": "physician_global"}

The rule is the same everywhere: **a key is a column of the input, its value the full name of
a column the function reads**. There is no prefix shorthand: the pair table of
:func:`~myoresponse.score_many` names both visits in full (``"pga_bl":
"baseline_physician_global"``, ``"pga_fu": "followup_physician_global"``), the long table of
:func:`~myoresponse.score_series_many` names the per-visit column once (``"pga_vas":
"physician_global"``) because each row is one visit. Columns not named in the map keep their
name. A map is checked before any row is read: a value that is not a column the function reads,
a key that is not a column of the input, two keys onto one name, or a key renamed onto a column
the input already has, each raise :class:`~myoresponse.InputFormatError` or
:class:`~myoresponse.UnknownFieldError` naming the entry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar, cast

from myoresponse.errors import InputFormatError, UnknownFieldError
from myoresponse.tables._columns import (
    ENZYME_NAMES,
    MEASURE_COLUMNS,
    STEROID_COLUMN,
    VISIT_KEYS,
    is_frame,
)

__all__ = ["LONG_TABLE_COLUMNS", "PAIR_TABLE_COLUMNS", "apply_column_map", "mapped_names"]

PAIR_TABLE_COLUMNS: tuple[str, ...] = (
    "id",
    "population",
    "mmt_max",
    "global_max",
    *MEASURE_COLUMNS,
)
"""Every column :func:`~myoresponse.score_many` reads: the values a ``column_map`` may name."""

LONG_TABLE_COLUMNS: tuple[str, ...] = (
    "id",
    "visit",
    "date",
    "population",
    "subtype",
    "mmt_max",
    "global_max",
    *VISIT_KEYS,
    *ENZYME_NAMES,
    *(f"uln_{name}" for name in ENZYME_NAMES),
)
"""Every column :func:`~myoresponse.score_series_many` reads: the values a ``column_map`` may
name."""

_Columns = TypeVar("_Columns")  # a dict of arrays or a DataFrame: what comes in goes out
_TABLES = {"pair": PAIR_TABLE_COLUMNS, "long": LONG_TABLE_COLUMNS}


def mapped_names(
    names: Sequence[str], column_map: Mapping[str, str] | None, table: str
) -> list[str]:
    """The column ``names`` of an input after ``column_map``; an error for an invalid map.

    ``table`` is ``"pair"`` (:func:`~myoresponse.score_many`) or ``"long"``
    (:func:`~myoresponse.score_series_many`): which names a value may be.
    """
    if column_map is None:
        return list(names)
    if not isinstance(column_map, Mapping):
        raise InputFormatError(
            "must be a mapping of an input column's name to the library's name, got "
            f"{type(column_map).__name__}",
            field="column_map",
        )
    allowed = _TABLES[table]
    present = set(names)
    targets: dict[str, str] = {}
    for source, target in column_map.items():
        field = f"column_map[{source!r}]"
        if not isinstance(source, str) or not isinstance(target, str):
            raise InputFormatError(
                f"must map text to text, got {source!r}: {target!r}", field=field, value=target
            )
        if target not in allowed and not _glucocorticoid(target, table):
            function = "score_many" if table == "pair" else "score_series_many"
            raise UnknownFieldError(
                f"{target!r} is not a column {function} reads; the map's values are its column "
                f"names in full: {', '.join(_shown(allowed))}, and its glucocorticoid columns",
                field=field,
                value=target,
            )
        if source not in present:
            raise InputFormatError(
                f"{source!r} is not a column of the input (its columns: "
                f"{', '.join(_shown(names))})",
                field=field,
                value=source,
            )
        if target in targets:
            raise InputFormatError(
                f"maps {source!r} onto {target!r}, as does {targets[target]!r}; one input column "
                "per name",
                field=field,
                value=target,
            )
        if target != source and target in present and target not in column_map:
            raise InputFormatError(
                f"maps {source!r} onto {target!r}, but the input has a column {target!r} too: "
                "drop one of them or map it to another name",
                field=field,
                value=target,
            )
        targets[target] = source
    return [column_map.get(name, name) for name in names]


def apply_column_map(
    columns: _Columns, column_map: Mapping[str, str] | None, table: str
) -> _Columns:
    """``columns`` (a dict of arrays or a DataFrame) with its columns renamed by ``column_map``.

    A DataFrame stays a DataFrame with the same index; a dict becomes a new dict of the same
    arrays. No data is copied by this function.
    """
    if column_map is None:
        return columns
    if is_frame(columns):
        frame: Any = columns
        names = [str(name) for name in frame.columns]
        renamed = mapped_names(names, column_map, table)
        return cast(_Columns, frame.set_axis(renamed, axis=1))
    if not isinstance(columns, Mapping):
        return columns  # the table reader names the problem
    names = [str(name) for name in columns]
    renamed = mapped_names(names, column_map, table)
    return cast(_Columns, {new: columns[old] for old, new in zip(columns, renamed, strict=True)})


def _glucocorticoid(name: str, table: str) -> bool:
    """Whether ``name`` is a glucocorticoid column of the table (:mod:`~myoresponse.tables.
    steroid_columns`): ``baseline_``/``followup_`` prefixed in a pair table, bare in a long one."""
    found = STEROID_COLUMN.match(name)
    return found is not None and (found[1] is not None) == (table == "pair")


def _shown(names: Sequence[str], limit: int = 12) -> list[str]:
    shown = [repr(name) for name in names[:limit]]
    if len(names) > limit:
        shown.append(f"… ({len(names) - limit} more)")
    return shown
