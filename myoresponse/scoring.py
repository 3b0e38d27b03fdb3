"""The scoring engine: validated visits → absolute percent changes → level points → TIS → category.

One engine reads the criteria tables of :mod:`myoresponse.criteria`; every step is exact rational
arithmetic, so a change of exactly 15 % is 15 % and lands in the band the printed table says.
"""

from __future__ import annotations

from fractions import Fraction

from attrs import field, frozen

from myoresponse._names import choice
from myoresponse.criteria import (
    FIXED_SCALES,
    Better,
    CoreSet,
    Criteria,
    MeasureRule,
    Population,
    criteria_for,
)
from myoresponse.enzymes import Enzyme, most_abnormal
from myoresponse.errors import (
    InputFormatError,
    InvalidValueError,
    MissingMeasureError,
    UnknownFieldError,
)
from myoresponse.measures import Scales, Visit
from myoresponse.options import EnzymeRule, MissingPolicy, Options
from myoresponse.result import Direction, EnzymeUsed, MeasureScore, Result
from myoresponse.subtypes import Subtype, emit, optional_subtype, subtype_warnings

__all__ = ["Assessment", "absolute_percent_change", "score"]

_HUNDRED = Fraction(100)

# Fixed scales of the instruments (lo, hi); the others come from the assessment's Scales.
_FIXED_SCALES = FIXED_SCALES


def absolute_percent_change(
    baseline: Fraction, followup: Fraction, lo: Fraction, hi: Fraction, better: Better
) -> Fraction:
    """``100 × improvement / (hi − lo)``: positive when the measure improved, negative if worse."""
    improvement = baseline - followup if better is Better.LOWER else followup - baseline
    return _HUNDRED * improvement / (hi - lo)


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


@frozen
class Assessment:
    """Everything needed to score one follow-up visit against baseline.

    Mirrors the assessment object of the JSON interface; :func:`score` is the usual entry point.
    ``subtype`` (optional) is the patient's myositis subtype: outside adult DM/PM and JDM the result
    carries a warning and an :class:`~myoresponse.errors.UnvalidatedSubtypeWarning` is emitted.
    """

    population: Population = field(converter=_population)
    baseline: Visit = field(validator=lambda _s, a, v: _is(Visit, a.name, v))
    followup: Visit = field(validator=lambda _s, a, v: _is(Visit, a.name, v))
    scales: Scales = field(factory=Scales, validator=lambda _s, a, v: _is(Scales, a.name, v))
    options: Options = field(factory=Options, validator=lambda _s, a, v: _is(Options, a.name, v))
    core_set: CoreSet = field(default=CoreSet.IMACS, converter=_core_set)
    subtype: Subtype | None = field(default=None, converter=optional_subtype)

    @property
    def criteria(self) -> Criteria:
        """The criteria set this assessment is scored with."""
        return criteria_for(self.population, self.core_set)

    def score(self) -> Result:
        """Score this assessment; see :func:`score`."""
        result = _Scorer(self).run()
        emit(result.warnings, stacklevel=2)
        return result


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
        scales=Scales() if scales is None else scales,
        options=Options() if options is None else options,
        core_set=core_set,
        subtype=subtype,
    )
    result = _Scorer(assessment).run()
    emit(result.warnings, stacklevel=2)
    return result


