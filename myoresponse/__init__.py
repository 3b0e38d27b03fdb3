"""myoresponse: the 2016 ACR/EULAR myositis response criteria, computed exactly.

Score a follow-up visit against baseline for adult dermatomyositis/polymyositis or juvenile
dermatomyositis; get the Total Improvement Score (0–100), the response category and an explanation
of every measure's contribution. A calculation aid for research and clinical documentation, not a
medical device.
"""

from __future__ import annotations

from .chaq import CHAQ, CHAQAnswers, score_chaq
from .criteria import (
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
from .enzymes import Enzyme, EnzymeUnit
from .errors import (
    InputFormatError,
    InvalidValueError,
    MissingMeasureError,
    MyoresponseError,
    NotComputableError,
    UnknownFieldError,
)
from .haq import HAQ_DI, DisabilityIndex, HAQAnswers, score_haq
from .measures import Scales, Visit
from .mmt8 import MMT8Grades, MMT8Score, score_mmt8
from .options import EnzymeRule, MissingPolicy, Options
from .result import Direction, EnzymeUsed, MeasureScore, Result
from .scoring import Assessment, absolute_percent_change, score
from .serialisation import assessment_from_json, score_json
from .steroids import (
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

__version__ = "0.1.0"

__all__ = [
    "ADULT",
    "CHAQ",
    "EQUIVALENT_TO_5_MG_PREDNISONE",
    "HAQ_DI",
    "JUVENILE_IMACS",
    "JUVENILE_PRINTO",
    "Assessment",
    "BandEdges",
    "CHAQAnswers",
    "Category",
    "CoreSet",
    "Criteria",
    "Direction",
    "DisabilityIndex",
    "Enzyme",
    "EnzymeRule",
    "EnzymeUnit",
    "EnzymeUsed",
    "Frequency",
    "Glucocorticoid",
    "HAQAnswers",
    "InputFormatError",
    "InvalidValueError",
    "MMT8Grades",
    "MMT8Score",
    "MeasureRule",
    "MeasureScore",
    "MissingMeasureError",
    "MissingPolicy",
    "MyoresponseError",
    "NotComputableError",
    "Options",
    "Population",
    "Result",
    "Scales",
    "SteroidDose",
    "UnknownFieldError",
    "Visit",
    "__version__",
    "absolute_percent_change",
    "assessment_from_json",
    "criteria_for",
    "daily_dose",
    "from_prednisone_equivalent",
    "prednisone_equivalent",
    "prednisone_equivalent_daily",
    "score",
    "score_chaq",
    "score_haq",
    "score_json",
    "score_mmt8",
    "total_prednisone_equivalent_daily",
]
