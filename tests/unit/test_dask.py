"""gridgov.dask: a day's routing, due-visit sweep and month's metrics run part by part on Dask
equal the serial calls on the whole city — the demo, and a generated four-tier city with
issues filed above the cut, unlocated ones and cases escalated to the 街道 — under Dask's
synchronous scheduler and its local processes scheduler."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest

pytest.importorskip("dask")
pytest.importorskip("dask.bag")

import gridgov as g
from gridgov import dask as gd
from gridgov.cases import (
    Accepted,
    Case,
    Closed,
    Dispatched,
    Escalated,
    HandlingStarted,
    Resolved,
    Verified,
    apply_event,
)
from gridgov.demo import sample_case, sample_grid, sample_residents, sample_visits
from gridgov.grid.parts import GridPartition
from gridgov.metrics import (
    ACCEPTED_COUNT,
    CLOSING_RATE,
    DIGITAL_CITY,
    Attribution,
    tally_cases,
)
from gridgov.visits import DEFAULT_POLICY, VisitLog, VisitRecord, due_ids, due_visits

T = datetime(2026, 11, 2, 9, 0, tzinfo=g.CST)
DAY = date(2026, 11, 26)
SCHEDULERS = ["sync", "processes"]
INDICATORS = [*DIGITAL_CITY, ACCEPTED_COUNT, CLOSING_RATE]


class City:
    """A seeded four-tier city: 2 街道 × 2 communities × 2 grids × 2 micro-grids × 6
    households, with issues (some filed at a 街道, some unlocated), files, visits and cases
    (some escalated above the community cut)."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(seed)
        units, places = [], {}
        for s in range(2):
            units.append(g.GridUnit(id=f"s{s}", name=f"街道{s}", tier="subdistrict"))
            for c in range(2):
                cid = f"c{s}{c}"
                units.append(g.GridUnit(id=cid, name=cid, tier="community", parent=f"s{s}"))
                for k in range(2):
                    gid = f"{cid}g{k}"
                    units.append(g.GridUnit(id=gid, name=gid, tier="grid", parent=cid))
                    for m in range(2):
                        mid = f"{gid}m{m}"
                        units.append(g.GridUnit(id=mid, name=mid, tier="micro_grid", parent=gid))
                        places.update({f"h-{mid}-{h}": mid for h in range(6)})
        self.grid = g.GridGraph(version="city", scheme=g.FOUR_TIER, units=units, places=places)
        self.matrix = g.DEFAULT_MATRIX.with_entries(
            [g.Responsibility(unit="c01g1m0", category="dispute", max_severity=3)], name="city"
        )
        self.router = g.Router(grid=self.grid, rules=g.DEFAULT_RULES, matrix=self.matrix,
                               unlocated_at="s1")
        self.partition = GridPartition.of(self.grid, tier="community", unlocated_at="s1")
        homes = sorted(places)
        codes = sorted(g.DEFAULT_CATALOGUE.codes)
        self.residents = [
            g.Resident(id=f"r-{n}", name="n", household=rng.choice(homes),
                       birth_date=date(rng.randint(1930, 1990), rng.randint(1, 12), 1),
                       conditions=[g.Condition(kind="living_alone")] if n % 5 == 0 else [])
            for n in range(60)
        ]
        self.records = [
            VisitRecord(id=f"v-{n}", resident=rng.choice(self.residents).id, member="m",
                        at=T + timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 8)))
            for n in range(80)
        ] + [VisitRecord(id="v-nobody", resident="r-without-a-file", member="m", at=T)]
        self.issues = []
        for n in range(120):
            where: dict[str, object] = {"place": rng.choice(homes)}
            if n % 17 == 0:
                where = {"unit": rng.choice(["s0", "s1", "c10"])}
            elif n % 23 == 0:
                where = {}  # unlocated (待定位)
            self.issues.append(g.Issue(
                id=f"i-{n}", category=rng.choice(codes), severity=rng.randint(1, 4),
                channel=rng.choice(list(g.Channel)), reporter=g.Reporter.resident("r"),
                reported_at=T + timedelta(days=rng.randint(0, 20), minutes=n),
                resident=rng.choice(self.residents).id, **where))  # type: ignore[arg-type]
        files = g.ResidentFiles(self.residents)
        self.cases = [self._case(i, files, rng) for i in self.issues[:80]]

    def _case(self, issue: g.Issue, files: g.ResidentFiles, rng: random.Random) -> Case:
        case = g.open_case(issue, self.router.route(issue, residents=files), router=self.router,
                           actor="m", link_partners=False)
        t = issue.reported_at
        climb = rng.random() < 0.3  # up to the 街道, a step at a time
        while climb and (up := self.grid.parent(case.owner)) is not None:
            case = apply_event(case, Escalated(
                at=t + timedelta(hours=1), actor="m", trigger=g.cases.Trigger.MANUAL,
                from_unit=case.owner, from_name=case.owner_name, to=up.id, to_name=up.name,
                reason=g.Reason(zh="上报", en="escalated")))
        if rng.random() < 0.7:
            steps = [Accepted(at=t + timedelta(hours=2), actor="m")]
            if rng.random() < 0.6:
                steps += [Dispatched(at=t + timedelta(hours=3), actor="m", handler="w"),
                          HandlingStarted(at=t + timedelta(hours=4), actor="w"),
                          Resolved(at=t + timedelta(hours=rng.randint(5, 200)), actor="w")]
                steps += [Verified(at=steps[-1].at + timedelta(hours=1), actor="m"),
                          Closed(at=steps[-1].at + timedelta(hours=2), actor="m")]
            for e in steps:
                case = apply_event(case, e)
        return case


