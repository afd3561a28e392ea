"""Access decisions and the access records an app stores (the audit trail).

:func:`~gridgov.privacy.may_see` answers with a :class:`AccessDecision`: allowed or not, the rule
that decided, and a :class:`~gridgov.Reason` in Chinese and English naming who asked and
what about.  :meth:`AccessDecision.record` turns it into an :class:`AccessRecord` — who, what,
why, when, allowed or not — for the app to keep; gridgov itself stores nothing.

Example:
    >>> from datetime import date, datetime
    >>> from gridgov import CST, Member, Post, Role
    >>> from gridgov.demo import sample_grid, sample_residents
    >>> from gridgov.privacy import Purpose, Scope, may_see
    >>> li = Scope.of_member(sample_grid().member("m-li"), purpose=Purpose.VISIT,
    ...                      on=date(2026, 11, 26))
    >>> lu = sample_residents()[-1]
    >>> decision = may_see(li, lu, grid=sample_grid())
    >>> bool(decision), decision.rule
    (True, 'post_subtree')
    >>> rec = decision.record(at=datetime(2026, 11, 26, 10, tzinfo=CST))
    >>> rec.decision.who.id, rec.decision.what.id, rec.decision.what.name, rec.decision.allowed
    ('m-li', 'r-lu', '吕**', True)
"""

from __future__ import annotations

from datetime import datetime

import attrs

import gridgov._validators as v
from gridgov.privacy.sensitivity import Purpose, Sensitivity
from gridgov.reasons import Reason, Ref
from gridgov.serialize import register

__all__ = ["ACCESS_RULES", "AccessDecision", "AccessRecord"]

ACCESS_RULES: frozenset[str] = frozenset(
    {
        "post_subtree",
        "co_handler_unit",
        "outside_posts",
        "no_seeing_post",
        "off_grid",
        "partner_link",
        "partner_released",
        "partner_done",
        "partner_not_linked",
        "partner_no_files",
        "purpose_class",
        "record_denied",
    }
)
"""The rules a decision can be made by."""


def _rule(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or value not in ACCESS_RULES:
        raise v.refuse("rule", instance, f"one of {sorted(ACCESS_RULES)}", value)


@register
@attrs.frozen(kw_only=True)
class AccessDecision:
    """Whether a scope may see a resident's file, a case or a field, and why.

    A decision is true when allowed, so ``if may_see(...):`` reads as it should.

    Attributes:
        allowed: whether the scope may see it.
        rule: the rule that decided (one of :data:`ACCESS_RULES`).
        reason: the explanation, naming who asked and what (a resident by a masked name).
        who: the member or partner asking.
        what: the resident or case asked about (``None`` for a field asked about alone).
        field: the field asked about, if any (``"Type.field"``).
        sensitivity: the field's class, if a field was asked about.
        purpose: the scope's purpose.

    Example:
        >>> from gridgov.privacy import Purpose
        >>> d = AccessDecision(allowed=False, rule="partner_not_linked", purpose=Purpose.CASE_HANDLING,
        ...              who=Ref(kind="partner", id="p-wy", name="物业"),
        ...              what=Ref(kind="case", id="c1", name="c1"),
        ...              reason=Reason(zh="未联动", en="not linked"))
        >>> bool(d)
        False
    """

    allowed: bool = attrs.field(validator=v.boolean)
    rule: str = attrs.field(validator=_rule)
    reason: Reason = attrs.field(validator=v.is_a(Reason))
    who: Ref = attrs.field(validator=v.is_a(Ref))
    purpose: Purpose = attrs.field(validator=v.is_a(Purpose))
    what: Ref | None = attrs.field(default=None, validator=v.optional(v.is_a(Ref)))
    field: str | None = attrs.field(default=None, validator=v.optional(v.text))
    sensitivity: Sensitivity | None = attrs.field(
        default=None, validator=v.optional(v.is_a(Sensitivity))
    )

    def __bool__(self) -> bool:
        return self.allowed

    def record(self, *, at: datetime) -> AccessRecord:
        """The access record of this decision, made at *at* (timezone-aware).

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> from gridgov.privacy import Purpose
            >>> d = AccessDecision(allowed=True, rule="purpose_class", purpose=Purpose.STATISTICS,
            ...              who=Ref(kind="member", id="m-sec", name="高书记"),
            ...              reason=Reason(zh="统计可查看非个人信息", en="statistics may see public fields"),
            ...              field="Issue.category")
            >>> d.record(at=datetime(2026, 12, 1, 9, tzinfo=CST)).at.isoformat()
            '2026-12-01T09:00:00+08:00'
        """
        return AccessRecord(at=at, decision=self)


@register
@attrs.frozen(kw_only=True)
class AccessRecord:
    """One access decision as the audit trail keeps it: who, what, why and whether allowed
    (the decision), and when.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> from gridgov.privacy import Purpose
        >>> d = AccessDecision(allowed=False, rule="outside_posts", purpose=Purpose.VISIT,
        ...                    who=Ref(kind="member", id="m-mg32", name="沈洁"),
        ...                    what=Ref(kind="resident", id="r-lu", name="吕**"),
        ...                    reason=Reason(zh="不在辖区内", en="outside the posts"))
        >>> AccessRecord(at=datetime(2026, 12, 1, tzinfo=CST), decision=d).decision.what.name
        '吕**'
    """

    at: datetime = attrs.field(validator=v.aware)
    decision: AccessDecision = attrs.field(validator=v.is_a(AccessDecision))
