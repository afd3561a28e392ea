"""The models a simulation runs on: handling-time distributions, the staffing model, the load
model, and the :class:`Setup` that bundles them with a router and the policies.

Every model is a frozen value validated at the door; the distributions, the staffing and the
load are plain data and serialise.  A variant policy is the same setup with one field changed:
``attrs.evolve(setup, escalation=tighter)``.

Example:
    >>> import random
    >>> LogNormal(median=3, sigma=0.5).draw(random.Random(1)) > 0
    True
    >>> Staffing(lines=[StaffLine(tier="grid", workers=2, hours=7)]).capacity("g3", "grid")
    14.0
    >>> Uniform(low=4, high=2)
    Traceback (most recent call last):
    ...
    gridgov.errors.InvalidValueError: 'high' of Uniform must be at least its low 4 (got 2).
"""

from __future__ import annotations

import math
import random
from typing import Any

import attrs

import gridgov._validators as v
from gridgov.errors import InvalidValueError, PolicyError, UnknownPlaceError
from gridgov.escalation import EscalationPolicy
from gridgov.issues import CategoryCatalogue, Channel, Severity, severity_field, to_severity
from gridgov.metrics import DIGITAL_CITY, Composite, Indicator
from gridgov.people import Resident
from gridgov.routing import Router
from gridgov.serialize import register
from gridgov.visits import VisitPolicy

__all__ = [
    "MAX_HANDLING_HOURS",
    "Distribution",
    "Exponential",
    "Fixed",
    "Handling",
    "LoadLine",
    "LoadModel",
    "LogNormal",
    "Setup",
    "StaffLine",
    "Staffing",
    "Uniform",
]

MAX_HANDLING_HOURS = 2000.0
"""The most working hours one draw of a handling time gives (a longer draw is cut here), and
the bound of every distribution's parameters."""

_hours = v.number(0, MAX_HANDLING_HOURS)
_positive = v.number(1e-6, MAX_HANDLING_HOURS)


def _cut(x: float) -> float:
    return min(MAX_HANDLING_HOURS, max(0.0, x))


@register
@attrs.frozen(kw_only=True)
class Fixed:
    """Always the same handling time, in working hours.

    Example:
        >>> import random
        >>> Fixed(hours=2.5).draw(random.Random(0))
        2.5
    """

    hours: float = attrs.field(validator=_hours)

    def draw(self, rng: random.Random) -> float:
        """The handling time (*rng* is not used).

        Example:
            >>> import random
            >>> Fixed(hours=1).draw(random.Random(0))
            1.0
        """
        return float(self.hours)


@register
@attrs.frozen(kw_only=True)
class Uniform:
    """A handling time drawn evenly between *low* and *high* working hours.

    Example:
        >>> import random
        >>> 1 <= Uniform(low=1, high=3).draw(random.Random(0)) <= 3
        True
    """

    low: float = attrs.field(validator=_hours)
    high: float = attrs.field(validator=_hours)

    def __attrs_post_init__(self) -> None:
        if self.high < self.low:
            raise InvalidValueError(
                f"'high' of Uniform must be at least its low {self.low:g} (got {self.high:g})."
            )

    def draw(self, rng: random.Random) -> float:
        """One handling time.

        Example:
            >>> import random
            >>> Uniform(low=2, high=2).draw(random.Random(0))
            2.0
        """
        return rng.uniform(self.low, self.high)


@register
@attrs.frozen(kw_only=True)
class Exponential:
    """A handling time drawn from an exponential distribution of the given *mean* (hours),
    cut at :data:`MAX_HANDLING_HOURS`.

    Example:
        >>> import random
        >>> Exponential(mean=2).draw(random.Random(0)) >= 0
        True
    """

    mean: float = attrs.field(validator=_positive)

    def draw(self, rng: random.Random) -> float:
        """One handling time.

        Example:
            >>> import random
            >>> d = Exponential(mean=3)
            >>> d.draw(random.Random(4)) == d.draw(random.Random(4))
            True
        """
        return _cut(rng.expovariate(1.0 / self.mean))