CITY = City(seed=19)


@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_routing_a_day_part_by_part_equals_the_whole_citys_router(scheduler: str) -> None:
    files = g.ResidentFiles(CITY.residents)
    want = list(CITY.router.route_many(CITY.issues, residents=files))
    assert {unit for _, unit, _, _ in want} & {"s0", "s1"}  # some work above the cut
    got = gd.route_day(CITY.partition, CITY.issues, rules=g.DEFAULT_RULES, matrix=CITY.matrix,
                       residents=files, scheduler=scheduler)
    assert got == want


def test_routing_with_loaders_reads_each_part_in_its_task() -> None:
    by_part = CITY.partition.split_issues(CITY.issues)
    index = g.ResidentFiles(CITY.residents)
    named = [{i.resident: index[i.resident] for i in part if i.resident} for part in by_part]
    got = gd.route_day(CITY.partition, lambda n, part: by_part[n], rules=g.DEFAULT_RULES,
                       matrix=CITY.matrix, residents=lambda n, part: named[n].values(),
                       scheduler="sync")
    want = CITY.router.route_many(CITY.issues, residents=index)
    assert sorted(got) == sorted(want)
    assert [r[0] for r in got] == [i.id for part in by_part for i in part]


@pytest.mark.parametrize("scheduler", SCHEDULERS)
@pytest.mark.parametrize("compact", [False, True])
def test_the_due_sweep_part_by_part_equals_the_whole_sweep(scheduler: str, compact: bool) -> None:
    log = VisitLog(records=CITY.records)
    sweep = due_ids if compact else due_visits
    want = list(sweep(CITY.residents, log, DEFAULT_POLICY, on=DAY))
    assert len(want) > 5
    got = gd.due_visits_day(CITY.partition, CITY.residents, log, DEFAULT_POLICY, on=DAY,
                            compact=compact, scheduler=scheduler)
    assert got == want


def test_the_due_sweep_takes_loaders_for_files_and_records() -> None:
    files = CITY.partition.split_residents(CITY.residents)
    ids = [{r.id for r in part} for part in files]
    got = gd.due_visits_day(
        CITY.partition, lambda n, part: files[n],
        lambda n, part: [r for r in CITY.records if r.resident in ids[n]],
        DEFAULT_POLICY, on=DAY, compact=True, scheduler="sync")
    want = due_ids(CITY.residents, CITY.records, DEFAULT_POLICY, on=DAY)
    assert sorted(got) == sorted(want)
    with pytest.raises(g.InvalidValueError, match="'log' must be a loader"):
        gd.due_visits_day(CITY.partition, lambda n, part: files[n], CITY.records,
                          DEFAULT_POLICY, on=DAY, scheduler="sync")


@pytest.mark.parametrize("scheduler", SCHEDULERS)
@pytest.mark.parametrize("attribute", [Attribution.CLOSING, Attribution.PLACE])
def test_the_months_tally_part_by_part_equals_the_whole_tally(
    scheduler: str, attribute: Attribution
) -> None:
    escalated = [c for c in CITY.cases if c.owner in ("s0", "s1")]
    assert escalated  # some cases climbed above the cut
    want = tally_cases(CITY.cases, INDICATORS, attribute=attribute, categories=True)
    got = gd.month_tally(CITY.partition, CITY.cases, INDICATORS, attribute=attribute,
                         categories=True, scheduler=scheduler)
    assert got == want
    assert any(unit in ("s0", "s1") for unit, _, _ in got.cells)


def test_the_demo_on_dask_equals_the_demo() -> None:
    grid, files = sample_grid(), sample_residents()
    city = GridPartition.of(grid, tier="grid")
    router = g.Router(grid=grid, rules=g.DEFAULT_RULES, matrix=g.DEFAULT_MATRIX)
    issues = [g.Issue(id=f"i-{n}", category=c, severity=1 + n % 4, channel=g.Channel.APP,
                      place=p, reporter=g.Reporter.resident("r"), reported_at=T)
              for n, (c, p) in enumerate(zip(sorted(g.DEFAULT_CATALOGUE.codes) * 4,
                                             sorted(grid.places)[::50], strict=False))]
    assert gd.route_day(city, issues, rules=g.DEFAULT_RULES, matrix=g.DEFAULT_MATRIX,
                        scheduler="sync") == list(router.route_many(issues))
    assert gd.due_visits_day(city, files, sample_visits(), DEFAULT_POLICY, on=DAY,
                             scheduler="processes") == list(
        due_visits(files, sample_visits(), DEFAULT_POLICY, on=DAY))
    cases = [sample_case()]
    assert gd.month_tally(city, cases, INDICATORS, scheduler="sync") == tally_cases(
        cases, INDICATORS)


