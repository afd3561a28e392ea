"""Visit coverage (月探访率): residents visited at least once in a month, out of those under
the policy during it, per unit, rolled up the tree.

The Ministry of Civil Affairs' 2022 opinion asks for a 100 % monthly visit rate for elders
in special difficulty and publishes no formula; gridgov reads it as (residents visited at
least once in the month) ÷ (residents some rule of the policy matched on some day of it).

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST
    >>> from gridgov.demo import sample_grid, sample_residents
    >>> from gridgov.visits import DEFAULT_POLICY, VisitRecord
    >>> seen = [VisitRecord(id="v1", resident="r-lu", member="m-li",
    ...                     at=datetime(2026, 11, 25, 9, tzinfo=CST))]
    >>> report = coverage(sample_residents(), seen, DEFAULT_POLICY, sample_grid(),
    ...                   month=(2026, 11))
    >>> report["mg31"].visited, report["mg31"].required
    (1, 4)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

import attrs

import gridgov._validators as v
import gridgov.visits._args as _args
from gridgov.errors import InvalidValueError
from gridgov.grid import GridGraph
from gridgov.people import Resident, ResidentFiles, birthday
from gridgov.serialize import register
from gridgov.visits.policy import VisitPolicy
from gridgov.visits.records import VisitLog, VisitRecord

__all__ = ["VisitCoverage", "coverage"]

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _month(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not (isinstance(value, str) and _MONTH.fullmatch(value)):
        raise v.refuse("month", instance, "a month as 'YYYY-MM'", value)
    if not v.MIN_YEAR <= int(value[:4]) <= v.MAX_YEAR:
        raise v.refuse("month", instance, f"a month in the years {v.MIN_YEAR} to {v.MAX_YEAR}", value)


@register
@attrs.frozen(kw_only=True)
class VisitCoverage:
    """The visit rate of one unit for one month: residents visited at least once in the month
    out of the residents under the policy during it (the unit's subtree).

    Example:
        >>> VisitCoverage(unit="g3", tier="grid", month="2026-11", required=8, visited=6).rate
        0.75
    """

    unit: str = attrs.field(validator=v.ident)
    tier: str = attrs.field(validator=v.code)
    month: str = attrs.field(validator=_month)
    required: int = attrs.field(validator=v.integer(0, 10**12))
    visited: int = attrs.field(validator=v.integer(0, 10**12))

    def __attrs_post_init__(self) -> None:
        if self.visited > self.required:
            raise InvalidValueError(
                f"'visited' of VisitCoverage must be at most its required {self.required:,} "
                f"(got {self.visited:,})."
            )

    @property
    def rate(self) -> float | None:
        """``visited / required``, or ``None`` when nobody required a visit."""
        return self.visited / self.required if self.required else None


def _under_policy_during(policy: VisitPolicy, r: Resident, first: date, last: date) -> bool:
    """Whether some rule matches *r* on some day from *first* to *last*: it is enough to ask
    on the first day and on each day something about the file changes."""
    days = {first}
    if r.file_opened is not None:
        days.add(r.file_opened)
    for c in r.conditions:
        if c.start is not None:
            days.add(c.start)
        if c.end is not None:
            days.add(c.end)
    for rule in policy.rules:
        who = rule.who
        for years in (who.min_age, None if who.max_age is None else who.max_age + 1):
            if years is not None:
                days.add(birthday(r.birth_date, years))
    return any(
        rule.matches(r, on=d) for d in sorted(days) if first <= d <= last for rule in policy.rules
    )


def coverage(
    residents: Iterable[Resident] | ResidentFiles,
    records: Iterable[VisitRecord] | VisitLog,
    policy: VisitPolicy,
    grid: GridGraph,
    *,
    month: date | tuple[int, int],
) -> dict[str, VisitCoverage]:
    """The monthly visit rate per unit, rolled up the tree (each unit counts the residents of
    its whole subtree).

    A resident *requires* a visit in the month when some rule of *policy* matches them on
    some day of it; they count as *visited* when a record of any mode is dated in the month.

    Args:
        month: a ``(year, month)`` pair or any date in the month.

    Returns:
        unit id → :class:`VisitCoverage`, for every unit, in the grid's order (tier, then id).

    Raises:
        UnknownPlaceError: for a required resident whose household is not in the grid.
        InvalidValueError: for arguments of the wrong type (named).

    Example:
        >>> from datetime import date, datetime
        >>> from gridgov import CST
        >>> from gridgov.demo import sample_grid, sample_residents
        >>> from gridgov.visits import DEFAULT_POLICY, VisitRecord
        >>> seen = [VisitRecord(id="v1", resident="r-lu", member="m-li",
        ...                     at=datetime(2026, 11, 25, 9, tzinfo=CST))]
        >>> report = coverage(sample_residents(), seen, DEFAULT_POLICY, sample_grid(),
        ...                   month=(2026, 11))
        >>> report["mg31"].visited, report["mg31"].required, report["yx"].required
        (1, 4, 61)
        >>> coverage(sample_residents(), seen, DEFAULT_POLICY, sample_grid(), month="2026-11")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'month' must be a date or a (year, month) pair such as (2026, 11) (got '2026-11').
    """
    year, mon = _year_month(month)
    v.check_instance("policy", policy, VisitPolicy)
    v.check_instance("grid", grid, GridGraph)
    first = date(year, mon, 1)
    last = date(year + mon // 12, mon % 12 + 1, 1).toordinal() - 1
    lo, hi = first.toordinal(), last
    items = records.records if isinstance(records, VisitLog) else _args.items(
        records, VisitRecord, "records"
    )
    visited_ids = {rec.resident for rec in items if lo <= rec.day_number <= hi}
    counts = {u.id: [0, 0] for u in grid.units}
    for r in _args.stream(residents):
        if not isinstance(r, Resident):
            raise _args.not_a_resident(r)
        if not _under_policy_during(policy, r, first, date.fromordinal(hi)):
            continue
        hit = r.id in visited_ids
        for u in grid.place_chain(r.household):
            c = counts[u.id]
            c[0] += 1
            c[1] += hit
    label = f"{year:04d}-{mon:02d}"
    return {
        u.id: VisitCoverage(
            unit=u.id, tier=u.tier, month=label, required=counts[u.id][0], visited=counts[u.id][1]
        )
        for u in grid.units
    }


def _year_month(month: object) -> tuple[int, int]:
    if isinstance(month, date) and not isinstance(month, datetime):
        v.check_date("month", month)
        return month.year, month.month
    if (
        isinstance(month, tuple)
        and len(month) == 2
        and all(isinstance(x, int) and not isinstance(x, bool) for x in month)
    ):
        year, mon = month
        v.check_integer("month", mon, 1, 12)
        v.check_integer("year", year, v.MIN_YEAR, v.MAX_YEAR)
        return year, mon
    raise v.refuse("month", None, "a date or a (year, month) pair such as (2026, 11)", month)
