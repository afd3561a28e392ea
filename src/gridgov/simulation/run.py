"""Running a simulation and comparing two: :func:`simulate`, :func:`compare`, and
:func:`sample_setup` (the sample community, for examples and first tries).

Example:
    >>> import random
    >>> from datetime import date
    >>> import attrs
    >>> base = sample_setup()
    >>> a = simulate(base, start=date(2026, 11, 2), days=7, rng=random.Random(5))
    >>> b = simulate(base, start=date(2026, 11, 2), days=7, rng=random.Random(5))
    >>> a == b
    True
"""

from __future__ import annotations

import random
from datetime import date

import attrs

import gridgov._validators as v
from gridgov.reasons import Reason, Ref
from gridgov.simulation._engine import MAX_DAYS, Engine
from gridgov.simulation.models import (
    Exponential,
    Handling,
    LoadLine,
    LoadModel,
    LogNormal,
    Setup,
    Staffing,
    StaffLine,
)
from gridgov.simulation.results import BEYOND, Comparison, ComparisonLine, SimulationResult

__all__ = ["compare", "sample_setup", "simulate"]


def simulate(setup: Setup, *, start: date, days: int, rng: random.Random) -> SimulationResult:
    """Run *setup* day by day for *days* days from *start*, drawing from *rng*.

    Each day the load model's issues are drawn and routed and their cases opened; each
    unit's staff spend the day's capacity on the visits due (每日一访 first: visits before
    cases), then on their cases in deadline order, first come first served on a tie —
    accepting, handling for the drawn working hours (carried over days), resolving,
    verifying, taking the resident's verdict (a dissatisfied resident reopens the case) and
    closing; at the end of each working day the escalation sweep runs and each proposal is
    applied, the case moving to its new owner's queue (``"beyond"``: the external body, which
    takes it the next working day).

    Two streams are derived from *rng* at the start — the load and the handling — so that
    two setups run on equal seeds see the same issues.  Pure: nothing is read from a clock,
    and equal seeds give equal results.

    Raises:
        InvalidValueError: for a *setup* that is not a :class:`Setup`, a *start* that is not
            a date, *days* not from 1 to 366, an *rng* that is not a ``random.Random``, or a
            load of more than 100,000 issues a day.
        PolicyError: if the router refuses an issue of the load (a matrix without a unit that
            may handle it, for instance): the setup cannot carry its own load.

    Example:
        >>> import random
        >>> from datetime import date
        >>> r = simulate(sample_setup(), start=date(2026, 11, 2), days=14, rng=random.Random(2))
        >>> r.cases > 0, r.daily[5].working, r.daily[5].hours_available
        (True, False, 0.0)
        >>> simulate(sample_setup(), start=date(2026, 11, 2), days=400, rng=random.Random(2))
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'days' must be an integer from 1 to 366 (got 400).
    """
    v.check_instance("setup", setup, Setup)
    v.check_date("start", start)
    v.check_integer("days", days, 1, MAX_DAYS)
    return Engine(setup, start=start, days=days, rng=rng).run()


def compare(base: Setup, variant: Setup, *, start: date, days: int, seed: int) -> Comparison:
    """Run *base* and *variant* on ``random.Random(seed)`` each — the same issues — and show
    the differences side by side: escalations per tier, missed visits, utilisation per
    tier, the backlog per tier at the end, and the setup's indicators at the top units.

    Raises:
        InvalidValueError: as :func:`simulate`, or for a *seed* that is not an int.

    Example:
        >>> from datetime import date
        >>> import attrs
        >>> from gridgov.simulation import Staffing, StaffLine
        >>> base = sample_setup()
        >>> short = attrs.evolve(base, name="少一人",
        ...                      staffing=attrs.evolve(base.staffing, lines=[
        ...                          StaffLine(tier="micro_grid", workers=1, hours=3),
        ...                          StaffLine(tier="grid", workers=1, hours=7),
        ...                          StaffLine(tier="community", workers=2, hours=7)]))
        >>> c = compare(base, short, start=date(2026, 11, 2), days=20, seed=1)
        >>> c.base.cases == c.variant.cases
        True
        >>> c.line("utilisation", "micro_grid").change > 0
        True
        >>> print(c.line("escalations", "micro_grid").reason.zh)  # doctest: +ELLIPSIS
        微网格上报（逐级上移）：现行 ... 件，少一人 ... 件...
    """
    v.check_instance("base", base, Setup)
    v.check_instance("variant", variant, Setup)
    v.check_integer("seed", seed, -(2**63), 2**63 - 1)
    a = simulate(base, start=start, days=days, rng=random.Random(seed))
    b = simulate(variant, start=start, days=days, rng=random.Random(seed))
    return Comparison(seed=seed, base=a, variant=b, lines=_lines(base, a, b))


# --------------------------------------------------------------------------- the lines


def _tier_names(setup: Setup) -> dict[str, tuple[str, str]]:
    names = {t.name: (t.zh or t.name, t.label or t.name) for t in setup.router.grid.scheme}
    body = setup.escalation.beyond
    names[BEYOND] = (body.name, body.name)
    return names


def _said(x: float, kind: str) -> tuple[str, str]:
    """*x* as a reason shows it, in Chinese and in English."""
    if kind == "share":
        return f"{x * 100:.1f}%", f"{x * 100:.1f}%"
    if kind == "count":
        return f"{x:.0f} 件", f"{x:.0f}"
    return f"{x:.2f}", f"{x:.2f}"