def test_arguments_are_checked_before_anything_is_shipped() -> None:
    with pytest.raises(g.InvalidValueError, match="'partition' must be a GridPartition"):
        gd.route_day(CITY.grid, [], rules=g.DEFAULT_RULES,  # type: ignore[arg-type]
                     matrix=CITY.matrix, scheduler="sync")
    with pytest.raises(g.GridGovError):
        gd.month_tally(CITY.partition, [], INDICATORS, by="fortnight",  # type: ignore[arg-type]
                       scheduler="sync")


def _all_three(parts: object, scheduler: str) -> tuple[object, ...]:
    """The three calls on CITY given *parts* (items given, and read by loaders)."""
    files = g.ResidentFiles(CITY.residents)
    by_part = CITY.partition.split_residents(CITY.residents)
    ids = [{r.id for r in part} for part in by_part]
    cases = CITY.partition.split_cases(CITY.cases)
    return (
        gd.route_day(CITY.partition, CITY.issues, rules=g.DEFAULT_RULES, matrix=CITY.matrix,
                     residents=files, scheduler=scheduler, parts=parts),  # type: ignore[arg-type]
        gd.due_visits_day(CITY.partition, CITY.residents, VisitLog(records=CITY.records),
                          DEFAULT_POLICY, on=DAY, scheduler=scheduler,
                          parts=parts),  # type: ignore[arg-type]
        gd.due_visits_day(CITY.partition, lambda n, part: by_part[n],
                          lambda n, part: [r for r in CITY.records if r.resident in ids[n]],
                          DEFAULT_POLICY, on=DAY, compact=True, scheduler=scheduler,
                          parts=parts),  # type: ignore[arg-type]
        gd.month_tally(CITY.partition, CITY.cases, INDICATORS, categories=True,
                       scheduler=scheduler, parts=parts),  # type: ignore[arg-type]
        gd.month_tally(CITY.partition, lambda n, part: cases[n], INDICATORS, categories=True,
                       scheduler=scheduler, parts=parts),  # type: ignore[arg-type]
    )


def _serial() -> tuple[object, ...]:
    files = g.ResidentFiles(CITY.residents)
    by_part = CITY.partition.split_residents(CITY.residents)
    tally = tally_cases(CITY.cases, INDICATORS, categories=True)
    return (
        list(CITY.router.route_many(CITY.issues, residents=files)),
        list(due_visits(CITY.residents, VisitLog(records=CITY.records), DEFAULT_POLICY, on=DAY)),
        list(due_ids([r for part in by_part for r in part], CITY.records, DEFAULT_POLICY,
                     on=DAY)),
        tally,
        tally,
    )


def test_the_calls_on_a_persisted_parts_bag_equal_the_serial_calls() -> None:
    parts = gd.parts_bag(CITY.partition)
    assert parts.npartitions == len(CITY.partition.parts)
    kept = parts.persist(scheduler="sync")
    assert [n for n, _ in kept.compute(scheduler="sync")] == list(range(len(CITY.partition)))
    want = _serial()
    assert _all_three(kept, "sync") == want
    assert _all_three(parts, "sync") == want  # not persisted: the same answers
    assert _all_three(None, "sync") == want


def test_a_parts_bag_persisted_on_a_local_cluster_is_reused_by_every_call() -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        parts = gd.parts_bag(CITY.partition).persist()
        distributed.wait(parts)
        held = set(client.who_has(parts))
        assert len(held) == len(CITY.partition)  # one key a part, kept on the workers
        assert _all_three(parts, None) == _serial()
        assert set(client.who_has(parts)) == held  # still there, not shipped again


def test_a_parts_bag_of_another_partition_is_refused() -> None:
    other = gd.parts_bag(GridPartition.of(CITY.grid, tier="subdistrict"))
    assert other.npartitions != len(CITY.partition)
    with pytest.raises(g.InvalidValueError, match="'parts' must be a parts_bag"):
        gd.route_day(CITY.partition, CITY.issues, rules=g.DEFAULT_RULES, matrix=CITY.matrix,
                     scheduler="sync", parts=other)
    with pytest.raises(g.InvalidValueError, match="'parts' must be a parts_bag"):
        gd.month_tally(CITY.partition, CITY.cases, INDICATORS, scheduler="sync",
                       parts=[1, 2, 3, 4])  # type: ignore[arg-type]
    grids = GridPartition.of(CITY.grid, tier="grid", unlocated_at="s1")
    bag = gd.parts_bag(grids)  # the same parts, in another order:
    reordered = type(bag)({("reordered", n): (bag.name, 7 - n) for n in range(8)}
                          | dict(bag.dask), "reordered", 8)
    with pytest.raises(g.InvalidValueError, match="'parts' must be the parts of the partition"):
        gd.month_tally(grids, CITY.cases, INDICATORS, scheduler="sync", parts=reordered)
