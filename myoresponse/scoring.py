"""The scoring engine: validated visits → absolute percent changes → level points → TIS → category.

One engine reads the criteria tables of :mod:`myoresponse.criteria`; every step is exact rational
arithmetic, so a change of exactly 15 % is 15 % and lands in the band the printed table says.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from attrs import field, frozen

from myoresponse._exact import LARGEST
from myoresponse._names import choice
from myoresponse.criteria import Better, CoreSet, Criteria, MeasureRule, Population, criteria_for
from myoresponse.enzymes import DEFAULT_RANGE_MULTIPLES, Enzyme, most_abnormal
from myoresponse.errors import (
    InputFormatError,
    InvalidValueError,
    MissingMeasureError,
    MyoresponseError,
    UnknownFieldError,
)
from myoresponse.measures import DEFAULT_SCALES, MEASURE_KEYS, Scales, Visit
from myoresponse.options import DEFAULT_OPTIONS, EnzymeRule, MissingPolicy, Options
from myoresponse.result import Direction, EnzymeUsed, MeasureScore, Result
from myoresponse.subtypes import Subtype, emit, optional_subtype, subtype_warnings

# Also for the package's other wings: evaluate, build_assessment, build_visit, FIXED_SCALES.
__all__ = ["Assessment", "absolute_percent_change", "score"]

_HUNDRED = Fraction(100)

_ZERO = Fraction(0)

FIXED_SCALES: Mapping[str, tuple[Fraction, Fraction]] = {
    "haq": (_ZERO, Fraction(3)),
    "cmas": (_ZERO, Fraction(52)),
    "das": (_ZERO, Fraction(20)),
}
"""The fixed ``(lo, hi)`` scales of the instruments; the others come from the :class:`Scales`."""

_DIRECTIONS = {1: Direction.IMPROVED, -1: Direction.WORSENED, 0: Direction.UNCHANGED}
_FIXED_SCALES = FIXED_SCALES  # the name the tables engine imported before it was public


def absolute_percent_change(
    baseline: Fraction, followup: Fraction, lo: Fraction, hi: Fraction, better: Better
) -> Fraction:
    """``100 × improvement / (hi − lo)``: positive when the measure improved, negative if worse."""
    span_n, span_d = (hi if lo is _ZERO else hi - lo).as_integer_ratio()
    return _percent(baseline, followup, span_n, span_d, better)


def _percent(
    baseline: Fraction, followup: Fraction, span_n: int, span_d: int, better: Better
) -> Fraction:
    """``100 × improvement / (span_n / span_d)``, one Fraction built from integers: the same exact
    value as the Fraction arithmetic, without its three normalisations."""
    b_n, b_d = baseline.as_integer_ratio()
    f_n, f_d = followup.as_integer_ratio()
    return Fraction(*_percent_ratio(b_n, b_d, f_n, f_d, span_n, span_d, better))


def _percent_ratio(
    b_n: int, b_d: int, f_n: int, f_d: int, span_n: int, span_d: int, better: Better
) -> tuple[int, int]:
    """The percent change of ``b_n/b_d`` to ``f_n/f_d`` over a span ``span_n/span_d`` (> 0), as a
    numerator and a positive denominator, not in lowest terms."""
    improvement = b_n * f_d - f_n * b_d
    if better is Better.HIGHER:
        improvement = -improvement
    return 100 * improvement * span_d, b_d * f_d * span_n


def _population(value: object) -> Population:
    return choice(Population, value, "population")


def _core_set(value: object) -> CoreSet:
    return choice(CoreSet, value, "core_set")


def _is(kind: type, name: str, value: object) -> None:
    if not isinstance(value, kind):
        raise InputFormatError(
            f"must be a {kind.__name__}, got {type(value).__name__}; build one with "
            f"{kind.__name__}(...) or use score_json for plain mappings",
            field=name,
        )


# The validators of Assessment's fields: the usual exact type passes without a second call.
def _a_visit(_self: object, attribute: Any, value: Any) -> None:
    if type(value) is not Visit:
        _is(Visit, attribute.name, value)


def _scales(_self: object, attribute: Any, value: Any) -> None:
    if type(value) is not Scales:
        _is(Scales, attribute.name, value)


def _options(_self: object, attribute: Any, value: Any) -> None:
    if type(value) is not Options:
        _is(Options, attribute.name, value)


@frozen
class Assessment:
    """Everything needed to score one follow-up visit against baseline.

    Mirrors the assessment object of the JSON interface; :func:`score` is the usual entry point.
    ``subtype`` (optional) is the patient's myositis subtype: outside adult DM/PM and JDM the result
    carries a warning and an :class:`~myoresponse.errors.UnvalidatedSubtypeWarning` is emitted.
    """

    population: Population = field(converter=_population)
    baseline: Visit = field(validator=_a_visit)
    followup: Visit = field(validator=_a_visit)
    scales: Scales = field(factory=lambda: DEFAULT_SCALES, validator=_scales)
    options: Options = field(factory=lambda: DEFAULT_OPTIONS, validator=_options)
    core_set: CoreSet = field(default=CoreSet.IMACS, converter=_core_set)
    subtype: Subtype | None = field(default=None, converter=optional_subtype)

    @property
    def criteria(self) -> Criteria:
        """The criteria set this assessment is scored with."""
        return criteria_for(self.population, self.core_set)

    def score(self) -> Result:
        """Score this assessment; see :func:`score`."""
        result = evaluate(self)
        emit(result.warnings, stacklevel=2)
        return result


def build_visit(keywords: Mapping[str, Any] | None, place: str) -> Visit:
    """A :class:`Visit` from its keyword arguments; errors name the field under ``place``."""
    try:
        return Visit(**(keywords or {}))
    except MyoresponseError as error:
        raise error.with_field_prefix(place) from None


def build_assessment(
    *,
    population: object,
    core_set: object = CoreSet.IMACS,
    subtype: object = None,
    scales: Mapping[str, Any] | None = None,
    options: Mapping[str, Any] | None = None,
    baseline: Mapping[str, Any] | None = None,
    followup: Mapping[str, Any] | None = None,
) -> Assessment:
    """An :class:`Assessment` from plain values and keyword dicts, checked in one fixed order.

    ``scales``, ``options``, ``baseline`` and ``followup`` are the keyword arguments of
    :class:`Scales`, :class:`Options` and :class:`Visit` (``None`` or empty for the defaults); the
    keywords must be ones those classes take. Readers of documents (JSON, table cells) check shapes
    and keys first, then call this, so every path reports the first problem of an assessment in
    this order: the baseline visit, the follow-up visit (fields prefixed ``baseline.`` and
    ``followup.``), the population, the scales, the options, the core set, the subtype. Checks
    that need both visits and the scales come when it is scored (:func:`evaluate`).
    """
    before = build_visit(baseline, "baseline")
    after = build_visit(followup, "followup")
    return Assessment(
        population=_population(population),
        scales=Scales(**scales) if scales else DEFAULT_SCALES,
        options=Options(**options) if options else DEFAULT_OPTIONS,
        baseline=before,
        followup=after,
        core_set=core_set,
        subtype=subtype,
    )


def score(
    baseline: Visit,
    followup: Visit,
    *,
    population: Population | str,
    scales: Scales | None = None,
    options: Options | None = None,
    core_set: CoreSet | str = CoreSet.IMACS,
    subtype: Subtype | str | None = None,
) -> Result:
    """Score a follow-up visit against baseline with the 2016 ACR/EULAR response criteria.

    ``population`` is ``"adult"`` (DM/PM) or ``"juvenile"`` (JDM); ``scales`` says what the
    measures were recorded on (``mmt_max`` is required for MMT); ``options`` chooses the
    conventions for the criteria's open points; ``subtype`` (optional) the myositis subtype, which
    adds a warning outside adult DM/PM and JDM (see :mod:`myoresponse.subtypes`). Raises a
    :class:`~myoresponse.MyoresponseError` naming the field for any input that cannot be scored.

    >>> from myoresponse import Scales, Visit, score
    >>> before = Visit(physician_global=6, patient_global=7, mmt=110, haq=1.5,
    ...                enzymes={"CK": 2400}, extramuscular=4)
    >>> after = Visit(physician_global=2, patient_global=4.5, mmt=131, haq=0.875,
    ...               enzymes={"CK": 310}, extramuscular=1.5)
    >>> result = score(before, after, population="adult",
    ...                scales=Scales(mmt_max=150, enzyme_uln={"CK": 200}))
    >>> float(result.total_improvement_score), result.category.value
    (70.0, 'major')
    """
    assessment = Assessment(
        population=population,
        baseline=baseline,
        followup=followup,
        scales=DEFAULT_SCALES if scales is None else scales,
        options=DEFAULT_OPTIONS if options is None else options,
        core_set=core_set,
        subtype=subtype,
    )
    result = evaluate(assessment)
    emit(result.warnings, stacklevel=2)
    return result


def evaluate(assessment: Assessment) -> Result:
    """Score ``assessment`` without emitting warnings; the :class:`Result` carries them.

    The package's own callers (series, tables, JSON) use this and emit warnings where their caller
    can see them; :func:`score` is :func:`evaluate` plus the warnings.
    """
    criteria = assessment.criteria
    check_keys(assessment, criteria)
    missing_at: dict[str, str] = {}  # measure key -> the field that is missing
    scores = []
    enzyme: EnzymeUsed | None = None
    for rule in criteria.measures:
        if rule.scale == "enzyme":
            outcome, enzyme = follow_enzyme(assessment, rule)
        else:
            outcome = score_measure(assessment, rule)
        if isinstance(outcome, Missing):
            missing_at[rule.key] = outcome.place
            outcome = _unscored(rule)
        scores.append(outcome)
    apply_missing_policy(criteria, assessment.options, missing_at)
    total = _total(s.points for s in scores)
    return Result(
        criteria=criteria,
        total_improvement_score=total,
        category=criteria.category(total),
        measures=tuple(scores),
        enzyme=enzyme,
        options=assessment.options,
        prednisone_equivalent_mg_per_day=(
            assessment.baseline.prednisone_equivalent_mg_per_day,
            assessment.followup.prednisone_equivalent_mg_per_day,
        ),
        warnings=subtype_warnings(assessment.population, assessment.subtype),
    )


def _total(points: Iterable[Fraction]) -> Fraction:
    """The exact sum of level points, over their common denominator (one normalisation)."""
    numerator, common = 0, 1
    for point in points:
        n, d = point.as_integer_ratio()
        if common % d:  # a new denominator: widen the common one (table points are halves)
            wider = math.lcm(common, d)
            numerator *= wider // common
            common = wider
        numerator += n * (common // d)
    return Fraction(numerator, common)


class Missing:
    """A measure that could not be scored for want of a value; ``place`` is the missing field."""

    __slots__ = ("place",)

    def __init__(self, place: str) -> None:
        self.place = place


# -- validation -----------------------------------------------------------------------------------


def check_keys(assessment: Assessment, criteria: Criteria) -> None:
    """Every measure given at either visit must belong to the criteria set."""
    others = _other_keys(criteria)
    for visit_name, visit in (("baseline", assessment.baseline), ("followup", assessment.followup)):
        for key in others:  # in the order Visit.given() lists them
            value = getattr(visit, key)
            if value is not None and (key != "enzymes" or value):
                allowed = {"enzymes" if key == "enzyme" else key for key in criteria.keys}
                raise UnknownFieldError(
                    f"{key!r} is not a measure of the {criteria.name}; allowed: "
                    f"{', '.join(sorted(allowed))}",
                    field=f"{visit_name}.{key}",
                    value=value,
                )


def _other_keys(criteria: Criteria) -> tuple[str, ...]:
    """The :class:`Visit` measures that ``criteria`` lacks, as ``Visit.given()`` orders them."""
    known = _OTHER_KEYS.get(criteria.name)
    if known is None or known[0] is not criteria:
        own = {"enzymes" if key == "enzyme" else key for key in criteria.keys}
        others = [key for key in MEASURE_KEYS if key != "enzymes" and key not in own]
        others += [] if "enzymes" in own else ["enzymes"]
        known = _OTHER_KEYS[criteria.name] = (criteria, tuple(others))
    return known[1]


_OTHER_KEYS: dict[str, tuple[Criteria, tuple[str, ...]]] = {}


def apply_missing_policy(
    criteria: Criteria, options: Options, missing_at: Mapping[str, str]
) -> None:
    """Raise for the missing measures (``missing_at``: key -> field) the policy does not allow."""
    if not missing_at:
        return
    places = list(missing_at.values())
    if options.missing is MissingPolicy.ERROR:
        also = f" (all missing: {', '.join(places)})" if len(places) > 1 else ""
        raise MissingMeasureError(
            f"is missing{also}; all six core set measures are required under "
            "missing='error'; pass missing='zero' to score a missing measure as 0 points",
            field=places[0],
        )
    for key in criteria.required:
        if key in missing_at:
            raise MissingMeasureError(
                f"is required even under missing='zero' (required: {', '.join(criteria.required)})",
                field=missing_at[key],
            )


def _in_scale(
    values: tuple[Fraction | None, Fraction | None],
    lo: Fraction,
    hi: Fraction,
    key: str,
    scale: str,
) -> None:
    """The baseline and follow-up values (where given) lie in ``lo … hi``, compared in integers."""
    lo_n, lo_d = lo.as_integer_ratio()
    hi_n, hi_d = hi.as_integer_ratio()
    for value, visit in ((values[0], "baseline"), (values[1], "followup")):
        if value is None:
            continue
        n, d = value.as_integer_ratio()
        if lo_n * d > n * lo_d or n * hi_d > hi_n * d:
            raise InvalidValueError(
                f"{_show(value)} is outside the scale {_show(lo)} to {_show(hi)} ({scale})",
                field=f"{visit}.{key}",
                value=float(value),
            )


# -- measures -------------------------------------------------------------------------------------


def score_measure(assessment: Assessment, rule: MeasureRule) -> MeasureScore | Missing:
    """Score one non-enzyme measure: both values in scale, then the band of their change."""
    b = getattr(assessment.baseline, rule.key)
    f = getattr(assessment.followup, rule.key)
    if b is None and f is None:
        return Missing(f"baseline.{rule.key}")
    lo, hi, scale = measure_scale(assessment, rule)
    if b is not None and f is not None:
        return _scored_in_scale(rule, b, f, lo, hi, scale, assessment.options)
    _in_scale((b, f), lo, hi, rule.key, scale)
    if b is None:
        raise MissingMeasureError(
            f"missing while followup.{rule.key} is given; a change needs a baseline value",
            field=f"baseline.{rule.key}",
        )
    if f is None:
        return Missing(f"followup.{rule.key}")
    change = absolute_percent_change(b, f, lo, hi, rule.better)
    return _scored(rule, b, f, change, assessment.options)


def measure_scale(assessment: Assessment, rule: MeasureRule) -> tuple[Fraction, Fraction, str]:
    """The ``(lo, hi)`` range a measure is recorded on, and the field that sets it."""
    scales = assessment.scales
    if rule.scale == "global":
        return _ZERO, scales.global_max, "scales.global_max"
    if rule.scale == "mmt":
        return _ZERO, mmt_max(assessment), "scales.mmt_max"
    if rule.scale == "chq_phs":
        if scales.chq_phs_range is None:
            raise MissingMeasureError(
                "is required when chq_phs is given: the [lo, hi] range of the CHQ physical "
                "summary score in use",
                field="scales.chq_phs_range",
            )
        lo, hi = scales.chq_phs_range
        return lo, hi, "scales.chq_phs_range"
    lo, hi = FIXED_SCALES[rule.scale]
    return lo, hi, f"{rule.key} {_FIXED_TEXT[rule.scale]}"


def mmt_max(assessment: Assessment) -> Fraction:
    """The MMT maximum: from the scales, else from the MMT-8 sheets; they must agree."""
    stated = assessment.scales.mmt_max
    sheets = [
        (name, visit.mmt8)
        for name, visit in (("baseline", assessment.baseline), ("followup", assessment.followup))
        if visit.mmt8 is not None
    ]
    for name, sheet in sheets:
        if stated is not None and sheet.maximum != stated:
            raise InvalidValueError(
                f"is scored on the {sheet.protocol.value} protocol (0 to "
                f"{_show(sheet.maximum)}) but scales.mmt_max is {_show(stated)}",
                field=f"{name}.mmt8",
                value=sheet.protocol.value,
            )
    if stated is not None:
        return stated
    if len({sheet.maximum for _, sheet in sheets}) > 1:
        raise InvalidValueError(
            "is scored on another MMT-8 protocol than baseline.mmt8; both visits must use "
            "one protocol",
            field="followup.mmt8",
        )
    if sheets:
        return sheets[0][1].maximum
    raise MissingMeasureError(
        "is required when MMT is given: the maximum possible MMT score of the "
        "protocol (80 for MMT-8 one side, 150 bilateral, 260 for MMT-24)",
        field="scales.mmt_max",
    )


def _scored_in_scale(
    rule: MeasureRule,
    b: Fraction,
    f: Fraction,
    lo: Fraction,
    hi: Fraction,
    scale: str,
    options: Options,
) -> MeasureScore:
    """Score a measure given at both visits: :func:`_in_scale`, :func:`absolute_percent_change`
    and the band of :func:`_scored`, with each value's integers read once."""
    b_n, b_d = b.as_integer_ratio()
    f_n, f_d = f.as_integer_ratio()
    hi_n, hi_d = hi.as_integer_ratio()
    if lo is _ZERO:
        span_n, span_d = hi_n, hi_d
        outside = b_n < 0 or f_n < 0
    else:
        lo_n, lo_d = lo.as_integer_ratio()
        span_n, span_d = (hi - lo).as_integer_ratio()
        outside = lo_n * b_d > b_n * lo_d or lo_n * f_d > f_n * lo_d
    if outside or b_n * hi_d > hi_n * b_d or f_n * hi_d > hi_n * f_d:
        _in_scale((b, f), lo, hi, rule.key, scale)  # raises, naming the visit
    number, denominator = _percent_ratio(b_n, b_d, f_n, f_d, span_n, span_d, rule.better)
    band = rule.band_of_ratio(number, denominator, options.band_edges)
    sign = (number > 0) - (number < 0)
    points = rule.points
    return MeasureScore(
        rule.key,
        b,
        f,
        Fraction(number, denominator),
        _DIRECTIONS[sign],
        band,
        points[band],
        points[-1],  # rule.max_points
    )


