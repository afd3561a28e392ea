"""What a :class:`~gridgov.routing.Router` compiles when it is built (private to the routing
package): the decision table, each unit's limits under the matrix, the openings of the
reasons.  Everything here runs once per router and returns read-only tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from gridgov.grid import GridGraph, GridUnit
from gridgov.issues import CategoryCatalogue, Channel, Severity
from gridgov.reasons import Ref
from gridgov.routing.matrix import ResponsibilityMatrix
from gridgov.routing.rules import RuleSet
from gridgov.tiers import MAX_TIERS, TierScheme

Limits = Mapping[str, Mapping[str, int]]
"""unit id → category code → the highest severity the unit may handle."""
Climbs = Mapping[str, Mapping[str, tuple[int, ...]]]
"""unit id → category code → the limits of the units of its chain, the unit's own first."""
Table = Mapping[str, Mapping[str, tuple[tuple[int, ...], ...]]]
"""category → channel value → severity (0–4) → the indices of the rules that may fire, in
order.  Keyed by plain strings and indexed by the severity, so a look-up hashes no enum."""


def compile_limits(
    grid: GridGraph, matrix: ResponsibilityMatrix, catalogue: CategoryCatalogue
) -> Limits:
    """Each unit's limits: one table per tier, shared by its units, and one per unit with
    lines of its own (linear in the units, the categories and the matrix's lines)."""
    scheme = grid.scheme
    codes = [c.code for c in catalogue]

    def table(tier: str, unit: str | None) -> Mapping[str, int]:
        return MappingProxyType(
            {
                c: matrix.limit(
                    tier=tier, unit=unit, category=c, catalogue=catalogue, scheme=scheme
                )
                for c in codes
            }
        )

    by_tier = {t: table(t, None) for t in scheme.names}
    overridden = matrix.overridden_units
    limits: dict[str, Mapping[str, int]] = {}
    for u in grid.units:
        limits[u.id] = table(u.tier, u.id) if u.id in overridden else by_tier[u.tier]
    return MappingProxyType(limits)


def compile_climbs(grid: GridGraph, limits: Limits) -> Climbs:
    """Each unit's climb: for each category, the limits of its chain's units in order, so
    that routing walks a tuple of integers.  Units whose chains have the same limit tables
    share one mapping, and equal tuples are stored once (linear in the units and the
    categories)."""
    shared: dict[tuple[int, ...], Mapping[str, tuple[int, ...]]] = {}
    tuples: dict[tuple[int, ...], tuple[int, ...]] = {}
    climbs: dict[str, Mapping[str, tuple[int, ...]]] = {}
    for u in grid.units:
        tables = [limits[a.id] for a in grid.chain(u.id)]
        key = tuple(map(id, tables))  # the tables live as long as *limits*
        found = shared.get(key)
        if found is None:
            found = MappingProxyType(
                {
                    code: tuples.setdefault(row, row)
                    for code in tables[0]
                    for row in [tuple(t[code] for t in tables)]
                }
            )
            shared[key] = found
        climbs[u.id] = found
    return MappingProxyType(climbs)


def compile_places(
    grid: GridGraph, climbs: Climbs
) -> Mapping[str, tuple[tuple[GridUnit, ...], Mapping[str, tuple[int, ...]]]]:
    """Each place's chain and its bottom unit's climb, in one entry shared by the places of
    a unit, so that routing an issue at a place makes one look-up (linear in the places)."""
    entries: dict[str, tuple[tuple[GridUnit, ...], Mapping[str, tuple[int, ...]]]] = {}
    places = {}
    for place, chain in grid.chain_index.items():
        uid = chain[0].id
        entry = entries.get(uid)
        if entry is None:
            entry = entries[uid] = (chain, climbs[uid])
        places[place] = entry
    return MappingProxyType(places)


