"""Benchmark: the visit due sweep over a city, against the fair peers, at three sizes.

The city is the shared, seeded synthetic city of ``benchmarks/fair/city.py`` (20k, 200k and
2M households; ~2.46 residents each, ~13 % of them under the policy).  From it:

* gridgov ``Resident`` files: a birth date giving the resident's age on the city's reference
  day (``REF_DATE``), and conditions from the flags — ALONE → ``living_alone``, DISCHARGED →
  ``recently_discharged``, DISABLED → ``disabled`` (standing, no window);
* a gridgov ``VisitPolicy`` whose rules say exactly what the city's profile mapping
  (``city.visit_frequency``) says: discharged → daily; 80+ and alone → every 3 days;
  disabled, or 80+, or 60+ and alone → weekly; 60+ → monthly (a calendar month after the
  last visit, clipped at the month's end like relativedelta);
* the city's last visits as ``VisitRecord`` values, kept in a ``VisitLog`` (built once, not
  timed: the caller keeps it, as the floor keeps its dict of last visits), and the
  residents with the policy compiled into a ``VisitRoster`` (built once, not timed: the
  caller keeps it, as it keeps its files).

Contenders (``benchmarks/fair/peers.py``), all finding the residents due on ``REF_DATE``:

* ``gridgov``: ``list(due_ids(roster, joined, policy, on=REF_DATE))`` — the contender for the
  targets: the roster joined with the log (``roster.join(log)``, a ``RosterLog``: last visit
  days by roster position, built once, not timed, like the log) and the compact result form,
  a plain ``(resident id, due date)`` tuple per resident due (who, and by when: what the
  floor and the peers return);
* ``gridgov, DueVisit``: ``list(due_visits(roster, log, policy, on=REF_DATE))`` — the
  roster over the log, each resident due a full ``DueVisit`` (window, rule, matched rules,
  reason on demand), for a reader to see what the full items cost; ``gridgov, joined,
  DueVisit`` is the same over the join;
* ``floor+matching``: ``v_floor_with_matching`` — the hand-written floor that also matches
  every resident's profile (ints, one profile test, one dict look-up of the last visit);
* ``relativedelta``: ``v_relativedelta`` — ``last + relativedelta`` per resident under the
  policy, given each one's frequency (it does no matching);
* ``rrule``: ``v_rrule_build`` — an rrule started at the last visit, built per resident
  under the policy, then ``.after(last)`` (no matching either);
* ``int floor``: ``v_int_floor`` — int day numbers and two comparisons per resident under
  the policy, given the frequency (information only: it neither matches nor reads files).

Before timing, every contender's due set is checked against gridgov's (a disagreement stops
the run with an error).  rrule's MONTHLY skips months that lack the day (29–31), unlike a
calendar month clipped at the month's end; its set is compared on the residents whose
semantics agree (all but those on a monthly frequency last visited on the 29th–31st), and the
number left out is printed.  Birthdays fall 60–359 days before the reference day, before
any last visit, so that no resident entered an age band since the last visit (gridgov then
counts the deadline from the birthday, which the peers know nothing about).

Timing: the contenders take turns in each round (same rounds for all), CPU time of this
process, gc on (a ``gc.collect()`` before each timed call), each result kept until the
round ends, nothing warmed: every gridgov call compiles the policy for the day afresh (no
memo survives a call).  Per-item costs are given per resident of the city and per resident
under the policy; ratios are of the medians over the rounds.

Targets (every size): gridgov ≤ 2× floor+matching, ≥ 2× relativedelta, ≥ 8× rrule.

Usage::

    python benchmarks/visits.py                    # 20k, 200k and 2M households
    python benchmarks/visits.py --sizes 20k,200k   # some of them
    python benchmarks/visits.py --smoke            # a tiny city, a few seconds (CI)
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent / "fair"))

import city as C
import peers as P

from _fairbench import rounds_by_name as rounds
from gridgov import CST, Condition, Criteria, Resident
from gridgov.visits import (
    Frequency,
    VisitColour,
    VisitLog,
    VisitPolicy,
    VisitRecord,
    VisitRoster,
    VisitRule,
    due_ids,
    due_visits,
)

SIZES: dict[str, str | dict[str, int]] = {
    "tiny": "tiny",
    "20k": {"C": 2, "G": 10, "M": 10, "H": 100, "communities_per_subdistrict": 10},
    "200k": "medium",
    "2M": "large",
}
FLOOR_TARGET = 2.0  # gridgov's time at most this times floor+matching's
RELATIVEDELTA_TARGET = 2.0  # relativedelta's time at least this times gridgov's
RRULE_TARGET = 8.0  # rrule's time at least this times gridgov's

_KIND = {C.ALONE: "living_alone", C.DISCHARGED: "recently_discharged", C.DISABLED: "disabled"}


def profile_policy() -> VisitPolicy:
    """The city's profile mapping (``city.visit_frequency``) as a gridgov policy."""

    def rule(rid: str, f: Frequency, who: Criteria) -> VisitRule:
        return VisitRule(id=rid, frequency=f, colour=VisitColour.RED, reason=rid, who=who)

    alone = frozenset({"living_alone"})
    return VisitPolicy(
        name="fair-city",
        rules=[
            rule("discharged", Frequency.daily(), Criteria(conditions_all={"recently_discharged"})),
            rule("old_alone", Frequency.every_days(3), Criteria(min_age=80, conditions_all=alone)),
            rule("disabled", Frequency.weekly(), Criteria(conditions_all={"disabled"})),
            rule("old", Frequency.weekly(), Criteria(min_age=80)),
            rule("elder_alone", Frequency.weekly(), Criteria(min_age=60, conditions_all=alone)),
            rule("elder", Frequency.monthly(), Criteria(min_age=60)),
        ],
    )


