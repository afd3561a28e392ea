"""Who must be visited (应访): the day's sweep over a city, and one resident's next visit.

**What "due" means.**  On day *D* every rule that matches the resident on *D* sets a
deadline; the resident is *due* on *D* when the earliest deadline is on or before *D*:

* a rule's deadline is ``max(next(v), start)`` where *v* is the last visit on or before *D*
  that the rule counts (its ``modes``), ``next`` the frequency's step from it, and *start*
  the first day of the rule's current stretch: the day since which the rule has matched
  without a break (:meth:`gridgov.Criteria.since`: the day a condition began, the birthday
  that brought the resident into the age band, or the day the file was opened);
* a resident never visited is due from *start*;
* a major change (:class:`~gridgov.visits.MajorChange`) on day *C* ≤ *D* not yet followed
  by a visit sets a deadline of *C*, with a window ending ``policy.major_change_days``
  later (24 hours).

So a temporary condition raises the frequency from the day it begins (not retroactively)
and stops mattering the day it ends, and adding or tightening a rule can only bring a
deadline forward.  The deadline's window is ``earliest ≤ due ≤ latest``: *earliest* is the
first day a visit counts toward it (the day after the last counted visit, the start of the
stretch, or — for calendar frequencies — the day after the previous occurrence), *latest*
is ``due + grace_days``; a resident still due after *latest* has *missed* the visit.

**Strictness.**  Frequencies are ordered by :attr:`~gridgov.visits.Frequency.nominal_days`
(a month is 365.2425 / 12 days), ties by policy order.
:meth:`~gridgov.visits.VisitPolicy.requirement` names the strictest matching rule as the
one that governs; a :class:`DueVisit` names the rule whose deadline is earliest (the same
rule, except when a laxer rule's deadline had already passed when a stricter one began).

Example:
    >>> from datetime import date, datetime
    >>> from gridgov import CST
    >>> from gridgov.demo import sample_residents
    >>> from gridgov.visits import DEFAULT_POLICY, VisitRecord
    >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
    >>> seen = [VisitRecord(id="v1", resident="r-lu", member="m-li",
    ...                     at=datetime(2026, 11, 20, 9, tzinfo=CST))]
    >>> item = next_due(lu, seen, DEFAULT_POLICY, on=date(2026, 11, 26))
    >>> item.due, item.rule.id, item.days_overdue, item.missed
    (datetime.date(2026, 11, 25), 'discharged_alone', 1, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

import attrs

import gridgov._validators as v
import gridgov.visits._args as _args
import gridgov.visits._text as _text
from gridgov._fast import trusted_constructor
from gridgov.errors import InvalidValueError, UnknownResidentError
from gridgov.people import Resident, ResidentFiles
from gridgov.reasons import Reason, Ref
from gridgov.serialize import register
from gridgov.visits._engine import CompiledPolicy, Found, file_sweep, group_changes
from gridgov.visits._index import RecordIndex, index
from gridgov.visits._roster import Make, T, sweep_roster
from gridgov.visits.policy import MajorChange, VisitColour, VisitPolicy, VisitRule
from gridgov.visits.records import VisitLog, VisitRecord
from gridgov.visits.roster import RosterLog, VisitRoster

__all__ = ["DueVisit", "VisitWindow", "due_ids", "due_visits", "next_due"]



@register
@attrs.frozen(kw_only=True)
class VisitWindow:
    """The window of one visit: a visit before ``earliest`` does not count for it, it is due
    on ``due``, and missed after ``latest``.

    Raises:
        InvalidValueError: if the days are not in order.

    Example:
        >>> from datetime import date
        >>> VisitWindow(earliest=date(2026, 12, 1), due=date(2026, 12, 1),
        ...             latest=date(2026, 11, 30))
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'latest' of VisitWindow must not be before its due day 2026-12-01 (got 2026-11-30).
    """

    earliest: date = attrs.field(validator=v.plain_date)
    due: date = attrs.field(validator=v.plain_date)
    latest: date = attrs.field(validator=v.plain_date)

    def __attrs_post_init__(self) -> None:
        _check_window(self, self.earliest, self.due, self.latest)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.earliest <= day <= self.latest


def _check_window(owner: object, earliest: date, due: date, latest: date) -> None:
    if due < earliest:
        raise InvalidValueError(
            f"'due' of {type(owner).__name__} must not be before its earliest day "
            f"{earliest.isoformat()} (got {due.isoformat()})."
        )
    if latest < due:
        raise InvalidValueError(
            f"'latest' of {type(owner).__name__} must not be before its due day "
            f"{due.isoformat()} (got {latest.isoformat()})."
        )


@register
@attrs.frozen(kw_only=True)
class DueVisit:
    """A visit a resident needs, as seen on day ``on``: its window, the rule (or major change)
    that set it, and the rules that matched.

    Built by :func:`due_visits` and :func:`next_due`.

    Attributes:
        resident: the resident's id.
        resident_name: the resident's name.
        household: the resident's household (a place of the grid).
        on: the day of the sweep.
        due: the due date (on or before ``on`` when the resident is due).
        earliest: the first day a visit counts toward it.
        latest: the last day before the visit is missed.
        last_visit: the last visit the rule counted, if any.
        rule: the rule whose deadline this is (``None`` for a major change).
        change: the major change that set it, if any.
        matched: the ids of every rule matching on ``on``, strictest first.

    Example:
        >>> from datetime import date, datetime
        >>> from gridgov import CST
        >>> from gridgov.demo import sample_residents
        >>> from gridgov.visits import DEFAULT_POLICY, VisitRecord
        >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
        >>> seen = [VisitRecord(id="v1", resident="r-lu", member="m-li",
        ...                     at=datetime(2026, 11, 25, 9, tzinfo=CST))]
        >>> item = next_due(lu, seen, DEFAULT_POLICY, on=date(2026, 11, 27))
        >>> item.due, item.days_overdue, item.missed, item.window.latest
        (datetime.date(2026, 11, 26), 1, True, datetime.date(2026, 11, 26))
        >>> print(item.reason)
        吕阿姨应于2026-11-26探访（每日一访，红）：刚出院的独居或孤寡老人，每日一访【discharged_alone】；上次探访2026-11-25；逾期1天，已错过（最迟2026-11-26）。
        visit 吕阿姨 by 2026-11-26 (daily, red): elder living alone or without family support just discharged from hospital: a visit every day [discharged_alone]; last visit 2026-11-25; 1 day overdue, missed (latest 2026-11-26).
    """

    resident: str = attrs.field(validator=v.ident)
    resident_name: str = attrs.field(validator=v.personal_name, repr=False)
    household: str = attrs.field(validator=v.ident, repr=False)
    on: date = attrs.field(validator=v.plain_date)
    due: date = attrs.field(validator=v.plain_date)
    earliest: date = attrs.field(validator=v.plain_date)
    latest: date = attrs.field(validator=v.plain_date)
    last_visit: date | None = attrs.field(default=None, validator=v.optional(v.plain_date))
    rule: VisitRule | None = attrs.field(default=None, validator=v.optional(v.is_a(VisitRule)))
    change: MajorChange | None = attrs.field(
        default=None, validator=v.optional(v.is_a(MajorChange))
    )
    matched: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.code)
    )

    def __attrs_post_init__(self) -> None:
        _check_window(self, self.earliest, self.due, self.latest)
        if (self.rule is None) == (self.change is None):
            raise InvalidValueError(
                "'rule' and 'change' of DueVisit: exactly one must be given (the rule or the "
                "major change that set the visit)."
            )

    @property
    def is_due(self) -> bool:
        """Whether the due date is on or before ``on``."""
        return self.due <= self.on

    @property
    def days_overdue(self) -> int:
        """Days from the due date to ``on`` (0 on the due date or before it)."""
        n = (self.on - self.due).days
        return n if n > 0 else 0

    @property
    def missed(self) -> bool:
        """Whether ``on`` is past the window's latest day."""
        return self.on > self.latest

    @property
    def window(self) -> VisitWindow:
        """The visit's window."""
        return VisitWindow(earliest=self.earliest, due=self.due, latest=self.latest)

    @property
    def colour(self) -> VisitColour:
        """The rule's colour (red for a major change)."""
        return self.rule.colour if self.rule is not None else VisitColour.RED

    @property
    def frequency_label(self) -> tuple[str, str]:
        """The frequency behind the visit, in Chinese and English."""
        if self.rule is None:
            zh, en = _within(self)
            return (f"{zh}探访", en)
        return (self.rule.frequency.zh, self.rule.frequency.label)

    @property
    def reason(self) -> Reason:
        """Why the visit is due, naming the resident (their id in ``refs``).

        Example:
            >>> from datetime import date, datetime
            >>> from gridgov import CST
            >>> from gridgov.demo import sample_residents
            >>> from gridgov.visits import DEFAULT_POLICY, MajorChange, VisitRecord
            >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
            >>> seen = [VisitRecord(id="v1", resident="r-lu", member="m-li",
            ...                     at=datetime(2027, 1, 10, 9, tzinfo=CST))]
            >>> fall = MajorChange(resident="r-lu", on=date(2027, 1, 15), what="跌倒")
            >>> item = next_due(lu, seen, DEFAULT_POLICY, on=date(2027, 1, 15),
            ...                 major_changes=[fall])
            >>> print(item.reason)
            吕阿姨于2027-01-15发生重大变故（跌倒），应在24小时内探访（最迟2027-01-16）；上次探访2027-01-10；逾期0天。
            visit 吕阿姨 within 24 hours of a major change on 2027-01-15 (跌倒), by 2027-01-16; last visit 2027-01-10; 0 days overdue.
            >>> [(ref.kind, ref.id) for ref in item.reason.refs]
            [('resident', 'r-lu')]
        """
        name = self.resident_name
        refs = [Ref(kind="resident", id=self.resident, name=name)]
        if self.change is not None:
            zh_within, en_within = _within(self)
            what_zh = self.change.what or "重大变故"
            what_en = self.change.what or "a major change"
            zh = (
                f"{name}于{_text.iso(self.change.on)}发生重大变故（{what_zh}），应在{zh_within}"
                f"探访（最迟{_text.iso(self.latest)}）"
            )
            en = (
                f"visit {name} {en_within} of a major change on {_text.iso(self.change.on)} "
                f"({what_en}), by {_text.iso(self.latest)}"
            )
        else:
            rule = self.rule
            assert rule is not None
            refs.append(Ref(kind="rule", id=rule.id, name=rule.id))
            f, c = rule.frequency, rule.colour
            zh = (
                f"{name}应于{_text.iso(self.due)}探访（{f.zh}，{c.zh}）：{rule.reason}"
                f"【{rule.id}】"
            )
            en = (
                f"visit {name} by {_text.iso(self.due)} ({f.label}, {c.label}): "
                f"{rule.reason_en or rule.reason} [{rule.id}]"
            )
        if self.last_visit is not None:
            zh += f"；上次探访{_text.iso(self.last_visit)}"
            en += f"; last visit {_text.iso(self.last_visit)}"
        else:
            zh += "；尚未探访"
            en += "; not visited yet"
        if self.is_due:
            zh += f"；逾期{self.days_overdue}天"
            en += f"; {_text.days(self.days_overdue)} overdue"
        if self.missed:
            zh += f"，已错过（最迟{_text.iso(self.latest)}）"
            en += f", missed (latest {_text.iso(self.latest)})"
        return _text.reason(f"{zh}。", f"{en}.", refs)


