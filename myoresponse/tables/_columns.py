"""Reading cohort tables: columns of a dict or DataFrame as exact-aware float arrays.

Shared by the pair table (:mod:`myoresponse.tables.pairs`) and the long table of visit series
(:mod:`myoresponse.tables.visits`): the column names of the interface, DataFrame handling, empty
cells, and which cells are not plain numbers (those rows are left to the exact scalar path).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
from numpy.typing import NDArray

from myoresponse.criteria import Criteria
from myoresponse.enzymes import Enzyme
from myoresponse.errors import InputFormatError, UnknownFieldError
from myoresponse.measures import MEASURE_KEYS

Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]

VISIT_KEYS = tuple(key for key in MEASURE_KEYS if key != "enzymes")
"""The measure keys of a visit other than the enzymes, in declaration order."""
ENZYME_NAMES = {enzyme.value.lower(): enzyme for enzyme in Enzyme}
"""Enzymes by their column name (``ck``, ``aldolase``, ``ast``, ``alt``, ``ldh``)."""

MEASURE_COLUMNS: tuple[str, ...] = (
    *(f"{visit}_{key}" for key in VISIT_KEYS for visit in ("baseline", "followup")),
    *(f"{kind}_{name}" for name in ENZYME_NAMES for kind in ("baseline", "followup", "uln")),
)
"""Every input column of the pair table that holds a measure value or an enzyme's ULN."""

STEROID_COLUMN = re.compile(
    r"(?:(baseline|followup)_)?"
    r"(prednisone_mg_per_day|steroid_(?:drug|dose_mg|frequency)(?:_(?:[2-9]|[1-9][0-9]+))?)$"
)
"""The glucocorticoid columns (:mod:`myoresponse.tables.steroid_columns`), with the pair prefix."""

INT_EXACT = 2**53
MISSING_TEXT = frozenset({"", "na", "nan"})


class Table:
    """The input columns, with the DataFrame specifics kept apart."""

    def __init__(self, columns: Mapping[str, Any], size: int | None = None) -> None:
        """``size`` is the row count when there may be no columns at all (a table of pairs
        gathered from a long table that has no measure column)."""
        self.frame: Any = None
        if is_frame(columns):
            frame: Any = columns
            self.frame = frame
            names = [str(name) for name in frame.columns]
            self.raw: dict[str, Any] = {str(n): frame[n] for n in frame.columns}
        elif isinstance(columns, Mapping):
            names = [str(name) for name in columns]
            self.raw = {str(name): columns[name] for name in columns}
        else:
            raise InputFormatError(
                "must be a mapping of column name to a 1-D array (a dict of arrays or a "
                f"DataFrame), got {type(columns).__name__}",
                field="columns",
            )
        for name in names:
            kind = name.partition("_")[0]
            if (
                kind in ("baseline", "followup", "uln")
                and name not in MEASURE_COLUMNS
                and not STEROID_COLUMN.match(name)
            ):
                raise UnknownFieldError(
                    f"{name!r} is not an input column; measure columns are baseline_<key> and "
                    f"followup_<key> for {', '.join(VISIT_KEYS)}, and baseline_/followup_/uln_"
                    f"<enzyme> for {', '.join(ENZYME_NAMES)}",
                    field=name,
                    value=name,
                )
        self.names = names
        sizes = {name: _length(value, name) for name, value in self.raw.items()}
        if self.frame is not None:
            self.size = len(self.frame)
        else:
            self.size = next(iter(sizes.values()), 0 if size is None else size)
        for name, length in sizes.items():
            if length != self.size:
                raise InputFormatError(
                    f"has {length} rows where the other columns have {self.size}", field=name
                )
        self.numbers: dict[str, Numbers] = {}

    def has(self, name: str) -> bool:
        return name in self.raw

    def numeric(self, name: str) -> Numbers:
        if name not in self.numbers:
            self.numbers[name] = Numbers(self.raw[name])
        return self.numbers[name]

    def label(self, row: int) -> str:
        if self.frame is None:
            return f"row {row}"
        return f"row {self.frame.index[row]!r}"


def is_frame(value: Any) -> bool:
    return all(hasattr(value, attr) for attr in ("columns", "index", "iloc", "dtypes"))


def _length(value: Any, name: str) -> int:
    if isinstance(value, (str, bytes, Mapping, set, frozenset)):  # sized, but not a column
        shown = repr(value) if len(repr(value)) <= 40 else f"a {type(value).__name__}"
        raise InputFormatError(
            f"must be a 1-D array or sequence of cells, one per row, got {shown} (to give "
            "every row the same value, repeat it: [value] * rows)",
            field=name,
        )
    shape = getattr(value, "shape", None)
    if shape is not None:
        if len(shape) != 1:
            raise InputFormatError(f"must be 1-D, got shape {tuple(shape)}", field=name)
        return int(shape[0])
    try:
        return len(value)
    except TypeError:
        raise InputFormatError(
            f"must be a 1-D array or sequence, got {type(value).__name__}", field=name
        ) from None


