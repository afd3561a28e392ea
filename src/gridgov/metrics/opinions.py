"""The opinion library (意见库): residents' demands counted by category × unit × period,
and the hotspots in them, each explained.

A *demand* is one report of a matter: a case's own issue, each duplicate merged into a case
(并单: a case of its own, merged away), and each issue that never became a case.
:func:`opinion_library` counts them from :class:`~gridgov.metrics.CaseFacts` — units rolled
up along :attr:`CaseFacts.chain <gridgov.metrics.CaseFacts.chain>` (the grid as it was drawn
when the case was filed, never today's), categories along
:attr:`CaseFacts.categories <gridgov.metrics.CaseFacts.categories>`, periods by
:func:`~gridgov.metrics.period_of` on the report's moment.  :func:`~gridgov.metrics.hotspots.hotspots` finds what to
fix first: the same place and category reported again and again, categories rising period
over period, units whose demand per household stands out among their siblings.

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST, Channel, Severity
    >>> from gridgov.cases import CaseStatus
    >>> t = datetime(2026, 11, 3, 9, tzinfo=CST)
    >>> f = CaseFacts(case="c-1", issue="i-1", category="environment",
    ...               categories=("environment",), severity=Severity.ROUTINE, channel=Channel.GROUP_CHAT,
    ...               place="h-1", located=True, grid_version="v1", chain=("mg1", "g1", "c"),
    ...               micro_grid="mg1", filed_unit="mg1", owner="mg1", closing_unit="mg1",
    ...               status=CaseStatus.CLOSED, reported_at=t, opened_at=t, closed_at=t)
    >>> lib = opinion_library([f])
    >>> lib.cell("c").demands, lib.cell("g1").resolved, lib.top("c", 1)
    (1, 1, (('environment', 1),))
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Literal

import attrs

import gridgov._validators as v
import gridgov.metrics._opinions as _engine
from gridgov.errors import InvalidValueError
from gridgov.grid import GridGraph
from gridgov.issues import DEFAULT_CATALOGUE, CategoryCatalogue, Channel, Issue
from gridgov.metrics.facts import CaseFacts
from gridgov.metrics.periods import Grain, Period, Periods
from gridgov.metrics.presets import SATISFACTION_RATE
from gridgov.serialize import register

__all__ = [
    "OpinionCell",
    "OpinionLibrary",
    "OpinionReport",
    "opinion_library",
]

Attribute = Literal["place", "filed", "closing"]
_ATTRIBUTES = ("place", "filed", "closing")
_COUNT = v.integer(0, 10**12)
Row = dict[str, "str | int | float | None"]

_ZH = {
    "period": "周期",
    "unit": "单元",
    "category": "类别",
    "demands": "诉求数",
    "direct": "本类诉求数",
    "duplicates": "并单数",
    "resolved": "已解决",
    "open": "未办结",
    "rejected": "不予立案",
    "evaluated": "已评价",
    "satisfied": "满意",
    "kind": "类型",
    "place": "地点",
    "first": "首次反映",
    "last": "末次反映",
    "count": "次数",
    "baseline": "比较基数",
    "ratio": "倍数",
    "growth": "增加",
    "strength": "强度",
    "reason": "说明",
}


def _header(key: str, zh: bool) -> str:
    if key == SATISFACTION_RATE.name:
        return SATISFACTION_RATE.zh if zh else key
    if key.startswith("channel_"):
        return f"渠道:{Channel(key[8:]).zh}" if zh else key
    return _ZH[key] if zh else key


def _channels(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, tuple):
        raise v.refuse("channels", instance, "a list of (Channel, count) pairs", value)
    seen: set[Channel] = set()
    for item in value:
        ok = (
            isinstance(item, tuple)
            and len(item) == 2
            and isinstance(item[0], Channel)
            and type(item[1]) is int
            and item[1] > 0
            and item[0] not in seen
        )
        if not ok:
            raise v.refuse(
                "channels", instance, "(Channel, positive count) pairs, each channel once", item
            )
        seen.add(item[0])


@register
@attrs.frozen(kw_only=True)
class OpinionCell:
    """The demands of one period, unit (and the units below it) and category (and the
    categories refining it); ``category=None`` is every category, ``period=None`` every period.

    ``demands = resolved + open + rejected``.  A demand is *resolved* when the case handling it
    (its own, or the case it was merged into) was closed (结案), *rejected* when that case was
    not accepted (不予立案), else *open* — also a duplicate merged into a case the input does
    not hold.  *evaluated* and *satisfied* are the denominator and numerator of the 满意率
    preset :data:`~gridgov.metrics.SATISFACTION_RATE` (its one home), counted over the cases'
    own reports (a merged duplicate is not evaluated on its own), and
    :attr:`satisfaction_rate` is its value.

    Attributes:
        period: the period the demands were reported in, or ``None`` for all.
        unit: the unit's id.
        category: the category's code, or ``None`` for all categories.
        demands: the demands counted (诉求数).
        direct: of those, the demands filed under exactly this category (the rest refine it).
        duplicates: of those, duplicates merged into another case (并单).
        resolved: demands whose case was closed (已解决).
        open: demands still open (未办结).
        rejected: demands whose case was not accepted (不予立案).
        evaluated: cases the resident evaluated (已评价), as 满意率 counts them.
        satisfied: of those, satisfied or basically satisfied (满意), as 满意率 counts them.
        channels: ``(channel, demands)`` pairs for the channels heard, in
            :class:`~gridgov.issues.Channel` order: 入户征求意见 is ``Channel.VISIT``, the
            "1+N" group chat ``Channel.GROUP_CHAT``.

    Example:
        >>> from gridgov import Channel
        >>> c = OpinionCell(period=None, unit="g1", category=None, demands=3, direct=3,
        ...                 resolved=2, open=1, channels=[(Channel.VISIT, 2), (Channel.APP, 1)])
        >>> c.by_channel(Channel.VISIT), c.by_channel(Channel.HOTLINE)
        (2, 0)
        >>> OpinionCell(period=None, unit="g1", category=None, demands=3, direct=3, resolved=1)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'demands' of OpinionCell must equal resolved + open + rejected = 1 (got 3).
    """

    period: Period | None = attrs.field(validator=v.optional(v.is_a(Period)))
    unit: str = attrs.field(validator=v.ident)
    category: str | None = attrs.field(validator=v.optional(v.code))
    demands: int = attrs.field(validator=_COUNT)
    direct: int = attrs.field(default=0, validator=_COUNT)
    duplicates: int = attrs.field(default=0, validator=_COUNT)
    resolved: int = attrs.field(default=0, validator=_COUNT)
    open: int = attrs.field(default=0, validator=_COUNT)
    rejected: int = attrs.field(default=0, validator=_COUNT)
    evaluated: int = attrs.field(default=0, validator=_COUNT)
    satisfied: int = attrs.field(default=0, validator=_COUNT)
    channels: tuple[tuple[Channel, int], ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=_channels
    )

    def __attrs_post_init__(self) -> None:
        total = self.resolved + self.open + self.rejected
        if self.demands != total:
            raise InvalidValueError(
                f"'demands' of OpinionCell must equal resolved + open + rejected = {total:,} "
                f"(got {self.demands:,})."
            )
        for name in ("direct", "duplicates"):
            if getattr(self, name) > self.demands:
                raise InvalidValueError(
                    f"'{name}' of OpinionCell must be at most its demands {self.demands:,} "
                    f"(got {getattr(self, name):,})."
                )
        if self.satisfied > self.evaluated:
            raise InvalidValueError(
                f"'satisfied' of OpinionCell must be at most its evaluated {self.evaluated:,} "
                f"(got {self.satisfied:,})."
            )
        heard = sum(n for _, n in self.channels)
        if self.channels and heard != self.demands:
            raise InvalidValueError(
                f"'channels' of OpinionCell must add up to its demands {self.demands:,} "
                f"(got {heard:,})."
            )

    def by_channel(self, channel: Channel) -> int:
        """The demands that came through *channel*.

        Example:
            >>> from gridgov import Channel
            >>> OpinionCell(period=None, unit="g1", category=None, demands=1, open=1,
            ...             channels=[(Channel.GROUP_CHAT, 1)]).by_channel(Channel.GROUP_CHAT)
            1
        """
        return next((n for c, n in self.channels if c is channel), 0)

    @property
    def satisfaction_rate(self) -> float | None:
        """满意率 by the preset :data:`~gridgov.metrics.SATISFACTION_RATE` (a percentage):
        satisfied ÷ evaluated × 100, ``None`` when nobody evaluated.

        Example:
            >>> OpinionCell(period=None, unit="g1", category=None, demands=4, resolved=4,
            ...             evaluated=4, satisfied=3).satisfaction_rate
            75.0
        """
        return SATISFACTION_RATE.value_of(self.satisfied, self.evaluated)

    def row(self, *, zh: bool = False) -> Row:
        """The cell as a plain dict (see :meth:`OpinionLibrary.rows`).

        Example:
            >>> row = OpinionCell(period=None, unit="g1", category=None, demands=2,
            ...                   resolved=2).row(zh=True)
            >>> row["单元"], row["诉求数"], row["已解决"], row["渠道:网格群"]
            ('g1', 2, 2, 0)
        """
        period = None if self.period is None else (self.period.zh if zh else self.period.label)
        out: Row = {"period": period, "unit": self.unit, "category": self.category}
        for name in _engine.COUNTS:
            out[name] = getattr(self, name)
        out[SATISFACTION_RATE.name] = self.satisfaction_rate
        for channel in _engine.CHANNELS:
            out[f"channel_{channel.value}"] = self.by_channel(channel)
        return {_header(k, zh): x for k, x in out.items()}


def _cell(key: tuple[Period | None, str, str | None], tally: list[int]) -> OpinionCell:
    """The cell of *key* from an engine tally."""
    counts = dict(zip(_engine.COUNTS, tally, strict=False))
    channels = [
        (c, n) for c, n in zip(_engine.CHANNELS, tally[len(_engine.COUNTS) :], strict=True) if n
    ]
    return OpinionCell(period=key[0], unit=key[1], category=key[2], channels=channels, **counts)


def _tally(cell: OpinionCell) -> list[int]:
    """The counts of *cell* as an engine tally."""
    return [getattr(cell, n) for n in _engine.COUNTS] + [
        cell.by_channel(c) for c in _engine.CHANNELS
    ]


@register
@attrs.frozen(kw_only=True)
class OpinionReport:
    """One located demand, as the search for repeated reports reads it.

    Attributes:
        where: ``"place:<id>"`` or ``"unit:<id>"``, as :class:`~gridgov.cases.Report` has it.
        category: the demand's own category.
        unit: the micro-grid (the bottom of the chain it was filed along).
        at: when it was reported.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> OpinionReport(where="place:h-1", category="noise", unit="mg1",
        ...               at=datetime(2026, 11, 3, tzinfo=CST)).place
        'h-1'
    """

    where: str = attrs.field(validator=v.name)
    category: str = attrs.field(validator=v.code)
    unit: str = attrs.field(validator=v.ident)
    at: datetime = attrs.field(validator=v.aware)

    @property
    def place(self) -> str | None:
        """The place's id, or ``None`` for a demand about a unit as a whole."""
        return self.where[6:] if self.where.startswith("place:") else None