def _scored(
    rule: MeasureRule, b: Fraction, f: Fraction, change: Fraction, options: Options
) -> MeasureScore:
    band = rule.band(change, options.band_edges)
    sign = change.numerator
    points = rule.points
    return MeasureScore(
        rule.key,
        b,
        f,
        change,
        _DIRECTIONS[(sign > 0) - (sign < 0)],
        band,
        points[band],
        points[-1],  # rule.max_points
    )


def _unscored(rule: MeasureRule) -> MeasureScore:
    return MeasureScore(
        measure=rule.key,
        baseline=None,
        followup=None,
        absolute_percent_change=None,
        direction=None,
        band=None,
        points=Fraction(0),
        max_points=rule.max_points,
    )


# -- the enzyme -----------------------------------------------------------------------------------


def follow_enzyme(
    assessment: Assessment, rule: MeasureRule
) -> tuple[MeasureScore | Missing, EnzymeUsed | None]:
    """Score the enzyme row: choose the enzyme to follow, then the change of its values."""
    before, after = _enzyme_values(assessment)
    chosen, selection = _choose_enzyme(assessment, before)
    if chosen is None:
        return Missing(selection), None
    scales, options = assessment.scales, assessment.options
    uln = scales.enzyme_uln[chosen]
    multiple = (
        options.enzyme_range_multiples[chosen] if options.enzyme_rule is EnzymeRule.RANGE else None
    )
    used = EnzymeUsed(chosen, uln, scales.enzyme_unit, options.enzyme_rule, multiple, selection)
    b, f = before[chosen], after.get(chosen)
    if f is None:
        return Missing(f"followup.enzymes.{chosen.value}"), used
    change = _enzyme_change(b, f, uln, multiple, chosen, rule)
    return _scored(rule, b, f, change, options), used