class Numbers:
    """A column read as float64 (NaN = empty cell) plus the cells the fast path must not read.

    ``odd`` marks cells that are not plain numbers read exactly by a float — booleans, text that is
    not a number or has more than 15 characters, integers beyond 2**53, Decimal or Fraction
    objects: their rows go to the scalar path, which reads them as it always does.
    """

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.ints = False
        self.odd: Bools | None = None
        dtype = getattr(raw, "dtype", None)
        kind = getattr(dtype, "kind", None)
        size = getattr(dtype, "itemsize", 8)
        if hasattr(raw, "to_numpy") and kind in ("f", "i", "u"):  # pandas, nullable dtypes too
            if kind == "f" and size != 8:
                narrow = raw.to_numpy(dtype=np.dtype(f"f{size}"), na_value=np.nan)
                values, self.odd = _from_floats(narrow)
            else:
                values = raw.to_numpy(dtype=np.float64, na_value=np.nan)
            self.ints = kind in ("i", "u")
        else:
            array = np.asarray(raw)
            self.raw = array
            kind = array.dtype.kind
            if kind == "f" and array.dtype.itemsize != 8:
                values, self.odd = _from_floats(array)
            elif kind == "f":
                values = array.astype(np.float64, copy=False)
            elif kind in ("i", "u"):
                values = array.astype(np.float64)
                self.ints = True
            elif kind == "b":
                values = np.full(array.shape, np.nan)
                self.odd = np.ones(array.shape, dtype=bool)
            elif kind == "U":
                values, self.odd = _from_text(array)
            else:
                values, self.odd = _from_objects(array)
        if self.ints:
            big = ~(np.abs(values) < INT_EXACT) & ~np.isnan(values)
            if big.any():
                self.odd = big if self.odd is None else self.odd | big
        self.values: Floats = values

    def cell(self, row: int) -> Any:
        """The value the scalar path is given for this cell; None when it is empty."""
        if self.odd is not None and self.odd[row]:
            raw = self.raw.iloc[row] if hasattr(self.raw, "iloc") else self.raw[row]
            return _odd_value(raw)
        value = float(self.values[row])
        if math.isnan(value):
            return None
        if self.ints:
            raw = self.raw.iloc[row] if hasattr(self.raw, "iloc") else self.raw[row]
            return int(raw)
        return value


def _from_floats(array: NDArray[Any]) -> tuple[Floats, Bools | None]:
    """A float column of another width: float32 (float16) values at their shortest decimal repr,
    as the scalar path reads ``np.float32``; wider floats are left to the scalar path."""
    if array.dtype.itemsize > 8:
        odd = ~np.isnan(array)
        return np.full(array.shape, np.nan), odd if odd.any() else None
    return array.astype(str).astype(np.float64), None


_TINY = float(np.finfo(np.float64).tiny)  # smallest normal double
_ZEROS = ["0", "0.0", "0.00", "0.000", "-0", "-0.0", "+0", "+0.0"]


def _inexact(text: NDArray[Any], values: Floats) -> Bools:
    """Text cells whose double is not the decimal written: more digits than a double keeps,
    underflow to 0 or to a subnormal, overflow to infinity (the scalar path reads them)."""
    long = np.char.str_len(text) > 15
    with np.errstate(invalid="ignore"):
        size = np.abs(values)
        odd = long | (size == np.inf) | ((size < _TINY) & (size > 0))
    zero = values == 0
    if zero.any():
        odd |= zero & ~np.isin(text, _ZEROS)
    return odd  # type: ignore[no-any-return,unused-ignore]


def _from_text(array: NDArray[Any]) -> tuple[Floats, Bools | None]:
    stripped = np.char.strip(array)
    blank = stripped == ""
    try:
        values = np.where(blank, "nan", stripped).astype(np.float64)
    except ValueError:
        return _from_objects(array.astype(object))
    odd = _inexact(stripped, values) & ~blank
    return values, odd if odd.any() else None


def _from_objects(array: NDArray[Any]) -> tuple[Floats, Bools | None]:
    values = np.full(array.shape, np.nan)
    odd = np.zeros(array.shape, dtype=bool)
    for row, raw in enumerate(array.tolist()):
        if raw is None or type(raw).__name__ in ("NAType", "NaTType"):
            continue
        if isinstance(raw, bool):
            odd[row] = True
        elif isinstance(raw, float):
            values[row] = raw
        elif isinstance(raw, int):
            if abs(raw) < INT_EXACT:
                values[row] = raw
            else:
                odd[row] = True
        elif isinstance(raw, str):
            text = raw.strip()
            if text.lower() in MISSING_TEXT:
                continue
            try:
                values[row] = float(text)
            except ValueError:
                odd[row] = True
            else:
                odd[row] = bool(_inexact(np.array([text]), values[row : row + 1])[0])
        else:
            odd[row] = True
    return values, odd if odd.any() else None


def _odd_value(raw: Any) -> Any:
    if isinstance(raw, np.generic):
        raw = raw.item()
    if isinstance(raw, str):
        try:
            return Decimal(raw.strip())
        except InvalidOperation:
            return raw
    return raw


