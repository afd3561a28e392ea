"""The command line for real files: ``python -m gridgov <command>`` (with the demo, the only
I/O in gridgov).

Each command reads files, hands their contents to the library, and writes what comes back:

* ``route`` — a grid, rules and a matrix (JSON, as :func:`~gridgov.to_dict` writes them) and
  a 12345 hotline export (CSV) → an assignments CSV (Chinese headers by default, with each
  reason) and a rejects CSV (every row that did not become an issue, with why);
* ``sweep`` — cases and an escalation policy (JSON) and a moment → the escalations due
  (JSON, and one line each on stdout);
* ``visits`` — residents' files, visit records, a visit policy and a grid (JSON) and a day →
  each micro-grid leader's list of due visits, the plan for the grid workers and its
  shortfalls (CSV files in a folder);
* ``open311`` — cases (JSON) and a moment → Open311 GeoReport v2 service requests (JSON or
  XML);
* ``report`` — cases (JSON) → the indicators (数字城管 and 12345 三率) per unit and period
  (CSV), rolled up the grid the cases were filed on.

A JSON input holds one value or a list of values.  Errors name the file and the problem
(``gridgov route: error: grid.json: …``) and exit with status 1 (2 for a usage error); an
output is written to a temporary file beside its target and moved into place only when
complete, so a failed run leaves nothing half-written.  Long runs report progress on stderr
(``--quiet`` silences it).  ``--help`` on each command says more.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

from gridgov._time import CST
from gridgov.calendar import WorkCalendar
from gridgov.cases import Case
from gridgov.errors import GridGovError
from gridgov.escalation import EscalationPolicy, due_escalations
from gridgov.grid import GridGraph
from gridgov.interop import HotlineFormat, import_hotline, open311_requests, open311_xml
from gridgov.issues import DEFAULT_CATALOGUE, CategoryCatalogue
from gridgov.metrics import DIGITAL_CITY, HOTLINE_12345, Grain, evaluate, facts_of, tally
from gridgov.people import Resident
from gridgov.routing import DEFAULT_MATRIX, DEFAULT_RULES, ResponsibilityMatrix, Router, RuleSet
from gridgov.serialize import from_dict, to_dict
from gridgov.visits import (
    DEFAULT_POLICY,
    VisitLog,
    VisitPolicy,
    VisitRecord,
    due_visits,
    plan_visits,
)

__all__ = ["COMMANDS", "main"]

COMMANDS = ("route", "sweep", "visits", "open311", "report")
"""The commands ``python -m gridgov`` takes besides the demo."""

T = TypeVar("T")
PROGRESS_EVERY = 10_000


class CliError(Exception):
    """A problem with an input or an output, reported as ``<file>: <problem>``."""


# --------------------------------------------------------------------------- files


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(
            f"{path}: cannot be read as UTF-8 text ({error.__class__.__name__})"
        ) from None


def _load(path: Path, cls: type[T]) -> list[T]:
    """The values of *cls* in a JSON file holding one value or a list of them."""
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as error:
        raise CliError(f"{path}: not JSON (line {error.lineno}, column {error.colno})") from None
    items = data if isinstance(data, list) else [data]
    out: list[T] = []
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise CliError(f"{path}: item {n} must be a JSON object as to_dict writes it")
        try:
            out.append(from_dict(item, cls))
        except GridGovError as error:
            where = f"item {n}: " if isinstance(data, list) else ""
            raise CliError(f"{path}: {where}{error}") from None
    return out


def _load_one(path: Path, cls: type[T]) -> T:
    found = _load(path, cls)
    if len(found) != 1:
        raise CliError(f"{path}: must hold one {cls.__name__} (got {len(found)})")
    return found[0]


def _write(path: Path, text: str) -> None:
    """Write *text* to *path* whole or not at all (a temporary file, then a rename)."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as error:
        raise CliError(f"{path}: cannot be written ({error.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _csv_text(rows: Sequence[Mapping[str, object]], fields: Sequence[str]) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a BOM, so that spreadsheet programs read the Chinese as UTF-8
    writer = csv.DictWriter(buffer, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _moment(text: str) -> datetime:
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a moment in ISO 8601, e.g. 2026-11-26T10:15+08:00 (got {text!r})"
        ) from None
    return found if found.tzinfo is not None else found.replace(tzinfo=CST)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date YYYY-MM-DD (got {text!r})") from None


def _counted(items: Iterable[T], label: str, quiet: bool) -> Iterator[T]:
    n = 0
    for n, item in enumerate(items, 1):
        if not quiet and n % PROGRESS_EVERY == 0:
            print(f"gridgov: {label} {n:,} …", file=sys.stderr, flush=True)
        yield item
    if not quiet and n >= PROGRESS_EVERY:
        print(f"gridgov: {label} {n:,} done", file=sys.stderr, flush=True)


def _or(path: Path | None, cls: type[T], default: T) -> T:
    """The one value of *cls* in the file at *path*, or *default* when no file was given."""
    return default if path is None else _load_one(path, cls)


def _rules(args: argparse.Namespace) -> tuple[RuleSet, ResponsibilityMatrix, CategoryCatalogue]:
    rules = _or(args.rules, RuleSet, DEFAULT_RULES)
    matrix = _or(args.matrix, ResponsibilityMatrix, DEFAULT_MATRIX)
    return rules, matrix, _or(args.catalogue, CategoryCatalogue, DEFAULT_CATALOGUE)


def _router(args: argparse.Namespace, grid: GridGraph) -> Router:
    rules, matrix, catalogue = _rules(args)
    calendar = _or(args.calendar, WorkCalendar, WorkCalendar())
    try:
        return Router(
            grid=grid,
            rules=rules,
            matrix=matrix,
            calendar=calendar,
            catalogue=catalogue,
            unlocated_at=args.unlocated_at,
        )
    except GridGovError as error:
        raise CliError(
            f"{args.grid}: the rules and the matrix do not fit this grid: {error}"
        ) from None


# --------------------------------------------------------------------------- commands


_ASSIGNMENT_HEADERS = {
    "ticket": "工单编号",
    "category": "类别",
    "severity": "紧急程度",
    "unit": "责任单位",
    "unit_id": "责任单位编号",
    "chain": "网格层级",
    "rule": "规则",
    "accept_by": "立案时限",
    "resolve_by": "办结时限",
    "partners": "联动单位",
    "unlocated": "待定位",
    "reason": "分派理由",
}


def _route(args: argparse.Namespace) -> int:
    grid = _load_one(args.grid, GridGraph)
    router = _router(args, grid)
    labels: dict[str, str] = {}
    if args.labels is not None:
        for n, pair in enumerate(csv.reader(io.StringIO(_read_text(args.labels)))):
            if len(pair) != 2:
                raise CliError(f"{args.labels}: line {n + 1} must be 'label,category code'")
            labels[pair[0].strip()] = pair[1].strip()
    try:
        fmt = HotlineFormat(
            labels=labels, unknown_place="unlocated" if args.unlocated else "reject"
        )
        rows = csv.DictReader(io.StringIO(_read_text(args.hotline)))
        found = import_hotline(
            _counted(rows, "rows read", args.quiet),
            format=fmt,
            catalogue=router.catalogue,
            grid=grid,
        )
    except GridGovError as error:
        raise CliError(f"{args.hotline}: {error}") from None
    zh = args.lang == "zh"
    out: list[dict[str, object]] = []
    for issue in _counted(found.issues, "issues routed", args.quiet):
        a = router.route(issue)
        category = router.catalogue[issue.category]
        row: dict[str, object] = {
            "ticket": issue.id,
            "category": category.zh if zh else category.code,
            "severity": issue.severity.zh if zh else issue.severity.label,
            "unit": a.chain[a.position].name,
            "unit_id": a.unit,
            "chain": " → ".join(u.name for u in a.chain),
            "rule": a.rule,
            "accept_by": None if a.accept_by is None else a.accept_by.due.isoformat(),
            "resolve_by": None if a.resolve_by is None else a.resolve_by.due.isoformat(),
            "partners": " ".join(a.partners),
            "unlocated": ("是" if zh else "yes") if not a.located else "",
            "reason": a.reason.zh if zh else a.reason.en,
        }
        out.append({_ASSIGNMENT_HEADERS[k]: x for k, x in row.items()} if zh else row)
    fields = list(_ASSIGNMENT_HEADERS.values() if zh else _ASSIGNMENT_HEADERS)
    rejects = found.rows(zh=zh)
    reject_fields = (
        list(rejects[0])
        if rejects
        else list(
            ("行号", "工单编号", "字段", "问题", "说明")
            if zh
            else ("line", "ticket", "column", "problem", "reason")
        )
    )
    _write(args.out, _csv_text(out, fields))
    _write(args.rejects, _csv_text(rejects, reject_fields))
    print(
        f"{len(found.issues):,} issues routed, {len(found.rejected):,} rows rejected "
        f"({len(found.unlocated):,} unlocated)"
    )
    return 0


def _sweep(args: argparse.Namespace) -> int:
    cases = _load(args.cases, Case)
    policy = _load_one(args.policy, EscalationPolicy)
    router = None
    if args.grid is not None:
        router = _router(args, _load_one(args.grid, GridGraph))
    try:
        found = list(
            due_escalations(
                _counted(cases, "cases swept", args.quiet), policy, at=args.at, router=router
            )
        )
    except GridGovError as error:
        raise CliError(f"{args.cases}: {error}") from None
    _write(args.out, json.dumps([to_dict(e) for e in found], ensure_ascii=False, indent=1))
    zh = args.lang == "zh"
    for e in found:
        print(f"{e.case}: {e.reason.zh if zh else e.reason.en}")
    print(f"{len(found):,} of {len(cases):,} cases to escalate")
    return 0


def _visits(args: argparse.Namespace) -> int:
    residents = _load(args.residents, Resident)
    records = [] if args.records is None else _load(args.records, VisitRecord)
    policy = _or(args.policy, VisitPolicy, DEFAULT_POLICY)
    grid = _load_one(args.grid, GridGraph)
    zh = args.lang == "zh"
    try:
        log = VisitLog(records=records)
        due = list(
            due_visits(_counted(residents, "files swept", args.quiet), log, policy, on=args.day)
        )
        plan = plan_visits(
            residents,
            log,
            policy,
            grid,
            start=args.day,
            end=args.day,
            capacity_per_member=args.capacity,
        )
    except GridGovError as error:
        raise CliError(f"{args.residents}: {error}") from None
    heads = {
        "due": ("micro_grid", "leader", "resident", "due", "days_overdue", "colour"),
        "plan": ("day", "member", "resident", "unit"),
        "shortfalls": ("day", "resident", "reason"),
    }
    if zh:
        heads = {
            "due": ("微网格", "负责人", "居民编号", "应访日期", "逾期天数", "预警"),
            "plan": ("日期", "网格员", "居民编号", "单位"),
            "shortfalls": ("日期", "居民编号", "说明"),
        }
    lists: list[tuple[object, ...]] = []
    for d in due:
        unit = grid.place_unit(d.household)
        leader = grid.leader(unit.id)
        lists.append(
            (
                unit.name,
                "" if leader is None else leader.name,
                d.resident,
                d.due.isoformat(),
                d.days_overdue,
                d.colour.zh if zh else d.colour.value,
            )
        )
    lists.sort(key=lambda row: tuple(str(x) for x in row))
    tables: dict[str, list[tuple[object, ...]]] = {
        "due": lists,
        "plan": [
            (p.day.isoformat(), p.member_name, p.resident, grid.unit(p.unit).name)
            for p in plan.visits
        ],
        "shortfalls": [
            (s.day.isoformat(), s.resident, s.reason.zh if zh else s.reason.en)
            for s in plan.shortfalls
        ],
    }
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        fields = heads[name]
        text = _csv_text([dict(zip(fields, row, strict=True)) for row in rows], fields)
        _write(args.out_dir / f"{name}.csv", text)
    print(
        f"{len(due):,} due on {args.day}, {len(plan.visits):,} planned, "
        f"{len(plan.shortfalls):,} short of staff"
    )
    return 0


def _open311(args: argparse.Namespace) -> int:
    cases = _load(args.cases, Case)
    calendar = _or(args.calendar, WorkCalendar, WorkCalendar())
    catalogue = _or(args.catalogue, CategoryCatalogue, DEFAULT_CATALOGUE)
    try:
        requests = open311_requests(
            _counted(cases, "cases exported", args.quiet),
            at=args.at,
            calendar=calendar,
            catalogue=catalogue,
        )
    except GridGovError as error:
        raise CliError(f"{args.cases}: {error}") from None
    if args.format == "xml":
        text = open311_xml(requests, kind="requests")
    else:
        text = json.dumps(requests, ensure_ascii=False, indent=1)
    _write(args.out, text)
    print(f"{len(requests):,} service requests written")
    return 0


def _report(args: argparse.Namespace) -> int:
    cases = _load(args.cases, Case)
    calendar = _or(args.calendar, WorkCalendar, WorkCalendar())
    catalogue = _or(args.catalogue, CategoryCatalogue, DEFAULT_CATALOGUE)
    grid = None if args.grid is None else _load_one(args.grid, GridGraph)
    columns = {"digital_city": DIGITAL_CITY, "hotline": HOTLINE_12345}
    chosen = [i for name in args.set for i in columns[name]]
    try:
        facts = facts_of(
            _counted(cases, "cases counted", args.quiet), catalogue=catalogue, calendar=calendar
        )
        counted = tally(facts, chosen, by=Grain(args.by), attribute=args.attribute)
        rows = evaluate(counted, chosen, grid=grid).rows(zh=args.lang == "zh")
    except GridGovError as error:
        raise CliError(f"{args.cases}: {error}") from None
    fields = list(rows[0]) if rows else ["unit", "period"]
    _write(args.out, _csv_text(rows, fields))
    print(f"{len(rows):,} rows (unit × period) from {len(cases):,} cases")
    return 0


# --------------------------------------------------------------------------- the parser


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gridgov",
        description="gridgov on real files (run `python -m gridgov` alone for the demo).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--lang",
            choices=["zh", "en"],
            default="zh",
            help="headers and reasons in Chinese (zh, the default) or English (en)",
        )
        p.add_argument("--quiet", action="store_true", help="no progress on stderr")

    def routing(p: argparse.ArgumentParser, *, required: bool) -> None:
        p.add_argument("--grid", type=Path, required=required, help="the grid (GridGraph JSON)")
        p.add_argument(
            "--rules", type=Path, help="the rule set (RuleSet JSON; default: the shipped rules)"
        )
        p.add_argument(
            "--matrix",
            type=Path,
            help="the responsibility matrix (JSON; default: the shipped matrix)",
        )
        p.add_argument(
            "--catalogue",
            type=Path,
            help="the category catalogue (JSON; default: the shipped catalogue)",
        )
        p.add_argument(
            "--calendar",
            type=Path,
            help="the working calendar (WorkCalendar JSON; default: Monday to Friday)",
        )
        p.add_argument(
            "--unlocated-at",
            metavar="UNIT",
            help="the unit unlocated issues are routed from (default: the top unit)",
        )

    p = commands.add_parser(
        "route",
        help="route a 12345 hotline export (CSV) on a grid",
        description=_route.__doc__ or "route a hotline export",
    )
    routing(p, required=True)
    p.add_argument("--hotline", type=Path, required=True, help="the hotline's export (CSV)")
    p.add_argument(
        "--labels",
        type=Path,
        help="the hotline's own category labels: a CSV of 'label,category code'",
    )
    p.add_argument(
        "--reject-unknown-households",
        dest="unlocated",
        action="store_false",
        help="reject rows whose household the grid does not know (default: route "
        "them as unlocated, 待定位)",
    )
    p.add_argument("--out", type=Path, required=True, help="the assignments (CSV)")
    p.add_argument("--rejects", type=Path, required=True, help="the rejected rows (CSV)")
    common(p)
    p.set_defaults(run=_route)

    p = commands.add_parser("sweep", help="the escalations due at a moment")
    p.add_argument("--cases", type=Path, required=True, help="the cases (Case JSON, a list)")
    p.add_argument("--policy", type=Path, required=True, help="the escalation policy (JSON)")
    p.add_argument(
        "--at",
        type=_moment,
        required=True,
        help="the moment of the sweep, ISO 8601 (without an offset: CST)",
    )
    routing(p, required=False)
    p.add_argument("--out", type=Path, required=True, help="the escalations (JSON)")
    common(p)
    p.set_defaults(run=_sweep)

    p = commands.add_parser("visits", help="a day's due visits, per micro-grid, and the plan")
    p.add_argument("--residents", type=Path, required=True, help="the personal files (JSON list)")
    p.add_argument("--records", type=Path, help="the visit records (JSON list; default none)")
    p.add_argument("--policy", type=Path, help="the visit policy (JSON; default: the shipped one)")
    p.add_argument("--grid", type=Path, required=True, help="the grid (GridGraph JSON)")
    p.add_argument("--day", type=_day, required=True, help="the day, YYYY-MM-DD")
    p.add_argument("--capacity", type=int, default=8, help="visits per member per day (default 8)")
    p.add_argument(
        "--out-dir",
        type=Path,
        required=True,
        help="the folder for due.csv, plan.csv and shortfalls.csv",
    )
    common(p)
    p.set_defaults(run=_visits)

    p = commands.add_parser("open311", help="cases as Open311 GeoReport v2 service requests")
    p.add_argument("--cases", type=Path, required=True, help="the cases (Case JSON, a list)")
    p.add_argument(
        "--at",
        type=_moment,
        required=True,
        help="the moment the status is read at, ISO 8601 (without an offset: CST)",
    )
    p.add_argument("--calendar", type=Path, help="the working calendar (JSON; default Mon–Fri)")
    p.add_argument("--catalogue", type=Path, help="the category catalogue (JSON)")
    p.add_argument("--format", choices=["json", "xml"], default="json", help="default json")
    p.add_argument("--out", type=Path, required=True, help="the service requests")
    common(p)
    p.set_defaults(run=_open311)

    p = commands.add_parser("report", help="the indicators per unit and period (CSV)")
    p.add_argument("--cases", type=Path, required=True, help="the cases (Case JSON, a list)")
    p.add_argument("--grid", type=Path, help="the grid, to name the units (GridGraph JSON)")
    p.add_argument("--calendar", type=Path, help="the working calendar (JSON; default Mon–Fri)")
    p.add_argument("--catalogue", type=Path, help="the category catalogue (JSON)")
    p.add_argument(
        "--by",
        choices=[g.value for g in Grain],
        default="month",
        help="the periods (CST; default month)",
    )
    p.add_argument(
        "--attribute",
        choices=["closing", "place", "filed"],
        default="closing",
        help="which unit a case counts at (default: the unit responsible at close)",
    )
    p.add_argument(
        "--set",
        nargs="+",
        choices=["digital_city", "hotline"],
        default=["digital_city", "hotline"],
        help="the indicator sets: 数字城管 and/or the 12345 三率 (default both)",
    )
    p.add_argument("--out", type=Path, required=True, help="the report (CSV)")
    common(p)
    p.set_defaults(run=_report)
    return parser


def main(argv: Sequence[str]) -> int:
    """Run one command on files and return the exit status: 0 done, 1 an input or output
    was refused (the message names the file and the problem), 2 a usage error.

    Example:
        >>> main(["open311", "--cases", "no-such-file.json", "--at", "2026-11-26T10:00",
        ...       "--out", "x.json"])
        1
    """
    parser = _parser()
    args = parser.parse_args(list(argv))
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except CliError as error:
        print(f"gridgov {args.command}: error: {error}", file=sys.stderr)
        return 1
    except GridGovError as error:
        print(f"gridgov {args.command}: error: {error}", file=sys.stderr)
        return 1