def _by(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Grain | Periods):
        raise v.refuse("by", instance, "a Grain or a Periods value", value)


def _attribute(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value not in _ATTRIBUTES:
        raise v.refuse("attribute", instance, f"one of {list(_ATTRIBUTES)}", value)


def _cell_order(c: OpinionCell) -> tuple[object, ...]:
    assert c.period is not None
    return (c.period.start, c.period.end, c.unit, c.category is not None, c.category or "")


@register
@attrs.frozen(kw_only=True)
class OpinionLibrary:
    """The opinion library (意见库): demands by period × unit × category, rolled up both
    ways, and the located reports behind them.  Built by :func:`opinion_library`; libraries of
    parts (e.g. per community) :meth:`combine` into the library of the whole.

    Attributes:
        by: the cut of time the periods come from.
        attribute: which unit a demand counts at: ``"place"`` (the place's micro-grid and
            up), ``"filed"`` (the unit that first owned it and up) or ``"closing"`` (the owner
            when closed — or at the end, if open — and up).
        cells: every non-empty cell, sorted by period, unit, then category (``None`` first).
        reports: the located demands (sorted by place, category and time), which
            :func:`~gridgov.metrics.hotspots.hotspots` searches for repeated reports.

    Example:
        >>> OpinionLibrary(by=Grain.MONTH, attribute="place", cells=[]).periods
        ()
    """

    by: Grain | Periods = attrs.field(validator=_by)
    attribute: Attribute = attrs.field(validator=_attribute)
    cells: tuple[OpinionCell, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.is_a(OpinionCell))
    )
    reports: tuple[OpinionReport, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.is_a(OpinionReport))
    )
    # the cells of each (unit, category), built once with the value (an index, not a cache)
    _index: Mapping[tuple[str, str | None], tuple[OpinionCell, ...]] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        keys = [_cell_order(c) if c.period is not None else None for c in self.cells]
        if None in keys:
            raise InvalidValueError("'cells' of OpinionLibrary must each have a period (got None).")
        if any(a >= b for a, b in itertools.pairwise(keys)):  # type: ignore[operator]
            raise InvalidValueError(
                "'cells' of OpinionLibrary must be sorted by period, unit and category, "
                "each key once."
            )
        index: dict[tuple[str, str | None], list[OpinionCell]] = {}
        for c in self.cells:
            index.setdefault((c.unit, c.category), []).append(c)
        object.__setattr__(self, "_index", {k: tuple(cs) for k, cs in index.items()})

    @property
    def periods(self) -> tuple[Period, ...]:
        """The periods with demands, in order."""
        return tuple(
            sorted({c.period for c in self.cells if c.period is not None}, key=lambda p: p.start)
        )

    @property
    def units(self) -> tuple[str, ...]:
        """The units with demands, sorted."""
        return tuple(sorted({c.unit for c in self.cells}))

    def cell(
        self, unit: str, category: str | None = None, period: Period | None = None
    ) -> OpinionCell:
        """The demands of *unit* in *category* (``None``: all) in *period* (``None``: all
        periods, summed); an empty cell if there were none.

        Example:
            >>> OpinionLibrary(by=Grain.MONTH, attribute="place", cells=[]).cell("g1").demands
            0
        """
        tally = [0] * _engine.WIDTH
        for c in self._index.get((unit, category), ()):
            if period is None or c.period == period:
                for i, x in enumerate(_tally(c)):
                    tally[i] += x
        return _cell((period, unit, category), tally)

    def top(
        self, unit: str, n: int = 10, period: Period | None = None
    ) -> tuple[tuple[str, int], ...]:
        """The *n* categories most asked for at *unit* (and below) in *period* (``None``:
        all), as ``(category, demands)`` pairs, most first (ties by code).  Demands count at
        their own category (:attr:`OpinionCell.direct`), so a broad category does not crowd
        out the matters that refine it.

        Example:
            >>> OpinionLibrary(by=Grain.MONTH, attribute="place", cells=[]).top("g1", 3)
            ()
        """
        v.check_integer("n", n, 0, 10**6)
        counts: dict[str, int] = {}
        for c in self.cells:
            if (
                c.unit == unit
                and c.category is not None
                and c.direct
                and (period is None or c.period == period)
            ):
                counts[c.category] = counts.get(c.category, 0) + c.direct
        return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n])

    def combine(self, other: OpinionLibrary) -> OpinionLibrary:
        """The library of both parts' demands (cells added, reports joined).  Combining is
        associative and agrees with counting all the facts at once, as long as each case and
        the duplicates merged into it are in the same part.

        Raises:
            InvalidValueError: if the parts were cut in different periods or attributed
                differently.

        Example:
            >>> a = OpinionLibrary(by=Grain.MONTH, attribute="place", cells=[])
            >>> a.combine(a) == a
            True
        """
        v.check_instance("other", other, OpinionLibrary)
        if other.by != self.by or other.attribute != self.attribute:
            raise InvalidValueError(
                "'other' must be a library cut by the same periods and attributed the same way "
                f"(got by={other.by!r}, attribute={other.attribute!r})."
            )
        tallies: dict[object, list[int]] = {}
        keys: dict[object, tuple[Period | None, str, str | None]] = {}
        for c in (*self.cells, *other.cells):
            key = _cell_order(c)
            t = _tally(c)
            if key in tallies:
                tallies[key] = [a + b for a, b in zip(tallies[key], t, strict=True)]
            else:
                tallies[key], keys[key] = t, (c.period, c.unit, c.category)
        cells = [_cell(keys[k], tallies[k]) for k in sorted(tallies)]  # type: ignore[type-var]
        reports = sorted((*self.reports, *other.reports), key=_report_order)
        return OpinionLibrary(by=self.by, attribute=self.attribute, cells=cells, reports=reports)

    def rows(self, *, zh: bool = False) -> list[Row]:
        """One plain dict per cell: ``period`` (its label, or Chinese name with *zh*), ``unit``,
        ``category`` (``None``: all categories), the counts, then ``channel_<value>`` per
        channel — ready for ``csv.DictWriter`` or ``pandas.DataFrame``.

        Example:
            >>> OpinionLibrary(by=Grain.MONTH, attribute="place", cells=[]).rows(zh=True)
            []
        """
        return [c.row(zh=zh) for c in self.cells]


