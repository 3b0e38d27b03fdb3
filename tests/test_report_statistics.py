"""The report's statistics against hand-computed values."""

from __future__ import annotations

import math

import pytest

from myoresponse.report.statistics import describe, median, proportion, signed_rank

pytest.importorskip("scipy")


def test_median_and_quartiles_odd_and_even() -> None:
    # odd n: 1 2 3 5 9 -> median 3; type 7: q1 at position 1 -> 2, q3 at position 3 -> 5
    odd = describe([9, 1, 3, 2, 5])
    assert odd == {"n": 5, "median": 3, "q1": 2, "q3": 5, "min": 1, "max": 9, "mean": 4}
    # even n: 10 20 30 40 -> median 25; q1 at 0.75 -> 17.5; q3 at 2.25 -> 32.5
    even = describe([40, 10, 30, 20])
    assert (even["median"], even["q1"], even["q3"], even["mean"]) == (25, 17.5, 32.5, 25)
    assert median([]) is None and describe([]) is None


def test_clopper_pearson_at_0_of_n_and_n_of_n() -> None:
    n = 8
    none = proportion(0, n)
    assert none["ci_low"] == 0 and none["proportion"] == 0
    assert none["ci_high"] == pytest.approx(1 - 0.025 ** (1 / n), rel=1e-9)
    every = proportion(n, n)
    assert every["ci_high"] == 1
    assert every["ci_low"] == pytest.approx(0.025 ** (1 / n), rel=1e-9)
    assert proportion(0, 0)["ci_low"] is None


def test_clopper_pearson_five_of_eight() -> None:
    found = proportion(5, 8)
    assert found["proportion"] == 0.625
    assert (round(100 * found["ci_low"], 1), round(100 * found["ci_high"], 1)) == (24.5, 91.5)


def test_wilcoxon_exact_without_ties() -> None:
    # d = 1, -2, -3, -4, -5, -6: T+ = 1; P(T+ <= 1) = 2/64, two-sided 4/64
    test = signed_rank([0] * 6, [1, -2, -3, -4, -5, -6])
    assert test["method"] == "exact" and not test["ties"]
    assert test["statistic"] == 1 and test["p_value"] == pytest.approx(4 / 64)


def test_wilcoxon_ties_and_a_zero_difference() -> None:
    # d = 1, -1, -2, -3, -4, -5, 0: the zero is dropped; |1| and |-1| share rank 1.5.
    # T+ = 1.5; sign patterns with T+ <= 1.5: none, either 1.5 -> 3 of 64; two-sided 6/64.
    test = signed_rank([0] * 7, [1, -1, -2, -3, -4, -5, 0])
    assert test["n_pairs"] == 7 and test["n_zero"] == 1 and test["ties"]
    assert test["method"] == "exact permutation (ties)"
    assert test["statistic"] == 1.5 and test["p_value"] == pytest.approx(6 / 64)


def test_wilcoxon_normal_approximation_with_ties() -> None:
    # 20 negative differences, 10 tied pairs: T+ = 0, mean 105, variance
    # 20*21*41/24 - 10*(2**3 - 2)/48 = 716.25; p = 2 * Phi(-105 / sqrt(716.25))
    test = signed_rank([0] * 20, [-d for d in range(1, 11)] * 2)
    assert test["method"].startswith("normal approximation")
    z = -105 / math.sqrt(716.25)
    assert test["p_value"] == pytest.approx(math.erfc(-z / math.sqrt(2)), rel=1e-9)


def test_wilcoxon_not_computed_below_min_pairs_or_all_zero() -> None:
    few = signed_rank([10, 20, 30, 40, 50], [5, 10, 15, 20, 25])
    assert few["p_value"] is None and "at least 6" in few["reason"]
    zeros = signed_rank([10] * 8, [10] * 8)
    assert zeros["p_value"] is None and zeros["n_zero"] == 8
    assert signed_rank([10, 20], [5, 10], min_pairs=2)["p_value"] == pytest.approx(0.5)


def test_numbers_in_words_round_half_up() -> None:
    from myoresponse.report.words import number, p_value, percent

    assert [number(x) for x in (51.25, 91.25, 3.125, -15.0, -0.04)] == [
        "51.3",
        "91.3",
        "3.1",
        "−15.0",
        "0.0",
    ]
    assert percent(0.625) == "62.5 %" and percent(None) == "–"
    assert (p_value(0.015625), p_value(0.0004)) == ("p = 0.016", "p < 0.001")
