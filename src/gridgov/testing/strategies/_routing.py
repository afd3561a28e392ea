"""Strategies for routing: responsibility matrices, routing rules and rule sets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from gridgov.calendar import TimeLimit
from gridgov.criteria import Criteria
from gridgov.grid import GridGraph
from gridgov.issues import DEFAULT_CATALOGUE, CategoryCatalogue, Channel
from gridgov.people import PartnerKind
from gridgov.routing import Match, Responsibility, ResponsibilityMatrix, RoutingRule, RuleSet
from gridgov.testing.strategies._common import (
    check_bool,
    check_catalogue,
    check_int,
    check_order,
    check_scheme,
    check_strategy,
    check_text,
    first_item,
    label_strings,
    zh_strings,
)
from gridgov.testing.strategies._people import (
    CriteriaParts,
    criteria_fields,
    criteria_from_parts,
    criteria_parts,
)
from gridgov.testing.strategies._time import time_limits
from gridgov.tiers import TierScheme


def responsibility_matrices(
    grid: GridGraph | TierScheme,
    *,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    max_overrides: int = 3,
    top_catch_all: bool | None = None,
    name: str = "generated",
) -> SearchStrategy[ResponsibilityMatrix]:
    """Responsibility matrices (权责清单) that a :class:`~gridgov.Router` accepts on *grid*
    with *catalogue*.

    The top tier is the catch-all (兜底): either by ``top_catch_all=True`` — then any lines
    drawn for the top tier do not matter — or, with ``top_catch_all=False``, by a line for
    every broad category of *catalogue* (and so every category refining one) up to
    emergency.  Each tier below the top gets lines for a random subset of the categories,
    broad ones and refinements alike (a refinement's line overrides its parent's), each
    with a limit from 0 (may not handle) to 4.  Given a grid, up to ``max_overrides`` units
    below the top tier get an override for a category.

    Args:
        grid: the grid the matrix is for, or only its tier scheme (then without unit
            overrides).
        catalogue: the catalogue the categories come from (such as one drawn by
            :func:`catalogues`); route with the same one.
        max_overrides: the most unit overrides.
        top_catch_all: whether the matrix makes the top tier the catch-all by its flag
            (``True``) or by lines (``False``); default either.
        name: the matrix's name.

    Matrices shrink towards the bare catch-all (``top_catch_all=True`` and no lines at all,
    so everything goes to the top), then towards fewer lines and overrides, each for the
    catalogue's first category, with limit 0.

    Raises:
        hypothesis.errors.InvalidArgument: if *grid* is neither a grid nor a scheme, the
            catalogue is unusable, ``max_overrides < 0``, ``top_catch_all`` is not a bool
            or ``None``, or the name is blank.

    Example:
        >>> from hypothesis.strategies import SearchStrategy
        >>> from gridgov import FOUR_TIER
        >>> from gridgov.testing.strategies import responsibility_matrices
        >>> isinstance(responsibility_matrices(FOUR_TIER, top_catch_all=False), SearchStrategy)
        True
        >>> responsibility_matrices("three_tier")
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: grid='three_tier' must be a GridGraph or a TierScheme.
    """
    if isinstance(grid, GridGraph):
        scheme = grid.scheme
        below_top = [u.id for u in grid.units if u.parent is not None]
    elif isinstance(grid, TierScheme):
        scheme, below_top = grid, []
    else:
        raise InvalidArgument(f"grid={grid!r:.60} must be a GridGraph or a TierScheme.")
    catalogue = check_catalogue(catalogue)
    check_int("max_overrides", max_overrides, at_least=0)
    if top_catch_all is not None:
        check_bool("top_catch_all", top_catch_all)
    check_text("name", name)
    codes = [c.code for c in catalogue]
    limits = st.tuples(st.sampled_from(codes), st.integers(0, 4))
    tier_lines = st.tuples(
        *(st.lists(limits, max_size=len(codes), unique_by=first_item) for _ in scheme.names)
    )
    overrides: SearchStrategy[list[tuple[str, str, int]]] = st.builds(list)
    if below_top and max_overrides:
        overrides = st.lists(
            st.tuples(st.sampled_from(below_top), st.sampled_from(codes), st.integers(0, 4)),
            max_size=max_overrides,
            unique_by=_unit_and_category,
        )
    flags = st.sampled_from((True, False)) if top_catch_all is None else st.just(top_catch_all)
    broad = tuple(c.code for c in catalogue if c.parent is None)
    return st.tuples(flags, tier_lines, overrides).map(
        lambda drawn: _matrix(name, scheme, broad, *drawn)
    )


def _unit_and_category(line: tuple[str, str, int]) -> tuple[str, str]:
    return line[0], line[1]


def _matrix(
    name: str,
    scheme: TierScheme,
    broad: tuple[str, ...],
    catch_all: bool,
    tier_lines: tuple[list[tuple[str, int]], ...],
    overrides: list[tuple[str, str, int]],
) -> ResponsibilityMatrix:
    top = scheme.top.name
    entries: list[Responsibility] = []
    if catch_all:  # lines for the top tier are drawn too: the flag must win over them
        entries += [Responsibility(tier=top, category=c, max_severity=s) for c, s in tier_lines[0]]
    else:  # the top tier handles everything by its lines
        entries += [Responsibility(tier=top, category=c) for c in broad]
    for tier, lines in zip(scheme.names[1:], tier_lines[1:], strict=True):
        entries += [Responsibility(tier=tier, category=c, max_severity=s) for c, s in lines]
    entries += [Responsibility(unit=u, category=c, max_severity=s) for u, c, s in overrides]
    return ResponsibilityMatrix(name=name, entries=entries, top_catch_all=catch_all)


def routing_rules(
    *,
    scheme: TierScheme,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    unconditional: bool = False,
    ids: SearchStrategy[str] | None = None,
    max_categories: int = 3,
    max_channels: int = 2,
    max_conditions: int = 2,
    condition_kinds: SearchStrategy[str] | None = None,
    max_tags: int = 1,
    ages: bool = True,
    max_links: int = 2,
    deadlines: SearchStrategy[TimeLimit | None] | None = None,
) -> SearchStrategy[RoutingRule]:
    """Declarative routing rules for grids of *scheme*, never unconditional unless asked.

    A drawn match restricts at least one of: categories, severity, channels, or who the
    issue concerns (its ``who`` criteria, drawn as :func:`criteria` draws them: conditions,
    tags, an age band), so the rule can sit anywhere in a :class:`~gridgov.RuleSet` before
    its default rule.  With ``unconditional=True`` the rules match every issue instead
    (default rules).  Rules start at no tier (where the issue is located) or at a tier of
    *scheme*, link partner kinds, and set deadlines.  No predicate is drawn: the rules
    serialise.

    Args:
        scheme: the tier scheme of the grids the rules route on.
        catalogue: the catalogue the categories come from (such as one drawn by
            :func:`catalogues`); a rule's category also matches its refinements.
        unconditional: draw default rules (matching every issue) instead.
        ids: a strategy for rule ids (default ``R1`` to ``R99``).
        max_categories: the most categories in a match.
        max_channels: the most channels in a match.
        max_conditions: the most conditions in each of ``who.conditions_any`` and
            ``who.conditions_all``.
        condition_kinds: a strategy for condition codes (default: the codes of
            :data:`~gridgov.CONDITION_KINDS`).
        max_tags: the most tags in each of ``who.tags_any`` and ``who.tags_all``.
        ages: whether matches may name an age band.  With ``max_conditions=0``,
            ``max_tags=0`` and ``ages=False`` the rules never read a personal file.
        max_links: the most partner kinds linked.
        deadlines: a strategy for ``accept_within`` and ``resolve_within`` (default: none or
            :func:`time_limits`).

    Rules shrink towards ``R1`` starting where the issue is located, matching the
    catalogue's first category at any severity, linking nobody and setting no deadlines.

    Raises:
        hypothesis.errors.InvalidArgument: if *scheme* is not a scheme, the catalogue is
            unusable, or a maximum is negative.

    Example:
        >>> from hypothesis.strategies import SearchStrategy
        >>> from gridgov import THREE_TIER
        >>> from gridgov.testing.strategies import routing_rules
        >>> isinstance(routing_rules(scheme=THREE_TIER, max_conditions=0), SearchStrategy)
        True
        >>> routing_rules(scheme=THREE_TIER, max_links=-1)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: max_links=-1 must be at least 0.
    """
    scheme = check_scheme(scheme)
    catalogue = check_catalogue(catalogue)
    check_bool("unconditional", unconditional)
    check_strategy("ids", ids)
    check_int("max_categories", max_categories, at_least=0)
    check_int("max_channels", max_channels, at_least=0)
    check_strategy("condition_kinds", condition_kinds)
    who = criteria_parts(condition_kinds, max_conditions, None, max_tags, ages)
    check_int("max_links", max_links, at_least=0)
    check_strategy("deadlines", deadlines)
    return _routing_rules(
        st.integers(1, 99).map("R{}".format) if ids is None else ids,
        None
        if unconditional
        else _matches([c.code for c in catalogue], max_categories, max_channels, who),
        st.one_of(st.none(), st.sampled_from(scheme.names)),
        st.frozensets(st.sampled_from(PartnerKind), max_size=max_links),
        st.one_of(st.none(), time_limits()) if deadlines is None else deadlines,
    )


def _matches(
    codes: Sequence[str],
    max_categories: int,
    max_channels: int,
    who: CriteriaParts,
) -> SearchStrategy[Match]:
    """Matches that restrict something: the restriction drawn first is never empty."""
    restrictions = [
        what
        for what, allowed in (
            ("categories", max_categories),
            ("severity", 1),
            ("channels", max_channels),
            ("who", bool(criteria_fields(who))),
        )
        if allowed
    ]

    def sets(elements: SearchStrategy[Any], max_size: int) -> tuple[SearchStrategy[Any], ...]:
        """(any set, a non-empty set), or (empty, empty) when max_size is 0."""
        if not max_size:
            return (st.just(frozenset()),) * 2
        return tuple(st.frozensets(elements, min_size=n, max_size=max_size) for n in (0, 1))

    restricted_who = criteria_from_parts(who, True) if criteria_fields(who) else st.builds(Criteria)
    return _drawn_matches(
        st.sampled_from(restrictions),
        sets(st.sampled_from(codes), max_categories),
        sets(st.sampled_from(Channel), max_channels),
        (criteria_from_parts(who, False), restricted_who),
    )


@st.composite
def _drawn_matches(
    draw: st.DrawFn,
    restrictions: SearchStrategy[str],
    categories: tuple[SearchStrategy[frozenset[str]], ...],
    channels: tuple[SearchStrategy[frozenset[Channel]], ...],
    who: tuple[SearchStrategy[Criteria], SearchStrategy[Criteria]],
) -> Match:
    restricted = draw(restrictions)
    chosen = draw(categories[restricted == "categories"])
    low = draw(st.integers(1, 4))
    if restricted == "severity" and low == 1:
        high = 3 - draw(st.integers(0, 2))  # not the full range: shrinks to routine-urgent
    else:
        high = 4 - draw(st.integers(0, 4 - low))  # shrinks to no upper bound
    return Match(
        categories=chosen,
        min_severity=low,
        max_severity=high,
        channels=draw(channels[restricted == "channels"]),
        who=draw(who[restricted == "who"]),
    )


_RULE_NAMES = label_strings()
_RULE_ZH = st.one_of(st.just(""), zh_strings())


@st.composite
def _routing_rules(
    draw: st.DrawFn,
    ids: SearchStrategy[str],
    matches: SearchStrategy[Match] | None,
    start_tiers: SearchStrategy[str | None],
    links: SearchStrategy[frozenset[PartnerKind]],
    deadlines: SearchStrategy[TimeLimit | None],
) -> RoutingRule:
    rule_id = draw(ids)
    match = Match() if matches is None else draw(matches)
    return RoutingRule(
        id=rule_id,
        name=draw(_RULE_NAMES),
        zh=draw(_RULE_ZH),
        match=match,
        start_tier=draw(start_tiers),
        link=draw(links),
        accept_within=draw(deadlines),
        resolve_within=draw(deadlines),
    )


def rule_sets(
    *,
    scheme: TierScheme,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    min_rules: int = 1,
    max_rules: int = 7,
    max_conditions: int = 2,
    condition_kinds: SearchStrategy[str] | None = None,
    max_tags: int = 1,
    ages: bool = True,
    deadlines: SearchStrategy[TimeLimit | None] | None = None,
    name: str = "generated",
) -> SearchStrategy[RuleSet]:
    """Rule sets of ``min_rules`` to ``max_rules`` rules that always end with a default rule.

    The rules before the last are drawn as :func:`routing_rules` draws them (each restricts
    something) with ids ``R1``, ``R2``, ...; the last, ``default``, matches every issue.

    Args:
        scheme: the tier scheme of the grids the rules route on.
        catalogue: the catalogue the categories come from; route with the same one.
        min_rules: the fewest rules, the default rule included (at least 1).
        max_rules: the most rules, the default rule included.
        max_conditions: as for :func:`routing_rules` (0: rules that ignore conditions).
        condition_kinds: as for :func:`routing_rules`.
        max_tags: as for :func:`routing_rules` (0: rules that ignore tags).
        ages: as for :func:`routing_rules` (``False``: rules that ignore ages).
        deadlines: as for :func:`routing_rules`.
        name: the rule set's name.

    Rule sets shrink towards fewer rules (down to the default rule alone) and each rule as
    :func:`routing_rules` shrinks.

    Raises:
        hypothesis.errors.InvalidArgument: if ``min_rules < 1``, ``max_rules < min_rules``,
            or another argument is invalid as for :func:`routing_rules`.

    Example:
        >>> from gridgov import THREE_TIER
        >>> from gridgov.testing.strategies import rule_sets
        >>> rule_sets(scheme=THREE_TIER, min_rules=0)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: min_rules=0 must be at least 1.
    """
    check_int("min_rules", min_rules, at_least=1)
    check_int("max_rules", max_rules, at_least=1)
    check_order("min_rules", min_rules, "max_rules", max_rules)
    name = check_text("name", name)
    rules = routing_rules(
        scheme=scheme,
        catalogue=catalogue,
        ids=st.just("R"),
        max_conditions=max_conditions,
        condition_kinds=condition_kinds,
        max_tags=max_tags,
        ages=ages,
        deadlines=deadlines,
    )
    default = routing_rules(
        scheme=scheme,
        catalogue=catalogue,
        unconditional=True,
        ids=st.just("default"),
        deadlines=deadlines,
    )
    return st.tuples(st.lists(rules, min_size=min_rules - 1, max_size=max_rules - 1), default).map(
        lambda drawn: _rule_set(name, drawn[0], drawn[1])
    )


def _rule_set(name: str, rules: list[RoutingRule], default: RoutingRule) -> RuleSet:
    numbered = [attrs.evolve(rule, id=f"R{i}") for i, rule in enumerate(rules, 1)]
    return RuleSet(name=name, rules=[*numbered, default])
