"""The residents under a visit policy, compiled once (走访花名册): a caller-owned index.

A daily sweep (:func:`~gridgov.visits.due_visits`) over a city's files asks of every file
whether some rule matches it today.  Most files never can, whatever the day (a young
resident with no condition a rule asks for), or not yet (a resident of 55 under a policy for
60+); a :class:`VisitRoster` works that out once, with the criteria engine
(:meth:`gridgov.Criteria.span`), and keeps the files ordered by the first day some rule can
match them, so that a sweep of a day passes over every file no rule can match with no work
per file at all.  It also keeps the condition windows of the files whose conditions have
windows (as day numbers), so that a sweep does not re-derive them.

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
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from types import MappingProxyType

import attrs

import gridgov._validators as v
from gridgov._pickling import reduce_fields
from gridgov._windows import Windows
from gridgov.people import Resident
from gridgov.visits._roster import RosterIndex, build
from gridgov.visits.policy import VisitPolicy
from gridgov.visits.records import VisitLog, VisitRecord

__all__ = ["RosterLog", "VisitRoster"]


@attrs.frozen(kw_only=True)
class VisitRoster:
    """A city's files with a visit policy compiled against them, for daily sweeps (see the
    module notes).

    Attributes:
        residents: the personal files, in the order sweeps stream them.
        policy: the policy compiled in; a sweep over the roster must use it.

    Raises:
        InvalidValueError: for something that is not a :class:`~gridgov.Resident`, two
            files with one id, or a policy that is not a :class:`~gridgov.visits.VisitPolicy`.

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

    # Built at construction, read-only: what sweeps read (see gridgov.visits._roster).
    _index: RosterIndex = attrs.field(init=False, eq=False, hash=False, repr=False)

    # A pickle holds the files and the policy; the index is compiled again when loaded.
    __reduce__ = reduce_fields

    def __attrs_post_init__(self) -> None:
        whos = tuple(rule.who for rule in self.policy.by_strictness())
        object.__setattr__(self, "_index", build(self.residents, whos))

    def __len__(self) -> int:
        return len(self.residents)

    @property
    def index(self) -> RosterIndex:
        """The files compiled with the policy (profiles, windows, the order by the first day a
        rule can match) — what the due sweep reads.  An advanced API: the value is opaque and
        read-only.

        Example:
            >>> from gridgov.demo import sample_residents
            >>> from gridgov.visits import DEFAULT_POLICY
            >>> roster = VisitRoster(residents=sample_residents(), policy=DEFAULT_POLICY)
            >>> roster.index is roster.index
            True
        """
        return self._index

    @property
    def windows(self) -> Mapping[str, Windows]:
        """Resident id → condition windows (``(kind, first day, end day)`` day numbers), for the files
        whose conditions have windows (read-only).

        Example:
            >>> from gridgov.demo import sample_residents
            >>> from gridgov.visits import DEFAULT_POLICY
            >>> roster = VisitRoster(residents=sample_residents(), policy=DEFAULT_POLICY)
            >>> sorted(roster.windows)
            ['r-lu']
        """
        return self._index.windows

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
        return map(self.residents.__getitem__, self._index.positions(on.toordinal()))

    def join(self, log: VisitLog) -> RosterLog:
        """The roster joined with *log*: each file's first and last visit day, by position
        (see :class:`RosterLog`).

        Raises:
            InvalidValueError: if *log* is not a :class:`~gridgov.visits.VisitLog`.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> from gridgov.demo import sample_residents
            >>> from gridgov.visits import DEFAULT_POLICY, VisitLog, VisitRecord
            >>> roster = VisitRoster(residents=sample_residents(), policy=DEFAULT_POLICY)
            >>> log = VisitLog(records=[VisitRecord(id="v1", resident="r-lu", member="m-li",
            ...                                     at=datetime(2026, 11, 20, 9, tzinfo=CST))])
            >>> roster.join(log).last_visit("r-lu")
            datetime.date(2026, 11, 20)
        """
        v.check_instance("log", log, VisitLog)
        ids = self._index.ids
        lasts = array("i", bytes(4 * len(ids)))
        firsts = array("i", bytes(4 * len(ids)))
        positions = MappingProxyType(dict(zip(ids, range(len(ids)), strict=True)))
        _fold(log.records, positions, firsts, lasts)
        return _new_roster_log(self, log, positions, firsts, lasts)


def _fold(
    records: Iterable[VisitRecord],
    positions: Mapping[str, int],
    firsts: array[int],
    lasts: array[int],
) -> None:
    """Fold *records* of the roster's residents into the per-position first and last days
    (0: none); records of residents not in the roster are passed over."""
    at = positions.get
    for rec in records:
        p = at(rec.resident)
        if p is None:
            continue
        d = rec.day_number
        if lasts[p] < d:
            lasts[p] = d
        f = firsts[p]
        if f == 0 or d < f:
            firsts[p] = d


