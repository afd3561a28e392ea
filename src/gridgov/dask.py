"""A city's day on Dask: routing, the due-visit sweep and the month's metrics, run part by part
(an optional extra: ``pip install 'gridgov[dask]'``; imported only as ``gridgov.dask``).

A city is cut into communities (:class:`~gridgov.grid.parts.GridPartition`); each part is one
element of a Dask Bag (``dask.bag``), and a task gets its part — a small
:class:`~gridgov.GridGraph` — and that part's issues, files or cases.  The task builds what it
needs (the part's :class:`~gridgov.Router`, a :class:`~gridgov.visits.VisitLog`) and calls the
same gridgov functions a single process calls; the answers are put back together on the
caller's side: results in the order the caller gave the items, a :class:`~gridgov.metrics.Tally`
per part combined with :meth:`~gridgov.metrics.Tally.combine` in a Bag fold.  The answers equal
the serial calls' on the whole city.

Why a Bag and not a DataFrame: gridgov's work is per-part Python values (a grid part, a
compiled router, residents' files, cases as events), not columns; a part's items are read by
rules that walk a tree and replay events, which a frame could only hold as opaque objects.

The data of a part may come in two ways: as items the caller holds (split here by part, and
shipped with the part), or as a *loader* — a function ``load(index, part)`` giving the items of
the part at *index* — called in the task, so that a worker reads its own community (from its
own storage) and nothing but the part and the loader is shipped.

The parts themselves may be shipped with every call (the default: each call pickles them,
and each task rebuilds its part), or kept on the workers: :func:`parts_bag` makes a Bag of
the parts which, persisted under a ``distributed.Client``, is shipped and rebuilt once and
then given to each call as ``parts=``.

``scheduler`` is Dask's (``"sync"``, ``"threads"``, ``"processes"``, or ``None`` for Dask's
default, which is a ``distributed.Client`` when one is active: a cluster of many
machines runs the same calls).

Example:
    >>> from gridgov import DEFAULT_MATRIX, DEFAULT_RULES
    >>> from gridgov.demo import sample_grid
    >>> from gridgov.grid.parts import GridPartition
    >>> city = GridPartition.of(sample_grid())
    >>> route_day(city, [], rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX, scheduler="sync")
    []
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

import dask.bag as db
from dask.base import tokenize
from dask.delayed import delayed

import gridgov._validators as v
from gridgov.calendar import TimeLimit, WorkCalendar
from gridgov.cases import Case
from gridgov.grid import GridGraph
from gridgov.grid.parts import GridPartition
from gridgov.issues import DEFAULT_CATALOGUE, CategoryCatalogue, Issue
from gridgov.metrics import Attribution, Composite, Grain, Indicator, Periods, Tally, tally_cases
from gridgov.people import Resident, ResidentFiles
from gridgov.routing import ResponsibilityMatrix, Router, RuleSet
from gridgov.visits import DueVisit, VisitLog, VisitPolicy, VisitRecord, due_ids, due_visits

__all__ = ["Loader", "due_visits_day", "month_tally", "parts_bag", "route_day"]

T = TypeVar("T")

Loader = Callable[[int, GridGraph], Iterable[T]]
"""``load(index, part)``: the items of the part at *index* of a partition, read in the task."""

_Source = Iterable[T] | Loader[T]


def _split(
    partition: GridPartition, items: _Source[T] | None, part_of: Callable[[T], int]
) -> tuple[list[list[T]] | None, list[list[int]] | None]:
    """The items of each part and their positions among *items*, or ``(None, None)`` for a
    loader (or no items)."""
    if items is None or callable(items):
        return None, None
    count = len(partition.parts)
    out: list[list[T]] = [[] for _ in range(count)]
    where: list[list[int]] = [[] for _ in range(count)]
    for i, item in enumerate(items):
        n = part_of(item)
        out[n].append(item)
        where[n].append(i)
    return out, where


def _load(n: int, part: GridGraph, given: list[T] | None, source: object) -> Iterable[T]:
    loaded: Iterable[T] = given if given is not None else source(n, part) if callable(source) else ()
    return loaded


def _bytes_bag(name: str, blobs: list[bytes], task: Callable[[bytes], list[Any]]) -> db.Bag:
    """A bag of one partition per blob, ``task(blob)``; its keys are named by a hash of the
    bytes (quick), not by Dask's walk over what they pickle."""
    name = f"{name}-{tokenize(*blobs)}"
    graph: dict[Any, Any] = {(name, n): (task, blob) for n, blob in enumerate(blobs)}
    return db.Bag(graph, name, len(blobs))


