"""What a simulation gives back: the figures of each day, the totals of the run, and the
side-by-side lines of a comparison.

:class:`SimulationResult` holds one run of :func:`~gridgov.simulation.simulate`: a
:class:`DayFigures` per simulated day (new issues, the backlog per tier, the escalations per
tier, the visits due, made and missed, the hours used and available), the totals (escalations
by tier and by trigger, the queue of each unit at the end, the missed visits, the utilisation
of each tier's staff) and the metrics of the period (a :class:`~gridgov.metrics.Tally` and the
:class:`~gridgov.metrics.Table` of the setup's indicators).  :class:`Comparison` holds two
runs on the same seeded load and a :class:`ComparisonLine` per difference, each with a
:class:`~gridgov.reasons.Reason` naming the tiers by name, Chinese first.

Every mapping is read-only; tiers are keyed by their code (``"grid"``), top first, plus
``"beyond"`` for the cases handed to the policy's external body.

Example:
    >>> from datetime import date
    >>> import random
    >>> from gridgov.simulation import sample_setup, simulate
    >>> result = simulate(sample_setup(), start=date(2026, 11, 2), days=5, rng=random.Random(7))
    >>> [d.day.isoformat() for d in result.daily][:2], result.days
    (['2026-11-02', '2026-11-03'], 5)
    >>> list(result.daily[-1].backlog)
    ['community', 'grid', 'micro_grid', 'beyond']
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

import attrs

import gridgov._validators as v
from gridgov.errors import InvalidValueError
from gridgov.metrics import Table, Tally
from gridgov.reasons import Reason
from gridgov.serialize import register

__all__ = ["BEYOND", "Comparison", "ComparisonLine", "DayFigures", "SimulationResult"]

BEYOND = "beyond"
"""The key of the cases handed to the policy's external body (吹哨报到) in backlogs."""

_BIG = 10**9


def _read_only(value: object) -> object:
    if isinstance(value, Mapping):
        return MappingProxyType(dict(value))
    return value  # the validator names what is wrong