def _within(item: DueVisit) -> tuple[str, str]:
    """How soon a major change asks for a visit: '24小时内' / 'within 24 hours'."""
    days = (item.latest - item.due).days
    if days == 0:
        return ("当天", "the same day")
    if days == 1:
        return ("24小时内", "within 24 hours")
    return (f"{days}天内", f"within {days} days")


# The sweep builds many DueVisits from values it has checked: set the slots directly.
_new_due_visit = trusted_constructor(DueVisit)


def _due_visit(
    compiled: CompiledPolicy, files: Sequence[Resident], rids: Sequence[str], p: int,
    found: Found, ids: tuple[str, ...],
) -> DueVisit:
    r = files[p]
    due, earliest, latest, last, rule, change = found
    date_of = compiled.date_of
    due_d = date_of(due)
    return _new_due_visit(
        r.id,
        r.name,
        r.household,
        compiled.on,
        due_d,
        due_d if earliest == due else date_of(earliest),
        due_d if latest == due else date_of(latest),
        date_of(last) if last else None,
        rule,
        change,
        ids,
    )


def _group(idx: RecordIndex, rid: str, slots: Iterable[int]) -> list[int] | None:
    """[first day, last any mode, mode 0, mode 1, mode 2] (0: none) of a resident, or None."""
    last = idx.last.get(rid)
    if last is None:
        return None
    g = [idx.first.get(rid, last), last, 0, 0, 0]
    for s in slots:
        g[s] = idx.modes[s - 2].get(rid, 0)
    return g


