"""Numpy scalars are read like the Python numbers they stand for (numpy ≥ 2 changed their repr)."""

from fractions import Fraction

import numpy as np

from myoresponse import Visit


def test_numpy_float64_is_read_at_its_shortest_repr() -> None:
    assert Visit(physician_global=np.float64(2.2)).physician_global == Fraction(22, 10)


def test_numpy_integer_is_read_exactly() -> None:
    assert Visit(mmt=np.int64(131)).mmt == Fraction(131)
