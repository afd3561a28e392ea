"""Resident criteria: who a resident is on a day, read off their personal file (一人一档).

Routing rules (a same-day response for elders living alone) and visit rules (每日一访 after
discharge) ask the same question of a file — how old is the resident on that day, which
conditions are in force, which tags does the file carry, is it open — so both take one
:class:`Criteria` value, with one vocabulary and one engine:

* ``conditions_all`` / ``conditions_any``: conditions in force on the day (all of these; at
  least one of those);
* ``tags_all`` / ``tags_any``: groups the file carries (``"party_member"``, ``"youth"``);
* ``min_age`` / ``max_age``: age in whole years on the day (a 29 February birthday counts on
  1 March: :func:`gridgov.people.birthday`);
* and always: the file is open on the day (born, and ``file_opened`` on or before it).

Example:
    >>> from datetime import date
    >>> from gridgov import Condition, Resident
    >>> alone = Criteria(min_age=60, conditions_any={"living_alone", "no_family_support"})
    >>> lu = Resident(id="r-lu", name="吕阿姨", household="h-1001", birth_date=date(1948, 3, 2),
    ...               conditions=[Condition(kind="living_alone")])
    >>> alone.matches(lu, on=date(2026, 11, 26))
    True
    >>> print(alone.describe())
    60岁以上；独居、孤寡之一
    aged 60 or over; any of living alone, no family support
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import attrs

import gridgov._validators as v
from gridgov.errors import InvalidValueError
from gridgov.people import CONDITION_KINDS, Condition, Resident, birthday
from gridgov.reasons import Reason
from gridgov.serialize import register

__all__ = ["MAX_AGE", "Criteria", "age_cut_off", "conditions_key"]

MAX_AGE = 150
"""The highest age a criterion may name."""

_KIND_ORDER = {code: i for i, code in enumerate(CONDITION_KINDS)}
_FAR = date.max.toordinal() + 1  # "no end" for condition windows, as a day number


def _ordered(kinds: Iterable[str]) -> list[str]:
    """Condition codes in the order of :data:`~gridgov.CONDITION_KINDS`, then by code."""
    return sorted(kinds, key=lambda k: (_KIND_ORDER.get(k, len(_KIND_ORDER)), k))


def _zh(kind: str) -> str:
    known = CONDITION_KINDS.get(kind)
    return known.zh if known else kind


def _en(kind: str) -> str:
    known = CONDITION_KINDS.get(kind)
    return known.label if known else kind


@register
@attrs.frozen(kw_only=True)
class Criteria:
    """Who a rule is for, as read off a personal file on a day.  Empty criteria match every
    resident whose file is open on the day.

    Attributes:
        conditions_all: conditions that must all be in force on the day.
        conditions_any: conditions of which at least one must be in force (if any are given).
        tags_all: tags the file must all carry.
        tags_any: tags of which the file must carry at least one (if any are given).
        min_age: the lowest age matched, in whole years on the day.
        max_age: the highest age matched.

    Raises:
        InvalidValueError: for an age outside 0–150, an inverted age band or a bad code.

    Example:
        >>> Criteria(min_age=80, max_age=60)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'max_age' of Criteria must be at least its min_age 80 (got 60).
    """

    conditions_all: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(v.code)
    )
    conditions_any: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(v.code)
    )
    tags_all: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(v.code)
    )
    tags_any: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(v.code)
    )
    min_age: int | None = attrs.field(default=None, validator=v.optional(v.integer(0, MAX_AGE)))
    max_age: int | None = attrs.field(default=None, validator=v.optional(v.integer(0, MAX_AGE)))

    def __attrs_post_init__(self) -> None:
        if self.min_age is not None and self.max_age is not None and self.max_age < self.min_age:
            raise InvalidValueError(
                f"'max_age' of Criteria must be at least its min_age {self.min_age} "
                f"(got {self.max_age})."
            )

    @property
    def is_empty(self) -> bool:
        """Whether the criteria ask nothing but an open file.

        Example:
            >>> Criteria().is_empty, Criteria(tags_any={"youth"}).is_empty
            (True, False)
        """
        return not (
            self.conditions_all
            or self.conditions_any
            or self.tags_all
            or self.tags_any
            or self.min_age is not None
            or self.max_age is not None
        )

    @property
    def kinds(self) -> frozenset[str]:
        """Every condition code the criteria name.

        Example:
            >>> sorted(Criteria(conditions_all={"injured"}, conditions_any={"living_alone"}).kinds)
            ['injured', 'living_alone']
        """
        return self.conditions_all | self.conditions_any

    def matches(self, resident: Resident, *, on: date) -> bool:
        """Whether *resident*'s file, on day *on*, meets the criteria.

        Example:
            >>> from datetime import date
            >>> from gridgov import Resident
            >>> young = Resident(id="r", name="n", household="h", birth_date=date(2000, 1, 1))
            >>> Criteria(min_age=60).matches(young, on=date(2026, 1, 1))
            False
        """
        if not isinstance(resident, Resident):
            raise v.refuse("resident", None, "a Resident", resident)
        v.check_date("on", on)
        if resident.birth_date > on:
            return False
        if resident.file_opened is not None and resident.file_opened > on:
            return False
        if self.min_age is not None or self.max_age is not None:
            age = resident.age_on(on)
            if self.min_age is not None and age < self.min_age:
                return False
            if self.max_age is not None and age > self.max_age:
                return False
        if self.conditions_all or self.conditions_any:
            kinds = resident.conditions_on(on)
            if not self.conditions_all <= kinds:
                return False
            if self.conditions_any and self.conditions_any.isdisjoint(kinds):
                return False
        if not self.tags_all <= resident.tags:
            return False
        return not (self.tags_any and self.tags_any.isdisjoint(resident.tags))

    def since(self, resident: Resident, *, on: date) -> date | None:
        """The first day of the stretch of days up to *on* on which the criteria have matched
        *resident* without a break, or ``None`` if they do not match on *on*.

        The stretch begins at the latest of: the day the file was opened (or the birth), the
        birthday that brought the resident into the age band, and the day since which the
        conditions asked for have been in force without a gap.

        Example:
            >>> from datetime import date
            >>> from gridgov import Condition, Resident
            >>> r = Resident(id="r", name="n", household="h", birth_date=date(1950, 5, 1),
            ...              conditions=[Condition(kind="dementia", start=date(2026, 1, 1))])
            >>> Criteria(min_age=60, conditions_any={"dementia"}).since(r, on=date(2026, 6, 1))
            datetime.date(2026, 1, 1)
        """
        if not self.matches(resident, on=on):
            return None
        return date.fromordinal(self.stretch_start(resident, on.toordinal()))

    def stretch_start(self, resident: Resident, day: int, floor: int | None = None) -> int:
        """:meth:`since` in day numbers (``date.toordinal``), for batch engines (advanced):
        the criteria must match on *day*; *floor* is the day the file opened (computed from
        the file when ``None``)."""
        if floor is None:
            opened = resident.file_opened
            floor = (opened if opened is not None else resident.birth_date).toordinal()
        start = floor
        if self.min_age is not None:
            x = birthday(resident.birth_date, self.min_age).toordinal()
            if x > start:
                start = x
        if self.conditions_all or self.conditions_any:
            conds = resident.conditions
            for k in self.conditions_all:
                x = _run_start(conds, frozenset((k,)), day)
                if x > start:
                    start = x
            if self.conditions_any:
                x = _run_start(conds, self.conditions_any, day)
                if x > start:
                    start = x
        return start

    def describe(self) -> Reason:
        """The criteria as a grid worker reads them.

        Example:
            >>> print(Criteria(max_age=14, tags_any={"left_behind_child"}).describe())
            14岁以下；标签 left_behind_child 之一
            aged 14 or under; any tag of left_behind_child
        """
        zh: list[str] = []
        en: list[str] = []
        lo, hi = self.min_age, self.max_age
        if lo is not None and hi is not None:
            zh.append(f"{lo}至{hi}岁")
            en.append(f"aged {lo} to {hi}")
        elif lo is not None:
            zh.append(f"{lo}岁以上")
            en.append(f"aged {lo} or over")
        elif hi is not None:
            zh.append(f"{hi}岁以下")
            en.append(f"aged {hi} or under")
        if self.conditions_all:
            kinds = _ordered(self.conditions_all)
            zh.append("、".join(_zh(k) for k in kinds))
            en.append("all of " + ", ".join(_en(k) for k in kinds))
        if self.conditions_any:
            kinds = _ordered(self.conditions_any)
            zh.append("、".join(_zh(k) for k in kinds) + "之一")
            en.append("any of " + ", ".join(_en(k) for k in kinds))
        if self.tags_all:
            zh.append("标签 " + "、".join(sorted(self.tags_all)))
            en.append("tags " + ", ".join(sorted(self.tags_all)))
        if self.tags_any:
            zh.append("标签 " + "、".join(sorted(self.tags_any)) + " 之一")
            en.append("any tag of " + ", ".join(sorted(self.tags_any)))
        if not zh:
            return Reason(zh="建档居民", en="every resident with an open file")
        return Reason(zh="；".join(zh), en="; ".join(en))


# --------------------------------------------------------------------------- the engine


def age_cut_off(on: date, years: int) -> date | None:
    """The latest birth date of someone at least *years* old on *on* (``None``: nobody
    can be), so that "at least *years* old" is one date comparison in a sweep (advanced).

    Example:
        >>> from datetime import date
        >>> age_cut_off(date(2026, 11, 26), 60)
        datetime.date(1966, 11, 26)
    """
    y = on.year - years
    if y < 1:
        return None
    try:
        return on.replace(year=y)
    except ValueError:  # 29 February in a common year
        return date(y, 2, 28)


def conditions_key(resident: Resident, on: date) -> str | frozenset[str]:
    """The kinds of *resident*'s conditions in force on *on*: one code when there is exactly
    one (no allocation), else a frozenset — the key batch engines cache their answers by
    (advanced).

    Example:
        >>> from datetime import date
        >>> from gridgov import Condition, Resident
        >>> r = Resident(id="r", name="n", household="h", birth_date=date(1950, 1, 1),
        ...              conditions=[Condition(kind="dementia")])
        >>> conditions_key(r, date(2026, 1, 1))
        'dementia'
    """
    standing = resident.standing_conditions
    if standing is not None:
        return standing
    return _kinds_in_force(resident.conditions, on)


_EMPTY: frozenset[str] = frozenset()


def _kinds_in_force(conds: Sequence[Condition], on: date) -> str | frozenset[str]:
    if not conds:
        return _EMPTY
    if len(conds) == 1:
        c = conds[0]
        if (c.start is None or c.start <= on) and (c.end is None or on < c.end):
            return c.kind
        return _EMPTY
    return frozenset(
        [
            c.kind
            for c in conds
            if (c.start is None or c.start <= on) and (c.end is None or on < c.end)
        ]
    )


def _run_start(conditions: Sequence[Condition], kinds: frozenset[str], day: int) -> int:
    """The first day of the run of days around *day* covered by conditions of *kinds*."""
    windows = [
        (
            0 if c.start is None else c.start.toordinal(),
            _FAR if c.end is None else c.end.toordinal(),
        )
        for c in conditions
        if c.kind in kinds
    ]
    start = min((s for s, e in windows if s <= day < e), default=day)
    moved = True
    while moved and start > 0:
        moved = False
        for s, e in windows:
            if s < start <= e:
                start = s
                moved = True
    return start
