"""The Stanford disability-index scoring shared by the HAQ-DI and the CHAQ.

Both questionnaires group items into eight categories answered 0-3 (0 without any difficulty,
1 with some difficulty, 2 with much difficulty, 3 unable to do). A category's score is its highest
answered item; use of an aid or device, or help from another person, in a category raises a score
of 0 or 1 to 2 (2 and 3 stay). The index is the mean of the answered categories and needs at least
six of them. The CHAQ adds a "not applicable" answer, which counts as unanswered.

The questionnaires themselves (categories, items, minimum) are data:
:mod:`myoresponse.instruments.haq` and
:mod:`myoresponse.instruments.chaq` each define one :class:`Questionnaire` and a thin answers class.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Any, ClassVar, TypeVar

from attrs import field, frozen

from myoresponse._exact import exact
from myoresponse._shapes import as_object, json_type, normalise_name, only_keys
from myoresponse.errors import (
    InputFormatError,
    InvalidValueError,
    NotComputableError,
    UnknownFieldError,
)

__all__ = [
    "NOT_APPLICABLE",
    "Answer",
    "Answers",
    "Category",
    "DisabilityIndex",
    "Item",
    "NotApplicable",
    "Questionnaire",
]

ITEM_MIN = 0
ITEM_MAX = 3
RAISED_TO = 2
"""The score a category of 0 or 1 is raised to when an aid, device or help is used."""

_SCALE = (
    "0 (without any difficulty), 1 (with some difficulty), 2 (with much difficulty), "
    "3 (unable to do)"
)


class NotApplicable(enum.Enum):
    """The CHAQ's "not applicable" answer (an activity the child is too young for)."""

    NOT_APPLICABLE = "not applicable"

    def __repr__(self) -> str:
        return "NOT_APPLICABLE"


NOT_APPLICABLE = NotApplicable.NOT_APPLICABLE
_NA_SPELLINGS = frozenset({"na", "n/a", "not applicable", "not_applicable"})

Answer = int | NotApplicable | None
"""One item's answer: 0-3, not applicable (CHAQ only) or ``None`` (unanswered)."""


@frozen
class Item:
    """A questionnaire item: its key in documents and its wording ("Are you able to …")."""

    key: str
    text: str


@frozen
class Category:
    """A category (area, domain) of the questionnaire and its items."""

    key: str
    label: str
    items: tuple[Item, ...]


@frozen
class Questionnaire:
    """A Stanford-scored disability questionnaire as data."""

    name: str
    categories: tuple[Category, ...]
    not_applicable: bool
    min_answered: int = 6
    category_aliases: Mapping[str, str] = field(factory=dict, hash=False)

    @property
    def item_keys(self) -> tuple[str, ...]:
        """Every item key, category by category."""
        return tuple(item.key for category in self.categories for item in category.items)

    @property
    def category_keys(self) -> tuple[str, ...]:
        """Every category key, in questionnaire order."""
        return tuple(category.key for category in self.categories)

    def category(self, value: object, field: str) -> str:
        """The key of the category ``value`` names; :class:`UnknownFieldError` otherwise."""
        if isinstance(value, str):
            name = normalise_name(value)
            name = self.category_aliases.get(name, name)
            if name in self.category_keys:
                return name
        raise UnknownFieldError(
            f"{value!r} is not a {self.name} category; allowed: {', '.join(self.category_keys)}",
            field=field,
            value=value,
        )


def _answer(questionnaire: Questionnaire, value: Any, field: str) -> Answer:
    if value is None or value is NOT_APPLICABLE:
        if value is NOT_APPLICABLE and not questionnaire.not_applicable:
            raise InvalidValueError(
                f"the {questionnaire.name} has no 'not applicable' answer; allowed: {_SCALE}",
                field=field,
                value=value,
            )
        return value
    if isinstance(value, str):
        if value.strip().lower() in _NA_SPELLINGS:
            return _answer(questionnaire, NOT_APPLICABLE, field)
        extra = ", or 'na' (not applicable)" if questionnaire.not_applicable else ""
        raise InvalidValueError(
            f"{value!r} is not an answer; allowed: {_SCALE}{extra}", field=field, value=value
        )
    number = exact(value, field)
    if number.denominator != 1 or not ITEM_MIN <= number <= ITEM_MAX:
        raise InvalidValueError(
            f"{value!r} is out of scale; {questionnaire.name} answers are {_SCALE}",
            field=field,
            value=value,
        )
    return int(number)


def _items(questionnaire: Questionnaire, raw: Any) -> dict[str, Answer]:
    if raw is None:
        raw = {}
    obj = as_object(raw, "items")
    answers: dict[str, Answer] = dict.fromkeys(questionnaire.item_keys)
    spelled: dict[str, str] = {}
    for key, value in obj.items():
        name = normalise_name(key) if isinstance(key, str) else key
        if name not in answers:
            raise UnknownFieldError(
                f"{key!r} is not a {questionnaire.name} item; allowed: "
                f"{', '.join(questionnaire.item_keys)}",
                field=f"items.{key}",
                value=key,
            )
        if name in spelled:
            raise InvalidValueError(
                f"item {name!r} is given twice (as {spelled[name]!r} and {key!r})",
                field=f"items.{key}",
                value=key,
            )
        spelled[name] = key
        answers[name] = _answer(questionnaire, value, f"items.{key}")
    return answers