def _listed(blob: bytes) -> list[bytes]:
    return [blob]


def _unpickled(blob: bytes) -> list[Any]:
    return [pickle.loads(blob)]


def parts_bag(partition: GridPartition) -> db.Bag:
    """A Dask Bag of the parts of *partition*: one element ``(index, part)`` per part, each in
    a Bag partition of its own — what ``parts=`` of :func:`route_day`, :func:`due_visits_day`
    and :func:`month_tally` takes.

    A part travels pickled, as bytes (Dask's scheduler passes it on without building its
    grid), and is rebuilt in its task; the bag's keys are named by a hash of those bytes,
    not by Dask's walk over every place.  Under a ``distributed.Client``,
    ``bag = parts_bag(city).persist()`` ships and rebuilds each part once and keeps it in the
    workers' memory; the calls given ``parts=bag`` then ship only each part's items and the
    shared arguments, and reuse the parts already there.  A deployment loads the city's
    grid so once a day, or when the grid is redrawn (a redrawn grid is a new partition and a
    new bag; release the old one with ``del bag``).

    Example:
        >>> from gridgov import DEFAULT_MATRIX, DEFAULT_RULES
        >>> from gridgov.demo import sample_grid
        >>> from gridgov.grid.parts import GridPartition
        >>> city = GridPartition.of(sample_grid())
        >>> bag = parts_bag(city).persist(scheduler="sync")
        >>> bag.npartitions == len(city.parts)
        True
        >>> [n for n, part in bag.compute(scheduler="sync")] == list(range(len(city.parts)))
        True
        >>> route_day(city, [], rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX, parts=bag,
        ...           scheduler="sync")
        []
    """
    partition = v.check_instance("partition", partition, GridPartition)
    blobs = [pickle.dumps((n, part), protocol=5) for n, part in enumerate(partition.parts)]
    return _bytes_bag("gridgov-parts", blobs, _unpickled)


def _given(element: bytes, work: Callable[..., Any], shared: tuple[Any, ...]) -> Any:
    """*work* on a part shipped with its items."""
    n, part, *columns = pickle.loads(element)
    return work(n, part, columns, shared)


def _beside(element: tuple[int, GridGraph], items: bytes, work: Callable[..., Any],
            shared: tuple[Any, ...]) -> Any:
    """*work* on a part of a parts bag, with its items shipped beside it."""
    n, part = element
    at, *columns = pickle.loads(items)
    if at != n:
        raise v.refuse("parts", None, "the parts of the partition given, in its order", n)
    return work(n, part, columns, shared)


def _alone(element: tuple[int, GridGraph], width: int, work: Callable[..., Any],
           shared: tuple[Any, ...]) -> Any:
    """*work* on a part of a parts bag whose items are read by loaders."""
    n, part = element
    return work(n, part, [None] * width, shared)


def _tasks(
    partition: GridPartition,
    work: Callable[..., Any],
    columns: Sequence[list[list[Any]] | None],
    shared: tuple[Any, ...],
    parts: db.Bag | None,
) -> db.Bag:
    """A bag of *work*'s result per part, given the *shared* arguments (shipped once per
    worker): on parts shipped with their items, or on the parts of *parts*."""
    count = len(partition.parts)
    on_every = delayed(shared, traverse=False)
    if parts is None:
        blobs = [pickle.dumps((n, part, *(None if c is None else c[n] for c in columns)),
                              protocol=5) for n, part in enumerate(partition.parts)]
        tasks: db.Bag = _bytes_bag("gridgov-given", blobs, _listed).map(_given, work, on_every)
        return tasks
    if not isinstance(parts, db.Bag) or parts.npartitions != count:
        raise v.refuse("parts", None, f"a parts_bag of the partition's {count} parts", parts)
    if all(c is None for c in columns):
        tasks = parts.map(_alone, len(columns), work, on_every)
        return tasks
    blobs = [pickle.dumps((n, *(None if c is None else c[n] for c in columns)), protocol=5)
             for n in range(count)]
    tasks = db.map(_beside, parts, _bytes_bag("gridgov-items", blobs, _listed), work, on_every)
    return tasks


def _run(
    partition: GridPartition,
    work: Callable[..., Any],
    columns: Sequence[list[list[Any]] | None],
    shared: tuple[Any, ...],
    scheduler: str | None,
    parts: db.Bag | None,
) -> list[Any]:
    out: list[Any] = _tasks(partition, work, columns, shared, parts).compute(scheduler=scheduler)
    return out


