"""The peers of ``benchmarks/metrics.py``: pandas over a flat event table, and separate scans.

Not a benchmark itself (imported as ``_metrics_peers``).  Both peers compute what gridgov's
indicators say — read as plain :class:`Spec` tuples from the indicator values (numerator
and denominator as signed sums of vocabulary predicates, the moment that puts a case in a
period, the ``only`` and ``exclude`` filters) — but from the cases' events, by their own
code: each vocabulary predicate and moment is written here once for pandas (vectorised,
over the frames) and once for the scans (a walk over one case's events).  A spec that
names a predicate not written here is refused (:class:`NotImplementedError`).

What the peers read besides the events is what a case record stores: the accept and
resolve deadlines in force at the end (``case.state.accept_by`` / ``resolve_by``) with the
paused time given back on the working calendar (:meth:`gridgov.Deadline.effective`), the
dispatch deadline counted from the first acceptance on the same calendar, and the severity
at the end.  Working time is gridgov's calendar for every contender; neither pandas nor a
scan recomputes it.  The generator escalates cases only before their first acceptance, so
the accept deadline at the end is the one in force at the acceptance.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

import _metrics_cases as M
from gridgov import CST, Severity
from gridgov.cases import (
    Accepted,
    Case,
    CaseOpened,
    Closed,
    Dispatched,
    DuplicateMerged,
    Escalated,
    Evaluated,
    ExtensionGranted,
    ExtensionRefused,
    ExtensionRequested,
    HandlingStarted,
    MergedInto,
    Rejected,
    ResidentDissatisfied,
    ResidentSatisfied,
    Resolved,
    Resumed,
    Returned,
    Satisfaction,
    SeverityRaised,
    Suspended,
    VerificationFailed,
    Verified,
)

Counts = dict[tuple[str, str, str], tuple[int, int]]
"""(micro-grid, month ``"YYYY-MM"``, indicator) → (numerator, denominator); a plain count's
denominator is 0.  Entries where both are 0 are left out."""


class Spec(NamedTuple):
    """An indicator as the peers read it."""

    name: str
    counts_in: str
    numerator: tuple[tuple[str, int], ...]
    denominator: tuple[tuple[str, int], ...]
    only: tuple[str, ...]
    exclude: tuple[str, ...]

    def predicates(self) -> set[str]:
        return {p for p, _ in (*self.numerator, *self.denominator)} | {*self.only, *self.exclude}


def spec_of(indicator: Any) -> Spec:
    """The :class:`Spec` of a gridgov ``Indicator`` (its vocabulary names and signs)."""
    for p in (*indicator.predicates(),):
        if p.is_custom:
            raise NotImplementedError(f"{indicator.name}: custom predicate {p.name!r}")
    return Spec(
        indicator.name,
        indicator.counts_in.value,
        tuple((t.predicate.name, t.sign) for t in indicator.numerator.terms),
        tuple((t.predicate.name, t.sign) for t in indicator.denominator.terms),
        tuple(p.name for p in indicator.only),
        tuple(p.name for p in indicator.exclude),
    )


def month_label(moment: datetime) -> str:
    local = moment.astimezone(CST)
    return f"{local.year:04d}-{local.month:02d}"


def _nonzero(counts: dict[tuple[str, str, str], list[int]]) -> Counts:
    return {k: (n, d) for k, (n, d) in counts.items() if n or d}


# --------------------------------------------------------------------------- pandas

KIND: dict[type, int] = {
    cls: i
    for i, cls in enumerate(
        (
            CaseOpened,
            Accepted,
            Rejected,
            Dispatched,
            HandlingStarted,
            Resolved,
            Verified,
            VerificationFailed,
            ResidentSatisfied,
            ResidentDissatisfied,
            Closed,
            Evaluated,
            Suspended,
            Resumed,
            ExtensionRequested,
            ExtensionGranted,
            ExtensionRefused,
            Escalated,
            Returned,
            SeverityRaised,
            MergedInto,
            DuplicateMerged,
        )
    )
}
K = {cls.__name__: code for cls, code in KIND.items()}
SAT_CODE = {s: i for i, s in enumerate(Satisfaction)}
SATISFIED_CODES = [SAT_CODE[s] for s in Satisfaction if s.satisfied]


def _sat_of(event: Any) -> int:
    cls = type(event)
    if cls is Evaluated or cls is ResidentSatisfied:
        return SAT_CODE[event.satisfaction]
    if cls is ResidentDissatisfied:
        return SAT_CODE[Satisfaction.DISSATISFIED]
    return -1


def build_frames(cases: Sequence[Case]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The flat event table (case, kind, moment, view given) and the case table (micro-grid,
    report moment, deadlines in force, severity at the end), from the cases."""
    cal, dispatch = M.CALENDAR, M.DISPATCH
    events = [e for c in cases for e in c.events]
    n = len(events)
    kind_of = KIND
    ev = pd.DataFrame(
        {
            "case": np.repeat(
                np.arange(len(cases), dtype=np.int64),
                np.fromiter((len(c.events) for c in cases), np.int64, len(cases)),
            ),
            "kind": np.fromiter((kind_of[type(e)] for e in events), np.int8, n),
            "at": np.fromiter((e.at.timestamp() for e in events), np.float64, n),
            "sat": np.fromiter((_sat_of(e) for e in events), np.int8, n),
        }
    )
    del events
    chains: list[tuple[str, ...]] = []
    reported: list[float] = []
    accept_due: list[float] = []
    resolve_due: list[float] = []
    dispatch_due: list[float] = []
    severity: list[int] = []
    nan = float("nan")
    for c in cases:
        opened = c.events[0]
        state = c.state
        chains.append(tuple(u.id for u in opened.chain))  # type: ignore[attr-defined]
        reported.append(opened.issue.reported_at.timestamp())  # type: ignore[attr-defined]
        a = state.accept_by
        accept_due.append(nan if a is None else a.effective(cal).timestamp())
        r = state.resolve_by
        resolve_due.append(nan if r is None else r.effective(cal).timestamp())
        first = next((e.at for e in c.events if type(e) is Accepted), None)
        dispatch_due.append(nan if first is None else dispatch.deadline(first, cal).timestamp())
        severity.append(int(state.severity))
    depth = max(len(chain) for chain in chains)
    units = {
        f"u{k}": pd.Categorical([ch[k] if k < len(ch) else "" for ch in chains])
        for k in range(depth)
    }
    cs = pd.DataFrame(
        {
            **units,
            "reported": reported,
            "accept_due": accept_due,
            "resolve_due": resolve_due,
            "dispatch_due": dispatch_due,
            "severity": np.array(severity, dtype=np.int8),
        }
    )
    return ev, cs