# --------------------------------------------------------------------------- the sweep


def due_visits(
    residents: Iterable[Resident] | ResidentFiles | VisitRoster,
    records: Iterable[VisitRecord] | VisitLog | RosterLog,
    policy: VisitPolicy,
    *,
    on: date,
    major_changes: Mapping[str, date] | Iterable[MajorChange] | None = None,
    check: bool = False,
) -> Iterator[DueVisit]:
    """Every resident due for a visit on *on*, streamed in the order of *residents*.

    A resident is due on *on* when the earliest deadline set by the rules matching them on
    *on* (and by any unvisited major change) is on or before *on*; see the module notes.
    Records dated after *on* are ignored, so a sweep of a past day is reproducible.

    The sweep compiles the policy for the day once — steps as day numbers, and a
    :class:`~gridgov.CriteriaIndex` of the rules' criteria (cut-off birth dates, answers kept
    per age band, conditions and tags) — reads each resident's last visits from the index
    of a :class:`~gridgov.visits.VisitLog` (the fast road for daily sweeps: the log keeps
    them grouped; plain records are grouped for the sweep), passes over residents too
    young for any rule with a single date comparison, and decides most residents who are
    not due with one integer comparison, allocating nothing for them.  Each item agrees
    with :func:`next_due` for its resident.

    Args:
        residents: the personal files, streamed (or a :class:`~gridgov.ResidentFiles`).
        records: the visit records, read before the first item; or a
            :class:`~gridgov.visits.VisitLog`; or, with a roster, the roster joined with a
            log (:meth:`VisitRoster.join <gridgov.visits.VisitRoster.join>`), whose last
            visits are read by position (the fastest road; other files read its log).
        policy: the visit policy.
        on: the day of the sweep.
        major_changes: major changes, as :class:`~gridgov.visits.MajorChange` values or a
            mapping of resident id to day; they apply to residents under the policy on *on*.
        check: also check that every record names a resident of *residents* (a look-up per
            resident; the error is raised after the last item).

    Raises:
        InvalidValueError: for arguments of the wrong type (named); for a roster built with
            another policy, or joined with a log as another roster; for a record dated
            before its resident's file was opened — of every resident the sweep finds
            possibly due (a resident not due is skipped on one comparison, unchecked), or of
            every resident with ``check=True``.  (A :class:`~gridgov.visits.VisitLog` refuses
            two different records with one id when it is built; plain records are grouped as
            they are.)
        UnknownResidentError: with ``check=True``, for a record of an unknown resident.
            :func:`~gridgov.visits.check_records` checks everything up front.

    Example:
        >>> from datetime import date, datetime
        >>> from gridgov import CST
        >>> from gridgov.demo import sample_residents
        >>> from gridgov.visits import DEFAULT_POLICY, VisitRecord
        >>> seen = [VisitRecord(id=f"v{i}", resident=r.id, member="m-li",
        ...                     at=datetime(2026, 11, 20, 10, tzinfo=CST))
        ...         for i, r in enumerate(sample_residents())]
        >>> due = list(due_visits(sample_residents(), seen, DEFAULT_POLICY, on=date(2026, 11, 26)))
        >>> [(d.resident, d.due.isoformat(), d.days_overdue, d.missed) for d in due]
        [('r-lu', '2026-11-25', 1, True)]
        >>> due_visits(sample_residents(), [1], DEFAULT_POLICY, on=date(2026, 11, 26))
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'records' must hold VisitRecord values only (got 1).
    """
    return _due(residents, records, policy, on, major_changes, check, _due_visit)


