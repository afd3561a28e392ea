"""Money for community projects, in integer fen (分): where it comes from, the matching rule
(配捐), and the funding check.

* :class:`Contribution` s record what came in: residents' own contributions (自筹), partner
  sponsorship, public funds.  A :class:`MatchRule` (配捐: e.g. 1:1 up to ¥20,000) says what a
  charity adds on what the residents raised; the match is *computed*, never recorded by hand.
* :func:`check_funding` gives the :class:`FundingCheck`: raised, match earned, each source as
  applied to the budget (residents, sponsorship, public funds, and the match last, drawn only
  as far as still needed), the shortfall or the surplus, and a reason.  The match is
  ``min(cap, raised × match ÷ per)`` rounded *down* to the fen, so it never exceeds its ratio
  nor its cap; what is applied plus the shortfall is the budget, exactly.

Example:
    >>> rule = MatchRule(id="xfjy", name="幸福家园", partner="p-xingfu", cap=2_000_000)
    >>> rule.earned(1_234_567), rule.earned(5_000_000)
    (1234567, 2000000)
    >>> MatchRule(id="half", name="半额配捐", partner="p-x", match=1, per=2, cap=100).earned(151)
    75
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import ClassVar

import attrs

import gridgov._validators as v
import gridgov.community._funding as _funding
from gridgov._labels import LabelledEnum
from gridgov.errors import InvalidValueError
from gridgov.reasons import Reason, Ref
from gridgov.serialize import register

__all__ = [
    "MAX_ENTRIES",
    "MAX_FEN",
    "Contribution",
    "FundingCheck",
    "FundingKind",
    "MatchRule",
    "check_funding",
    "yuan",
]

MAX_FEN = 10**12
"""The largest amount (in fen) gridgov accepts for one budget, cap or contribution (¥10 billion)."""

MAX_ENTRIES = 100_000
"""The most contributions (and wishes, cases, progress reports) one project may hold."""


def yuan(fen: int) -> str:
    """An amount in fen as yuan, as a receipt shows it.

    Example:
        >>> yuan(2_000_000), yuan(5)
        ('¥20,000.00', '¥0.05')
    """
    v.check_integer("fen", fen, -MAX_FEN * MAX_ENTRIES, MAX_FEN * MAX_ENTRIES)
    return _funding.yuan(fen)


class FundingKind(LabelledEnum):
    """Where a project's money comes from.

    Example:
        >>> FundingKind.RESIDENTS.zh, FundingKind.MATCHED.zh
        ('自筹', '配捐')
    """

    RESIDENTS = "residents"
    MATCHED = "matched"
    SPONSOR = "sponsor"
    PUBLIC = "public"

    __zh__: ClassVar[Mapping[str, str]] = {
        "residents": "自筹",
        "matched": "配捐",
        "sponsor": "共建赞助",
        "public": "公共资金",
    }


@register
@attrs.frozen(kw_only=True)
class MatchRule:
    """A matching rule (配捐): *match* fen from the partner for every *per* fen residents
    raise, up to *cap* fen.

    Attributes:
        id: the rule's id.
        name: its name (the charity project's).
        partner: the id of the partner that gives the match.
        match: fen given per *per* fen raised (default 1).
        per: fen raised per *match* fen given (default 1: 1:1).
        cap: the most the match gives, in fen.

    Example:
        >>> MatchRule(id="m", name="配捐", partner="p", cap=2_000_000).describe().zh
        '配捐：自筹每1分配捐1分，上限¥20,000.00'
    """

    id: str = attrs.field(validator=v.ident)
    name: str = attrs.field(validator=v.name)
    partner: str = attrs.field(validator=v.ident)
    cap: int = attrs.field(validator=v.integer(0, MAX_FEN))
    match: int = attrs.field(default=1, validator=v.integer(1, 1000))
    per: int = attrs.field(default=1, validator=v.integer(1, 1000))

    def earned(self, raised: int) -> int:
        """The match earned on *raised* fen of residents' contributions (rounded down).

        Example:
            >>> MatchRule(id="m", name="配捐", partner="p", cap=10).earned(0)
            0
        """
        v.check_integer("raised", raised, 0, MAX_FEN * MAX_ENTRIES)
        return _funding.earned(raised, self.match, self.per, self.cap)

    def describe(self) -> Reason:
        """The rule in words, in Chinese and in English.

        Example:
            >>> print(MatchRule(id="m", name="幸福家园配捐", partner="p", cap=100).describe().en)
            幸福家园配捐: 1 fen matched per 1 fen raised, up to ¥1.00
        """
        return Reason(
            zh=f"{self.name}：自筹每{self.per}分配捐{self.match}分，上限{yuan(self.cap)}",
            en=f"{self.name}: {self.match} fen matched per {self.per} fen raised, "
            f"up to {yuan(self.cap)}",
            refs=[Ref(kind="partner", id=self.partner, name=self.name)],
        )


@register
@attrs.frozen(kw_only=True)
class Contribution:
    """Money that came in for a project: from whom, of which kind, how much, when.

    The matched donation is not recorded as a contribution: the :class:`MatchRule` computes it.

    Example:
        >>> from datetime import date
        >>> Contribution(id="c1", kind=FundingKind.MATCHED, source="p-x", amount=100,
        ...              on=date(2026, 6, 1))
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'kind' of Contribution must be residents, sponsor or public: the match is computed by the project's MatchRule (got <FundingKind.MATCHED: 'matched'>).
    """

    id: str = attrs.field(validator=v.ident)
    kind: FundingKind = attrs.field(validator=v.is_a(FundingKind))
    source: str = attrs.field(validator=v.ident)
    amount: int = attrs.field(validator=v.integer(1, MAX_FEN))
    on: date = attrs.field(validator=v.plain_date)
    note: str = attrs.field(default="", validator=v.personal_text, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.kind is FundingKind.MATCHED:
            raise v.refuse(
                "kind",
                self,
                "residents, sponsor or public: the match is computed by the project's MatchRule",
                self.kind,
            )


@register
@attrs.frozen(kw_only=True)
class FundingCheck:
    """Where a project's funding stands: what was raised, the match earned, each source as
    applied to the budget, and the shortfall or surplus.  ``applied + shortfall == budget``.

    Example:
        >>> from datetime import date
        >>> c = check_funding(5_000_000, [Contribution(id="c1", kind=FundingKind.RESIDENTS,
        ...     source="hh-1", amount=2_500_000, on=date(2026, 6, 1))],
        ...     MatchRule(id="m", name="配捐", partner="p-x", cap=2_000_000))
        >>> c.match_earned, c.applied, c.shortfall, c.funded
        (2000000, 4500000, 500000, False)
    """

    budget: int = attrs.field(validator=v.integer(1, MAX_FEN))
    raised: int = attrs.field(validator=v.integer(0, MAX_FEN * MAX_ENTRIES))
    sponsored: int = attrs.field(validator=v.integer(0, MAX_FEN * MAX_ENTRIES))
    public: int = attrs.field(validator=v.integer(0, MAX_FEN * MAX_ENTRIES))
    match_earned: int = attrs.field(validator=v.integer(0, MAX_FEN))
    applied_residents: int = attrs.field(validator=v.integer(0, MAX_FEN))
    applied_sponsor: int = attrs.field(validator=v.integer(0, MAX_FEN))
    applied_public: int = attrs.field(validator=v.integer(0, MAX_FEN))
    applied_match: int = attrs.field(validator=v.integer(0, MAX_FEN))
    shortfall: int = attrs.field(validator=v.integer(0, MAX_FEN))
    surplus: int = attrs.field(validator=v.integer(0, MAX_FEN * MAX_ENTRIES))
    reason: Reason = attrs.field(validator=v.is_a(Reason))

    def __attrs_post_init__(self) -> None:
        if self.applied + self.shortfall != self.budget:
            raise InvalidValueError(
                f"'applied_residents', 'applied_sponsor', 'applied_public', 'applied_match' and "
                f"'shortfall' of FundingCheck must add up to the budget {self.budget} (got "
                f"{self.applied + self.shortfall})."
            )
        if self.applied_match > self.match_earned:
            raise v.refuse(
                "applied_match", self, f"at most its match_earned {self.match_earned}",
                self.applied_match,
            )

    @property
    def applied(self) -> int:
        """What all sources together bring to the budget."""
        return (
            self.applied_residents + self.applied_sponsor + self.applied_public + self.applied_match
        )

    @property
    def funded(self) -> bool:
        """Whether the budget is fully funded."""
        return self.shortfall == 0


def check_funding(
    budget: int, contributions: Iterable[Contribution], match: MatchRule | None = None
) -> FundingCheck:
    """Where the funding of *budget* fen stands, given *contributions* and the *match* rule.

    Example:
        >>> from datetime import date
        >>> f = check_funding(10_000, [Contribution(id="c1", kind=FundingKind.RESIDENTS,
        ...     source="h-1", amount=8_000, on=date(2026, 6, 1))],
        ...     MatchRule(id="m", name="幸福家园", partner="p", cap=3_000))
        >>> f.match_earned, f.applied_match, f.funded, f.reason.zh
        (3000, 2000, True, '预算¥100.00：自筹¥80.00，幸福家园配捐¥30.00（已达上限），用¥20.00，资金已足额')
    """
    v.check_integer("budget", budget, 1, MAX_FEN)
    if match is not None and not isinstance(match, MatchRule):
        raise v.refuse("match", None, "a MatchRule or None", match)
    sums = dict.fromkeys(FundingKind, 0)
    items = v.check_items("contributions", contributions)
    if len(items) > MAX_ENTRIES:
        raise v.refuse("contributions", None, f"at most {MAX_ENTRIES:,} items", len(items))
    for c in items:
        if not isinstance(c, Contribution):
            raise v.refuse("contributions", None, "a collection of Contribution values", c)
        sums[c.kind] += c.amount
    raised = sums[FundingKind.RESIDENTS]
    earned = match.earned(raised) if match is not None else 0
    a = _funding.apply(budget, raised, sums[FundingKind.SPONSOR], sums[FundingKind.PUBLIC], earned)
    return FundingCheck(
        budget=budget,
        raised=raised,
        sponsored=sums[FundingKind.SPONSOR],
        public=sums[FundingKind.PUBLIC],
        match_earned=earned,
        applied_residents=a.residents,
        applied_sponsor=a.sponsor,
        applied_public=a.public,
        applied_match=a.match,
        shortfall=a.shortfall,
        surplus=a.surplus,
        reason=_funding_reason(budget, match, raised, earned, a),
    )


def _funding_reason(
    budget: int, match: MatchRule | None, raised: int, earned: int, a: _funding.Applied
) -> Reason:
    zh = [f"预算{yuan(budget)}：自筹{yuan(raised)}"]
    en = [f"budget {yuan(budget)}: {yuan(raised)} raised by residents"]
    refs = []
    if match is not None:
        capped = "（已达上限）" if earned == match.cap and earned > 0 else ""
        zh.append(f"，{match.name}配捐{yuan(earned)}{capped}，用{yuan(a.match)}")
        en.append(
            f", {yuan(earned)} matched by {match.name}{' (capped)' if capped else ''}, "
            f"{yuan(a.match)} drawn"
        )
        refs.append(Ref(kind="partner", id=match.partner, name=match.name))
    if a.sponsor:
        zh.append(f"，共建赞助{yuan(a.sponsor)}")
        en.append(f", {yuan(a.sponsor)} sponsored")
    if a.public:
        zh.append(f"，公共资金{yuan(a.public)}")
        en.append(f", {yuan(a.public)} public funds")
    if a.shortfall:
        zh.append(f"，缺口{yuan(a.shortfall)}")
        en.append(f", {yuan(a.shortfall)} short")
    else:
        zh.append("，资金已足额")
        en.append(", fully funded")
    if a.surplus:
        zh.append(f"，结余{yuan(a.surplus)}")
        en.append(f", {yuan(a.surplus)} left over")
    return Reason(zh="".join(zh), en="".join(en), refs=refs)