def _pandas_columns(ev: pd.DataFrame, cs: pd.DataFrame) -> tuple[dict[str, Any], dict[str, Any]]:
    """Per-case flags by vocabulary name and per-case moments by moment name (lazily)."""
    g = ev.groupby(["case", "kind"], sort=False)["at"]
    first = g.min().unstack()
    last = g.max().unstack()
    count = g.size().unstack(fill_value=0)
    n = len(cs)
    nan = np.nan

    def col(frame: pd.DataFrame, name: str, fill: float) -> np.ndarray:
        code = K[name]
        if code not in frame.columns:
            return np.full(n, fill)
        return frame[code].reindex(range(n), fill_value=fill).to_numpy()

    f_accept = col(first, "Accepted", nan)
    f_reject = col(first, "Rejected", nan)
    f_dispatch = col(first, "Dispatched", nan)
    l_resolve = col(last, "Resolved", nan)
    l_rework = np.fmax(col(last, "VerificationFailed", nan), col(last, "ResidentDissatisfied", nan))
    resolved_at = np.where(l_rework > l_resolve, nan, l_resolve)
    closed_at = col(first, "Closed", nan)
    accept_due = cs["accept_due"].to_numpy()
    resolve_due = cs["resolve_due"].to_numpy()
    dispatch_due = cs["dispatch_due"].to_numpy()
    rated = ev[ev["sat"] >= 0]
    view = rated.groupby("case", sort=False)["sat"].last().reindex(range(n), fill_value=-1)
    view = view.to_numpy()
    accepted = ~np.isnan(f_accept)
    resolved = ~np.isnan(resolved_at)
    closed = ~np.isnan(closed_at)
    has_resolve_due = ~np.isnan(resolve_due)
    resolved_on_time = resolved & (resolved_at <= resolve_due)
    merged = col(count, "MergedInto", 0) > 0
    responded_at = np.where(accepted, f_accept, f_reject)
    suspended_end = col(count, "Suspended", 0) > col(count, "Resumed", 0)
    flags: dict[str, Callable[[], np.ndarray]] = {
        "received": lambda: np.ones(n, dtype=bool),
        "accepted": lambda: accepted,
        "rejected": lambda: ~np.isnan(f_reject),
        "dispatched": lambda: ~np.isnan(f_dispatch),
        "resolved": lambda: resolved,
        "closed": lambda: closed,
        "closed_on_time": lambda: closed & resolved_on_time,
        "due": lambda: accepted & ~merged & (closed | has_resolve_due),
        "overdue": lambda: accepted & has_resolve_due & ~resolved_on_time,
        "overdue_open": lambda: accepted & has_resolve_due & ~resolved,
        "deferred": lambda: suspended_end & ~closed,
        "reworked": lambda: (
            (col(count, "VerificationFailed", 0) + col(count, "ResidentDissatisfied", 0)) > 0
        ),
        "extended": lambda: col(count, "ExtensionGranted", 0) > 0,
        "accept_timed": lambda: ~np.isnan(accept_due),
        "accepted_on_time": lambda: accepted & (f_accept <= accept_due),
        "dispatch_timed": lambda: ~np.isnan(dispatch_due),
        "dispatched_on_time": lambda: f_dispatch <= dispatch_due,
        "resolve_timed": lambda: has_resolve_due,
        "resolved_on_time": lambda: resolved_on_time,
        "responded": lambda: (
            ~np.isnan(responded_at) & (np.isnan(accept_due) | (responded_at <= accept_due))
        ),
        "evaluated": lambda: view >= 0,
        "satisfied": lambda: np.isin(view, SATISFIED_CODES),
        "fully_satisfied": lambda: view == SAT_CODE[Satisfaction.SATISFIED],
        "dissatisfied": lambda: view == SAT_CODE[Satisfaction.DISSATISFIED],
        "escalated": lambda: col(count, "Escalated", 0) > 0,
        "returned": lambda: col(count, "Returned", 0) > 0,
        "merged": lambda: merged,
        "has_duplicates": lambda: col(count, "DuplicateMerged", 0) > 0,
        "urgent": lambda: cs["severity"].to_numpy() >= int(Severity.URGENT),
    }
    moments: dict[str, Callable[[], np.ndarray]] = {
        "reported": lambda: cs["reported"].to_numpy(),
        "opened": lambda: col(first, "CaseOpened", nan),
        "accepted": lambda: f_accept,
        "dispatched": lambda: f_dispatch,
        "resolved": lambda: resolved_at,
        "closed": lambda: closed_at,
        "evaluated": lambda: col(last, "Evaluated", nan),
        "resolve_due": lambda: resolve_due,
        "due": lambda: np.fmin(closed_at, resolve_due),
    }
    return flags, moments


