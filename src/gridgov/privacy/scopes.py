"""Scopes: who is asking, as a value, and what they may see.

A :class:`Scope` is a member of the grid team with their posts (a role at a unit), or a
partner linked to cases, plus a :class:`~gridgov.privacy.Purpose` and the day asked on.
Deny by default:

* a member sees the residents and cases below the units of their posts — a 微网格长 their
  micro-grid's, a 网格长 the grid's, a 社区书记 the community's — through posts of the
  roles the sensitivity table lets see (:attr:`~gridgov.privacy.SensitivityTable.roles`),
  and the cases a unit below them co-handles;
* a partner sees only the cases it is linked to (联动), only while its link is open — read
  from the case's own events (:class:`~gridgov.cases.CoHandlerLinked`, released, done) —
  and never a personal file;
* what it may see of a field depends on the field's class and the purpose.

:func:`may_see` answers with a :class:`~gridgov.privacy.AccessDecision`; :func:`visible` filters a
collection.

Example:
    >>> from datetime import date
    >>> from gridgov.demo import sample_case, sample_grid, sample_residents
    >>> grid, lu, case = sample_grid(), sample_residents()[-1], sample_case()
    >>> [wy] = [p for p in grid.partners_covering("g3") if p.id == "p-wuye"]
    >>> wuye = Scope.of_partner(wy, on=date(2026, 11, 26))
    >>> bool(may_see(wuye, case, grid=grid)), bool(may_see(wuye, lu, grid=grid))
    (True, False)
    >>> print(may_see(wuye, lu, grid=grid).reason.zh)
    美好人家物业（物业）不可查看居民档案：联动单位只可查看其联动参与的案件
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TypeVar

import attrs

import gridgov._validators as v
import gridgov.privacy._access as _access
from gridgov.cases import Case
from gridgov.errors import InvalidValueError
from gridgov.grid import GridGraph
from gridgov.people import Member, Partner, Resident
from gridgov.privacy.records import AccessDecision
from gridgov.privacy.sensitivity import DEFAULT_SENSITIVITY, Purpose, Sensitivity, SensitivityTable
from gridgov.reasons import Ref
from gridgov.serialize import register

__all__ = ["Scope", "may_see", "visible"]

T = TypeVar("T", Resident, Case)


@register
@attrs.frozen(kw_only=True)
class Scope:
    """Who is asking — a member with their posts, or a partner — for what, on which day.

    Exactly one of ``member`` and ``partner`` is given.  ``on`` is the day of the request: it
    decides who is a minor.

    Example:
        >>> from datetime import date
        >>> from gridgov import Member, Post, Role
        >>> peng = Member(id="m-g3", name="彭雪丽", posts=[Post(role=Role.GRID_LEADER, unit="g3")])
        >>> s = Scope.of_member(peng, purpose=Purpose.CASE_HANDLING, on=date(2026, 11, 26))
        >>> s.who.name, s.purpose.zh
        ('彭雪丽', '案件办理')
        >>> Scope(purpose=Purpose.VISIT, on=date(2026, 11, 26))
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: Scope must name exactly one of 'member' and 'partner' (got neither).
    """

    purpose: Purpose = attrs.field(validator=v.is_a(Purpose))
    on: date = attrs.field(validator=v.plain_date)
    member: Member | None = attrs.field(default=None, validator=v.optional(v.is_a(Member)))
    partner: Partner | None = attrs.field(default=None, validator=v.optional(v.is_a(Partner)))

    def __attrs_post_init__(self) -> None:
        if (self.member is None) == (self.partner is None):
            got = "neither" if self.member is None else "both"
            raise InvalidValueError(
                f"Scope must name exactly one of 'member' and 'partner' (got {got})."
            )

    @classmethod
    def of_member(cls, member: Member, *, purpose: Purpose, on: date) -> Scope:
        """A member's scope.

        Example:
            >>> from datetime import date
            >>> from gridgov.demo import sample_grid
            >>> Scope.of_member(sample_grid().member("m-li"), purpose=Purpose.VISIT,
            ...                 on=date(2026, 11, 26)).who.id
            'm-li'
        """
        return cls(member=member, purpose=purpose, on=on)

    @classmethod
    def of_partner(
        cls, partner: Partner, *, on: date, purpose: Purpose = Purpose.CASE_HANDLING
    ) -> Scope:
        """A partner's scope (for handling the cases it is linked to, unless said otherwise).

        Example:
            >>> from datetime import date
            >>> from gridgov.demo import sample_grid
            >>> Scope.of_partner(next(p for p in sample_grid().partners_covering("g3")
            ...      if p.id == "p-wuye"),
            ...                  on=date(2026, 11, 26)).who.kind
            'partner'
        """
        return cls(partner=partner, purpose=purpose, on=on)

    @property
    def who(self) -> Ref:
        """The member or partner asking, as a :class:`~gridgov.Ref`."""
        if self.member is not None:
            return Ref(kind="member", id=self.member.id, name=self.member.name)
        assert self.partner is not None
        return Ref(kind="partner", id=self.partner.id, name=self.partner.name)

    def classes(self, table: SensitivityTable = DEFAULT_SENSITIVITY) -> frozenset[Sensitivity]:
        """The classes this scope may see of what it may see at all: its purpose's, and for
        a partner no more than the table's ``partner_classes``.

        Example:
            >>> from datetime import date
            >>> from gridgov.demo import sample_grid
            >>> s = Scope.of_partner(next(p for p in sample_grid().partners_covering("g3")
            ...      if p.id == "p-wuye"), on=date(2026, 11, 26))
            >>> sorted(c.value for c in s.classes())
            ['public', 'whereabouts']
        """
        found = table.classes_for(self.purpose)
        if self.partner is not None:
            found = found & (table.partner_classes | {Sensitivity.PUBLIC})
        return found


def may_see(
    scope: Scope,
    target: Resident | Case | str,
    *,
    grid: GridGraph,
    field: str | None = None,
    table: SensitivityTable = DEFAULT_SENSITIVITY,
) -> AccessDecision:
    """Whether *scope* may see *target* — a resident's file, a case, or a field alone
    (``"Type.field"``) — or, with *field*, that field of it; with the rule and the reason.

    A field of a resident or case is seen only if the record is, and its class (``minor``
    for any non-public field of a child) is among :meth:`Scope.classes`.  A field asked
    about alone is decided by its class only.  ``field="conditions"`` of a resident is
    seen only if every condition on the file is.

    Raises:
        InvalidValueError: for a target that is not a resident, a case or a field name, or
            a field the target's type does not have.

    Example:
        >>> from datetime import date
        >>> from gridgov.demo import sample_grid, sample_residents
        >>> grid, lu = sample_grid(), sample_residents()[-1]
        >>> other = Scope.of_member(grid.member("m-mg32"), purpose=Purpose.VISIT,
        ...                         on=date(2026, 11, 26))
        >>> d = may_see(other, lu, grid=grid)
        >>> d.allowed, d.rule
        (False, 'outside_posts')
        >>> print(d.reason.en)
        沈洁 may not see the file of resident 吕**: their household is outside the units of their posts (美好人家2号楼)
        >>> stats = attrs.evolve(other, purpose=Purpose.STATISTICS)
        >>> may_see(stats, "Resident.name", grid=grid).allowed
        False
    """
    v.check_instance("scope", scope, Scope)
    v.check_instance("grid", grid, GridGraph)
    v.check_instance("table", table, SensitivityTable)
    if isinstance(target, str):
        if field is not None:
            raise InvalidValueError("'field' must not be given with a field as the target.")
        return _access.field_alone(scope, target, table)
    if isinstance(target, Resident):
        record = _access.resident(scope, target, grid, table)
    elif isinstance(target, Case):
        record = _access.case(scope, target, grid, table)
    else:
        raise v.refuse("target", None, "a Resident, a Case or a field name", target)
    if field is None:
        return record
    return _access.field_of(scope, target, field, record, table)


def visible(
    scope: Scope,
    items: Iterable[T],
    *,
    grid: GridGraph,
    table: SensitivityTable = DEFAULT_SENSITIVITY,
) -> tuple[T, ...]:
    """The residents or cases of *items* the scope may see, in order.

    Example:
        >>> from datetime import date
        >>> from gridgov.demo import sample_grid, sample_residents
        >>> grid = sample_grid()
        >>> li = Scope.of_member(grid.member("m-li"), purpose=Purpose.VISIT, on=date(2026, 11, 26))
        >>> [r.id for r in visible(li, sample_residents(), grid=grid)]
        ['r-021', 'r-022', 'r-023', 'r-lu']
    """
    return tuple(
        item
        for item in v.check_items("items", items)
        if may_see(scope, item, grid=grid, table=table).allowed
    )
