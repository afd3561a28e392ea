"""Visit policies (走访规则): who must be visited how often, as plain data.

* a :class:`VisitRule` says to whom a :class:`~gridgov.visits.Frequency` applies — a
  :class:`~gridgov.Criteria` read off the resident's personal file on a given day (age on
  that day, conditions in force on that day, tags, an open file) — with a colour (红/黄/绿)
  and a reason;
* a :class:`VisitPolicy` is an ordered list of rules: when several match, the strictest
  frequency wins (:meth:`VisitPolicy.requirement`, a :class:`VisitRequirement` that says
  why); :data:`DEFAULT_POLICY` is built from the Ministry of Civil Affairs' norms and the
  seed story, as a starting point, not law;
* a :class:`MajorChange` (bereavement, a fall …) asks for a visit within
  ``major_change_days`` whatever the schedule.

Example:
    >>> from datetime import date
    >>> from gridgov.demo import sample_residents
    >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
    >>> DEFAULT_POLICY.requirement(lu, on=date(2026, 11, 26)).rule.id
    'discharged_alone'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any, ClassVar

import attrs

import gridgov._validators as v
import gridgov.visits._text as _text
from gridgov._labels import LabelledEnum
from gridgov.criteria import Criteria
from gridgov.errors import InvalidValueError, PolicyError
from gridgov.people import Condition, Resident
from gridgov.reasons import Reason, Ref
from gridgov.serialize import register
from gridgov.visits.frequency import Frequency
from gridgov.visits.records import VisitMode

__all__ = [
    "DEFAULT_POLICY",
    "MAX_VISIT_RULES",
    "MajorChange",
    "VisitColour",
    "VisitPolicy",
    "VisitRequirement",
    "VisitRule",
]

MAX_VISIT_RULES = 200
"""The most rules a visit policy may hold."""
_MAX_CHANGE_DAYS = 366
_MAX_AGE_SEEN = v.MAX_YEAR - v.MIN_YEAR  # the oldest age a file can show


class VisitColour(LabelledEnum):
    """The colour a local practice gives a visit tier (红 red, 黄 yellow, 绿 green).

    Example:
        >>> VisitColour.RED.zh, VisitColour.GREEN.label
        ('红', 'green')
    """

    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"

    __zh__: ClassVar[Mapping[str, str]] = {
        "red": "红",
        "yellow": "黄",
        "green": "绿",
    }

    @property
    def rank(self) -> int:
        """0 for red, 1 for yellow, 2 for green — the order in which plans staff visits.

        Example:
            >>> VisitColour.YELLOW.rank
            1
        """
        return {"red": 0, "yellow": 1, "green": 2}[self.value]


def _non_blank(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    v.check_text(v.field_name(attribute), value, instance)
    assert isinstance(value, str)
    if not value.strip():
        raise v.refuse(v.field_name(attribute), instance, "non-blank text", value)


def _name_or_blank(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value != "":
        v.check_name(v.field_name(attribute), value, instance)


@register
@attrs.frozen(kw_only=True)
class VisitRule:
    """Who must be visited how often: criteria on the personal file on a given day.

    A rule matches a resident on day *D* when its criteria (``who``) match the file on *D*
    (:meth:`gridgov.Criteria.matches`: the file is open, and the age band, the conditions in
    force and the tags asked for hold on *D*).

    Attributes:
        id: a lower-case code, unique in its policy.
        frequency: how often.
        colour: the tier's colour (红/黄/绿).
        reason: why, in Chinese, as a grid worker reads it.
        reason_en: the same in English (the Chinese is shown when it is empty).
        who: the residents the rule is for (default: every resident with an open file).
        modes: which visit modes count for this rule (default: all).

    Raises:
        InvalidValueError: for a bad code, an empty reason, criteria that are not a
            :class:`~gridgov.Criteria`, or no visit mode.

    Example:
        >>> from datetime import date
        >>> from gridgov import Condition, Criteria, Resident
        >>> rule = VisitRule(id="key", frequency=Frequency.monthly(), colour=VisitColour.YELLOW,
        ...                  reason="重点老人每月一访",
        ...                  who=Criteria(min_age=60, conditions_any={"dementia"}))
        >>> r = Resident(id="r", name="n", household="h", birth_date=date(1950, 5, 1),
        ...              conditions=[Condition(kind="dementia", start=date(2026, 1, 1))])
        >>> rule.matches(r, on=date(2025, 12, 31)), rule.matches(r, on=date(2026, 1, 1))
        (False, True)
        >>> VisitRule(id="k", frequency=Frequency.daily(), colour=VisitColour.RED, reason="每日",
        ...           modes="phone")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'modes' of VisitRule must be a collection such as a list, tuple or set (a str is not one) (got 'phone').
    """

    id: str = attrs.field(validator=v.code)
    frequency: Frequency = attrs.field(validator=v.is_a(Frequency))
    colour: VisitColour = attrs.field(validator=v.is_a(VisitColour))
    reason: str = attrs.field(validator=_non_blank)
    reason_en: str = attrs.field(default="", validator=v.text)
    who: Criteria = attrs.field(factory=Criteria, validator=v.is_a(Criteria))
    modes: frozenset[VisitMode] = attrs.field(
        default=frozenset(VisitMode),
        converter=v.to_frozenset,
        validator=v.frozenset_of(v.holds(VisitMode)),
    )

    def __attrs_post_init__(self) -> None:
        if not self.modes:
            raise InvalidValueError(f"'modes' of VisitRule {self.id!r} must name at least one visit mode.")

    def matches(self, resident: Resident, *, on: date) -> bool:
        """Whether the rule applies to *resident*'s file on day *on*.

        Example:
            >>> from datetime import date
            >>> from gridgov.demo import sample_residents
            >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
            >>> rule = DEFAULT_POLICY.rule("discharged_alone")
            >>> [rule.matches(lu, on=date(2026, 11, d)) for d in (24, 25)]
            [False, True]
        """
        return self.who.matches(resident, on=on)

    def describe(self) -> Reason:
        """The rule as a grid worker reads it: frequency, colour, reason and whom it is for.

        Example:
            >>> print(DEFAULT_POLICY.rule("key").describe())
            每月一访（黄）：重点：60岁以上残疾、失能、失智或特困老人，每月至少探访一次【key】；对象：60岁以上；残疾、失能、失智、特困之一
            monthly (yellow): key: elder aged 60+ with a disability, loss of self-care, dementia or in extreme poverty (特困): at least monthly [key]; for: aged 60 or over; any of disability, loss of self-care, dementia, extreme poverty support
        """
        who = self.who.describe()
        f, c = self.frequency, self.colour
        return _text.reason(
            f"{f.zh}（{c.zh}）：{self.reason}【{self.id}】；对象：{who.zh}",
            f"{f.label} ({c.label}): {self.reason_en or self.reason} [{self.id}]; for: {who.en}",
            [_rule_ref(self)],
        )


def _rule_ref(rule: VisitRule) -> Ref:
    return Ref(kind="rule", id=rule.id, name=rule.id)


@register
@attrs.frozen(kw_only=True)
class MajorChange:
    """A major change in a resident's life on a day (bereavement, a fall, a fire …): a resident
    under the policy must then be visited within ``major_change_days`` (24 hours by default),
    whatever the regular schedule.

    Example:
        >>> from datetime import date
        >>> MajorChange(resident="r-lu", on=date(2026, 11, 25), what="出院 discharged").on
        datetime.date(2026, 11, 25)
    """

    resident: str = attrs.field(validator=v.ident)
    on: date = attrs.field(validator=v.plain_date)
    what: str = attrs.field(default="", validator=v.personal_text, repr=False)


@register
@attrs.frozen(kw_only=True)
class VisitPolicy:
    """An ordered list of visit rules; when several match, the strictest frequency wins.

    Attributes:
        rules: the rules, in order (the order breaks ties in strictness); at most
            :data:`MAX_VISIT_RULES`.
        name: a name for the policy.
        major_change_days: days after a major change by which a visit is missed (1: within
            24 hours, i.e. on the day of the change or the next); at most 366.

    Raises:
        PolicyError: without rules, or with two rules of the same id.
        InvalidValueError: for something that is not a rule, too many rules, a bad name or
            a bad number of days.

    Example:
        >>> VisitPolicy(rules=[])
        Traceback (most recent call last):
        ...
        gridgov.errors.PolicyError: 'rules' of VisitPolicy must hold at least one VisitRule.
    """

    rules: tuple[VisitRule, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.holds(VisitRule))
    )
    name: str = attrs.field(default="", validator=_name_or_blank)
    major_change_days: int = attrs.field(default=1, validator=v.integer(0, _MAX_CHANGE_DAYS))

    _strict: tuple[VisitRule, ...] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not self.rules:
            raise PolicyError("'rules' of VisitPolicy must hold at least one VisitRule.")
        if len(self.rules) > MAX_VISIT_RULES:
            raise InvalidValueError(
                f"'rules' of VisitPolicy must hold at most {MAX_VISIT_RULES} rules (got "
                f"{len(self.rules):,})."
            )
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise PolicyError(
                    f"rule id {rule.id!r} is used by more than one rule of VisitPolicy "
                    f"{self.name!r}; rule ids must be unique."
                )
            seen.add(rule.id)
        order = {id(r): i for i, r in enumerate(self.rules)}
        strict = sorted(self.rules, key=lambda r: (r.frequency.nominal_days, order[id(r)]))
        object.__setattr__(self, "_strict", tuple(strict))

    def rule(self, rule_id: str) -> VisitRule:
        """The rule with id *rule_id*.

        Raises:
            PolicyError: if there is none.

        Example:
            >>> DEFAULT_POLICY.rule("general").frequency.label
            'quarterly'
        """
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise PolicyError(
            f"policy {self.name!r} has no rule {v.show(rule_id)} (rules: "
            f"{', '.join(r.id for r in self.rules)})."
        )

    def by_strictness(self) -> tuple[VisitRule, ...]:
        """The rules from strictest to laxest (ties in policy order).

        Example:
            >>> [r.frequency.label for r in DEFAULT_POLICY.by_strictness()][:2]
            ['daily', 'weekly']
        """
        return self._strict

    def matching(self, resident: Resident, *, on: date) -> tuple[VisitRule, ...]:
        """The rules that match *resident* on *on*, strictest first.

        Example:
            >>> from datetime import date
            >>> from gridgov.demo import sample_residents
            >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
            >>> [r.id for r in DEFAULT_POLICY.matching(lu, on=date(2026, 12, 1))]
            ['discharged_alone', 'injured_alone', 'general']
        """
        v.check_instance("resident", resident, Resident)
        v.check_date("on", on)
        return tuple(r for r in self._strict if r.who.matches(resident, on=on))

    def requirement(self, resident: Resident, *, on: date) -> VisitRequirement | None:
        """Which rule governs *resident* on *on*, the others that matched, and why; ``None``
        when no rule matches.

        Example:
            >>> from datetime import date
            >>> from gridgov.demo import sample_residents
            >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
            >>> req = DEFAULT_POLICY.requirement(lu, on=date(2026, 12, 20))
            >>> req.frequency.label, [r.id for r in req.also]
            ('daily', ['general'])
            >>> print(req.reason)
            吕阿姨应每日一访（红）：刚出院的独居或孤寡老人，每日一访【discharged_alone】；依据：78岁，独居、刚出院（至2026-12-24）；同时符合：general（每季度一访）。
            visit 吕阿姨 daily (red): elder living alone or without family support just discharged from hospital: a visit every day [discharged_alone]; because: age 78, living alone, recently discharged (through 2026-12-24); also matched: general (quarterly).
        """
        matched = self.matching(resident, on=on)
        if not matched:
            return None
        rule = matched[0]
        kinds = rule.who.kinds
        because = tuple(
            sorted(
                (c for c in resident.conditions if c.kind in kinds and c.in_force(on)),
                key=lambda c: _text.kind_order(c.kind),
            )
        )
        who = rule.who
        age = resident.age_on(on) if who.min_age is not None or who.max_age is not None else None
        return VisitRequirement(
            resident=resident.id,
            resident_name=resident.name,
            on=on,
            rule=rule,
            also=matched[1:],
            because=because,
            age=age,
        )


@register
@attrs.frozen(kw_only=True)
class VisitRequirement:
    """The frequency decision for one resident on one day: the strictest matching rule, the
    others that matched, and the facts on the file that made the winning rule match.

    Attributes:
        resident: the resident's id.
        resident_name: the resident's name.
        on: the day.
        rule: the governing rule.
        also: the other rules that matched, strictest first.
        because: the conditions in force that the governing rule asks about.
        age: the resident's age on the day, when the rule asks about age.

    Example:
        >>> from datetime import date
        >>> from gridgov.demo import sample_residents
        >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
        >>> DEFAULT_POLICY.requirement(lu, on=date(2027, 1, 5)).colour
        <VisitColour.GREEN: 'green'>
    """

    resident: str = attrs.field(validator=v.ident)
    resident_name: str = attrs.field(validator=v.personal_name, repr=False)
    on: date = attrs.field(validator=v.plain_date)
    rule: VisitRule = attrs.field(validator=v.is_a(VisitRule))
    also: tuple[VisitRule, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.holds(VisitRule))
    )
    because: tuple[Condition, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.holds(Condition))
    )
    age: int | None = attrs.field(
        default=None, validator=v.optional(v.integer(0, _MAX_AGE_SEEN))
    )

    @property
    def frequency(self) -> Frequency:
        """The winning rule's frequency."""
        return self.rule.frequency

    @property
    def colour(self) -> VisitColour:
        """The winning rule's colour."""
        return self.rule.colour

    @property
    def reason(self) -> Reason:
        """Why — the rule, the facts on the file, and the other rules that matched.

        Example:
            >>> from datetime import date
            >>> from gridgov.demo import sample_residents
            >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
            >>> reason = DEFAULT_POLICY.requirement(lu, on=date(2027, 1, 5)).reason
            >>> reason.en
            'visit 吕阿姨 quarterly (green): general: elder aged 60+: at least quarterly [general]; because: age 78.'
            >>> [(ref.kind, ref.id) for ref in reason.refs]
            [('resident', 'r-lu'), ('rule', 'general')]
        """
        rule = self.rule
        zh_facts: list[str] = []
        en_facts: list[str] = []
        if self.age is not None:
            zh_facts.append(f"{self.age}岁")
            en_facts.append(f"age {self.age}")
        zh_conds: list[str] = []
        for cond in self.because:
            zh = _text.condition_zh(cond.kind)
            en = _text.condition_en(cond.kind)
            if cond.end is not None:
                last = (cond.end - timedelta(days=1)).isoformat()
                zh += f"（至{last}）"
                en += f" (through {last})"
            zh_conds.append(zh)
            en_facts.append(en)
        if zh_conds:
            zh_facts.append("、".join(zh_conds))
        name = self.resident_name
        f, c = rule.frequency, rule.colour
        zh = f"{name}应{f.zh}（{c.zh}）：{rule.reason}【{rule.id}】"
        en = f"visit {name} {f.label} ({c.label}): {rule.reason_en or rule.reason} [{rule.id}]"
        if zh_facts:
            zh += "；依据：" + "，".join(zh_facts)
            en += "; because: " + ", ".join(en_facts)
        if self.also:
            zh += "；同时符合：" + "、".join(f"{r.id}（{r.frequency.zh}）" for r in self.also)
            en += "; also matched: " + ", ".join(f"{r.id} ({r.frequency.label})" for r in self.also)
        refs = [
            Ref(kind="resident", id=self.resident, name=name),
            _rule_ref(rule),
            *(_rule_ref(r) for r in self.also),
        ]
        return _text.reason(f"{zh}。", f"{en}.", refs)