def _months(moment: np.ndarray) -> np.ndarray:
    """``"YYYY-MM"`` of each POSIX moment's CST date (``""`` for none)."""
    ok = ~np.isnan(moment)
    local = (np.where(ok, moment, 0) * 1e6).astype("datetime64[us]") + np.timedelta64(8, "h")
    out = np.datetime_as_string(local.astype("datetime64[M]"))
    return np.where(ok, out, "")


def pandas_indicators(
    ev: pd.DataFrame, cs: pd.DataFrame, specs: Sequence[Spec]
) -> list[pd.DataFrame]:
    """Numerator and denominator of every indicator per micro-grid and month: per-case flags,
    then one groupby-sum per moment that puts cases in periods."""
    flag_of, moment_of = _pandas_columns(ev, cs)
    needed = {p for s in specs for p in s.predicates()} | {s.counts_in for s in specs}
    missing = needed - set(flag_of) - set(moment_of)
    if missing:
        raise NotImplementedError(f"pandas peer: no code for {sorted(missing)}")
    flags: dict[str, np.ndarray] = {}

    def flag(name: str) -> np.ndarray:
        if name not in flags:
            flags[name] = flag_of[name]()
        return flags[name]

    tables = []
    by_moment: dict[str, list[Spec]] = {}
    for s in specs:
        by_moment.setdefault(s.counts_in, []).append(s)
    for moment_name, group in by_moment.items():
        moment = moment_of[moment_name]()
        levels = [c for c in cs.columns if c.startswith("u")]
        frame = {**{u: cs[u] for u in levels}, "month": _months(moment)}
        for s in group:
            keep = np.ones(len(cs), dtype=bool)
            for p in s.only:
                keep &= flag(p)
            for p in s.exclude:
                keep &= ~flag(p)
            for part, terms in (("n", s.numerator), ("d", s.denominator)):
                total = np.zeros(len(cs), dtype=np.int64)
                for p, sign in terms:
                    total += sign * flag(p)
                frame[f"{s.name}\x1f{part}"] = np.where(keep, total, 0)
        df = pd.DataFrame(frame)
        df = df[df["month"] != ""]
        # per chain (the micro-grid and the units above it as filed) and month, then rolled
        # up to each unit of the chain
        by_chain = df.groupby([*levels, "month"], observed=True, sort=False).sum().reset_index()
        for u in levels:
            rolled = by_chain.drop(columns=[x for x in levels if x != u])
            rolled = rolled[rolled[u] != ""].rename(columns={u: "unit"})
            tables.append(rolled.groupby(["unit", "month"], observed=True, sort=False).sum())
    return tables


