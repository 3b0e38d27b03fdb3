"""Prednisone-equivalent daily dose: every drug of the table, frequencies, properties, errors."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from myoresponse.errors import (
    InputFormatError,
    InvalidValueError,
    MyoresponseError,
    UnknownFieldError,
)
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


def raises_at(cls: type[MyoresponseError], field: str | None, call: Any) -> MyoresponseError:
    with pytest.raises(cls) as info:
        call()
    error = info.value
    assert type(error) is cls
    assert error.field == field
    if field is not None:
        assert str(error).startswith(f"{field}: ")
    return error


def test_table_values() -> None:
    assert dict(EQUIVALENT_TO_5_MG_PREDNISONE) == {
        Glucocorticoid.CORTISONE: 25,
        Glucocorticoid.HYDROCORTISONE: 20,
        Glucocorticoid.PREDNISONE: 5,
        Glucocorticoid.PREDNISOLONE: 5,
        Glucocorticoid.METHYLPREDNISOLONE: 4,
        Glucocorticoid.TRIAMCINOLONE: 4,
        Glucocorticoid.DEFLAZACORT: 6,
        Glucocorticoid.DEXAMETHASONE: Fraction(3, 4),
        Glucocorticoid.BETAMETHASONE: Fraction(3, 5),
    }
    assert set(EQUIVALENT_TO_5_MG_PREDNISONE) == set(Glucocorticoid)


# Hand-computed: dose * 5 / (mg equivalent to 5 mg prednisone).
@pytest.mark.parametrize(
    ("drug", "dose", "prednisone_mg"),
    [
        ("prednisone", 10, Fraction(10)),
        ("prednisolone", 7.5, Fraction(15, 2)),
        ("hydrocortisone", 20, Fraction(5)),
        ("hydrocortisone", 30, Fraction(15, 2)),
        ("cortisone", 25, Fraction(5)),
        ("cortisone", 37.5, Fraction(15, 2)),
        ("methylprednisolone", 16, Fraction(20)),
        ("methylprednisolone", 1000, Fraction(1250)),
        ("triamcinolone", 8, Fraction(10)),
        ("dexamethasone", 0.75, Fraction(5)),
        ("dexamethasone", 4, Fraction(80, 3)),
        ("betamethasone", 0.6, Fraction(5)),
        ("betamethasone", 3, Fraction(25)),
        ("deflazacort", 6, Fraction(5)),
        ("deflazacort", 30, Fraction(25)),
    ],
)
def test_every_drug_worked_example(drug: str, dose: Any, prednisone_mg: Fraction) -> None:
    assert prednisone_equivalent(dose, drug) == prednisone_mg
    assert prednisone_equivalent(dose, Glucocorticoid(drug)) == prednisone_mg
    assert from_prednisone_equivalent(prednisone_mg, drug) == Fraction(str(dose))


def test_drug_names_are_case_insensitive_with_aliases() -> None:
    assert Glucocorticoid.parse("  Methylprednisolone ") is Glucocorticoid.METHYLPREDNISOLONE
    assert Glucocorticoid.parse("cortisol") is Glucocorticoid.HYDROCORTISONE
    assert Glucocorticoid.parse("Cortisone acetate") is Glucocorticoid.CORTISONE


@pytest.mark.parametrize(
    ("dose", "frequency", "per_day"),
    [
        (10, "once daily", Fraction(10)),
        (5, "twice daily", Fraction(10)),
        (10, "three times daily", Fraction(30)),
        (5, "four times daily", Fraction(20)),
        (20, "every other day", Fraction(10)),
        (7, "twice weekly", Fraction(2)),
        (7, "three times weekly", Fraction(3)),
        (70, "weekly", Fraction(10)),
        (10, "weekly", Fraction(10, 7)),
    ],
)
def test_daily_dose_per_frequency(dose: int, frequency: str, per_day: Fraction) -> None:
    assert daily_dose(dose, frequency) == per_day


@pytest.mark.parametrize(
    ("alias", "member"),
    [
        ("daily", Frequency.ONCE_DAILY),
        ("OD", Frequency.ONCE_DAILY),
        ("BID", Frequency.TWICE_DAILY),
        ("q12h", Frequency.TWICE_DAILY),
        ("tds", Frequency.THREE_TIMES_DAILY),
        ("qid", Frequency.FOUR_TIMES_DAILY),
        ("Alternate days", Frequency.EVERY_OTHER_DAY),
        ("qod", Frequency.EVERY_OTHER_DAY),
        ("once weekly", Frequency.WEEKLY),
        ("twice-weekly", Frequency.TWICE_WEEKLY),
    ],
)
def test_frequency_aliases(alias: str, member: Frequency) -> None:
    assert Frequency.parse(alias) is member


def test_default_frequency_is_once_daily() -> None:
    assert daily_dose(12.5) == Fraction(25, 2)
    assert SteroidDose("prednisone", 10).frequency is Frequency.ONCE_DAILY


def test_steroid_dose_combines_frequency_and_equivalence() -> None:
    dose = SteroidDose("methylprednisolone", 16, "twice daily")
    assert dose.daily_mg == 32
    assert dose.prednisone_equivalent_daily == 40  # 32 * 5 / 4
    assert prednisone_equivalent_daily("dexamethasone", 4, "bid") == Fraction(160, 3)
    assert prednisone_equivalent_daily("prednisone", 40, "every other day") == 20
    assert prednisone_equivalent_daily("prednisone", 0) == 0  # prednisone-free


def test_json_round_trip() -> None:
    doc = {"drug": "deflazacort", "dose_mg": 18, "frequency": "every other day"}
    dose = SteroidDose.from_mapping(doc)
    assert dose.to_dict() == dict(doc, daily_mg=9, prednisone_equivalent_mg_per_day=7.5)
    assert SteroidDose.from_mapping({"drug": "prednisone", "dose_mg": 2.5}).dose_mg == Fraction(
        5, 2
    )
    again = SteroidDose.from_mapping(
        {k: dose.to_dict()[k] for k in ("drug", "dose_mg", "frequency")}
    )
    assert again == dose


def test_total_of_concurrent_prescriptions() -> None:
    doses: list[SteroidDose | dict[str, Any]] = [
        SteroidDose("prednisone", 10),
        {"drug": "hydrocortisone", "dose_mg": 10, "frequency": "twice daily"},
    ]
    assert total_prednisone_equivalent_daily(doses) == 15
    assert total_prednisone_equivalent_daily([]) == 0


# --- properties ------------------------------------------------------------------------------

drugs = st.sampled_from(list(Glucocorticoid))
doses = st.fractions(min_value=0, max_value=2000, max_denominator=1000)
frequencies = st.sampled_from(list(Frequency))


@given(drugs, doses, doses, st.fractions(min_value=0, max_value=50, max_denominator=100))
def test_conversion_is_linear(drug: Glucocorticoid, a: Fraction, b: Fraction, k: Fraction) -> None:
    assert prednisone_equivalent(a + b, drug) == prednisone_equivalent(
        a, drug
    ) + prednisone_equivalent(b, drug)
    assert prednisone_equivalent(k * a, drug) == k * prednisone_equivalent(a, drug)
    assert prednisone_equivalent(0, drug) == 0


@given(drugs, doses)
def test_conversion_round_trips(drug: Glucocorticoid, dose: Fraction) -> None:
    assert from_prednisone_equivalent(prednisone_equivalent(dose, drug), drug) == dose
    assert prednisone_equivalent(from_prednisone_equivalent(dose, drug), drug) == dose


@given(drugs, drugs, doses)
def test_conversion_between_any_two_drugs_round_trips(
    a: Glucocorticoid, b: Glucocorticoid, dose: Fraction
) -> None:
    in_b = from_prednisone_equivalent(prednisone_equivalent(dose, a), b)
    assert from_prednisone_equivalent(prednisone_equivalent(in_b, b), a) == dose


@given(drugs, doses, frequencies)
def test_daily_equivalent_is_dose_times_frequency_times_potency(
    drug: Glucocorticoid, dose: Fraction, frequency: Frequency
) -> None:
    expected = dose * frequency.per_day * 5 / EQUIVALENT_TO_5_MG_PREDNISONE[drug]
    assert SteroidDose(drug, dose, frequency).prednisone_equivalent_daily == expected


@given(st.floats(min_value=0, max_value=1000, allow_nan=False), drugs)
def test_float_doses_are_read_at_their_decimal_value(dose: float, drug: Glucocorticoid) -> None:
    assert prednisone_equivalent(dose, drug) == prednisone_equivalent(Fraction(repr(dose)), drug)


# --- errors ----------------------------------------------------------------------------------


def test_unknown_drug() -> None:
    error = raises_at(UnknownFieldError, "drug", lambda: prednisone_equivalent(10, "budesonide"))
    assert "deflazacort" in str(error)
    raises_at(UnknownFieldError, "drug", lambda: SteroidDose("fludrocortisone", 0.1))
    raises_at(UnknownFieldError, "drug", lambda: from_prednisone_equivalent(5, 42))  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-5, -0.1, Fraction(-1, 2)])
def test_negative_dose(bad: Any) -> None:
    error = raises_at(
        InvalidValueError, "dose_mg", lambda: prednisone_equivalent(bad, "prednisone")
    )
    assert "negative" in str(error)
    raises_at(InvalidValueError, "dose_mg", lambda: daily_dose(bad, "weekly"))
    raises_at(InvalidValueError, "dose_mg", lambda: SteroidDose("prednisone", bad))
    raises_at(
        InvalidValueError, "prednisone_mg", lambda: from_prednisone_equivalent(bad, "prednisone")
    )


@pytest.mark.parametrize("bad", [math.nan, math.inf, True, "10 mg", None])
def test_non_numeric_dose(bad: Any) -> None:
    raises_at(InvalidValueError, "dose_mg", lambda: SteroidDose("prednisone", bad))


def test_unknown_frequency() -> None:
    error = raises_at(InvalidValueError, "frequency", lambda: daily_dose(10, "monthly"))
    assert "every other day" in str(error)
    raises_at(InvalidValueError, "frequency", lambda: SteroidDose("prednisone", 10, "q3d"))
    raises_at(InvalidValueError, "frequency", lambda: daily_dose(10, 2))  # type: ignore[arg-type]


def test_document_shape_errors() -> None:
    raises_at(InputFormatError, None, lambda: SteroidDose.from_mapping("prednisone 10 mg"))
    raises_at(InputFormatError, "dose_mg", lambda: SteroidDose.from_mapping({"drug": "prednisone"}))
    raises_at(InputFormatError, "drug", lambda: SteroidDose.from_mapping({"dose_mg": 10}))
    raises_at(
        UnknownFieldError,
        "route",
        lambda: SteroidDose.from_mapping({"drug": "prednisone", "dose_mg": 10, "route": "iv"}),
    )


def test_total_prefixes_the_failing_entry() -> None:
    raises_at(
        InvalidValueError,
        "doses[1].dose_mg",
        lambda: total_prednisone_equivalent_daily(
            [{"drug": "prednisone", "dose_mg": 5}, {"drug": "prednisone", "dose_mg": -5}]
        ),
    )
    raises_at(
        UnknownFieldError,
        "doses[0].drug",
        lambda: total_prednisone_equivalent_daily([{"drug": "aspirin", "dose_mg": 5}]),
    )


def test_dose_pickles() -> None:
    import pickle

    dose = SteroidDose("betamethasone", 0.6, "twice weekly")
    assert pickle.loads(pickle.dumps(dose)) == dose