def due_ids(
    residents: Iterable[Resident] | ResidentFiles | VisitRoster,
    records: Iterable[VisitRecord] | VisitLog | RosterLog,
    policy: VisitPolicy,
    *,
    on: date,
    major_changes: Mapping[str, date] | Iterable[MajorChange] | None = None,
    check: bool = False,
) -> Iterator[tuple[str, date]]:
    """:func:`due_visits` in compact form: for each resident due on *on*, the plain tuple
    ``(resident id, due date)`` — who, and by when — in the same order.

    The same sweep (one engine), without building a :class:`DueVisit` for each resident
    due; the arguments and errors are :func:`due_visits`'s.

    Example:
        >>> from datetime import date, datetime
        >>> from gridgov import CST
        >>> from gridgov.demo import sample_residents
        >>> from gridgov.visits import DEFAULT_POLICY, VisitLog, VisitRecord, VisitRoster
        >>> roster = VisitRoster(residents=sample_residents(), policy=DEFAULT_POLICY)
        >>> log = VisitLog(records=[VisitRecord(id=f"v{i}", resident=r.id, member="m-li",
        ...                                     at=datetime(2026, 11, 20, 10, tzinfo=CST))
        ...                         for i, r in enumerate(sample_residents())])
        >>> list(due_ids(roster, roster.join(log), DEFAULT_POLICY, on=date(2026, 11, 26)))
        [('r-lu', datetime.date(2026, 11, 25))]
    """
    return _due(residents, records, policy, on, major_changes, check, _due_id)