def _flags(questionnaire: Questionnaire, raw: Any, name: str) -> frozenset[str]:
    """Categories ticked for aids/devices or help: a list of names, or name → true/false."""
    if raw is None:
        return frozenset()
    chosen: set[str] = set()
    if isinstance(raw, Mapping):
        for key, ticked in raw.items():
            category = questionnaire.category(key, f"{name}.{key}")
            if not isinstance(ticked, bool):
                raise InvalidValueError(
                    f"{ticked!r} must be true or false", field=f"{name}.{key}", value=ticked
                )
            if ticked:
                chosen.add(category)
        return frozenset(chosen)
    if isinstance(raw, (str, bytes)) or not isinstance(raw, Iterable):
        raise InputFormatError(
            f"must be a list of category names (or an object of name → true/false), "
            f"got {json_type(raw)}",
            field=name,
            value=raw,
        )
    for index, key in enumerate(raw):
        chosen.add(questionnaire.category(key, f"{name}[{index}]"))
    return frozenset(chosen)


def _read_only(mapping: Mapping[str, int | None]) -> Mapping[str, int | None]:
    return MappingProxyType(dict(mapping))


@frozen
class DisabilityIndex:
    """A scored HAQ-DI or CHAQ.

    ``index`` is the exact mean of the answered categories (0-3). ``categories`` gives each
    category's score after the aid/help rule (``None`` when unanswered); ``raised`` lists the
    categories the rule raised to 2; ``answered`` counts the answered categories.
    """

    instrument: str
    index: Fraction
    categories: Mapping[str, int | None] = field(hash=False, converter=_read_only)
    answered: int
    raised: tuple[str, ...]

    def __reduce__(self) -> tuple[Any, ...]:  # picklable (multiprocessing) despite the proxy
        return (
            type(self),
            (self.instrument, self.index, dict(self.categories), self.answered, self.raised),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``{"instrument", "index", "answered", "categories", "raised"}``."""
        index = self.index
        return {
            "instrument": self.instrument,
            "index": index.numerator if index.denominator == 1 else float(index),
            "answered": self.answered,
            "categories": dict(self.categories),
            "raised": list(self.raised),
        }


def score(
    questionnaire: Questionnaire,
    items: Mapping[str, Answer],
    aids: frozenset[str],
    helped: frozenset[str],
) -> DisabilityIndex:
    """Stanford scoring of validated answers (see the module docstring)."""
    scores: dict[str, int | None] = {}
    raised: list[str] = []
    for category in questionnaire.categories:
        answered = [
            answer
            for answer in (items[item.key] for item in category.items)
            if isinstance(answer, int)
        ]
        if not answered:
            scores[category.key] = None
            continue
        value = max(answered)
        if value < RAISED_TO and (category.key in aids or category.key in helped):
            value = RAISED_TO
            raised.append(category.key)
        scores[category.key] = value
    given = [value for value in scores.values() if value is not None]
    if len(given) < questionnaire.min_answered:
        unanswered = [key for key, value in scores.items() if value is None]
        raise NotComputableError(
            f"{len(given)} of {len(scores)} categories answered (unanswered: "
            f"{', '.join(unanswered)}); the {questionnaire.name} needs at least "
            f"{questionnaire.min_answered} answered categories",
            field="items",
            value=len(given),
        )
    return DisabilityIndex(
        instrument=questionnaire.name,
        index=Fraction(sum(given), len(given)),
        categories=scores,
        answered=len(given),
        raised=tuple(raised),
    )


A = TypeVar("A", bound="Answers")


@frozen(init=False)
class Answers:
    """Base of the questionnaire answer classes: items, aids/devices and help, validated.

    ``items`` maps item keys to answers (absent or ``None``: unanswered); ``aids`` and ``help``
    name the categories in which an aid or device, or help from another person, is used.
    After construction ``items`` holds every item of the questionnaire, in order.
    """

    questionnaire: ClassVar[Questionnaire]

    items: Mapping[str, Answer] = field(hash=False)
    aids: frozenset[str]
    help: frozenset[str]

    def __init__(
        self,
        items: Mapping[str, Any] | None = None,
        *,
        aids: Iterable[str] | Mapping[str, bool] | None = None,
        help: Iterable[str] | Mapping[str, bool] | None = None,
    ) -> None:
        q = self.questionnaire
        self.__attrs_init__(
            MappingProxyType(_items(q, items)), _flags(q, aids, "aids"), _flags(q, help, "help")
        )

    @classmethod
    def from_mapping(cls: type[A], data: Any) -> A:
        """Read the JSON shape ``{"items": {...}, "aids": [...], "help": [...]}``."""
        obj = as_object(data, None)
        only_keys(obj, ("items", "aids", "help"))
        return cls(obj.get("items"), aids=obj.get("aids"), help=obj.get("help"))

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape; "not applicable" answers are written ``"na"``."""
        order = self.questionnaire.category_keys
        return {
            "items": {
                key: "na" if answer is NOT_APPLICABLE else answer
                for key, answer in self.items.items()
            },
            "aids": [key for key in order if key in self.aids],
            "help": [key for key in order if key in self.help],
        }

    def __reduce__(self) -> tuple[Any, ...]:  # picklable (multiprocessing) despite the proxy
        return (_rebuild_answers, (type(self), dict(self.items), self.aids, self.help))

    def score(self) -> DisabilityIndex:
        """The disability index; :class:`NotComputableError` below the answered minimum."""
        return score(self.questionnaire, self.items, self.aids, self.help)


def _rebuild_answers(
    cls: type[Answers], items: dict[str, Answer], aids: frozenset[str], helped: frozenset[str]
) -> Answers:
    return cls(items, aids=aids, help=helped)