def _in_order(results: list[list[T]], where: list[list[int]] | None) -> list[T]:
    """The parts' results in the order of the caller's items (for a loader, part by part)."""
    if where is None:
        return [r for part in results for r in part]
    out: list[Any] = [None] * sum(len(w) for w in where)
    for part, positions in zip(results, where, strict=True):
        for at, r in zip(positions, part, strict=True):
            out[at] = r
    return out


# --------------------------------------------------------------------------- routing


def _route_part(n: int, part: GridGraph, columns: list[Any], shared: tuple[Any, ...]
                ) -> list[tuple[Any, ...]]:
    issues, files = columns
    rules, matrix, calendar, catalogue, unlocated_at, issue_source, file_source = shared
    router = Router(grid=part, rules=rules, matrix=matrix.restricted_to(part), calendar=calendar,
                    catalogue=catalogue, unlocated_at=unlocated_at if unlocated_at in part else None)
    residents = ResidentFiles(_load(n, part, files, file_source))
    return list(router.route_many(_load(n, part, issues, issue_source), residents=residents))


def route_day(
    partition: GridPartition,
    issues: Iterable[Issue] | Loader[Issue],
    *,
    rules: RuleSet,
    matrix: ResponsibilityMatrix,
    calendar: WorkCalendar | None = None,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    residents: ResidentFiles | Mapping[str, Resident] | Loader[Resident] | None = None,
    scheduler: str | None = None,
    parts: db.Bag | None = None,
) -> list[tuple[str, str, str, bool]]:
    """Route a day's issues part by part: what
    ``Router(grid=whole, ...).route_many(issues, residents=files)`` yields, in the order of
    *issues* (for a loader, part by part, each part's in the loader's order).  A part is
    shipped the files of the residents its issues name.

    Each task builds its part's router once, with the matrix
    :meth:`~gridgov.routing.ResponsibilityMatrix.restricted_to` the part and the partition's
    ``unlocated_at`` (a router pickles as what it is built from, so shipping a router would
    ship the same bytes and compile it again on the worker).  Given ``parts=`` (a
    :func:`parts_bag` of *partition*, persisted or not), the tasks take their part from it,
    and only the items are shipped.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, DEFAULT_MATRIX, DEFAULT_RULES, Channel, Issue, Reporter
        >>> from gridgov.demo import sample_grid
        >>> from gridgov.grid.parts import GridPartition
        >>> city = GridPartition.of(sample_grid())
        >>> issue = Issue(id="i-1", category="facility_repair", severity=1,
        ...               channel=Channel.APP, place="h-1001", reporter=Reporter.resident("r"),
        ...               reported_at=datetime(2026, 11, 26, 9, tzinfo=CST))
        >>> route_day(city, [issue], rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX,
        ...           scheduler="sync")
        [('i-1', 'mg31', 'facility', False)]
    """
    partition = v.check_instance("partition", partition, GridPartition)
    by_part, where = _split(partition, issues, partition.part_of_issue)
    files: list[list[Resident]] | None = None
    if by_part is not None and residents is not None and not callable(residents):
        # a part gets the files its issues name, wherever those residents live
        index = ResidentFiles.of(residents)
        files = [list({i.resident: index[i.resident] for i in part
                       if i.resident is not None and i.resident in index}.values())
                 for part in by_part]
    elif residents is not None and not callable(residents):
        raise v.refuse("residents", None, "a loader when the issues are given by a loader",
                       residents)
    shared = (rules, matrix, calendar or WorkCalendar(), catalogue, partition.unlocated_at,
              None if by_part is not None else issues, None if files is not None else residents)
    results = _run(partition, _route_part, [by_part, files], shared, scheduler, parts)
    return _in_order(results, where)


# --------------------------------------------------------------------------- due visits


def _due_part(n: int, part: GridGraph, columns: list[Any], shared: tuple[Any, ...]) -> list[Any]:
    residents, records = columns
    policy, on, compact, file_source, record_source = shared
    files = list(_load(n, part, residents, file_source))
    log = VisitLog(records=_load(n, part, records, record_source))
    sweep = due_ids if compact else due_visits
    return list(sweep(files, log, policy, on=on))


