"""The visit sweep's engine: a policy compiled for one day (private).

:class:`CompiledPolicy` turns a :class:`~gridgov.visits.VisitPolicy` into what a sweep over a
city needs for one day: the rules in strictness order with their steps as day numbers, a
:class:`~gridgov.CriteriaIndex` of their criteria (cut-off birth dates, answers kept per
age band, conditions and tags), the threshold below which a resident's last visit makes
them due, and :meth:`CompiledPolicy.evaluate`, which works out a resident's earliest
deadline.  It is built per call and dropped with it; what it keeps (answers, due dates of
month steps, rrule occurrences, deadlines by rules and visit day) is bounded by what one
sweep meets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date

from dateutil.relativedelta import relativedelta

import gridgov._validators as v
import gridgov.visits._args as _args
from gridgov._windows import Windows
from gridgov.criteria import Criteria, CriteriaIndex
from gridgov.errors import InvalidValueError
from gridgov.people import Resident
from gridgov.visits._index import RecordIndex, position
from gridgov.visits.frequency import Frequency, FrequencyUnit
from gridgov.visits.policy import MajorChange, VisitPolicy, VisitRule
from gridgov.visits.records import VisitRecord

# What evaluate() finds: (due, earliest, latest, last counted visit, rule, major change),
# days as day numbers (0: none).
Found = tuple[int, int, int, int, VisitRule | None, MajorChange | None]
# The rules a resident matches (strictest first), their ids, and the fast-path threshold.
Hit = tuple[tuple["CompiledRule", ...], tuple[str, ...], int | None]
Changes = Mapping[str, Sequence[tuple[int, MajorChange]]]


def add_months(day: int, months: int) -> int:
    """*day* (a day number) plus *months*, clamped to the month's end like relativedelta."""
    d = date.fromordinal(day)
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    last = month_length(y, m + 1)
    return date(y, m + 1, d.day if d.day <= last else last).toordinal()


