"""What a :class:`~gridgov.routing.Router` compiles when it is built (private to the routing
package): the decision table, each unit's limits under the matrix, the openings of the
reasons.  Everything here runs once per router and returns read-only tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from gridgov.grid import GridGraph
from gridgov.issues import CategoryCatalogue, Channel, Severity
from gridgov.routing.matrix import ResponsibilityMatrix
from gridgov.routing.rules import RuleSet

Limits = Mapping[str, Mapping[str, int]]
"""unit id → category code → the highest severity the unit may handle."""
Table = Mapping[tuple[str, int, Channel], tuple[int, ...]]
"""(category, severity, channel) → the indices of the rules that may fire, in order."""


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


def compile_table(rules: RuleSet, catalogue: CategoryCatalogue) -> Table:
    """The decision table: for each category, severity and channel, the rules that may fire
    (stopping at the first that depends on nothing else)."""
    table: dict[tuple[str, int, Channel], tuple[int, ...]] = {}
    for c in catalogue:
        lineage = frozenset(catalogue.lineage(c.code))
        for sev in Severity:
            for ch in Channel:
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
                table[(c.code, int(sev), ch)] = tuple(candidates)
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
