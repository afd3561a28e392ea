"""The data of ``benchmarks/scale.py``, drawn community by community (not a benchmark itself;
imported as ``_scale_city``).

The grid is the fair kit's city (``_fairbench.grid_of``: 街道 → community → grid → micro-grid,
about 100 households per micro-grid, 10,000 per community).  What a community's workers read
from their own storage in a deployment — its residents' files, its visit records, the day's
issues, the month's cases — is drawn here from a seed *and the part's index*, with the part's
own places, so that a task can make its community's data where it runs, and the serial run
makes exactly the same data by calling the same functions part by part.

Each function is a *loader*, ``load(index, part)`` (see :mod:`gridgov.dask`), once its
keyword arguments are bound with :func:`functools.partial`.

* files: :data:`FILES_PER_10_HOUSEHOLDS` files per ten households of the community (3: the
  kit's city has ~2.46 residents a household and ~13 % of them under its visit profile),
  aged 45–99 (most 60+), living alone 20 %, no family support 4 %, discharged within the
  last two weeks 3 %, injured 3 %, seriously ill 4 %, disabled 5 %;
* visit records: each file's visits of the last 120 days, one every 7–60 days (about three a
  file);
* issues: at random households of the community, categories and severities as the demo's
  catalogue has them (severity 1–4 weighted 55/30/12/3 %), one in five naming a resident of
  the community's files (whose file a rule may read);
* cases: ``_metrics_cases.iter_cases`` over the community's places, reported in November
  2026 (the closed loop with its detours; ~8.6 events a case).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import _metrics_cases as M
from gridgov import CST, Channel, Condition, GridGraph, Issue, Reporter, Resident
from gridgov.cases import Case
from gridgov.issues import DEFAULT_CATALOGUE
from gridgov.visits import VisitRecord

DAY = date(2026, 11, 26)  # the day routed and swept (a Thursday)
MONTH = (datetime(2026, 11, 1, tzinfo=CST), datetime(2026, 12, 1, tzinfo=CST))
FILES_PER_10_HOUSEHOLDS = 3
CODES = tuple(sorted(DEFAULT_CATALOGUE.codes))
CHANNELS = tuple(Channel)
_CONDITIONS = (  # (kind, share, with a start date within the last two weeks)
    ("living_alone", 0.20, False),
    ("no_family_support", 0.04, False),
    ("recently_discharged", 0.03, True),
    ("injured", 0.03, True),
    ("seriously_ill", 0.04, False),
    ("disability", 0.05, False),
)


def warm() -> None:
    """Import on a worker what its tasks will run (done once when the cluster starts, like the
    worker's own start: not timed)."""
    import gridgov.dask  # noqa: F401


def _rng(what: str, seed: int, n: int) -> random.Random:
    return random.Random(f"{what}:{seed}:{n}")


_LAST: dict[tuple[int, int], list[Resident]] = {}


def files(n: int, part: GridGraph, *, seed: int) -> list[Resident]:
    """The residents' files of part *n* (ids ``r<n>-<k>``); the last part's are kept, as a
    worker keeps the files it has just read for its next step on the same community."""
    kept = _LAST.get((n, seed))
    if kept is None:
        _LAST.clear()
        kept = _LAST[(n, seed)] = _draw_files(n, part, seed)
    return kept


def _draw_files(n: int, part: GridGraph, seed: int) -> list[Resident]:
    rng = _rng("files", seed, n)
    homes = list(part.places)
    out = []
    for k in range(len(homes) * FILES_PER_10_HOUSEHOLDS // 10):
        age = rng.choice((45, 55)) + rng.randrange(10) if rng.random() < 0.1 else 60 + int(
            rng.triangular(0, 39, 8))
        born = date(DAY.year - age, 1, 1) + timedelta(days=rng.randrange(365) - 400)
        conditions = [
            Condition(kind=kind, start=DAY - timedelta(days=rng.randrange(14)) if dated else None)
            for kind, share, dated in _CONDITIONS
            if rng.random() < share
        ]
        out.append(Resident(id=f"r{n}-{k}", name="居民", household=rng.choice(homes),
                            birth_date=born, conditions=conditions))
    return out


def records(n: int, part: GridGraph, *, seed: int) -> list[VisitRecord]:
    """The visit records of part *n*'s files over the 120 days before :data:`DAY`."""
    rng = _rng("records", seed, n)
    out = []
    for r in files(n, part, seed=seed):
        back = rng.randrange(1, 60)
        while back < 120:
            d = DAY - timedelta(days=back)
            out.append(VisitRecord(id=f"v-{r.id}-{back}", resident=r.id, member="m",
                                   at=datetime(d.year, d.month, d.day, 9, tzinfo=CST)))
            back += rng.randrange(7, 60)
    return out


def issues(n: int, part: GridGraph, *, seed: int, per_part: int) -> list[Issue]:
    """*per_part* issues of :data:`DAY` at part *n*'s households (ids ``i<n>-<k>``)."""
    rng = _rng("issues", seed, n)
    homes = list(part.places)
    people = files(n, part, seed=seed)
    start = datetime(DAY.year, DAY.month, DAY.day, tzinfo=CST)
    return [
        Issue(id=f"i{n}-{k}", category=rng.choice(CODES),
              severity=rng.choices((1, 2, 3, 4), weights=(55, 30, 12, 3))[0],
              channel=rng.choice(CHANNELS), place=rng.choice(homes),
              resident=rng.choice(people).id if rng.random() < 0.2 else None,
              reporter=Reporter.resident(f"x{n}-{k}"),
              reported_at=start + timedelta(seconds=rng.randrange(86_400)))
        for k in range(per_part)
    ]


def named_files(n: int, part: GridGraph, *, seed: int, per_part: int) -> list[Resident]:
    """The files of the residents part *n*'s issues name (what its router may read)."""
    named = {i.resident for i in issues(n, part, seed=seed, per_part=per_part)}
    return [r for r in files(n, part, seed=seed) if r.id in named]


def cases(n: int, part: GridGraph, *, seed: int, per_part: int) -> list[Case]:
    """*per_part* closed cases of the month at part *n*'s places."""
    return list(M.iter_cases(part, list(part.places), per_part, seed * 1000 + n,
                             start=MONTH[0], end=MONTH[1], prefix=f"{n}-"))
