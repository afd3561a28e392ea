"""Escalation policies: how soon each tier must act, when a case goes up, and who is beyond.

An :class:`EscalationPolicy` is plain data, serialisable with :func:`~gridgov.to_dict`: ordered
:class:`Sla` s (the first that applies wins), the automatic triggers the sweep checks, the
counts and window of the counting triggers, the working calendar its limits are counted on,
the category catalogue its SLAs are read with, and the :class:`ExternalBody` beyond the top
of the grid.  :meth:`EscalationPolicy.check` refuses a policy used with a router it does not
agree with (another catalogue or calendar, tiers the grid lacks, a body named like a unit).

Example:
    >>> from gridgov import Severity, TimeLimit
    >>> policy = EscalationPolicy(name="p", beyond=ExternalBody(id="sd", name="淮河路街道"),
    ...     slas=[Sla(name="纠纷", categories={"dispute"}, resolve_within=TimeLimit.working_days(3)),
    ...           Sla(name="其他", resolve_within=TimeLimit.working_days(5))])
    >>> policy.sla_for(tier="grid", category="dispute", severity=Severity(1)).name
    '纠纷'
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import attrs

import gridgov._validators as v
from gridgov.calendar import Deadline, TimeLimit, WorkCalendar
from gridgov.cases import Trigger
from gridgov.errors import PolicyError
from gridgov.issues import (
    DEFAULT_CATALOGUE,
    MAX_CATEGORIES,
    CategoryCatalogue,
    Severity,
    severity_field,
    to_severity,
)
from gridgov.routing import Router
from gridgov.serialize import register

__all__ = [
    "DEFAULT_TRIGGERS",
    "MAX_REPEAT_WINDOW",
    "MAX_SLAS",
    "MAX_TRIGGER_COUNT",
    "EscalationPolicy",
    "ExternalBody",
    "Sla",
]

DEFAULT_TRIGGERS: frozenset[Trigger] = frozenset(Trigger) - {Trigger.MANUAL}
"""Every automatic trigger (manual escalation is always allowed and never swept)."""
MAX_SLAS = 1_000
"""The most SLAs a policy may hold."""
MAX_TRIGGER_COUNT = 1_000
"""The largest ``repeat_count`` and ``dissatisfied_count`` of a policy."""
MAX_REPEAT_WINDOW = timedelta(days=3 * 366)
"""The longest ``repeat_window`` of a policy (three years)."""


# --------------------------------------------------------------------------- door checks


def _short(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A display name that may be empty."""
    if value != "":
        v.check_name(v.field_name(attribute), value, instance)


def _count(least: int) -> v.Validator:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= MAX_TRIGGER_COUNT:
            raise v.refuse(
                v.field_name(attribute),
                instance,
                f"an integer from {least} to {MAX_TRIGGER_COUNT:,}",
                value,
                error=PolicyError,
            )

    return check


def _window(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, timedelta) or not timedelta(0) < value <= MAX_REPEAT_WINDOW:
        raise v.refuse(
            "repeat_window",
            instance,
            f"a positive timedelta of at most {MAX_REPEAT_WINDOW.days:,} days",
            value,
            error=PolicyError,
        )


