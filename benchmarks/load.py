"""Benchmark: loading a street's and a city's state from JSON, fast and as strict as ever.

Loading is the first thing an app does every morning: the grid, the residents' files and the
open cases, read from the JSON that ``to_dict`` + ``json.dumps`` wrote the night before.  This
benchmark dumps two bundles and times loading them back, per value, in one run:

* **street** (``--sizes street``): the fair kit's city at 30,000 households (3 communities of
  10 grids of 10 micro-grids of ~100 households, as ``_fairbench`` builds it), 60,000
  residents' files (two per household, seeded: birth dates, one or two conditions, some with
  a validity window, some tags) and 5,000 cases with their events (``escalation.py``'s
  ``build_cases``: opened, accepted, dispatched, suspended, escalated, reworked, merged…);
* **city** (``--sizes city``): the kit's ``large`` city, 2,000,866 households, and 500,000
  residents' files (one on every fourth household).

Each part is one JSON text (the grid a dict, the files and the cases lists of dicts).  The
contenders, timed in turns in the same rounds (``_fairbench.rounds``: CPU time, gc enabled,
results kept until the round ends; each round starts one contender later, so that no one
always runs on the smallest heap), each from the same text:

* ``json.loads`` alone — the floor: text to dicts, nothing built;
* **gridgov** — ``json.loads`` then ``from_dicts(items, cls)`` (the grid: ``from_dict``): the
  fast road, every value built by its own constructor, validators and all;
* **today's from_dict** — ``json.loads`` then the ``from_dict`` of the commit before the fast
  road (:data:`BASE`), read from git (``git show BASE:src/gridgov/serialize.py``) and run
  beside the new one — a labelled copy of the old path, loaded, not pasted;
* **cattrs, unvalidated** — ``json.loads`` then a ``cattrs.Converter`` structuring the same
  classes (five hooks: ISO dates, datetimes and times, seconds, and the case events by their
  ``type``) inside ``attrs.validators.disabled()``: what structuring costs without gridgov's
  validation (and without its strictness: cattrs' ``str`` hook would take ``7`` as ``'7'``);
* **cattrs, validated** — the same converter with the validators on: what building on cattrs
  would cost;
* beside them, two floors: for the files, **constructors alone** (``Resident(...)`` and
  ``Condition(...)`` from decoded arguments), and for the cases, **replay alone**
  (``Case(events=...)`` from events already built: the lifecycle replayed, nothing read).

Each contender's line also shows how much of its time the cyclic garbage collector took
(``of which gc``): its full collections scan the whole heap, so they grow with every
container or value a load keeps, and with everything the process already holds.

Every contender's values must equal the originals before anything is timed (the script stops
with an error otherwise).  Targets (per value, the median of the per-round ratios): gridgov
within 4x of ``json.loads`` alone, and at least 10x faster than today's ``from_dict``.

Usage::

    python benchmarks/load.py                 # street and city, 3 rounds
    python benchmarks/load.py --sizes street  # the street only
    python benchmarks/load.py --sizes street --parts cases  # the street's cases only
    python benchmarks/load.py --smoke         # the kit's tiny city, a second (CI); exits 0
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import subprocess
import sys
import types
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import process_time as clock
from typing import Any

import attrs

import _fairbench as fb
from gridgov import Condition, GridGraph, Resident, from_dict, from_dicts, registered, to_dict
from gridgov.cases import Case, CaseEvent

JSON_TARGET = 4.0  # gridgov's load within 4x of json.loads alone
SPEEDUP_TARGET = 10.0  # and at least 10x faster than today's from_dict
BASE = "87efea2"  # the last commit before the fast road: today's from_dict
ROOT = Path(__file__).resolve().parent.parent

STREET = {"C": 3, "G": 10, "M": 10, "H": 100, "communities_per_subdistrict": 10}
SIZES: dict[str, tuple[dict[str, int], int, int]] = {
    # preset, residents' files, cases
    "street": (STREET, 60_000, 5_000),
    "city": (fb.SIZES[2_000_000], 500_000, 0),
}
SMOKE = ("smoke", (fb.SMOKE, 400, 50))

KINDS = ("living_alone", "no_family_support", "empty_nest", "disabled", "chronic_illness",
         "dementia", "low_income")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


# --------------------------------------------------------------------------- the bundle


def residents(households: Sequence[str], n: int, seed: int = 16) -> list[Resident]:
    """*n* seeded residents' files spread evenly over *households*."""
    rng = random.Random(seed)
    step = max(1, len(households) // n) if n <= len(households) else 1
    files = []
    for i in range(n):
        household = households[(i * step + i // len(households)) % len(households)]
        born = date(1930, 1, 1) + timedelta(days=rng.randrange(365 * 70))
        conditions = [Condition(kind=rng.choice(KINDS))]
        if rng.random() < 0.3:
            start = date(2026, 1, 1) + timedelta(days=rng.randrange(330))
            conditions.append(
                Condition(kind="injured", start=start, end=start + timedelta(days=30), note="摔伤")
            )
        files.append(
            Resident(
                id=f"r{i:07d}",
                name=rng.choice(SURNAMES) + rng.choice(("阿姨", "大爷", "奶奶", "爷爷")),
                household=household,
                birth_date=born,
                conditions=conditions,
                file_opened=date(2020, 1, 1) + timedelta(days=rng.randrange(2000)),
                tags=("party_member",) if rng.random() < 0.1 else (),
            )
        )
    return files


def cases(grid: GridGraph, n: int) -> list[Case]:
    """*n* open cases with their events: ``escalation.py``'s generator, reused."""
    if n == 0:
        return []
    import escalation  # benchmarks/escalation.py: the cases of the escalation sweep

    places = sorted(grid.places)[:: max(1, len(grid.places) // 3000)]
    return escalation.build_cases(grid, places, n, seed=7, backlog_days=3.0)


# --------------------------------------------------------------------------- the contenders


def today_from_dict() -> Callable[..., Any] | None:
    """``from_dict`` as it was at :data:`BASE`, loaded from git beside the new one (None if
    git or the commit is not at hand)."""
    try:
        source = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{BASE}:src/gridgov/serialize.py"],
            capture_output=True, text=True, check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType(f"serialize_at_{BASE}")
    exec(compile(source, f"<serialize.py at {BASE}>", "exec"), module.__dict__)
    module._REGISTRY.update({cls.__name__: cls for cls in registered()})
    return module.from_dict  # type: ignore[no-any-return]


def cattrs_converter() -> Any:
    """A ``cattrs.Converter`` for gridgov's classes (None if cattrs is not installed)."""
    try:
        import cattrs
    except ImportError:
        return None
    by_name = {cls.__name__: cls for cls in registered()}
    conv = cattrs.Converter()
    conv.register_structure_hook(date, lambda v, _: date.fromisoformat(v))
    conv.register_structure_hook(datetime, lambda v, _: datetime.fromisoformat(v))
    conv.register_structure_hook(time, lambda v, _: time.fromisoformat(v))
    conv.register_structure_hook(timedelta, lambda v, _: timedelta(seconds=v))
    conv.register_structure_hook_func(
        lambda t: t is CaseEvent, lambda v, _: conv.structure(v, by_name[v["type"]])
    )
    return conv


def contenders(
    text: str, cls: type, many: bool, old: Callable[..., Any] | None, conv: Any
) -> list[tuple[str, Callable[[], Any]]]:
    loads = json.loads

    def ours() -> Any:
        return from_dicts(loads(text), cls) if many else from_dict(loads(text), cls)

    out = [("json.loads", lambda: loads(text)), ("gridgov", ours)]
    if old is not None:
        out.append(("today's from_dict",
                    (lambda: [old(d, cls) for d in loads(text)]) if many
                    else (lambda: old(loads(text), cls))))
    if conv is not None:
        structure = conv.structure

        def bare() -> Any:
            with attrs.validators.disabled():
                return [structure(d, cls) for d in loads(text)] if many else structure(
                    loads(text), cls)

        out.append(("cattrs, unvalidated", bare))
        out.append(("cattrs, validated",
                    (lambda: [structure(d, cls) for d in loads(text)]) if many
                    else (lambda: structure(loads(text), cls))))
    return out


def constructors_alone(files: Sequence[Resident]) -> Callable[[], Any]:
    """The floor of any strict loader above ``json.loads``: the residents' files built by
    their constructors (validators and all) from arguments already decoded (dates parsed),
    each condition built too — no dict read, no type checked, no key compared."""
    prepared = [
        (
            {
                "id": r.id, "name": r.name, "household": r.household,
                "birth_date": r.birth_date, "file_opened": r.file_opened, "tags": r.tags,
            },
            [(c.kind, c.start, c.end, c.note) for c in r.conditions],
        )
        for r in files
    ]

    def build() -> list[Resident]:
        return [
            Resident(
                conditions=tuple([Condition(kind=k, start=s, end=e, note=n) for k, s, e, n in cs]),
                **kw,
            )
            for kw, cs in prepared
        ]

    return build


class CollectorClock:
    """The CPU time the cyclic garbage collector spends while a contender runs (``gc``'s
    callbacks; collections between contenders are not counted): how much of a load is the
    collector scanning the heap — which grows with every container or value kept."""

    def __init__(self) -> None:
        self.running = False
        self.spent = 0.0
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if not self.running:
            return
        if phase == "start":
            self._start = clock()
        else:
            self.spent += clock() - self._start

    def timed(self, fn: Callable[[], Any], spent: list[float]) -> Callable[[], Any]:
        """*fn*, adding the collector's time during each call to *spent*."""

        def run() -> Any:
            self.spent, self.running = 0.0, True
            try:
                return fn()
            finally:
                self.running = False
                spent.append(self.spent)

        return run


def replay_alone(cases_: Sequence[Case]) -> Callable[[], Any]:
    """The part of loading a case that is its lifecycle: ``Case(events=...)`` from events
    already built (the state replayed event by event, every transition checked) — no dict
    read, no event built."""
    events = [tuple(c.events) for c in cases_]

    def build() -> list[Case]:
        return [Case(events=e) for e in events]

    return build


def rotated_rounds(
    cases_: Sequence[tuple[str, Callable[[], Any]]], repeat: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """``_fairbench.rounds``, one round at a time, each round starting one contender later:
    every contender keeps its result until the round ends, so a round's heap grows as it goes
    and the collector's work depends on the place in the round; rotating spreads the places.
    Returns the CPU times and, of them, the collector's (:class:`CollectorClock`)."""
    times: dict[str, list[float]] = {name: [] for name, _ in cases_}
    spent: dict[str, list[float]] = {name: [] for name, _ in cases_}
    watch = CollectorClock()
    gc.callbacks.append(watch)
    try:
        for r in range(repeat):
            k = r % len(cases_)
            order = [*cases_[k:], *cases_[:k]]
            fns = [watch.timed(fn, spent[name]) for name, fn in order]
            for (name, _), ts in zip(order, fb.rounds(1, *fns), strict=True):
                times[name] += ts
    finally:
        gc.callbacks.remove(watch)
    return times, spent


# --------------------------------------------------------------------------- a size


def run_size(label: str, spec: tuple[dict[str, int], int, int], args: argparse.Namespace,
             old: Callable[..., Any] | None, conv: Any) -> list[tuple[str, str, float]]:
    """Dump and load one bundle; print the table; return (part, what, ratio) to check."""
    preset, n_res, n_cases = spec
    city = fb.generate(preset)
    grid = fb.grid_of(city)
    households = sorted(grid.places, key=lambda h: int(h[1:]))
    wanted = set(args.parts.split(","))
    parts: list[tuple[str, type, bool, Any]] = []
    if "grid" in wanted:
        parts.append(("grid", GridGraph, False, grid))
    if "residents" in wanted:
        parts.append(("residents", Resident, True, residents(households, n_res)))
    if n_cases and "cases" in wanted:
        parts.append(("cases", Case, True, cases(grid, n_cases)))
    print(f"\n## {label}: {fb.describe(city)}")
    print(f"{len(grid.places):,} households, {len(grid.units):,} units, {n_res:,} residents' "
          f"files, {n_cases:,} cases; {args.repeat} rounds, CPU time per value")
    checks: list[tuple[str, str, float]] = []
    for part, cls, many, value in parts:
        text = json.dumps([to_dict(x) for x in value] if many else to_dict(value),
                          ensure_ascii=False)
        count = len(value) if many else 1
        cases_ = contenders(text, cls, many, old, conv)
        if cls is Resident:
            cases_.append(("constructors alone", constructors_alone(value)))
        if cls is Case:
            cases_.append(("replay alone", replay_alone(value)))
        for name, fn in cases_[1:]:  # same answers first
            got = fn()
            if got != value:
                raise SystemExit(f"load.py: {name} did not load the {part} as dumped")
        times, in_gc = rotated_rounds(cases_, args.repeat)
        unit = "ms" if not many else "µs"
        scale = 1e3 if not many else 1e6
        print(f"\n{part}: {count:,} × {cls.__name__}, {len(text.encode()) / 1e6:.1f} MB of JSON")
        print(f"  {'contender':<22} {'per value':>12}  {'÷ json.loads':>26}  {'÷ gridgov':>26}"
              f"  {'of which gc':>12}")
        floor, ours = times["json.loads"], times["gridgov"]
        for name, ts in times.items():
            per = fb.median(ts) / count * scale
            vs_json = fb.show_range(*fb.ratio_range(ts, floor), ".2f")
            vs_ours = fb.show_range(*fb.ratio_range(ts, ours), ".2f")
            collector = fb.median(in_gc[name]) / count * scale
            print(f"  {name:<22} {per:>9.2f} {unit}  {vs_json:>26}  {vs_ours:>26}"
                  f"  {collector:>9.2f} {unit}")
        checks.append((part, "gridgov ÷ json.loads", fb.ratio_range(ours, floor)[1]))
        if "today's from_dict" in times:
            old_t = times["today's from_dict"]
            checks.append((part, "today's ÷ gridgov", fb.ratio_range(old_t, ours)[1]))
            above = [max(o - f, 1e-9) for o, f in zip(ours, floor, strict=True)]
            old_above = [o - f for o, f in zip(old_t, floor, strict=True)]
            print("  beyond json.loads (structuring alone), today's ÷ gridgov: "
                  + fb.show_range(*fb.ratio_range(old_above, above), ".2f"))
    return checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="street,city", help="street, city or both")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--parts", default="grid,residents,cases",
                        help="which parts to load (default all: grid,residents,cases)")
    parser.add_argument("--smoke", action="store_true", help="the tiny city, one round")
    args = parser.parse_args(argv)
    if args.smoke:
        args.repeat = 1
    print(f"# load — Python {platform.python_version()}, {platform.machine()}")
    old, conv = today_from_dict(), cattrs_converter()
    if old is None:
        print(f"(today's from_dict not measured: git or commit {BASE} not at hand)")
    if conv is None:
        print("(cattrs not measured: pip install cattrs, or the 'benchmarks' extra)")
    if not args.smoke and (old is None or conv is None):
        print("load.py: the full run needs git history and cattrs")
        return 1
    sizes = [SMOKE] if args.smoke else [(s, SIZES[s]) for s in args.sizes.split(",")]
    checks: list[tuple[str, str, float]] = []
    for label, spec in sizes:
        checks += [(f"{label} {part}", what, r) for part, what, r in
                   run_size(label, spec, args, old, conv)]
    print("\n## targets (median of the per-round ratios)")
    missed = 0
    for part, what, ratio in checks:
        ok = ratio <= JSON_TARGET if what.endswith("json.loads") else ratio >= SPEEDUP_TARGET
        target = f"≤ {JSON_TARGET:g}x" if what.endswith("json.loads") else f"≥ {SPEEDUP_TARGET:g}x"
        missed += not ok
        print(f"  {part:<18} {what:<22} {ratio:6.2f}x  target {target}: "
              f"{'met' if ok else 'MISSED'}")
    if args.smoke:
        return 0
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
