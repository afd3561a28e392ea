"""The opinion library's engine (private): demands counted into cells, and the searches for
hotspots.  :mod:`gridgov.metrics.opinions` holds the values and the public functions.

A tally is a list of ints, in the order of :data:`COUNTS` and then one per channel in
:class:`~gridgov.issues.Channel` order.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta

from gridgov._time import CST
from gridgov.cases.state import CaseStatus, Report
from gridgov.errors import InvalidValueError
from gridgov.grid import GridGraph
from gridgov.issues import CategoryCatalogue, Channel, Issue
from gridgov.metrics.facts import CaseFacts
from gridgov.metrics.periods import Grain, Period, Periods, period_of
from gridgov.metrics.presets import SATISFACTION_RATE

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
CHANNELS: tuple[Channel, ...] = tuple(Channel)
WIDTH = len(COUNTS) + len(CHANNELS)
_CHANNEL_AT = {c: len(COUNTS) + i for i, c in enumerate(CHANNELS)}
_MAX_MERGES = 10_000  # a merge chain longer than this is a loop in the input

# A key of a cell: the period, the unit, the category (None: all categories).
CellKey = tuple[Period, str, "str | None"]
# One demand's report, for the repeated-report search: where, category, micro-grid, when.
RawReport = tuple[str, str, str, datetime]


def _units(f: CaseFacts, attribute: str) -> tuple[str, ...]:
    """The units a demand counts at: a unit and every unit above it, as filed."""
    chain = f.chain
    if attribute == "place":
        return chain
    unit = f.filed_unit if attribute == "filed" else (f.closing_unit or f.owner)
    if unit in chain:
        return chain[chain.index(unit) :]
    return (unit,)


def _where(f: CaseFacts) -> str | None:
    """The report key's place part, as :class:`~gridgov.cases.state.Report` reads an issue:
    the place, else the unit a located issue was filed about, else ``None`` (待定位)."""
    if f.place is not None:
        return f"place:{f.place}"
    if f.located and f.chain:
        return f"unit:{f.chain[0]}"
    return None


def _root(f: CaseFacts, index: Mapping[str, CaseFacts]) -> CaseFacts:
    """The case that handles *f*'s demand: *f*, or the case it was merged into (followed
    through merges), as far as *index* holds it."""
    root, steps = f, 0
    while root.merged_into is not None and root.merged_into in index:
        root = index[root.merged_into]
        steps += 1
        if steps > _MAX_MERGES:
            raise InvalidValueError(
                f"'facts' must not merge cases in a loop (case {f.case!r} is merged into a "
                "case merged back into it)."
            )
    return root


def _add(
    cells: dict[tuple[int, str, str | None], list[int]],
    period: int,
    units: Sequence[str],
    categories: Sequence[str],
    hits: Sequence[int],
    direct_category: str,
) -> None:
    """Add one demand (*hits*: the tally positions it counts 1 in) to its cells: each of
    *units* × each of *categories* and all categories (``None``)."""
    key: tuple[int, str, str | None]
    for unit in units:
        for category in categories:
            key = (period, unit, category)
            tally = cells.get(key)
            if tally is None:
                tally = cells[key] = [0] * WIDTH
            for i in hits:
                tally[i] += 1
            if category != direct_category:
                tally[1] -= 1  # counted here through a category it refines
        key = (period, unit, None)
        tally = cells.get(key)
        if tally is None:
            tally = cells[key] = [0] * WIDTH
        for i in hits:
            tally[i] += 1


def _hits(
    channel: Channel, *, duplicate: bool, handler: CaseFacts | None, f: CaseFacts | None
) -> list[int]:
    """The tally positions one demand counts in.  *handler* is the case that handles it
    (``None``: an issue that never became a case, still open); *f* its own facts, when it is a
    case's own report (the one the resident evaluates)."""
    hits = [0, 1]
    if duplicate:
        hits.append(2)
    if handler is not None and handler.closed_at is not None:
        hits.append(3)
    elif handler is not None and handler.status is CaseStatus.REJECTED:
        hits.append(5)
    else:  # still open, never a case, or merged into a case the input does not hold
        hits.append(4)
    if f is not None and not duplicate:
        evaluated, satisfied = _satisfaction(f)
        if evaluated > 0:
            hits.append(6)
        if satisfied > 0:
            hits.append(7)
    hits.append(_CHANNEL_AT[channel])
    return hits


def _satisfaction(f: CaseFacts) -> tuple[int, int]:
    """The denominator and numerator *f* adds to the 满意率 preset
    (:data:`~gridgov.metrics.SATISFACTION_RATE`, the one home of its definition)."""
    rate = SATISFACTION_RATE
    if any(p(f) for p in rate.exclude) or not all(p(f) for p in rate.only):
        return 0, 0
    counts = {p.name: int(p(f)) for p in rate.predicates()}
    return rate.denominator.total(counts), rate.numerator.total(counts)