def _counts(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A read-only mapping of keys (ids or codes) to counts from 0."""
    name = v.field_name(attribute)
    if not isinstance(value, MappingProxyType):
        raise v.refuse(name, instance, "a mapping of names to counts", value)
    for key, n in value.items():
        v.check_ident(name, key, instance)
        v.check_integer(name, n, 0, _BIG, instance)


def _shares(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A read-only mapping of tier codes to shares from 0 to 1."""
    name = v.field_name(attribute)
    if not isinstance(value, MappingProxyType):
        raise v.refuse(name, instance, "a mapping of tier codes to shares", value)
    for key, x in value.items():
        v.check_ident(name, key, instance)
        v.check_number(name, x, 0, 1, instance)


def _reduce(value: Any) -> tuple[Any, ...]:
    """Pickle as the constructor's arguments, read-only mappings as plain dicts (a
    ``mappingproxy`` does not pickle)."""
    kwargs = {
        a.alias or a.name: dict(x) if isinstance(x := getattr(value, a.name), MappingProxyType)
        else x
        for a in attrs.fields(type(value))
    }
    return (_rebuild, (type(value), kwargs))


def _rebuild(cls: type[Any], kwargs: dict[str, Any]) -> Any:
    return cls(**kwargs)


def _count() -> Any:
    return attrs.field(validator=v.integer(0, _BIG))


def _hours() -> Any:
    return attrs.field(validator=v.number(0, 1e12))


def _mapping(validator: Any) -> Any:
    return attrs.field(converter=_read_only, validator=validator, hash=False)


@register
@attrs.frozen(kw_only=True)
class DayFigures:
    """The figures of one simulated day.

    Attributes:
        day: the day.
        working: whether it is a working day of the router's calendar.
        new_issues: issues reported that day.
        closed: cases closed that day.
        backlog: open cases at the end of the day per tier of their owner, top first, and
            ``"beyond"`` for those handed to the external body.
        escalations: escalations that day per tier escalated *from*, top first.
        visits_due: visits due that day (每日一访 and the rest of the visit policy).
        visits_made: visits made that day.
        visits_missed: visits due that day, not made, whose window closed that day or
            before (a resident still unvisited counts again each day).
        hours_used: working hours staff spent that day (visits and cases).
        hours_available: working hours staff had that day (with unlimited staff: the
            hours used).

    Example:
        >>> from datetime import date
        >>> d = DayFigures(day=date(2026, 11, 2), working=True, new_issues=3, closed=1,
        ...                backlog={"grid": 2}, escalations={"grid": 0}, visits_due=4,
        ...                visits_made=4, visits_missed=0, hours_used=6.5,
        ...                hours_available=14.0)
        >>> d.backlog["grid"], d.utilisation
        (2, 0.4642857142857143)
        >>> DayFigures(day=date(2026, 11, 2), working=True, new_issues=-1, closed=0,
        ...            backlog={}, escalations={}, visits_due=0, visits_made=0,
        ...            visits_missed=0, hours_used=0, hours_available=0)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'new_issues' of DayFigures must be an integer from 0 to 1,000,000,000 (got -1).
    """

    day: date = attrs.field(validator=v.plain_date)
    working: bool = attrs.field(validator=v.boolean)
    new_issues: int = _count()
    closed: int = _count()
    backlog: Mapping[str, int] = _mapping(_counts)
    escalations: Mapping[str, int] = _mapping(_counts)
    visits_due: int = _count()
    visits_made: int = _count()
    visits_missed: int = _count()
    hours_used: float = _hours()
    hours_available: float = _hours()

    __reduce__ = _reduce

    @property
    def utilisation(self) -> float:
        """Hours used over hours available that day (0 when none were available)."""
        if self.hours_available <= 0:
            return 0.0
        return min(1.0, self.hours_used / self.hours_available)


@register
@attrs.frozen(kw_only=True)
class SimulationResult:
    """One run of :func:`~gridgov.simulation.simulate`: the days and the totals.

    Attributes:
        name: the setup's name (for legends and reasons).
        start: the first simulated day.
        days: how many days were simulated.
        daily: one :class:`DayFigures` per day, in order.
        tiers: the tier codes of the grid, top first (the keys of the backlogs, before
            ``"beyond"``).
        escalations_by_tier: escalations over the run per tier escalated from, top first.
        escalations_by_trigger: escalations over the run per
            :class:`~gridgov.Trigger` value (``"resolve_overdue"`` …), each
            trigger of the policy listed.
        queues: open cases at the end per owning unit id (``"beyond"`` for the external
            body); units with none are left out.
        missed_visits: visits missed over the run (the sum of the days').
        utilisation: hours used over hours available per tier over the run.
        cases: cases opened over the run.
        tally: the metrics' partial aggregate of every case over the simulated period (one
            custom period, attributed to the closing unit).
        table: the setup's indicators evaluated on :attr:`tally`, per unit.

    Example:
        >>> from datetime import date
        >>> import random
        >>> from gridgov.simulation import sample_setup, simulate
        >>> r = simulate(sample_setup(), start=date(2026, 11, 2), days=10, rng=random.Random(1))
        >>> r.cases == sum(d.new_issues for d in r.daily)
        True
        >>> sum(r.escalations_by_tier.values()) == sum(r.escalations_by_trigger.values())
        True
        >>> r.backlog("grid") == tuple(d.backlog["grid"] for d in r.daily)
        True
    """

    name: str = attrs.field(validator=v.name)
    start: date = attrs.field(validator=v.plain_date)
    days: int = attrs.field(validator=v.integer(1, 366))
    daily: tuple[DayFigures, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.is_a(DayFigures))
    )
    tiers: tuple[str, ...] = attrs.field(converter=v.to_tuple, validator=v.tuple_of(v.code))
    escalations_by_tier: Mapping[str, int] = _mapping(_counts)
    escalations_by_trigger: Mapping[str, int] = _mapping(_counts)
    queues: Mapping[str, int] = _mapping(_counts)
    missed_visits: int = _count()
    utilisation: Mapping[str, float] = _mapping(_shares)
    cases: int = _count()
    tally: Tally = attrs.field(validator=v.is_a(Tally), hash=False)
    table: Table = attrs.field(validator=v.is_a(Table), hash=False)

    __reduce__ = _reduce

    def __attrs_post_init__(self) -> None:
        if len(self.daily) != self.days:
            raise InvalidValueError(
                f"'daily' of SimulationResult must hold one DayFigures per day "
                f"({self.days} days, got {len(self.daily)})."
            )

    @property
    def end(self) -> date:
        """The day after the last simulated day."""
        return date.fromordinal(self.start.toordinal() + self.days)

    def backlog(self, tier: str) -> tuple[int, ...]:
        """The open cases owned by *tier* (or ``"beyond"``) at the end of each day.

        Example:
            >>> from datetime import date
            >>> import random
            >>> from gridgov.simulation import sample_setup, simulate
            >>> r = simulate(sample_setup(), start=date(2026, 11, 2), days=3, rng=random.Random(1))
            >>> len(r.backlog("micro_grid"))
            3
        """
        return tuple(d.backlog.get(tier, 0) for d in self.daily)

    def escalations(self, tier: str) -> tuple[int, ...]:
        """The escalations from *tier* on each day.

        Example:
            >>> from datetime import date
            >>> import random
            >>> from gridgov.simulation import sample_setup, simulate
            >>> r = simulate(sample_setup(), start=date(2026, 11, 2), days=3, rng=random.Random(1))
            >>> sum(r.escalations("grid")) == r.escalations_by_tier["grid"]
            True
        """
        return tuple(d.escalations.get(tier, 0) for d in self.daily)

    def indicator(self, name: str, unit: str) -> float | None:
        """The value of the indicator called *name* at *unit* over the period (``None`` when
        its denominator is zero or the unit counted nothing).

        Example:
            >>> from datetime import date
            >>> import random
            >>> from gridgov.simulation import sample_setup, simulate
            >>> r = simulate(sample_setup(), start=date(2026, 11, 2), days=10, rng=random.Random(1))
            >>> 0 <= r.indicator("closing_rate", "yx") <= 100
            True
        """
        for line in self.table.lines:
            if line.unit == unit and line.category is None:
                value = line.get(name).value
                return None if value is None else float(value)
        return None