def compile_table(rules: RuleSet, catalogue: CategoryCatalogue) -> Table:
    """The decision table: for each category, channel and severity, the rules that may fire
    (stopping at the first that depends on nothing else)."""
    table: dict[str, Mapping[str, tuple[tuple[int, ...], ...]]] = {}
    for c in catalogue:
        lineage = frozenset(catalogue.lineage(c.code))
        per_channel: dict[str, tuple[tuple[int, ...], ...]] = {}
        for ch in Channel:
            by_severity: list[tuple[int, ...]] = [()]  # no severity 0
            for sev in Severity:
                candidates: list[int] = []
                for i, rule in enumerate(rules.rules):
                    m = rule.match
                    if m.categories and m.categories.isdisjoint(lineage):
                        continue
                    if not m.min_severity <= sev <= m.max_severity:
                        continue
                    if m.channels and ch not in m.channels:
                        continue
                    candidates.append(i)
                    if m.is_static:
                        break  # nothing after a static match can fire
                by_severity.append(tuple(candidates))
            per_channel[str(ch.value)] = tuple(by_severity)
        table[c.code] = MappingProxyType(per_channel)
    return MappingProxyType(table)


def compile_openings(rules: RuleSet, grid: GridGraph) -> Mapping[tuple[int, str], tuple[str, str]]:
    """The opening of each reason, by (rule index, tier of the unit the rule starts at)."""
    scheme = grid.scheme
    out: dict[tuple[int, str], tuple[str, str]] = {}
    for i, rule in enumerate(rules.rules):
        zh_title = f"规则 {rule.id}" + (f"「{rule.zh}」" if rule.zh else "")
        en_title = f"rule {rule.id} '{rule.name}'"
        for tier in scheme:
            if rule.start_tier is None:
                zh = f"{zh_title}：由所在{tier.zh}办理"
                en = f"{en_title}: handled where it is located, {tier.label.lower()}"
            else:
                zh = f"{zh_title}：从{scheme[rule.start_tier].zh}开始"
                en = f"{en_title}: starts at {scheme[rule.start_tier].label.lower()}"
            out[(i, tier.name)] = (zh, en)
    return MappingProxyType(out)


def compile_partners(
    grid: GridGraph, rules: RuleSet, catalogue: CategoryCatalogue
) -> Mapping[str, Mapping[tuple[int, str], tuple[str, ...]]]:
    """For each unit some partner covers: (rule index, category) → the ids of the partners
    covering it that are of the rule's kinds and serve the category (only non-empty ones).
    Units covered by the same partners share one mapping."""
    linking = [(i, r.link) for i, r in enumerate(rules.rules) if r.link]
    codes = [c.code for c in catalogue]
    shared: dict[tuple[str, ...], Mapping[tuple[int, str], tuple[str, ...]]] = {}
    out: dict[str, Mapping[tuple[int, str], tuple[str, ...]]] = {}
    if not linking:
        return MappingProxyType(out)
    for u in grid.units:
        covering = grid.partners_covering(u.id)
        if not covering:
            continue
        key = tuple(p.id for p in covering)
        found = shared.get(key)
        if found is None:
            table: dict[tuple[int, str], tuple[str, ...]] = {}
            for code in codes:
                serving = [p for p in covering if p.serves(code, catalogue)]
                for i, link in linking:
                    ids = tuple(p.id for p in serving if p.kind in link)
                    if ids:
                        table[(i, code)] = ids
            found = shared[key] = MappingProxyType(table)
        out[u.id] = found
    return MappingProxyType(out)


def compile_refs(
    grid: GridGraph, rules: RuleSet, catalogue: CategoryCatalogue
) -> tuple[Mapping[str, Ref], tuple[Ref, ...], Mapping[str, Ref], Mapping[str, Ref]]:
    """The references a reason names, built (and checked) once: units by id, rules by index,
    partners by id, categories by code."""
    return (
        MappingProxyType({u.id: Ref(kind="unit", id=u.id, name=u.name) for u in grid.units}),
        tuple(Ref(kind="rule", id=r.id, name=r.zh or r.name) for r in rules.rules),
        MappingProxyType({p.id: Ref(kind="partner", id=p.id, name=p.name) for p in grid.partners}),
        MappingProxyType({c.code: Ref(kind="category", id=c.code, name=c.zh) for c in catalogue}),
    )


def compile_starts(rules: RuleSet, scheme: TierScheme) -> tuple[tuple[int, ...], ...]:
    """Per rule, the index in a chain of each length (0 … MAX_TIERS) where the rule starts:
    its start tier's place counted from the top, or the chain's first unit."""
    return tuple(
        tuple(
            0 if r.start_tier is None else max(0, n - 1 - scheme.level(r.start_tier))
            for n in range(MAX_TIERS + 1)
        )
        for r in rules.rules
    )
