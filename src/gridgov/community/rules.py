"""How a deliberation meeting (议事会) decides: the rule as data, the count, the decision.

A :class:`DecisionRule` is policy data an app keeps in its own configuration: the quorum (a
:class:`Threshold` of the voting seats that must be present, and a minimum head count), the
majority an item needs (a :class:`Threshold` of a base, :class:`MajorityOf`) — which also
says how abstentions count: left out of the base (``FOR_AND_AGAINST``), counted in it
(``VOTES_CAST``: an abstention weighs as a no), or the base is everyone present or every
seat.  :meth:`DecisionRule.decide` turns a :class:`VoteCount` into an :class:`Outcome` and a
:class:`~gridgov.reasons.Reason` that shows the arithmetic.

The thresholds read as Chinese rules do: 过半数 is *more than* half (``2·n > base``),
三分之二以上 is *at least* two thirds (``3·n ≥ 2·base``, 以上 including the number itself).
Everything is integer arithmetic.  An item without a quorum, or with no vote in the base,
is deferred (暂缓), never adopted or rejected by default.

Example:
    >>> rule = DecisionRule(id="ysh", name="楼院议事规则")
    >>> outcome, reason = rule.decide(VoteCount(seats=5, present=5, yes=4, no=0, abstain=1))
    >>> outcome.zh
    '通过'
    >>> print(reason)
    楼院议事规则：应到5人，实到5人，过半数出席，达到法定人数；赞成4、反对0、弃权1，赞成票过赞成与反对票的半数（4/4）：通过
    楼院议事规则: 5 seats, 5 present, more than half present, quorate; 4 for, 0 against, 1 abstaining, for-votes are more than half of for and against votes (4/4): adopted
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import ClassVar

import attrs

import gridgov._validators as v
from gridgov._labels import LabelledEnum
from gridgov.errors import InvalidValueError
from gridgov.reasons import Reason, Ref
from gridgov.serialize import register

__all__ = [
    "MAX_SEATS",
    "Decision",
    "DecisionRule",
    "MajorityOf",
    "Outcome",
    "Threshold",
    "Vote",
    "VoteCount",
]

MAX_SEATS = 100_000
"""The most voting seats a meeting may have."""


class Threshold(LabelledEnum):
    """A share a count must reach: of the seats for a quorum, of a base for a majority.

    Example:
        >>> Threshold.HALF.met(3, 6), Threshold.HALF.met(4, 6), Threshold.TWO_THIRDS.met(4, 6)
        (False, True, True)
    """

    ANY = "any"
    HALF = "half"
    TWO_THIRDS = "two_thirds"
    ALL = "all"

    __zh__: ClassVar[Mapping[str, str]] = {
        "any": "不限",
        "half": "过半数",
        "two_thirds": "三分之二以上",
        "all": "全体一致",
    }

    def met(self, count: int, base: int) -> bool:
        """Whether *count* out of *base* reaches the threshold (exact integer arithmetic;
        ``HALF`` is strictly more than half, ``TWO_THIRDS`` at least two thirds).

        Example:
            >>> Threshold.ALL.met(5, 5), Threshold.ANY.met(0, 5)
            (True, True)
        """
        if self is Threshold.ANY:
            return True
        if self is Threshold.HALF:
            return 2 * count > base
        if self is Threshold.TWO_THIRDS:
            return 3 * count >= 2 * base
        return count == base

    @property
    def en(self) -> str:
        """The threshold as an English rule reads it.

        Example:
            >>> Threshold.TWO_THIRDS.en
            'at least two thirds'
        """
        return _THRESHOLD_EN[self.value]


_THRESHOLD_EN = {
    "any": "any number",
    "half": "more than half",
    "two_thirds": "at least two thirds",
    "all": "all",
}


class MajorityOf(LabelledEnum):
    """What the for-votes are counted against — and so how abstentions count.

    Example:
        >>> MajorityOf.VOTES_CAST.zh
        '全部表决票'
    """

    FOR_AND_AGAINST = "for_and_against"
    VOTES_CAST = "votes_cast"
    PRESENT = "present"
    SEATS = "seats"

    __zh__: ClassVar[Mapping[str, str]] = {
        "for_and_against": "赞成与反对票",
        "votes_cast": "全部表决票",
        "present": "实到人数",
        "seats": "应到人数",
    }


class Vote(LabelledEnum):
    """A member's vote on an agenda item.

    Example:
        >>> Vote.ABSTAIN.zh
        '弃权'
    """

    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"

    __zh__: ClassVar[Mapping[str, str]] = {"for": "赞成", "against": "反对", "abstain": "弃权"}


class Outcome(LabelledEnum):
    """What a meeting decided on an item.

    Example:
        >>> Outcome.DEFERRED.zh, Outcome.ADOPTED.label
        ('暂缓', 'adopted')
    """

    ADOPTED = "adopted"
    REJECTED = "rejected"
    DEFERRED = "deferred"

    __zh__: ClassVar[Mapping[str, str]] = {
        "adopted": "通过",
        "rejected": "否决",
        "deferred": "暂缓",
    }


@register
@attrs.frozen(kw_only=True)
class VoteCount:
    """The count on one item: voting seats, those present, and the votes.

    Raises:
        InvalidValueError: unless ``for + against + abstain ≤ present ≤ seats`` and
            ``seats ≥ 1``.

    Example:
        >>> c = VoteCount(seats=9, present=7, yes=5, no=1, abstain=1)
        >>> c.base(MajorityOf.FOR_AND_AGAINST), c.base(MajorityOf.PRESENT)
        (6, 7)
        >>> VoteCount(seats=3, present=4, yes=0, no=0, abstain=0)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'present' of VoteCount must be at most the seats 3 (got 4).
    """

    seats: int = attrs.field(validator=v.integer(1, MAX_SEATS))
    present: int = attrs.field(validator=v.integer(0, MAX_SEATS))
    yes: int = attrs.field(validator=v.integer(0, MAX_SEATS))
    no: int = attrs.field(validator=v.integer(0, MAX_SEATS))
    abstain: int = attrs.field(validator=v.integer(0, MAX_SEATS))

    def __attrs_post_init__(self) -> None:
        if self.present > self.seats:
            raise v.refuse("present", self, f"at most the seats {self.seats}", self.present)
        cast = self.yes + self.no + self.abstain
        if cast > self.present:
            raise InvalidValueError(
                f"'yes', 'no' and 'abstain' of VoteCount must add up to at most those present "
                f"{self.present} (got {cast})."
            )

    def base(self, of: MajorityOf) -> int:
        """The number the for-votes are counted against under *of*.

        Example:
            >>> VoteCount(seats=9, present=7, yes=5, no=1, abstain=1).base(MajorityOf.VOTES_CAST)
            7
        """
        if of is MajorityOf.FOR_AND_AGAINST:
            return self.yes + self.no
        if of is MajorityOf.VOTES_CAST:
            return self.yes + self.no + self.abstain
        if of is MajorityOf.PRESENT:
            return self.present
        return self.seats


@register
@attrs.frozen(kw_only=True)
class DecisionRule:
    """The rule a deliberation meeting decides by (议事规则), as policy data.

    Attributes:
        id: the rule's id.
        name: its name (Chinese first, as the community calls it).
        quorum: the share of the voting seats that must be present (default: more than half).
        min_present: the fewest voting members present, whatever the share (default 1).
        majority: the share of the base the for-votes must reach (default: more than half).
        of: the base: for-and-against votes (abstentions left out, the default), all votes
            cast (abstentions count as no), those present, or all seats.

    Example:
        >>> rule = DecisionRule(id="zgh", name="自管会议事规则", quorum=Threshold.TWO_THIRDS,
        ...                     majority=Threshold.TWO_THIRDS, of=MajorityOf.VOTES_CAST)
        >>> rule.decide(VoteCount(seats=9, present=6, yes=4, no=1, abstain=1))[0].zh
        '通过'
        >>> rule.decide(VoteCount(seats=9, present=5, yes=5, no=0, abstain=0))[0].zh
        '暂缓'
    """

    id: str = attrs.field(validator=v.ident)
    name: str = attrs.field(validator=v.name)
    quorum: Threshold = attrs.field(default=Threshold.HALF, validator=v.is_a(Threshold))
    min_present: int = attrs.field(default=1, validator=v.integer(1, MAX_SEATS))
    majority: Threshold = attrs.field(default=Threshold.HALF, validator=v.is_a(Threshold))
    of: MajorityOf = attrs.field(default=MajorityOf.FOR_AND_AGAINST, validator=v.is_a(MajorityOf))

    def decide(self, count: VoteCount) -> tuple[Outcome, Reason]:
        """The outcome *count* gives under this rule, and the reason showing the arithmetic.

        Deferred when the quorum or the minimum head count is not met, or no vote is in the
        base; else adopted if the for-votes reach the majority, rejected if not.

        Example:
            >>> rule = DecisionRule(id="r", name="议事规则")
            >>> rule.decide(VoteCount(seats=4, present=4, yes=2, no=2, abstain=0))[0].zh
            '否决'
            >>> print(rule.decide(VoteCount(seats=4, present=4, yes=0, no=0, abstain=4))[1].en)
            议事规则: 4 seats, 4 present, more than half present, quorate; 0 for, 0 against, 4 abstaining, no vote in the base (for and against votes): deferred
        """
        if not isinstance(count, VoteCount):
            raise v.refuse("count", None, "a VoteCount", count)
        q, c = self.quorum, count
        zh = [f"{self.name}：应到{c.seats}人，实到{c.present}人，{q.zh}出席"]
        en = [f"{self.name}: {c.seats} seats, {c.present} present, {q.en} present"]
        if not q.met(c.present, c.seats) or c.present < self.min_present:
            short_zh = "" if c.present >= self.min_present else f"（至少{self.min_present}人）"
            short_en = "" if c.present >= self.min_present else f" (at least {self.min_present})"
            zh.append(f"，未达到法定人数{short_zh}：")
            en.append(f", not quorate{short_en}: ")
            outcome = Outcome.DEFERRED
        else:
            zh.append(f"，达到法定人数；赞成{c.yes}、反对{c.no}、弃权{c.abstain}，")
            en.append(f", quorate; {c.yes} for, {c.no} against, {c.abstain} abstaining, ")
            base = c.base(self.of)
            m = self.majority
            if base == 0:
                zh.append(f"{self.of.zh}为零：")
                en.append(f"no vote in the base ({_OF_EN[self.of.value]}): ")
                outcome = Outcome.DEFERRED
            elif m.met(c.yes, base):
                zh.append(f"赞成票{_reach_zh(m)}{self.of.zh}的{_share_zh(m)}（{c.yes}/{base}）：")
                en.append(f"for-votes are {m.en} of {_OF_EN[self.of.value]} ({c.yes}/{base}): ")
                outcome = Outcome.ADOPTED
            else:
                zh.append(f"赞成票未{_reach_zh(m)}{self.of.zh}的{_share_zh(m)}（{c.yes}/{base}）：")
                en.append(f"for-votes are not {m.en} of {_OF_EN[self.of.value]} ({c.yes}/{base}): ")
                outcome = Outcome.REJECTED
        zh.append(outcome.zh)
        en.append(outcome.label)
        return outcome, Reason(
            zh="".join(zh), en="".join(en), refs=[Ref(kind="rule", id=self.id, name=self.name)]
        )



@register
@attrs.frozen(kw_only=True)
class Decision:
    """What a meeting decided on one agenda item, by which rule, from which count, and why.

    Attributes:
        item: the agenda item's id.
        outcome: adopted, rejected or deferred.
        plan: the plan adopted (the item's proposal), empty unless adopted.
        rule: the id of the rule it was decided by.
        count: the count it was decided from (``None`` for an item deferred without a vote).
        at: when it was decided.
        reason: why, in Chinese and in English.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> Decision(item="a1", outcome=Outcome.DEFERRED, rule="r", at=datetime(2026, 9, 15, 20, 0,
        ...          tzinfo=CST), reason=Reason(zh="暂缓", en="deferred"), plan="x")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'plan' of Decision must be empty unless the item was adopted (got 'x').
    """

    item: str = attrs.field(validator=v.ident)
    outcome: Outcome = attrs.field(validator=v.is_a(Outcome))
    rule: str = attrs.field(validator=v.ident)
    at: datetime = attrs.field(validator=v.aware)
    reason: Reason = attrs.field(validator=v.is_a(Reason))
    plan: str = attrs.field(default="", validator=v.text)
    count: VoteCount | None = attrs.field(default=None, validator=v.optional(v.is_a(VoteCount)))

    def __attrs_post_init__(self) -> None:
        if self.plan and self.outcome is not Outcome.ADOPTED:
            raise v.refuse("plan", self, "empty unless the item was adopted", self.plan)


_OF_EN = {
    "for_and_against": "for and against votes",
    "votes_cast": "all votes cast",
    "present": "those present",
    "seats": "all seats",
}


def _reach_zh(t: Threshold) -> str:
    return "过" if t is Threshold.HALF else "达"


def _share_zh(t: Threshold) -> str:
    return {"any": "任意数", "half": "半数", "two_thirds": "三分之二", "all": "全部"}[t.value]