@register
@attrs.frozen(kw_only=True)
class ComparisonLine:
    """One difference between two runs, side by side.

    Attributes:
        measure: what is compared: ``"escalations"`` (over the run, per tier escalated
            from), ``"missed_visits"``, ``"utilisation"`` (per tier), ``"backlog"`` (open
            cases at the end, per tier or ``"beyond"``) or ``"indicator"`` (at the top unit).
        subject: the tier code, ``"beyond"`` or the indicator's name; ``None`` for a total.
        base: the value in the base run.
        variant: the value in the variant run.
        reason: the difference told in Chinese and English, naming tiers and units by name.

    Example:
        >>> from gridgov.reasons import Reason
        >>> line = ComparisonLine(measure="escalations", subject="grid", base=3, variant=9,
        ...                       reason=Reason(zh="网格上报 3 → 9", en="grid escalations 3 → 9"))
        >>> line.change
        6
    """

    measure: str = attrs.field(validator=v.code)
    subject: str | None = attrs.field(validator=v.optional(v.ident))
    base: float = attrs.field(validator=v.number(-1e12, 1e12))
    variant: float = attrs.field(validator=v.number(-1e12, 1e12))
    reason: Reason = attrs.field(validator=v.is_a(Reason))

    @property
    def change(self) -> float:
        """The variant's value less the base's."""
        return self.variant - self.base


@register
@attrs.frozen(kw_only=True)
class Comparison:
    """Two runs of :func:`~gridgov.simulation.simulate` on the same seeded load, and their
    differences.

    Attributes:
        seed: the seed both runs were given.
        base: the run of the base setup.
        variant: the run of the variant setup.
        lines: the differences, side by side: escalations per tier, missed visits,
            utilisation per tier, backlog at the end per tier, key indicators.

    Example:
        >>> from datetime import date
        >>> from gridgov.simulation import compare, sample_setup
        >>> base = sample_setup()
        >>> c = compare(base, base, start=date(2026, 11, 2), days=5, seed=3)
        >>> c.base == c.variant, all(line.change == 0 for line in c.lines)
        (True, True)
    """

    seed: int = attrs.field(validator=v.integer(-(2**63), 2**63 - 1))
    base: SimulationResult = attrs.field(validator=v.is_a(SimulationResult))
    variant: SimulationResult = attrs.field(validator=v.is_a(SimulationResult))
    lines: tuple[ComparisonLine, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.is_a(ComparisonLine))
    )

    def line(self, measure: str, subject: str | None = None) -> ComparisonLine:
        """The line of *measure* about *subject*.

        Raises:
            InvalidValueError: if there is none.

        Example:
            >>> from datetime import date
            >>> from gridgov.simulation import compare, sample_setup
            >>> c = compare(sample_setup(), sample_setup(), start=date(2026, 11, 2), days=3,
            ...             seed=3)
            >>> c.line("escalations", "grid").change
            0.0
        """
        for found in self.lines:
            if found.measure == measure and found.subject == subject:
                return found
        raise InvalidValueError(f"the comparison has no line {measure!r} about {subject!r}.")
