"""The landmark responder: the ProDERM primary endpoint, read at one visit of a series.

ProDERM (Aggarwal R et al., N Engl J Med 2022;387:1264–1278; ClinicalTrials.gov NCT02728752)
defined its primary end point as "a response, defined as a Total Improvement Score (TIS) of at
least 20 (indicating at least minimal improvement) at week 16 and no confirmed deterioration up to
week 16". Here the landmark visit is named by its label (``"week 16"``) or found by day: the visit
nearest to ``day`` days after the baseline date (baseline is day 0) within ± ``window_days`` days,
both ends included. **Tie rule**: of two visits equally near, the earlier one is the landmark (it
is within the protocol's time on treatment, and the later one may already follow a change of
treatment).

The responder is met when the landmark visit's Total Improvement Score is at least the threshold
and deterioration was not confirmed at or before it (the confirming visit — the last of the
consecutive worsening visits — is the landmark or earlier). The default threshold is the criteria
set's minimal-improvement threshold: 20 for adults (ProDERM's), 30 for juvenile DM, where "at least
minimal improvement" is a TIS of 30 (Rider LG et al., Arthritis Rheumatol 2017;69:911–923).
Without a landmark visit the responder is not met and ``reason`` says why.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from attrs import field, frozen

from myoresponse._exact import exact
from myoresponse.endpoints.deterioration import json_number
from myoresponse.errors import InputFormatError, InvalidValueError

__all__ = ["TIE_RULE", "Landmark", "LandmarkResponse", "landmark_of", "landmark_response"]

TIE_RULE = "earlier"
"""Of two visits equally near the landmark day, the earlier one is the landmark visit."""

_HUNDRED = Fraction(100)


def _optional_label(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(
            f"{value!r} is not a visit label; give the label of a follow-up visit, e.g. 'week 16'",
            field="landmark",
            value=value,
        )
    return value


def _whole(value: object, name: str, least: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise InvalidValueError(
            f"{value!r} must be a whole number of days, at least {least}", field=name, value=value
        )
    return value


def _day(value: object) -> int | None:
    return _whole(value, "landmark_day", 1)


def _window(value: object) -> int | None:
    return _whole(value, "window_days", 0)


def _threshold(value: object) -> Fraction | None:
    if value is None:
        return None
    number = exact(value, "responder_threshold")
    if not 0 < number <= _HUNDRED:
        raise InvalidValueError(
            f"{value!r} is not a Total Improvement Score threshold; give a number above 0 and at "
            "most 100",
            field="responder_threshold",
            value=value,
        )
    return number


@frozen
class Landmark:
    """Where the landmark responder is read: a visit ``label``, or a ``day`` with a window.

    ``threshold`` is the lowest Total Improvement Score of a responder; ``None`` means the criteria
    set's minimal-improvement threshold (20 adult, 30 juvenile).
    """

    label: str | None = field(default=None, converter=_optional_label)
    day: int | None = field(default=None, converter=_day)
    window_days: int | None = field(default=None, converter=_window)
    threshold: Fraction | None = field(default=None, converter=_threshold)

    def __attrs_post_init__(self) -> None:
        if self.label is None and self.day is None:
            raise InvalidValueError(
                "is required: a visit label (landmark) or a day after baseline (landmark_day)",
                field="landmark",
            )
        if self.label is not None and self.day is not None:
            raise InvalidValueError(
                "give either a visit label (landmark) or a day (landmark_day), not both",
                field="landmark_day",
                value=self.day,
            )
        if self.day is not None and self.window_days is None:
            raise InvalidValueError(
                "is required with landmark_day: the visit window in days either side (e.g. 14); "
                "trial protocols state it and there is no published default",
                field="window_days",
            )
        if self.label is not None and self.window_days is not None:
            raise InvalidValueError(
                "applies only to a landmark by day (landmark_day), not to a visit label",
                field="window_days",
                value=self.window_days,
            )

    def to_dict(self) -> dict[str, Any]:
        """``{"landmark", "landmark_day", "window_days"}``: the landmark as the JSON gives it."""
        return {"landmark": self.label, "landmark_day": self.day, "window_days": self.window_days}


def landmark_of(
    landmark: Landmark | str | None = None,
    *,
    landmark_day: int | None = None,
    window_days: int | None = None,
    responder_threshold: Any = None,
) -> Landmark | None:
    """The :class:`Landmark` that the keywords of :func:`~myoresponse.score_series` describe.

    ``None`` when none of them is given (no landmark responder is evaluated).
    """
    others = (landmark_day, window_days, responder_threshold)
    if isinstance(landmark, Landmark):
        if any(value is not None for value in others):
            raise InputFormatError(
                "give either a Landmark or landmark_day/window_days/responder_threshold, not both",
                field="landmark",
            )
        return landmark
    if landmark is None and all(value is None for value in others):
        return None
    return Landmark(landmark, landmark_day, window_days, responder_threshold)


@frozen
class LandmarkResponse:
    """The landmark responder of a series.

    ``visit`` is the landmark visit's label (``None`` when there is none, with ``reason`` saying
    why); ``deterioration_confirmed_by_landmark`` is ``None`` where confirmed deterioration is not
    evaluated (PRINTO core set) or there is no landmark visit.
    """

    landmark: Landmark
    visit: str | None
    threshold: Fraction
    total_improvement_score: Fraction | None
    met: bool
    deterioration_confirmed_by_landmark: bool | None
    reason: str | None

    def to_dict(self) -> dict[str, Any]:
        """The ``endpoints.landmark_response`` object."""
        tis = self.total_improvement_score
        return {
            **self.landmark.to_dict(),
            "visit": self.visit,
            "threshold": json_number(self.threshold),
            "total_improvement_score": None if tis is None else float(tis),
            "met": self.met,
            "deterioration_confirmed_by_landmark": self.deterioration_confirmed_by_landmark,
            "reason": self.reason,
        }


def landmark_response(
    landmark: Landmark,
    *,
    labels: Sequence[str],
    dates: Sequence[datetime.date | None],
    baseline_date: datetime.date | None,
    scores: Sequence[Fraction],
    confirmed_at: int | None,
    evaluated: bool,
    minimal: Fraction,
) -> LandmarkResponse:
    """The landmark responder over follow-up visits given by ``labels``, ``dates`` and ``scores``.

    ``confirmed_at`` is the index of the visit that first confirmed deterioration (``None`` if
    none did); ``evaluated`` is False where confirmed deterioration is not defined; ``minimal`` is
    the criteria set's minimal threshold, the default of ``landmark.threshold``. A landmark by day
    needs the baseline date and every visit's date.
    """
    threshold = minimal if landmark.threshold is None else landmark.threshold
    index, reason = _find(landmark, labels, dates, baseline_date)
    if index is None:
        return LandmarkResponse(landmark, None, threshold, None, False, None, reason)
    confirmed = (confirmed_at is not None and confirmed_at <= index) if evaluated else None
    score = scores[index]
    met = score >= threshold and not confirmed
    return LandmarkResponse(landmark, labels[index], threshold, score, met, confirmed, None)


def _find(
    landmark: Landmark,
    labels: Sequence[str],
    dates: Sequence[datetime.date | None],
    baseline_date: datetime.date | None,
) -> tuple[int | None, str | None]:
    """The index of the landmark visit, or ``None`` and the reason there is none."""
    if landmark.label is not None:
        if landmark.label in labels:
            return labels.index(landmark.label), None
        return None, f"no follow-up visit is labelled {landmark.label!r}"
    day, window = landmark.day, landmark.window_days
    assert day is not None and window is not None  # a Landmark has a label or a day and window
    if baseline_date is None:
        raise InvalidValueError(
            f"is required to find the visit nearest day {day} after baseline (landmark_day)",
            field="baseline.date",
        )
    best: tuple[int, int] | None = None  # (distance, index); the earlier visit wins a tie
    for index, date in enumerate(dates):
        if date is None:
            raise InvalidValueError(
                f"is required to find the visit nearest day {day} after baseline (landmark_day)",
                field=f"visits[{index}].date",
            )
        distance = abs((date - baseline_date).days - day)
        if distance <= window and (best is None or distance < best[0]):
            best = (distance, index)
    if best is None:
        first = max(day - window, 1)
        return None, f"no visit between day {first} and day {day + window} after baseline"
    return best[1], None