def _enzyme_values(assessment: Assessment) -> tuple[dict[Enzyme, Fraction], dict[Enzyme, Fraction]]:
    """Both visits' panels in the unit of the ULNs; a follow-up value needs its baseline."""
    unit = assessment.scales.enzyme_unit
    before, after = (
        dict(visit.enzymes)
        if visit.enzyme_unit in (None, unit)
        else {name: visit.enzyme_unit.to(unit, value) for name, value in visit.enzymes.items()}
        for visit in (assessment.baseline, assessment.followup)
    )
    for name in after:
        if name not in before:
            raise MissingMeasureError(
                f"missing while followup.enzymes.{name.value} is given; a change needs a "
                "baseline value",
                field=f"baseline.enzymes.{name.value}",
            )
    return before, after


def _choose_enzyme(
    assessment: Assessment, before: Mapping[Enzyme, Fraction]
) -> tuple[Enzyme | None, str]:
    """The enzyme followed and how it was chosen; ``(None, missing field)`` when there is none."""
    scales = assessment.scales
    wanted = [scales.enzyme] if scales.enzyme is not None else list(before)
    for name in wanted:
        if name not in scales.enzyme_uln:
            raise MissingMeasureError(
                f"no upper limit of normal for {name.value}; every scored enzyme needs its ULN",
                field=f"scales.enzyme_uln.{name.value}",
            )
    if not before:
        return None, "baseline.enzymes"
    if scales.enzyme is not None:
        if scales.enzyme not in before:
            return None, f"baseline.enzymes.{scales.enzyme.value}"
        return scales.enzyme, "pinned"
    return most_abnormal(before, scales.enzyme_uln), "most abnormal at baseline"