def _triggers(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    for trigger in value:
        if not isinstance(trigger, Trigger):
            raise v.refuse("triggers", instance, "a set of Trigger values", trigger, error=PolicyError)
    if Trigger.MANUAL in value:
        raise PolicyError(
            "'triggers' lists the automatic triggers the sweep checks; manual escalation is "
            "always allowed, so leave Trigger.MANUAL out."
        )


def _slas(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if len(value) > MAX_SLAS:
        raise PolicyError(
            f"'slas' of EscalationPolicy must hold at most {MAX_SLAS:,} SLAs (got {len(value):,})."
        )


def _categories(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if len(value) > MAX_CATEGORIES:
        raise PolicyError(
            f"'categories' of Sla must hold at most {MAX_CATEGORIES:,} codes (got {len(value):,})."
        )


# --------------------------------------------------------------------------- SLAs


@register
@attrs.frozen(kw_only=True)
class Sla:
    """A service level: how soon a unit must accept and resolve a case.

    It applies to the units of ``tier`` (every tier if ``None``), for the ``categories``
    given — and the categories that refine them in the policy's catalogue (an SLA for
    ``dispute`` covers ``neighbour_dispute``); every category if empty — and severities from
    ``min_severity`` to ``max_severity``.  A limit left ``None`` sets no deadline.

    Attributes:
        name: a short name, quoted in explanations and in the deadlines it sets
            (``source="sla:<name>"``).
        tier: the tier it applies to, or ``None`` for every tier.
        categories: the category codes it applies to (empty: all).
        min_severity: the lowest severity it applies to.
        max_severity: the highest severity it applies to.
        accept_within: the time limit to accept (立案).
        resolve_within: the time limit to resolve.

    Example:
        >>> from gridgov import DEFAULT_CATALOGUE, TimeLimit
        >>> sla = Sla(name="volunteers", categories={"volunteer_service"},
        ...           resolve_within=TimeLimit.working_days(3))
        >>> sla.applies(tier="grid", category="housekeeping", severity=Severity.ROUTINE,
        ...             catalogue=DEFAULT_CATALOGUE)
        True
        >>> sla.describe()
        'volunteers: category volunteer_service; resolve within 3个工作日 3 working days'
        >>> Sla(max_severity=5)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'max_severity' of Sla must be between 1 and 4 (got 5).
    """

    name: str = attrs.field(default="", validator=_short)
    tier: str | None = attrs.field(default=None, validator=v.optional(v.code))
    categories: frozenset[str] = attrs.field(
        default=frozenset(),
        converter=v.to_frozenset,
        validator=[v.frozenset_of(v.code), _categories],
    )
    min_severity: Severity = attrs.field(
        default=Severity.ROUTINE, converter=to_severity, validator=severity_field
    )
    max_severity: Severity = attrs.field(
        default=Severity.EMERGENCY, converter=to_severity, validator=severity_field
    )
    accept_within: TimeLimit | None = attrs.field(
        default=None, validator=v.optional(v.is_a(TimeLimit))
    )
    resolve_within: TimeLimit | None = attrs.field(
        default=None, validator=v.optional(v.is_a(TimeLimit))
    )

    def __attrs_post_init__(self) -> None:
        if self.min_severity > self.max_severity:
            raise PolicyError(
                f"'max_severity' of Sla {self.name!r} must be at least its min_severity "
                f"{int(self.min_severity)} (got {int(self.max_severity)})."
            )

    def applies(
        self, *, tier: str | None, category: str, severity: Severity, catalogue: CategoryCatalogue
    ) -> bool:
        """Whether the SLA applies to a case of *category* and *severity* owned by a unit of
        *tier* (``None``: beyond the grid), reading the category hierarchy of *catalogue*.

        Raises:
            PolicyError: if the SLA names categories and *category* is not in *catalogue*.

        Example:
            >>> from gridgov import DEFAULT_CATALOGUE
            >>> Sla(tier="grid").applies(tier="micro_grid", category="dispute",
            ...                          severity=Severity(1), catalogue=DEFAULT_CATALOGUE)
            False
        """
        return (
            (self.tier is None or self.tier == tier)
            and self.min_severity <= severity <= self.max_severity
            and (not self.categories or not self.categories.isdisjoint(catalogue.lineage(category)))
        )

    def describe(self) -> str:
        """The SLA as a grid worker reads it.

        Example:
            >>> from gridgov import TimeLimit
            >>> Sla(tier="grid", min_severity=4, accept_within=TimeLimit.natural_hours(1)).describe()
            'tier grid, severity ≥ emergency; accept within 1小时 1 hour'
        """
        parts = []
        if self.tier is not None:
            parts.append(f"tier {self.tier}")
        if self.categories:
            parts.append("category " + "/".join(sorted(self.categories)))
        if self.min_severity > Severity.ROUTINE and self.max_severity == Severity.EMERGENCY:
            parts.append(f"severity ≥ {self.min_severity.label}")
        elif self.min_severity > Severity.ROUTINE or self.max_severity < Severity.EMERGENCY:
            parts.append(f"severity {self.min_severity.label}–{self.max_severity.label}")
        limits = []
        if self.accept_within is not None:
            limits.append(f"accept within {self.accept_within.describe()}")
        if self.resolve_within is not None:
            limits.append(f"resolve within {self.resolve_within.describe()}")
        text = (", ".join(parts) or "any case") + "; " + (", ".join(limits) or "no time limit")
        return f"{self.name}: {text}" if self.name else text


def _body_sla(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, Sla):
        raise v.refuse("sla", instance, "an Sla or None", value, error=PolicyError)
    if value.tier is not None:
        raise PolicyError(
            f"'sla' of ExternalBody must name no tier: it applies beyond the grid (got tier "
            f"{value.tier!r})."
        )


@register
@attrs.frozen(kw_only=True)
class ExternalBody:
    """The body beyond the top of the grid that takes a case escalated past it.

    Typically the subdistrict (街道) or a functional department summoned by 吹哨报到.  Its id
    may not be the id of a unit of the grid the policy is used with (checked by
    :meth:`EscalationPolicy.check`).

    Attributes:
        id: the id the case records as its owner.
        name: the display name (``"淮河路街道"``).
        via: how it is summoned (default ``"吹哨报到"``).
        sla: its time limits, if any (an SLA naming no tier).

    Example:
        >>> ExternalBody(id="sd-huaihe", name="淮河路街道").via
        '吹哨报到'
    """

    id: str = attrs.field(validator=v.ident)
    name: str = attrs.field(validator=v.name)
    via: str = attrs.field(default="吹哨报到", validator=v.name)
    sla: Sla | None = attrs.field(default=None, validator=_body_sla)


# --------------------------------------------------------------------------- the policy


@register
@attrs.frozen(kw_only=True)
class EscalationPolicy:
    """When cases are escalated and how soon each tier must act, as data.

    Attributes:
        name: the policy's name.
        beyond: the external body above the top tier.
        slas: the service levels, in order; the first that applies wins (at most
            :data:`MAX_SLAS`).
        calendar: the working calendar the limits are counted on; the router the policy is
            used with must be on the same calendar.
        catalogue: the category catalogue its SLAs, and the ``repeated`` trigger, read the
            category hierarchy from (default: the default catalogue); the router the policy
            is used with must use the same one.
        triggers: the automatic triggers :func:`~gridgov.escalation.due_escalations` checks
            (default: all).
        repeat_count: how many reports of the same matter at the same place within
            ``repeat_window`` make the ``repeated`` trigger fire (once per case), 2 to
            :data:`MAX_TRIGGER_COUNT`.
        repeat_window: the window for ``repeated``, at most :data:`MAX_REPEAT_WINDOW`.
        dissatisfied_count: how many times the resident may be dissatisfied with the current
            owner before the ``dissatisfied`` trigger fires, 1 to :data:`MAX_TRIGGER_COUNT`.

    Raises:
        PolicyError: for a count or window out of range, a trigger that is not automatic, or
            an SLA category not in the catalogue.

    Example:
        >>> from gridgov import TimeLimit
        >>> policy = EscalationPolicy(name="p", beyond=ExternalBody(id="sd", name="街道"),
        ...     slas=[Sla(tier="grid", resolve_within=TimeLimit.working_days(3)),
        ...           Sla(resolve_within=TimeLimit.working_days(5))])
        >>> policy.sla_for(tier="grid", category="dispute", severity=Severity(1)).tier
        'grid'
        >>> EscalationPolicy(name="p", beyond=policy.beyond, repeat_count=1)
        Traceback (most recent call last):
        ...
        gridgov.errors.PolicyError: 'repeat_count' of EscalationPolicy must be an integer from 2 to 1,000 (got 1).
    """

    name: str = attrs.field(validator=v.name)
    beyond: ExternalBody = attrs.field(validator=v.is_a(ExternalBody))
    slas: tuple[Sla, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=[v.tuple_of(v.holds(Sla)), _slas]
    )
    calendar: WorkCalendar = attrs.field(factory=WorkCalendar, validator=v.is_a(WorkCalendar))
    catalogue: CategoryCatalogue = attrs.field(
        default=DEFAULT_CATALOGUE, validator=v.is_a(CategoryCatalogue)
    )
    triggers: frozenset[Trigger] = attrs.field(
        default=DEFAULT_TRIGGERS, converter=v.to_frozenset, validator=[v.frozenset_of(), _triggers]
    )
    repeat_count: int = attrs.field(default=3, validator=_count(2))
    repeat_window: timedelta = attrs.field(default=timedelta(days=30), validator=_window)
    dissatisfied_count: int = attrs.field(default=2, validator=_count(1))
    # The SLAs compiled once for sla_for: (tier, lowest, highest severity, categories, the
    # SLA, the source its deadlines record), in order.
    _lines: tuple[tuple[str | None, Severity, Severity, frozenset[str], Sla, str], ...] = (
        attrs.field(init=False, eq=False, hash=False, repr=False)
    )

    def __attrs_post_init__(self) -> None:
        slas = [*self.slas, *([] if self.beyond.sla is None else [self.beyond.sla])]
        for sla in slas:
            for code in sorted(sla.categories):
                if code not in self.catalogue:
                    raise PolicyError(
                        f"'categories' of Sla {sla.name!r} of policy {self.name!r} must be "
                        f"codes of catalogue {self.catalogue.name!r} (got {code!r})."
                    )
        lines = tuple(
            (sla.tier, sla.min_severity, sla.max_severity, sla.categories, sla,
             f"sla:{sla.name or n}")
            for n, sla in enumerate(self.slas, 1)
        )
        object.__setattr__(self, "_lines", lines)

    def sla_for(self, *, tier: str | None, category: str, severity: Severity) -> Sla | None:
        """The SLA for a case of *category* and *severity* owned by a unit of *tier*.

        ``tier=None`` asks for the external body's SLA.

        Raises:
            PolicyError: if *category* is not in the policy's catalogue.

        Example:
            >>> body = ExternalBody(id="sd", name="街道", sla=Sla(name="街道"))
            >>> p = EscalationPolicy(name="p", beyond=body)
            >>> p.sla_for(tier=None, category="dispute", severity=Severity(1)).name
            '街道'
            >>> p.sla_for(tier="grid", category="dispute", severity=Severity(1)) is None
            True
        """
        return self._sla_for(tier, category, severity)[0]

    def _sla_for(
        self, tier: str | None, category: str, severity: Severity
    ) -> tuple[Sla | None, str]:
        catalogue = self.catalogue
        lineage = catalogue.lineage(category)  # refuses a category not in the catalogue
        if tier is None:
            sla = self.beyond.sla
            if sla is not None and sla.applies(
                tier=None, category=category, severity=severity, catalogue=catalogue
            ):
                return sla, f"body:{self.beyond.id}"
            return None, ""
        for line_tier, lowest, highest, categories, sla, source in self._lines:
            if (
                (line_tier is None or line_tier == tier)
                and lowest <= severity <= highest
                and (not categories or not categories.isdisjoint(lineage))
            ):
                return sla, source
        return None, ""

    def deadlines(
        self, *, tier: str | None, category: str, severity: Severity, start: datetime
    ) -> tuple[Deadline | None, Deadline | None]:
        """The accept and resolve deadlines of clocks started at *start* (see
        :meth:`sla_for`), each recording the SLA that set it (``source="sla:<name>"``, or
        ``"body:<id>"`` beyond the grid; an SLA without a name by its place, from 1).

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST, TimeLimit
            >>> p = EscalationPolicy(name="p", beyond=ExternalBody(id="sd", name="街道"),
            ...     slas=[Sla(name="当日", accept_within=TimeLimit.same_day())])
            >>> accept, resolve = p.deadlines(tier="grid", category="dispute",
            ...     severity=Severity(1), start=datetime(2026, 11, 26, 15, tzinfo=CST))
            >>> print(accept.due, accept.source, resolve)
            2026-11-27 00:00:00+08:00 sla:当日 None
        """
        v.check_aware("start", start)
        sla, source = self._sla_for(tier, category, severity)
        if sla is None:
            return None, None
        cal = self.calendar
        return tuple(  # type: ignore[return-value]
            None if limit is None else Deadline.of(limit, start=start, calendar=cal, source=source)
            for limit in (sla.accept_within, sla.resolve_within)
        )

    def check(self, router: Router) -> None:
        """Raise :class:`~gridgov.errors.PolicyError` unless the policy agrees with *router*:
        the same catalogue and calendar, every SLA tier in its grid's scheme, and an external
        body whose id is not the id of a unit of its grid.

        :func:`~gridgov.workflow.open_case`, :func:`~gridgov.workflow.reroute` and
        :func:`~gridgov.escalation.due_escalations` call it.

        Example:
            >>> from gridgov import DEFAULT_MATRIX, DEFAULT_RULES, Router
            >>> from gridgov.demo import sample_grid
            >>> router = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
            >>> EscalationPolicy(name="p", beyond=ExternalBody(id="sd", name="街道"),
            ...                  slas=[Sla(name="s1", tier="street")]).check(router)
            Traceback (most recent call last):
            ...
            gridgov.errors.PolicyError: 'tier' of Sla 's1' of policy 'p' must be one of ['community', 'grid', 'micro_grid'] (got 'street').
            >>> EscalationPolicy(name="p", beyond=ExternalBody(id="yx", name="街道")).check(router)
            Traceback (most recent call last):
            ...
            gridgov.errors.PolicyError: 'beyond' of policy 'p' must not have the id of a unit of grid version '2026-11' (got 'yx'): a case escalated beyond the grid would seem to stay in it.
        """
        v.check_instance("router", router, Router)
        if router.catalogue is not self.catalogue and router.catalogue != self.catalogue:
            raise PolicyError(
                f"policy {self.name!r} reads catalogue {self.catalogue.name!r} but the router "
                f"routes with catalogue {router.catalogue.name!r}; build both with the same "
                "catalogue."
            )
        if router.calendar is not self.calendar and router.calendar != self.calendar:
            raise PolicyError(
                f"policy {self.name!r} counts on calendar {self.calendar.describe()!r} but the "
                f"router on {router.calendar.describe()!r}; build both with the same calendar, "
                "so that a case's clocks run on one."
            )
        scheme = router.grid.scheme
        for sla in self.slas:
            if sla.tier is not None and sla.tier not in scheme:
                raise PolicyError(
                    f"'tier' of Sla {sla.name!r} of policy {self.name!r} must be one of "
                    f"{list(scheme.names)} (got {sla.tier!r})."
                )
        if self.beyond.id in router.grid:
            raise PolicyError(
                f"'beyond' of policy {self.name!r} must not have the id of a unit of grid "
                f"version {router.grid.version!r} (got {self.beyond.id!r}): a case escalated "
                "beyond the grid would seem to stay in it."
            )
