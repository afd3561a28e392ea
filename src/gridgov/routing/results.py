"""The results of routing: the full, explained :class:`Assignment` of :meth:`Router.route
<gridgov.routing.Router.route>` and the names of the compact :class:`Routed` tuples of
:meth:`Router.route_many <gridgov.routing.Router.route_many>`.

Example:
    >>> Routed(issue="i-1", unit="g3", rule="default", moved_by_matrix=False).moved_by_matrix
    False
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

import attrs

import gridgov._validators as v
from gridgov.calendar import Deadline
from gridgov.errors import PolicyError
from gridgov.grid import GridUnit, check_chain
from gridgov.issues import Issue
from gridgov.reasons import Reason
from gridgov.serialize import register

__all__ = ["Assignment", "Routed"]


class _Deriver(Protocol):
    """What made an assignment that derives some of its fields when read (the router)."""

    def _derived(self, assignment: Assignment, name: str) -> Any: ...

    def _in_full(self, assignment: Assignment) -> Assignment: ...


_DERIVED = frozenset(
    {
        "located", "grid_version", "leader", "leader_name", "partners", "reason", "accept_by",
        "resolve_by",
    }
)  # fmt: skip
# The fields of an Assignment that Router.route may leave to be derived when read.


def _positions(instance: Assignment, attribute: attrs.Attribute[int], value: int) -> None:
    v.check_integer(attribute.name, value, 0, len(instance.chain) - 1, instance)


@register
@attrs.frozen(kw_only=True)
class Assignment:
    """The result of routing one issue: where it goes, why, and by when.

    Attributes:
        issue: the issue's id.
        rule: the id of the rule that fired.
        chain: the units the issue was routed along: the unit it is located in (the bottom-tier
            unit of its place, the unit it concerns, or — unlocated — the unit the router puts
            unlocated issues at), then every unit above it, as the grid was drawn.
        position: the index in ``chain`` of the responsible unit.
        start: the index in ``chain`` of the unit the rule started at.
        located: whether the issue had a known place or unit (``False``: 待定位).
        grid_version: the version of the grid it was routed on.
        reason: why, in Chinese and English.
        leader: the id of the responsible unit's leader, if the grid knows one.
        leader_name: the leader's name, if known.
        partners: ids of the linked partners (联动).
        accept_by: the deadline to accept (立案) set by the rule, if any.
        resolve_by: the deadline to resolve set by the rule, if any.

    An assignment :meth:`Router.route <gridgov.Router.route>` makes stores the decision
    (issue, rule, chain, position, start) with the issue and the router that made it, and
    derives the other fields — ``reason``, the deadlines (unless a planner was given),
    ``partners``, ``leader``, ``leader_name``, ``located``, ``grid_version`` — each time they
    are read (nothing is stored as it is read: read them once, or ask for :meth:`in_full`, if
    they are needed often), so that routing a batch builds one object per issue.  It equals, hashes, prints, pickles and
    serialises as the same assignment with those fields given (:func:`~gridgov.to_dict`
    writes them out; :func:`~gridgov.from_dict` gives that assignment back).

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, DEFAULT_MATRIX, DEFAULT_RULES, Channel, Issue, Reporter
        >>> from gridgov import Router
        >>> from gridgov.demo import sample_grid
        >>> a = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX).route(
        ...     Issue(id="i-1", category="elder_care", severity=3, channel=Channel.VISIT,
        ...           place="h-1001", reporter=Reporter.member("m-li"),
        ...           reported_at=datetime(2026, 11, 26, 10, 15, tzinfo=CST)))
        >>> a.unit, a.start_unit, a.moved_by_matrix, a.resolve_by.limit.describe()
        ('g3', 'mg31', True, '13个工作日 13 working days')
    """

    issue: str = attrs.field(validator=v.ident)
    rule: str = attrs.field(validator=v.ident)
    chain: tuple[GridUnit, ...] = attrs.field(
        converter=v.to_tuple, validator=lambda i, a, x: check_chain("chain", x, i)
    )
    position: int = attrs.field(validator=_positions)
    start: int = attrs.field(validator=_positions)
    located: bool = attrs.field(validator=v.boolean)
    grid_version: str = attrs.field(validator=v.ident)
    reason: Reason = attrs.field(validator=v.is_a(Reason))
    leader: str | None = attrs.field(default=None, validator=v.optional(v.ident))
    leader_name: str | None = attrs.field(default=None, validator=v.optional(v.personal_name))
    partners: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.ident)
    )
    accept_by: Deadline | None = attrs.field(default=None, validator=v.optional(v.is_a(Deadline)))
    resolve_by: Deadline | None = attrs.field(default=None, validator=v.optional(v.is_a(Deadline)))
    # What a routed assignment derives its unset fields (reason, deadlines) from: the router,
    # the issue and the index of the rule; None for an assignment built with every field.
    _router: _Deriver | None = attrs.field(default=None, init=False, eq=False, hash=False, repr=False)
    _routed: Issue | None = attrs.field(default=None, init=False, eq=False, hash=False, repr=False)
    _index: int = attrs.field(default=0, init=False, eq=False, hash=False, repr=False)

    if not TYPE_CHECKING:  # mypy sees the fields' own types, not this fallback

        def __getattr__(self, name: str) -> Any:
            # Only called for a slot left unset: a field Router.route leaves to be derived.
            if name in _DERIVED:
                router = self._router
                if router is not None:
                    return router._derived(self, name)
            raise AttributeError(f"'Assignment' object has no attribute {name!r}")

    def __attrs_post_init__(self) -> None:
        if self.start > self.position:
            raise PolicyError(
                f"'position' of Assignment must not be below its start {self.start} "
                f"(got {self.position}): the matrix only moves an issue up."
            )

    def in_full(self) -> Assignment:
        """The same assignment with every field stored: what :meth:`Router.route
        <gridgov.Router.route>` leaves to be derived when read, derived once (for code that reads most fields, or keeps the
        assignment long); an assignment built with every field is returned as it is.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST, DEFAULT_MATRIX, DEFAULT_RULES, Channel, Issue, Reporter
            >>> from gridgov import Router
            >>> from gridgov.demo import sample_grid
            >>> a = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX).route(
            ...     Issue(id="i-1", category="dispute", severity=1, channel=Channel.APP,
            ...           place="h-1001", reporter=Reporter.resident("r-1"),
            ...           reported_at=datetime(2026, 11, 26, 10, 15, tzinfo=CST)))
            >>> full = a.in_full()
            >>> full == a, full.in_full() is full, full.resolve_by.due.date().isoformat()
            (True, True, '2026-12-15')
        """
        router = self._router
        return self if router is None else router._in_full(self)

    @property
    def unit(self) -> str:
        """The responsible unit's id."""
        return self.chain[self.position].id

    @property
    def unit_name(self) -> str:
        """The responsible unit's name."""
        return self.chain[self.position].name

    @property
    def tier(self) -> str:
        """The responsible unit's tier."""
        return self.chain[self.position].tier

    @property
    def start_unit(self) -> str:
        """The id of the unit the rule started at, before the responsibility matrix."""
        return self.chain[self.start].id

    @property
    def moved_by_matrix(self) -> bool:
        """Whether the responsibility matrix moved the issue up from :attr:`start_unit`."""
        return self.position != self.start


@register
class Routed(NamedTuple):
    """The fields of a compact routing result, in the order :meth:`Router.route_many
    <gridgov.Router.route_many>` yields them as plain tuples; ``Routed(*result)`` (or
    ``Routed._make``) names them.  A named one serialises like any value
    (:func:`~gridgov.to_dict`), its fields by name.

    Example:
        >>> Routed(issue="i-1", unit="g3", rule="default", moved_by_matrix=True).unit
        'g3'
        >>> Routed(*("i-1", "g3", "default", True)) == ("i-1", "g3", "default", True)
        True
        >>> from gridgov import from_dict, to_dict
        >>> to_dict(Routed(*("i-1", "g3", "default", True)))["unit"]
        'g3'
    """

    issue: str
    """The issue's id."""
    unit: str
    """The responsible unit's id."""
    rule: str
    """The id of the rule that fired."""
    moved_by_matrix: bool
    """Whether the responsibility matrix moved the issue up."""
