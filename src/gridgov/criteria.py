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

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from datetime import date

import attrs

import gridgov._validators as v
from gridgov._pickling import reduce_args
from gridgov._windows import Windows, condition_windows, run_start
from gridgov.errors import InvalidValueError
from gridgov.people import CONDITION_KINDS, Condition, Resident, birthday
from gridgov.reasons import Reason
from gridgov.serialize import register

__all__ = [
    "MAX_AGE",
    "Criteria",
    "CriteriaIndex",
    "age_cut_off",
    "conditions_key",
]

MAX_AGE = 150
"""The highest age a criterion may name."""

_KIND_ORDER = {code: i for i, code in enumerate(CONDITION_KINDS)}
_FAR = date.max.toordinal() + 1  # "no end" for condition windows, as a day number

def _birthday_day(born: date, years: int) -> int:
    """The day number of the birthday *years* after *born* (the end of time past 9999)."""
    if born.year + years > date.max.year:
        return _FAR
    return birthday(born, years).toordinal()


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

    def stretch_start(
        self,
        resident: Resident,
        day: int,
        floor: int | None = None,
        windows: Windows | None = None,
    ) -> int:
        """:meth:`since` in day numbers (``date.toordinal``), for batch engines (advanced):
        the criteria must match on *day*; *floor* is the day the file opened and *windows*
        the file's condition windows as day numbers (both worked out when ``None``).

        Example:
            >>> from datetime import date
            >>> from gridgov import Resident
            >>> r = Resident(id="r", name="n", household="h", birth_date=date(1950, 5, 1))
            >>> date.fromordinal(Criteria(min_age=60).stretch_start(r, date(2026, 1, 1).toordinal()))
            datetime.date(2010, 5, 1)
        """
        if floor is None:
            opened = resident.file_opened
            floor = (opened if opened is not None else resident.birth_date).toordinal()
        start = floor
        if self.min_age is not None:
            x = birthday(resident.birth_date, self.min_age).toordinal()
            if x > start:
                start = x
        # standing conditions (no window) are in force since day 0: they never move it
        if (self.conditions_all or self.conditions_any) and resident.standing_conditions is None:
            if windows is None:
                windows = condition_windows(resident)
            groups = [frozenset((k,)) for k in self.conditions_all]
            for kinds in [*groups, self.conditions_any] if self.conditions_any else groups:
                start = max(start, run_start(windows, kinds, day))
        return start

    def span(self, resident: Resident) -> tuple[int, int] | None:
        """The days ``(first, end)`` (day numbers) outside which the criteria cannot match
        *resident*'s file — from the birth, the file's opening, the birthday of ``min_age``
        and the conditions' first day, to the birthday past ``max_age`` and the conditions'
        end — or ``None`` if they never can.  Exact for a file whose conditions have no
        windows.  For indexes built once (advanced: :class:`gridgov.visits.VisitRoster`).

        Example:
            >>> from datetime import date
            >>> from gridgov import Condition, Resident
            >>> r = Resident(id="r", name="n", household="h", birth_date=date(1950, 5, 1),
            ...              conditions=[Condition(kind="living_alone")])
            >>> first, end = Criteria(min_age=60, max_age=79).span(r)
            >>> date.fromordinal(first), date.fromordinal(end)
            (datetime.date(2010, 5, 1), datetime.date(2030, 5, 1))
            >>> Criteria(conditions_any={"dementia"}).span(r) is None
            True
        """
        if not isinstance(resident, Resident):
            raise v.refuse("resident", None, "a Resident", resident)
        tags = resident.tags
        if not self.tags_all <= tags or (self.tags_any and self.tags_any.isdisjoint(tags)):
            return None
        born = resident.birth_date
        opened = resident.file_opened
        first = (opened if opened is not None and opened > born else born).toordinal()
        end = _FAR
        if self.min_age is not None:
            first = max(first, _birthday_day(born, self.min_age))
        if self.max_age is not None:
            end = min(end, _birthday_day(born, self.max_age + 1))
        if self.conditions_all or self.conditions_any:
            windows = condition_windows(resident)
            groups = [frozenset((k,)) for k in self.conditions_all]
            if self.conditions_any:
                groups.append(self.conditions_any)
            for kinds in groups:
                mine = [(s, e) for k, s, e in windows if k in kinds]
                if not mine:
                    return None
                first = max(first, min(s for s, _ in mine))
                end = min(end, max(e for _, e in mine))
        return (first, end) if first < end else None

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
_NONE: tuple[int, ...] = ()


