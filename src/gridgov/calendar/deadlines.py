"""Deadlines (期限): when a clock falls due, what set it, and the time given back.

:class:`Deadline` is the one deadline value of gridgov: the router sets them from a rule's
limits, the escalation policy from its SLAs, and a case keeps them and pauses them.
:class:`DeadlinePlan` compiles a few limits (a rule's accept and resolve limits) on a
calendar, to set many clocks fast; a :class:`DeadlinePlanner` is a bounded cache the caller
owns and passes in when setting many deadlines.

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST, TimeLimit, WorkCalendar
    >>> plan = DeadlinePlan([TimeLimit.working_hours(4), TimeLimit.working_days(5)],
    ...                     WorkCalendar(), source="rule:facility")
    >>> accept, resolve = plan.deadlines(datetime(2026, 11, 27, 16, 0, tzinfo=CST))
    >>> print(accept.due, resolve.due, resolve.source)
    2026-11-30 10:30:00+08:00 2026-12-04 16:00:00+08:00 rule:facility
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

import attrs

import gridgov._validators as v
from gridgov._fast import trusted_constructor
from gridgov._pickling import reduce_args
from gridgov._seq import AppendOnly
from gridgov.calendar._working import Memo, WorkingTime
from gridgov.calendar.limits import TimeLimit
from gridgov.calendar.workcalendar import WorkCalendar
from gridgov.errors import InvalidValueError, PolicyError
from gridgov.serialize import register

__all__ = ["Deadline", "DeadlinePlan", "DeadlinePlanner"]


def _pause_pairs(value: object) -> AppendOnly[tuple[datetime, datetime]]:
    if isinstance(value, AppendOnly):
        return value
    if type(value) is tuple and not value:
        return _NO_PAUSES  # never grown in place (see AppendOnly.plus): one for every deadline
    if not v.is_collection(value):
        raise v.refuse("pauses", "Deadline", "a collection of (start, end) pairs", value)
    pairs: list[tuple[datetime, datetime]] = []
    for pair in value:  # type: ignore[attr-defined]
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise v.refuse("pauses", "Deadline", "(start, end) pairs of datetimes", pair)
        pairs.append((pair[0], pair[1]))
    return AppendOnly(pairs)


@register
@attrs.frozen(kw_only=True)
class Deadline:
    """A deadline on a clock: when it falls due, what set it, and the time given back.

    The clock started at ``start`` and falls due at ``due``; ``pauses`` are the stretches of
    time, since then, during which the clock was stopped (a suspension, or a resolution
    awaiting verification).  :meth:`effective` gives the due moment with that time given
    back, in the deadline's ``basis``: wall-clock time for ``"natural"``, working time on a
    :class:`WorkCalendar` for ``"working"``.  A pause that began after the deadline had
    already passed gives nothing back: late stays late.  Pauses are kept in a sequence that
    grows by sharing, so a clock paused *n* times costs O(n) in all, not O(n²).

    Attributes:
        start: when the clock started (the case was filed, escalated, re-routed …).
        due: the deadline before any pause is given back.
        basis: ``"working"`` or ``"natural"``: how paused time is measured.
        limit: the time limit that set the deadline, if known.
        source: what set it: ``"rule:<id>"`` (a routing rule), ``"sla:<name>"`` (an
            escalation policy's SLA), ``"body:<id>"`` (an external body's SLA),
            ``"extension"`` (a granted extension), or ``""`` when not known.
        pauses: ``(start, end)`` pairs, in order, each within the life of the clock.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> cal = WorkCalendar()
        >>> friday = datetime(2026, 11, 27, 16, 0, tzinfo=CST)
        >>> d = Deadline.of(TimeLimit.working_hours(4), start=friday, calendar=cal,
        ...                 source="rule:default")
        >>> print(d.due, d.source)
        2026-11-30 10:30:00+08:00 rule:default
        >>> # suspended from 17:00 on Friday to 09:00 on Monday: the 1.5 working hours
        >>> # in between are given back
        >>> paused = d.paused(datetime(2026, 11, 27, 17, 0, tzinfo=CST),
        ...                   datetime(2026, 11, 30, 9, 0, tzinfo=CST))
        >>> print(paused.effective(cal))
        2026-11-30 12:00:00+08:00
    """

    start: datetime = attrs.field(validator=v.aware)
    due: datetime = attrs.field(validator=v.aware)
    basis: Literal["working", "natural"] = "natural"
    limit: TimeLimit | None = attrs.field(default=None, validator=v.optional(v.is_a(TimeLimit)))
    source: str = attrs.field(default="", validator=v.text)
    pauses: Sequence[tuple[datetime, datetime]] = attrs.field(
        default=(), converter=_pause_pairs
    )

    def __attrs_post_init__(self) -> None:
        if self.basis not in ("working", "natural"):
            raise InvalidValueError(
                f"'basis' of Deadline must be 'working' or 'natural' (got {v.show(self.basis)})."
            )
        if len(self.source) > v.MAX_NAME:
            raise InvalidValueError(
                f"'source' of Deadline must be at most {v.MAX_NAME} characters "
                f"(got {len(self.source):,})."
            )
        if self.due < self.start:
            raise InvalidValueError(
                f"'due' of Deadline must not be before its start {self.start.isoformat()} "
                f"(got {self.due.isoformat()})."
            )
        previous = self.start
        for start, end in self.pauses:
            v.check_aware("pauses", start, "Deadline")
            v.check_aware("pauses", end, "Deadline")
            if start < previous or end < start:
                raise InvalidValueError(
                    "'pauses' of Deadline must be in order, after the clock's start, each "
                    f"ending after it starts (got {start.isoformat()} to {end.isoformat()} after "
                    f"{previous.isoformat()})."
                )
            previous = end

    @classmethod
    def of(
        cls, limit: TimeLimit, *, start: datetime, calendar: WorkCalendar, source: str = ""
    ) -> Deadline:
        """The deadline *limit* sets for a clock started at *start*, on *calendar*.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> d = Deadline.of(TimeLimit.working_days(3),
            ...                 start=datetime(2026, 11, 25, 10, 0, tzinfo=CST),
            ...                 calendar=WorkCalendar())
            >>> print(d.due, d.basis)
            2026-11-30 10:00:00+08:00 working
        """
        v.check_instance("limit", limit, TimeLimit)
        return cls(
            start=start,
            due=limit.deadline(start, calendar),
            basis=limit.basis,
            limit=limit,
            source=source,
        )

    def paused(self, start: datetime, end: datetime) -> Deadline:
        """A copy with the clock stopped from *start* to *end* (O(1): the pauses are shared).

        Time before the clock started, or already given back by an earlier pause, is not
        given back twice: the pause is clipped to begin at the later of *start*, the clock's
        start and the end of the last pause (and ignored if nothing is left of it).

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
            >>> d = Deadline(start=t, due=t.replace(hour=18))
            >>> len(d.paused(t.replace(hour=10), t.replace(hour=11)).pauses)
            1
        """
        v.check_aware("start", start)
        v.check_aware("end", end)
        if end < start:
            raise InvalidValueError(
                f"'end' of a pause must not be before its start {start.isoformat()} "
                f"(got {end.isoformat()})."
            )
        floor = self.pauses[-1][1] if self.pauses else self.start
        if start < floor:
            start = floor
        if end <= start:
            return self
        pauses = self.pauses
        assert isinstance(pauses, AppendOnly)  # the converter makes one
        return _new_deadline(
            self.start, self.due, self.basis, self.limit, self.source, pauses.plus((start, end))
        )

    def effective(self, calendar: WorkCalendar | None = None) -> datetime:
        """The due moment with the paused time given back.

        Args:
            calendar: the working calendar; needed only for a ``"working"`` deadline that
                has pauses.

        Raises:
            InvalidValueError: if a calendar is needed and none is given.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> t = datetime(2026, 11, 26, 9, 0, tzinfo=CST)
            >>> d = Deadline(start=t, due=t.replace(hour=18), basis="natural")
            >>> print(d.paused(t.replace(hour=10), t.replace(hour=12)).effective())
            2026-11-26 20:00:00+08:00
        """
        due = self.due
        if not self.pauses:
            return due
        if self.basis == "working" and not isinstance(calendar, WorkCalendar):
            raise InvalidValueError(
                "'calendar' must be a WorkCalendar to give back paused working time "
                f"(got {v.show(calendar)})."
            )
        for start, end in self.pauses:
            if start >= due:
                break  # already late when the clock stopped: nothing to give back
            if self.basis == "natural":
                due = due + (end - start)
            else:
                assert calendar is not None
                left = calendar.working_time_between(start, due)
                moved = calendar.add_working_hours(end, left)
                due = moved if moved > due else due
        return due


_new_deadline = trusted_constructor(Deadline)


# --------------------------------------------------------------------------- planning


class DeadlinePlanner:
    """A bounded cache of working-time results that the caller owns (advanced).

    Routing many issues sets many deadlines, and they start on the same few hundred days
    and end on the same few offsets; building ``datetime`` and ``timedelta`` objects costs
    more than the arithmetic.  A planner remembers up to *size* results of each kind (the
    oldest forgotten first), so its memory is bounded whatever the moments it sees.  Build
    one per calendar, keep it for a batch, and pass it to :meth:`DeadlinePlan.deadlines`
    (or :meth:`gridgov.routing.Router.route`).  It is not a value: it is not serialised or
    compared, and two threads should not share one.

    Args:
        calendar: the calendar its results are counted on.
        size: the most results of each of its three kinds it keeps (default 65,536; at
            most about 200 bytes each).

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, TimeLimit, WorkCalendar
        >>> cal = WorkCalendar()
        >>> planner = DeadlinePlanner(cal, size=1000)
        >>> plan = DeadlinePlan([TimeLimit.working_days(3)], cal)
        >>> t = datetime(2026, 11, 26, 10, 0, tzinfo=CST)
        >>> plan.deadlines(t, planner) == plan.deadlines(t)
        True
        >>> 0 < len(planner) <= 3 * 1000
        True
    """

    __slots__ = ("calendar", "memo")

    def __init__(self, calendar: WorkCalendar, *, size: int = 65_536) -> None:
        self.calendar = v.check_instance("calendar", calendar, WorkCalendar)
        self.memo = Memo(v.check_integer("size", size, 1, 10_000_000))

    def __len__(self) -> int:
        """The number of results kept."""
        return len(self.memo)

    def __reduce__(self) -> tuple[Any, ...]:
        """A planner pickles as its calendar and size: the results it keeps stay behind."""
        return reduce_args(DeadlinePlanner, {"calendar": self.calendar, "size": self.memo.size})

    def __repr__(self) -> str:
        return f"DeadlinePlanner({len(self.memo):,} results kept, at most 3 × {self.memo.size:,})"


_Natural = timedelta
_WORKING = 0  # a need computed together with the plan's other working needs


class DeadlinePlan:
    """Time limits compiled on a calendar, to set the deadlines of many clocks (advanced).

    A routing rule's accept and resolve limits become one plan when the router is built;
    setting both deadlines for an issue is then one split of the start, one working-time
    computation for all working limits together, and the :class:`Deadline` values.

    Args:
        limits: the limits (``None`` sets no deadline in that place).
        calendar: the calendar they are counted on.
        source: what the deadlines record as having set them (``"rule:facility"``).

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, TimeLimit, WorkCalendar
        >>> plan = DeadlinePlan([None, TimeLimit.natural_hours(24)], WorkCalendar())
        >>> none, resolve = plan.deadlines(datetime(2026, 11, 26, 10, tzinfo=CST))
        >>> none, str(resolve.due)
        (None, '2026-11-27 10:00:00+08:00')
    """

    __slots__ = (
        "_all_needs",
        "_calendar",
        "_empty",
        "_engine",
        "_limits",
        "_needs",
        "_parts",
        "_source",
        "_split",
    )

    _calendar: WorkCalendar
    _engine: WorkingTime
    _limits: tuple[TimeLimit | None, ...]
    # Per limit: (kind, limit, how): kind 0 none, 1 a natural span (how: the timedelta),
    # 2 a working need (how: its index among _needs), 3 anything else (to the end of a day).
    _parts: tuple[tuple[int, TimeLimit | None, object], ...]
    _needs: tuple[int, ...]
    _source: str
    _split: bool
    _empty: tuple[None, ...] | None
    _all_needs: bool

    def __init__(
        self,
        limits: Sequence[TimeLimit | None],
        calendar: WorkCalendar,
        *,
        source: str = "",
    ) -> None:
        v.check_instance("calendar", calendar, WorkCalendar)
        items = v.check_items("limits", limits)
        for limit in items:
            if limit is not None and not isinstance(limit, TimeLimit):
                raise v.refuse("limits", None, "a collection of TimeLimit values or None", limit)
        v.check_text("source", source)
        parts: list[tuple[int, TimeLimit | None, object]] = []
        needs: list[int] = []
        engine = calendar.working_time
        for limit in items:
            if limit is None:
                parts.append((0, None, None))
                continue
            span = limit.natural_span()
            need = limit.working_need(calendar)
            if span is not None:
                parts.append((1, limit, span))
            elif need is not None:
                # Working days needed, spread over the working weekdays: a limit this
                # calendar cannot meet within a lifetime is a mistake, refused now.
                days = need / engine.day * 7 / engine.per_week
                if days > _LONGEST_DAYS:
                    raise PolicyError(
                        f"time limit {limit.describe()} takes about {days / 365.25:,.0f} years "
                        f"on the calendar {calendar.describe()}; a limit must fit within "
                        f"{_LONGEST_DAYS // 365} years (check the calendar's working hours)."
                    )
                parts.append((2, limit, len(needs)))
                needs.append(need)
            else:
                parts.append((3, limit, None))
        set_ = object.__setattr__
        set_(self, "_calendar", calendar)
        set_(self, "_engine", calendar.working_time)
        set_(self, "_limits", tuple(items))
        set_(self, "_parts", tuple(parts))
        set_(self, "_needs", tuple(needs))
        set_(self, "_source", source)
        # Natural spans need only the start in the calendar's zone, not its ordinal and time.
        set_(self, "_split", any(kind >= 2 for kind, _, _ in parts))
        set_(self, "_empty", (None,) * len(parts) if all(k == 0 for k, _, _ in parts) else None)
        set_(self, "_all_needs", all(k == 2 for k, _, _ in parts))

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError("DeadlinePlan is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        """A plan pickles as its limits, calendar and source, and is compiled again."""
        kwargs = {"limits": self._limits, "calendar": self._calendar, "source": self._source}
        return reduce_args(DeadlinePlan, kwargs)

    @property
    def limits(self) -> tuple[TimeLimit | None, ...]:
        """The limits, in order."""
        return self._limits

    def deadlines(
        self, start: datetime, planner: DeadlinePlanner | None = None
    ) -> tuple[Deadline | None, ...]:
        """The deadlines of the plan's limits for clocks started at *start*, in order.

        Args:
            start: the aware start of the clocks.
            planner: a cache for the working-time results, on the same calendar.

        Raises:
            InvalidValueError: for a naive *start*, or one outside the accepted years.
            PolicyError: for a planner on another calendar.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST, TimeLimit, WorkCalendar
            >>> plan = DeadlinePlan([TimeLimit.end_of_working_day()], WorkCalendar())
            >>> (d,) = plan.deadlines(datetime(2026, 11, 27, 19, 0, tzinfo=CST))
            >>> print(d.due)
            2026-11-30 18:00:00+08:00
        """
        # The start, checked once for every limit (inline: this is a hot path).
        if (
            start.__class__ is not datetime
            or start.tzinfo.__class__ is not timezone
            or not _MIN_YEAR <= start.year <= _MAX_YEAR
        ):
            v.check_aware("start", start)
        empty = self._empty
        if empty is not None:
            return empty
        memo = None
        if planner is not None:
            if planner.calendar is not self._calendar and planner.calendar != self._calendar:
                raise PolicyError(
                    "'planner' must be on the plan's calendar (got one on another calendar)."
                )
            memo = planner.memo
        engine = self._engine
        local = start.astimezone(engine.tz)
        if not _MIN_YEAR <= local.year <= _MAX_YEAR:
            v.check_aware("start", local)
        source = self._source
        parts = self._parts
        if not self._split:  # natural spans only
            out_natural: list[Deadline | None] = []
            for _, limit, how in parts:
                if limit is None:
                    out_natural.append(None)
                    continue
                due = _natural(local, how)
                out_natural.append(
                    _new_deadline(start, due, limit.basis, limit, source, _NO_PAUSES)
                )
            return tuple(out_natural)
        ordinal = local.toordinal()
        us = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond
        worked = engine.add_all(local, ordinal, us, self._needs, memo) if self._needs else ()
        if self._all_needs:  # every limit a working need, in order: the common case
            first, second = parts[0][1], parts[-1][1]
            assert first is not None
            assert second is not None
            if len(parts) == 2:
                return (
                    _new_deadline(start, worked[0], "working", first, source, _NO_PAUSES),
                    _new_deadline(start, worked[1], "working", second, source, _NO_PAUSES),
                )
        out: list[Deadline | None] = []
        for kind, limit, how in parts:
            if limit is None:
                out.append(None)
                continue
            if kind == 2:
                due = worked[how]  # type: ignore[call-overload]
            elif kind == 1:
                due = _natural(local, how)
            else:
                due = limit.deadline_from((local, ordinal, us), self._calendar)
            out.append(_new_deadline(start, due, limit.basis, limit, source, _NO_PAUSES))
        return tuple(out)

    def __repr__(self) -> str:
        return f"DeadlinePlan({[None if x is None else x.describe() for x in self._limits]!r})"


def _natural(local: datetime, span: object) -> datetime:
    """*local* plus a natural span, within the accepted years."""
    assert isinstance(span, timedelta)
    try:
        due = local + span
    except OverflowError:
        due = None
    if due is None or due.year > _MAX_YEAR:
        raise InvalidValueError(
            f"the deadline would fall after {_MAX_YEAR}, the last year gridgov accepts."
        )
    return due


_NO_PAUSES: AppendOnly[tuple[datetime, datetime]] = AppendOnly()
_MIN_YEAR, _MAX_YEAR = v.MIN_YEAR, v.MAX_YEAR
_LONGEST_DAYS = 100 * 365  # the longest stretch of natural days a time limit may take