class _Scorer:
    """One scoring run: walks the criteria's measures in table order."""

    def __init__(self, assessment: Assessment) -> None:
        self.a = assessment
        self.criteria = assessment.criteria
        self.missing_at: dict[str, str] = {}  # measure key -> field that is missing
        self.enzyme: EnzymeUsed | None = None

    def run(self) -> Result:
        self._check_keys()
        scores = tuple(self._measure(rule) for rule in self.criteria.measures)
        self._apply_missing_policy()
        total = sum((s.points for s in scores), Fraction(0))
        return Result(
            criteria=self.criteria,
            total_improvement_score=total,
            category=self.criteria.category(total),
            measures=scores,
            enzyme=self.enzyme,
            options=self.a.options,
            prednisone_equivalent_mg_per_day=(
                self.a.baseline.prednisone_equivalent_mg_per_day,
                self.a.followup.prednisone_equivalent_mg_per_day,
            ),
            warnings=subtype_warnings(self.a.population, self.a.subtype),
        )

    # -- validation -------------------------------------------------------------------------

    def _check_keys(self) -> None:
        allowed = {"enzymes" if key == "enzyme" else key for key in self.criteria.keys}
        for visit_name, visit in (("baseline", self.a.baseline), ("followup", self.a.followup)):
            for key in visit.given():
                if key not in allowed:
                    listed = ", ".join(sorted(allowed))
                    raise UnknownFieldError(
                        f"{key!r} is not a measure of the {self.criteria.name}; allowed: {listed}",
                        field=f"{visit_name}.{key}",
                        value=getattr(visit, key),
                    )

    def _apply_missing_policy(self) -> None:
        if not self.missing_at:
            return
        places = list(self.missing_at.values())
        if self.a.options.missing is MissingPolicy.ERROR:
            also = f" (all missing: {', '.join(places)})" if len(places) > 1 else ""
            raise MissingMeasureError(
                f"is missing{also}; all six core set measures are required under "
                "missing='error'; pass missing='zero' to score a missing measure as 0 points",
                field=places[0],
            )
        for key in self.criteria.required:
            if key in self.missing_at:
                raise MissingMeasureError(
                    f"is required even under missing='zero' (required: "
                    f"{', '.join(self.criteria.required)})",
                    field=self.missing_at[key],
                )

    def _in_scale(
        self, value: Fraction, lo: Fraction, hi: Fraction, where: str, scale: str
    ) -> None:
        if not lo <= value <= hi:
            raise InvalidValueError(
                f"{_show(value)} is outside the scale {_show(lo)} to {_show(hi)} ({scale})",
                field=where,
                value=float(value),
            )

    # -- measures ---------------------------------------------------------------------------

    def _measure(self, rule: MeasureRule) -> MeasureScore:
        if rule.scale == "enzyme":
            return self._enzyme(rule)
        b = getattr(self.a.baseline, rule.key)
        f = getattr(self.a.followup, rule.key)
        if b is None and f is None:
            return self._missing(rule, f"baseline.{rule.key}")
        lo, hi, scale = self._scale(rule)
        for value, visit in ((b, "baseline"), (f, "followup")):
            if value is not None:
                self._in_scale(value, lo, hi, f"{visit}.{rule.key}", scale)
        if b is None:
            raise MissingMeasureError(
                f"missing while followup.{rule.key} is given; a change needs a baseline value",
                field=f"baseline.{rule.key}",
            )
        if f is None:
            return self._missing(rule, f"followup.{rule.key}")
        return self._scored(rule, b, f, absolute_percent_change(b, f, lo, hi, rule.better))

    def _scale(self, rule: MeasureRule) -> tuple[Fraction, Fraction, str]:
        scales = self.a.scales
        if rule.scale == "global":
            return Fraction(0), scales.global_max, "scales.global_max"
        if rule.scale == "mmt":
            return Fraction(0), self._mmt_max(), "scales.mmt_max"
        if rule.scale == "chq_phs":
            if scales.chq_phs_range is None:
                raise MissingMeasureError(
                    "is required when chq_phs is given: the [lo, hi] range of the CHQ physical "
                    "summary score in use",
                    field="scales.chq_phs_range",
                )
            lo, hi = scales.chq_phs_range
            return lo, hi, "scales.chq_phs_range"
        lo, hi = _FIXED_SCALES[rule.scale]
        return lo, hi, f"{rule.key} {_show(lo)} to {_show(hi)}"

    def _mmt_max(self) -> Fraction:
        """The MMT maximum: from the scales, else from the MMT-8 sheets; they must agree."""
        stated = self.a.scales.mmt_max
        sheets = [
            (name, visit.mmt8)
            for name, visit in (("baseline", self.a.baseline), ("followup", self.a.followup))
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

    def _scored(
        self, rule: MeasureRule, b: Fraction, f: Fraction, change: Fraction
    ) -> MeasureScore:
        band = rule.band(change, self.a.options.band_edges)
        return MeasureScore(
            measure=rule.key,
            baseline=b,
            followup=f,
            absolute_percent_change=change,
            direction=Direction.of(change),
            band=band,
            points=rule.points[band],
            max_points=rule.max_points,
        )

    def _missing(self, rule: MeasureRule, where: str) -> MeasureScore:
        self.missing_at[rule.key] = where
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

    # -- the enzyme -------------------------------------------------------------------------

    def _panel(self, visit: Visit) -> dict[Enzyme, Fraction]:
        unit = self.a.scales.enzyme_unit
        source = visit.enzyme_unit or unit
        return {name: source.to(unit, value) for name, value in visit.enzymes.items()}

    def _enzyme(self, rule: MeasureRule) -> MeasureScore:
        scales, options = self.a.scales, self.a.options
        before, after = self._panel(self.a.baseline), self._panel(self.a.followup)
        for name in after:
            if name not in before:
                raise MissingMeasureError(
                    f"missing while followup.enzymes.{name.value} is given; a change needs a "
                    "baseline value",
                    field=f"baseline.enzymes.{name.value}",
                )
        wanted = [scales.enzyme] if scales.enzyme is not None else list(before)
        for name in wanted:
            if name not in scales.enzyme_uln:
                raise MissingMeasureError(
                    f"no upper limit of normal for {name.value}; every scored enzyme needs its ULN",
                    field=f"scales.enzyme_uln.{name.value}",
                )
        if not before:
            return self._missing(rule, "baseline.enzymes")
        if scales.enzyme is not None:
            chosen, selection = scales.enzyme, "pinned"
            if chosen not in before:
                return self._missing(rule, f"baseline.enzymes.{chosen.value}")
        else:
            chosen, selection = (
                most_abnormal(before, scales.enzyme_uln),
                "most abnormal at baseline",
            )
        uln = scales.enzyme_uln[chosen]
        multiple = (
            options.enzyme_range_multiples[chosen]
            if options.enzyme_rule is EnzymeRule.RANGE
            else None
        )
        self.enzyme = EnzymeUsed(
            chosen, uln, scales.enzyme_unit, options.enzyme_rule, multiple, selection
        )
        b, f = before[chosen], after.get(chosen)
        if f is None:
            return self._missing(rule, f"followup.enzymes.{chosen.value}")
        if multiple is not None:
            change = absolute_percent_change(b, f, Fraction(0), multiple * uln, rule.better)
        elif b == 0:
            raise InvalidValueError(
                "is 0; the relative enzyme rule divides by the baseline value; use "
                "enzyme_rule='range'",
                field=f"baseline.enzymes.{chosen.value}",
                value=0,
            )
        else:
            change = _HUNDRED * (b - f) / b
        return self._scored(rule, b, f, change)


def _show(value: Fraction) -> str:
    """A value as a person writes it: 10, 2.5, or 1/3 when it has no short decimal."""
    if value.denominator == 1:
        return str(value.numerator)
    as_float = float(value)
    return repr(as_float) if Fraction(repr(as_float)) == value else str(value)
