"""Strategies for issues: category catalogues, category codes and issues."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, tzinfo
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from gridgov.grid import GridGraph
from gridgov.issues import (
    DEFAULT_CATALOGUE,
    MAX_CATEGORIES,
    Category,
    CategoryCatalogue,
    Channel,
    Issue,
    Reporter,
    ReporterKind,
    Severity,
)
from gridgov.people import Resident
from gridgov.testing.strategies._common import (
    REACH,
    check_aware,
    check_bool,
    check_catalogue,
    check_grid,
    check_int,
    check_order,
    check_strategy,
    check_text,
    code_strings,
    first_item,
    label_strings,
    zh_strings,
)
from gridgov.testing.strategies._time import MOMENT_MAX, MOMENT_MIN, ZONES, moments_between


def catalogues(
    *,
    base: CategoryCatalogue | None = None,
    min_size: int = 1,
    max_size: int = 12,
    max_depth: int = 2,
    codes: SearchStrategy[str] | None = None,
    name: str = "generated",
) -> SearchStrategy[CategoryCatalogue]:
    """Category catalogues of your own: broad categories and the ones refining them, such as
    a hotline's list (邻里纠纷 under 矛盾纠纷), with unique codes and unique Chinese labels (so
    :meth:`~gridgov.CategoryCatalogue.from_zh` finds each).

    A catalogue is grown one category at a time: each new category is either a broad one
    (no parent) or refines an already drawn category that is less than ``max_depth - 1``
    levels deep.  With a *base* catalogue, the categories drawn are added to it and may
    refine its categories, so rules and matrices written for the base (such as
    :data:`~gridgov.DEFAULT_RULES` and :data:`~gridgov.DEFAULT_MATRIX` over
    :data:`~gridgov.DEFAULT_CATALOGUE`) still apply.

    Args:
        base: a catalogue to extend (default: none, a catalogue of drawn categories only).
        min_size: the fewest categories drawn (at least 1 without a base).
        max_size: the most categories drawn.
        max_depth: the most levels: 1 gives only broad categories, 2 (the default) broad
            categories and their refinements, 3 refinements of refinements, ...
        codes: a strategy for the codes of the drawn categories (valid codes,
            ``[a-z][a-z0-9_]*``); by default short codes.
        name: the catalogue's name.

    Catalogues shrink towards fewer categories, broad ones (no parent) with codes towards
    ``'a'``; a refinement's parent shrinks towards the most recently drawn category that can
    take one, so a failing hierarchy shrinks from the bottom up.

    Raises:
        hypothesis.errors.InvalidArgument: if ``max_size < min_size``, a size or depth is
            out of bounds, there is no base and ``min_size`` is 0 (an empty catalogue has
            nothing to route), or an argument has the wrong type.

    Example:
        >>> from gridgov import DEFAULT_CATALOGUE
        >>> from gridgov.testing.strategies import catalogues
        >>> catalogues(min_size=0)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: min_size=0 without a base catalogue could draw an empty catalogue; give min_size >= 1 or a base.
        >>> catalogues(base=DEFAULT_CATALOGUE, max_depth=0)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: max_depth=0 must be at least 1.
    """
    if base is not None and not isinstance(base, CategoryCatalogue):
        raise InvalidArgument(f"base={base!r:.60} must be a CategoryCatalogue or None.")
    check_int("min_size", min_size, at_least=0)
    check_int("max_size", max_size, at_least=0)
    check_order("min_size", min_size, "max_size", max_size)
    check_int("max_depth", max_depth, at_least=1)
    check_strategy("codes", codes)
    name = check_text("name", name)
    if base is None and min_size == 0:
        raise InvalidArgument(
            "min_size=0 without a base catalogue could draw an empty catalogue; give "
            "min_size >= 1 or a base."
        )
    room = MAX_CATEGORIES - (0 if base is None else len(base))
    if max_size > room:
        raise InvalidArgument(f"max_size={max_size!r} must be at most {room:,} (MAX_CATEGORIES).")
    existing = () if base is None else base.categories
    taken = frozenset(c.code for c in existing)
    taken_zh = frozenset(c.zh for c in existing)
    drawn_codes = code_strings() if codes is None else codes
    specs = st.lists(
        st.tuples(
            drawn_codes.filter(lambda c: c not in taken),
            st.integers(0, REACH),
            label_strings(),
            zh_strings().filter(lambda z: z not in taken_zh),
        ),
        min_size=min_size,
        max_size=max_size,
        unique_by=(first_item, _fourth),
    )
    return specs.map(lambda drawn: _catalogue(name, base, max_depth, drawn))


def _fourth(parts: tuple[Any, ...]) -> Any:
    return parts[3]


def _catalogue(
    name: str,
    base: CategoryCatalogue | None,
    max_depth: int,
    specs: list[tuple[str, int, str, str]],
) -> CategoryCatalogue:
    # As for grids: choice 0 makes a broad category; a choice up to REACH // 2 refines the
    # most recently drawn category that can take a refinement, a higher one any such
    # category, counting back.
    existing = () if base is None else base.categories
    depth = {c.code: len(base.lineage(c.code)) - 1 for c in existing} if base else {}
    can_parent = [c.code for c in existing if depth[c.code] < max_depth - 1]
    made: list[Category] = []
    for code, choice, label, zh in specs:
        if choice == 0 or not can_parent:
            parent, level = None, 0
        else:
            back = 0 if choice <= REACH // 2 else choice % len(can_parent)
            parent = can_parent[-1 - back]
            level = depth[parent] + 1
        made.append(Category(code=code, label=label, zh=zh, parent=parent))
        depth[code] = level
        if level < max_depth - 1:
            can_parent.append(code)
    if base is not None:
        return base.with_categories(made, name=name)
    return CategoryCatalogue(name=name, categories=made)


def categories(*, catalogue: CategoryCatalogue = DEFAULT_CATALOGUE) -> SearchStrategy[str]:
    """Category codes of *catalogue* (broad ones and the ones refining them).

    Args:
        catalogue: the category catalogue (default :data:`~gridgov.DEFAULT_CATALOGUE`), such
            as one drawn by :func:`catalogues`.

    Codes shrink towards the catalogue's first category (``"dispute"`` in the default one).

    Raises:
        hypothesis.errors.InvalidArgument: if *catalogue* is not a catalogue or has no
            categories.

    Example:
        >>> from gridgov import CategoryCatalogue
        >>> from gridgov.testing.strategies import categories
        >>> categories(catalogue=CategoryCatalogue(name="empty", categories=[]))
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: catalogue 'empty' has no categories to draw.
    """
    return _category_codes(check_catalogue(catalogue))


def _category_codes(catalogue: CategoryCatalogue) -> SearchStrategy[str]:
    return st.sampled_from([c.code for c in catalogue])


def issues(
    grid: GridGraph,
    *,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    categories: SearchStrategy[str] | None = None,
    severities: SearchStrategy[int] | None = None,
    channels: SearchStrategy[Channel] | None = None,
    min_reported_at: datetime = MOMENT_MIN,
    max_reported_at: datetime = MOMENT_MAX,
    timezones: SearchStrategy[tzinfo] | None = None,
    residents: Iterable[Resident] | Mapping[str, Resident] | None = None,
    at_places: bool = True,
    at_units: bool = True,
    unlocated: bool = True,
    ids: SearchStrategy[str] | None = None,
) -> SearchStrategy[Issue]:
    """Issues for *grid*: at one of its places, at one of its units, or — when the grid has
    a single top-tier unit, where a :class:`~gridgov.Router` puts them by default —
    unlocated (待定位, neither place nor unit), about one draw in five.

    An issue that concerns one of *residents* whose household is a place of the grid is
    located at that household (when places are allowed).  Reporters are anonymous, a
    resident (the one concerned, if any) or, if the grid has a team, one of its members.

    Args:
        grid: the grid the issues are located in; it must have a unit.
        catalogue: the catalogue the categories come from.
        categories: a strategy for category codes (default: :func:`categories` of
            *catalogue*).
        severities: a strategy for severities, 1–4 or :class:`~gridgov.Severity` (default:
            all four).
        channels: a strategy for channels (default: every :class:`~gridgov.Channel`).
        min_reported_at: the earliest report (an aware datetime).
        max_reported_at: the latest report (an aware datetime).
        timezones: a strategy for the zone ``reported_at`` is expressed in (as for
            :func:`moments`).
        residents: personal files the issues may concern (by default they concern no one),
            such as a :func:`resident_files` index; pass the same files to
            :meth:`Router.route <gridgov.Router.route>` (or ``check_routing``) so that rules
            reading them can match.
        at_places: whether issues may be located at places.
        at_units: whether issues may be located at units.
        unlocated: whether issues may be unlocated (drawn only for a grid with one top-tier
            unit; route others with ``Router(unlocated_at=...)`` and your own issues).
        ids: a strategy for issue ids (default ``i-0000`` to ``i-9999``); for a list of
            issues with unique ids use ``st.lists(issues(grid), unique_by=lambda i: i.id)``.

    Issues shrink towards the first id, the first category, routine severity, the first
    channel (a visit), a report at ``min_reported_at``, no resident, an anonymous reporter,
    no description, and the grid's first place (or its first unit, a top-tier one); an
    unlocated issue shrinks towards a located one.

    Raises:
        hypothesis.errors.InvalidArgument: if the grid has no units, the allowed locations
            leave nowhere to put an issue (no places or units allowed, and unlocated issues
            not allowed or the grid without a single top-tier unit), the bounds are not
            aware or out of order, or an argument has the wrong type.

    Example:
        >>> from hypothesis.strategies import SearchStrategy, just
        >>> from gridgov import Severity
        >>> from gridgov.demo import sample_grid
        >>> from gridgov.testing.strategies import issues
        >>> isinstance(issues(sample_grid(), severities=just(Severity.URGENT)), SearchStrategy)
        True
        >>> issues(sample_grid(), at_places=False, at_units=False, unlocated=False)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: at_places=False, at_units=False and unlocated=False leave nowhere to put an issue.
    """
    grid = check_grid(grid)
    catalogue = check_catalogue(catalogue)
    for name, value in (
        ("categories", categories),
        ("severities", severities),
        ("channels", channels),
        ("timezones", timezones),
        ("ids", ids),
    ):
        check_strategy(name, value)
    check_aware("min_reported_at", min_reported_at)
    check_aware("max_reported_at", max_reported_at)
    check_order("min_reported_at", min_reported_at, "max_reported_at", max_reported_at)
    check_bool("at_places", at_places)
    check_bool("at_units", at_units)
    check_bool("unlocated", unlocated)
    if not (at_places or at_units or unlocated):
        raise InvalidArgument(
            "at_places=False, at_units=False and unlocated=False leave nowhere to put an issue."
        )
    if not len(grid):
        raise InvalidArgument(f"grid version {grid.version!r} has no units to locate issues in.")
    place_ids = sorted(grid.places) if at_places else []
    unit_ids = [u.id for u in grid.units] if at_units else []
    nowhere = unlocated and len(grid.roots) == 1
    if not place_ids and not unit_ids and not nowhere:
        raise InvalidArgument(
            f"grid version {grid.version!r} has no places, at_units={at_units} and it has "
            f"{len(grid.roots)} top-tier units (unlocated={unlocated}): there is nowhere to "
            "put an issue."
        )
    # Where an issue not at its resident's home goes: sampled, so it shrinks to the first.
    wheres = [w for w, allowed in (("place", place_ids), ("unit", unit_ids)) if allowed]
    if nowhere:
        wheres = [*wheres * (4 // max(1, len(wheres))), "nowhere"]
    files = _resident_files(residents)
    member_ids = [m.id for m in grid.members]
    return _issues(
        _IssueParts(
            ids=st.integers(0, 9999).map("i-{:04d}".format) if ids is None else ids,
            codes=_category_codes(catalogue) if categories is None else categories,
            severities=st.sampled_from(Severity) if severities is None else severities,
            channels=st.sampled_from(Channel) if channels is None else channels,
            times=moments_between(
                min_reported_at,
                max_reported_at,
                st.sampled_from(ZONES) if timezones is None else timezones,
            ),
            residents=st.one_of(st.none(), st.sampled_from(files)) if files else st.none(),
            places=st.sampled_from(place_ids) if place_ids else None,
            units=st.sampled_from(unit_ids) if unit_ids else None,
            wheres=st.sampled_from(wheres),
            reporters=st.sampled_from(
                [ReporterKind.ANONYMOUS, ReporterKind.RESIDENT]
                + ([ReporterKind.MEMBER] if member_ids else [])
            ),
            resident_ids=st.integers(0, 9999).map("r-{:04d}".format),
            members=st.sampled_from(member_ids) if member_ids else st.nothing(),
            descriptions=st.one_of(st.just(""), zh_strings()),
        ),
        frozenset(grid.places),
    )


@attrs.frozen
class _IssueParts:
    """The strategies an issue is drawn from, built once when the strategy is defined."""

    ids: SearchStrategy[str]
    codes: SearchStrategy[str]
    severities: SearchStrategy[int]
    channels: SearchStrategy[Channel]
    times: SearchStrategy[datetime]
    residents: SearchStrategy[Resident | None]
    places: SearchStrategy[str] | None
    units: SearchStrategy[str] | None
    wheres: SearchStrategy[str]  # "place", "unit" or "nowhere" (unlocated)
    reporters: SearchStrategy[ReporterKind]
    resident_ids: SearchStrategy[str]
    members: SearchStrategy[str]
    descriptions: SearchStrategy[str]


def _resident_files(
    residents: Iterable[Resident] | Mapping[str, Resident] | None,
) -> tuple[Resident, ...]:
    if residents is None:
        return ()
    if isinstance(residents, Mapping):
        residents = residents.values()
    if isinstance(residents, str) or not isinstance(residents, Iterable):
        raise InvalidArgument(
            f"residents={residents!r:.60} must be Resident files, a mapping of them, or None."
        )
    files = tuple(residents)
    for r in files:
        if not isinstance(r, Resident):
            raise InvalidArgument(f"residents must hold Resident files (got {r!r:.60}).")
    return files


@st.composite
def _issues(draw: st.DrawFn, parts: _IssueParts, place_ids: frozenset[str]) -> Issue:
    issue_id = draw(parts.ids)
    category = draw(parts.codes)
    severity = draw(parts.severities)
    channel = draw(parts.channels)
    reported_at = draw(parts.times)
    resident = draw(parts.residents)
    place: str | None = None
    unit: str | None = None
    if resident is not None and parts.places is not None and resident.household in place_ids:
        place = resident.household
    else:
        where = draw(parts.wheres)
        if where == "place":
            assert parts.places is not None
            place = draw(parts.places)
        elif where == "unit":
            assert parts.units is not None
            unit = draw(parts.units)
    kind = draw(parts.reporters)
    if kind is ReporterKind.ANONYMOUS:
        reporter = Reporter(kind=kind)
    elif kind is ReporterKind.RESIDENT:
        reporter = Reporter.resident(
            resident.id if resident is not None else draw(parts.resident_ids)
        )
    else:
        reporter = Reporter.member(draw(parts.members))
    return Issue(
        id=issue_id,
        category=category,
        severity=severity,
        channel=channel,
        reporter=reporter,
        reported_at=reported_at,
        place=place,
        unit=unit,
        resident=None if resident is None else resident.id,
        description=draw(parts.descriptions),
    )