@register
@attrs.frozen(kw_only=True)
class LogNormal:
    """A handling time drawn from a log-normal distribution: half the draws below *median*
    hours, spread by *sigma* (the standard deviation of its logarithm), cut at
    :data:`MAX_HANDLING_HOURS`.

    Example:
        >>> import random
        >>> LogNormal(median=2, sigma=0).draw(random.Random(0))
        2.0
        >>> LogNormal(median=2, sigma=9)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'sigma' of LogNormal must be a finite number from 0 to 3 (got 9).
    """

    median: float = attrs.field(validator=_positive)
    sigma: float = attrs.field(validator=v.number(0, 3))

    def draw(self, rng: random.Random) -> float:
        """One handling time.

        Example:
            >>> import random
            >>> LogNormal(median=MAX_HANDLING_HOURS, sigma=3).draw(random.Random(0)) <= MAX_HANDLING_HOURS
            True
        """
        if self.sigma == 0:
            return float(self.median)
        return _cut(math.exp(rng.gauss(math.log(self.median), self.sigma)))


Distribution = Fixed | Uniform | Exponential | LogNormal
"""A handling-time distribution in working hours, each with ``draw(rng) -> float``."""

_DISTRIBUTIONS = (Fixed, Uniform, Exponential, LogNormal)


# --------------------------------------------------------------------------- staffing


@register
@attrs.frozen(kw_only=True)
class StaffLine:
    """Who works in the units of a tier, or in one unit: how many workers, and how many
    working hours each gives a working day.

    Exactly one of *tier* and *unit* is given; a unit's line wins over its tier's.

    Example:
        >>> StaffLine(unit="g3", workers=3, hours=6).per_day
        18.0
        >>> StaffLine(tier="grid", unit="g3", workers=1, hours=7)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'unit' of StaffLine must be None when a tier is given (a line is for a tier or for a unit) (got 'g3').
    """

    tier: str | None = attrs.field(default=None, validator=v.optional(v.code))
    unit: str | None = attrs.field(default=None, validator=v.optional(v.ident))
    workers: int = attrs.field(validator=v.integer(0, 100_000))
    hours: float = attrs.field(default=7.0, validator=v.number(0, 24))

    def __attrs_post_init__(self) -> None:
        if self.tier is not None and self.unit is not None:
            raise v.refuse("unit", self, "None when a tier is given (a line is for a tier or "
                           "for a unit)", self.unit)
        if self.tier is None and self.unit is None:
            raise InvalidValueError("a StaffLine needs a 'tier' or a 'unit' (got neither).")

    @property
    def per_day(self) -> float:
        """The working hours of the line's workers on a working day."""
        return float(self.workers * self.hours)


@register
@attrs.frozen(kw_only=True)
class Handling:
    """The handling time of the cases of a category (and of the categories refining it).

    Example:
        >>> Handling(category="dispute", time=Fixed(hours=3)).time.hours
        3
    """

    category: str = attrs.field(validator=v.code)
    time: Distribution = attrs.field(validator=v.is_a(_DISTRIBUTIONS))


