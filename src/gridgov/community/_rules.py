"""Rules the talent library and matching share (private): skill levels and hour spans."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

import gridgov._validators as v

if TYPE_CHECKING:  # pragma: no cover
    from gridgov.community._skills import SkillLevel


def check_levels(skills: frozenset[str], levels: tuple[SkillLevel, ...], owner: object) -> None:
    """Each level names a skill of *skills*, once (shared by talents, posts and needs)."""
    seen: set[str] = set()
    for lv in levels:
        if lv.skill not in skills or lv.skill in seen:
            raise v.refuse(
                "levels", owner, "one level for each of its own skills at most", lv.skill
            )
        seen.add(lv.skill)


def levels_map(levels: tuple[SkillLevel, ...]) -> dict[str, int]:
    """The levels as skill → level (a skill without one counts as level 1)."""
    return {lv.skill: lv.level for lv in levels}


def hours_in(hours: int, per: Enum, span: Enum) -> int:
    """*hours* per *per* as whole hours per *span* (each a ``talent.Span``): the one conversion rule (a month is 52/12
    weeks; rounded down, so no one is booked beyond what they offered)."""
    if per is span:
        return hours
    return hours * 52 // 12 if span.value == "month" else hours * 12 // 52