def _due_id(
    compiled: CompiledPolicy, files: Sequence[Resident], rids: Sequence[str], p: int,
    found: Found, ids: tuple[str, ...],
) -> tuple[str, date]:
    return (rids[p], compiled.date_of(found[0]))


def _due(
    residents: Iterable[Resident] | ResidentFiles | VisitRoster,
    records: Iterable[VisitRecord] | VisitLog | RosterLog,
    policy: VisitPolicy,
    on: date,
    major_changes: Mapping[str, date] | Iterable[MajorChange] | None,
    check: bool,
    make: Make[T],
) -> Iterator[T]:
    """The sweep behind :func:`due_visits` and :func:`due_ids`, each item made by *make*."""
    v.check_date("on", on)
    v.check_instance("policy", policy, VisitPolicy)
    v.check_bool("check", check)
    if isinstance(residents, VisitRoster):
        if residents.policy is not policy and residents.policy != policy:
            raise InvalidValueError(
                "'policy' must be the policy the VisitRoster was built with (got policy "
                f"{policy.name!r}, the roster's is {residents.policy.name!r})."
            )
        roster = residents
        files: Iterable[Resident] = residents.residents
    else:
        roster = None
        files = _args.stream(residents)
    joined = None
    if isinstance(records, RosterLog):
        if roster is not None:
            if records.roster is not roster and records.roster != roster:
                raise InvalidValueError(
                    "'records' must be a RosterLog of the roster swept (got one joined with "
                    "another roster)."
                )
            joined = records.visit_days
        records = records.log
    compiled = CompiledPolicy(policy, on)
    day = compiled.day
    if isinstance(records, VisitLog):
        items = records.records
        full: RecordIndex | None = records.index
        if joined is not None and records.index.latest > day:
            joined = None  # the arrays hold visits after the day: sweep the log as of it
        idx = records.as_of(on).index
    else:  # grouped here, for this sweep
        items = _args.items(records, VisitRecord, "records")
        idx = index(items, day=day)
        full = index(items) if check else None
    changes = group_changes(major_changes, day)
    if roster is not None and not check:
        return sweep_roster(
            compiled, roster.index, roster.residents, idx, items, changes, make, joined
        )
    return _sweep(compiled, files, idx, items, changes, full if check else None, make)