@register
@attrs.frozen(kw_only=True)
class Staffing:
    """The staffing model: who works where, how long cases and visits take.

    Attributes:
        lines: the workers per tier, or per unit (a unit's line wins); a unit with no line
            has no staff.
        handling: handling times by category; a category without a line takes its
            parent's, up the catalogue, then *default*.
        default: the handling time of a case no line covers.
        visit_hours: working hours one visit takes.
        unlimited: every unit has as many hours as its work needs (each case is handled on
            the day its owner takes it); the hours available are then the hours used.
        off_days: the share of a working day's capacity staff give on a day off (值班).
        beyond: the handling time of the external body, which is not staffed here: it takes
            every case it is handed the next day.

    Example:
        >>> from gridgov.issues import DEFAULT_CATALOGUE
        >>> s = Staffing(lines=[StaffLine(tier="micro_grid", workers=1, hours=7),
        ...                     StaffLine(unit="mg31", workers=2, hours=7)],
        ...              handling=[Handling(category="volunteer_service", time=Fixed(hours=1))])
        >>> s.capacity("mg31", "micro_grid"), s.capacity("mg32", "micro_grid"), s.capacity("g3", "grid")
        (14.0, 7.0, 0.0)
        >>> s.time_for("housekeeping", DEFAULT_CATALOGUE), s.time_for("dispute", DEFAULT_CATALOGUE)
        (Fixed(hours=1), Exponential(mean=4.0))
    """

    lines: tuple[StaffLine, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.is_a(StaffLine))
    )
    handling: tuple[Handling, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.is_a(Handling))
    )
    default: Distribution = attrs.field(
        factory=lambda: Exponential(mean=4.0), validator=v.is_a(_DISTRIBUTIONS)
    )
    visit_hours: float = attrs.field(default=0.5, validator=v.number(0, 24))
    unlimited: bool = attrs.field(default=False, validator=v.boolean)
    off_days: float = attrs.field(default=0.0, validator=v.number(0, 1))
    beyond: Distribution = attrs.field(
        factory=lambda: Fixed(hours=7.0), validator=v.is_a(_DISTRIBUTIONS)
    )

    def __attrs_post_init__(self) -> None:
        keys = [("tier", x.tier) if x.unit is None else ("unit", x.unit) for x in self.lines]
        if len(set(keys)) != len(keys):
            raise InvalidValueError("'lines' of Staffing must give each tier and unit once.")
        codes = [h.category for h in self.handling]
        if len(set(codes)) != len(codes):
            raise InvalidValueError("'handling' of Staffing must give each category once.")

    def capacity(self, unit: str, tier: str) -> float:
        """Working hours the staff of *unit* (of *tier*) give on a working day.

        Example:
            >>> s = Staffing(lines=[StaffLine(tier="grid", workers=2, hours=6),
            ...                     StaffLine(unit="g3", workers=1, hours=7)])
            >>> s.capacity("g3", "grid"), s.capacity("g4", "grid"), s.capacity("yx", "community")
            (7.0, 12.0, 0.0)
        """
        by_tier = 0.0
        for line in self.lines:
            if line.unit == unit:
                return line.per_day
            if line.tier == tier:
                by_tier = line.per_day
        return by_tier

    def time_for(self, category: str, catalogue: CategoryCatalogue) -> Distribution:
        """The handling time of *category*: its own line, its parent's … or the default.

        Raises:
            PolicyError: if the catalogue has no such category.

        Example:
            >>> from gridgov.issues import DEFAULT_CATALOGUE
            >>> s = Staffing(handling=[Handling(category="volunteer_service", time=Fixed(hours=2))])
            >>> s.time_for("housekeeping", DEFAULT_CATALOGUE), s.time_for("dispute", DEFAULT_CATALOGUE)
            (Fixed(hours=2), Exponential(mean=4.0))
        """
        lines = {h.category: h.time for h in self.handling}
        for code in catalogue.lineage(category):
            if code in lines:
                return lines[code]
        return self.default


# --------------------------------------------------------------------------- load


@register
@attrs.frozen(kw_only=True)
class LoadLine:
    """Issues of a category and severity (and, if given, arriving by a channel): how many
    per household per day.

    Example:
        >>> from gridgov.issues import Channel
        >>> LoadLine(category="dispute", severity=2, rate=0.004, channel=Channel.APP).rate
        0.004
        >>> LoadLine(category="dispute", rate=2)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'rate' of LoadLine must be a finite number from 0 to 1 (got 2).
    """

    category: str = attrs.field(validator=v.code)
    severity: Severity = attrs.field(
        default=Severity.ROUTINE, converter=to_severity, validator=severity_field
    )
    rate: float = attrs.field(validator=v.number(0, 1))
    channel: Channel | None = attrs.field(default=None, validator=v.optional(v.is_a(Channel)))


def _factors(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    v.tuple_of(v.number(0, 100))(instance, attribute, value)
    if len(value) != 7:  # type: ignore[arg-type]
        raise v.refuse(v.field_name(attribute), instance, "7 factors, Monday first", value)


@register
@attrs.frozen(kw_only=True)
class LoadModel:
    """The load model: issues per household per day by category and severity, weekly and
    holiday patterns, where issues are located and how residents judge the work.

    Attributes:
        lines: issues per household per day by category and severity.
        weekdays: a factor per weekday, Monday first.
        holiday: the factor on a holiday of the router's calendar (on top of the weekday's).
        located: the share of issues located at a household (the rest are unlocated calls,
            routed to where the router keeps them).
        residents: the share of located issues raised by a resident with a file, at their
            household (a rule reading files may then apply).
        dissatisfied: the probability that a resident is dissatisfied with a resolved case
            (the case is reopened: rework).
        channel: the channel issues arrive by, where their line gives none.

    Example:
        >>> load = LoadModel(lines=[LoadLine(category="dispute", rate=0.01)],
        ...                  weekdays=[1, 1, 1, 1, 1, 0.5, 0.5])
        >>> load.rate, load.weekdays[5]
        (0.01, 0.5)
        >>> LoadModel(lines=[], weekdays=[1, 1])
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'weekdays' of LoadModel must be 7 factors, Monday first (got (1, 1)).
    """

    lines: tuple[LoadLine, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.is_a(LoadLine))
    )
    weekdays: tuple[float, ...] = attrs.field(
        default=(1.0,) * 7, converter=v.to_tuple, validator=_factors
    )
    holiday: float = attrs.field(default=0.5, validator=v.number(0, 100))
    located: float = attrs.field(default=0.9, validator=v.number(0, 1))
    residents: float = attrs.field(default=0.0, validator=v.number(0, 1))
    dissatisfied: float = attrs.field(default=0.1, validator=v.number(0, 1))
    channel: Channel = attrs.field(default=Channel.HOTLINE_12345, validator=v.is_a(Channel))

    @property
    def rate(self) -> float:
        """Issues per household per day over every line, before the factors."""
        return math.fsum(line.rate for line in self.lines)


