"""The visit-policy check, :func:`check_visit_policy`: the strictest matching rule, its
explanation, month ends and the next due visit."""

from __future__ import annotations

import calendar as _calendar
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from gridgov._time import CST
from gridgov.people import Resident
from gridgov.testing.checks._report import report, require
from gridgov.visits import (
    Frequency,
    FrequencyUnit,
    VisitPolicy,
    VisitRecord,
    VisitRequirement,
    VisitRule,
    next_due,
)


def _freq(f: Frequency) -> str:
    return f"{f.zh} {f.label}"


def _rule_text(rule: VisitRule) -> str:
    return f"rule {rule.id!r} ({_freq(rule.frequency)}, {rule.who.describe().en})"


def _describe_resident(resident: Resident, day: date) -> str:
    if resident.birth_date > day:
        return f"resident {resident.id!r} ({resident.name}), not yet born on {day.isoformat()}"
    kinds = sorted(resident.conditions_on(day))
    text = (
        f"resident {resident.id!r} ({resident.name}), age {resident.age_on(day)} on "
        f"{day.isoformat()}, conditions in force: {', '.join(kinds) or 'none'}"
    )
    if resident.tags:
        text += f", tags: {', '.join(sorted(resident.tags))}"
    if resident.file_opened is not None:
        text += f", file opened {resident.file_opened.isoformat()}"
    if resident.tracked_since is not None:
        text += f", tracked since {resident.tracked_since.isoformat()}"
    return text


def _month_end(day: date, months: int) -> date:
    """The last day of the month *months* after *day*'s month."""
    first = date(day.year, day.month, 1) + relativedelta(months=months)
    return date(first.year, first.month, _calendar.monthrange(first.year, first.month)[1])


def _month_end_days(day: date) -> list[date]:
    """The 29th, 30th and 31st of *day*'s month that exist."""
    last = _calendar.monthrange(day.year, day.month)[1]
    return [date(day.year, day.month, d) for d in range(29, last + 1)]


def _month_end_problems(rule: VisitRule, day: date) -> list[str]:
    """An interval frequency's next due date after a visit on a month end is where it must be."""
    f = rule.frequency
    if f.is_calendar:
        return []
    problems = []
    for visit in _month_end_days(day):
        due = f.next_after(visit)
        if f.unit is FrequencyUnit.MONTH:
            latest = _month_end(visit, f.every)
            ok = due is not None and (due.year, due.month) == (latest.year, latest.month)
            expected = f"in the month ending {latest.isoformat()} (clamped to its last day)"
        else:
            step = f.every * (7 if f.unit is FrequencyUnit.WEEK else 1)
            ok = due == visit + timedelta(days=step)
            expected = (visit + timedelta(days=step)).isoformat()
        if not ok:
            problems.append(
                f"month ends are not safe for {_rule_text(rule)}: after a visit on "
                f"{visit.isoformat()} the next visit is due {due}, but it must be {expected}; "
                "a short month must never be skipped."
            )
    return problems


