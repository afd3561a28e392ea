"""The access rules behind :func:`gridgov.privacy.may_see` (private)."""

from __future__ import annotations

from datetime import date
from typing import Protocol

import attrs

from gridgov.cases import Case
from gridgov.errors import InvalidValueError
from gridgov.grid import GridGraph, GridUnit
from gridgov.issues import Issue
from gridgov.people import Member, Partner, Post, Resident
from gridgov.privacy._mask import is_minor, mask_name
from gridgov.privacy.records import AccessDecision
from gridgov.privacy.sensitivity import Purpose, Sensitivity, SensitivityTable
from gridgov.reasons import Reason, Ref


class Scope(Protocol):
    """What the rules read of a :class:`gridgov.privacy.Scope` (its shape, so that this engine
    does not import the module it serves)."""

    @property
    def purpose(self) -> Purpose: ...

    @property
    def on(self) -> date: ...

    @property
    def member(self) -> Member | None: ...

    @property
    def partner(self) -> Partner | None: ...

    @property
    def who(self) -> Ref: ...

    def classes(self, table: SensitivityTable = ...) -> frozenset[Sensitivity]: ...


def resident_ref(resident: Resident) -> Ref:
    """A resident as decisions name them: by id and a masked name."""
    return Ref(kind="resident", id=resident.id, name=mask_name(resident.name))


def _decision(
    scope: Scope, allowed: bool, rule: str, zh: str, en: str, what: Ref | None, *refs: Ref
) -> AccessDecision:
    who = scope.who
    return AccessDecision(
        allowed=allowed,
        rule=rule,
        reason=Reason(zh=zh, en=en, refs=(who, *refs) if what is None else (who, what, *refs)),
        who=who,
        purpose=scope.purpose,
        what=what,
    )


def _seeing_posts(member: Member, table: SensitivityTable) -> tuple[Post, ...]:
    return tuple(p for p in member.posts if p.role in table.roles)


def _covering(posts: tuple[Post, ...], chain: tuple[GridUnit, ...]) -> Post | None:
    """The first of *posts* at a unit of *chain* (a place's or a unit's units, bottom up)."""
    ids = {u.id for u in chain}
    return next((p for p in posts if p.unit in ids), None)


def _post_text(grid: GridGraph, post: Post) -> tuple[str, str, Ref]:
    name = grid.unit(post.unit).name if post.unit in grid else post.unit
    return (
        f"{post.role.zh}，{name}",
        f"{post.role.label} at {name}",
        Ref(kind="unit", id=post.unit, name=name),
    )


def _units_text(grid: GridGraph, posts: tuple[Post, ...]) -> str:
    return "、".join(grid.unit(p.unit).name if p.unit in grid else p.unit for p in posts)


def resident(
    scope: Scope, who: Resident, grid: GridGraph, table: SensitivityTable
) -> AccessDecision:
    """Whether the scope may see the file of *who* at all."""
    what = resident_ref(who)
    if scope.partner is not None:
        p = scope.partner
        return _decision(
            scope,
            False,
            "partner_no_files",
            f"{p.name}（{p.kind.zh}）不可查看居民档案：联动单位只可查看其联动参与的案件",
            f"{p.name} ({p.kind.label}) may not see personal files: a partner sees only the "
            "cases it is linked to",
            what,
        )
    assert scope.member is not None
    m = scope.member
    posts = _seeing_posts(m, table)
    if not posts:
        return _decision(
            scope,
            False,
            "no_seeing_post",
            f"{m.name} 的岗位不可查看居民档案：仅{'、'.join(sorted(r.zh for r in table.roles))}可查看其辖区居民",
            f"{m.name} holds no post that may see personal files (only "
            f"{', '.join(sorted(r.label for r in table.roles))} see their units' residents)",
            what,
        )
    if not grid.has_place(who.household):
        return _decision(
            scope,
            False,
            "off_grid",
            f"{m.name} 不可查看居民 {what.name} 的档案：其住户不在网格（{grid.version}）中",
            f"{m.name} may not see the file of resident {what.name}: their household is not on "
            f"the grid (version {grid.version})",
            what,
        )
    post = _covering(posts, grid.place_chain(who.household))
    if post is not None:
        zh, en, unit = _post_text(grid, post)
        return _decision(
            scope,
            True,
            "post_subtree",
            f"{m.name}（{zh}）可查看居民 {what.name} 的档案：其住户在 {unit.name} 内"
            f"（{scope.purpose.zh}）",
            f"{m.name} ({en}) may see the file of resident {what.name}: their household "
            f"lies in {unit.name} (purpose: {scope.purpose.label})",
            what,
            unit,
        )
    return _decision(
        scope,
        False,
        "outside_posts",
        f"{m.name} 不可查看居民 {what.name} 的档案：其住户不在本人岗位所辖范围"
        f"（{_units_text(grid, posts)}）内",
        f"{m.name} may not see the file of resident {what.name}: their household is outside "
        f"the units of their posts ({_units_text(grid, posts)})",
        what,
    )