# --------------------------------------------------------------------------- the setup


def _indicators(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    v.tuple_of(v.is_a((Indicator, Composite)))(instance, attribute, value)
    if not value:
        raise v.refuse(v.field_name(attribute), instance, "at least one indicator", value)


@attrs.frozen(kw_only=True)
class Setup:
    """Everything a simulation needs: the router (grid, rules, matrix, calendar,
    catalogue), the escalation policy, the visit policy and residents, the staffing model,
    the load model and the indicators to report.

    Not serialisable as a whole (a router is built, not stored); its models are.

    Attributes:
        name: what the setup is called in results and reasons (``"现行"``, ``"网格3日"``).
        router: routes each issue; its calendar is the one calendar of the run (working
            days, holidays, deadlines).
        escalation: the escalation policy: the SLAs and the sweep.
        visits: the visit policy, or ``None`` to simulate no visits.
        residents: the personal files: read by routing rules and by the visit policy.
        households: the places of the grid issues are located at (each equally likely);
            every place of the grid if empty.
        staffing: the staffing model.
        load: the load model.
        indicators: the indicators of the result's table.

    Example:
        >>> import attrs
        >>> from gridgov.simulation import sample_setup
        >>> base = sample_setup()
        >>> attrs.evolve(base, name="无人值守", staffing=Staffing()).staffing.lines
        ()
        >>> attrs.evolve(base, name="")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'name' of Setup must be a non-blank name of at most 200 characters without control characters (got '').
    """

    name: str = attrs.field(validator=v.name)
    router: Router = attrs.field(validator=v.is_a(Router))
    escalation: EscalationPolicy = attrs.field(validator=v.is_a(EscalationPolicy))
    visits: VisitPolicy | None = attrs.field(default=None, validator=v.optional(v.is_a(VisitPolicy)))
    residents: tuple[Resident, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.is_a(Resident)), repr=False
    )
    households: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.ident), repr=False
    )
    staffing: Staffing = attrs.field(validator=v.is_a(Staffing))
    load: LoadModel = attrs.field(validator=v.is_a(LoadModel))
    indicators: tuple[Indicator | Composite, ...] = attrs.field(
        default=DIGITAL_CITY, converter=v.to_tuple, validator=_indicators
    )

    def __attrs_post_init__(self) -> None:
        grid = self.router.grid
        for place in self.households:
            if not grid.has_place(place):
                raise UnknownPlaceError(
                    f"'households' of Setup names place {place!r}, which the router's grid "
                    "does not hold."
                )
        if self.load.located < 1 and self.router.unlocated_at is None and len(grid.roots) > 1:
            raise PolicyError(
                f"'load' of Setup has unlocated issues but the router's grid has "
                f"{len(grid.roots)} top-tier units and no unlocated_at: build the router "
                "with unlocated_at=<unit id>, or set the load's 'located' to 1."
            )
        catalogue = self.router.catalogue
        for line in self.load.lines:
            if line.category not in catalogue.codes:
                raise PolicyError(
                    f"'lines' of LoadModel names category {line.category!r}, which the "
                    f"router's catalogue {catalogue.name!r} does not hold."
                )
        for h in self.staffing.handling:
            if h.category not in catalogue.codes:
                raise PolicyError(
                    f"'handling' of Staffing names category {h.category!r}, which the "
                    f"router's catalogue {catalogue.name!r} does not hold."
                )