# --------------------------------------------------------------------------- the default policy

_ALONE = frozenset({"living_alone", "no_family_support"})


def _rules() -> Iterable[VisitRule]:
    yield VisitRule(
        id="discharged_alone",
        frequency=Frequency.daily(),
        colour=VisitColour.RED,
        reason="刚出院的独居或孤寡老人，每日一访",
        reason_en=(
            "elder living alone or without family support just discharged from hospital: "
            "a visit every day"
        ),
        who=Criteria(min_age=60, conditions_all={"recently_discharged"}, conditions_any=_ALONE),
        modes={VisitMode.IN_PERSON},
    )
    yield VisitRule(
        id="high_risk_alone",
        frequency=Frequency.weekly(grace_days=1),
        colour=VisitColour.RED,
        reason="高风险：80岁以上独居、孤寡、空巢或留守老人，每周至少探访一次",
        reason_en=(
            "high risk: elder aged 80+ living alone, without family support, empty-nest "
            "or left-behind: at least weekly"
        ),
        who=Criteria(min_age=80, conditions_any=_ALONE | {"empty_nest", "left_behind"}),
    )
    yield VisitRule(
        id="high_risk_ill",
        frequency=Frequency.weekly(grace_days=1),
        colour=VisitColour.RED,
        reason="高风险：60岁以上重病老人，每周至少探访一次",
        reason_en="high risk: seriously ill elder aged 60+: at least weekly",
        who=Criteria(min_age=60, conditions_all={"seriously_ill"}),
    )
    yield VisitRule(
        id="injured_alone",
        frequency=Frequency.weekly(grace_days=1),
        colour=VisitColour.RED,
        reason="高风险：受伤的独居或孤寡老人，每周至少探访一次",
        reason_en="high risk: injured elder living alone or without family support: at least weekly",
        who=Criteria(min_age=60, conditions_all={"injured"}, conditions_any=_ALONE),
    )
    yield VisitRule(
        id="key",
        frequency=Frequency.monthly(grace_days=3),
        colour=VisitColour.YELLOW,
        reason="重点：60岁以上残疾、失能、失智或特困老人，每月至少探访一次",
        reason_en=(
            "key: elder aged 60+ with a disability, loss of self-care, dementia or in "
            "extreme poverty (特困): at least monthly"
        ),
        who=Criteria(
            min_age=60, conditions_any={"disabled", "incapacitated", "dementia", "extreme_poverty"}
        ),
    )
    yield VisitRule(
        id="general",
        frequency=Frequency.quarterly(grace_days=7),
        colour=VisitColour.GREEN,
        reason="一般：60岁以上老人，每季度至少探访一次",
        reason_en="general: elder aged 60+: at least quarterly",
        who=Criteria(min_age=60),
    )


DEFAULT_POLICY = VisitPolicy(name="default", major_change_days=1, rules=tuple(_rules()))
"""The default visit policy, built from the Ministry of Civil Affairs' 2022 opinion on elder
visits (high risk at least weekly, key at least monthly, general at least quarterly; a visit
within 24 hours of a major change) and the seed story's 每日一访 after discharge.  A starting
point for an app's own policy, not law: copy it, change it, keep it as data."""