def check_visit_policy(
    policy: VisitPolicy, resident: Resident, day: date
) -> VisitRequirement | None:
    """Resolve *resident*'s visit frequency on *day* under *policy*, and check it.

    The check reads every rule of the policy directly and checks
    :meth:`~gridgov.visits.VisitPolicy.requirement` and :func:`~gridgov.visits.next_due`
    against it:

    * **Nothing is invented.**  When no rule matches, there is no requirement.
    * **The strictest rule wins.**  The governing rule matches, and its frequency is at least
      as strict as every matching rule's (by :attr:`~gridgov.visits.Frequency.nominal_days`),
      ties going to the rule earlier in the policy.
    * **The explanation names the winner and the others**: the requirement's ``also`` holds
      exactly the other matching rules, and its reason (Chinese, then English) names the
      winner and each of them.
    * **Month ends are safe.**  For every matching interval frequency, the due date after a
      visit on the 29th, 30th or 31st of *day*'s month is the interval later — for months,
      in the month that many months on, clamped to its last day, never skipped past it.
      And after a visit on *day* itself, :func:`~gridgov.visits.next_due` is due no later
      than the winning rule's next date.

    Args:
        policy: the visit policy under test.
        resident: the resident's personal file.
        day: the day to resolve on.

    Returns:
        The requirement, or ``None`` when no rule matches.

    Raises:
        AssertionError: if an invariant fails, explaining the counterexample in domain terms.
        TypeError: if an argument has the wrong type (a misuse, not a broken invariant).

    Example:
        >>> from datetime import date
        >>> from gridgov.demo import sample_residents
        >>> from gridgov.testing.checks import check_visit_policy
        >>> from gridgov.visits import DEFAULT_POLICY
        >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
        >>> check_visit_policy(DEFAULT_POLICY, lu, date(2026, 12, 20)).rule.id
        'discharged_alone'
    """
    require("policy", policy, VisitPolicy, "a VisitPolicy")
    require("resident", resident, Resident, "a Resident")
    if not isinstance(day, date) or isinstance(day, datetime):
        raise TypeError(f"'day' must be a datetime.date (got {type(day).__name__}).")
    matched = [r for r in policy.rules if r.matches(resident, on=day)]
    order = {r.id: i for i, r in enumerate(policy.rules)}
    context = [
        _describe_resident(resident, day),
        f"policy {policy.name!r}; rules matching: "
        + ("; ".join(_rule_text(r) for r in matched) or "none"),
    ]
    try:
        req = policy.requirement(resident, on=day)
    except Exception as exc:
        raise AssertionError(
            report(
                "the visit frequency cannot be resolved.",
                context,
                [f"requirement() raised {type(exc).__name__}: {exc}"],
            )
        ) from exc
    problems: list[str] = []
    if not matched:
        if req is not None:
            problems.append(f"no rule matches, yet the requirement names {_rule_text(req.rule)}.")
    elif req is None:
        problems.append("rules match, yet there is no requirement: the resident would be missed.")
    else:
        win = req.rule
        context.append(f"requirement: {_rule_text(win)}; also {[r.id for r in req.also]}")
        if win.id not in {r.id for r in matched}:
            problems.append(f"the governing {_rule_text(win)} does not match the resident.")
        for r in matched:
            if r.id == win.id:
                continue
            a, b = r.frequency.nominal_days, win.frequency.nominal_days
            if a < b or (a == b and order[r.id] < order.get(win.id, len(order))):
                problems.append(
                    f"{_rule_text(r)} is stricter than the governing {_rule_text(win)} "
                    f"({a:g} < {b:g} days{'' if a < b else ', a tie that goes to the earlier rule'}"
                    "): the strictest rule must win (从严)."
                )
        others = sorted(r.id for r in matched if r.id != win.id)
        also = [r.id for r in req.also]
        if sorted(also) != others:
            problems.append(
                f"the explanation lists {also} as the other matching rules, but they are {others}."
            )
        lines = [req.reason.zh, req.reason.en]
        for rule_id in [win.id, *others]:
            if any(rule_id not in line for line in lines):
                problems.append(
                    f"the reason (Chinese, then English) does not name rule {rule_id!r}: "
                    f"{req.reason!r}."
                )
        if sorted(req.reason.ids("rule")) != sorted([win.id, *others]):
            problems.append(
                f"the reason refers to rules {list(req.reason.ids('rule'))}, but the matching "
                f"rules are {sorted([win.id, *others])}."
            )
        if not problems:
            for r in matched:
                problems += _month_end_problems(r, day)
        if not problems:
            mode = sorted(win.modes, key=lambda m: m.value)[0]
            visit = VisitRecord(
                id="check-visit",
                resident=resident.id,
                member="check",
                at=datetime.combine(day, time(12), tzinfo=CST),
                mode=mode,
            )
            item = next_due(resident, [visit], policy, on=day)
            nominal = win.frequency.next_after(day)
            if item is None:
                # Legitimate only when no matching rule has a date after the visit (a finite
                # rrule whose last occurrence the visit covered).
                going_on = [r for r in matched if r.frequency.next_after(day) is not None]
                if going_on:
                    problems.append(
                        "next_due() finds no visit due after a visit on "
                        f"{day.isoformat()}, yet {_rule_text(going_on[0])} still has dates "
                        "after it."
                    )
            elif nominal is not None and resident.owed_from() <= day and item.due > nominal:
                # (a visit before a file's tracking began does not set its clock: nothing is
                # owed before that day, see Resident.owed_from)
                problems.append(
                    f"after a visit on {day.isoformat()} ({mode.value}), next_due() says the "
                    f"next visit is due {item.due.isoformat()} by "
                    f"{'a major change' if item.rule is None else repr(item.rule.id)}, later "
                    f"than {nominal.isoformat()} that the governing {_rule_text(win)} requires."
                )
    if problems:
        raise AssertionError(
            report(
                f"visit policy {policy.name!r} breaks an invariant for resident {resident.id!r} "
                f"on {day.isoformat()}.",
                context,
                problems,
            )
        )
    return req
