"""The router: rules and a responsibility matrix compiled against one grid, and its results.

:meth:`Router.route` gives a full, explained :class:`~gridgov.routing.results.Assignment` — the chain the issue was
routed along, the responsible unit, its leader, the partners linked (联动), the deadlines the
rule sets and a :class:`~gridgov.reasons.Reason`; :meth:`Router.route_many` streams compact
:class:`~gridgov.routing.results.Routed` results for batch use.  Both make the same decision in the same code: ``route``
adds the enrichment.

If the tier a rule starts at may not handle the issue under the matrix, the issue goes at
once to the nearest unit above that may, and the reason says so.  The top tier may handle
every category at every severity (兜底), so routing is total.

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST, DEFAULT_MATRIX, DEFAULT_RULES, Channel, Issue, Reporter
    >>> from gridgov.demo import sample_grid
    >>> router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    >>> a = router.route(Issue(id="i-1", category="facility_repair", severity=1,
    ...                        channel=Channel.GROUP_CHAT, place="h-1001",
    ...                        reporter=Reporter.resident("r-9"),
    ...                        reported_at=datetime(2026, 11, 26, 9, 0, tzinfo=CST)))
    >>> a.unit, a.rule, a.partners, a.resolve_by.basis, a.resolve_by.source
    ('mg31', 'facility', ('p-wuye',), 'working', 'rule:facility')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, tzinfo
from itertools import repeat
from types import MappingProxyType
from typing import Any

import attrs

import gridgov._validators as v
from gridgov._fast import trusted_constructor
from gridgov._pickling import reduce_fields
from gridgov.calendar import DeadlinePlan, DeadlinePlanner, WorkCalendar
from gridgov.criteria import Criteria
from gridgov.errors import InvalidValueError, PolicyError, UnknownPlaceError, UnknownUnitError
from gridgov.grid import GridGraph, GridUnit
from gridgov.issues import DEFAULT_CATALOGUE, CategoryCatalogue, Issue
from gridgov.people import PartnerKind, Resident, ResidentFiles
from gridgov.reasons import Reason, Ref
from gridgov.routing._compile import (
    Climbs,
    Table,
    compile_climbs,
    compile_limits,
    compile_openings,
    compile_partners,
    compile_places,
    compile_refs,
    compile_starts,
    compile_table,
)
from gridgov.routing.matrix import ResponsibilityMatrix
from gridgov.routing.results import Assignment
from gridgov.routing.rules import RuleSet

__all__ = ["Router"]


# --------------------------------------------------------------------------- results

# The fields Router.route stores (with a planner, also the deadlines it computed): the rest
# are derived when read.
_STORED = ("issue", "rule", "chain", "position", "start", "_router", "_routed", "_index")
_new_assignment = trusted_constructor(Assignment, _STORED)
_new_planned = trusted_constructor(Assignment, (*_STORED, "accept_by", "resolve_by"))
_new_full = trusted_constructor(
    Assignment, tuple(f.name for f in attrs.fields(Assignment) if f.init) + _STORED[-3:]
)
# The slots of the deadlines (reading them raises AttributeError when they are unset).
_ACCEPT_BY, _RESOLVE_BY = vars(Assignment)["accept_by"], vars(Assignment)["resolve_by"]
_new_reason = trusted_constructor(Reason)


# --------------------------------------------------------------------------- the router


@attrs.frozen(kw_only=True, repr=False)
class Router:
    """Rules and a responsibility matrix compiled against one grid and one catalogue.

    Building a router checks the rules and the matrix against the grid's scheme, the grid's
    units and the catalogue, and compiles, once, everything routing reads: a decision table
    (category × severity × channel → candidate rules), each unit's limits under the matrix,
    the deadlines each rule sets, the openings of the reasons.  Routing one issue is then a
    few look-ups and a walk of at most the grid's depth.  The router keeps no residents'
    files and nothing that changes as it is used: files, and a
    :class:`~gridgov.calendar.DeadlinePlanner` for batch work, are given per call.

    Args:
        grid: the grid to route on.
        rules: the rule set.
        matrix: the responsibility matrix (权责清单).
        calendar: the working calendar for working-time deadlines (default Monday to Friday
            office hours in China Standard Time, no holidays).
        catalogue: the category catalogue in use (the one home of the category hierarchy).
        unlocated_at: the unit unlocated issues (待定位) are routed from; by default the
            grid's only top-tier unit.

    Raises:
        PolicyError: naming the rule or matrix line that refers to an unknown tier, unit or
            category, or if the top tier could not handle some category at every severity.

    Example:
        >>> from gridgov import DEFAULT_MATRIX, RoutingRule
        >>> from gridgov.demo import sample_grid
        >>> bad = RuleSet(name="x", rules=[RoutingRule(id="R1", name="n", start_tier="street")])
        >>> Router(grid=sample_grid(), rules=bad, matrix=DEFAULT_MATRIX)
        Traceback (most recent call last):
        ...
        gridgov.errors.PolicyError: 'start_tier' of rule 'R1' must be one of ['community', 'grid', 'micro_grid'] (got 'street').
    """

    grid: GridGraph = attrs.field(validator=v.is_a(GridGraph))
    rules: RuleSet = attrs.field(validator=v.is_a(RuleSet))
    matrix: ResponsibilityMatrix = attrs.field(validator=v.is_a(ResponsibilityMatrix))
    calendar: WorkCalendar = attrs.field(factory=WorkCalendar, validator=v.is_a(WorkCalendar))
    catalogue: CategoryCatalogue = attrs.field(
        default=DEFAULT_CATALOGUE, validator=v.is_a(CategoryCatalogue)
    )
    unlocated_at: str | None = attrs.field(default=None, validator=v.optional(v.ident))

    _table: Table = attrs.field(init=False, eq=False, hash=False)
    _climbs: Climbs = attrs.field(init=False, eq=False, hash=False)
    # Per rule: the index in a chain of each length (0 … MAX_TIERS) where the rule starts.
    _starts: tuple[tuple[int, ...], ...] = attrs.field(init=False, eq=False, hash=False)
    _openings: Mapping[tuple[int, str], tuple[str, str]] = attrs.field(
        init=False, eq=False, hash=False
    )
    _plans: tuple[DeadlinePlan, ...] = attrs.field(init=False, eq=False, hash=False)
    # Per rule: its criteria on the resident's file (None when empty) and its predicate.
    _checks: tuple[tuple[Criteria | None, Callable[[Issue], bool] | None], ...] = attrs.field(
        init=False, eq=False, hash=False
    )
    _leaders: Mapping[str, tuple[str, str]] = attrs.field(init=False, eq=False, hash=False)
    _unit_refs: Mapping[str, Ref] = attrs.field(init=False, eq=False, hash=False)
    _rule_refs: tuple[Ref, ...] = attrs.field(init=False, eq=False, hash=False)
    _unlocated: tuple[GridUnit, ...] | None = attrs.field(init=False, eq=False, hash=False)
    # place id → (its chain, its bottom unit's climb), one entry per bottom unit.
    _places: Mapping[str, tuple[tuple[GridUnit, ...], Mapping[str, tuple[int, ...]]]] = (
        attrs.field(init=False, eq=False, hash=False)
    )
    _links: tuple[frozenset[PartnerKind], ...] = attrs.field(init=False, eq=False, hash=False)
    _linked: Mapping[str, Mapping[tuple[int, str], tuple[str, ...]]] = attrs.field(
        init=False, eq=False, hash=False
    )
    _partner_refs: Mapping[str, Ref] = attrs.field(init=False, eq=False, hash=False)
    _category_refs: Mapping[str, Ref] = attrs.field(init=False, eq=False, hash=False)
    _rule_ids: tuple[str, ...] = attrs.field(init=False, eq=False, hash=False)
    # Per rule: the last year (of a report's own clock) whose reports' deadlines surely fall
    # within the years gridgov accepts (deadlines never move earlier as the start moves
    # later); an issue reported later has its deadlines computed when routed, so that route
    # refuses what it cannot date instead of a reading failing later.
    _safe_until: tuple[int, ...] = attrs.field(init=False, eq=False, hash=False)
    _version: str = attrs.field(init=False, eq=False, hash=False)
    _decide: Callable[[Issue, Mapping[str, Resident], bool], tuple[Any, ...]] = attrs.field(
        init=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        grid, scheme, catalogue = self.grid, self.grid.scheme, self.catalogue
        for rule in self.rules.rules:
            if rule.start_tier is not None and rule.start_tier not in scheme:
                raise PolicyError(
                    f"'start_tier' of rule {rule.id!r} must be one of {list(scheme.names)} "
                    f"(got {v.show(rule.start_tier)})."
                )
            for code in sorted(rule.match.categories):
                if code not in catalogue:
                    raise PolicyError(
                        f"'categories' of rule {rule.id!r} must be codes of catalogue "
                        f"{catalogue.name!r} (got {v.show(code)})."
                    )
        self.matrix.check(grid, catalogue)
        unlocated: tuple[GridUnit, ...] | None = None
        if self.unlocated_at is not None:
            if self.unlocated_at not in grid:
                raise PolicyError(
                    f"'unlocated_at' of Router must be a unit of grid version "
                    f"{grid.version!r} (got {v.show(self.unlocated_at)})."
                )
            unlocated = grid.chain(self.unlocated_at)
        elif len(grid.roots) == 1:
            unlocated = (grid.roots[0],)
        set_ = object.__setattr__
        set_(self, "_unlocated", unlocated)
        set_(self, "_links", tuple(r.link for r in self.rules.rules))
        set_(self, "_version", grid.version)
        set_(self, "_climbs", compile_climbs(grid, compile_limits(grid, self.matrix, catalogue)))
        set_(self, "_places", compile_places(grid, self._climbs))
        set_(self, "_table", compile_table(self.rules, catalogue))
        set_(self, "_rule_ids", tuple(r.id for r in self.rules.rules))
        set_(self, "_linked", compile_partners(grid, self.rules, catalogue))
        set_(self, "_openings", compile_openings(self.rules, grid))
        set_(
            self,
            "_plans",
            tuple(
                DeadlinePlan(
                    [r.accept_within, r.resolve_within], self.calendar, source=f"rule:{r.id}"
                )
                for r in self.rules.rules
            ),
        )
        set_(
            self,
            "_checks",
            tuple(
                (None if r.match.who.is_empty else r.match.who, r.match.predicate)
                for r in self.rules.rules
            ),
        )
        set_(self, "_starts", compile_starts(self.rules, scheme))
        set_(self, "_safe_until", tuple(_safe_until(plan) for plan in self._plans))
        set_(self, "_decide", self._decider())
        set_(
            self,
            "_leaders",
            MappingProxyType(
                {u.id: (m.id, m.name) for u in grid.units if (m := grid.leader(u.id)) is not None}
            ),
        )
        names = ("_unit_refs", "_rule_refs", "_partner_refs", "_category_refs")
        for name, value in zip(names, compile_refs(grid, self.rules, catalogue), strict=True):
            set_(self, name, value)

    def __reduce__(self) -> tuple[Any, ...]:
        """A router pickles as what it was built from and compiles again when loaded: its
        tables (a closure among them) are never shipped."""
        return reduce_fields(self)

    def __repr__(self) -> str:
        return (
            f"Router(grid={self.grid.version!r}, rules={self.rules.name!r}, "
            f"matrix={self.matrix.name!r}, catalogue={self.catalogue.name!r})"
        )

    # ----------------------------------------------------------------------- the matrix

    def limit(self, unit: str | GridUnit, category: str) -> int:
        """The highest severity *unit* may handle for *category* under the router's matrix and
        catalogue (0: none): the one answer to "may this unit handle this?".

        A :class:`~gridgov.grid.GridUnit` of another version of the grid (a case filed before
        the boundaries were redrawn) is judged by its own lines in the matrix, and its tier's.

        Raises:
            UnknownUnitError: for a unit id not in the router's grid.
            PolicyError: for a category not in the catalogue.

        Example:
            >>> from gridgov import DEFAULT_MATRIX, DEFAULT_RULES
            >>> from gridgov.demo import sample_grid
            >>> router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
            >>> router.limit("mg31", "safety_hazard"), router.limit("yx", "public_order")
            (1, 4)
        """
        if isinstance(unit, GridUnit):
            current = self.grid.unit(unit.id) if unit.id in self.grid else None
            if current is not None and current.tier == unit.tier:
                unit = unit.id  # the same unit, whatever else a redrawing changed
            else:
                return self.matrix.limit(
                    tier=unit.tier,
                    unit=unit.id,
                    category=category,
                    catalogue=self.catalogue,
                    scheme=self.grid.scheme,
                )
        table = self._climbs.get(unit) if isinstance(unit, str) else None
        if table is None:
            raise UnknownUnitError(
                f"unit {v.show(unit)} is not in grid version {self.grid.version!r}."
            )
        try:
            return table[category][0]
        except (KeyError, TypeError):
            self.catalogue.check(category)
            raise

    # ----------------------------------------------------------------------- routing

    def _decider(self) -> Callable[[Issue, Mapping[str, Resident], bool], tuple[Any, ...]]:
        """The one decision, compiled once per router: for an issue, (the index of the rule
        that fires, the chain, the index where the rule starts, the index of the first unit
        from there up that may handle the issue) — or, *compact*, the plain tuple
        :meth:`route_many` yields.  A closure over the compiled tables, so that a batch pays
        only a call per issue and :meth:`route` no generator."""
        table, places, climbs, starts = self._table, self._places, self._climbs, self._starts
        ids, catalogue, grid, router = self._rule_ids, self.catalogue, self.grid, self

        def decide(issue: Issue, files: Mapping[str, Resident], compact: bool) -> tuple[Any, ...]:
            if issue.__class__ is not Issue and not isinstance(issue, Issue):
                raise v.refuse("issue", None, "an Issue", issue)
            category = issue.category
            severity = issue.severity
            try:
                candidates = table[category][issue.channel._value_][severity]
            except KeyError:
                catalogue.check(category)  # raises: not a code of the catalogue
                raise  # pragma: no cover - every channel and severity is in the table
            index = candidates[0]
            if len(candidates) > 1:
                index = router._rule_index(issue, candidates, files)
            place = issue.place
            if place is not None:
                try:
                    chain, climb = places[place]
                except KeyError:
                    raise UnknownPlaceError(
                        f"place {v.show(place)} is not in grid version {grid.version!r}."
                    ) from None
            else:
                if issue.unit is not None:
                    chain = grid.chain(issue.unit)
                else:
                    chain = router._unlocated_chain()
                climb = climbs[chain[0].id]
            at = start = starts[index][len(chain)]
            limits = climb[category]
            while limits[at] < severity:
                at += 1
            if compact:
                return issue.id, chain[at].id, ids[index], at != start
            return index, chain, start, at

        return decide

    def _unlocated_chain(self) -> tuple[GridUnit, ...]:
        if self._unlocated is None:
            raise PolicyError(
                f"grid version {self.grid.version!r} has {len(self.grid.roots)} top-tier "
                "units, so the router does not know where to put an unlocated issue (待定位); "
                "build it with unlocated_at=<unit id>."
            )
        return self._unlocated

    def _rule_index(
        self, issue: Issue, candidates: tuple[int, ...], files: Mapping[str, Resident]
    ) -> int:
        checks = self._checks
        for i in candidates:
            who, predicate = checks[i]
            if who is not None:
                resident = None if issue.resident is None else files.get(issue.resident)
                # Nothing recorded, nothing matched: no conditions, no age, no tags.
                if resident is None or not who.matches(resident, on=self._day(issue)):
                    continue
            if predicate is not None and not predicate(issue):
                continue
            return i
        raise AssertionError("the default rule matches every issue")  # pragma: no cover

    def _day(self, issue: Issue) -> date:
        """The local day of the report, in the calendar's timezone, however it was written."""
        tz: tzinfo = self.calendar.tz
        return issue.reported_at.astimezone(tz).date()

    def route(
        self,
        issue: Issue,
        *,
        residents: ResidentFiles | Mapping[str, Resident] | None = None,
        planner: DeadlinePlanner | None = None,
    ) -> Assignment:
        """Route one issue: the responsible unit, deadlines, partners, and the reason.

        Args:
            issue: the issue.
            residents: personal files by resident id, for rules whose match reads the file
                (a :class:`~gridgov.people.ResidentFiles` built once, or a mapping, checked
                at each call).  A resident without a file matches no such rule.
            planner: a cache for working-time deadlines on the router's calendar, for batch
                work (:class:`~gridgov.calendar.DeadlinePlanner`).

        Raises:
            UnknownPlaceError: if the issue's place is not in the grid.
            UnknownUnitError: if the issue's unit is not in the grid.
            PolicyError: if its category is not in the catalogue, or it is unlocated and the
                router has no unit for unlocated issues.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST, DEFAULT_MATRIX, DEFAULT_RULES, Channel, Issue, Reporter
            >>> from gridgov.demo import sample_grid
            >>> router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
            >>> a = router.route(Issue(id="i-2", category="safety_hazard", severity=3,
            ...     channel=Channel.HOTLINE, place="h-1001", reporter=Reporter.resident("r-1"),
            ...     reported_at=datetime(2026, 11, 26, 9, 0, tzinfo=CST)))
            >>> a.unit, a.leader_name, [u.id for u in a.chain], a.start, a.position
            ('yx', '高书记', ['mg31', 'g3', 'yx'], 1, 2)
            >>> print(a.reason)
            规则 hazard「紧急安全隐患到网格」：从网格开始（第三网格）；权责清单：第三网格 不可处理 安全隐患（紧急），上移至 亚新社区；联动 美好人家物业。
            rule hazard 'urgent safety hazards start at the grid': starts at grid (第三网格); responsibility matrix: 第三网格 may not handle safety hazard at urgent, moved up to 亚新社区; linked 美好人家物业.
        """
        files = _NO_FILES if residents is None else ResidentFiles.of(residents)
        # Unpacked to the end: a generator left suspended would be closed by an exception.
        index, chain, start, at = self._decide(issue, files, False)
        # The fields in the constructors' orders, all valid by construction; the others (with
        # a planner, all but the deadlines) derived when read (Assignment.__getattr__).
        if planner is None and issue.reported_at.year <= self._safe_until[index]:
            return _new_assignment(
                issue.id, self._rule_ids[index], chain, at, start, self, issue, index
            )
        accept_by, resolve_by = self._plans[index].deadlines(issue.reported_at, planner)
        return _new_planned(
            issue.id, self._rule_ids[index], chain, at, start, self, issue, index, accept_by,
            resolve_by,
        )  # fmt: skip

    def _derived(self, assignment: Assignment, name: str) -> Any:
        """The field *name* of an *assignment* this router made that :meth:`route` left to be
        derived, from its issue and rule as :meth:`route` decided them."""
        issue, index = assignment._routed, assignment._index
        assert issue is not None
        chain, at = assignment.chain, assignment.position
        if name == "leader" or name == "leader_name":
            leader, leader_name = self._leaders.get(chain[at].id, _NO_LEADER)
            return leader if name == "leader" else leader_name
        if name == "grid_version":
            return self._version
        if name == "located":
            return issue.located
        if name == "partners":
            return self._partners(index, chain[0], issue.category)
        if name == "reason":
            return self._reason_of(assignment)
        accept_by, resolve_by = self._plans[index].deadlines(issue.reported_at)
        return accept_by if name == "accept_by" else resolve_by

    def _reason_of(self, assignment: Assignment) -> Reason:
        """The reason of an *assignment* this router made."""
        issue, index = assignment._routed, assignment._index
        assert issue is not None
        chain, start, at = assignment.chain, assignment.start, assignment.position
        located = issue.located
        partners = self._partners(index, chain[0], issue.category)
        if at == start and not partners and located:  # the common reason
            first = chain[start]
            zh, en = self._openings[(index, first.tier)]
            return _new_reason(
                f"{zh}（{first.name}）。",
                f"{en} ({first.name}).",
                (self._rule_refs[index], self._unit_refs[first.id]),
            )
        return self._reason(issue, index, chain, start, at, partners, located)

    def _in_full(self, assignment: Assignment) -> Assignment:
        """An *assignment* this router made, with every field stored (each derived once)."""
        issue, index = assignment._routed, assignment._index
        assert issue is not None
        chain, at = assignment.chain, assignment.position
        try:  # stored when routed with a planner
            accept_by = _ACCEPT_BY.__get__(assignment, Assignment)
            resolve_by = _RESOLVE_BY.__get__(assignment, Assignment)
        except AttributeError:
            accept_by, resolve_by = self._plans[index].deadlines(issue.reported_at)
        leader, leader_name = self._leaders.get(chain[at].id, _NO_LEADER)
        return _new_full(
            assignment.issue, assignment.rule, chain, at, assignment.start,
            issue.located, self._version, self._reason_of(assignment), leader, leader_name,
            self._partners(index, chain[0], issue.category),
            accept_by, resolve_by, None, None, 0,
        )  # fmt: skip

    def _partners(self, index: int, unit: GridUnit, category: str) -> tuple[str, ...]:
        """The partners of rule *index*'s kinds covering *unit* and serving *category*."""
        if not self._links[index]:
            return ()
        linked = self._linked.get(unit.id)
        return () if linked is None else linked.get((index, category), ())

    def _reason(
        self,
        issue: Issue,
        index: int,
        chain: tuple[GridUnit, ...],
        start: int,
        at: int,
        partners: tuple[str, ...],
        located: bool,
    ) -> Reason:
        s = chain[start]
        zh, en = self._openings[(index, s.tier)]
        zh += f"（{s.name}）"
        en += f" ({s.name})"
        refs = [self._rule_refs[index], self._unit_refs[s.id]]
        if not located:
            zh += f"；待定位，由{chain[0].name}先行受理"
            en += f"; unlocated, taken first by {chain[0].name}"
        if at != start:
            u = chain[at]
            cat = self.catalogue[issue.category]
            zh += f"；权责清单：{s.name} 不可处理 {cat.zh}（{issue.severity.zh}），上移至 {u.name}"
            en += (
                f"; responsibility matrix: {s.name} may not handle {cat.label} at "
                f"{issue.severity.label}, moved up to {u.name}"
            )
            refs.append(self._category_refs[cat.code])
            refs.append(self._unit_refs[u.id])
        if partners:
            linked = [self._partner_refs[p] for p in partners]
            names = [ref.name for ref in linked]
            zh += "；联动 " + "、".join(names)
            en += "; linked " + ", ".join(names)
            refs.extend(linked)
        return _new_reason(f"{zh}。", f"{en}.", tuple(refs))

    def route_many(
        self,
        issues: Iterable[Issue],
        *,
        residents: ResidentFiles | Mapping[str, Resident] | None = None,
    ) -> Iterator[tuple[str, str, str, bool]]:
        """Route many issues lazily, yielding compact plain tuples ``(issue id, unit id,
        rule id, moved_by_matrix)`` — the fields of :class:`~gridgov.routing.results.Routed`, which names them.

        The same decision as :meth:`route`, without the deadlines, partners and reasons; call
        :meth:`route` for the issues whose full assignment is needed.  Results do not depend
        on the order of the issues.  A mapping of *residents* is checked once per call.
        The results are plain tuples of strings so that a batch keeping millions of them does
        not keep the cyclic garbage collector busy.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST, DEFAULT_MATRIX, DEFAULT_RULES, Channel, Issue, Reporter
            >>> from gridgov.demo import sample_grid
            >>> router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
            >>> issues = [Issue(id=f"i{n}", category="dispute", severity=n, channel=Channel.APP,
            ...                 place="h-0001", reporter=Reporter.resident("r"),
            ...                 reported_at=datetime(2026, 11, 26, tzinfo=CST)) for n in (1, 3)]
            >>> [(unit, rule, moved) for _, unit, rule, moved in router.route_many(issues)]
            [('mg11', 'default', False), ('g1', 'default', True)]
            >>> from gridgov import Routed
            >>> Routed(*next(router.route_many(issues))).unit
            'mg11'
        """
        # Checked now, not when the first result is asked for.
        files = _NO_FILES if residents is None else ResidentFiles.of(residents)
        return map(self._decide, issues, repeat(files), repeat(True))


def _safe_until(plan: DeadlinePlan) -> int:
    """The last year whose reports' deadlines under *plan* are sure to be computable: the
    year before a probe a century before the last accepted year (a local year before the
    probe's is before the probe in any timezone), if the probe's deadlines are; else none."""
    try:
        plan.deadlines(_PROBE)
    except InvalidValueError:
        return v.MIN_YEAR - 1
    return _PROBE.year - 1


_PROBE = datetime(v.MAX_YEAR - 100, 12, 31, 23, 59, 59, tzinfo=UTC)
_NO_LEADER: tuple[None, None] = (None, None)
_NO_FILES = ResidentFiles()
