"""Property tests for the opinion library (意见库) and its hotspots: libraries of parts combine
(associatively) into the library of the whole; every rolled-up unit counts the sum of its
children, every broad category its own demands and those of its refinements; the demands
add up; hotspot counts recomputed by brute force from the facts."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridgov import CST, Channel, GridGraph, GridUnit, Satisfaction, Severity
from gridgov.cases import CaseStatus
from gridgov.metrics import CaseFacts, Grain, HotspotKind, hotspots, opinion_library

T0 = datetime(2026, 9, 1, tzinfo=CST)
# community c > grids g1, g2 > micro-grids; the chain each case was filed along
PARENT = {"m1": "g1", "m2": "g1", "m3": "g2", "m4": "g2", "g1": "c", "g2": "c"}
CHILDREN = {"c": ("g1", "g2"), "g1": ("m1", "m2"), "g2": ("m3", "m4")}
LINEAGE = {
    "environment": ("environment",),
    "volunteer_service": ("volunteer_service",),
    "appliance_repair": ("appliance_repair", "volunteer_service"),
    "housekeeping": ("housekeeping", "volunteer_service"),
}
REFINE = {"volunteer_service": ("appliance_repair", "housekeeping")}
COUNTS = (
    "demands",
    "direct",
    "duplicates",
    "resolved",
    "open",
    "rejected",
    "evaluated",
    "satisfied",
)
STATUSES = [CaseStatus.CLOSED, CaseStatus.EVALUATED, CaseStatus.DISPATCHED, CaseStatus.REJECTED]


@st.composite
def fact_lists(draw: st.DrawFn) -> list[CaseFacts]:
    n = draw(st.integers(0, 30))
    out: list[CaseFacts] = []
    for k in range(n):
        mg = draw(st.sampled_from(["m1", "m2", "m3", "m4"]))
        category = draw(st.sampled_from(sorted(LINEAGE)))
        status = draw(st.sampled_from(STATUSES))
        # whole days apart often, so that windows' edges are met exactly
        at = T0 + timedelta(days=draw(st.integers(0, 120)), hours=draw(st.sampled_from([0, 0, 12])))
        # a duplicate of an earlier case (merged into it), now and then
        into = draw(st.one_of(st.none(), st.integers(0, k - 1))) if k else None
        closed = status in (CaseStatus.CLOSED, CaseStatus.EVALUATED) and into is None
        out.append(
            CaseFacts(
                case=f"c{k}",
                issue=f"i{k}",
                category=category,
                categories=LINEAGE[category],
                severity=Severity.ROUTINE,
                channel=draw(st.sampled_from(list(Channel))),
                place=f"{mg}-h{draw(st.integers(1, 2))}",
                located=True,
                grid_version="v1",
                chain=(mg, PARENT[mg], "c"),
                micro_grid=mg,
                filed_unit=mg,
                owner=mg,
                closing_unit=mg if closed else None,
                status=CaseStatus.MERGED if into is not None else status,
                reported_at=at,
                opened_at=at,
                closed_at=at + timedelta(days=1) if closed else None,
                satisfaction=draw(st.one_of(st.none(), st.sampled_from(list(Satisfaction))))
                if closed
                else None,
                merged_into=None if into is None else f"c{into}",
            )
        )
    # each kept case counts the duplicates merged into it
    merged = Counter(f.merged_into for f in out if f.merged_into is not None)
    return [attrs.evolve(f, duplicates=merged[f.case]) for f in out]


def _handler(f: CaseFacts, index: dict[str, CaseFacts]) -> CaseFacts:
    while f.merged_into is not None:
        f = index[f.merged_into]
    return f


@given(fact_lists(), st.integers(0, 30), st.integers(0, 30))
def test_parts_combine_into_the_whole_associatively(facts, i, j):
    # parts keep each case with the duplicates merged into it (split by the root case)
    index = {f.case: f for f in facts}
    roots = sorted({_handler(f, index).case for f in facts}, key=lambda c: int(c[1:]))
    cut1, cut2 = sorted((min(i, len(roots)), min(j, len(roots))))
    part_of = {r: 0 if n < cut1 else 1 if n < cut2 else 2 for n, r in enumerate(roots)}
    parts = [[f for f in facts if part_of[_handler(f, index).case] == p] for p in range(3)]
    a, b, c = (opinion_library(p) for p in parts)
    whole = opinion_library(facts)
    assert a.combine(b).combine(c) == a.combine(b.combine(c)) == whole
    assert c.combine(a).combine(b) == whole


@given(fact_lists())
def test_units_and_categories_add_up(facts):
    lib = opinion_library(facts, by=Grain.QUARTER)
    units = {c.unit for c in lib.cells}
    for period in lib.periods:
        for parent, kids in CHILDREN.items():
            for category in (None, *LINEAGE):
                whole = lib.cell(parent, category, period)
                parts = [lib.cell(k, category, period) for k in kids]
                for name in COUNTS:
                    assert getattr(whole, name) == sum(getattr(p, name) for p in parts)
                for channel in Channel:
                    assert whole.by_channel(channel) == sum(p.by_channel(channel) for p in parts)
        for unit in units:
            for broad, narrow in REFINE.items():
                cell = lib.cell(unit, broad, period)
                refined = sum(lib.cell(unit, n, period).demands for n in narrow)
                assert cell.demands == cell.direct + refined
            total = lib.cell(unit, None, period)
            assert total.demands == sum(d for _, d in lib.top(unit, 100, period))
            assert total.demands == total.resolved + total.open + total.rejected
    # every fact is one demand, at the community, whatever its status
    assert lib.cell("c").demands == len(facts)
    index = {f.case: f for f in facts}
    resolved = sum(1 for f in facts if _handler(f, index).closed_at is not None)
    assert lib.cell("c").resolved == resolved
    assert lib.cell("c").duplicates == sum(1 for f in facts if f.merged_into is not None)
    assert lib.cell("c").evaluated == sum(1 for f in facts if f.satisfaction is not None)


@given(fact_lists(), st.integers(1, 4), st.sampled_from([1, 2, 3, 7, 14, 30]))
def test_repeated_hotspots_by_brute_force(facts, repeats, days):
    found = hotspots(opinion_library(facts), repeats=repeats, window_days=days)
    got = {(h.place, h.category): h.count for h in found.of(HotspotKind.REPEATED)}
    by_key: dict[tuple[str, str], list[datetime]] = {}
    for f in facts:
        assert f.place is not None
        by_key.setdefault((f.place, f.category), []).append(f.reported_at)
    want = {}
    for key, ats in by_key.items():
        best = max(sum(1 for u in ats if t <= u < t + timedelta(days=days)) for t in ats)
        if best >= repeats:
            want[key] = best
    assert got == want
    strengths = [h.strength for h in found]
    assert strengths == sorted(strengths, reverse=True)
    assert all(s >= 1.0 for s in strengths)


@given(fact_lists(), st.integers(1, 5), st.sampled_from([0.0, 0.5, 1.0]))
def test_rising_hotspots_by_brute_force(facts, min_count, min_growth):
    lib = opinion_library(facts)
    found = hotspots(lib, repeats=10**6, rising_min_count=min_count, rising_min_growth=min_growth)
    got = {(h.unit, h.category, h.period.label): (h.count, h.baseline) for h in found}
    months = sorted(
        {(f.reported_at.astimezone(CST).year, f.reported_at.astimezone(CST).month) for f in facts}
    )
    counts: Counter[tuple[str, str, tuple[int, int]]] = Counter()
    for f in facts:
        local = f.reported_at.astimezone(CST)
        for unit in f.chain:
            for category in f.categories:
                counts[(unit, category, (local.year, local.month))] += 1
    want = {}
    for (unit, category, (y, m)), now in counts.items():
        before_month = (y, m - 1) if m > 1 else (y - 1, 12)
        if (y, m) == months[0] or now < min_count:
            continue
        before = counts[(unit, category, before_month)]
        if before and now / before < 1 + min_growth:
            continue
        want[(unit, category, f"{y}-{m:02d}")] = (now, float(before))
    assert got == want


@given(
    fact_lists(),
    st.lists(st.integers(1, 6), min_size=4, max_size=4),
    st.sampled_from([1.0, 1.5, 2.0]),
    st.integers(1, 3),
)
def test_dense_hotspots_by_brute_force(facts, homes, factor, min_demands):
    units = [GridUnit(id="c", name="社区", tier="community")]
    units += [GridUnit(id=g, name=f"网格{g}", tier="grid", parent="c") for g in ("g1", "g2")]
    units += [
        GridUnit(id=m, name=f"微网格{m}", tier="micro_grid", parent=PARENT[m])
        for m in ("m1", "m2", "m3", "m4")
    ]
    per_mg = dict(zip(("m1", "m2", "m3", "m4"), homes, strict=True))
    places = {f"{m}-h{k}": m for m, n in per_mg.items() for k in range(1, n + 1)}
    grid = GridGraph(version="v1", units=units, places=places)
    lib = opinion_library(facts)
    found = hotspots(
        lib,
        grid=grid,
        repeats=10**6,
        rising_min_count=10**6,
        dense_factor=factor,
        dense_min_demands=min_demands,
    )
    got = {(h.unit, h.period.label): (h.count, h.ratio) for h in found}
    households = {**per_mg, "g1": homes[0] + homes[1], "g2": homes[2] + homes[3]}
    demand: Counter[tuple[str, str]] = Counter()
    for f in facts:
        local = f.reported_at.astimezone(CST)
        for unit in f.chain:
            demand[(unit, f"{local.year}-{local.month:02d}")] += 1
    want = {}
    for label in {p.label for p in lib.periods}:
        for kids in CHILDREN.values():
            rates = sorted(demand[(k, label)] / households[k] for k in kids)
            median = (rates[0] + rates[1]) / 2  # two siblings each
            for k in kids:
                n = demand[(k, label)]
                if median > 0 and n >= min_demands and n / households[k] >= factor * median:
                    want[(k, label)] = (n, n / households[k] / median)
    assert got.keys() == want.keys()
    for key, (n, ratio) in got.items():
        assert n == want[key][0]
        assert ratio == pytest.approx(want[key][1])
