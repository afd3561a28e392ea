"""Benchmark: the visit due sweep over a synthetic city.

Builds a city of residents — 13 % aged 60+ and so under the default policy (the rest
younger, a few of them with conditions), conditions drawn per elder (living alone 25 %,
empty-nest 15 %, disability 7 %, dementia 4 %, seriously ill 2 %, 特困 2 %, chronic
illness 30 %; 1 % recently discharged and 1 % injured, in windows around the day), a last
visit for 95 % of elders at a uniform time within 1.1 of their strictest interval (in
person 80 %, phone 15 %, video 5 %), an earlier visit for a tenth of them, and a major
change for 0.1 % — then, in the same run, times

* ``gridgov.visits.due_visits`` for one day (records grouped, policy compiled, items built);
* (a) an int-day floor: due day numbers precomputed per resident, compared with today;
* (b) a naive sweep: every rule matched per resident with ``VisitRule.matches``, the strictest
  one's due date computed with ``relativedelta`` from the last visit;
* (c) the same with a dateutil ``rrule`` built per resident: the resident's schedule from
  the day the file was opened, whose next occurrence after the last visit is due (measured
  on a sample and extrapolated per resident, as the output says).

The baselines compute only "strictest rule, last visit + interval"; the sweep also handles
stretches of temporary conditions, visit modes, windows and major changes.

Usage::

    python benchmarks/visits.py            # 1,000,000 residents
    python benchmarks/visits.py --smoke    # a few thousand, a few seconds (CI)

Targets (full size): the sweep at least 0.2x the floor's throughput and at least 80x the
rrule approach.  Times are CPU times of this process (``time.process_time``), the best of
several runs, the sweep and the floor interleaved: the machine may be shared.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, rrule

from gridgov import CST, Condition, Resident
from gridgov.visits import (
    DEFAULT_POLICY,
    FrequencyUnit,
    MajorChange,
    VisitLog,
    VisitMode,
    VisitPolicy,
    VisitRecord,
    VisitRule,
    due_visits,
)

TODAY = date(2026, 11, 25)
ELDER_SHARE = 0.13
_STATIC = {
    k: Condition(kind=k)
    for k in (
        "living_alone",
        "no_family_support",
        "empty_nest",
        "disabled",
        "dementia",
        "seriously_ill",
        "extreme_poverty",
        "chronic_illness",
        "low_income",
    )
}
_ELDER_ODDS = [
    ("living_alone", 0.25),
    ("no_family_support", 0.04),
    ("empty_nest", 0.15),
    ("disabled", 0.07),
    ("dementia", 0.04),
    ("seriously_ill", 0.02),
    ("extreme_poverty", 0.02),
    ("chronic_illness", 0.30),
]


def build_city(n: int, seed: int) -> tuple[list[Resident], list[VisitRecord], list[MajorChange]]:
    rng = random.Random(seed)
    residents: list[Resident] = []
    records: list[VisitRecord] = []
    changes: list[MajorChange] = []
    modes = [VisitMode.IN_PERSON] * 16 + [VisitMode.PHONE] * 3 + [VisitMode.VIDEO]
    for i in range(n):
        elder = rng.random() < ELDER_SHARE
        age = min(int(60 + rng.expovariate(1 / 11)), 105) if elder else rng.randrange(0, 60)
        # aged exactly `age` today
        birth = TODAY.replace(year=TODAY.year - age) - timedelta(days=rng.randrange(365))
        conds: list[Condition] = []
        if elder:
            conds = [_STATIC[k] for k, p in _ELDER_ODDS if rng.random() < p]
            if rng.random() < 0.01:  # recently discharged, a window around today
                s = TODAY - timedelta(days=rng.randrange(0, 45))
                conds.append(
                    Condition(kind="recently_discharged", start=s, end=s + timedelta(days=30))
                )
            if rng.random() < 0.01:
                s = TODAY - timedelta(days=rng.randrange(0, 45))
                conds.append(Condition(kind="injured", start=s, end=s + timedelta(days=30)))
        elif rng.random() < 0.03:
            conds = [_STATIC["disabled" if rng.random() < 0.5 else "low_income"]]
        opened = date(2018, 1, 1) + timedelta(days=rng.randrange(365 * 7))
        opened = max(birth, min(opened, TODAY - timedelta(days=60)))
        r = Resident(
            id=f"r{i:07d}",
            name="居民",
            household=f"h{i // 3:07d}",
            birth_date=birth,
            conditions=conds,
            file_opened=opened,
        )
        residents.append(r)
        if not elder:
            continue
        matched = DEFAULT_POLICY.matching(r, on=TODAY)
        if not matched:
            continue
        if rng.random() < 0.95:
            interval = matched[0].frequency.nominal_days
            ago = int(rng.random() * 1.1 * interval)
            day = max(opened, TODAY - timedelta(days=ago))
            at = datetime(day.year, day.month, day.day, 9 + rng.randrange(9), tzinfo=CST)
            records.append(
                VisitRecord(
                    id=f"v{len(records)}", resident=r.id, member="m", at=at, mode=rng.choice(modes)
                )
            )
            if rng.random() < 0.1:  # some history: an earlier visit
                earlier = max(opened, day - timedelta(days=int(interval) + 1))
                records.append(
                    VisitRecord(
                        id=f"v{len(records)}",
                        resident=r.id,
                        member="m",
                        at=datetime(earlier.year, earlier.month, earlier.day, 10, tzinfo=CST),
                    )
                )
        if rng.random() < 0.001:
            changes.append(
                MajorChange(resident=r.id, on=TODAY - timedelta(days=rng.randrange(3)), what="变故")
            )
    rng.shuffle(records)
    return residents, records, changes


# --------------------------------------------------------------------------- baselines


def _strictest(policy: VisitPolicy, r: Resident, day: date) -> VisitRule | None:
    best: VisitRule | None = None
    for rule in policy.rules:
        if rule.matches(r, on=day) and (
            best is None or rule.frequency.nominal_days < best.frequency.nominal_days
        ):
            best = rule
    return best


def _last_visits(records: Sequence[VisitRecord], day: date) -> dict[str, date]:
    last: dict[str, date] = {}
    for rec in records:
        d = rec.at.date()
        if d <= day and (rec.resident not in last or d > last[rec.resident]):
            last[rec.resident] = d
    return last


def naive_relativedelta(
    residents: Sequence[Resident], records: Sequence[VisitRecord], policy: VisitPolicy, day: date
) -> Iterator[tuple[str, date, int]]:
    last = _last_visits(records, day)
    for r in residents:
        rule = _strictest(policy, r, day)
        if rule is None:
            continue
        f = rule.frequency
        v = last.get(r.id)
        if v is None:
            due = r.file_opened or r.birth_date
        elif f.unit is FrequencyUnit.MONTH:
            due = v + relativedelta(months=f.every)
        elif f.unit is FrequencyUnit.WEEK:
            due = v + relativedelta(weeks=f.every)
        else:
            due = v + relativedelta(days=f.every)
        if due <= day:
            yield (r.id, due, (day - due).days)


_RRULE_FREQ = {FrequencyUnit.DAY: DAILY, FrequencyUnit.WEEK: WEEKLY, FrequencyUnit.MONTH: MONTHLY}


def naive_rrule(
    residents: Sequence[Resident], records: Sequence[VisitRecord], policy: VisitPolicy, day: date
) -> Iterator[tuple[str, date, int]]:
    last = _last_visits(records, day)
    for r in residents:
        rule = _strictest(policy, r, day)
        if rule is None:
            continue
        f = rule.frequency
        v = last.get(r.id)
        # the resident's visit schedule from the day the file was opened; the next
        # occurrence after the last visit is due
        start = r.file_opened or r.birth_date
        schedule = rrule(
            _RRULE_FREQ[f.unit],
            interval=f.every,
            dtstart=datetime(start.year, start.month, start.day),
        )
        nxt = schedule.after(datetime(v.year, v.month, v.day)) if v else schedule[0]
        if nxt is None:
            continue
        due = nxt.date()
        if due <= day:
            yield (r.id, due, (day - due).days)


def int_floor(
    ids: Sequence[str], dues: Sequence[int], today: int
) -> Iterator[tuple[str, int, int]]:
    for rid, d in zip(ids, dues, strict=True):
        if d <= today:
            yield (rid, d, today - d)


# --------------------------------------------------------------------------- timing


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best = float("inf")
    result: Any = None
    for _ in range(repeat):
        gc.collect()
        t0 = time.process_time()
        result = fn()
        best = min(best, time.process_time() - t0)
    return best, result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny run for CI")
    parser.add_argument("--residents", type=int, default=None)
    parser.add_argument("--rrule-sample", type=int, default=None)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    n = args.residents or (5_000 if args.smoke else 1_000_000)
    sample = args.rrule_sample or (n if args.smoke else 100_000)
    repeat = 1 if args.smoke else 5

    t0 = time.perf_counter()
    residents, records, changes = build_city(n, args.seed)
    print(
        f"built {n:,} residents, {len(records):,} visit records, {len(changes):,} major "
        f"changes in {time.perf_counter() - t0:.1f} s (setup, not timed)"
    )

    policy = DEFAULT_POLICY
    t_rd, naive = timed(lambda: list(naive_relativedelta(residents, records, policy, TODAY)), 1)

    # (a) the floor: due day numbers precomputed (from the naive sweep, outside the timing).
    ids = [r.id for r in residents]
    today = TODAY.toordinal()
    naive_due = {rid: due.toordinal() for rid, due, _ in naive}
    last = _last_visits(records, TODAY)
    dues = []
    for r in residents:
        d = naive_due.get(r.id)
        dues.append(d if d is not None else (today + 30 if r.id in last else 10**7))

    # The records as an app keeps them for daily sweeps: a VisitLog, grouped when built (not
    # timed, like the floor's due days) and extended as visits arrive.
    t0 = time.perf_counter()
    log = VisitLog(records=records)
    t_log = time.perf_counter() - t0

    # The sweeps and the floor, interleaved so that all see the same machine.
    t_sweep = t_raw = t_floor = float("inf")
    items: list[Any] = []
    raw_items: list[Any] = []
    floor_items: list[Any] = []
    for _ in range(repeat):
        t, items = timed(
            lambda: list(due_visits(residents, log, policy, on=TODAY, major_changes=changes)),
            1,
        )
        t_sweep = min(t_sweep, t)
        t, raw_items = timed(
            lambda: list(due_visits(residents, records, policy, on=TODAY, major_changes=changes)),
            1,
        )
        t_raw = min(t_raw, t)
        t, floor_items = timed(lambda: list(int_floor(ids, dues, today)), 3)
        t_floor = min(t_floor, t)
    assert raw_items == items, "a sweep over the log must find what a sweep over the records does"

    head = residents[:sample]
    t_rr_sample, _ = timed(lambda: list(naive_rrule(head, records, policy, TODAY)), 1)
    # the records pass is over all records; split it off so the extrapolation is per resident
    t_group, _ = timed(lambda: _last_visits(records, TODAY), 1)
    t_rr = t_group + (t_rr_sample - t_group) * n / len(head)

    under = sum(1 for r in residents if _strictest(policy, r, TODAY) is not None)
    missed = sum(1 for i in items if i.missed)
    print()
    print(f"residents under the policy today: {under:,} of {n:,}")
    print(
        f"due today: {len(items):,} ({missed:,} missed); naive baselines find "
        f"{len(naive):,}, the floor {len(floor_items):,}"
    )
    print()
    print(f"VisitLog of the {len(records):,} records built in {t_log:.2f} s (once, not timed)")
    print()
    rows = [
        ("gridgov due_visits over a VisitLog", t_sweep),
        ("gridgov due_visits over the plain records", t_raw),
        ("(a) int-day floor", t_floor),
        ("(b) relativedelta per resident", t_rd),
        (f"(c) rrule per resident (sample {len(head):,}, extrapolated)", t_rr),
    ]
    width = max(len(name) for name, _ in rows)
    for name, t in rows:
        print(f"{name:<{width}}  {t:8.3f} s  {n / t:14,.0f} residents/s")
    print("(CPU time of this process, best of the repeats: the machine may be shared)")
    print()
    vs_floor = t_floor / t_sweep
    vs_rd = t_rd / t_sweep
    vs_rr = t_rr / t_sweep
    print(
        f"sweep vs floor:          {vs_floor:6.2f}x  (target >= 0.2x)  "
        f"{'met' if vs_floor >= 0.2 else 'MISSED'}"
    )
    print(f"  (over the plain records, grouping them in the sweep: {t_floor / t_raw:.2f}x)")
    print(f"sweep vs relativedelta:  {vs_rd:6.1f}x")
    print(
        f"sweep vs rrule:          {vs_rr:6.1f}x  (target >= 80x)  "
        f"{'met' if vs_rr >= 80 else 'MISSED'}"
    )
    if args.smoke:
        print("(smoke size: figures are not representative)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
