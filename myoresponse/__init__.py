"""myoresponse: the 2016 ACR/EULAR myositis response criteria, computed exactly.

Score a follow-up visit against baseline for adult dermatomyositis/polymyositis or juvenile
dermatomyositis; get the Total Improvement Score (0–100), the response category and an explanation
of every measure's contribution. A calculation aid for research and clinical documentation, not a
medical device.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from myoresponse._version import __version__
from myoresponse.criteria import (
    ADULT,
    JUVENILE_IMACS,
    JUVENILE_PRINTO,
    BandEdges,
    Category,
    CoreSet,
    Criteria,
    MeasureRule,
    Population,
    criteria_for,
)
from myoresponse.enzymes import Enzyme, EnzymeUnit
from myoresponse.errors import (
    InputFormatError,
    InvalidValueError,
    MissingMeasureError,
    MyoresponseError,
    NotComputableError,
    UnknownFieldError,
    UnvalidatedSubtypeWarning,
)
from myoresponse.measures import Scales, Visit
from myoresponse.options import EnzymeRule, MissingPolicy, Options
from myoresponse.result import Direction, EnzymeUsed, MeasureScore, Result
from myoresponse.scoring import Assessment, absolute_percent_change, score
from myoresponse.subtypes import Subtype

if TYPE_CHECKING:
    from myoresponse.endpoints.definitions import (
        IMACS_DOI_2004,
        PRINTO_20,
        PRINTO_50,
        PRINTO_70,
        PRINTO_90,
        DefinitionResult,
        RelativeChange,
        RelativeDefinition,
        imacs_doi,
        printo_responses,
    )
    from myoresponse.endpoints.deterioration import BaselineZero, PercentOf
    from myoresponse.endpoints.landmark import Landmark, LandmarkResponse
    from myoresponse.endpoints.series import (
        ConfirmedDeterioration,
        ConsecutiveResponse,
        DeteriorationCondition,
        DeteriorationRule,
        FollowUp,
        Series,
        SeriesResult,
        VisitResult,
        score_series,
    )
    from myoresponse.instruments.chaq import CHAQ, CHAQAnswers, score_chaq
    from myoresponse.instruments.haq import HAQ_DI, DisabilityIndex, HAQAnswers, score_haq
    from myoresponse.instruments.mmt8 import MMT8Grades, MMT8Score, score_mmt8
    from myoresponse.instruments.steroids import (
        EQUIVALENT_TO_5_MG_PREDNISONE,
        Frequency,
        Glucocorticoid,
        SteroidDose,
        daily_dose,
        from_prednisone_equivalent,
        prednisone_equivalent,
        prednisone_equivalent_daily,
        total_prednisone_equivalent_daily,
    )
    from myoresponse.io.json import assessment_from_json, score_json, score_series_json
    from myoresponse.tables.frames import SeriesTables
    from myoresponse.tables.pairs import score_many
    from myoresponse.tables.visits import score_series_many

# Loaded on first use, so that ``import myoresponse`` stays light: the instruments, the tables
# (and numpy), the visit series and their endpoints, the JSON reader.
_LAZY = {
    **dict.fromkeys(("CHAQ", "CHAQAnswers", "score_chaq"), "myoresponse.instruments.chaq"),
    **dict.fromkeys(
        ("HAQ_DI", "DisabilityIndex", "HAQAnswers", "score_haq"), "myoresponse.instruments.haq"
    ),
    **dict.fromkeys(("MMT8Grades", "MMT8Score", "score_mmt8"), "myoresponse.instruments.mmt8"),
    **dict.fromkeys(
        (
            "EQUIVALENT_TO_5_MG_PREDNISONE",
            "Frequency",
            "Glucocorticoid",
            "SteroidDose",
            "daily_dose",
            "from_prednisone_equivalent",
            "prednisone_equivalent",
            "prednisone_equivalent_daily",
            "total_prednisone_equivalent_daily",
        ),
        "myoresponse.instruments.steroids",
    ),
    "SeriesTables": "myoresponse.tables.frames",
    "score_many": "myoresponse.tables.pairs",
    "score_series_many": "myoresponse.tables.visits",
    **dict.fromkeys(
        (
            "IMACS_DOI_2004",
            "PRINTO_20",
            "PRINTO_50",
            "PRINTO_70",
            "PRINTO_90",
            "DefinitionResult",
            "RelativeChange",
            "RelativeDefinition",
            "imacs_doi",
            "printo_responses",
        ),
        "myoresponse.endpoints.definitions",
    ),
    **dict.fromkeys(("BaselineZero", "PercentOf"), "myoresponse.endpoints.deterioration"),
    **dict.fromkeys(("Landmark", "LandmarkResponse"), "myoresponse.endpoints.landmark"),
    **dict.fromkeys(
        (
            "ConfirmedDeterioration",
            "ConsecutiveResponse",
            "DeteriorationCondition",
            "DeteriorationRule",
            "FollowUp",
            "Series",
            "SeriesResult",
            "VisitResult",
            "score_series",
        ),
        "myoresponse.endpoints.series",
    ),
    **dict.fromkeys(
        ("assessment_from_json", "score_json", "score_series_json"), "myoresponse.io.json"
    ),
}


def __getattr__(name: str) -> Any:
    """Load a lazily served name (see ``_LAZY``) on first use."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'myoresponse' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "ADULT",
    "CHAQ",
    "EQUIVALENT_TO_5_MG_PREDNISONE",
    "HAQ_DI",
    "IMACS_DOI_2004",
    "JUVENILE_IMACS",
    "JUVENILE_PRINTO",
    "PRINTO_20",
    "PRINTO_50",
    "PRINTO_70",
    "PRINTO_90",
    "Assessment",
    "BandEdges",
    "BaselineZero",
    "CHAQAnswers",
    "Category",
    "ConfirmedDeterioration",
    "ConsecutiveResponse",
    "CoreSet",
    "Criteria",
    "DefinitionResult",
    "DeteriorationCondition",
    "DeteriorationRule",
    "Direction",
    "DisabilityIndex",
    "Enzyme",
    "EnzymeRule",
    "EnzymeUnit",
    "EnzymeUsed",
    "FollowUp",
    "Frequency",
    "Glucocorticoid",
    "HAQAnswers",
    "InputFormatError",
    "InvalidValueError",
    "Landmark",
    "LandmarkResponse",
    "MMT8Grades",
    "MMT8Score",
    "MeasureRule",
    "MeasureScore",
    "MissingMeasureError",
    "MissingPolicy",
    "MyoresponseError",
    "NotComputableError",
    "Options",
    "PercentOf",
    "Population",
    "RelativeChange",
    "RelativeDefinition",
    "Result",
    "Scales",
    "Series",
    "SeriesResult",
    "SeriesTables",
    "SteroidDose",
    "Subtype",
    "UnknownFieldError",
    "UnvalidatedSubtypeWarning",
    "Visit",
    "VisitResult",
    "__version__",
    "absolute_percent_change",
    "assessment_from_json",
    "criteria_for",
    "daily_dose",
    "from_prednisone_equivalent",
    "imacs_doi",
    "prednisone_equivalent",
    "prednisone_equivalent_daily",
    "printo_responses",
    "score",
    "score_chaq",
    "score_haq",
    "score_json",
    "score_many",
    "score_mmt8",
    "score_series",
    "score_series_json",
    "score_series_many",
    "total_prednisone_equivalent_daily",
]
