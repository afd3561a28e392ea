"""``python -m gridgov``: a short walk through the embedded sample community (亚新社区).

It prints the grid's tiers and units, looks up a household and its chain of units, names the
leaders of grid 3 and micro-grid ``mg31``, lists the partners, and summarises the personal
files (一人一档) of the elders under grid care with the conditions in force on the chosen day.

The day defaults to a fixed date, so that the output is the same on every run; pass
``--date`` for another.  ``--lang en`` prints English labels instead of Chinese ones (the
names of places and people stay as they are).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from gridgov.cases import CaseOpened, Escalated
from gridgov.cli import COMMANDS
from gridgov.cli import main as cli_main
from gridgov.demo import sample_case, sample_grid, sample_residents, sample_visits
from gridgov.grid import GridGraph, GridUnit
from gridgov.issues import DEFAULT_CATALOGUE
from gridgov.people import CONDITION_KINDS, Condition, Resident
from gridgov.visits import DEFAULT_POLICY, VisitColour, due_visits, plan_visits

__all__ = ["DEFAULT_DATE", "main"]

DEFAULT_DATE = date(2026, 11, 29)
"""The day reported on unless ``--date`` says otherwise (fixed, so the output is reproducible)."""

_PLACE = "h-1001"  # Aunt Lü's household, in 美好人家1号楼
_GRID = "g3"
_MICRO = "mg31"
_NEED = "elder_care"

# Labels, by key: (Chinese, English).
_TEXT = {
    "title": (
        "{community} 网格示例（网格版本 {version}，日期 {day}）",
        "Sample community {community} (grid version {version}, on {day})",
    ),
    "tiers": ("层级：", "Tiers: "),
    "count": ("{tier}（{n} 个）：", "{tier} ({n}): "),
    "e.g.": ("如{unit}下辖 ", "e.g. under {unit}: "),
    "households": ("户 {n:,}", "{n:,} households"),
    "lookup": ("查户 {place}：", "Household {place}: "),
    "leaders": ("负责人：", "Leaders:"),
    "leader": ("{unit} {title}：{name}", "{title} of {unit}: {name}"),
    "partners": ("联动单位：", "Partners:"),
    "partner": ("{kind} {name}，覆盖 {units}", "{kind} {name}, covering {units}"),
    "linkage": ("{unit} 养老服务可联动：{names}", "Elder care at {unit}: link up with {names}"),
    "files": ("一人一档（{day}）：在册 {n} 份", "Personal files on {day}: {n} open"),
    "in force": ("当日情况：", "Conditions in force: "),
    "by grid": ("按网格：", "By grid: "),
    "watch": ("动态监测：", "Dynamic monitoring:"),
    "person": ("{name}，{age} 岁，{place}（{unit}）：", "{name}, aged {age}, {place} ({unit}): "),
    "until": ("{label}（至 {day}）", "{label} (through {day})"),
    "case": ("吕阿姨的个案（{id}）：", "Aunt Lü's case ({id}):"),
    "case now": (
        "现由 {owner} 负责，首接单位 {first}，状态 {status}",
        "now owned by {owner}, first receiving unit {first}, status {status}",
    ),
    "due": (
        "{day} 应走访 {n} 人（逾期未访 {missed} 人）：{colours}",
        "Due visits on {day}: {n} ({missed} missed): {colours}",
    ),
    "plan": (
        "走访安排（每人每日最多 {cap} 户）：安排 {planned} 次，{members} 名网格员，人手不足 {short} 次",
        "Visit plan (at most {cap} a day each): {planned} visits for {members} members, {short} short of staff",
    ),
    "busiest": ("任务最多：", "Busiest: "),
    "routed why": ("分派：", "Routed: "),
    "escalated why": ("上报：", "Escalated: "),
    "vacant": ("空缺", "vacant"),
    "none": ("无", "none"),
}

Labels = Callable[..., str]


def main(argv: list[str] | None = None) -> int:
    """Print the walk through the sample community and return the exit status (0).

    Args:
        argv: the command-line arguments (default: ``sys.argv[1:]``).

    Example:
        >>> main(["--lang", "en", "--date", "2027-01-01"])
        Sample community 亚新社区 (grid version 2026-11, on 2027-01-01)
        ...
            吕阿姨, aged 78, h-1001 (美好人家1号楼): living alone
        0
    """
    given = sys.argv[1:] if argv is None else list(argv)
    if given and given[0] in COMMANDS:
        return cli_main(given)
    args = _parser().parse_args(given)
    day: date = args.date
    zh = args.lang == "zh"
    comma = "、" if zh else ", "

    def t(key: str, **values: object) -> str:
        return _TEXT[key][0 if zh else 1].format(**values)

    def names(units: Iterable[GridUnit]) -> str:
        return comma.join(u.name for u in units)

    grid = sample_grid()
    print(t("title", community=grid.roots[0].name, version=grid.version, day=day.isoformat()))

    # The tiers and their units.
    print()
    tiers = [grid.scheme[name] for name in grid.scheme.names]
    print(t("tiers") + " → ".join(tier.zh if zh else tier.label for tier in tiers))
    for tier in tiers:
        units = grid.units_of(tier.name)
        count = t("count", tier=tier.zh if zh else tier.label, n=len(units))
        if len(units) <= 6:
            print("  " + count + names(units))
        else:
            example = grid.unit(_GRID)
            print("  " + count + t("e.g.", unit=example.name) + names(grid.children(example.id)))
    print("  " + t("households", n=len(grid.places)))

    # A household, its micro-grid and the chain of units above it.
    print()
    chain = grid.place_chain(_PLACE)
    print(t("lookup", place=_PLACE) + " → ".join(f"{u.name} ({u.id})" for u in chain))

    # Who leads grid 3 and its first micro-grid.
    print()
    print(t("leaders"))
    for uid in (_GRID, _MICRO):
        unit = grid.unit(uid)
        tier = grid.scheme[unit.tier]
        leader = grid.leader(uid)
        print(
            "  "
            + t(
                "leader",
                unit=unit.name,
                title=tier.leader_title_zh if zh else tier.leader_title.capitalize(),
                name=t("vacant") if leader is None else leader.name,
            )
        )

    # The partners, and whom to link up with for elder care in micro-grid mg31.
    print()
    print(t("partners"))
    for p in grid.partners:
        covered = names(grid.unit(u) for u in sorted(p.units))
        print(
            "  " + t("partner", kind=p.kind.zh if zh else p.kind.label, name=p.name, units=covered)
        )
    linked = comma.join(
        p.name for p in grid.partners_for(_MICRO, _NEED, catalogue=DEFAULT_CATALOGUE)
    ) or t("none")
    print("  " + t("linkage", unit=grid.unit(_MICRO).name, names=linked))

    # The personal files of the elders under grid care.
    print()
    residents = sample_residents()
    _print_files(grid, residents, day, t, zh=zh)

    # Aunt Lü's case: routed to her micro-grid, escalated to grid 3, 物业 linked.
    print()
    case = sample_case()
    print(t("case", id=case.id))
    for line in case.describe(lang=args.lang, catalogue=DEFAULT_CATALOGUE).splitlines():
        print("  " + line)
    opened, escalated = case.events[0], next(e for e in case.events if isinstance(e, Escalated))
    assert isinstance(opened, CaseOpened)
    assert opened.reason is not None  # the routing's reason, kept on the case
    print("  " + t("routed why") + (opened.reason.zh if zh else opened.reason.en))
    print("  " + t("escalated why") + (escalated.reason.zh if zh else escalated.reason.en))
    status = case.status.zh if zh else case.status.value.replace("_", " ")
    first = grid.unit(case.accountable).name
    print("  " + t("case now", owner=case.owner_name, first=first, status=status))

    # The day's due visits under the default policy, and a plan for the workers.
    print()
    records = sample_visits()
    due = list(due_visits(residents, records, DEFAULT_POLICY, on=day))
    colours = Counter(d.colour for d in due)
    shown = comma.join(f"{c.zh if zh else c.label} {colours[c]}" for c in VisitColour if colours[c])
    missed = sum(1 for d in due if d.missed)
    print(t("due", day=day.isoformat(), n=len(due), missed=missed, colours=shown or t("none")))
    for d in due:
        if d.resident == "r-lu":
            print("  " + (d.reason.zh if zh else d.reason.en))
    cap = 3
    plan = plan_visits(
        residents, records, DEFAULT_POLICY, grid, start=day, end=day, capacity_per_member=cap
    )
    load = Counter(v.member for v in plan.visits)
    print(
        "  "
        + t(
            "plan", cap=cap, planned=len(plan.visits), members=len(load), short=len(plan.shortfalls)
        )
    )
    busiest = comma.join(f"{grid.member(m).name} {n}" for m, n in load.most_common(3))
    print("  " + t("busiest") + (busiest or t("none")))
    return 0


def _print_files(
    grid: GridGraph, residents: Iterable[Resident], day: date, t: Labels, *, zh: bool
) -> None:
    comma, semi = ("、", "；") if zh else (", ", "; ")
    files = [r for r in residents if r.file_opened is None or r.file_opened <= day]
    print(t("files", day=day.isoformat(), n=len(files)))

    counts = Counter(kind for r in files for kind in r.conditions_on(day))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    in_force = comma.join(f"{_kind_label(kind, zh=zh)} {n}" for kind, n in ranked)
    print("  " + t("in force") + (in_force or t("none")))

    by_grid = Counter(_grid_of(grid, r.household).id for r in files)
    print(
        "  "
        + t("by grid")
        + comma.join(f"{u.name} {by_grid[u.id]}" for u in grid.units_of("grid") if by_grid[u.id])
    )

    # Files with time-limited conditions (an injury, a hospital stay) are watched closely:
    # show them in full, with what is in force on the day.
    watched = [r for r in files if any(c.end is not None for c in r.conditions)]
    if watched:
        print("  " + t("watch"))
    for r in watched:
        unit = grid.place_unit(r.household)
        head = t("person", name=r.name, age=r.age_on(day), place=r.household, unit=unit.name)
        now = [_condition(c, t, zh=zh) for c in r.conditions if c.in_force(day)]
        print("    " + head + (semi.join(now) or t("none")))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gridgov",
        description=(
            "A walk through the embedded sample community (亚新社区): its grid, a household "
            "lookup, leaders, partners, the personal files of the elders under grid care, "
            "Aunt Lü's case (routed, escalated, linked with 物业), the day's due visits and a "
            "plan for the grid workers."
        ),
        epilog=(
            "Commands on real files: python -m gridgov {route,sweep,visits,open311,report} "
            "--help (route a 12345 export, the escalation sweep, the day's visits, Open311 "
            "export, the indicators)."
        ),
    )
    parser.add_argument(
        "--date",
        type=_date,
        default=DEFAULT_DATE,
        metavar="YYYY-MM-DD",
        help=(
            f"the day to report on (default: {DEFAULT_DATE.isoformat()}, a fixed day so that "
            "the output is reproducible)"
        ),
    )
    parser.add_argument(
        "--lang",
        choices=["zh", "en"],
        default="zh",
        help="labels in Chinese (zh, the default) or English (en)",
    )
    return parser


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date YYYY-MM-DD (got {text!r})") from None


def _grid_of(grid: GridGraph, place: str) -> GridUnit:
    """The unit of tier ``grid`` above a place."""
    return next(u for u in grid.place_chain(place) if u.tier == "grid")


def _kind_label(kind: str, *, zh: bool) -> str:
    known = CONDITION_KINDS.get(kind)
    if known is None:
        return kind
    return known.zh if zh else known.label


def _condition(c: Condition, t: Labels, *, zh: bool) -> str:
    """A condition's label, with its last day if it is time-limited (``end`` is exclusive)."""
    label = _kind_label(c.kind, zh=zh)
    if c.end is None:
        return label
    return t("until", label=label, day=(c.end - timedelta(days=1)).isoformat())


if __name__ == "__main__":
    sys.exit(main())