def _sweep(
    compiled: CompiledPolicy,
    residents: Iterable[Resident],
    idx: RecordIndex,
    records: tuple[VisitRecord, ...],
    changes: dict[str, list[tuple[int, MajorChange]]],
    full: RecordIndex | None,
    make: Make[T],
) -> Iterator[T]:
    seen: set[str] = set()
    if full is not None:
        residents = _checking(residents, full, records, seen)
    yield from _sweep_rules(compiled, residents, idx, records, changes, make)
    if full is not None:
        for rid in full.last:
            if rid not in seen:
                rec = next((x for x in records if x.resident == rid), None)
                name = f"VisitRecord {rec.id!r}" if rec is not None else "a VisitRecord"
                raise UnknownResidentError(
                    f"'resident' of {name} must name a resident with a file (got {rid!r})."
                )


def _checking(
    residents: Iterable[Resident],
    full: RecordIndex,
    records: tuple[VisitRecord, ...],
    seen: set[str],
) -> Iterator[Resident]:
    for r in residents:
        if not isinstance(r, Resident):
            raise _args.not_a_resident(r)
        seen.add(r.id)
        f = full.earliest(r.id)
        if f is not None and r.file_opened is not None and f < r.file_opened.toordinal():
            raise _args.before_file(r, f, records)
        yield r


def _sweep_rules(
    compiled: CompiledPolicy,
    residents: Iterable[Resident],
    idx: RecordIndex,
    kept: tuple[VisitRecord, ...],
    changes: dict[str, list[tuple[int, MajorChange]]],
    make: Make[T],
) -> Iterator[T]:
    # The hot loop: nothing allocated for a resident who is not due.
    cut_off = compiled.criteria.cut_off
    latest_birth = compiled.on if cut_off is None else cut_off
    one, _ = file_sweep(compiled, idx, kept, changes)
    for r in residents:
        try:
            if r.birth_date > latest_birth:  # too young for every rule: one comparison
                continue
        except AttributeError:
            raise _args.not_a_resident(r) from None
        got = one(r, None)
        if got is not None:
            yield make(compiled, (r,), (r.id,), 0, got[0], got[1][1])


def next_due(
    resident: Resident,
    records: Iterable[VisitRecord] | VisitLog,
    policy: VisitPolicy,
    *,
    on: date,
    major_changes: Mapping[str, date] | Iterable[MajorChange] | None = None,
) -> DueVisit | None:
    """The next visit *resident* needs as seen on *on* — due already (``due <= on``) or
    later if nothing changes — or ``None`` when no rule matches on *on*.

    Only the records of *resident* among *records* are read; records after *on* are ignored.

    Raises:
        InvalidValueError: for arguments of the wrong type (named), or a record of the
            resident dated before the file was opened.

    Example:
        >>> from datetime import date, datetime
        >>> from gridgov import CST
        >>> from gridgov.demo import sample_residents
        >>> from gridgov.visits import DEFAULT_POLICY, VisitRecord
        >>> lu = next(r for r in sample_residents() if r.id == "r-lu")
        >>> v = VisitRecord(id="v1", resident="r-lu", member="m-li",
        ...                 at=datetime(2026, 11, 25, 9, tzinfo=CST))
        >>> item = next_due(lu, [v], DEFAULT_POLICY, on=date(2026, 11, 25))
        >>> item.due, item.rule.id, item.is_due
        (datetime.date(2026, 11, 26), 'discharged_alone', False)
        >>> next_due(lu, [], None, on=date(2026, 11, 25))
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'policy' must be a VisitPolicy (got None).
    """
    v.check_instance("resident", resident, Resident)
    v.check_date("on", on)
    v.check_instance("policy", policy, VisitPolicy)
    day = on.toordinal()
    items: Any = records.records if isinstance(records, VisitLog) else _args.items(
        records, VisitRecord, "records"
    )
    mine = [rec for rec in items if rec.resident == resident.id and rec.day_number <= day]
    idx = index(mine)
    compiled = CompiledPolicy(policy, on)
    changes = group_changes(major_changes, day)
    matched = compiled.criteria.matching(resident)
    if not matched:
        return None
    hit = compiled.hit(matched)
    found = compiled.evaluate(
        resident,
        _group(idx, resident.id, compiled.slots),
        changes.get(resident.id),
        hit,
        False,
        lambda: mine,
    )
    if found is None:
        return None
    return _due_visit(compiled, (resident,), (resident.id,), 0, found, hit[1])