def _enzyme_change(
    b: Fraction,
    f: Fraction,
    uln: Fraction,
    multiple: Fraction | None,
    chosen: Enzyme,
    rule: MeasureRule,
) -> Fraction:
    """The enzyme's percent change: over ``0 … k × ULN`` (range rule) or relative to baseline.

    The enzyme is the one measure without a top to its scale, so its change can exceed what a
    result reports (a float64); the value that made it so is named.
    """
    if multiple is not None:
        change = _percent(
            b,
            f,
            multiple.numerator * uln.numerator,
            multiple.denominator * uln.denominator,
            rule.better,
        )
        if _reportable(change):
            return change
        if multiple != DEFAULT_RANGE_MULTIPLES[chosen]:
            where, value = f"options.enzyme_range_multiples.{chosen.value}", multiple
        else:
            where, value = f"scales.enzyme_uln.{chosen.value}", uln
        raise InvalidValueError(
            f"{_show(value)} makes the range 0 to {_show(multiple)} × ULN {_show(uln)} so narrow "
            f"that the change from {_show(b)} to {_show(f)} is {_TOO_LARGE}",
            field=where,
            value=float(value),
        )
    if b == 0:
        raise InvalidValueError(
            "is 0; the relative enzyme rule divides by the baseline value; use enzyme_rule='range'",
            field=f"baseline.enzymes.{chosen.value}",
            value=0,
        )
    change = _HUNDRED * (b - f) / b
    if not _reportable(change):
        raise InvalidValueError(
            f"{_show(b)} is so small that the relative change to {_show(f)} is {_TOO_LARGE}; "
            "use enzyme_rule='range'",
            field=f"baseline.enzymes.{chosen.value}",
            value=float(b),
        )
    return change


def _reportable(change: Fraction) -> bool:
    """``|change|`` is at most the largest float64 (a quick test on sizes first)."""
    number, denominator = change.as_integer_ratio()
    return number.bit_length() - denominator.bit_length() < 1023 or abs(change) <= LARGEST


_TOO_LARGE = f"beyond the largest percentage a result can report ({float(LARGEST)!r} %)"


def _show(value: Fraction) -> str:
    """A value as a person writes it: 10, 2.5, 1/3 when it has no short decimal, or about 1e-310."""
    if value.denominator == 1:
        text = str(value.numerator)
    else:
        as_float = float(value)
        text = repr(as_float) if Fraction(repr(as_float)) == value else str(value)
    if len(text) <= 40:
        return text
    return f"about {Decimal(value.numerator) / Decimal(value.denominator):.6g}"


# "0 to 3": the fixed scales as messages name them
_FIXED_TEXT = {scale: f"{_show(lo)} to {_show(hi)}" for scale, (lo, hi) in FIXED_SCALES.items()}