class CriteriaIndex:
    """Which of many :class:`Criteria` match each resident on one day: the engine of sweeps
    over a whole city (advanced).

    ``CriteriaIndex(criteria, on=day)`` compiles the criteria for *day*: every age bound
    becomes a cut-off birth date (:func:`age_cut_off`), so a resident's age band is a binary
    search among a few dates, and the answer for each combination of age band, conditions in
    force (:func:`conditions_key`) and — when some criteria ask for tags — tags is worked out
    once, then looked up.  :meth:`matching` gives the positions of the criteria that match a
    resident, and agrees with :meth:`Criteria.matches` on every resident; :attr:`cut_off`
    lets a sweep pass over residents too young for every criterion with one date comparison.

    The index is an engine, not a value: it keeps the answers it has worked out (one per
    combination met, so at most one per resident), which makes it cheap for one sweep and
    wrong to keep in a value.  Build one per day and drop it with the sweep; the visit sweep
    (:func:`gridgov.visits.due_visits`) builds its own.

    Raises:
        InvalidValueError: for something that is not a :class:`Criteria`, or a day that is
            not a date.

    Example:
        >>> from datetime import date
        >>> from gridgov import Condition, Resident
        >>> index = CriteriaIndex([Criteria(min_age=80), Criteria(min_age=60),
        ...                        Criteria(conditions_any={"living_alone"})],
        ...                       on=date(2026, 11, 26))
        >>> lu = Resident(id="r-lu", name="吕阿姨", household="h-1", birth_date=date(1948, 3, 2),
        ...               conditions=[Condition(kind="living_alone")])
        >>> index.matching(lu)
        (1, 2)
        >>> index.cut_off is None  # the third criteria have no minimum age
        True
        >>> CriteriaIndex([Criteria(min_age=80), Criteria(min_age=60)],
        ...               on=date(2026, 11, 26)).cut_off
        datetime.date(1966, 11, 26)
    """

    __slots__ = (
        "_answers", "_by_band", "_criteria", "_cut_off", "_cuts", "_latest",
        "_needs_conditions", "_on", "_parts", "_uses_tags",
    )

    def __init__(self, criteria: Iterable[Criteria], *, on: date) -> None:
        v.check_date("on", on)
        items = v.check_items("criteria", criteria)
        for c in items:
            if not isinstance(c, Criteria):
                raise v.refuse("criteria", None, "a collection of Criteria values", c)
        self._on = on
        self._criteria: tuple[Criteria, ...] = items
        # Per criteria: the cut-off birth date of its minimum age (None: no minimum) and of
        # one year past its maximum age (None: no maximum); a criteria whose minimum age
        # nobody can have reached on the day never matches.
        bounds: list[tuple[date | None, date | None, bool]] = []
        for c in items:
            lo = None if c.min_age is None else age_cut_off(on, c.min_age)
            hi = None if c.max_age is None else age_cut_off(on, c.max_age + 1)
            bounds.append((lo, hi, c.min_age is not None and lo is None))
        cuts = sorted({d for lo, hi, _ in bounds for d in (lo, hi) if d is not None})
        self._cuts = cuts
        # (index, band limit of the minimum age, band limit of the maximum age, all, any,
        # tags all, tags any) for each criteria that can match on the day.
        self._parts = tuple(
            (
                i,
                None if lo is None else cuts.index(lo),
                None if hi is None else cuts.index(hi),
                c.conditions_all,
                c.conditions_any,
                c.tags_all,
                c.tags_any,
            )
            for i, (c, (lo, hi, never)) in enumerate(zip(items, bounds, strict=True))
            if not never
        )
        live = [items[p[0]] for p in self._parts]
        self._uses_tags = any(c.tags_all or c.tags_any for c in live)
        self._needs_conditions = bool(live) and all(c.kinds for c in live)
        minima = [lo for lo, _, never in bounds if not never]
        cut_off: date | None
        if not live:
            cut_off = date.min  # nothing can match
        elif any(lo is None for lo in minima):
            cut_off = None
        else:
            cut_off = max(lo for lo in minima if lo is not None)
        self._cut_off = cut_off
        self._latest = on if cut_off is None else cut_off
        # band → conditions key → [tags →] matching positions: nested dicts, so that a
        # look-up allocates nothing.
        self._by_band: list[dict[object, object]] = [{} for _ in range(len(cuts) + 1)]
        self._answers: dict[tuple[int, ...], tuple[int, ...]] = {}

    def __reduce__(self) -> tuple[object, ...]:
        """An index pickles as its criteria and day; the answers it worked out stay behind."""
        return reduce_args(CriteriaIndex, {"criteria": self._criteria, "on": self._on})

    @property
    def on(self) -> date:
        """The day the index answers for.

        Example:
            >>> from datetime import date
            >>> CriteriaIndex([], on=date(2026, 1, 1)).on
            datetime.date(2026, 1, 1)
        """
        return self._on

    @property
    def criteria(self) -> tuple[Criteria, ...]:
        """The criteria, in the order :meth:`matching` numbers them.

        Example:
            >>> from datetime import date
            >>> CriteriaIndex([Criteria(min_age=60)], on=date(2026, 1, 1)).criteria
            (Criteria(conditions_all=frozenset(), conditions_any=frozenset(), tags_all=frozenset(), tags_any=frozenset(), min_age=60, max_age=None),)
        """
        return self._criteria

    @property
    def cut_off(self) -> date | None:
        """The latest birth date of a resident some criteria can match on the day (a resident
        born after it matches none).  ``None`` when some criteria have no minimum age.

        Example:
            >>> from datetime import date
            >>> CriteriaIndex([Criteria(min_age=60)], on=date(2026, 11, 26)).cut_off
            datetime.date(1966, 11, 26)
        """
        return self._cut_off

    def matching(self, resident: Resident) -> tuple[int, ...]:
        """The positions (in :attr:`criteria`) of the criteria *resident* meets on the day,
        in order: the same answer as asking :meth:`Criteria.matches` of each.

        Raises:
            InvalidValueError: for something that is not a :class:`~gridgov.Resident`.

        Example:
            >>> from datetime import date
            >>> from gridgov import Resident
            >>> index = CriteriaIndex([Criteria(max_age=14), Criteria(min_age=60)],
            ...                       on=date(2026, 1, 1))
            >>> index.matching(Resident(id="r", name="n", household="h",
            ...                         birth_date=date(2015, 6, 1)))
            (0,)
        """
        try:
            b = resident.birth_date
            if b > self._latest:
                return _NONE
            on = self._on
            opened = resident.file_opened
            if opened is not None and opened > on:
                return _NONE
            key: str | frozenset[str] | None = resident.standing_conditions
            if key is None:
                key = _kinds_in_force(resident.conditions, on)
            elif not key and self._needs_conditions:
                return _NONE
            band = bisect_left(self._cuts, b)
            found = self._by_band[band].get(key)
            if self._uses_tags:
                tags = resident.tags
                if found is not None:
                    found = found.get(tags)  # type: ignore[attr-defined]
                if found is None:
                    return self._resolve(band, key, tags)
            elif found is None:
                return self._resolve(band, key, None)
        except AttributeError:
            if isinstance(resident, Resident):  # pragma: no cover - a bug, not a bad argument
                raise
            raise v.refuse("resident", None, "a Resident", resident) from None
        return found  # type: ignore[return-value]

    def _resolve(
        self, band: int, key: str | frozenset[str], tags: frozenset[str] | None
    ) -> tuple[int, ...]:
        kinds = frozenset((key,)) if isinstance(key, str) else key
        out: list[int] = []
        for i, j_min, j_max, all_, any_, tags_all, tags_any in self._parts:
            if j_min is not None and band > j_min:
                continue
            if j_max is not None and band <= j_max:
                continue
            if all_ and not all_ <= kinds:
                continue
            if any_ and any_.isdisjoint(kinds):
                continue
            if tags is not None:
                if tags_all and not tags_all <= tags:
                    continue
                if tags_any and tags_any.isdisjoint(tags):
                    continue
            out.append(i)
        answer = self._answers.setdefault(tuple(out), tuple(out))  # one tuple per answer
        by_key = self._by_band[band]
        if tags is None:
            by_key[key] = answer
        else:
            by_tags = by_key.get(key)
            if by_tags is None:
                by_tags = by_key[key] = {}
            by_tags[tags] = answer  # type: ignore[index]
        return answer

    def __repr__(self) -> str:
        return f"CriteriaIndex({len(self._criteria)} criteria, on={self._on.isoformat()})"


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