def _change(a: float, b: float, kind: str) -> tuple[str, str]:
    d = b - a
    if abs(d) < 1e-9:
        return "持平", "no change"
    up = d > 0
    if kind == "share":
        zh_amount, en_amount = f"{abs(d) * 100:.1f} 个百分点", f"{abs(d) * 100:.1f} points"
    else:
        zh_amount, en_amount = _said(abs(d), kind)
        en_amount = en_amount.removesuffix(" 件")
    return f"{'增加' if up else '减少'} {zh_amount}", f"{'up' if up else 'down'} {en_amount}"


def _line(measure: str, subject: str | None, a: float, b: float, what: tuple[str, str],
          names: tuple[str, str], kind: str = "count", refs: tuple[Ref, ...] = ()
          ) -> ComparisonLine:
    (a_zh, a_en), (b_zh, b_en) = _said(a, kind), _said(b, kind)
    c_zh, c_en = _change(a, b, kind)
    base_name, variant_name = names
    reason = Reason(
        zh=f"{what[0]}：{base_name} {a_zh}，{variant_name} {b_zh}（{c_zh}）",
        en=f"{what[1]}: {base_name} {a_en}, {variant_name} {b_en} ({c_en})",
        refs=refs,
    )
    return ComparisonLine(measure=measure, subject=subject, base=float(a), variant=float(b),
                          reason=reason)


def _lines(setup: Setup, a: SimulationResult, b: SimulationResult) -> tuple[ComparisonLine, ...]:
    names = (a.name, b.name)
    tiers = _tier_names(setup)
    out: list[ComparisonLine] = []
    for t in a.tiers:
        zh, en = tiers[t]
        out.append(_line("escalations", t, a.escalations_by_tier.get(t, 0),
                         b.escalations_by_tier.get(t, 0),
                         (f"{zh}上报（逐级上移）", f"escalations from the {en} tier"), names))
    out.append(_line("missed_visits", None, a.missed_visits, b.missed_visits,
                     ("未按时探访（人·天）", "visits missed (resident-days)"), names))
    for t in a.tiers:
        zh, en = tiers[t]
        out.append(_line("utilisation", t, a.utilisation.get(t, 0.0), b.utilisation.get(t, 0.0),
                         (f"{zh}人员工时利用率", f"staff utilisation at the {en} tier"), names,
                         "share"))
    body = setup.escalation.beyond
    for t in (*a.tiers, BEYOND):
        zh, en = tiers[t]
        refs = (Ref(kind="body", id=body.id, name=body.name),) if t == BEYOND else ()
        out.append(_line("backlog", t, a.daily[-1].backlog.get(t, 0), b.daily[-1].backlog.get(t, 0),
                         (f"期末{zh}在办积压", f"open cases at the {en} at the end"), names,
                         refs=refs))
    for root in setup.router.grid.roots:
        ref = Ref(kind="unit", id=root.id, name=root.name)
        for ind in setup.indicators:
            x, y = a.indicator(ind.name, root.id), b.indicator(ind.name, root.id)
            if x is None or y is None:
                continue
            out.append(_line("indicator", ind.name, x, y,
                             (f"{root.name}{ind.zh}", f"{ind.name.replace('_', ' ')} at {root.name}"),
                             names, "value", (ref,)))
    return tuple(out)


# --------------------------------------------------------------------------- the sample


def sample_setup() -> Setup:
    """A setup for the sample community (``gridgov.demo``): its grid with the default
    rules and matrix, its escalation policy, the default visit policy and its elders, one
    worker a micro-grid and a grid, two at the community, and a load of about one issue
    per 300 households a day.

    Example:
        >>> s = sample_setup()
        >>> s.name, len(s.router.grid.places), s.staffing.capacity("g3", "grid")
        ('现行', 2944, 7.0)
    """
    from gridgov.demo import sample_grid, sample_policy, sample_residents
    from gridgov.routing import DEFAULT_MATRIX, DEFAULT_RULES, Router
    from gridgov.visits import DEFAULT_POLICY

    router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    return Setup(
        name="现行",
        router=router,
        escalation=attrs.evolve(sample_policy(), calendar=router.calendar),
        visits=DEFAULT_POLICY,
        residents=sample_residents(),
        staffing=Staffing(
            lines=[StaffLine(tier="micro_grid", workers=1, hours=7),
                   StaffLine(tier="grid", workers=1, hours=7),
                   StaffLine(tier="community", workers=2, hours=7)],
            handling=[Handling(category="dispute", time=LogNormal(median=3, sigma=0.6)),
                      Handling(category="policy_enquiry", time=Exponential(mean=0.5))],
            default=Exponential(mean=2),
        ),
        load=LoadModel(
            lines=[LoadLine(category="dispute", rate=0.0008),
                   LoadLine(category="dispute", severity=3, rate=0.0002),
                   LoadLine(category="environment", rate=0.001),
                   LoadLine(category="facility_repair", rate=0.0008),
                   LoadLine(category="policy_enquiry", rate=0.0006)],
            weekdays=[1.2, 1.1, 1, 1, 1, 0.7, 0.6],
            residents=0.2,
        ),
    )