def pandas_counts(tables: Sequence[pd.DataFrame]) -> Counts:
    """The pandas tables as :data:`Counts` (for the answer check, not timed)."""
    counts: dict[tuple[str, str, str], list[int]] = {}
    for table in tables:
        names = [c.split("\x1f")[0] for c in table.columns[::2]]
        for (mg, month), row in zip(table.index, table.to_numpy(), strict=True):
            for i, name in enumerate(names):
                counts[(str(mg), str(month), name)] = [int(row[2 * i]), int(row[2 * i + 1])]
    return _nonzero(counts)


# --------------------------------------------------------------------------- separate scans
#
# The naive way: one pass over every case's events per indicator; each predicate and moment
# walks the events it needs.


def _first(case: Case, cls: type) -> datetime | None:
    for e in case.events:
        if type(e) is cls:
            return e.at
    return None


def _last(case: Case, cls: type) -> datetime | None:
    at = None
    for e in case.events:
        if type(e) is cls:
            at = e.at
    return at


def _count(case: Case, *classes: type) -> int:
    return sum(1 for e in case.events if type(e) in classes)


def _resolved_at(case: Case) -> datetime | None:
    resolved = None
    for e in case.events:
        cls = type(e)
        if cls is Resolved:
            resolved = e.at
        elif cls is VerificationFailed or cls is ResidentDissatisfied:
            resolved = None
    return resolved


def _view(case: Case) -> Satisfaction | None:
    view = None
    for e in case.events:
        cls = type(e)
        if cls is Evaluated or cls is ResidentSatisfied:
            view = e.satisfaction  # type: ignore[attr-defined]
        elif cls is ResidentDissatisfied:
            view = Satisfaction.DISSATISFIED
    return view


def _accept_due(case: Case) -> datetime | None:
    d = case.state.accept_by
    return None if d is None else d.effective(M.CALENDAR)


def _resolve_due(case: Case) -> datetime | None:
    d = case.state.resolve_by
    return None if d is None else d.effective(M.CALENDAR)


def _dispatch_due(case: Case) -> datetime | None:
    accepted = _first(case, Accepted)
    return None if accepted is None else M.DISPATCH.deadline(accepted, M.CALENDAR)


def _resolved_on_time(case: Case) -> bool:
    at, due = _resolved_at(case), _resolve_due(case)
    return at is not None and due is not None and at <= due


def _accepted(case: Case) -> bool:
    return _first(case, Accepted) is not None


def _closed(case: Case) -> bool:
    return _first(case, Closed) is not None


def _on_time(at: datetime | None, due: datetime | None) -> bool:
    return at is not None and due is not None and at <= due


def _responded(case: Case) -> bool:
    at = _first(case, Accepted) or _first(case, Rejected)
    due = _accept_due(case)
    return at is not None and (due is None or at <= due)


def _due_at(case: Case) -> datetime | None:
    closed, due = _first(case, Closed), _resolve_due(case)
    if closed is None:
        return due
    return closed if due is None else min(closed, due)


