"""Strategies for people: conditions, residents, indexes of personal files and criteria."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from gridgov.criteria import MAX_AGE, Criteria
from gridgov.grid import GridGraph
from gridgov.people import CONDITION_KINDS, Condition, Resident, ResidentFiles
from gridgov.testing.strategies._common import (
    check_bool,
    check_date,
    check_grid,
    check_int,
    check_order,
    check_strategy,
    sample_names,
    zh_strings,
)

_LATEST_FILE = date(2100, 12, 31)
# Most files are tracked from their opening; some were imported without their visit history.
_LATEST_TRACKED = date(2027, 6, 30)
_GROUPS = ("party_member", "elderly", "youth", "child", "woman", "volunteer")


def conditions(
    *,
    kinds: SearchStrategy[str] | None = None,
    min_date: date = date(2000, 1, 1),
    max_date: date = date(2040, 12, 31),
) -> SearchStrategy[Condition]:
    """Conditions with an optional validity window ``[start, end)`` inside the given dates.

    Args:
        kinds: a strategy for condition codes (default: the codes of
            :data:`~gridgov.CONDITION_KINDS`).
        min_date: the earliest start or end.
        max_date: the latest start or end; it must be after ``min_date``.

    Conditions shrink towards the first kind (``living_alone``), an open window (no start,
    no end), dates towards ``min_date``, and no note.

    Raises:
        hypothesis.errors.InvalidArgument: if ``max_date <= min_date``.

    Example:
        >>> from datetime import date
        >>> from gridgov.testing.strategies import conditions
        >>> conditions(min_date=date(2026, 1, 1), max_date=date(2026, 1, 1))
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: max_date=datetime.date(2026, 1, 1) must be after min_date=datetime.date(2026, 1, 1).
    """
    check_strategy("kinds", kinds)
    check_date("min_date", min_date)
    check_date("max_date", max_date)
    if max_date <= min_date:
        raise InvalidArgument(f"max_date={max_date!r} must be after min_date={min_date!r}.")
    return _conditions(
        st.sampled_from(tuple(CONDITION_KINDS)) if kinds is None else kinds, min_date, max_date
    )


@st.composite
def _conditions(
    draw: st.DrawFn, kinds: SearchStrategy[str], min_date: date, max_date: date
) -> Condition:
    kind = draw(kinds)
    day = timedelta(days=1)
    start = draw(st.one_of(st.none(), st.dates(min_date, max_date - day)))
    end = draw(st.one_of(st.none(), st.dates(min_date if start is None else start + day, max_date)))
    note = draw(st.one_of(st.just(""), zh_strings()))
    return Condition(kind=kind, start=start, end=end, note=note)


def residents(
    *,
    grid: GridGraph | None = None,
    ids: SearchStrategy[str] | None = None,
    names: SearchStrategy[str] | None = None,
    conditions: SearchStrategy[Condition] | None = None,
    max_conditions: int = 3,
    min_birth_date: date = date(1920, 1, 1),
    max_birth_date: date = date(2020, 12, 31),
) -> SearchStrategy[Resident]:
    """Personal files (一人一档) with conditions that have validity windows.

    Args:
        grid: if given, residents live in one of its places (it must have places);
            otherwise in households ``h-0000`` to ``h-9999``.
        ids: a strategy for resident ids (default ``r-0000`` to ``r-9999``).
        names: a strategy for names (default: a sample of Chinese names).
        conditions: a strategy for conditions (default: :func:`conditions`).
        max_conditions: the most conditions on a file.
        min_birth_date: the earliest birth date.
        max_birth_date: the latest birth date.

    Residents shrink towards the first id and household, a birth date near 2000-01-01
    within the bounds, no conditions, no file-opening date and no tags.  A file-opening date
    is never before the birth date (nor, unless the birth date is, after 2100).

    Raises:
        hypothesis.errors.InvalidArgument: if the grid has no places, ``max_conditions < 0``
            or ``max_birth_date < min_birth_date``.

    Example:
        >>> from hypothesis.strategies import SearchStrategy
        >>> from gridgov.demo import sample_grid
        >>> from gridgov.testing.strategies import residents
        >>> isinstance(residents(grid=sample_grid()), SearchStrategy)
        True
        >>> residents(max_conditions=-1)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: max_conditions=-1 must be at least 0.
    """
    if grid is None:
        households: SearchStrategy[str] = st.integers(0, 9999).map("h-{:04d}".format)
    else:
        grid = check_grid(grid)
        if not grid.places:
            raise InvalidArgument(
                f"grid version {grid.version!r} has no places for residents to live in."
            )
        households = st.sampled_from(sorted(grid.places))
    check_strategy("ids", ids)
    check_strategy("names", names)
    check_strategy("conditions", conditions)
    check_int("max_conditions", max_conditions, at_least=0)
    check_date("min_birth_date", min_birth_date)
    check_date("max_birth_date", max_birth_date)
    check_order("min_birth_date", min_birth_date, "max_birth_date", max_birth_date)
    return _residents(
        st.integers(0, 9999).map("r-{:04d}".format) if ids is None else ids,
        sample_names() if names is None else names,
        households,
        st.lists(
            _conditions(
                st.sampled_from(tuple(CONDITION_KINDS)), date(2000, 1, 1), date(2040, 12, 31)
            )
            if conditions is None
            else conditions,
            max_size=max_conditions,
        ),
        st.dates(min_birth_date, max_birth_date),
    )


@st.composite
def _residents(
    draw: st.DrawFn,
    ids: SearchStrategy[str],
    names: SearchStrategy[str],
    households: SearchStrategy[str],
    condition_lists: SearchStrategy[list[Condition]],
    birth_dates: SearchStrategy[date],
) -> Resident:
    birth = draw(birth_dates)
    opened = draw(st.one_of(st.none(), st.dates(birth, max(birth, _LATEST_FILE))))
    since = opened if opened is not None else birth
    return Resident(
        id=draw(ids),
        name=draw(names),
        household=draw(households),
        birth_date=birth,
        conditions=draw(condition_lists),
        file_opened=opened,
        tracked_since=draw(
            st.one_of(st.none(), st.none(), st.none(), st.dates(since, max(since, _LATEST_TRACKED)))
        ),
        tags=draw(st.frozensets(st.sampled_from(_GROUPS), max_size=3)),
    )


_residents_of = residents  # resident_files() takes a 'residents' argument of its own


def resident_files(
    *,
    grid: GridGraph | None = None,
    residents: SearchStrategy[Resident] | None = None,
    min_size: int = 0,
    max_size: int = 5,
) -> SearchStrategy[ResidentFiles]:
    """Indexes of personal files (:class:`~gridgov.ResidentFiles`), one file per resident id,
    as a router or a sweep takes them per call.

    Args:
        grid: if given, the residents live in its places (as for :func:`residents`).
        residents: a strategy for the files (default: :func:`residents` of *grid*).
        min_size: the fewest files.
        max_size: the most files.

    Indexes shrink towards fewer files, each as :func:`residents` shrinks.

    Raises:
        hypothesis.errors.InvalidArgument: if ``max_size < min_size``, a size is negative,
            *residents* is not a strategy, or the grid has no places.

    Example:
        >>> from gridgov.testing.strategies import resident_files
        >>> resident_files(min_size=3, max_size=2)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: max_size=2 must not be less than min_size=3.
    """
    check_strategy("residents", residents)
    check_int("min_size", min_size, at_least=0)
    check_int("max_size", max_size, at_least=0)
    check_order("min_size", min_size, "max_size", max_size)
    files = _residents_of(grid=grid) if residents is None else residents
    return st.lists(files, min_size=min_size, max_size=max_size, unique_by=_resident_id).map(
        ResidentFiles
    )


def _resident_id(resident: Resident) -> str:
    return resident.id


def criteria(
    *,
    kinds: SearchStrategy[str] | None = None,
    max_conditions: int = 2,
    tags: SearchStrategy[str] | None = None,
    max_tags: int = 2,
    ages: bool = True,
) -> SearchStrategy[Criteria]:
    """Resident criteria (:class:`~gridgov.Criteria`), as routing rules and visit rules
    read personal files: conditions (all of / any of), tags (all of / any of) and an age band.

    Args:
        kinds: a strategy for condition codes (default: the codes of
            :data:`~gridgov.CONDITION_KINDS`).
        max_conditions: the most codes in each of ``conditions_all`` and
            ``conditions_any``.
        tags: a strategy for tags (default: the group tags :func:`residents` draws, such as
            ``"party_member"`` and ``"youth"``).
        max_tags: the most tags in each of ``tags_all`` and ``tags_any``.
        ages: whether to draw ``min_age`` and ``max_age`` (0 to 110, in order).

    Criteria shrink towards the empty criteria (every resident whose file is open).

    Raises:
        hypothesis.errors.InvalidArgument: if a maximum is negative or an argument has the
            wrong type.

    Example:
        >>> from hypothesis.strategies import just
        >>> from gridgov.testing.strategies import criteria
        >>> criteria(kinds=just("injured"), max_tags=-1)
        Traceback (most recent call last):
        ...
        hypothesis.errors.InvalidArgument: max_tags=-1 must be at least 0.
    """
    parts = criteria_parts(kinds, max_conditions, tags, max_tags, ages)
    return criteria_from_parts(parts, False)


# What criteria are drawn from: shared with routing_rules() (in _routing), which draws the
# ``who`` of its matches as criteria() draws criteria.
CriteriaParts = tuple[
    SearchStrategy[str], int, SearchStrategy[str], int, bool
]  # kinds, max_conditions, tags, max_tags, ages
_OLDEST = 110  # the oldest age a drawn criterion names (residents are born from 1920)


def criteria_parts(
    kinds: SearchStrategy[str] | None,
    max_conditions: int,
    tags: SearchStrategy[str] | None,
    max_tags: int,
    ages: bool,
) -> CriteriaParts:
    check_strategy("kinds", kinds)
    check_int("max_conditions", max_conditions, at_least=0)
    check_strategy("tags", tags)
    check_int("max_tags", max_tags, at_least=0)
    check_bool("ages", ages)
    return (
        st.sampled_from(tuple(CONDITION_KINDS)) if kinds is None else kinds,
        max_conditions,
        st.sampled_from(_GROUPS) if tags is None else tags,
        max_tags,
        ages,
    )


def criteria_fields(parts: CriteriaParts) -> list[str]:
    """The fields of Criteria the parts allow to be restricted."""
    _, max_conditions, _, max_tags, ages = parts
    fields = []
    if max_conditions:
        fields += ["conditions_any", "conditions_all"]
    if max_tags:
        fields += ["tags_any", "tags_all"]
    if ages:
        fields += ["min_age", "max_age"]
    return fields


@st.composite
def criteria_from_parts(draw: st.DrawFn, parts: CriteriaParts, restrict: bool) -> Criteria:
    """Criteria; with *restrict*, one field drawn first is never left empty.  Each other
    field is restricted one draw in four, so that drawn criteria often match someone."""
    kinds, max_conditions, tags, max_tags, ages = parts
    forced = draw(st.sampled_from(criteria_fields(parts))) if restrict else None

    def used(field: str) -> bool:
        return field == forced or draw(st.integers(0, 3)) == 3  # shrinks to unused

    def codes(field: str, elements: SearchStrategy[str], most: int) -> frozenset[str]:
        if not most or not used(field):
            return frozenset()
        return draw(st.frozensets(elements, min_size=1, max_size=most))

    low: int | None = None
    high: int | None = None
    if ages:
        if used("min_age"):
            low = draw(st.integers(0, _OLDEST))
        if used("max_age"):
            high = draw(st.integers(0 if low is None else low, min(_OLDEST, MAX_AGE)))
    return Criteria(
        conditions_any=codes("conditions_any", kinds, max_conditions),
        conditions_all=codes("conditions_all", kinds, max_conditions),
        tags_any=codes("tags_any", tags, max_tags),
        tags_all=codes("tags_all", tags, max_tags),
        min_age=low,
        max_age=high,
    )
