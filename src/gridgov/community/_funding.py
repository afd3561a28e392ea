"""The funding arithmetic of a project (private): exact, in integer fen.

* The match a :class:`~gridgov.community.MatchRule` earns on what residents raised is
  ``min(cap, raised × match ÷ per)``, the division rounded *down* to the fen, so it never
  exceeds the ratio nor the cap.
* The sources are applied to the budget in a fixed order — residents' own contributions
  (自筹), partner sponsorship, public funds, and the matched donation (配捐) last, drawn only as
  far as it is still needed — so what is applied plus the shortfall is the budget, exactly;
  what the first three bring beyond the budget is the surplus (the match never makes one).
"""

from __future__ import annotations

from typing import NamedTuple


class Applied(NamedTuple):
    """What each source brings to the budget, and what is missing or left over."""

    residents: int
    sponsor: int
    public: int
    match: int
    shortfall: int
    surplus: int


def earned(raised: int, match: int, per: int, cap: int) -> int:
    """The match earned on *raised*: ``min(cap, raised * match // per)``."""
    return min(cap, raised * match // per)


def apply(budget: int, residents: int, sponsor: int, public: int, match: int) -> Applied:
    """The sources applied to *budget* in order, the match last and only as far as needed."""
    left = budget
    used = []
    for amount in (residents, sponsor, public, match):
        take = min(amount, left)
        used.append(take)
        left -= take
    surplus = residents + sponsor + public - (used[0] + used[1] + used[2])
    return Applied(used[0], used[1], used[2], used[3], left, surplus)


def yuan(fen: int) -> str:
    """*fen* as yuan with two decimals and thousands separators: ``¥20,000.00``."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}¥{whole:,}.{cents:02d}"