def _report_order(r: OpinionReport) -> tuple[str, str, datetime, str]:
    return (r.where, r.category, r.at, r.unit)


def opinion_library(
    facts: Iterable[CaseFacts],
    *,
    by: Grain | Periods = Grain.MONTH,
    attribute: Attribute = "place",
    issues: Iterable[Issue] = (),
    grid: GridGraph | None = None,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
) -> OpinionLibrary:
    """Build the opinion library (意见库) of *facts* and of *issues* that never became cases.

    Every case's facts is one demand, at its own category, place, channel and report time —
    a case merged into another (``merged_into``) too, handled by the case it was merged into.
    Pass the facts of the merged cases as well: if a case counts more duplicates
    (:attr:`CaseFacts.duplicates`) than the facts merged into it, each missing one counts as
    another demand like the case's own report.  A demand counts in the period its report
    falls in (:func:`~gridgov.metrics.period_of`; a moment outside custom periods is not
    counted), at the units *attribute* names and every unit above, as the grid was drawn when
    the case was filed (:attr:`CaseFacts.chain`), and at its category and every category it
    refines (:attr:`CaseFacts.categories`).

    Args:
        facts: one :class:`~gridgov.metrics.CaseFacts` per case.
        by: a :class:`~gridgov.metrics.Grain` or custom :class:`~gridgov.metrics.Periods`.
        attribute: ``"place"``, ``"filed"`` or ``"closing"`` (see :class:`OpinionLibrary`).
        issues: issues that never became cases: open demands, at the units of their place (or
            unit) in *grid*, which must then be given.
        grid: the grid *issues* are looked up in (today's: they were never filed).
        catalogue: the catalogue the issues' categories roll up in.

    Raises:
        InvalidValueError: for a bad argument (named), a located issue without *grid*, an
            unlocated issue, or cases merged into each other in a loop.

    Example:
        >>> from gridgov.demo import sample_grid
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel, Issue, Reporter
        >>> issue = Issue(id="i-9", category="environment", severity=1, channel=Channel.VISIT,
        ...               place="h-1001", reporter=Reporter.resident("r-9"),
        ...               reported_at=datetime(2026, 11, 26, tzinfo=CST))
        >>> lib = opinion_library([], issues=[issue], grid=sample_grid())
        >>> [(c.unit, c.category, c.open, c.by_channel(Channel.VISIT)) for c in lib.cells][:2]
        [('g3', None, 1, 1), ('g3', 'environment', 1, 1)]
        >>> opinion_library([], attribute="courtyard")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'attribute' must be one of ['place', 'filed', 'closing'] (got 'courtyard').
    """
    if attribute not in _ATTRIBUTES:
        raise v.refuse("attribute", None, f"one of {list(_ATTRIBUTES)}", attribute)
    if not isinstance(by, Grain | Periods):
        raise v.refuse("by", None, "a Grain or a Periods value", by)
    v.check_instance("catalogue", catalogue, CategoryCatalogue)
    if grid is not None:
        v.check_instance("grid", grid, GridGraph)
    checked = (v.check_instance("facts", f, CaseFacts) for f in facts)
    tallies, raw = _engine.count(
        checked, issues, by=by, attribute=attribute, grid=grid, catalogue=catalogue
    )
    order = sorted(
        tallies, key=lambda k: (k[0].start, k[0].end, k[1], k[2] is not None, k[2] or "")
    )
    cells = [_cell(k, tallies[k]) for k in order]
    reports = sorted(
        (OpinionReport(where=w, category=c, unit=u, at=at) for w, c, u, at in raw),
        key=_report_order,
    )
    return OpinionLibrary(by=by, attribute=attribute, cells=cells, reports=reports)