def month_length(year: int, month: int) -> int:
    """The number of days of *month* in *year*."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


class CompiledRule:
    """A rule compiled for one day: its criteria, its steps as day counts."""

    __slots__ = (
        "calendar",
        "freq",
        "grace",
        "last_ok",
        "memo",
        "months",
        "nominal",
        "rule",
        "slot",
        "slots",
        "step",
        "wd_ahead",
        "who",
    )

    def __init__(self, rule: VisitRule, on: date) -> None:
        self.rule = rule
        self.who: Criteria = rule.who
        f = rule.frequency
        self.freq: Frequency = f
        self.nominal = f.nominal_days
        self.grace = f.grace_days
        # Positions in a resident's visit days [first, any mode, mode 0, mode 1, mode 2].
        slots = tuple(sorted(2 + position(m) for m in rule.modes))
        self.slots = slots
        self.slot = 1 if len(slots) == 3 else slots[0] if len(slots) == 1 else -1
        self.calendar = f.is_calendar
        day = on.toordinal()
        self.step = 0
        self.months = 0
        self.last_ok: int | None = None
        self.wd_ahead: tuple[int, ...] | None = None
        # Month steps: visit day → due day; rrules: day → first occurrence on or after it.
        self.memo: dict[int, int | None] = {}
        if f.weekdays:
            self.wd_ahead = tuple(min((w - wd) % 7 for w in f.weekdays) for wd in range(7))
        elif f.unit is FrequencyUnit.MONTH:
            self.months = f.every
            # the last visit day v with v + months <= day (add_months is non-decreasing)
            v = (date.fromordinal(day) - relativedelta(months=f.every)).toordinal()
            while add_months(v, f.every) > day:
                v -= 1
            while add_months(v + 1, f.every) <= day:
                v += 1
            self.last_ok = v
        elif f.unit is not FrequencyUnit.RRULE:
            self.step = f.every * (7 if f.unit is FrequencyUnit.WEEK else 1)
            self.last_ok = day - self.step

    def after(self, v: int) -> int:
        """The day a visit on day *v* falls due again under an interval frequency (before the
        stretch start is applied): the one place the step is taken."""
        if self.months:
            memo = self.memo
            due = memo.get(v)
            if due is None:
                due = memo[v] = add_months(v, self.months)
            return due
        return v + self.step

    def occurrence(self, x: int) -> int | None:
        """The first occurrence on or after day *x* (calendar frequencies)."""
        if self.wd_ahead is not None:
            return x + self.wd_ahead[(x - 1) % 7]
        memo = self.memo
        if x in memo:
            return memo[x]
        found = memo[x] = self.freq.occurrence_day(x)
        return found

    def calendar_due(self, v: int, start: int) -> tuple[int, int] | None:
        """For a calendar frequency, (earliest, due) after the last counted visit *v* (0:
        none) in a stretch from *start*: the period after the one *v* fell in, or the one
        *start* falls in.  (Interval frequencies step by :meth:`after`.)"""
        if v:
            closing = self.occurrence(v)
            if closing is None:
                return None
            a = closing + 1 if closing + 1 > start else start
        else:
            a = start
        due = self.occurrence(a)
        return None if due is None else (a, due)


class CompiledPolicy:
    """A policy compiled for one day (see the module notes)."""

    def __init__(self, policy: VisitPolicy, on: date) -> None:
        self.policy = policy
        self.on = on
        self.day = on.toordinal()
        self.rules = tuple(CompiledRule(r, on) for r in policy.by_strictness())
        self.criteria = CriteriaIndex([r.who for r in policy.by_strictness()], on=on)
        # Visit-mode positions some rule counts on their own (rules counting every mode use
        # the "any mode" day).
        self.slots = tuple(sorted({s for r in self.rules if r.slot != 1 for s in r.slots}))
        self.hits: dict[tuple[int, ...], Hit] = {}
        self.dates: dict[int, date] = {}
        # interval_due's answers by (the caller's tag for the hit, visit day), for stretches
        # begun by then.
        self.settled: dict[tuple[int, int], Found] = {}

    def hit(self, matched: tuple[int, ...]) -> Hit:
        """The compiled rules at positions *matched* (strictest first), their ids, and the
        day on or before which a last visit makes the resident due when every one of them
        is an interval rule counting every mode (``None`` otherwise)."""
        found = self.hits.get(matched)
        if found is None:
            rules = tuple(self.rules[i] for i in matched)
            fast = None
            if rules and all(r.last_ok is not None and r.slot == 1 for r in rules):
                fast = max(r.last_ok for r in rules if r.last_ok is not None)
            found = self.hits[matched] = (rules, tuple(r.rule.id for r in rules), fast)
        return found

    def date_of(self, day: int) -> date:
        """*day* as a date, one object per day (due dates repeat across residents)."""
        found = self.dates.get(day)
        if found is None:
            found = self.dates[day] = date.fromordinal(day)
        return found

    def interval_due(
        self, v: int, hit: Hit, starts: Sequence[int], latest: int, tag: int
    ) -> Found:
        """:meth:`evaluate` for the common case of a sweep over a roster: the resident was
        last visited on day *v* (the caller has checked that no record of theirs is before
        the file was opened), every rule of *hit* is an interval rule counting every mode
        (``hit[2]`` is not ``None``), the stretch starts are known and there is no major
        change.  Only the rule whose deadline wins is worked out in full.  *latest* is the
        latest of *starts*; *tag* names *hit* among the hits of this sweep.
        """
        # Every stretch began by the day after the visit: the answer depends on the rules
        # and the visit day alone (each step from v lands after v), so it is worked out once
        # per (rules, visit day) in this sweep.
        key = (tag, v) if latest <= v + 1 else None
        if key is not None:
            found = self.settled.get(key)
            if found is not None:
                return found
        best_due = best_latest = best_start = 0
        chosen: VisitRule | None = None
        for rank, cr in enumerate(hit[0]):
            due = cr.after(v)
            if chosen is None or due <= best_due:
                s = starts[rank]
                if due < s:
                    due = s
                latest = due + cr.grace
                if chosen is None or due < best_due or (due == best_due and latest < best_latest):
                    best_due, best_latest, best_start, chosen = due, latest, s, cr.rule
        assert chosen is not None
        earliest = v + 1 if v + 1 > best_start else best_start
        found = (best_due, earliest, best_latest, v, chosen, None)
        if key is not None:
            self.settled[key] = found
        return found

    def evaluate(
        self,
        r: Resident,
        g: list[int] | None,
        changes: Sequence[tuple[int, MajorChange]] | None,
        hit: Hit,
        due_only: bool,
        records: Callable[[], Iterable[VisitRecord]],
        windows: Windows | None = None,
        starts: Sequence[int] | None = None,
    ) -> Found | None:
        """The resident's earliest deadline among the rules of *hit* and *changes*
        (``None`` if there is none, or with *due_only* if it is after the day).

        *g* is ``[first record day, last visit of any mode, mode 0, mode 1, mode 2]`` with 0
        for "none", or ``None`` without records; *windows* the resident's condition windows
        if the caller keeps them; *starts*, if given, the first day of each rule's stretch
        (aligned with the rules of *hit*, as a roster keeps them).  A rule whose deadline
        cannot be earlier than the best found (its step from the last visit is later) is
        passed over without working out the start of its stretch.
        """
        fo = r.file_opened
        if g is not None and fo is not None and g[0] < fo.toordinal():
            raise _args.before_file(r, g[0], records())
        floor = r.owed_from().toordinal()
        day = self.day

        def start_of(rank: int, cr: CompiledRule) -> int:
            """The first day of the rule's stretch: as the caller keeps it, or worked out."""
            if starts is not None:
                return starts[rank]
            return cr.who.stretch_start(r, day, floor, windows)

        best_due = best_latest = best_earliest = best_v = 0
        best_rank = 0
        chosen: CompiledRule | None = None
        found = False
        for rank, cr in enumerate(hit[0]):
            if g is None:
                v = 0
            elif cr.slot >= 0:
                v = g[cr.slot]
            else:
                v = max([g[x] for x in cr.slots])
            if not cr.calendar:
                if v:
                    due = cr.after(v)
                    if found and due > best_due:
                        continue  # its deadline is at least this step: it cannot win
                    s = start_of(rank, cr)
                    if due < s:
                        due = s
                    earliest = v + 1 if v + 1 > s else s
                else:
                    due = earliest = start_of(rank, cr)
            else:
                s = start_of(rank, cr)
                got = cr.calendar_due(v, s)
                if got is None:
                    continue
                earliest, due = got
            latest = due + cr.grace
            if not found or due < best_due or (due == best_due and latest < best_latest):
                found = True
                best_due, best_latest, best_rank = due, latest, rank
                best_earliest, best_v, chosen = earliest, v, cr
        change: MajorChange | None = None
        if changes:
            v_any = g[1] if g is not None else 0
            for cday, event in changes:
                if cday > v_any and cday >= floor:  # nothing is owed before the floor
                    latest = cday + self.policy.major_change_days
                    if not found or (cday, latest, -1) < (best_due, best_latest, best_rank):
                        found = True
                        best_due = best_earliest = cday
                        best_latest, best_v, chosen, change = latest, v_any, None, event
                    break
        if not found or (due_only and best_due > day):
            return None
        return (
            best_due,
            best_earliest,
            best_latest,
            best_v,
            chosen.rule if chosen is not None else None,
            change,
        )