def residents_of(city: Any) -> list[Resident]:
    """The city's residents as gridgov files: ids ``r<n>``, households ``h<n>``."""
    ref = city.ref_date
    dates: dict[tuple[int, int], dt.date] = {}
    conds: dict[int, tuple[Condition, ...]] = {}
    for flags in range(8):
        conds[flags] = tuple(Condition(kind=k) for bit, k in _KIND.items() if flags & bit)
    out: list[Resident] = []
    ap = out.append
    hh_of, ages, flags_of = city.res_hh, city.res_age, city.res_flags
    households: dict[int, str] = {}
    for rid in range(city.n_residents):
        age = ages[rid]
        off = 60 + (rid * 7919) % 300  # the last birthday, 60-359 days ago
        born = dates.get((age, off))
        if born is None:
            born = dates[(age, off)] = ref.replace(year=ref.year - age) - dt.timedelta(days=off)
        hh = hh_of[rid]
        h = households.get(hh)
        if h is None:
            h = households[hh] = f"h{hh}"
        ap(
            Resident(
                id=f"r{rid}", name="居民", household=h, birth_date=born,
                conditions=conds[flags_of[rid]],
            )
        )
    return out


def records_of(city: Any) -> list[VisitRecord]:
    """The city's last visits as visit records (09:00 in Beijing on the day)."""
    fo = dt.date.fromordinal
    out = []
    for i, (rid, last) in enumerate(zip(city.vuln_rid, city.vuln_last, strict=True)):
        d = fo(last)
        at = dt.datetime(d.year, d.month, d.day, 9, tzinfo=CST)
        out.append(VisitRecord(id=f"v{i}", resident=f"r{rid}", member="m", at=at))
    return out


def check(city: Any, got: list[Any], answers: dict[str, list[int]], recs_date: list[Any]) -> int:
    """Stop with an error unless every contender's due set is gridgov's (*got*: its
    ``(resident id, due date)`` items); return how many residents rrule's comparison leaves
    out."""
    mine = sorted(int(rid[1:]) for rid, _ in got)
    for name, ids in answers.items():
        if name == "rrule":
            continue
        if sorted(ids) != mine:
            sys.exit(f"visits: {name} finds {len(ids):,} residents due, gridgov {len(mine):,}")
    # rrule: compare where its MONTHLY agrees with a clipped calendar month
    differ = {rid for rid, f, last in recs_date if f == C.F_MONTHLY and last.day > 28}
    a = sorted(r for r in answers["rrule"] if r not in differ)
    b = [r for r in mine if r not in differ]
    if a != b:
        sys.exit(f"visits: rrule finds {len(a):,} residents due (where it agrees), gridgov {len(b):,}")
    return len(differ)