SCAN_PREDICATES: dict[str, Callable[[Case], bool]] = {
    "received": lambda c: True,
    "accepted": _accepted,
    "rejected": lambda c: _first(c, Rejected) is not None,
    "dispatched": lambda c: _first(c, Dispatched) is not None,
    "resolved": lambda c: _resolved_at(c) is not None,
    "closed": _closed,
    "closed_on_time": lambda c: _closed(c) and _resolved_on_time(c),
    "due": lambda c: (
        _accepted(c) and _count(c, MergedInto) == 0 and (_closed(c) or _resolve_due(c) is not None)
    ),
    "overdue": lambda c: _accepted(c) and _resolve_due(c) is not None and not _resolved_on_time(c),
    "overdue_open": lambda c: (
        _accepted(c) and _resolve_due(c) is not None and _resolved_at(c) is None
    ),
    "deferred": lambda c: _count(c, Suspended) > _count(c, Resumed) and not _closed(c),
    "reworked": lambda c: _count(c, VerificationFailed, ResidentDissatisfied) > 0,
    "extended": lambda c: _count(c, ExtensionGranted) > 0,
    "accept_timed": lambda c: _accept_due(c) is not None,
    "accepted_on_time": lambda c: _on_time(_first(c, Accepted), _accept_due(c)),
    "dispatch_timed": lambda c: _dispatch_due(c) is not None,
    "dispatched_on_time": lambda c: _on_time(_first(c, Dispatched), _dispatch_due(c)),
    "resolve_timed": lambda c: _resolve_due(c) is not None,
    "resolved_on_time": _resolved_on_time,
    "responded": _responded,
    "evaluated": lambda c: _view(c) is not None,
    "satisfied": lambda c: (s := _view(c)) is not None and s.satisfied,
    "fully_satisfied": lambda c: _view(c) is Satisfaction.SATISFIED,
    "dissatisfied": lambda c: _view(c) is Satisfaction.DISSATISFIED,
    "escalated": lambda c: _count(c, Escalated) > 0,
    "returned": lambda c: _count(c, Returned) > 0,
    "merged": lambda c: _count(c, MergedInto) > 0,
    "has_duplicates": lambda c: _count(c, DuplicateMerged) > 0,
    "urgent": lambda c: c.state.severity >= Severity.URGENT,
}

SCAN_MOMENTS: dict[str, Callable[[Case], datetime | None]] = {
    "reported": lambda c: c.events[0].issue.reported_at,  # type: ignore[attr-defined]
    "opened": lambda c: c.events[0].at,
    "accepted": lambda c: _first(c, Accepted),
    "dispatched": lambda c: _first(c, Dispatched),
    "resolved": _resolved_at,
    "closed": lambda c: _first(c, Closed),
    "evaluated": lambda c: _last(c, Evaluated),
    "resolve_due": _resolve_due,
    "due": _due_at,
}


def scan_one(cases: Sequence[Case], spec: Spec) -> Counts:
    """One indicator by its own pass over every case's events."""
    moment_of = SCAN_MOMENTS[spec.counts_in]
    only = [SCAN_PREDICATES[p] for p in spec.only]
    exclude = [SCAN_PREDICATES[p] for p in spec.exclude]
    num = [(SCAN_PREDICATES[p], sign) for p, sign in spec.numerator]
    den = [(SCAN_PREDICATES[p], sign) for p, sign in spec.denominator]
    tally: dict[tuple[str, str, str], list[int]] = {}
    for case in cases:
        moment = moment_of(case)
        if moment is None:
            continue
        if not all(p(case) for p in only) or any(p(case) for p in exclude):
            continue
        n = sum(sign for p, sign in num if p(case))
        d = sum(sign for p, sign in den if p(case))
        month = month_label(moment)
        for unit in case.events[0].chain:  # type: ignore[attr-defined]
            key = (unit.id, month, spec.name)
            slot = tally.get(key)
            if slot is None:
                slot = tally[key] = [0, 0]
            slot[0] += n
            slot[1] += d
    return _nonzero(tally)


def walk(cases: Sequence[Case]) -> int:
    """A bare walk over every event of every case, reading each one's class and moment
    (information: the least any pass over the events costs in Python — what each separate
    scan pays at least once, and gridgov's facts once for all)."""
    last: dict[type, datetime] = {}
    for case in cases:
        for e in case.events:
            last[type(e)] = e.at
    return len(last)


def scans(cases: Sequence[Case], specs: Sequence[Spec]) -> Counts:
    """Every indicator, each by its own pass."""
    needed = {p for s in specs for p in s.predicates()}
    missing = (needed - set(SCAN_PREDICATES)) | ({s.counts_in for s in specs} - set(SCAN_MOMENTS))
    if missing:
        raise NotImplementedError(f"scans: no code for {sorted(missing)}")
    counts: Counts = {}
    for spec in specs:
        counts.update(scan_one(cases, spec))
    return counts
