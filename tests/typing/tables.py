"""Checked by mypy (tests/test_typing.py), not run: the table functions' return types follow
their input, and Visit takes numbers, not text."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from typing_extensions import assert_type

from myoresponse import SeriesTables, Visit, score_many, score_series_many

pairs = {"baseline_mmt": np.array([60.0]), "followup_mmt": np.array([70.0])}
assert_type(score_many(pairs, population="adult", mmt_max=80), dict[str, NDArray[Any]])
frame: pd.DataFrame = pd.DataFrame(pairs)  # the stubs type the constructor loosely
assert_type(score_many(frame, population="adult", mmt_max=80), pd.DataFrame)
long_table = {"id": ["A", "A"], "visit": ["baseline", "week 4"], "mmt": [60, 70]}
assert_type(score_series_many(long_table, population="adult"), dict[str, NDArray[Any]])
long_frame: pd.DataFrame = pd.DataFrame(long_table)
assert_type(score_series_many(long_frame, population="adult"), SeriesTables)
visits, patients = score_series_many(long_frame, population="adult")
assert_type(visits, pd.DataFrame)

Visit(physician_global=6, mmt=Decimal("60.5"), haq=Fraction(3, 8), enzymes={"CK": 200})
Visit(physician_global="6")  # type: ignore[arg-type]
