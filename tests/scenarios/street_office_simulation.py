"""The street office scenario's simulation (not a test module): two weeks of hotline work on
the configuration of ``street_office_config.py``, each ticket's case given a life and the
escalation sweep run every hour, every decision checked against the test's own reading as it
is made.  :class:`Run` holds what it saw, for ``test_street_office.py`` to check.
"""

from __future__ import annotations

import heapq
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import attrs
from street_office_config import (
    BODY,
    CAL,
    DUPLICATE_WINDOW,
    END,
    GRID,
    HOTLINE,
    HOURS,
    POLICY,
    ROUTER,
    RULE_BY_ID,
    SEED,
    START,
    STREET,
    TOP,
    ZH,
    Ticket,
    budget,
    effective,
    make_tickets,
    measure,
    my_limit,
    my_partners,
    my_rule,
    my_sla,
    related,
    used,
)

from gridgov import (
    FOUR_TIER,
    Accepted,
    Assignment,
    Case,
    CaseStatus,
    Closed,
    CoHandlerCompleted,
    Deadline,
    DeadlinePlanner,
    Dispatched,
    Escalated,
    Escalation,
    Evaluated,
    ExtensionGranted,
    ExtensionRequested,
    HandlingStarted,
    Issue,
    Reason,
    Rejected,
    ResidentDissatisfied,
    ResidentFiles,
    ResidentSatisfied,
    Resolved,
    Resumed,
    Satisfaction,
    SeverityRaised,
    Suspended,
    Trigger,
    VerificationFailed,
    Verified,
    apply_event,
    candidate_duplicates,
    due_escalations,
    escalate,
    merge_duplicate,
    open_case,
    reroute,
)

# --------------------------------------------------------------------------- the life


@dataclass
class Life:
    """One ticket's case and what the simulation knows of it (its shadow)."""

    n: int
    ticket: Ticket
    rng: random.Random
    case: Case
    assignment: Assignment
    version: int = 0
    severity: int = 0  # the severity now, and when the owner took the case
    owner_severity: int = 0
    owner_dissatisfied: int = 0  # verdicts since the owner took it
    raised: bool = False
    suspended: bool = False
    rerouted: bool = False


@dataclass
class Run:
    """Everything the simulation saw, for the tests to check."""

    tickets: list[Ticket]
    lives: list[Life]
    escalations: list[tuple[Escalation, Case, Case]] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    counts: Counter[str] = field(default_factory=Counter)
    refunded: timedelta = timedelta(0)
    seconds: float = 0.0
    sweep_seconds: float = 0.0
    duplicate_checks: int = 0
    unlocated_groups: int = 0

    def problem(self, what: str, text: str) -> None:
        self.problems[what].append(text)


def hours(x: float) -> timedelta:
    return timedelta(hours=x)


