"""CHAQ: the Disability Index of the Childhood Health Assessment Questionnaire (JDM).

The childhood adaptation of the Stanford HAQ: 30 items in the same eight areas, answered by the
parent (or by the child when old enough) 0 (without any difficulty), 1 (with some difficulty),
2 (with much difficulty), 3 (unable to do) or "not applicable" — for activities the child is too
young to do. Scoring is the HAQ-DI's:

1. An area's score is the highest score of its answered items; "not applicable" answers are
   excluded, as are unanswered items. An area whose items are all excluded is unanswered.
2. If an aid or device is used, or help from another person is needed, for an area, a score of 0
   or 1 is raised to 2 (a 2 or 3 stays as it is).
3. The CHAQ disability index is the mean of the answered areas, 0-3, and needs at least 6 of the
   8 areas answered, otherwise it is not computable
   (:class:`~myoresponse.errors.NotComputableError`).

Sources: Singh G, Athreya BH, Fries JF, Goldsmith DP. Measurement of health status in children
with juvenile rheumatoid arthritis. Arthritis Rheum 1994;37:1761-1769. The scoring rules are those
of the Stanford HAQ (Bruce B, Fries JF. J Rheumatol 2003;30:167-178).

JSON shape (absent or ``null`` items are unanswered; ``"na"`` is not applicable)::

    {"items": {"dress": 1, "shampoo": 0, "remove_socks": 0, "cut_fingernails": "na", ...},
     "aids": ["walking"], "help": ["hygiene"]}

:meth:`myoresponse.DisabilityIndex.to_dict` gives ``{"instrument": "CHAQ", "index", "answered",
"categories", "raised"}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from attrs import frozen

from myoresponse.instruments._disability_index import (
    NOT_APPLICABLE,
    Answers,
    Category,
    DisabilityIndex,
    Item,
    NotApplicable,
    Questionnaire,
)

__all__ = [
    "CHAQ",
    "NOT_APPLICABLE",
    "CHAQAnswers",
    "DisabilityIndex",
    "NotApplicable",
    "score_chaq",
]

CHAQ = Questionnaire(
    name="CHAQ",
    not_applicable=True,
    min_answered=6,
    categories=(
        Category(
            "dressing",
            "dressing & grooming",
            (
                Item("dress", "Dress, including tying shoelaces and doing buttons"),
                Item("shampoo", "Shampoo his/her hair"),
                Item("remove_socks", "Remove socks"),
                Item("cut_fingernails", "Cut fingernails"),
            ),
        ),
        Category(
            "arising",
            "arising",
            (
                Item("stand_up", "Stand up from a low chair or floor"),
                Item("in_out_of_bed", "Get in and out of bed or crib"),
            ),
        ),
        Category(
            "eating",
            "eating",
            (
                Item("cut_meat", "Cut his/her own meat"),
                Item("lift_cup", "Lift up a cup or glass to mouth"),
                Item("open_cereal_box", "Open a new cereal box"),
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
                Item("wash_and_dry", "Wash and dry entire body"),
                Item("tub_bath", "Take a tub bath (get in and out of tub)"),
                Item("toilet", "Get on and off the toilet or potty chair"),
                Item("brush_teeth", "Brush teeth"),
                Item("comb_hair", "Comb/brush hair"),
            ),
        ),
        Category(
            "reach",
            "reach",
            (
                Item(
                    "reach_overhead",
                    "Reach and get down a heavy object such as a large game or books from just "
                    "above his/her head",
                ),
                Item(
                    "pick_up_clothing",
                    "Bend down to pick up clothing or a piece of paper from the floor",
                ),
                Item("pull_on_sweater", "Pull on a sweater over his/her head"),
                Item("turn_neck", "Turn neck to look back over shoulder"),
            ),
        ),
        Category(
            "grip",
            "grip",
            (
                Item("write", "Write or scribble with pen or pencil"),
                Item("open_car_doors", "Open car doors"),
                Item("open_jars", "Open jars which have been previously opened"),
                Item("turn_faucets", "Turn faucets on and off"),
                Item("open_door", "Push open a door when he/she has to turn a door knob"),
            ),
        ),
        Category(
            "activities",
            "activities",
            (
                Item("errands", "Run errands and shop"),
                Item("car", "Get in and out of a car or toy car or school bus"),
                Item("ride_bike", "Ride bike or tricycle"),
                Item(
                    "chores",
                    "Do household chores (e.g. washing dishes, taking out trash, vacuuming, "
                    "doing yardwork, making bed, cleaning room)",
                ),
                Item("run_and_play", "Run and play"),
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
"""The CHAQ's 8 areas and 30 items (Singh et al. 1994), as data."""


@frozen(init=False)
class CHAQAnswers(Answers):
    """One completed CHAQ: ``CHAQAnswers(items, aids=[...], help=[...])``.

    ``items`` maps the item keys of :data:`myoresponse.CHAQ` to answers 0-3,
    :data:`myoresponse.instruments.chaq.NOT_APPLICABLE` (also
    written ``"na"``, ``"n/a"`` or ``"not applicable"``) or ``None`` (unanswered); ``aids`` and
    ``help`` name areas as a list or as a mapping of name → bool.
    """

    questionnaire: ClassVar[Questionnaire] = CHAQ


def score_chaq(data: CHAQAnswers | Mapping[str, Any]) -> DisabilityIndex:
    """The CHAQ disability index of answers given as :class:`CHAQAnswers` or their JSON shape.

    >>> items = dict.fromkeys(CHAQ.item_keys, 0)
    >>> items["ride_bike"] = "na"
    >>> score_chaq({"items": items, "aids": ["walking"]}).index
    Fraction(1, 4)
    """
    answers = data if isinstance(data, CHAQAnswers) else CHAQAnswers.from_mapping(data)
    return answers.score()
