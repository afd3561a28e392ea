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

from collections.abc import Iterator, Mapping
from datetime import date

import attrs

import gridgov._validators as v
from gridgov._windows import Windows
from gridgov.people import Resident
from gridgov.visits._roster import RosterIndex, build
from gridgov.visits.policy import VisitPolicy

__all__ = ["VisitRoster"]


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

    def __attrs_post_init__(self) -> None:
        whos = tuple(rule.who for rule in self.policy.by_strictness())
        object.__setattr__(self, "_index", build(self.residents, whos))

    def __len__(self) -> int:
        return len(self.residents)

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