class Simulation:
    def __init__(self) -> None:
        self.tickets = make_tickets()
        self.files = ResidentFiles(STREET.residents)
        self.file_dict = {r.id: r for r in STREET.residents}
        self.planner = DeadlinePlanner(CAL)
        self.run = Run(tickets=self.tickets, lives=[])
        self.queue: list[tuple[datetime, int, int, int, str]] = []
        self.seq = 0
        # The test's own index of reports for "the same matter at the same place".
        self.reports: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
        self.unlocated_reports: list[tuple[datetime, str]] = []
        self.by_id: dict[str, Life] = {}

    # ---------------------------------------------------------------- scheduling

    def at(self, life: Life, when: datetime, action: str) -> None:
        self.seq += 1
        heapq.heappush(self.queue, (when, self.seq, life.n, life.version, action))

    def apply(self, life: Life, *events: object) -> None:
        case = life.case
        for e in events:
            case = apply_event(case, e)  # type: ignore[arg-type]
        life.case = case

    def actor(self, life: Life) -> str:
        case = life.case
        return "qu-staff" if case.beyond else STREET.leader[case.owner]

    # ---------------------------------------------------------------- the loop

    def simulate(self) -> Run:
        started = time.perf_counter()
        for n, ticket in enumerate(self.tickets):
            self.seq += 1
            heapq.heappush(self.queue, (ticket.opened_at, self.seq, n, -1, "open"))
        self.lives: dict[int, Life] = {}
        for h in range(1, HOURS + 1):
            now = START + hours(h)
            while self.queue and self.queue[0][0] <= now:
                when, _, n, version, action = heapq.heappop(self.queue)
                if action == "open":
                    self.open(n, when)
                    continue
                life = self.lives[n]
                if version != life.version:
                    continue  # planned before an escalation: the new owner has its own plan
                getattr(self, f"do_{action}")(life, when)
            self.sweep(now)
        self.run.lives = [self.lives[n] for n in sorted(self.lives)]
        self.run.seconds = time.perf_counter() - started
        return self.run

    # ---------------------------------------------------------------- opening

    def open(self, n: int, when: datetime) -> None:
        ticket = self.tickets[n]
        issue = ticket.issue
        run = self.run
        a = ROUTER.route(issue, residents=self.files, planner=self.planner)
        self.check_assignment(ticket, a)
        case = open_case(issue, a, router=ROUTER, actor="hotline", at=when, policy=POLICY)
        self.check_opened(ticket, a, case, when)
        life = Life(n=n, ticket=ticket, rng=random.Random(SEED * 10_000 + n), case=case,
                    assignment=a, severity=issue.severity, owner_severity=issue.severity)
        self.lives[n] = life
        self.by_id[case.id] = life
        run.counts[f"tickets:{ticket.kind}"] += 1
        # Duplicates (并单): the open cases of the last two days are the candidates.
        recent = [
            other.case for other in self.lives.values()
            if other is not life and when - other.ticket.issue.reported_at <= DUPLICATE_WINDOW
        ]
        found = candidate_duplicates(issue, recent, grid=GRID, catalogue=HOTLINE,
                                     window=DUPLICATE_WINDOW)
        self.check_duplicates(issue, recent, found)
        if issue.located:
            where = f"place:{issue.place}" if issue.place else f"unit:{issue.unit}"
            self.reports[where].append((issue.reported_at, issue.category))
        else:
            self.unlocated_reports.append((issue.reported_at, issue.category))
        if found and life.rng.random() < 0.3:
            into = self.by_id[found[0].id]
            gone, kept = merge_duplicate(case, into.case, at=when, actor="hotline",
                                         reason="同一地点同一事项，并单")
            life.case, into.case = gone, kept
            run.counts["merged"] += 1
            return
        if len(found) >= 2 and life.rng.random() < 0.3:
            # The new call shows that two open cases are one matter: one is merged into the
            # other (并案) — the one holding duplicates already, if any, with them.
            first = next((c for c in found if c.duplicates), found[-1])
            other = found[0] if first is not found[0] else found[-1]
            later, into = self.by_id[first.id], self.by_id[other.id]
            if later.case.status.is_active or later.case.status is CaseStatus.SUSPENDED:
                if later.case.duplicates:
                    run.counts["merged holding duplicates"] += 1
                gone, kept = merge_duplicate(later.case, into.case, at=when, actor="hotline",
                                             reason="两件同一事项，并案")
                later.case, into.case = gone, kept
                later.version += 1  # its life ends here
                run.counts["merged"] += 1
        self.reported(life, when, first=True)

    def check_assignment(self, ticket: Ticket, a: Assignment) -> None:
        issue, run = ticket.issue, self.run
        rule = my_rule(issue, self.file_dict)
        if issue.place is not None:
            chain = STREET.chain(STREET.place_unit[issue.place])
        elif issue.unit is not None:
            chain = STREET.chain(issue.unit)
        else:
            chain = [TOP]
        start = 0 if rule.start_tier is None else max(
            0, len(chain) - 1 - FOUR_TIER.level(rule.start_tier))
        position = start
        while my_limit(chain[position], issue.category) < issue.severity:
            position += 1
        partners = my_partners(rule.link, chain[0], issue.category)
        got = (a.rule, [u.id for u in a.chain], a.start, a.position, a.located, a.partners)
        want = (rule.id, chain, start, position, issue.located, partners)
        if got != want:
            run.problem("routing", f"{issue.id}: got {got}, want {want}")
        if a.leader != STREET.leader[a.unit]:
            run.problem("routing", f"{issue.id}: leader {a.leader} for {a.unit}")
        # Partners serving a parent category are linked for its refinements.
        for pid in partners:
            p = next(p for p in STREET.partners if p.id == pid)
            if issue.category not in p.categories:
                run.counts[f"linked for a refinement:{p.kind.value}"] += 1
        run.counts["linked partners"] += len(partners)
        self.check_reason(run, "routing reason", issue.id, a.reason,
                          {u.id for u in a.chain}, partners)
        if a.located != issue.located or ("待定位" in a.reason.zh) == issue.located:
            run.problem("unlocated", f"{issue.id}: located {a.located}, reason {a.reason.zh}")

    def check_reason(self, run: Run, what: str, about: str, reason: Reason,
                     units: set[str], partners: tuple[str, ...] = ()) -> None:
        if not isinstance(reason, Reason) or not reason.zh or not reason.en:
            run.problem(what, f"{about}: not a Reason in two languages: {reason!r}")
            return
        names = {p.id: p.name for p in STREET.partners}
        for ref in reason.refs:
            if ref.kind == "unit":
                want = STREET.name.get(ref.id)
            elif ref.kind == "partner":
                want = names.get(ref.id)
            elif ref.kind == "body":
                want = BODY.name if ref.id == BODY.id else None
            elif ref.kind == "category":
                want = ZH.get(ref.id)
                if ref.name != want:
                    run.problem(what, f"{about}: category ref {ref}")
                continue
            else:
                continue
            if ref.name != want or want not in reason.zh or want not in reason.en:
                run.problem(what, f"{about}: {ref} not named by name in {reason.zh!r}")
            if ref.id in reason.zh or ref.id in reason.en:
                run.problem(what, f"{about}: id {ref.id!r} shown in {reason!s}")
        for uid in units & set(reason.ids("unit")):
            if STREET.name[uid] not in reason.zh:
                run.problem(what, f"{about}: unit {uid} not named")
        if set(partners) != set(reason.ids("partner")):
            run.problem(what, f"{about}: partners {partners} vs refs {reason.ids('partner')}")

    def check_opened(self, ticket: Ticket, a: Assignment, case: Case, when: datetime) -> None:
        issue, run = ticket.issue, self.run
        owner_tier = STREET.tier[a.unit]
        sla = my_sla(owner_tier, issue.category, issue.severity)
        rule = RULE_BY_ID[a.rule]
        for which, rule_limit in (("accept", rule.accept_within), ("resolve", rule.resolve_within)):
            sla_limit = None if sla is None else getattr(sla, f"{which}_within")
            if sla_limit is not None:
                limit, start, source = sla_limit, when, f"sla:{sla.name}"  # type: ignore[union-attr]
            else:
                limit, start, source = rule_limit, issue.reported_at, f"rule:{rule.id}"
            got = getattr(case, f"{which}_by")
            if limit is None:
                if got is not None:
                    run.problem("deadlines", f"{issue.id}: {which} {got} without a limit")
                continue
            want = (start, limit.deadline(start, CAL), limit.basis, limit, source)
            have = None if got is None else (got.start, got.due, got.basis, got.limit, got.source)
            if have != want:
                run.problem("deadlines", f"{issue.id} {which}: got {have}, want {want}")
            run.counts[f"deadline source:{source.split(':')[0]}"] += 1
        linked = tuple(h.id for h in case.co_handlers)
        if linked != a.partners:
            run.problem("linkage", f"{issue.id}: co-handlers {linked} vs {a.partners}")
        if case.owner != a.unit or case.located != issue.located:
            run.problem("routing", f"{issue.id}: case at {case.owner}, assignment {a.unit}")
        if my_limit(a.unit, issue.category) < issue.severity:
            run.problem("incapable", f"{issue.id}: routed to {a.unit}, which may not handle it")

    def check_duplicates(self, issue: Issue, recent: list[Case], found: tuple[Case, ...]) -> None:
        run = self.run
        run.duplicate_checks += 1
        if not issue.located:
            if found:
                run.problem("unlocated", f"{issue.id}: unlocated, grouped with {found}")
            return
        want = sorted(
            (c for c in recent
             if c.is_open and c.issue.located
             and (c.issue.place, c.issue.unit) == (issue.place, issue.unit)
             and related(c.issue.category, issue.category)
             and abs(c.issue.reported_at - issue.reported_at) <= DUPLICATE_WINDOW),
            key=lambda c: (c.issue.reported_at, c.id),
        )
        if [c.id for c in found] != [c.id for c in want]:
            run.problem("duplicates", f"{issue.id}: got {[c.id for c in found]}, "
                                      f"want {[c.id for c in want]}")
        run.counts["duplicate candidates"] += len(found)

    # ---------------------------------------------------------------- the life

    def reported(self, life: Life, t0: datetime, *, first: bool) -> None:
        """The owner must accept (立案): in time, late, never, or — first time — not at all."""
        r, case = life.rng, life.case
        if first and r.random() < 0.02:
            self.at(life, t0 + timedelta(minutes=r.randint(10, 90)), "reject")
            return
        if first and not case.located and r.random() < 0.4:
            self.at(life, t0 + hours(r.uniform(0.5, 3)), "reroute")
            return
        if not life.suspended and r.random() < 0.03:  # waiting for the caller's papers
            self.at(life, t0 + hours(r.uniform(0.1, 1)), "suspend")
            return
        due = effective(case.accept_by)
        x = r.random()
        if x < 0.03:
            return  # nobody picks it up: it climbs until it is beyond the grid
        if due is None:
            self.at(life, t0 + hours(r.uniform(0.2, 6)), "accept")
        elif x < 0.03 + (0.18 if first else 0.08):
            self.at(life, due + hours(r.uniform(0.5, 30)), "accept")
        else:
            self.at(life, t0 + (due - t0) * r.uniform(0.05, 0.9), "accept")

    def work(self, life: Life, t: datetime) -> None:
        """What happens once accepted (or reopened): resolved in time or late, never, after a
        suspension, or after the severity is raised."""
        r = life.rng
        due = effective(life.case.resolve_by)
        room = hours(48) if due is None or due <= t else due - t
        x = r.random()
        if x < 0.05 and not life.raised:
            self.at(life, t + room * r.uniform(0.05, 0.5), "raise")
        elif x < 0.16 and not life.suspended:
            self.at(life, t + room * r.uniform(0.05, 0.6), "suspend")
        elif x < 0.19 and due is not None and due > t:
            self.at(life, t + room * r.uniform(0.1, 0.8), "extend")
        elif x < 0.22:
            return  # still being handled when the two weeks end (or escalated before)
        elif x < 0.36:
            self.at(life, t + room + hours(r.uniform(1, 48)), "resolve")
        else:
            self.at(life, t + room * r.uniform(0.1, 0.95), "resolve")

    def do_reject(self, life: Life, t: datetime) -> None:
        self.apply(life, Rejected(at=t, actor=self.actor(life), reason="非本辖区事项，已告知来电人"))

    def do_reroute(self, life: Life, t: datetime) -> None:
        issue = life.ticket.issue
        home = life.rng.choice(STREET.households)  # the address, once called back
        unit = ROUTER.route(attrs.evolve(issue, place=home), residents=self.files).unit
        before = life.case
        if unit == before.owner:  # the located ticket goes where it already is
            self.reported(life, t, first=False)
            return
        life.case = reroute(before, unit, router=ROUTER, at=t, actor="hotline",
                            reason="回访核实地址，改派属地", policy=POLICY)
        life.rerouted = True
        life.owner_dissatisfied = 0
        life.owner_severity = life.severity
        self.run.counts["rerouted"] += 1
        if [u.id for u in life.case.chain] != STREET.chain(unit) or life.case.located:
            self.run.problem("unlocated", f"{issue.id}: rerouted to {life.case.chain}")
        # The new unit gets its tier's SLA from now, where one applies; else the case keeps
        # its deadlines.
        sla = my_sla(STREET.tier[unit], issue.category, life.severity)
        for which in ("accept", "resolve"):
            limit = None if sla is None else getattr(sla, f"{which}_within")
            old, new = getattr(before, f"{which}_by"), getattr(life.case, f"{which}_by")
            if limit is None:
                ok = new == old
            else:
                ok = new == Deadline.of(limit, start=t, calendar=CAL, source=f"sla:{sla.name}")  # type: ignore[union-attr]
            if not ok:
                self.run.problem("deadlines", f"{issue.id}: rerouted {which} {old} → {new}")
        self.reported(life, t, first=False)

    def do_accept(self, life: Life, t: datetime) -> None:
        actor = self.actor(life)
        events: list[object] = [Accepted(at=t, actor=actor)]
        if life.rng.random() < 0.5:
            events.append(Dispatched(at=t, actor=actor, handler=f"{actor}-w1"))
        events.append(HandlingStarted(at=t, actor=actor))
        self.apply(life, *events)
        self.work(life, t)

    def do_raise(self, life: Life, t: datetime) -> None:
        life.raised = True
        severity = min(4, int(life.case.severity) + life.rng.choice([1, 1, 2]))
        if severity > life.case.severity:
            self.apply(life, SeverityRaised(at=t, actor=self.actor(life), severity=severity,
                                            reason="现场情况恶化"))
            life.severity = severity
            self.run.counts["severity raised"] += 1
        self.work(life, t)

    def do_suspend(self, life: Life, t: datetime) -> None:
        life.suspended = True
        self.apply(life, Suspended(at=t, actor=self.actor(life), reason="等待第三方检测结果"))
        self.run.counts["suspended"] += 1
        self.at(life, t + hours(life.rng.uniform(2, 80)), "resume")

    def do_resume(self, life: Life, t: datetime) -> None:
        before = life.case
        self.apply(life, Resumed(at=t, actor=self.actor(life)))
        since = before.paused_since
        assert since is not None
        for which in ("accept", "resolve"):
            old, new = getattr(before, f"{which}_by"), getattr(life.case, f"{which}_by")
            if old is None or (which == "accept" and before.suspended_from is not CaseStatus.REPORTED):
                continue
            eff_old, eff_new = old.effective(CAL), new.effective(CAL)
            # The suspension is recorded on the clock, and the time in it — working time on
            # a working-time deadline — is given back: exactly the clock's own budget is used
            # by the new effective moment.
            if since < eff_old:
                if new.pauses[-1] != (max(since, old.start), t) or new.basis != old.basis:
                    self.run.problem("suspension", f"{life.case.id}: pauses {new.pauses}")
                if used(new, eff_new) != budget(new) or eff_new < eff_old:
                    self.run.problem("suspension", f"{life.case.id} {which}: {eff_old} → "
                                                   f"{eff_new}, used {used(new, eff_new)}")
                if which == "resolve" and new.basis == "working":
                    self.run.refunded += measure("working", since, min(t, END))
                    self.run.counts["working-time refunds"] += 1
        if life.case.status is CaseStatus.REPORTED:
            self.reported(life, t, first=False)
        else:
            self.work(life, t)

    def do_extend(self, life: Life, t: datetime) -> None:
        """申请延期, granted at once by the street: a new due moment three days on."""
        due = effective(life.case.resolve_by)
        assert due is not None
        actor = self.actor(life)
        self.apply(
            life,
            ExtensionRequested(at=t, actor=actor, until=due + timedelta(days=3),
                               reason="需协调产权单位"),
            ExtensionGranted(at=t, actor=STREET.leader[TOP]),
        )
        d = life.case.resolve_by
        if d is None or (d.start, d.due, d.source) != (t, due + timedelta(days=3), "extension"):
            self.run.problem("deadlines", f"{life.case.id}: extended to {d}")
        self.run.counts["extended"] += 1
        self.work(life, t)

    def do_resolve(self, life: Life, t: datetime) -> None:
        actor = self.actor(life)
        events: list[object] = [
            CoHandlerCompleted(at=t, actor=h.id, handler=h.id)
            for h in life.case.co_handlers if h.is_open
        ]
        events.append(Resolved(at=t, actor=actor, summary="已处置"))
        self.apply(life, *events)
        self.at(life, t + hours(life.rng.uniform(1, 30)), "verify")

    def do_verify(self, life: Life, t: datetime) -> None:
        if life.rng.random() < 0.05:  # 核查不通过: rework (返工)
            self.apply(life, VerificationFailed(at=t, actor=STREET.leader[TOP],
                                                reason="现场复核未整改到位"))
            self.run.counts["verification failed"] += 1
            self.work(life, t)
            return
        self.apply(life, Verified(at=t, actor=STREET.leader[TOP]))
        self.at(life, t + hours(life.rng.uniform(0.5, 24)), "verdict")

    def do_verdict(self, life: Life, t: datetime) -> None:
        caller = "resident"
        if life.rng.random() < 0.22:
            self.apply(life, ResidentDissatisfied(at=t, actor=caller, note="问题没有解决"))
            life.owner_dissatisfied += 1
            self.work(life, t)
            return
        view = life.rng.choice([Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED])
        self.apply(
            life,
            ResidentSatisfied(at=t, actor=caller, satisfaction=view),
            Closed(at=t, actor=STREET.leader[TOP]),
            Evaluated(at=t, actor=caller, satisfaction=view),
        )

    # ---------------------------------------------------------------- the sweep

    def expected(self, case: Case, life: Life, now: datetime) -> tuple[Trigger | None, str]:
        """The trigger that really holds for *case* at *now* — the first in the sweep's order
        — read off the case's state and the test's own tables."""
        state = case.state
        if not state.status.is_active or state.beyond:
            return None, ""
        owner = state.owner
        code = state.issue.category
        limit = my_limit(owner, code)
        if (state.severity, state.owner_severity) != (life.severity, life.owner_severity):
            self.run.problem("severity", f"{case.id}: {state.severity}/{state.owner_severity}, "
                                         f"raised to {life.severity}/{life.owner_severity}")
        if limit < life.severity:
            if life.severity > life.owner_severity:
                return Trigger.SEVERITY_RAISED, f"{owner} may handle {code} up to {limit}"
            return Trigger.INCAPABLE, f"{owner} may handle {code} up to {limit}"
        if state.status is CaseStatus.REPORTED and state.accept_by is not None:
            due = state.accept_by.effective(CAL)
            if due < now:
                return Trigger.ACCEPT_OVERDUE, due.isoformat()
        if state.resolve_by is not None:
            due = state.resolve_by.effective(CAL)
            if due < now:
                return Trigger.RESOLVE_OVERDUE, due.isoformat()
        if life.owner_dissatisfied >= POLICY.dissatisfied_count:
            return Trigger.DISSATISFIED, str(life.owner_dissatisfied)
        issue = state.issue
        if issue.located and Trigger.REPEATED not in state.escalation_triggers:
            where = f"place:{issue.place}" if issue.place else f"unit:{issue.unit}"
            since = now - POLICY.repeat_window
            n = sum(1 for at, c in self.reports[where] if since < at <= now and related(c, code))
            if n >= POLICY.repeat_count:
                return Trigger.REPEATED, str(n)
        return None, ""

    def sweep(self, now: datetime) -> None:
        run = self.run
        cases = [life.case for life in self.lives.values()]
        started = time.perf_counter()
        proposals = list(due_escalations(cases, POLICY, at=now, router=ROUTER))
        run.sweep_seconds += time.perf_counter() - started
        proposed = {e.case for e in proposals}
        if len(proposed) != len(proposals):
            run.problem("sweep", f"{now}: a case proposed twice")
        for life in self.lives.values():
            case = life.case
            if case.id in proposed:
                continue
            trigger, why = self.expected(case, life, now)
            if trigger is not None:
                run.problem("missed", f"{now} {case.id}: {trigger.value} holds ({why})")
        # Would unlocated tickets have been "repeated" if they were one place?
        since = now - POLICY.repeat_window
        window = Counter(c for at, c in self.unlocated_reports if since < at <= now)
        if any(n >= POLICY.repeat_count for n in window.values()):
            run.unlocated_groups += 1
        for e in proposals:
            life = self.by_id[e.case]
            before = life.case
            self.check_escalation(e, before, life, now)
            after = escalate(before, e, POLICY, actor="system")
            run.escalations.append((e, before, after))
            life.case = after
            life.version += 1
            life.owner_dissatisfied = 0
            life.owner_severity = life.severity
            self.check_applied(e, after, now)
            self.reported(life, now, first=False)

    def check_escalation(self, e: Escalation, before: Case, life: Life, now: datetime) -> None:
        run, cid = self.run, before.id
        trigger, why = self.expected(before, life, now)
        if e.trigger is not trigger:
            run.problem("unexplained", f"{now} {cid}: proposed {e.trigger.value}, "
                                       f"holds {trigger and trigger.value} ({why})")
        elif e.trigger.counts and str(e.times) != why:  # as many reports or verdicts
            run.problem("counted", f"{now} {cid}: {e.trigger.value} {e.times} times, "
                                   f"counted {why}")
        state = before.state
        # One tier up, or beyond from the top.
        frm = state.owner
        up = STREET.parent[frm]
        if e.from_unit != frm or e.from_name != STREET.name[frm] or e.at != now:
            run.problem("one up", f"{cid}: from {e.from_unit} {e.from_name} at {e.at}")
        if up is None:
            if not e.beyond or e.to != BODY.id or e.to_name != BODY.name:
                run.problem("one up", f"{cid}: from the top {frm} to {e.to}")
        elif e.beyond or e.to != up or e.to_name != STREET.name[up]:
            run.problem("one up", f"{cid}: from {frm} to {e.to}, parent {up}")
        elif FOUR_TIER.above(STREET.tier[frm]).name != STREET.tier[up]:  # type: ignore[union-attr]
            run.problem("one up", f"{cid}: {STREET.tier[frm]} → {STREET.tier[up]}")
        if e.category.code != state.issue.category or e.severity != state.severity:
            run.problem("unexplained", f"{cid}: category {e.category.code}, severity {e.severity}")
        # The missed deadline is the running one with suspended time given back, and by it
        # exactly the clock's own time had been used.
        if e.trigger.is_overdue:
            d = state.accept_by if e.trigger is Trigger.ACCEPT_OVERDUE else state.resolve_by
            if d is None or e.due != d.effective(CAL) or not e.due < now:
                run.problem("unexplained", f"{cid}: due {e.due} for {d}")
            elif used(d, e.due) != budget(d) or e.due < d.due:
                run.problem("unexplained", f"{cid}: by {e.due} used {used(d, e.due)} of "
                                           f"{budget(d)}")
            elif d.pauses:
                run.counts["overdue after a pause"] += 1
        elif e.due is not None:
            run.problem("unexplained", f"{cid}: {e.trigger.value} with a due {e.due}")
        if e.trigger is Trigger.INCAPABLE and my_limit(frm, state.issue.category) >= state.severity:
            run.problem("incapable", f"{cid}: {frm} may handle it")
        if e.trigger is Trigger.REPEATED and not state.issue.located:
            run.problem("unlocated", f"{cid}: an unlocated ticket called repeated")
        units = {frm} if up is None else {frm, up}
        self.check_reason(run, "escalation reason", cid, e.reason, units)
        refs = [(r.kind, r.id, r.name) for r in e.reason.refs]
        to_kind = "body" if e.beyond else "unit"
        if refs[:2] != [("unit", frm, STREET.name[frm]), (to_kind, e.to, e.to_name)]:
            run.problem("escalation reason", f"{cid}: refs {refs}")

    def check_applied(self, e: Escalation, after: Case, now: datetime) -> None:
        run, cid = self.run, after.id
        last = after.events[-1]
        if not isinstance(last, Escalated) or (
            last.trigger, last.from_unit, last.to, last.beyond, last.due, last.times, last.reason
        ) != (e.trigger, e.from_unit, e.to, e.beyond, e.due, e.times, e.reason):
            run.problem("applied", f"{cid}: {last!r} for {e!r}")
        if after.owner != e.to or after.status is not CaseStatus.REPORTED:
            run.problem("applied", f"{cid}: owner {after.owner}, status {after.status}")
        tier = None if e.beyond else STREET.tier[e.to]
        sla = BODY.sla if tier is None else my_sla(tier, after.issue.category, after.severity)
        assert sla is not None  # every tier above the micro-grid has an SLA
        d = after.accept_by
        if d is None or d.start != now or d.limit != sla.accept_within or (
            d.source != (f"body:{BODY.id}" if e.beyond else f"sla:{sla.name}")
        ):
            run.problem("applied", f"{cid}: new accept deadline {d}")
