"""The residents under a visit policy, compiled once (走访花名册): a caller-owned index.

A daily sweep (:func:`~gridgov.visits.due_visits`) over a city's files asks of every file
whether some rule matches it today.  Most files never can, whatever the day (a young
resident with no condition a rule asks for), or not yet (a resident of 55 under a policy for
60+); a :class:`VisitRoster` works that out once, with the criteria engine
(:meth:`gridgov.Criteria.span`), and keeps the files ordered by the first day some rule can
match them, so that a sweep of a day passes over every file no rule can match with no work
per file at all.  It also keeps the condition windows of the files whose conditions have
windows (:func:`gridgov.condition_windows`), so that a sweep does not re-derive them.

A roster is built by the caller, like a :class:`~gridgov.visits.VisitLog`, and passed to
each sweep in place of the files; it holds nothing that changes with use.  Build a new one
when the files or the policy change.

Example:
    >>> from datetime import date, datetime
    >>> from gridgov import CST
    >>> from gridgov.demo import sample_residents
    >>> from gridgov.visits import DEFAULT_POLICY, VisitRecord, due_visits
    >>> roster = VisitRoster(residents=sample_residents(), policy=DEFAULT_POLICY)
    >>> seen = [VisitRecord(id="v1", resident="r-lu", member="m-li",
    ...                     at=datetime(2026, 11, 20, 10, tzinfo=CST))]
    >>> day = date(2026, 11, 26)
    >>> due = list(due_visits(roster, seen, DEFAULT_POLICY, on=day))
    >>> due == list(due_visits(sample_residents(), seen, DEFAULT_POLICY, on=day))
    True
    >>> [(d.resident, d.rule.id, d.days_overdue) for d in due if d.resident == "r-lu"]
    [('r-lu', 'discharged_alone', 1)]
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from datetime import date
from types import MappingProxyType

import attrs

import gridgov._validators as v
from gridgov.criteria import Windows, condition_windows
from gridgov.people import Resident
from gridgov.visits.policy import VisitPolicy

__all__ = ["VisitRoster"]

_NEVER = date.max.toordinal() + 1  # a first day after every day: no rule can ever match


@attrs.frozen(kw_only=True)
class VisitRoster:
    """A city's files with a visit policy compiled against them, for daily sweeps (see the
    module notes).

    Attributes:
        residents: the personal files, in the order sweeps stream them.
        policy: the policy compiled in; a sweep over the roster must use it.

    Raises:
        InvalidValueError: for something that is not a :class:`~gridgov.Resident`, or a
            policy that is not a :class:`~gridgov.visits.VisitPolicy`.

    Example:
        >>> from datetime import date
        >>> from gridgov import Resident
        >>> from gridgov.visits import DEFAULT_POLICY
        >>> young = Resident(id="r-1", name="n", household="h", birth_date=date(1990, 1, 1))
        >>> old = Resident(id="r-2", name="n", household="h", birth_date=date(1940, 1, 1))
        >>> roster = VisitRoster(residents=[young, old], policy=DEFAULT_POLICY)
        >>> [r.id for r in roster.candidates(date(2026, 11, 26))]
        ['r-2']
        >>> VisitRoster(residents=[young], policy=None)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'policy' of VisitRoster must be a VisitPolicy (got None).
    """

    residents: tuple[Resident, ...] = attrs.field(
        converter=v.to_tuple, validator=[v.tuple_of(), v.instances_of(Resident)]
    )
    policy: VisitPolicy = attrs.field(validator=v.is_a(VisitPolicy))

    # Built at construction, read-only (memoryviews of arrays nobody else holds): the
    # positions of the files by the first day some rule can match them, those days in the
    # same order, per position the day after the last such day (None: no end for any), and
    # the condition windows of the files with windows, by resident id.
    _order: memoryview = attrs.field(init=False, eq=False, hash=False, repr=False)
    _firsts: memoryview = attrs.field(init=False, eq=False, hash=False, repr=False)
    _ends: memoryview | None = attrs.field(init=False, eq=False, hash=False, repr=False)
    _windows: Mapping[str, Windows] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        whos = tuple(rule.who for rule in self.policy.rules)
        firsts = array("q")
        ends = array("q")
        windows: dict[str, Windows] = {}
        # Files alike in everything the criteria read share one answer (a local table,
        # dropped with the build).
        seen: dict[object, tuple[int, int]] = {}
        for r in self.residents:
            standing = r.standing_conditions
            key = None
            if standing is not None:
                key = (r.birth_date, r.file_opened, standing, r.tags)
                found = seen.get(key)
                if found is not None:
                    firsts.append(found[0])
                    ends.append(found[1])
                    continue
            else:
                windows[r.id] = condition_windows(r)
            first, end = _NEVER, 0
            for who in whos:
                span = who.span(r)
                if span is not None:
                    first = min(first, span[0])
                    end = max(end, span[1])
            if key is not None:
                seen[key] = (first, end)
            firsts.append(first)
            ends.append(end)
        order = sorted(range(len(firsts)), key=firsts.__getitem__)
        object.__setattr__(self, "_order", memoryview(array("q", order)).toreadonly())
        object.__setattr__(
            self, "_firsts", memoryview(array("q", [firsts[i] for i in order])).toreadonly()
        )
        finite = any(e < _NEVER for e, f in zip(ends, firsts, strict=True) if f < _NEVER)
        object.__setattr__(self, "_ends", memoryview(ends).toreadonly() if finite else None)
        object.__setattr__(self, "_windows", MappingProxyType(windows))

    def __len__(self) -> int:
        return len(self.residents)

    @property
    def windows(self) -> Mapping[str, Windows]:
        """Resident id → condition windows (:func:`gridgov.condition_windows`), for the files
        whose conditions have windows (read-only).

        Example:
            >>> from gridgov.demo import sample_residents
            >>> from gridgov.visits import DEFAULT_POLICY
            >>> roster = VisitRoster(residents=sample_residents(), policy=DEFAULT_POLICY)
            >>> sorted(roster.windows)
            ['r-lu']
        """
        return self._windows

    def candidates(self, on: date) -> Iterator[Resident]:
        """The files some rule of the policy may match on *on*, in roster order: every file
        the policy matches on *on* is among them, and every file no rule can match on *on*
        is passed over without being read.

        Example:
            >>> from datetime import date
            >>> from gridgov import Resident
            >>> from gridgov.demo import sample_residents
            >>> from gridgov.visits import DEFAULT_POLICY
            >>> files = [*sample_residents(), Resident(id="r-young", name="n", household="h",
            ...                                        birth_date=date(2000, 1, 1))]
            >>> roster = VisitRoster(residents=files, policy=DEFAULT_POLICY)
            >>> len(files), len(list(roster.candidates(date(2026, 11, 26))))
            (62, 61)
        """
        v.check_date("on", on)
        day = on.toordinal()
        positions = sorted(self._order[: bisect_right(self._firsts, day)])
        ends = self._ends
        if ends is not None:
            positions = [p for p in positions if ends[p] > day]
        return map(self.residents.__getitem__, positions)
