"""The keywords both table functions share, checked once into one frozen value.

:func:`~myoresponse.score_many` and :func:`~myoresponse.score_series_many` take the same scoring
keywords (population, scales, options, ``errors``); :meth:`TableSettings.from_keywords` checks them
in one order for both, before any row is read, so an invalid keyword raises at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from myoresponse._names import choice
from myoresponse.criteria import CoreSet, Criteria, Population, criteria_for
from myoresponse.enzymes import Enzyme
from myoresponse.errors import InputFormatError, InvalidValueError, MyoresponseError
from myoresponse.measures import Scales
from myoresponse.options import Options
from myoresponse.tables._columns import Table, merged_keys
from myoresponse.tables.terms import as_keyword

__all__ = ["TableSettings"]


@dataclass(frozen=True)
class TableSettings:
    """The checked keywords of one table run.

    ``global_max``, ``mmt_max`` and ``chq_phs_range`` are kept as given (None when not given): a
    row's own cells take precedence and the scalar fallback reads them as the scalar path would.
    ``criteria`` are the criteria sets rows may use (one when the population is a keyword and the
    table has no population column), ``keys`` their measure keys in table order.
    """

    errors: str
    core_set: CoreSet
    population: Population | None
    options: Options
    scales: Scales
    global_max: Any
    mmt_max: Any
    chq_phs_range: Any
    criteria: tuple[Criteria, ...]
    keys: tuple[str, ...]

    @property
    def pin(self) -> Enzyme | None:
        """The enzyme followed for every row, when one is pinned."""
        return self.scales.enzyme

    @classmethod
    def from_keywords(
        cls,
        table: Table,
        *,
        population: Population | str | None = None,
        mmt_max: Any = None,
        global_max: Any = None,
        core_set: CoreSet | str = CoreSet.IMACS,
        band_edges: str = "upper-inclusive",
        enzyme_rule: str = "range",
        missing: str = "error",
        enzyme: Enzyme | str | None = None,
        enzyme_range_multiples: Mapping[Any, Any] | None = None,
        chq_phs_range: Sequence[Any] | None = None,
        errors: str = "mark",
    ) -> TableSettings:
        """Check the keywords (invalid ones raise at once) against the table's columns; the
        defaults are those of the table functions."""
        if errors not in ("mark", "raise"):
            raise InvalidValueError(
                f"{errors!r} is not one of 'mark', 'raise'", field="errors", value=errors
            )
        chosen_core_set = choice(CoreSet, core_set, "core_set")
        chosen = None if population is None else choice(Population, population, "population")
        if chosen is not None:
            criteria_for(chosen, chosen_core_set)  # raises for adult + printo
        elif not table.has("population"):
            raise InputFormatError(
                "is required: pass population='adult' or 'juvenile', or give a population column",
                field="population",
            )
        try:
            options = Options(
                band_edges=band_edges,
                enzyme_rule=enzyme_rule,
                missing=missing,
                enzyme_range_multiples=enzyme_range_multiples,
            )
            scales = Scales(
                global_max=10 if global_max is None else global_max,
                mmt_max=mmt_max,
                enzyme=enzyme,
                chq_phs_range=chq_phs_range,
            )
        except MyoresponseError as error:  # named by the keyword: mmt_max, not scales.mmt_max
            raise as_keyword(error) from None
        criteria = _criteria_sets(table, chosen, chosen_core_set)
        return cls(
            errors=errors,
            core_set=chosen_core_set,
            population=chosen,
            options=options,
            scales=scales,
            global_max=global_max,
            mmt_max=mmt_max,
            chq_phs_range=chq_phs_range,
            criteria=criteria,
            keys=tuple(merged_keys(criteria)),
        )


def _criteria_sets(
    table: Table, population: Population | None, core_set: CoreSet
) -> tuple[Criteria, ...]:
    if not table.has("population") and population is not None:
        return (criteria_for(population, core_set),)
    found = []
    for each in Population:
        try:
            found.append(criteria_for(each, core_set))
        except MyoresponseError:
            continue
    return tuple(found)
