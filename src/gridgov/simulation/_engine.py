"""The day-by-day engine behind :func:`gridgov.simulation.simulate` (private).

Each day: the load stream draws the day's issues, the router routes them and cases are
opened; each unit's staff spend the day's capacity — due visits first, then their cases in
deadline order (FIFO on a tie): accept, handle (hours carried over days), resolve, verify,
the resident's verdict, close; at the end of a working day the escalation sweep runs and each
proposal is applied, moving the case to the queue of its new owner.  Every case draws its
handling times and its verdicts from its own ``random.Random``, seeded from the handling
stream when it is opened, so two policies run on one seed see the same issues and the same
case-by-case draws as far as their paths agree.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from gridgov.calendar import DeadlinePlanner, WorkCalendar
from gridgov.cases import (
    Accepted,
    Case,
    CaseStatus,
    Closed,
    CoHandlerCompleted,
    Evaluated,
    HandlingStarted,
    ResidentDissatisfied,
    ResidentSatisfied,
    Resolved,
    Satisfaction,
    Verified,
)
from gridgov.errors import InvalidValueError
from gridgov.escalation import due_escalations, escalate
from gridgov.issues import Issue, Reporter
from gridgov.metrics import Attribution, Period, Periods, evaluate, tally_cases
from gridgov.people import ResidentFiles
from gridgov.simulation.models import LoadLine, Setup
from gridgov.simulation.results import BEYOND, DayFigures, SimulationResult
from gridgov.visits import DueVisit, VisitLog, VisitRecord, due_visits
from gridgov.workflow import open_case

MAX_DAYS = 366
MAX_DAILY_ISSUES = 100_000
_FAR = datetime.max.replace(tzinfo=UTC)  # a case without a running clock waits behind all
_OPEN_AT = time(8, 0)
_REPORT_SPAN = 12 * 3600  # issues are reported from 08:00 to 20:00
_SWEEP_AT = time(23, 59)
_EPS = 1e-9
_TAKE_UP = timedelta(minutes=15)  # a case reported during the day is signed for this soon


class _Work:
    """A case in a queue: the case, its order of arrival, the hours of work left on it (or
    ``None`` before its owner takes it), and its own random stream."""

    __slots__ = ("case", "left", "rng", "seq", "unit")

    def __init__(self, case: Case, seq: int, rng: random.Random) -> None:
        self.case = case
        self.unit = case.owner
        self.seq = seq
        self.left: float | None = None
        self.rng = rng


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean < 30:
        limit, k, p = math.exp(-mean), 0, rng.random()
        while p > limit:
            k += 1
            p *= rng.random()
        return k
    return max(0, round(rng.gauss(mean, math.sqrt(mean))))


class Engine:
    """One run: the state carried from day to day."""

    def __init__(self, setup: Setup, *, start: date, days: int, rng: random.Random) -> None:
        if not isinstance(rng, random.Random):
            raise InvalidValueError(f"'rng' must be a random.Random (got {type(rng).__name__}).")
        self.setup = setup
        self.start = start
        self.days = days
        # Two streams: the load (the same issues under any policy) and the handling.
        self.load_rng = random.Random(rng.getrandbits(64))
        self.work_rng = random.Random(rng.getrandbits(64))
        router = setup.router
        self.grid = router.grid
        self.cal = router.calendar
        self.tz = self.cal.tz
        self.planner = DeadlinePlanner(self.cal)
        self.files = ResidentFiles(setup.residents)
        self.households = setup.households or tuple(self.grid.places.keys())
        self.tiers = tuple(self.grid.scheme.names)
        self.tier_of = {u.id: u.tier for u in self.grid.units}
        self.leader = {uid: self._actor(uid) for uid in self.tier_of}
        self.order = (*sorted(self.tier_of), BEYOND)
        at_home = tuple(r for r in setup.residents if self.grid.has_place(r.household))
        self.reporters = at_home  # residents who may call about their household
        self.visit_unit = {r.household: self.grid.place_unit(r.household).id for r in at_home}
        lines = setup.load.lines
        self.lines: tuple[LoadLine, ...] = lines
        self.cum = tuple(_cumulative([x.rate for x in lines]))
        self.queues: dict[str, list[_Work]] = {}
        self.works: list[_Work] = []
        self.log = VisitLog()
        self.used: dict[str, float] = dict.fromkeys(self.tiers, 0.0)
        self.available: dict[str, float] = dict.fromkeys(self.tiers, 0.0)
        self.by_tier: Counter[str] = Counter()
        self.by_trigger: Counter[str] = Counter()
        self.issued = 0
        self._check_load()

    def _actor(self, unit: str) -> str:
        member = self.grid.leader(unit)
        return unit if member is None else member.id

    def _check_load(self) -> None:
        load = self.setup.load
        peak = max(load.weekdays) * max(1.0, load.holiday)
        if len(self.households) * load.rate * peak > MAX_DAILY_ISSUES:
            raise InvalidValueError(
                f"the load model gives up to {len(self.households) * load.rate * peak:,.0f} "
                f"issues a day on {len(self.households):,} households; a simulation takes "
                f"at most {MAX_DAILY_ISSUES:,} a day."
            )

    # ------------------------------------------------------------------ the run

    def run(self) -> SimulationResult:
        daily = [self.day(date.fromordinal(self.start.toordinal() + i)) for i in range(self.days)]
        return self.result(daily)

    def day(self, day: date) -> DayFigures:
        working = self.cal.is_working_day(day)
        new = self.arrive(day)
        used0, avail0 = sum(self.used.values()), sum(self.available.values())
        due_n, made, missed, closed = self.work(day, working)
        escalations: Counter[str] = Counter()
        if working:
            escalations = self.sweep(day)
        backlog = dict.fromkeys((*self.tiers, BEYOND), 0)
        for unit, queue in self.queues.items():
            if queue:
                backlog[BEYOND if unit == BEYOND else self.tier_of[unit]] += len(queue)
        return DayFigures(
            day=day,
            working=working,
            new_issues=new,
            closed=closed,
            backlog=backlog,
            escalations={t: escalations.get(t, 0) for t in self.tiers},
            visits_due=due_n,
            visits_made=made,
            visits_missed=missed,
            hours_used=round(sum(self.used.values()) - used0, 6),
            hours_available=round(sum(self.available.values()) - avail0, 6),
        )

    # ------------------------------------------------------------------ arrivals

    def factor(self, day: date) -> float:
        load, cal = self.setup.load, self.cal
        if day in cal.holidays:
            return load.weekdays[day.weekday()] * load.holiday
        if day in cal.workdays:  # a make-up working day (调休) counts as a Monday
            return load.weekdays[0]
        return load.weekdays[day.weekday()]

    def draw_issues(self, day: date) -> Iterator[Issue]:
        rng, load = self.load_rng, self.setup.load
        if not self.lines or not self.cum[-1]:
            return
        n = _poisson(rng, len(self.households) * load.rate * self.factor(day))
        opening = datetime.combine(day, _OPEN_AT, self.tz)
        drawn = []
        residents = self.reporters
        for _ in range(n):
            line = rng.choices(self.lines, cum_weights=self.cum)[0]
            at = opening + timedelta(seconds=rng.randrange(_REPORT_SPAN))
            place: str | None = None
            resident: str | None = None
            if self.households and rng.random() < load.located:
                if residents and rng.random() < load.residents:
                    who = residents[rng.randrange(len(residents))]
                    place, resident = who.household, who.id
                else:
                    place = self.households[rng.randrange(len(self.households))]
            drawn.append((at, line, place, resident))
        drawn.sort(key=lambda d: d[0])
        for at, line, place, resident in drawn:
            self.issued += 1
            reporter = Reporter.resident(resident or f"caller-{self.issued:07d}")
            yield Issue(id=f"s{self.issued:07d}", category=line.category, severity=line.severity,
                        channel=load.channel if line.channel is None else line.channel,
                        reporter=reporter, reported_at=at, place=place,
                        resident=resident)

    def arrive(self, day: date) -> int:
        router, policy = self.setup.router, self.setup.escalation
        n = 0
        for issue in self.draw_issues(day):
            a = router.route(issue, residents=self.files, planner=self.planner)
            case = open_case(issue, a, router=router, actor="hotline", at=issue.reported_at,
                             policy=policy)
            work = _Work(case, len(self.works), random.Random(self.work_rng.getrandbits(64)))
            self.works.append(work)
            self.queues.setdefault(case.owner, []).append(work)
            n += 1
        return n

    # ------------------------------------------------------------------ the day's work

    def work(self, day: date, working: bool) -> tuple[int, int, int, int]:
        staffing = self.setup.staffing
        due = self.visits_due(day)
        due_n = sum(len(x) for x in due.values())
        made_records: list[VisitRecord] = []
        missed = closed = 0
        share = 1.0 if working else staffing.off_days
        opening = datetime.combine(day, _OPEN_AT, self.tz)
        for unit in self.order:
            queue = self.queues.get(unit, [])
            if unit == BEYOND:
                if working and queue:
                    closed += self.handle(queue, unit, math.inf, opening, math.inf)[0]
                continue
            tier = self.tier_of[unit]
            if staffing.unlimited:
                capacity = math.inf if share > 0 else 0.0
            else:
                capacity = staffing.capacity(unit, tier) * share
            used = 0.0
            for item in due.get(unit, ()):
                if capacity > 0 and capacity - used + _EPS >= staffing.visit_hours:
                    used += staffing.visit_hours
                    made_records.append(VisitRecord(
                        id=f"v-{day.isoformat()}-{item.resident}", resident=item.resident,
                        member=self.leader[unit], at=self.stamp(opening, capacity, used)))
                elif item.latest <= day:
                    missed += 1
            if queue and capacity > 0:
                n, spent = self.handle(queue, unit, capacity - used, opening, capacity)
                closed += n
                used += spent
            if staffing.unlimited:
                capacity = used
            self.used[tier] += used
            self.available[tier] += capacity
        if made_records:
            self.log = self.log.with_records(made_records)
        return due_n, len(made_records), missed, closed

    def visits_due(self, day: date) -> dict[str, list[DueVisit]]:
        policy = self.setup.visits
        out: dict[str, list[DueVisit]] = {}
        if policy is None or not self.setup.residents:
            return out
        for item in due_visits(self.files, self.log, policy, on=day):
            unit = self.visit_unit.get(item.household)
            if unit is not None:
                out.setdefault(unit, []).append(item)
        return out

    def stamp(self, opening: datetime, capacity: float, used: float) -> datetime:
        """The moment a unit has used *used* of its *capacity* hours: spread over the
        working day from its opening (nine natural hours)."""
        if not math.isfinite(capacity) or capacity <= 0:
            return opening + timedelta(hours=1)
        return opening + timedelta(hours=9 * min(1.0, used / capacity))

    def handle(self, queue: list[_Work], unit: str, left: float, opening: datetime,
               capacity: float) -> tuple[int, float]:
        """Accept what was reported (签收, by whoever is on duty), then spend *left* hours on
        *queue* in deadline order; the cases closed and the hours spent."""
        cal = self.cal
        beyond = unit == BEYOND
        actor = "external" if beyond else self.leader[unit]
        for item in queue:
            case = item.case
            if case.status is CaseStatus.REPORTED:
                at = max(opening, case.updated_at + _TAKE_UP)
                case = case.apply(Accepted(at=at, actor=actor))
                item.case = case.apply(HandlingStarted(at=at, actor=actor))
        spent = 0.0
        closed = 0
        order = sorted(queue, key=lambda w: (_running_due(w.case, cal), w.seq))
        done: set[int] = set()
        for item in order:
            room = left - spent
            if room <= _EPS:
                break
            if item.left is None:
                item.left = self.hours_for(item, beyond)
            take = min(room, item.left)
            item.left -= take
            spent += take
            if item.left > _EPS:
                continue
            case = item.case
            at = max(self.stamp(opening, capacity, spent), case.updated_at)
            item.case, finished = self.finish(case, item, at, actor)
            if finished:
                done.add(item.seq)
                closed += 1
        if done:
            queue[:] = [w for w in queue if w.seq not in done]
        return closed, spent

    def hours_for(self, item: _Work, beyond: bool) -> float:
        if beyond or self.setup.staffing.unlimited:
            return 0.0
        category = item.case.issue.category
        return self.setup.staffing.time_for(category, self.setup.router.catalogue).draw(item.rng)

    def finish(self, case: Case, item: _Work, at: datetime, actor: str) -> tuple[Case, bool]:
        """Resolve, verify and take the resident's verdict: closed, or reopened (rework)."""
        for h in case.co_handlers:
            if h.is_open:
                case = case.apply(CoHandlerCompleted(at=at, actor=h.id, handler=h.id))
        case = case.apply(Resolved(at=at, actor=actor, summary="已处置"))
        case = case.apply(Verified(at=at, actor="verifier"))
        if item.rng.random() < self.setup.load.dissatisfied:
            case = case.apply(ResidentDissatisfied(at=at, actor="resident", note="问题没有解决"))
            item.left = None  # the owner works on it again: a new handling time
            return case, False
        case = case.apply(ResidentSatisfied(at=at, actor="resident"))
        case = case.apply(Closed(at=at, actor="verifier"))
        case = case.apply(Evaluated(at=at, actor="resident", satisfaction=Satisfaction.SATISFIED))
        return case, True

    # ------------------------------------------------------------------ the sweep

    def sweep(self, day: date) -> Counter[str]:
        at = datetime.combine(day, _SWEEP_AT, self.tz)
        policy, router = self.setup.escalation, self.setup.router
        open_work = {w.case.id: w for q in self.queues.values() for w in q}
        cases = [w.case for w in open_work.values()]
        counted: Counter[str] = Counter()
        for proposal in list(due_escalations(cases, policy, at=at, router=router)):
            item = open_work[proposal.case]
            item.case = escalate(item.case, proposal, policy, actor="system")
            item.left = None
            tier = self.tier_of[proposal.from_unit]
            counted[tier] += 1
            self.by_tier[tier] += 1
            self.by_trigger[proposal.trigger.value] += 1
            self.queues[item.unit].remove(item)
            item.unit = BEYOND if proposal.beyond else proposal.to
            self.queues.setdefault(item.unit, []).append(item)
        return counted

    # ------------------------------------------------------------------ the result

    def result(self, daily: list[DayFigures]) -> SimulationResult:
        setup = self.setup
        end = date.fromordinal(self.start.toordinal() + self.days)
        period = Period(start=self.start, end=end, label=f"{self.start.isoformat()}/{end.isoformat()}",
                        zh=f"模拟期 {self.start.isoformat()} 至 {end.isoformat()}")
        cases = [w.case for w in self.works]
        tally = tally_cases(cases, setup.indicators, catalogue=setup.router.catalogue,
                            calendar=self.cal, by=Periods(ranges=[period]),
                            attribute=Attribution.CLOSING)
        table = evaluate(tally, setup.indicators, grid=self.grid)
        queues = {unit: len(q) for unit, q in sorted(self.queues.items()) if q}
        utilisation = {
            t: (min(1.0, self.used[t] / self.available[t]) if self.available[t] > 0 else 0.0)
            for t in self.tiers
        }
        triggers = sorted(t.value for t in setup.escalation.triggers)
        return SimulationResult(
            name=setup.name,
            start=self.start,
            days=self.days,
            daily=daily,
            tiers=self.tiers,
            escalations_by_tier={t: self.by_tier.get(t, 0) for t in self.tiers},
            escalations_by_trigger={t: self.by_trigger.get(t, 0) for t in triggers},
            queues=queues,
            missed_visits=sum(d.visits_missed for d in daily),
            utilisation=utilisation,
            cases=len(cases),
            tally=tally,
            table=table,
        )


def _cumulative(rates: list[float]) -> Iterator[float]:
    total = 0.0
    for r in rates:
        total += r
        yield total


def _running_due(case: Case, cal: WorkCalendar) -> datetime:
    """The moment the case's running clock runs out: acceptance while reported, else the
    resolution; far away for a case without one."""
    d = case.accept_by if case.status is CaseStatus.REPORTED else case.resolve_by
    if d is None:
        return _FAR
    return d.effective(cal)