def merged_keys(sets: Sequence[Criteria]) -> list[str]:
    """The measure keys of the criteria sets, in table order (``haq`` before ``chaq``)."""
    keys: list[str] = []
    for position in range(max((len(c.measures) for c in sets), default=0)):
        for criteria in sets:
            if position < len(criteria.measures):
                key = criteria.measures[position].key
                if key not in keys:
                    keys.append(key)
    return keys


def raw_cell(raw: Any, row: int) -> Any:
    return raw.iloc[row] if hasattr(raw, "iloc") else raw[row]


def empty(cell: Any) -> bool:
    if cell is None or type(cell).__name__ in ("NAType", "NaTType"):
        return True
    if isinstance(cell, (float, np.floating)):
        return bool(np.isnan(cell))
    if isinstance(cell, str):
        return cell.strip().lower() in MISSING_TEXT
    return False


def text_cell(raw: Any, row: int) -> Any:
    """A text-like cell: None when empty, numpy scalars as Python ones, text stripped."""
    return _text_value(raw_cell(raw, row))


def text_cells(raw: Any) -> NDArray[np.object_]:
    """:func:`text_cell` of every cell of a column, read in one pass."""
    return TextColumn(raw).values


class TextColumn:
    """A text-like column read at once: ``values`` as :func:`text_cell` gives them, ``empty``
    where a cell is empty, and ``text`` (a numpy text array, empty cells ``""``) when every other
    cell is text, else None."""

    def __init__(self, raw: Any) -> None:
        self.text: NDArray[np.str_] | None = None
        if isinstance(raw, np.ndarray) and raw.dtype.kind == "U" and raw.ndim == 1:
            if not raw.dtype.isnative or not raw.flags.c_contiguous:  # read as code points below
                raw = np.ascontiguousarray(raw, dtype=raw.dtype.newbyteorder("="))
            self.empty = np.zeros(raw.size, dtype=bool)
            lengths = np.char.str_len(raw)
            stripped = raw
            if _may_strip(raw):
                stripped = np.char.strip(raw)
                lengths = np.char.str_len(stripped)
            _missing_text(stripped, lengths, self.empty)
            if self.empty.any():
                if stripped is raw:
                    stripped = raw.copy()  # the caller's array is not written
                stripped[self.empty] = ""
            self.text = stripped
            self._values: NDArray[np.object_] | None = None
            return
        cells = raw.tolist() if hasattr(raw, "tolist") else list(raw)
        self._values = np.empty(len(cells), dtype=object)
        self._values[:] = [_text_value(cell) for cell in cells]
        self.empty = np.fromiter((v is None for v in self._values.tolist()), bool, len(cells))

    @property
    def values(self) -> NDArray[np.object_]:
        """The cells as :func:`text_cell` reads them (None where empty)."""
        if self._values is None:
            assert self.text is not None
            self._values = self.text.astype(object)
            self._values[self.empty] = None
        return self._values


def _missing_text(text: NDArray[np.str_], lengths: NDArray[np.integer[Any]], empty: Bools) -> None:
    """Mark in ``empty`` the cells (stripped, of ``lengths``) that read as missing: ``""``,
    ``"na"`` or ``"nan"`` in any case. Compared as code points: only ``n``/``N`` and ``a``/``A``
    lower to those letters (no lower-casing of the column, which takes about 0.25 µs a cell)."""
    if text.size == 0 or int(lengths.min()) > 3:  # no cell short enough
        return
    empty |= lengths == 0
    if text.dtype.itemsize < 8:  # room for fewer than two code points
        return
    points = text.view(np.uint32).reshape(text.size, -1)
    folded = np.uint32(0x20)  # the bit that tells an ASCII capital from its small letter
    letter_n, letter_a = np.uint32(ord("n")), np.uint32(ord("a"))
    three = lengths == 3
    na = (lengths == 2) | three
    na &= (points[:, 0] | folded) == letter_n
    na &= (points[:, 1] | folded) == letter_a
    if points.shape[1] >= 3:
        na &= ~three | ((points[:, 2] | folded) == letter_n)
    empty |= na


def _may_strip(text: NDArray[np.str_]) -> bool:
    """Whether ``str.strip`` might change a cell: some code point is in 1…32 or 0x85…0x3000
    (every white space is; 0 is the padding of short cells)."""
    if text.dtype.itemsize == 0:
        return False
    points = text.view(np.uint32)
    low = np.subtract(points, 1, dtype=np.uint32) < 0x20  # 0 wraps to the top
    return bool(low.any() or (np.subtract(points, 0x85, dtype=np.uint32) <= 0x3000 - 0x85).any())


def _text_value(cell: Any) -> Any:
    if type(cell) is str:
        text = cell.strip()
        return None if len(text) < 4 and text.lower() in MISSING_TEXT else text
    if empty(cell):
        return None
    if isinstance(cell, np.generic):
        cell = cell.item()
    if isinstance(cell, str):
        return cell.strip()
    return cell