def due_visits_day(
    partition: GridPartition,
    residents: Iterable[Resident] | Loader[Resident],
    log: VisitLog | Iterable[VisitRecord] | Loader[VisitRecord],
    policy: VisitPolicy,
    *,
    on: date,
    compact: bool = False,
    scheduler: str | None = None,
    parts: db.Bag | None = None,
) -> list[DueVisit] | list[tuple[str, date]]:
    """The day's due-visit sweep part by part: ``list(due_visits(residents, log, policy,
    on=on))`` (or, *compact*, :func:`~gridgov.visits.due_ids`' tuples), in the order of
    *residents* (for a loader, part by part).

    Each part gets the records of its own residents' files; records of residents without a
    file are not shipped (no sweep reads them).  ``parts=``: as for :func:`route_day`.

    Example:
        >>> from datetime import date
        >>> from gridgov.demo import sample_grid, sample_residents, sample_visits
        >>> from gridgov.grid.parts import GridPartition
        >>> from gridgov.visits import DEFAULT_POLICY, due_ids
        >>> city, files = GridPartition.of(sample_grid()), sample_residents()
        >>> day = date(2026, 11, 26)
        >>> due = due_visits_day(city, files, sample_visits(), DEFAULT_POLICY, on=day,
        ...                      compact=True, scheduler="sync")
        >>> due == list(due_ids(files, sample_visits(), DEFAULT_POLICY, on=day))
        True
    """
    partition = v.check_instance("partition", partition, GridPartition)
    by_part, where = _split(partition, residents, partition.part_of_resident)
    records: list[list[VisitRecord]] | None = None
    if by_part is not None and not callable(log):
        home = {r.id: n for n, files in enumerate(by_part) for r in files}
        records = [[] for _ in by_part]
        for rec in log:
            n = home.get(rec.resident)
            if n is not None:
                records[n].append(rec)
    elif not callable(log):
        raise v.refuse("log", None, "a loader when the residents are given by a loader", log)
    shared = (policy, on, compact, None if by_part is not None else residents,
              None if records is not None else log)
    results = _run(partition, _due_part, [by_part, records], shared, scheduler, parts)
    due = [d for part in results for d in part]
    if by_part is not None and where is not None:  # each part's in its residents' order
        at = {r.id: i for n, files in enumerate(by_part) for i, r in zip(where[n], files, strict=True)}
        due.sort(key=(lambda d: at[d[0]]) if compact else (lambda d: at[d.resident]))
    return due


# --------------------------------------------------------------------------- metrics


def _tally_part(n: int, part: GridGraph, columns: list[Any], shared: tuple[Any, ...]) -> Tally:
    (cases,) = columns
    indicators, options, case_source = shared
    return tally_cases(_load(n, part, cases, case_source), indicators, **options)


def month_tally(
    partition: GridPartition,
    cases: Iterable[Case] | Loader[Case],
    indicators: Iterable[Indicator | Composite],
    *,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    calendar: WorkCalendar | None = None,
    dispatch_limit: TimeLimit | None = None,
    by: Grain | Periods = Grain.MONTH,
    attribute: Attribution | str = Attribution.CLOSING,
    categories: bool = False,
    scheduler: str | None = None,
    parts: db.Bag | None = None,
) -> Tally:
    """The month's metrics part by part: each part's cases tallied
    (:func:`~gridgov.metrics.tally_cases`) and the partial tallies combined in a Bag fold —
    equal to ``tally_cases(cases, indicators, ...)`` on the whole city.  A case counts at
    every unit of the chain it was filed along, in whichever part holds it, so a case
    escalated above the cut counts once, where the partition puts it.  ``parts=``: as for
    :func:`route_day`.

    Example:
        >>> from gridgov import evaluate
        >>> from gridgov.demo import sample_case, sample_grid
        >>> from gridgov.grid.parts import GridPartition
        >>> from gridgov.metrics import CLOSING_RATE, tally_cases
        >>> city = GridPartition.of(sample_grid())
        >>> t = month_tally(city, [sample_case()], [CLOSING_RATE], scheduler="sync")
        >>> t == tally_cases([sample_case()], [CLOSING_RATE])
        True
    """
    partition = v.check_instance("partition", partition, GridPartition)
    wanted = tuple(indicators)
    options: dict[str, Any] = {"catalogue": catalogue, "calendar": calendar, "dispatch_limit": dispatch_limit,
               "by": by, "attribute": attribute, "categories": categories}
    by_part, _ = _split(partition, cases, partition.part_of_case)
    empty = tally_cases((), wanted, **options)  # checks the arguments here, not in a task
    shared = (wanted, options, None if by_part is not None else cases)
    tallies = _tasks(partition, _tally_part, [by_part], shared, parts)
    total: Tally = tallies.fold(Tally.combine, initial=empty).compute(scheduler=scheduler)
    return total
