"""HAQ-DI: the Disability Index of the Stanford Health Assessment Questionnaire (adults).

Twenty items in eight categories, each answered 0 (without any difficulty), 1 (with some
difficulty), 2 (with much difficulty) or 3 (unable to do). Standard Stanford scoring, "with
aids/devices":

1. A category's score is the highest score of its answered items.
2. If an aid or device is used, or help from another person is needed, for a category, a score of
   0 or 1 is raised to 2 (a 2 or 3 stays as it is).
3. The HAQ-DI is the sum of the category scores divided by the number of categories answered,
   0-3. At least 6 of the 8 categories must be answered, otherwise the index is not computable
   (:class:`~myoresponse.errors.NotComputableError`).

A category is answered when at least one of its items is; an aid or help ticked in a category
with no answered item does not make it answered. The index is exact: a multiple of 1/8 when all
eight categories are answered (1/7 or 1/6 with one or two unanswered).

The paper form lists devices (cane, walker, built-up utensils, raised toilet seat, jar opener, …)
and help by category; record them here by the category they belong to (see the documentation
for the device → category table).

Sources: Fries JF, Spitz P, Kraines RG, Holman HR. Measurement of patient outcome in arthritis.
Arthritis Rheum 1980;23:137-145. Bruce B, Fries JF. The Stanford Health Assessment
Questionnaire: a review of its history, issues, progress, and documentation. J Rheumatol
2003;30:167-178. Bruce B, Fries JF. The Stanford Health Assessment Questionnaire: dimensions and
practical applications. Health Qual Life Outcomes 2003;1:20.

JSON shape (absent or ``null`` items are unanswered; ``aids`` and ``help`` list categories, or
map them to true/false)::

    {"items": {"dress": 1, "shampoo": 0, "stand_up": 1, "in_out_of_bed": 0, ...},
     "aids": ["walking"], "help": ["dressing"]}

:meth:`myoresponse.DisabilityIndex.to_dict` gives ``{"instrument": "HAQ-DI", "index", "answered",
"categories", "raised"}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from attrs import frozen

from myoresponse.instruments._disability_index import (
    Answers,
    Category,
    DisabilityIndex,
    Item,
    Questionnaire,
)

__all__ = ["HAQ_DI", "DisabilityIndex", "HAQAnswers", "score_haq"]

HAQ_DI = Questionnaire(
    name="HAQ-DI",
    not_applicable=False,
    min_answered=6,
    categories=(
        Category(
            "dressing",
            "dressing & grooming",
            (
                Item("dress", "Dress yourself, including tying shoelaces and doing buttons"),
                Item("shampoo", "Shampoo your hair"),
            ),
        ),
        Category(
            "arising",
            "arising",
            (
                Item("stand_up", "Stand up from a straight chair"),
                Item("in_out_of_bed", "Get in and out of bed"),
            ),
        ),
        Category(
            "eating",
            "eating",
            (
                Item("cut_meat", "Cut your meat"),
                Item("lift_cup", "Lift a full cup or glass to your mouth"),
                Item("open_milk_carton", "Open a new milk carton"),
            ),
        ),
        Category(
            "walking",
            "walking",
            (
                Item("walk_outdoors", "Walk outdoors on flat ground"),
                Item("climb_steps", "Climb up five steps"),
            ),
        ),
        Category(
            "hygiene",
            "hygiene",
            (
                Item("wash_and_dry", "Wash and dry your body"),
                Item("tub_bath", "Take a tub bath"),
                Item("toilet", "Get on and off the toilet"),
            ),
        ),
        Category(
            "reach",
            "reach",
            (
                Item(
                    "reach_overhead",
                    "Reach and get down a 5-pound object (such as a bag of sugar) from just "
                    "above your head",
                ),
                Item("pick_up_clothing", "Bend down to pick up clothing from the floor"),
            ),
        ),
        Category(
            "grip",
            "grip",
            (
                Item("open_car_doors", "Open car doors"),
                Item("open_jars", "Open jars which have been previously opened"),
                Item("turn_faucets", "Turn faucets on and off"),
            ),
        ),
        Category(
            "activities",
            "activities",
            (
                Item("errands", "Run errands and shop"),
                Item("car", "Get in and out of a car"),
                Item("chores", "Do chores such as vacuuming or yardwork"),
            ),
        ),
    ),
    category_aliases={
        "dressing_and_grooming": "dressing",
        "grooming": "dressing",
        "gripping": "grip",
        "errands_and_chores": "activities",
    },
)
"""The HAQ-DI's 8 categories and 20 items (Stanford), as data."""


@frozen(init=False)
class HAQAnswers(Answers):
    """One completed HAQ-DI: ``HAQAnswers(items, aids=[...], help=[...])``.

    ``items`` maps the item keys of :data:`myoresponse.HAQ_DI` to answers 0-3 (absent or
    ``None`` for
    unanswered); ``aids`` and ``help`` name categories (``"walking"``, ``"dressing"``, …) as a list
    or as a mapping of name → bool. Unknown items or categories and answers out of scale are
    errors naming the field (``items.dress``, ``aids[0]``).
    """

    questionnaire: ClassVar[Questionnaire] = HAQ_DI


def score_haq(data: HAQAnswers | Mapping[str, Any]) -> DisabilityIndex:
    """The HAQ-DI of answers given as :class:`HAQAnswers` or as their JSON shape.

    >>> score_haq({"items": dict.fromkeys(HAQ_DI.item_keys, 1), "help": ["walking"]}).index
    Fraction(9, 8)
    """
    answers = data if isinstance(data, HAQAnswers) else HAQAnswers.from_mapping(data)
    return answers.score()
