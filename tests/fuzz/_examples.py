"""Valid examples of every registered value class, for the fuzz suite to start from.

The examples are collected by walking rich values built through the public API (the demo
community, a routed and escalated case, a visit plan …): every gridgov value met on the way
is kept, the first few of each class.  A class the walk does not reach must get an example
in :func:`_extra` — ``test_every_registered_class_has_an_example`` says which.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import attrs

from gridgov import serialize
from gridgov._seq import AppendOnly

PER_CLASS = 3


def _walk(value: object, seen: set[int]) -> Iterator[object]:
    if id(value) in seen:
        return
    seen.add(id(value))
    if attrs.has(type(value)):
        yield value
        for a in attrs.fields(type(value)):
            if a.init:
                yield from _walk(getattr(value, a.name), seen)
        return
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple result
        yield value
    if isinstance(value, tuple | list | frozenset | set | AppendOnly):
        for item in list(value)[:30]:
            yield from _walk(item, seen)
    elif isinstance(value, dict):
        for item in list(value.values())[:30]:
            yield from _walk(item, seen)


def _roots() -> list[object]:
    from gridgov import demo

    roots: list[object] = [
        demo.sample_grid(),
        *demo.sample_residents()[:10],
        demo.sample_case(),
        demo.sample_policy(),
    ]
    for name in ("sample_visits", "sample_router", "sample_assignment"):
        make = getattr(demo, name, None)
        if make is not None:
            made = make()
            roots.extend(made if isinstance(made, tuple | list) else [made])
    roots.extend(_extra())
    roots.extend(_cases())
    roots.extend(_routing_and_visits())
    roots.extend(_interop())
    roots.extend(_metrics_opinions())
    roots.extend(_community_life())
    roots.extend(_talent())
    roots.extend(_privacy())
    roots.extend(_simulation())
    return roots


def _simulation() -> list[object]:
    """A staffing model with a handling time of each kind, a load, and two short runs of the
    sample community compared."""
    from gridgov.simulation import (  # the package, not its function gridgov.simulation
        Exponential,
        Fixed,
        Handling,
        LogNormal,
        Staffing,
        StaffLine,
        Uniform,
        compare,
        sample_setup,
    )

    base = sample_setup()
    staffing = Staffing(
        lines=[StaffLine(tier="grid", workers=2), StaffLine(unit="mg31", workers=1)],
        handling=[Handling(category="dispute", time=Fixed(hours=2)),
                  Handling(category="welfare", time=Uniform(low=1, high=3)),
                  Handling(category="complaint", time=LogNormal(median=2, sigma=0.5))],
        default=Exponential(mean=1.5),
    )
    variant = attrs.evolve(base, name="变体", staffing=staffing)
    return [staffing, base.load, compare(base, variant, start=date(2026, 11, 2), days=2, seed=1)]


def _privacy() -> list[object]:
    """The sensitivity table, scopes of a member and a partner, a decision and its record."""
    from gridgov import CST
    from gridgov import privacy as p
    from gridgov.demo import sample_grid, sample_residents

    grid = sample_grid()
    day = date(2026, 11, 26)
    li = p.Scope.of_member(grid.member("m-li"), purpose=p.Purpose.VISIT, on=day)
    wuye = p.Scope.of_partner(grid.partners_covering("g3")[0], on=day)
    lu = sample_residents()[-1]
    decided = p.may_see(li, lu, grid=grid, field="conditions")
    record = decided.record(at=datetime(2026, 11, 26, 16, tzinfo=CST))
    return [p.DEFAULT_SENSITIVITY, li, wuye, decided, record]


def _extra() -> list[object]:
    """Values the demo does not reach: built here, through the public API."""
    import gridgov as g

    out: list[object] = [
        g.DEFAULT_CATALOGUE,
        g.DEFAULT_MATRIX,
        g.DEFAULT_RULES,
        g.THREE_TIER,
        g.FOUR_TIER,
        g.DEFAULT_POLICY,
        g.Reason(zh="原因", en="why", refs=[g.Ref(kind="unit", id="g3", name="第三网格")]),
        g.WorkCalendar(holidays={date(2026, 10, 1)}, workdays={date(2026, 9, 27)}),
        g.Criteria(min_age=60, conditions_any={"living_alone"}, tags_any={"party_member"}),
        g.Place(id="h-1", unit="mg31", kind=g.PlaceKind.HOUSEHOLD, name="1号楼101"),
    ]
    t = datetime(2026, 11, 26, 9, 0, tzinfo=g.CST)
    out.append(g.Deadline.of(g.TimeLimit.working_days(3), start=t, calendar=g.WorkCalendar()))
    out += [*g.DIGITAL_CITY, *g.HOTLINE_12345, g.digital_city_score(), g.hotline_score()]
    # Metrics: a calendar period, custom ranges, and the facts of the sample case.
    from gridgov.demo import sample_case

    out.append(g.Period.of(date(2026, 11, 26), g.Grain.WEEK))
    out.append(g.Periods(ranges=[
        g.Period.between(date(2026, 10, 26), date(2026, 11, 26), label="11月考核"),
        g.Period.of(date(2026, 12, 1), g.Grain.MONTH),
    ]))
    out.append(g.case_facts(sample_case(), calendar=g.WorkCalendar(),
                            dispatch_limit=g.TimeLimit.working_hours(2)))
    return out


def _interop() -> list[object]:
    """A hotline import with a label table, an issue and a rejected row."""
    import gridgov as g

    fmt = g.HotlineFormat(labels={"路灯不亮": "facility_repair"}, id_prefix="12345-")
    found = g.import_hotline(
        [
            {"工单编号": "1", "诉求类别": "路灯不亮", "来电时间": "2026-11-26 10:15"},
            {"工单编号": "2", "诉求类别": "设施维修", "来电时间": "昨天"},
        ],
        format=fmt,
    )
    from gridgov.demo import sample_case, sample_policy

    case = sample_case()
    summary = g.summarize(case, at=case.updated_at, calendar=sample_policy().calendar)
    return [fmt, found, *found.rejected, summary]


def _metrics_opinions() -> list[object]:
    """The opinion library of the demo case and two repeats of it (custom periods), its
    hotspots, a month's visit rate, their tally and table; CaseFacts, Period, Periods, Line
    and IndicatorValue come with them."""
    from datetime import timedelta

    import gridgov.metrics as m
    from gridgov.demo import sample_case, sample_grid, sample_residents
    from gridgov.visits import DEFAULT_POLICY

    first = m.case_facts(sample_case())
    again = [
        attrs.evolve(first, case=f"c-r{k}", reported_at=first.reported_at + timedelta(days=k))
        for k in (1, 2)
    ]
    start = first.reported_at.date()
    by = m.Periods(ranges=[m.Period.between(start, start + timedelta(days=30), label="考核期")])
    library = m.opinion_library([first, *again], by=by)
    found = m.hotspots(library, grid=sample_grid(), repeats=2)
    rate = m.visit_rate(sample_residents(), [], DEFAULT_POLICY, sample_grid(), month=(2026, 11))
    columns = [*m.DIGITAL_CITY, m.digital_city_score()]
    counted = m.tally([first, *again], columns, by=by, categories=True)
    table = m.evaluate(counted, columns, grid=sample_grid(), parts=True)
    return [first, library, found, rate, counted, table]


def _talent() -> list[object]:
    """A talent library with every kind of person and a post, and a matching of needs to it
    (placements, an unfilled place, partner links)."""
    import gridgov.community as c
    from gridgov.demo import sample_grid

    grid = sample_grid()
    lib = c.TalentLibrary(
        talents=[
            c.Talent.of_member(grid.member("m-li"), willingness=c.Willingness(
                hours=6, kinds={"volunteer_service"}, weekdays={0, 2}, visits_per_day=3,
                start=date(2026, 1, 1), end=date(2027, 1, 1))),
            c.Talent(id="r-zhang", name="张师傅", kind=c.TalentKind.RESIDENT, home="mg31",
                     skills={"appliance_repair"},
                     levels=[c.SkillLevel(skill="appliance_repair", level=3)],
                     willingness=c.Willingness(hours=8, per=c.Span.MONTH, units={"g3"})),
            c.Talent(id="s-1", name="社区医院王医生", kind=c.TalentKind.PARTNER_STAFF,
                     partner="p-wuye", home="yx", skills={"health_care"},
                     willingness=c.Willingness(hours=2)),
        ],
        posts=[c.ServicePost(id="post-1", name="家电义修岗", unit="g3",
                             skills={"appliance_repair"}, hours=2, people=2,
                             category="appliance_repair")],
    )
    needs = [
        c.Need.for_post(lib.posts[0]),
        c.Need(id="n-law", name="法律咨询", unit="mg31", hours=1, skills={"legal_advice"},
               category="dispute", kind=c.NeedKind.CASE, ref="i-1", priority=2),
    ]
    found = c.match_needs(needs, lib, grid, on=date(2026, 11, 30))
    return [c.DEFAULT_SKILLS, lib, *needs, found]


def _cases() -> list[object]:
    """A case that took an event of every class, a case merged away, and a proposal."""
    from datetime import timedelta

    import gridgov as g
    from gridgov import cases as c
    from gridgov.demo import sample_case, sample_policy

    policy = sample_policy()
    base = sample_case()
    t = base.updated_at
    h = timedelta(hours=1)
    dup = g.Issue(id="i-dup", category="elder_care", severity=1, channel=g.Channel.APP,
                  place="h-1001", reporter=g.Reporter.resident("r-9"), reported_at=t)
    case = base
    for event in [
        c.SeverityRaised(at=t, actor="m-g3", severity=3, reason="加重"),
        c.Dispatched(at=t, actor="m-g3", handler="m-w3", note="派遣"),
        c.HandlingStarted(at=t, actor="m-w3"),
        c.Suspended(at=t + h, actor="m-w3", reason="等待"),
        c.Resumed(at=t + 2 * h, actor="m-w3"),
        c.ExtensionRequested(at=t + 2 * h, actor="m-w3", until=t + 400 * h, reason="配件"),
        c.ExtensionGranted(at=t + 3 * h, actor="m-sec"),
        c.ExtensionRequested(at=t + 3 * h, actor="m-w3", until=t + 500 * h, reason="再延"),
        c.ExtensionRefused(at=t + 3 * h, actor="m-sec", reason="不予"),
        c.DuplicateMerged(at=t + 3 * h, actor="m-g3", duplicate="c-dup", issue=dup),
        c.CoHandlerReleased(at=t + 3 * h, actor="m-g3", handler="p-wuye", reason="不需"),
        c.CoHandlerLinked(at=t + 3 * h, actor="m-g3", handler="g2", kind="unit", name="第二网格",
                          due=t + 9 * h, required=False),
        c.CoHandlerCompleted(at=t + 4 * h, actor="g2", handler="g2"),
        c.Resolved(at=t + 4 * h, actor="m-w3", summary="已办"),
        c.VerificationFailed(at=t + 5 * h, actor="m-sec", reason="未好"),
        c.Resolved(at=t + 6 * h, actor="m-w3"),
        c.ResidentDissatisfied(at=t + 7 * h, actor="r-lu", note="不满意"),
        c.Resolved(at=t + 8 * h, actor="m-w3"),
        c.ResidentSatisfied(at=t + 9 * h, actor="r-lu"),
        c.Verified(at=t + 9 * h, actor="m-sec"),
        c.Closed(at=t + 10 * h, actor="m-sec"),
        c.Evaluated(at=t + 11 * h, actor="r-lu", satisfaction=c.Satisfaction.SATISFIED),
    ]:
        case = case.apply(event)
    up = g.escalate(base, g.escalation_for(base, policy, at=t, note="需社区协调"), policy,
                    actor="m-g3")
    returned = up.apply(c.Returned(at=t, actor="m-g3", reason="错派", chain=up.chain,
                                   position=0, grid_version="2026-11"))
    rejected = returned.apply(c.Rejected(at=t, actor="m-g3", reason="不予立案"))
    merged = base.apply(c.MergedInto(at=t, actor="m-g3", into="c-other", reason="重复"))
    proposal = g.escalation_for(up, policy, at=t + h, trigger=c.Trigger.MANUAL, note="上报")
    return [case, rejected, merged, proposal, *case.co_handlers]


@functools.cache
def examples() -> dict[type, tuple[Any, ...]]:
    """Registered class → up to :data:`PER_CLASS` valid examples."""
    found: dict[type, list[object]] = {}
    seen: set[int] = set()
    for root in _roots():
        for value in _walk(root, seen):
            kept = found.setdefault(type(value), [])
            if len(kept) < PER_CLASS:
                kept.append(value)
    registered = set(serialize.registered())
    return {cls: tuple(v) for cls, v in found.items() if cls in registered}


def _routing_and_visits() -> list[object]:
    """An assignment, the kinds of condition, and every result of the visit functions."""
    import gridgov as g
    from gridgov.demo import sample_grid, sample_residents

    grid = sample_grid()
    files = g.ResidentFiles(sample_residents())
    router = g.Router(grid=grid, rules=g.DEFAULT_RULES, matrix=g.DEFAULT_MATRIX)
    t = datetime(2026, 11, 26, 10, 15, tzinfo=g.CST)
    issue = g.Issue(id="i-1", category="elder_care", severity=2, channel=g.Channel.VISIT,
                    place="h-1001", resident="r-lu", reporter=g.Reporter.member("m-li"),
                    reported_at=t)
    out: list[object] = [router.route(issue, residents=files), *g.CONDITION_KINDS.values()]
    out += [g.routing.Routed(*r) for r in router.route_many([issue], residents=files)]
    lu = files["r-lu"]
    seen = [g.VisitRecord(id="v-1", resident="r-lu", member="m-li",
                          at=datetime(2026, 11, 20, 9, 30, tzinfo=g.CST))]
    log = g.VisitLog(records=seen)
    change = g.MajorChange(resident="r-lu", on=date(2026, 11, 25), what="出院 discharged")
    on = date(2026, 11, 27)
    due = list(g.due_visits(list(files.values()), log, g.DEFAULT_POLICY, on=on,
                            major_changes=[change]))
    out += [log, change, *due[:3]]
    out += list(g.missed_visit_escalations(due, grid))[:2]
    requirement = g.DEFAULT_POLICY.requirement(lu, on=on)
    if requirement is not None:
        out.append(requirement)
    out.append(due[0].window)
    out.append(g.plan_visits(list(files.values())[:20], seen, g.DEFAULT_POLICY, grid,
                             start=on, end=on, capacity_per_member=1))
    out += list(g.coverage(list(files.values()), seen, g.DEFAULT_POLICY, grid,
                           month=(2026, 11)).values())[:2]
    return out


def _community_life() -> list[object]:
    """A wish, an agenda item, a meeting that adopts it (every event kind), the project it
    adopts — funded, reported on, completed — and activities, their reach and points."""
    from datetime import timedelta

    import gridgov as g
    from gridgov.demo import sample_grid, sample_residents

    grid = sample_grid()
    t = datetime(2026, 9, 15, 19, 0, tzinfo=g.CST)
    wish = g.Wish(id="w1", resident="r-lu", place="h-1001", what="健身器材坏了", at=t,
                  campaign="rhzq-09", case="c-1")
    [item] = g.agenda_items([wish], grid)
    other = g.AgendaItem(id="a2", title="停车", unit="mg31")
    seats = [g.Attendee(member="m-li", name="李燕明",
                        post=g.Post(role=g.Role.MICRO_GRID_LEADER, unit="mg31")),
             g.Attendee(member="r-lu", name="吕阿姨", present=False)]
    rule = g.DecisionRule(id="r", name="议事规则", quorum=g.Threshold.ANY)
    m = g.Deliberation(events=[g.MeetingConvened(
        at=t, actor="m-li", meeting="ysh-1", name="议事会", unit="mg31", attendees=seats,
        agenda=[item.with_proposal("健身房焕新方案"), other], rule=rule)])
    m = m.apply(g.VoteCast(at=t, actor="m-li", item=item.id, voter="m-li", vote=g.Vote.FOR))
    m = m.apply(g.VotingClosed(at=t, actor="m-li", item=item.id))
    m = m.apply(g.ItemDeferred(at=t, actor="m-li", item="a2", reason="待测算"))
    m = m.apply(g.MeetingClosed(at=t + timedelta(hours=1), actor="m-li", minutes="纪要"))
    match = g.MatchRule(id="xf", name="幸福家园", partner="p-wuye", cap=2_000)
    project = g.Project.adopt(m, item.id, id="pj", name="健身房", budget=5_000, match=match)
    project = project.receive(g.Contribution(id="c1", kind=g.FundingKind.RESIDENTS,
                                             source="h-1001", amount=3_000, on=t.date()))
    project = project.report(g.Progress(on=t.date(), percent=50))
    project = project.complete(at=t + timedelta(days=30), actor="m-li")
    group = g.Activity(id="a1", name="书法展", unit="yx", group=g.Criteria(min_age=60),
                       group_name="老年人", schedule=g.Frequency.quarterly(),
                       points=g.PointsPolicy(per_activity=1, per_hour=2))
    came = g.Participation(id="p1", activity="a1", person="r-lu", on=date(2026, 10, 9),
                           minutes=60)
    found = g.reach([group], sample_residents(), [came], grid=grid,
                    period=g.Period.of(date(2026, 10, 1), g.Grain.QUARTER))
    count = g.VoteCount(seats=3, present=2, yes=1, no=1, abstain=0)
    return [wish, m, project, project.funding(), count, *found, group, came,
            g.points_ledger([group], [came]), *m.decisions]