def run_size(label: str, n_rounds: int, log: Callable[[str], None]) -> dict[str, Any]:
    t0 = time.perf_counter()
    city = C.generate(SIZES[label])
    residents = residents_of(city)
    records = records_of(city)
    policy = profile_policy()
    log_ = VisitLog(records=records)
    roster = VisitRoster(residents=residents, policy=policy)
    t1 = time.perf_counter()
    joined = roster.join(log_)
    t_join = time.perf_counter() - t1
    cols, recs_date, recs_dt = P.visit_inputs(city)
    last_of = dict(zip(city.vuln_rid, city.vuln_last, strict=True))
    today = city.ref_date
    today_ord = today.toordinal()
    today_dt = dt.datetime(today.year, today.month, today.day)
    n_all, n_under = city.n_residents, len(city.vuln_rid)
    log(
        f"\n== {label}: {city.n_households:,} households, {n_all:,} residents, {n_under:,} "
        f"under the policy; {len(records):,} visit records (built in "
        f"{time.perf_counter() - t0:.0f} s, not timed; roster.join(log) {t_join:.2f} s)"
    )

    def gridgov() -> list[Any]:
        return list(due_ids(roster, joined, policy, on=today))

    def full() -> list[Any]:
        return list(due_visits(roster, log_, policy, on=today))

    def joined_full() -> list[Any]:
        return list(due_visits(roster, joined, policy, on=today))

    def unroster() -> list[Any]:
        return list(due_visits(residents, log_, policy, on=today))

    def pair(x: tuple[list[int], list[int]]) -> list[int]:
        return x[0] + x[1]

    cases: list[tuple[str, Callable[[], Any]]] = [
        ("gridgov", gridgov),
        ("floor+matching", lambda: P.v_floor_with_matching(city, last_of, today_ord)),
        ("relativedelta", lambda: P.v_relativedelta(recs_date, today)),
        ("rrule", lambda: P.v_rrule_build(recs_dt, today_dt)),
        ("int floor", lambda: P.v_int_floor(cols, today_ord)),
        ("gridgov, DueVisit", full),
        ("gridgov, joined, DueVisit", joined_full),
        ("gridgov, files only", unroster),
    ]
    got = gridgov()
    answers = {name: pair(fn()) for name, fn in cases[1:5]}
    for name, fn in cases[5:]:
        items = [(d.resident, d.due) for d in fn()]
        if items != got:
            sys.exit(f"visits: {name} gives other items than due_ids over the join")
        answers[name] = [int(rid[1:]) for rid, _ in items]
    left_out = check(city, got, answers, recs_date)
    log(
        f"   all contenders find the same {len(got):,} residents due (rrule compared on all "
        f"but {left_out:,} monthly residents last visited on a 29th-31st)"
    )
    times = rounds(cases, n_rounds)
    med = {name: statistics.median(ts) for name, ts in times.items()}
    g = med["gridgov"]
    log(f"   {'contender':<27}{'median s':>10}{'ns/resident':>13}{'ns/under':>11}{'vs gridgov':>12}")
    for name, t in med.items():
        lo, hi = min(times[name]), max(times[name])
        log(
            f"   {name:<27}{t:>10.3f}{1e9 * t / n_all:>13.0f}{1e9 * t / n_under:>11.0f}"
            f"{t / g:>11.2f}x   (rounds {lo:.3f}-{hi:.3f} s)"
        )
    ratios = {
        "floor": g / med["floor+matching"],
        "relativedelta": med["relativedelta"] / g,
        "rrule": med["rrule"] / g,
    }
    d = med["gridgov, DueVisit"]
    log(
        f"   gridgov, DueVisit (roster over the log): / floor+matching = "
        f"{d / med['floor+matching']:.2f}x; relativedelta / it = "
        f"{med['relativedelta'] / d:.2f}x; rrule / it = {med['rrule'] / d:.1f}x"
    )
    met = {
        "floor": ratios["floor"] <= FLOOR_TARGET,
        "relativedelta": ratios["relativedelta"] >= RELATIVEDELTA_TARGET,
        "rrule": ratios["rrule"] >= RRULE_TARGET,
    }
    log(
        f"   gridgov / floor+matching = {ratios['floor']:.2f}x (target <= {FLOOR_TARGET}x) "
        f"{'met' if met['floor'] else 'MISSED'}; relativedelta / gridgov = "
        f"{ratios['relativedelta']:.2f}x (>= {RELATIVEDELTA_TARGET}x) "
        f"{'met' if met['relativedelta'] else 'MISSED'}; rrule / gridgov = "
        f"{ratios['rrule']:.1f}x (>= {RRULE_TARGET}x) {'met' if met['rrule'] else 'MISSED'}"
    )
    return {"ratios": ratios, "met": met}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny city, for CI (exits 0)")
    parser.add_argument("--sizes", default="20k,200k,2M", help="comma-separated: 20k,200k,2M")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    sizes = ["tiny"] if args.smoke else args.sizes.split(",")
    for s in sizes:
        if s not in SIZES:
            parser.error(f"unknown size {s!r} (choose from {', '.join(SIZES)})")
    n_rounds = 2 if args.smoke else args.rounds
    print(f"gc enabled: {gc.isenabled()}; {n_rounds} rounds; CPU time (time.process_time)")
    missed = []
    for s in sizes:
        res = run_size(s, n_rounds, print)
        missed += [f"{s}: {k}" for k, ok in res["met"].items() if not ok]
    if args.smoke:
        print("(smoke size: figures are not representative)")
        return 0
    if missed:
        print("MISSED: " + "; ".join(missed))
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
