"""Which follow-up visit of each patient a case series reports.

Three rules, one per report:

- **a label** (``FollowUpChoice(label="month 6")``): the visit with that label;
- **a day** (``FollowUpChoice(day=180, window=30)``): the visit nearest to day 180 after the
  baseline, counted from the ``date`` column, among the visits within ±30 days of it (both ends
  included). When two visits are equally near (one before, one after the target day), the
  **earlier** one is taken, the tie rule of the landmark responder
  (:mod:`myoresponse.endpoints.landmark`): it is within the time on treatment, and the later one
  may already follow a change of treatment;
- **the last visit** (the default).

A patient with no visit that qualifies is not evaluable, with the reason (``no follow-up visit is
labelled 'month 6'``, ``no visit between day 150 and day 210 after baseline``, ``no follow-up
visit``, ``no baseline date``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from attrs import field, frozen

from myoresponse.errors import InvalidValueError

__all__ = ["Chosen", "FollowUpChoice"]


def _optional_day(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValueError(
            f"{value!r} must be a whole number of days, 0 or more", field="day", value=value
        )
    return value


@frozen
class Chosen:
    """The visit chosen for one patient: its position among the follow-ups, label and day."""

    index: int
    label: str
    day: int | None


@frozen
class FollowUpChoice:
    """How the follow-up visit of each patient is chosen (see the module)."""

    label: str | None = None
    day: int | None = field(default=None, converter=_optional_day)
    window: int | None = field(default=None, converter=_optional_day)

    def __attrs_post_init__(self) -> None:
        if self.label is not None and self.day is not None:
            raise InvalidValueError(
                "give a visit label or a day, not both", field="at", value=self.label
            )
        if self.day is None and self.window is not None:
            raise InvalidValueError(
                "applies only with a day (at_day)", field="window", value=self.window
            )
        if self.day is not None and self.window is None:
            raise InvalidValueError(
                "is required with a day: the visits within ±window days of it qualify",
                field="window",
            )

    def describe(self) -> str:
        """The rule in words, for the methods section."""
        if self.label is not None:
            return f"the visit labelled {self.label!r}"
        if self.day is not None:
            return (
                f"the visit nearest to day {self.day} after baseline within ±{self.window} days "
                "(of two equally near, the earlier)"
            )
        return "each patient's last visit"

    def short(self) -> str:
        """The rule in a few words, for figure titles (``"month 6"``, ``"day 180 ± 30"``)."""
        if self.label is not None:
            return self.label
        if self.day is not None:
            return f"day {self.day} ± {self.window}"
        return "last visit"

    def choose(
        self,
        labels: Sequence[str],
        dates: Sequence[datetime.date | None],
        baseline_date: datetime.date | None,
    ) -> Chosen | str:
        """The chosen visit among ``labels``/``dates`` (the follow-ups, in order), or why not."""
        if not labels:
            return "no follow-up visit"
        days = [
            None if date is None or baseline_date is None else (date - baseline_date).days
            for date in dates
        ]
        if self.label is not None:
            for index, label in enumerate(labels):
                if label == self.label:
                    return Chosen(index, label, days[index])
            return f"no follow-up visit is labelled {self.label!r}"
        if self.day is not None and self.window is not None:
            if baseline_date is None:
                return "no baseline date (the date column is needed to count days)"
            near = [
                (abs(day - self.day), index)
                for index, day in enumerate(days)
                if day is not None and abs(day - self.day) <= self.window
            ]
            if not near:
                low, high = max(self.day - self.window, 0), self.day + self.window
                return f"no visit between day {low} and day {high} after baseline"
            index = min(near)[1]  # the nearest; of two equally near, the earlier
            return Chosen(index, labels[index], days[index])
        last = len(labels) - 1
        return Chosen(last, labels[last], days[last])
