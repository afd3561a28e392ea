"""Strategies for visits: frequencies, visit rules, visit policies and visit records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, rrule
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from gridgov._time import CST
from gridgov.people import Resident
from gridgov.testing.strategies._common import check_bool, check_int, check_order, check_strategy
from gridgov.testing.strategies._people import criteria
from gridgov.visits import Frequency, VisitColour, VisitMode, VisitPolicy, VisitRecord, VisitRule

_RULE_IDS = tuple("abcdefgh")
_VISIT_KINDS = ("living_alone", "injured", "recently_discharged", "dementia", "disabled")
_VISIT_TAGS = ("party_member", "youth")
_RRULE_FREQS = (DAILY, WEEKLY, MONTHLY)
# Criteria on a few condition kinds and tags, and ages of elders, so that drawn residents
# often match several rules.
_VISIT_CRITERIA = criteria(
    kinds=st.sampled_from(_VISIT_KINDS), max_conditions=3, tags=st.sampled_from(_VISIT_TAGS)
)


def frequencies(
    *, calendar: bool = True, max_every: int = 10, max_grace_days: int = 3
) -> SearchStrategy[Frequency]:
    """Visit frequencies: every *n* days, weeks or months, and (if ``calendar``) weekly on
    given weekdays and explicit dateutil rrules (with a DTSTART, as gridgov requires).

    Args:
        calendar: whether calendar frequencies (weekdays, rrules) are drawn too.
        max_every: the most days between visits for ``every n days``; weeks go up to a third
            of it and months up to four (each at least 1).
        max_grace_days: the longest grace before a visit counts as missed.

    Frequencies shrink towards daily with no grace: interval frequencies before calendar
    ones, days before weeks before months, smaller intervals first.

    Raises:
        hypothesis.errors.InvalidArgument: for ``max_every < 1`` or ``max_grace_days < 0``.

    Example:
        >>> from gridgov.testing.strategies import frequencies
        >>> frequencies(max_every=0)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: max_every=0 must be at least 1.
    """
    check_bool("calendar", calendar)
    check_int("max_every", max_every, at_least=1)
    check_int("max_grace_days", max_grace_days, at_least=0)
    grace = st.integers(0, max_grace_days)
    interval = st.one_of(
        st.builds(Frequency.every_days, st.integers(1, max_every), grace_days=grace),
        st.builds(Frequency.every_weeks, st.integers(1, max(1, max_every // 3)), grace_days=grace),
        st.builds(Frequency.monthly, st.integers(1, min(4, max_every)), grace_days=grace),
    )
    if not calendar:
        return interval
    return st.one_of(
        interval,
        st.builds(Frequency.weekly, st.frozensets(st.integers(0, 6), min_size=1), grace_days=grace),
        _rrule_frequencies(grace),
    )


_frequencies = frequencies


@st.composite
def _rrule_frequencies(draw: st.DrawFn, grace: SearchStrategy[int]) -> Frequency:
    start = draw(st.dates(date(2024, 11, 27), date(2026, 4, 11)))
    rule = rrule(
        draw(st.sampled_from(_RRULE_FREQS)),
        interval=draw(st.integers(1, 3)),
        count=draw(st.one_of(st.none(), st.integers(1, 40))),
        dtstart=datetime(start.year, start.month, start.day, 9),
    )
    return Frequency.from_rrule(rule, grace_days=draw(grace))


def visit_rules(
    *,
    ids: SearchStrategy[str] | None = None,
    frequencies: SearchStrategy[Frequency] | None = None,
) -> SearchStrategy[VisitRule]:
    """Visit rules (走访规则) matching on an age band, conditions, tags and visit modes.

    Args:
        ids: a strategy for rule ids (valid lower-case codes); default ``"a"`` to ``"h"``.
        frequencies: a strategy for the rule's frequency (default :func:`frequencies`).

    Rules match on a few condition kinds (living alone, injured, recently discharged,
    dementia, disabled) and tags (party member, youth), so that drawn residents often match
    several rules.  Rules shrink towards id ``"a"``, daily, no age band, no conditions or
    tags, red, and one visit mode.

    Raises:
        hypothesis.errors.InvalidArgument: if an argument is not a strategy.

    Example:
        >>> from gridgov.testing.strategies import visit_rules
        >>> visit_rules(frequencies="monthly")
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: frequencies='monthly' must be a hypothesis strategy or None.
    """
    check_strategy("ids", ids)
    check_strategy("frequencies", frequencies)
    return _visit_rules(
        st.sampled_from(_RULE_IDS) if ids is None else ids,
        _frequencies() if frequencies is None else frequencies,
    )


@st.composite
def _visit_rules(
    draw: st.DrawFn, ids: SearchStrategy[str], frequencies: SearchStrategy[Frequency]
) -> VisitRule:
    return VisitRule(
        id=draw(ids),
        frequency=draw(frequencies),
        colour=draw(st.sampled_from(VisitColour)),
        reason="测试规则",
        reason_en="a test rule",
        who=draw(_VISIT_CRITERIA),
        modes=draw(st.frozensets(st.sampled_from(VisitMode), min_size=1)),
    )


def visit_policies(
    *,
    min_rules: int = 1,
    max_rules: int = 4,
    rules: SearchStrategy[VisitRule] | None = None,
    frequencies: SearchStrategy[Frequency] | None = None,
) -> SearchStrategy[VisitPolicy]:
    """Visit policies of ``min_rules`` to ``max_rules`` rules with unique ids.

    Args:
        min_rules: the fewest rules (at least 1: a policy needs one).
        max_rules: the most rules.
        rules: a strategy for the rules (default :func:`visit_rules`); rules with an id
            already drawn are dropped.
        frequencies: for the default rules, a strategy for their frequencies.

    Policies shrink towards one rule (shrinking as :func:`visit_rules` does) and a
    ``major_change_days`` of 0.

    Raises:
        hypothesis.errors.InvalidArgument: for ``min_rules < 1``, ``max_rules < min_rules``,
            or both ``rules`` and ``frequencies`` given.

    Example:
        >>> from gridgov.testing.strategies import visit_policies
        >>> visit_policies(min_rules=0)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: min_rules=0 must be at least 1.
    """
    check_int("min_rules", min_rules, at_least=1)
    check_int("max_rules", max_rules, at_least=1)
    check_order("min_rules", min_rules, "max_rules", max_rules)
    check_strategy("rules", rules)
    check_strategy("frequencies", frequencies)
    if rules is not None and frequencies is not None:
        raise InvalidArgument("pass rules= or frequencies=, not both.")
    drawn = visit_rules(frequencies=frequencies) if rules is None else rules
    return st.builds(
        _visit_policy,
        st.lists(drawn, min_size=min_rules, max_size=max_rules, unique_by=_rule_id),
        st.integers(0, 2),
    )


def _rule_id(rule: VisitRule) -> str:
    return rule.id


def _visit_policy(rules: list[VisitRule], days: int) -> VisitPolicy:
    return VisitPolicy(rules=rules, major_change_days=days)


def visit_records(
    residents: Sequence[Resident],
    *,
    max_size: int = 12,
    members: SearchStrategy[str] | None = None,
) -> SearchStrategy[list[VisitRecord]]:
    """Visit records (走访记录) of *residents*, never before a file was opened, ids ``v0``,
    ``v1``, … in order.

    Args:
        residents: the residents visited (an empty sequence draws no records).
        max_size: the most records.
        members: a strategy for the visiting member's id (default ``"m"``).

    Each record falls within 450 days from the later of the file's opening (or birth) and
    late April 2025, at a whole hour in China Standard Time.  Lists shrink towards fewer
    records, each towards the first resident, the earliest day, midnight and a visit in
    person.

    Raises:
        hypothesis.errors.InvalidArgument: for ``max_size < 0`` or residents that are not
            :class:`~gridgov.Resident` values.

    Example:
        >>> from gridgov.testing.strategies import visit_records
        >>> visit_records(["r-lu"])
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: residents must hold Resident values (got 'r-lu').
    """
    files = list(residents)
    for r in files:
        if not isinstance(r, Resident):
            raise InvalidArgument(f"residents must hold Resident values (got {r!r:.60}).")
    check_int("max_size", max_size, at_least=0)
    check_strategy("members", members)
    return _visit_records(tuple(files), max_size, st.just("m") if members is None else members)


@st.composite
def _visit_records(
    draw: st.DrawFn, residents: tuple[Resident, ...], max_size: int, members: SearchStrategy[str]
) -> list[VisitRecord]:
    if not residents:
        return []
    out = []
    for i in range(draw(st.integers(0, max_size))):
        r = draw(st.sampled_from(residents))
        lo = max(r.file_opened or r.birth_date, date(2025, 4, 26))
        day = draw(st.dates(lo, lo + timedelta(days=450)))
        out.append(
            VisitRecord(
                id=f"v{i}",
                resident=r.id,
                member=draw(members),
                at=datetime(day.year, day.month, day.day, draw(st.integers(0, 23)), tzinfo=CST),
                mode=draw(st.sampled_from(VisitMode)),
            )
        )
    return out
