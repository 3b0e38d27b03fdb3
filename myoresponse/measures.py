"""One visit's core set measures and the scales they are recorded on.

Values are validated and made exact at construction (type, finiteness, sign); ranges that depend
on the scales (a VAS above ``global_max``, an MMT above ``mmt_max``) are checked when a pair of
visits is scored, where both are known. A measure left as ``None`` is missing; myoresponse never
imputes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, SupportsIndex, TypeAlias

from attrs import field, fields, frozen

from myoresponse._exact import LARGEST, exact
from myoresponse._frozen import reduce_by_fields
from myoresponse.enzymes import Enzyme, EnzymeUnit, enzyme_panel
from myoresponse.errors import InvalidValueError, MyoresponseError

if TYPE_CHECKING:
    # The instruments load when a visit is first given a sheet, answers or doses (the converters
    # below import them), so that ``import myoresponse`` does not pay for them.
    from myoresponse.instruments.chaq import CHAQAnswers
    from myoresponse.instruments.haq import DisabilityIndex, HAQAnswers
    from myoresponse.instruments.mmt8 import MMT8Grades, MMT8Score
    from myoresponse.instruments.steroids import SteroidDose

__all__ = ["DEFAULT_SCALES", "MEASURE_KEYS", "Scales", "Visit"]


Number: TypeAlias = int | float | Decimal | Fraction | SupportsIndex
"""What a measure accepts: a number read exactly (a float at its shortest decimal form), such as
``int``, ``float``, :class:`~decimal.Decimal`, :class:`~fractions.Fraction` or a numpy number."""


def _nonnegative(value: Number, name: str) -> Fraction:
    """An exact, non-negative measure named ``name``."""
    number = exact(value, name)
    if number.numerator < 0:
        raise InvalidValueError(
            f"{value!r} is negative; must be 0 or more", field=name, value=value
        )
    return number


# One named converter per measure: mypy's attrs plugin reads an __init__ argument's type from a
# named converter only, and the field's name goes into the error message. A missing measure
# (``None``, most fields of most visits) is settled without a second call.
def _physician_global(value: Number | None) -> Fraction | None:
    return None if value is None else _nonnegative(value, "physician_global")


def _patient_global(value: Number | None) -> Fraction | None:
    return None if value is None else _nonnegative(value, "patient_global")


def _mmt(value: Number | None) -> Fraction | None:
    return None if value is None else _nonnegative(value, "mmt")


def _haq(value: Number | None) -> Fraction | None:
    return None if value is None else _nonnegative(value, "haq")


def _chaq(value: Number | None) -> Fraction | None:
    return None if value is None else _nonnegative(value, "chaq")


def _extramuscular(value: Number | None) -> Fraction | None:
    return None if value is None else _nonnegative(value, "extramuscular")


def _cmas(value: Number | None) -> Fraction | None:
    return None if value is None else _nonnegative(value, "cmas")


def _chq_phs(value: Number | None) -> Fraction | None:
    return None if value is None else _nonnegative(value, "chq_phs")


def _das(value: Number | None) -> Fraction | None:
    return None if value is None else _nonnegative(value, "das")


def _within(name: str, read: Any, value: Any) -> Any:
    """Run an instrument reader, naming the visit field in any error it raises."""
    try:
        return read(value)
    except MyoresponseError as error:
        raise error.with_field_prefix(name) from None


def _mmt8(value: MMT8Score | MMT8Grades | Mapping[str, Any] | None) -> MMT8Score | None:
    if value is None:
        return None
    from myoresponse.instruments.mmt8 import MMT8Score, score_mmt8

    if isinstance(value, MMT8Score):
        return value
    score: MMT8Score = _within("mmt8", score_mmt8, value)
    return score


def _haq_answers(
    value: DisabilityIndex | HAQAnswers | Mapping[str, Any] | None,
) -> DisabilityIndex | None:
    if value is None:
        return None
    from myoresponse.instruments.haq import DisabilityIndex, score_haq

    if isinstance(value, DisabilityIndex):
        return value
    index: DisabilityIndex = _within("haq_answers", score_haq, value)
    return index


def _chaq_answers(
    value: DisabilityIndex | CHAQAnswers | Mapping[str, Any] | None,
) -> DisabilityIndex | None:
    if value is None:
        return None
    from myoresponse.instruments.chaq import DisabilityIndex, score_chaq

    if isinstance(value, DisabilityIndex):
        return value
    index: DisabilityIndex = _within("chaq_answers", score_chaq, value)
    return index


def _steroids(
    value: Iterable[SteroidDose | Mapping[str, Any]] | None,
) -> tuple[SteroidDose, ...] | None:
    if value is None:
        return None
    from myoresponse.instruments.steroids import SteroidDose

    if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__iter__"):
        raise InvalidValueError(
            "must be a list of steroid doses ({drug, dose_mg, frequency}); [] for none",
            field="steroids",
            value=value,
        )
    doses = []
    for index, dose in enumerate(value):
        if isinstance(dose, SteroidDose):
            doses.append(dose)
        else:
            doses.append(_within(f"steroids[{index}]", SteroidDose.from_mapping, dose))
    return tuple(doses)


def _optional_unit(value: EnzymeUnit | str | None) -> EnzymeUnit | None:
    return None if value is None else EnzymeUnit.parse(value, "enzyme_unit")


def _panel(
    value: Mapping[Enzyme, Number] | Mapping[str, Number] | None,
) -> Mapping[Enzyme, Fraction]:
    return enzyme_panel(value, "enzymes")


@frozen
class Visit:
    """The core set measures recorded at one visit (baseline or follow-up).

    Adults use ``haq``; juvenile (JDM) assessments use ``chaq`` and, in the PRINTO core set,
    ``cmas``, ``chq_phs`` and ``das``. ``patient_global`` is the patient's (adult) or parent's (JDM)
    global assessment. ``enzymes`` maps enzyme names (CK, aldolase, AST, ALT, LDH; any case) to
    values in ``enzyme_unit`` — by default the unit of the scales' ULNs.

    Instrument sheets may stand in for totals: ``mmt8`` (an
    :class:`~myoresponse.instruments.mmt8.MMT8Grades`,
    its score, or its JSON shape) sets ``mmt`` and tells the scorer the protocol's maximum;
    ``haq_answers``/``chaq_answers`` (answers or their JSON shape) set ``haq``/``chaq``.
    ``steroids`` records the visit's glucocorticoid doses (not scored by the criteria).
    """

    __reduce__ = reduce_by_fields

    physician_global: Fraction | None = field(
        default=None, converter=_physician_global, kw_only=True
    )
    patient_global: Fraction | None = field(default=None, converter=_patient_global, kw_only=True)
    mmt: Fraction | None = field(default=None, converter=_mmt, kw_only=True)
    haq: Fraction | None = field(default=None, converter=_haq, kw_only=True)
    chaq: Fraction | None = field(default=None, converter=_chaq, kw_only=True)
    extramuscular: Fraction | None = field(default=None, converter=_extramuscular, kw_only=True)
    enzymes: Mapping[Enzyme, Fraction] = field(
        factory=dict, converter=_panel, kw_only=True, hash=False
    )
    enzyme_unit: EnzymeUnit | None = field(default=None, converter=_optional_unit, kw_only=True)
    cmas: Fraction | None = field(default=None, converter=_cmas, kw_only=True)
    chq_phs: Fraction | None = field(default=None, converter=_chq_phs, kw_only=True)
    das: Fraction | None = field(default=None, converter=_das, kw_only=True)
    mmt8: MMT8Score | None = field(default=None, converter=_mmt8, kw_only=True)
    haq_answers: DisabilityIndex | None = field(
        default=None, converter=_haq_answers, kw_only=True, hash=False
    )
    chaq_answers: DisabilityIndex | None = field(
        default=None, converter=_chaq_answers, kw_only=True, hash=False
    )
    steroids: tuple[SteroidDose, ...] | None = field(
        default=None, converter=_steroids, kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        dose = None if self.steroids is None else self.prednisone_equivalent_mg_per_day
        if dose is not None and dose > LARGEST:  # each dose is bounded, their sum may not be
            raise InvalidValueError(
                f"the doses add up to more than {float(LARGEST)!r} mg/day of prednisone "
                "equivalent, beyond the largest number a result can report",
                field="steroids",
                value=float(LARGEST),
            )
        if self.mmt8 is None and self.haq_answers is None and self.chaq_answers is None:
            return
        # An instrument sheet stands in for its total; a total given beside it must agree.
        for key, sheet, value in (
            ("mmt", "mmt8", None if self.mmt8 is None else self.mmt8.total),
            ("haq", "haq_answers", _index(self.haq_answers, "HAQ-DI", "haq_answers")),
            ("chaq", "chaq_answers", _index(self.chaq_answers, "CHAQ", "chaq_answers")),
        ):
            if value is None:
                continue
            given = getattr(self, key)
            if given is None:
                object.__setattr__(self, key, value)
            elif given != value:
                raise InvalidValueError(
                    f"{float(given):g} disagrees with the {sheet} given beside it, which "
                    f"scores {float(value):g}; give one or the other",
                    field=key,
                    value=float(given),
                )

    @property
    def prednisone_equivalent_mg_per_day(self) -> Fraction | None:
        """Total prednisone-equivalent dose in mg/day; ``None`` when steroids were not recorded.

        Not a core set measure: carried for steroid-sparing analyses and prednisone-free
        endpoints.
        """
        if self.steroids is None:
            return None
        return sum((d.prednisone_equivalent_daily for d in self.steroids), Fraction(0))

    def given(self) -> tuple[str, ...]:
        """Keys of the measures recorded at this visit (``enzymes`` when any enzyme is)."""
        keys = [key for key in MEASURE_KEYS if key != "enzymes" and getattr(self, key) is not None]
        if self.enzymes:
            keys.append("enzymes")
        return tuple(keys)


def _index(value: DisabilityIndex | None, instrument: str, name: str) -> Fraction | None:
    if value is None:
        return None
    if value.instrument != instrument:
        raise InvalidValueError(
            f"is a {value.instrument} score; {name} takes the {instrument}",
            field=name,
            value=value.instrument,
        )
    return value.index


_NOT_MEASURES = ("enzyme_unit", "mmt8", "haq_answers", "chaq_answers", "steroids")

MEASURE_KEYS: tuple[str, ...] = tuple(a.name for a in fields(Visit) if a.name not in _NOT_MEASURES)
"""Every measure key a :class:`Visit` can hold, in declaration order."""


def _positive(value: Any, name: str) -> Fraction:
    number = exact(value, name)
    if number.numerator <= 0:
        raise InvalidValueError(f"{value!r} must be greater than 0", field=name, value=value)
    return number


def _global_max(value: Any) -> Fraction:
    return value if value is _TEN else _positive(value, "scales.global_max")


_TEN = Fraction(10)  # the default global_max, valid as it is


def _mmt_max(value: Any) -> Fraction | None:
    return None if value is None else _positive(value, "scales.mmt_max")


def _uln(value: Any) -> Mapping[Enzyme, Fraction]:
    return enzyme_panel(value, "scales.enzyme_uln", positive=True)


def _unit(value: Any) -> EnzymeUnit:
    return EnzymeUnit.parse(value, "scales.enzyme_unit")


def _pinned(value: Any) -> Enzyme | None:
    return None if value is None else Enzyme.parse(value, "scales.enzyme")


def _range(value: Any) -> tuple[Fraction, Fraction] | None:
    if value is None:
        return None
    name = "scales.chq_phs_range"
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 2:
        raise InvalidValueError(
            f"{value!r} must be a pair [lo, hi] with lo < hi", field=name, value=value
        )
    lo, hi = exact(value[0], f"{name}[0]"), exact(value[1], f"{name}[1]")
    if not lo < hi:
        raise InvalidValueError(f"{list(value)!r} must have lo < hi", field=name, value=value)
    return (lo, hi)


@frozen
class Scales:
    """The scales an assessment's measures are recorded on.

    - ``global_max``: top of the physician, patient/parent and extramuscular scales: 10 for a cm
      VAS (default), 100 for a mm VAS, 4 for a 0–4 Likert scale.
    - ``mmt_max``: the maximum possible MMT score of the protocol used (80 for MMT-8 one side, 150
      bilateral, 260 for MMT-24). Required whenever MMT is scored: it changes results a lot.
    - ``enzyme_uln``: upper limit of normal per enzyme, in ``enzyme_unit`` (``"U/L"`` or
      ``"ukat/L"``).
    - ``enzyme``: pins the followed enzyme instead of choosing the most abnormal at baseline.
    - ``chq_phs_range``: ``(lo, hi)`` of the CHQ physical summary score (PRINTO core set).
    """

    __reduce__ = reduce_by_fields

    global_max: Fraction = field(default=_TEN, converter=_global_max)
    mmt_max: Fraction | None = field(default=None, converter=_mmt_max)
    enzyme_uln: Mapping[Enzyme, Fraction] = field(factory=dict, converter=_uln, hash=False)
    enzyme_unit: EnzymeUnit = field(default=EnzymeUnit.U_PER_L, converter=_unit)
    enzyme: Enzyme | None = field(default=None, converter=_pinned)
    chq_phs_range: tuple[Fraction, Fraction] | None = field(default=None, converter=_range)


DEFAULT_SCALES = Scales()
"""The default :class:`Scales`, built once (scales are frozen, so one instance serves all)."""