def any_due(
    rules: Sequence[CompiledRule],
    rid: str,
    last: int,
    slot_get: Mapping[int, Callable[[str, int], int]],
) -> bool:
    """Whether some rule may be due (the slow path of the sweep's fast check)."""
    for cr in rules:
        lo = cr.last_ok
        if lo is None:
            return True  # a calendar rule: evaluate it
        s = cr.slot
        if s == 1:
            v = last
        elif s > 0:
            v = slot_get[s](rid, 0)
        else:
            v = max(slot_get[x](rid, 0) for x in cr.slots)
        if v <= lo:
            return True
    return False


def file_sweep(
    compiled: CompiledPolicy,
    idx: RecordIndex,
    kept: tuple[VisitRecord, ...],
    changes: Changes,
) -> tuple[
    Callable[[Resident, Windows | None], tuple[Found, Hit] | None],
    Callable[[str, int], list[int]],
]:
    """The sweep's one look at a file, for the plain sweep and the roster's files with windows:
    ``one(r, windows)`` gives ``(found, hit)`` when *r* is due on the compiled day (``None``
    otherwise: no rule matches, or the fast check shows none can be due), and
    ``days(rid, last)`` the visit days ``evaluate`` reads for a resident last visited on
    *last*.  Built once per sweep: the look-ups are bound here, not per resident."""
    matching = compiled.criteria.matching
    hits_get = compiled.hits.get
    hit_of = compiled.hit
    evaluate = compiled.evaluate
    first_get = idx.first.get
    last_get = idx.last.get
    slot_get = {s: idx.modes[s - 2].get for s in compiled.slots}
    slot_items = tuple(slot_get.items())
    changes_get = changes.get

    def records() -> Iterable[VisitRecord]:
        return kept

    def days(rid: str, last: int) -> list[int]:
        g = [first_get(rid, last), last, 0, 0, 0]
        for x, get in slot_items:
            g[x] = get(rid, 0)
        return g

    def one(r: Resident, windows: Windows | None) -> tuple[Found, Hit] | None:
        matched = matching(r)
        if not matched:
            return None
        hit = hits_get(matched)
        if hit is None:
            hit = hit_of(matched)
        rid = r.id
        last = last_get(rid)
        chs = changes_get(rid) if changes else None
        if last is not None and chs is None:
            # Fast path: an interval rule is due iff its last counted visit is on or before
            # the rule's precomputed last_ok day; skip the resident when none is.
            fast = hit[2]
            if fast is not None:
                if last > fast:
                    return None
            elif not any_due(hit[0], rid, last, slot_get):
                return None
        g = None if last is None else days(rid, last)
        found = evaluate(r, g, chs, hit, True, records, windows)
        return None if found is None else (found, hit)

    return one, days


def group_changes(major_changes: object, day: int) -> dict[str, list[tuple[int, MajorChange]]]:
    """Major changes on or before *day*, by resident, in date order.

    *major_changes* is ``None``, :class:`MajorChange` values, or a mapping of resident id to
    the day of a change.
    """
    if major_changes is None:
        return {}
    items: Iterable[MajorChange]
    if isinstance(major_changes, Mapping):
        items = [MajorChange(resident=rid, on=d) for rid, d in major_changes.items()]
    else:
        items = v.check_items("major_changes", major_changes)
    out: dict[str, list[tuple[int, MajorChange]]] = {}
    for ch in items:
        if not isinstance(ch, MajorChange):
            raise InvalidValueError(
                f"'major_changes' must be MajorChange values or a mapping of resident id to "
                f"date (got {v.show(ch)})."
            )
        o = ch.on.toordinal()
        if o <= day:
            out.setdefault(ch.resident, []).append((o, ch))
    for lst in out.values():
        lst.sort(key=lambda x: x[0])
    return out