def case(scope: Scope, c: Case, grid: GridGraph, table: SensitivityTable) -> AccessDecision:
    """Whether the scope may see the case *c* at all."""
    what = Ref(kind="case", id=c.id, name=c.id)
    if scope.partner is not None:
        return _partner_case(scope, c, what)
    assert scope.member is not None
    m = scope.member
    posts = _seeing_posts(m, table)
    where = c.chain[0]
    post = _covering(posts, c.chain)
    if post is not None:
        zh, en, unit = _post_text(grid, post)
        return _decision(
            scope,
            True,
            "post_subtree",
            f"{m.name}（{zh}）可查看案件 {c.id}：案件位于 {where.name}，在 {unit.name} 内",
            f"{m.name} ({en}) may see case {c.id}: it lies in {where.name}, within {unit.name}",
            what,
            unit,
        )
    for handler in c.co_handlers:
        if handler.kind != "unit" or not handler.is_open or handler.id not in grid:
            continue
        post = _covering(posts, grid.chain(handler.id))
        if post is not None:
            zh, en, unit = _post_text(grid, post)
            co = grid.unit(handler.id).name
            return _decision(
                scope,
                True,
                "co_handler_unit",
                f"{m.name}（{zh}）可查看案件 {c.id}：{co} 联动协办该案件",
                f"{m.name} ({en}) may see case {c.id}: {co} co-handles it",
                what,
                unit,
            )
    units = _units_text(grid, posts) if posts else "—"
    return _decision(
        scope,
        False,
        "outside_posts" if posts else "no_seeing_post",
        f"{m.name} 不可查看案件 {c.id}：案件位于 {where.name}，不在本人岗位所辖范围（{units}）内",
        f"{m.name} may not see case {c.id}: it lies in {where.name}, outside the units of their "
        f"posts that may see cases ({units})",
        what,
    )


def _partner_case(scope: Scope, c: Case, what: Ref) -> AccessDecision:
    assert scope.partner is not None
    p = scope.partner
    links = [h for h in c.co_handlers if h.kind == "partner" and h.id == p.id]
    if not links:
        return _decision(
            scope,
            False,
            "partner_not_linked",
            f"{p.name} 不可查看案件 {c.id}：未联动参与该案件",
            f"{p.name} may not see case {c.id}: it is not linked to it",
            what,
        )
    link = links[-1]
    if link.is_open:
        return _decision(
            scope,
            True,
            "partner_link",
            f"{p.name} 可查看案件 {c.id}：自 {link.linked_at.isoformat()} 起联动参与处置",
            f"{p.name} may see case {c.id}: linked to it since {link.linked_at.isoformat()}",
            what,
        )
    released = link.state == "released"
    return _decision(
        scope,
        False,
        "partner_released" if released else "partner_done",
        f"{p.name} 不可再查看案件 {c.id}：其联动已{'解除' if released else '办结'}",
        f"{p.name} may no longer see case {c.id}: its link was "
        f"{'released' if released else 'completed'}",
        what,
    )


def _class_text(scope: Scope, cls: Sensitivity, field: str, allowed: bool) -> tuple[str, str]:
    purpose = scope.purpose
    if allowed:
        return (
            f"{purpose.zh}可查看{cls.zh}信息（{field}）",
            f"{purpose.label} may see {cls.label} information ({field})",
        )
    return (
        f"{purpose.zh}不可查看{cls.zh}信息（{field}，{cls.basis}）",
        f"{purpose.label} may not see {cls.label} information ({field}, {cls.basis})",
    )


def _field_decision(
    scope: Scope, cls: Sensitivity, key: str, what: Ref | None, table: SensitivityTable
) -> AccessDecision:
    allowed = cls in scope.classes(table)
    zh, en = _class_text(scope, cls, key, allowed)
    d = _decision(scope, allowed, "purpose_class", zh, en, what)
    return attrs.evolve(d, field=key, sensitivity=cls)


def _split(key: str) -> tuple[str, str]:
    owner, dot, name = key.partition(".")
    if not dot or not owner or not name:
        raise InvalidValueError(
            f"'target' as a field must be 'Type.field' (got a str of {len(key)} characters)."
        )
    return owner, name


def field_alone(scope: Scope, key: str, table: SensitivityTable) -> AccessDecision:
    """Whether the scope's purpose may see fields like *key* (``"Type.field"``)."""
    owner, name = _split(key)
    return _field_decision(scope, table.class_of(owner, name), key, None, table)


def field_of(
    scope: Scope,
    target: Resident | Case,
    field: str,
    record: AccessDecision,
    table: SensitivityTable,
) -> AccessDecision:
    """Whether the scope may see *field* of *target*, the record being decided by *record*."""
    owner, name = _split(field) if "." in field else (type(target).__name__, field)
    holder: Resident | Case | Issue = target
    if isinstance(target, Case) and owner == "Issue":
        holder = target.issue
    names = {a.name for a in attrs.fields(type(holder))}
    if type(holder).__name__ != owner or name not in names:
        raise InvalidValueError(
            f"'field' must name a field of {type(target).__name__} or of its issue "
            f"(got {field!r:.80})."
        )
    key = f"{owner}.{name}"
    if not record.allowed:
        return attrs.evolve(record, rule="record_denied", field=key)
    cls = table.class_of(owner, name)
    if isinstance(target, Resident) and name == "conditions":
        classes = [table.condition_class(c.kind) for c in target.conditions]
        refused = [c for c in classes if c not in scope.classes(table)]
        cls = refused[0] if refused else (classes[0] if classes else cls)
    if (
        isinstance(target, Resident)
        and cls is not Sensitivity.PUBLIC
        and is_minor(target, scope.on, table)
    ):
        cls = Sensitivity.MINOR
    return _field_decision(scope, cls, key, record.what, table)
