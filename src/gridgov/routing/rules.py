"""Routing rules: ordered, declarative rules that say where an issue starts and what is set.

A :class:`RuleSet` is an ordered list of :class:`RoutingRule` s.  Each has a :class:`Match`
(category, severity range, channel, criteria on the resident's personal file, and — as an
escape hatch — a callable predicate) and an action: the tier to start at, the partner kinds
to link (联动) and the time limits to set.  The first matching rule wins; the last rule must
match everything.

Example:
    >>> DEFAULT_RULES.default_rule.id, len(DEFAULT_RULES.rules)
    ('default', 7)
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

import gridgov._validators as v
from gridgov.calendar import TimeLimit
from gridgov.criteria import Criteria
from gridgov.errors import PolicyError, SerializationError
from gridgov.issues import Channel, Issue, Severity, severity_field, to_severity
from gridgov.people import PartnerKind
from gridgov.reasons import Reason
from gridgov.serialize import register

__all__ = ["DEFAULT_RULES", "MAX_RULES", "Match", "RoutingRule", "RuleSet"]

MAX_RULES = 1000
"""The most rules a rule set may hold."""


@register
@attrs.frozen(kw_only=True)
class Match:
    """What a routing rule matches.  Empty sets match anything.

    Attributes:
        categories: category codes; a code also matches the categories refining it in the
            catalogue in use.
        min_severity: the lowest severity matched (1–4).
        max_severity: the highest severity matched (1–4).
        channels: channels matched.
        who: criteria on the personal file of the resident the issue concerns, read on the
            day the issue was reported (in the router's calendar's timezone): age,
            conditions in force, tags, and an open file.  An issue without a resident, or
            whose resident has no file among those given, does not match non-empty criteria.
        predicate: an escape hatch, ``predicate(issue) -> bool``; a rule with one cannot be
            serialised (:func:`~gridgov.to_dict` refuses it).

    Example:
        >>> print(Match(categories={"safety_hazard"}, min_severity=3).describe().en)
        category safety_hazard, severity ≥ urgent
        >>> Match(who=Criteria(conditions_any={"living_alone"})).reads_file
        True
    """

    categories: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(v.code)
    )
    min_severity: Severity = attrs.field(
        default=Severity.ROUTINE, converter=to_severity, validator=severity_field
    )
    max_severity: Severity = attrs.field(
        default=Severity.EMERGENCY, converter=to_severity, validator=severity_field
    )
    channels: frozenset[Channel] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(v.holds(Channel))
    )
    who: Criteria = attrs.field(factory=Criteria, validator=v.is_a(Criteria))
    predicate: Callable[[Issue], bool] | None = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        if self.min_severity > self.max_severity:
            raise PolicyError(
                f"'max_severity' of a Match must be at least its min_severity "
                f"{int(self.min_severity)} (got {int(self.max_severity)})."
            )
        if self.predicate is not None and not callable(self.predicate):
            raise PolicyError(f"'predicate' must be callable (got {v.show(self.predicate)}).")

    @property
    def reads_file(self) -> bool:
        """Whether the match reads the personal file of the resident concerned.

        Example:
            >>> Match().reads_file
            False
        """
        return not self.who.is_empty

    def _check_serialisable(self, path: str) -> None:
        if self.predicate is not None:
            raise SerializationError(
                f"'{path}.predicate' holds a callable ({self.predicate!r:.60}), which cannot be "
                "serialised; express it with the declarative match fields, or keep this rule "
                "in code."
            )

    @property
    def is_unconditional(self) -> bool:
        """Whether the match accepts every issue.

        Example:
            >>> Match().is_unconditional, Match(channels={Channel.HOTLINE}).is_unconditional
            (True, False)
        """
        return (
            not self.categories
            and self.min_severity == Severity.ROUTINE
            and self.max_severity == Severity.EMERGENCY
            and not self.channels
            and self.who.is_empty
            and self.predicate is None
        )

    @property
    def is_static(self) -> bool:
        """Whether the match depends only on category, severity and channel.

        Example:
            >>> Match(who=Criteria(min_age=60)).is_static
            False
        """
        return self.who.is_empty and self.predicate is None

    def describe(self) -> Reason:
        """What the match accepts, as a grid worker reads it.

        Example:
            >>> print(Match(channels={Channel.HOTLINE}, who=Criteria(min_age=60)).describe())
            渠道 热线；60岁以上
            channel hotline, aged 60 or over
        """
        zh: list[str] = []
        en: list[str] = []
        if self.categories:
            zh.append("类别 " + "/".join(sorted(self.categories)))
            en.append("category " + "/".join(sorted(self.categories)))
        lo, hi = self.min_severity, self.max_severity
        if lo > Severity.ROUTINE and hi == Severity.EMERGENCY:
            zh.append(f"{lo.zh}及以上")
            en.append(f"severity ≥ {lo.label}")
        elif lo > Severity.ROUTINE or hi < Severity.EMERGENCY:
            zh.append(f"{lo.zh}至{hi.zh}")
            en.append(f"severity {lo.label}–{hi.label}")
        if self.channels:
            zh.append("渠道 " + "/".join(c.zh for c in sorted(self.channels, key=_value)))
            en.append("channel " + "/".join(sorted(c.value for c in self.channels)))
        if not self.who.is_empty:
            who = self.who.describe()
            zh.append(who.zh)
            en.append(who.en)
        if self.predicate is not None:
            zh.append("自定义条件")
            en.append("a custom predicate")
        if not zh:
            return Reason(zh="所有诉求", en="any issue")
        return Reason(zh="；".join(zh), en=", ".join(en))


def _value(channel: Channel) -> str:
    return str(channel.value)


@register
@attrs.frozen(kw_only=True)
class RoutingRule:
    """A declarative routing rule: a match and an action.

    Attributes:
        id: the rule's id, quoted in every assignment it makes.
        name: a short English name.
        zh: a short Chinese name.
        match: what the rule matches.
        start_tier: the tier to start at; ``None`` starts at the unit the issue is located in
            (the micro-grid of its place).
        link: the kinds of partner to link (联动); the partners of those kinds covering the
            issue's place and serving its category are linked.
        accept_within: the time limit for accepting (立案); ``None`` sets no deadline.
        resolve_within: the time limit for resolving; ``None`` sets no deadline.

    Example:
        >>> from gridgov.calendar import TimeLimit
        >>> RoutingRule(id="R3", name="hazard at community", zh="重大隐患到社区",
        ...             match=Match(categories={"safety_hazard"}, min_severity=3),
        ...             start_tier="community",
        ...             resolve_within=TimeLimit(amount=24, unit="hours", basis="natural")).id
        'R3'
    """

    id: str = attrs.field(validator=v.ident)
    name: str = attrs.field(validator=v.name)
    zh: str = attrs.field(default="", validator=v.text)
    match: Match = attrs.field(factory=Match, validator=v.is_a(Match))
    start_tier: str | None = attrs.field(default=None, validator=v.optional(v.code))
    link: frozenset[PartnerKind] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.frozenset_of(v.holds(PartnerKind))
    )
    accept_within: TimeLimit | None = attrs.field(
        default=None, validator=v.optional(v.is_a(TimeLimit))
    )
    resolve_within: TimeLimit | None = attrs.field(
        default=None, validator=v.optional(v.is_a(TimeLimit))
    )

    def __attrs_post_init__(self) -> None:
        if len(self.zh) > v.MAX_NAME:
            raise PolicyError(
                f"'zh' of RoutingRule {self.id!r} must be at most {v.MAX_NAME} characters "
                f"(got {len(self.zh):,})."
            )


@register
@attrs.frozen(kw_only=True)
class RuleSet:
    """Ordered routing rules: the first match wins; the last rule must match every issue.

    Raises:
        PolicyError: if there are no rules, ids repeat, the last rule is not a catch-all, or an
            earlier catch-all would make the rules after it unreachable.

    Example:
        >>> RuleSet(name="bad", rules=[RoutingRule(id="R1", name="hotline only",
        ...                                        match=Match(channels={Channel.HOTLINE}))])
        Traceback (most recent call last):
        ...
        gridgov.errors.PolicyError: the last rule of rule set 'bad' must match every issue (a default rule); 'R1' matches only channel hotline.
    """

    name: str = attrs.field(validator=v.name)
    rules: tuple[RoutingRule, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.holds(RoutingRule))
    )

    def __attrs_post_init__(self) -> None:
        if not self.rules:
            raise PolicyError(
                f"'rules' of RuleSet {self.name!r} must hold at least one rule (got none)."
            )
        if len(self.rules) > MAX_RULES:
            raise PolicyError(
                f"rule set {self.name!r} must have at most {MAX_RULES:,} rules "
                f"(got {len(self.rules):,})."
            )
        ids: set[str] = set()
        for rule in self.rules:
            if rule.id in ids:
                raise PolicyError(f"rule id {rule.id!r} appears twice in rule set {self.name!r}.")
            ids.add(rule.id)
        for i, rule in enumerate(self.rules):
            if rule.match.is_unconditional and i < len(self.rules) - 1:
                raise PolicyError(
                    f"rule {rule.id!r} of rule set {self.name!r} matches every issue, so the "
                    f"rules after it ({self.rules[i + 1].id!r} …) could never fire; a catch-all "
                    "must be the last rule."
                )
        last = self.rules[-1]
        if not last.match.is_unconditional:
            raise PolicyError(
                f"the last rule of rule set {self.name!r} must match every issue (a default "
                f"rule); {last.id!r} matches only {last.match.describe().en}."
            )

    @property
    def default_rule(self) -> RoutingRule:
        """The final catch-all rule.

        Example:
            >>> DEFAULT_RULES.default_rule.id
            'default'
        """
        return self.rules[-1]


DEFAULT_RULES = RuleSet(
    name="default",
    rules=[
        RoutingRule(
            id="emergency",
            name="emergencies start at the community",
            zh="特急事项直达社区",
            match=Match(min_severity=Severity.EMERGENCY),
            start_tier="community",
            link=frozenset({PartnerKind.POLICE_STATION, PartnerKind.PROPERTY_MANAGEMENT}),
            accept_within=TimeLimit.natural_hours(1),
            resolve_within=TimeLimit.natural_hours(24),
        ),
        RoutingRule(
            id="hazard",
            name="urgent safety hazards start at the grid",
            zh="紧急安全隐患到网格",
            match=Match(categories={"safety_hazard"}, min_severity=Severity.URGENT),
            start_tier="grid",
            link=frozenset({PartnerKind.PROPERTY_MANAGEMENT}),
            accept_within=TimeLimit.natural_hours(2),
            resolve_within=TimeLimit.natural_hours(24),
        ),
        RoutingRule(
            id="public_order",
            name="public order goes to the grid with the police",
            zh="治安事项联动派出所",
            match=Match(categories={"public_order"}),
            start_tier="grid",
            link=frozenset({PartnerKind.POLICE_STATION}),
            accept_within=TimeLimit.working_hours(4),
            resolve_within=TimeLimit.working_days(3),
        ),
        RoutingRule(
            id="vulnerable",
            name="vulnerable elders: same-day attention",
            zh="独居孤寡老人当日响应",
            match=Match(who=Criteria(conditions_any={"living_alone", "no_family_support"})),
            link=frozenset({PartnerKind.PROPERTY_MANAGEMENT}),
            accept_within=TimeLimit.natural_hours(2),
            resolve_within=TimeLimit.working_days(1),
        ),
        RoutingRule(
            id="facility",
            name="facility repairs link property management",
            zh="设施维修联动物业",
            match=Match(categories={"facility_repair", "environment"}),
            link=frozenset({PartnerKind.PROPERTY_MANAGEMENT}),
            accept_within=TimeLimit.working_hours(4),
            resolve_within=TimeLimit.working_days(5),
        ),
        RoutingRule(
            id="enquiry",
            name="policy enquiries",
            zh="政策咨询",
            match=Match(categories={"policy_enquiry"}),
            accept_within=TimeLimit.working_hours(4),
            resolve_within=TimeLimit.working_days(3),
        ),
        RoutingRule(
            id="default",
            name="everything else, handled where it is located",
            zh="其余事项就近办理",
            accept_within=TimeLimit.working_days(1),
            resolve_within=TimeLimit.working_days(13),
        ),
    ],
)
"""A starting-point rule set; deadlines follow common 12345 practice (not law)."""