@attrs.frozen(kw_only=True)
class RosterLog:
    """A :class:`VisitRoster` joined with a :class:`~gridgov.visits.VisitLog`: the first and
    last visit day of each file, as ``array('i')`` day numbers aligned with the roster's
    files (0: never visited), so that a sweep reads a file's last visit at its position
    instead of looking its id up in the log.  Records of residents without a file in the
    roster are kept in the log and not joined.

    Built by the caller once (:meth:`VisitRoster.join`), passed to each sweep in place of the
    log (``due_visits(roster, joined, policy, on=day)``, or :func:`~gridgov.visits.due_ids`),
    and grown by new values (:meth:`with_records`, like
    :meth:`VisitLog.with_records <gridgov.visits.VisitLog.with_records>`: only the new
    records are folded in; the old value is unchanged).  A sweep gives exactly what it gives
    over the roster and the log; one of a day before the log's latest record sweeps the log
    as of that day (the arrays hold the later visits).  Rules counting some visit modes only
    read those from the log.

    Attributes:
        roster: the roster joined.
        log: the visit log joined.

    Example:
        >>> from datetime import date, datetime
        >>> from gridgov import CST
        >>> from gridgov.demo import sample_residents
        >>> from gridgov.visits import DEFAULT_POLICY, VisitLog, VisitRecord, due_visits
        >>> roster = VisitRoster(residents=sample_residents(), policy=DEFAULT_POLICY)
        >>> joined = roster.join(VisitLog())
        >>> joined = joined.with_records([VisitRecord(id="v1", resident="r-lu", member="m-li",
        ...                                           at=datetime(2026, 11, 20, 10, tzinfo=CST))])
        >>> day = date(2026, 11, 26)
        >>> due = list(due_visits(roster, joined, DEFAULT_POLICY, on=day))
        >>> due == list(due_visits(roster, joined.log, DEFAULT_POLICY, on=day))
        True
        >>> [(d.resident, d.days_overdue) for d in due if d.resident == "r-lu"]
        [('r-lu', 1)]
    """

    roster: VisitRoster = attrs.field(validator=v.is_a(VisitRoster))
    log: VisitLog = attrs.field(validator=v.is_a(VisitLog))

    # Built at construction, read-only (never written after): resident id → position, and
    # per position the first and last visit day.
    _positions: Mapping[str, int] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _firsts: memoryview = attrs.field(init=False, eq=False, hash=False, repr=False)
    _lasts: memoryview = attrs.field(init=False, eq=False, hash=False, repr=False)

    # A pickle holds the roster and the log; the arrays are joined again when loaded.
    __reduce__ = reduce_fields

    def __attrs_post_init__(self) -> None:
        joined = self.roster.join(self.log)
        object.__setattr__(self, "_positions", joined._positions)
        object.__setattr__(self, "_firsts", joined._firsts)
        object.__setattr__(self, "_lasts", joined._lasts)

    def with_records(self, records: Iterable[VisitRecord]) -> RosterLog:
        """A new join with *records* added to the log, folding in only the records new to it
        (the arrays are copied, this value is unchanged).

        Raises:
            InvalidValueError: as :meth:`VisitLog.with_records
                <gridgov.visits.VisitLog.with_records>`.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> from gridgov.demo import sample_residents
            >>> from gridgov.visits import DEFAULT_POLICY, VisitLog, VisitRecord
            >>> roster = VisitRoster(residents=sample_residents(), policy=DEFAULT_POLICY)
            >>> v = VisitRecord(id="v1", resident="r-lu", member="m-li",
            ...                 at=datetime(2026, 11, 20, 9, tzinfo=CST))
            >>> roster.join(VisitLog()).with_records([v]) == roster.join(VisitLog(records=[v]))
            True
        """
        log = self.log.with_records(records)
        if log is self.log:
            return self
        firsts = array("i", self._firsts)
        lasts = array("i", self._lasts)
        _fold(log.records[len(self.log.records) :], self._positions, firsts, lasts)
        return _new_roster_log(self.roster, log, self._positions, firsts, lasts)

    @property
    def visit_days(self) -> tuple[memoryview, memoryview]:
        """The first and the last visit day of each file, as read-only views of day numbers
        (``date.toordinal()``; 0: never visited) aligned with the roster's files — what a
        sweep reads (an advanced API).

        Example:
            >>> from gridgov.demo import sample_residents
            >>> from gridgov.visits import DEFAULT_POLICY, VisitLog
            >>> firsts, lasts = VisitRoster(residents=sample_residents(),
            ...                             policy=DEFAULT_POLICY).join(VisitLog()).visit_days
            >>> len(firsts) == len(sample_residents()), set(lasts), lasts.readonly
            (True, {0}, True)
        """
        return self._firsts, self._lasts

    def last_visit(self, resident: str) -> date | None:
        """The day of *resident*'s last visit (any mode), or ``None`` (never visited, or no
        file in the roster).

        Example:
            >>> from gridgov.demo import sample_residents
            >>> from gridgov.visits import DEFAULT_POLICY, VisitLog
            >>> VisitRoster(residents=sample_residents(), policy=DEFAULT_POLICY).join(
            ...     VisitLog()).last_visit("r-lu") is None
            True
        """
        v.check_ident("resident", resident)
        p = self._positions.get(resident)
        day = 0 if p is None else self._lasts[p]
        return date.fromordinal(day) if day else None


def _new_roster_log(
    roster: VisitRoster,
    log: VisitLog,
    positions: Mapping[str, int],
    firsts: array[int],
    lasts: array[int],
) -> RosterLog:
    joined: RosterLog = object.__new__(RosterLog)
    object.__setattr__(joined, "roster", roster)
    object.__setattr__(joined, "log", log)
    object.__setattr__(joined, "_positions", positions)
    # Read-only views: the value never changes after it is built (with_records copies).
    object.__setattr__(joined, "_firsts", memoryview(firsts).toreadonly())
    object.__setattr__(joined, "_lasts", memoryview(lasts).toreadonly())
    return joined