class _PeriodIndex:
    """Periods met in one count, numbered; each CST date is put in its period once, by
    :func:`~gridgov.metrics.period_of` (a datetime counts by its CST date)."""

    def __init__(self, by: Grain | Periods) -> None:
        self.by = by
        self.periods: list[Period] = []
        self._number: dict[Period, int] = {}
        self._day: dict[date, int | None] = {}

    def __call__(self, moment: datetime) -> int | None:
        day = moment.astimezone(CST).date()
        try:
            return self._day[day]
        except KeyError:
            pass
        period = period_of(day, self.by)
        number = None
        if period is not None:
            number = self._number.setdefault(period, len(self.periods))
            if number == len(self.periods):
                self.periods.append(period)
        self._day[day] = number
        return number


def count(
    facts: Iterable[CaseFacts],
    issues: Iterable[Issue],
    *,
    by: Grain | Periods,
    attribute: str,
    grid: GridGraph | None,
    catalogue: CategoryCatalogue,
) -> tuple[dict[CellKey, list[int]], list[RawReport]]:
    """Count every demand — each case's own report, each merged duplicate, each issue that
    never became a case — into its cells, and list the located reports."""
    every = list(facts)
    index = {f.case: f for f in every}
    merged_here: dict[str, int] = {}
    for f in every:
        if f.merged_into is not None:
            merged_here[f.merged_into] = merged_here.get(f.merged_into, 0) + 1
    cells: dict[tuple[int, str, str | None], list[int]] = {}
    reports: list[RawReport] = []
    period_index = _PeriodIndex(by)
    for f in every:
        root = _root(f, index)
        duplicate = f.merged_into is not None
        period = period_index(f.reported_at)
        units = _units(root if attribute == "closing" else f, attribute)
        where = _where(f)
        # duplicates the facts count but the input does not hold: extra demands like f's own
        missing = 0 if duplicate else max(0, f.duplicates - merged_here.get(f.case, 0))
        for n in range(1 + missing):
            if period is not None:
                hits = _hits(f.channel, duplicate=duplicate or n > 0, handler=root, f=f)
                _add(cells, period, units, f.categories, hits, f.category)
            if where is not None and f.chain:
                reports.append((where, f.category, f.chain[0], f.reported_at))
    for issue in issues:
        chain = _issue_chain(issue, grid)
        period = period_index(issue.reported_at)
        if period is not None:
            hits = _hits(issue.channel, duplicate=False, handler=None, f=None)
            _add(cells, period, chain, catalogue.lineage(issue.category), hits, issue.category)
        report = Report.of(issue)
        if report is not None:
            reports.append((report.where, report.category, chain[0], issue.reported_at))
    periods = period_index.periods
    return {(periods[p], u, c): t for (p, u, c), t in cells.items()}, reports


def _issue_chain(issue: Issue, grid: GridGraph | None) -> tuple[str, ...]:
    if not isinstance(issue, Issue):
        raise InvalidValueError(f"'issues' must hold Issue values (got {type(issue).__name__}).")
    if grid is None:
        raise InvalidValueError(
            "'grid' must be given to count issues that never became cases (their units are "
            "looked up in it; got None)."
        )
    if issue.place is not None:
        return tuple(u.id for u in grid.place_chain(issue.place))
    if issue.unit is not None:
        return tuple(u.id for u in grid.chain(issue.unit))
    raise InvalidValueError(
        f"'issues' must hold located issues (issue {issue.id!r} has neither a place nor a "
        "unit: route it first)."
    )


# --------------------------------------------------------------------------- hotspots


def densest_window(times: Sequence[datetime], days: int) -> tuple[int, datetime, datetime]:
    """The most reports in a window ``[t, t + days)`` that starts at a report, and the first
    and last report in the earliest such window; *times* sorted."""
    span = timedelta(days=days)
    best, best_at, j = 0, 0, 0
    for i, t in enumerate(times):
        j = max(j, i)
        while j < len(times) and times[j] - t < span:
            j += 1
        if j - i > best:
            best, best_at = j - i, i
    return best, times[best_at], times[best_at + best - 1]


def repeated(
    reports: Iterable[tuple[str, str, str, datetime]], *, times: int, days: int
) -> Iterator[tuple[str, str, str, int, datetime, datetime]]:
    """Each (where, category) reported at least *times* times within *days* days:
    ``(where, category, unit, count, first, last)``."""
    groups: dict[tuple[str, str], tuple[str, list[datetime]]] = {}
    for where, category, unit, at in reports:
        key = (where, category)
        if key not in groups:
            groups[key] = (unit, [])
        groups[key][1].append(at)
    for (where, category), (unit, ats) in sorted(groups.items()):
        if len(ats) < times:
            continue
        ats.sort()
        n, first, last = densest_window(ats, days)
        if n >= times:
            yield where, category, unit, n, first, last


def previous_period(period: Period, by: Grain | Periods) -> Period | None:
    """The period just before *period* in the library's cut of time."""
    return period.previous() if isinstance(by, Grain) else by.previous(period)


def sibling_median(rates: Sequence[float]) -> float:
    """The median of the siblings' demand per household."""
    return float(statistics.median(rates))
