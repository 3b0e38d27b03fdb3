"""myoresponse: the 2016 ACR/EULAR myositis response criteria, computed exactly.

Score a follow-up visit against baseline for adult dermatomyositis/polymyositis or juvenile
dermatomyositis; get the Total Improvement Score (0–100), the response category and an explanation
of every measure's contribution. A calculation aid for research and clinical documentation, not a
medical device.
"""

from __future__ import annotations

from .cohort import score_many
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
from .measures import Scales, Visit
from .options import EnzymeRule, MissingPolicy, Options
from .result import Direction, EnzymeUsed, MeasureScore, Result
from .scoring import Assessment, absolute_percent_change, score
from .serialisation import assessment_from_json, score_json

__version__ = "0.1.0"

__all__ = [
    "ADULT",
    "JUVENILE_IMACS",
    "JUVENILE_PRINTO",
    "Assessment",
    "BandEdges",
    "Category",
    "CoreSet",
    "Criteria",
    "Direction",
    "Enzyme",
    "EnzymeRule",
    "EnzymeUnit",
    "EnzymeUsed",
    "InputFormatError",
    "InvalidValueError",
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
    "UnknownFieldError",
    "Visit",
    "__version__",
    "absolute_percent_change",
    "assessment_from_json",
    "criteria_for",
    "score",
    "score_json",
    "score_many",
]
