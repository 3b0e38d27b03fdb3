"""pandas output of the cohort tables: missing values as NA, ordered categories, tidy tables.

Given a DataFrame, :func:`~myoresponse.score_many` and :func:`~myoresponse.score_series_many`
answer in pandas' own conventions (the numpy-dict output is unchanged):

- a missing value is missing in every column type: NaN in float columns, ``<NA>`` in the
  nullable ``Int64``, ``boolean`` and ``string`` columns, NaN in the categorical columns — never
  ``""``, so ``out.error.notna().sum()`` counts the rows in error;
- ``category`` is an ordered categorical, ``none < minimal < moderate < major``
  (:func:`category_dtype`), so ``out.category >= "moderate"`` and ``value_counts()`` work;
  ``enzyme`` is a categorical of the enzyme names;
- output rows carry the input's index and no input column (``id`` included), so
  ``inp.join(out)`` works without suffixes: the index is the identity;
- a long table of visits comes back as :class:`SeriesTables`, two tidy tables: ``visits`` (one
  row per follow-up visit, on the input's index) and ``patients`` (one row per patient, indexed
  by ``id``), with dates as ``datetime64``.

pandas is imported inside these functions only: the core package never loads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, NoReturn

import attrs
import numpy as np

from myoresponse.criteria import Category
from myoresponse.enzymes import Enzyme

if TYPE_CHECKING:
    from pandas import DataFrame  # type: ignore[import-untyped,unused-ignore]

    from myoresponse.tables._columns import Bools

__all__ = ["CATEGORY_ORDER", "ENZYME_ORDER", "SeriesTables", "category_dtype", "tidy_columns"]

CATEGORY_ORDER: tuple[str, ...] = tuple(category.value for category in Category)
"""The response categories, lowest first, in the order of the ordered ``category`` column."""
ENZYME_ORDER: tuple[str, ...] = tuple(enzyme.value for enzyme in Enzyme)
"""The enzyme names, which are the categories of the ``enzyme`` column."""

_VISIT_ONLY = ("row", "id", "visit", "date")  # input columns echoed by the numpy output
_PATIENT_COLUMNS = (  # the endpoint columns of the patient rows (prefixes)
    "first_",
    "consecutive_response",
    "consecutive_visits",
    "confirmed_deterioration",
    "deterioration_visits",
    "landmark_",
    "warnings",
)


@attrs.frozen(eq=False)
class SeriesTables:
    """The two tidy tables :func:`~myoresponse.score_series_many` returns for a DataFrame.

    ``visits``: one row per scored follow-up visit (a patient's rows after its baseline), on the
    input's index, so ``inp.join(out.visits)`` puts each score beside its input row (baseline rows
    get missing values). Columns: ``total_improvement_score``, ``category``, ``enzyme``,
    ``points_<key>``, ``change_<key>``, ``worsened_count``, ``partial``, ``worsening``, ``met_*``
    and ``error`` — no ``id``, ``visit`` or ``date``: they are the input's.

    ``patients``: one row per patient, indexed by ``id`` (so ``inp.join(out.patients, on="id")``
    works), in order of first appearance. Columns: ``baseline_visit`` and ``baseline_date``
    (``datetime64``, NaT without a date), ``first_minimal``,
    ``first_moderate``, ``first_major``, ``first_<definition>``, ``consecutive_response``,
    ``consecutive_visits``, ``confirmed_deterioration``, ``deterioration_visits``,
    ``landmark_visit``, ``landmark_response``, ``warnings`` and ``error``.

    ``visits, patients = score_series_many(frame, ...)`` unpacks the two.
    """

    visits: DataFrame
    patients: DataFrame

    def __iter__(self) -> Iterator[DataFrame]:
        return iter((self.visits, self.patients))

    def __getitem__(self, name: object) -> NoReturn:
        raise TypeError(
            "score_series_many returns two tables for a DataFrame: use .visits (one row per "
            "follow-up visit) or .patients (one row per patient); a dict of arrays still gets "
            "the one row-aligned table"
        )


def tidy_columns(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """The long output's ``names`` split into the score columns of ``visits`` and ``patients``.

    ``row``, ``id``, ``visit`` and ``date`` are in neither (they identify the row); ``error``
    is among the visit columns, and the patients table adds its own ``error`` last.
    """
    names = list(names)
    patients = [n for n in names if n.startswith(_PATIENT_COLUMNS) and n != "error"]
    visits = [n for n in names if n not in _VISIT_ONLY and n not in patients]
    return visits, patients


def category_dtype() -> Any:
    """The ordered ``pd.CategoricalDtype`` of ``category``: none < minimal < moderate < major."""
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    return pd.CategoricalDtype(list(CATEGORY_ORDER), ordered=True)


def pair_frame(columns: Mapping[str, Any], index: Any, failed: Bools) -> DataFrame:
    """:func:`~myoresponse.score_many`'s output columns as a DataFrame on the input's ``index``.

    ``failed`` marks the rows in error (their ``partial`` is ``<NA>``).
    """
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    data = {name: values for name, values in columns.items() if name != "id"}
    # category and enzyme come as codes (-1 not scored); every column is built as a pandas array
    # straight from its numpy values, never through object cells
    failed = np.asarray(failed, dtype=bool)
    data["category"] = pd.Categorical.from_codes(data["category"], dtype=category_dtype())
    enzymes = pd.CategoricalDtype(list(ENZYME_ORDER))
    data["enzyme"] = pd.Categorical.from_codes(data["enzyme"], dtype=enzymes)
    data["worsened_count"] = _counts(data["worsened_count"])
    data["partial"] = pd.arrays.BooleanArray(
        np.asarray(data["partial"], dtype=bool).copy(), failed.copy()
    )
    data["error"] = _messages(data["error"], failed)
    frame: DataFrame = pd.DataFrame(data, index=index, copy=False)
    return frame


def _counts(values: Any) -> Any:
    """Whole counts held as floats (NaN where missing) as a nullable ``Int64`` array."""
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    values = np.asarray(values, dtype=np.float64)
    missing = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(np.int64), missing)


def _messages(error: Any, failed: Bools) -> Any:
    """The ``error`` column as a nullable ``string`` array: ``<NA>`` unless the row failed."""
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    cells = np.asarray(error, dtype=object)
    rows = np.flatnonzero(failed)
    rows = rows[cells[rows] != ""]
    text = np.full(cells.shape, pd.NA, dtype=object)
    text[rows] = cells[rows]
    dtype = pd.StringDtype()
    if dtype.storage == "python":  # the default without pyarrow: wrap the cells (one check)
        return pd.arrays.StringArray(text)
    return pd.array(text, dtype=dtype)


def series_tables(columns: Mapping[str, Any], na: Mapping[str, Bools], frame: Any) -> SeriesTables:
    """:func:`~myoresponse.score_series_many`'s row-aligned output split into tidy tables.

    ``na`` marks, per flag column, the rows where it does not apply (the numpy output's False);
    ``frame`` is the input (its index, and its ``date`` column when that is a datetime).
    """
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    index = frame.index
    kind = np.asarray(columns["row"])
    error = np.asarray(columns["error"], dtype=object)
    visit_rows = np.flatnonzero(kind == "visit")
    head_rows = np.flatnonzero(kind == "patient")

    visit_names, patient_names = tidy_columns(columns)
    data = {name: np.asarray(columns[name])[visit_rows] for name in visit_names}
    failed = error[visit_rows] != ""
    _common(data, failed)
    for name, mask in na.items():
        if name in data:
            data[name] = _flags(data[name], mask[visit_rows])
    # worsening: "" is "no condition held"; missing where deterioration was not evaluated
    evaluated = ~failed & ("met_imacs_doi_2004" in columns)
    data["worsening"] = _text(data["worsening"], ~evaluated, keep_empty=True)
    visits = pd.DataFrame(data, index=index[visit_rows], copy=False)

    ids = columns["id"]
    patients = pd.DataFrame(
        {
            "baseline_visit": _text(np.asarray(columns["visit"])[head_rows], None),
            "baseline_date": _dates(frame, columns, head_rows),
        },
        index=pd.Index(np.asarray(ids, dtype=object)[head_rows], name="id"),
    )
    for name in patient_names:
        values = np.asarray(columns[name])[head_rows]
        if name in na:
            patients[name] = _flags(values, na[name][head_rows])
        else:
            patients[name] = _text(values, None)
    patients["error"] = _text(error[head_rows], None)
    return SeriesTables(visits=visits, patients=patients)


def _dates(frame: Any, columns: Mapping[str, Any], rows: Any) -> Any:
    """The dates of ``rows``: the input's own datetime cells, or the read text as datetime64."""
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    if "date" in frame.columns and frame["date"].dtype.kind == "M":
        return frame["date"].array[rows]  # a datetime column round-trips unchanged
    text = np.asarray(columns["date"], dtype=object)[rows]
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").as_unit("ns")


# -- column conventions ------------------------------------------------------------------------


def _common(data: dict[str, Any], failed: Bools) -> None:
    """The conventions both tables share, applied in place to the output columns."""
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    data["category"] = _categorical(data["category"], category_dtype())
    data["enzyme"] = _categorical(data["enzyme"], pd.CategoricalDtype(list(ENZYME_ORDER)))
    worsened = np.asarray(data["worsened_count"], dtype=np.float64)
    data["worsened_count"] = pd.array(worsened, dtype="Float64").astype("Int64")
    data["partial"] = _flags(data["partial"], failed)
    data["error"] = _text(data["error"], None)


def _categorical(labels: Any, dtype: Any) -> Any:
    """Text labels as a categorical of ``dtype``; ``""`` (not scored) is missing."""
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    labels = np.asarray(labels)
    codes = np.full(labels.shape, -1, dtype=np.int8)
    for code, name in enumerate(dtype.categories):  # a few whole-array comparisons
        codes[labels == name] = code
    return pd.Categorical.from_codes(codes, dtype=dtype)


def _flags(values: Any, missing: Bools) -> Any:
    """A nullable ``boolean`` array, ``<NA>`` where ``missing``."""
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    flags = pd.array(values, dtype="boolean", copy=True)
    flags[np.asarray(missing, dtype=bool)] = pd.NA
    return flags


def _text(values: Any, missing: Bools | None, *, keep_empty: bool = False) -> Any:
    """A nullable ``string`` array: ``<NA>`` where ``missing`` (and for ``""`` unless kept)."""
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    cells = np.asarray(values, dtype=object)
    kept = np.ones(cells.shape, dtype=bool) if keep_empty else cells != ""
    if missing is not None:
        kept &= ~np.asarray(missing, dtype=bool)
    text = pd.array(np.full(cells.shape, None, dtype=object), dtype="string")
    where = np.flatnonzero(kept)
    if where.size:
        text[where] = cells[where]  # an all-missing array first: fast when most cells are empty
    return text
