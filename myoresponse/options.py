"""The conventions a score depends on, where the published criteria leave a choice open.

Every result reports the options it was computed with, so two results can always be compared.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from attrs import field, frozen

from myoresponse._frozen import reduce_by_fields
from myoresponse._names import choice
from myoresponse.criteria import BandEdges
from myoresponse.enzymes import DEFAULT_RANGE_MULTIPLES, Enzyme, enzyme_panel

__all__ = ["DEFAULT_OPTIONS", "EnzymeRule", "MissingPolicy", "Options"]


class EnzymeRule(str, enum.Enum):
    """How the enzyme's percent change is computed (the published table does not print it).

    ``RANGE`` (default): like every other measure, over the range ``0 … k × ULN``.
    ``RELATIVE``: change relative to the baseline value, ``100 × (baseline − followup) / baseline``.
    """

    RANGE = "range"
    RELATIVE = "relative"


class MissingPolicy(str, enum.Enum):
    """What to do when a core set measure is missing. myoresponse never imputes.

    ``ERROR`` (default): all six measures are required.
    ``ZERO``: a missing measure scores 0 points (the conservative reading); physician global and
    the muscle strength measure stay required; the result is marked partial.
    """

    ERROR = "error"
    ZERO = "zero"


def _band_edges(value: Any) -> BandEdges:
    return choice(BandEdges, value, "options.band_edges")


def _enzyme_rule(value: Any) -> EnzymeRule:
    return choice(EnzymeRule, value, "options.enzyme_rule")


def _missing(value: Any) -> MissingPolicy:
    return choice(MissingPolicy, value, "options.missing")


def _multiples(value: Mapping[Any, Any] | None) -> Mapping[Enzyme, Fraction]:
    if value is None or (isinstance(value, Mapping) and not value):
        return DEFAULT_RANGE_MULTIPLES
    given = enzyme_panel(value, "options.enzyme_range_multiples", positive=True)
    return MappingProxyType({e: given.get(e, k) for e, k in DEFAULT_RANGE_MULTIPLES.items()})


@frozen
class Options:
    """Conventions for open points of the criteria; the defaults follow the printed table.

    ``enzyme_range_multiples`` overrides the ULN multiples of the ``range`` rule per enzyme (the
    ones not given keep their defaults: 15 for CK, 3 for the others).
    """

    __reduce__ = reduce_by_fields

    band_edges: BandEdges = field(default=BandEdges.UPPER_INCLUSIVE, converter=_band_edges)
    enzyme_rule: EnzymeRule = field(default=EnzymeRule.RANGE, converter=_enzyme_rule)
    missing: MissingPolicy = field(default=MissingPolicy.ERROR, converter=_missing)
    enzyme_range_multiples: Mapping[Enzyme, Fraction] = field(
        default=None, converter=_multiples, hash=False
    )

    def to_dict(self) -> dict[str, str]:
        """The ``options`` object of the JSON form."""
        return {
            "band_edges": self.band_edges._value_,  # ``.value`` without its descriptor call
            "enzyme_rule": self.enzyme_rule._value_,
            "missing": self.missing._value_,
        }


DEFAULT_OPTIONS = Options()
"""The default :class:`Options`, built once (options are frozen, so one instance serves all)."""
