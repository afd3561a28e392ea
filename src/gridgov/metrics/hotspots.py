"""Hotspots (热点) in the opinion library: what to fix first, each explained.

Three kinds, each with its thresholds as parameters of :func:`hotspots`:

* **repeated** (重复反映): the same place (or unit, for a matter of a unit as a whole) and
  category reported at least ``repeats`` times within ``window_days`` days — every report
  counts, merged duplicates included;
* **rising** (类别上升): a category at a unit with at least ``rising_min_count`` demands in a
  period and a growth over the previous period of at least ``rising_min_growth`` (0.5 =
  +50 %); a category not asked for before counts as rising once it reaches the minimum;
* **dense** (诉求密集): a unit whose demands per household in a period are at least
  ``dense_factor`` times the median of its sibling units (the children of its parent in the
  grid, those without demands counted as zero), with at least ``dense_min_demands`` demands.
  Households come from the grid (every place counts as one) unless given.

Each :class:`Hotspot` has a *strength*: how far past its threshold it is (1.0 = just at it),
and hotspots are sorted by it, strongest first.

Example:
    >>> from gridgov.metrics import Grain, OpinionLibrary
    >>> len(hotspots(OpinionLibrary(by=Grain.MONTH, attribute="place", cells=[])))
    0
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import ClassVar

import attrs

import gridgov._validators as v
import gridgov.metrics._opinions as _engine
from gridgov._labels import LabelledEnum
from gridgov._time import CST
from gridgov.grid import GridGraph
from gridgov.issues import DEFAULT_CATALOGUE, CategoryCatalogue
from gridgov.metrics.opinions import OpinionLibrary
from gridgov.metrics.periods import Period
from gridgov.reasons import Reason, Ref
from gridgov.serialize import register

__all__ = ["Hotspot", "HotspotKind", "Hotspots", "hotspots"]

Row = dict[str, "str | int | float | None"]

_ZH = {
    "kind": "类型",
    "unit": "单元",
    "place": "地点",
    "category": "类别",
    "period": "周期",
    "first": "首次反映",
    "last": "末次反映",
    "count": "件数",
    "baseline": "比较基数",
    "growth": "增加",
    "ratio": "倍数",
    "strength": "强度",
    "reason": "说明",
}


class HotspotKind(LabelledEnum):
    """What makes a hotspot.

    Example:
        >>> HotspotKind.REPEATED.zh, HotspotKind.DENSE.label
        ('重复反映', 'dense')
    """

    REPEATED = "repeated"
    RISING = "rising"
    DENSE = "dense"

    __zh__: ClassVar[Mapping[str, str]] = {
        "repeated": "重复反映",
        "rising": "类别上升",
        "dense": "诉求密集",
    }


@register
@attrs.frozen(kw_only=True)
class Hotspot:
    """A hotspot in the opinion library, with the counts behind it and why it is one.

    Attributes:
        kind: repeated, rising or dense.
        unit: the unit (for *repeated*: the micro-grid of the place).
        category: the category (``None`` for *dense*: all categories).
        place: the place reported again and again (*repeated* at a place), else ``None``.
        period: the period (*rising*, *dense*), else ``None``.
        first: the first report in the window (*repeated*), else ``None``.
        last: the last report in the window (*repeated*), else ``None``.
        count: the reports in the window, the demands in the period.
        baseline: what *count* is compared with: the previous period's demands (*rising*),
            the siblings' median demands per household (*dense*); ``None`` for *repeated*.
        growth: *rising*: demands more than the previous period; else ``None``.
        ratio: *rising*: count ÷ baseline (``None`` if the baseline is 0); *dense*: the
            unit's demands per household ÷ the siblings' median; else ``None``.
        strength: how far past its threshold (1.0 = at it); hotspots sort by it.
        reason: why it is a hotspot, in Chinese and English, naming the unit and category.

    Example:
        >>> Hotspot(kind=HotspotKind.REPEATED, unit="mg1", category="noise", count=3,
        ...         strength=0.5, reason=Reason(zh="…", en="…"))
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'strength' of Hotspot must be a finite number from 1 to 1e+12 (got 0.5).
    """

    kind: HotspotKind = attrs.field(validator=v.is_a(HotspotKind))
    unit: str = attrs.field(validator=v.ident)
    category: str | None = attrs.field(validator=v.optional(v.code))
    count: int = attrs.field(validator=v.integer(0, 10**12))
    strength: float = attrs.field(validator=v.number(1.0, 1e12))
    reason: Reason = attrs.field(validator=v.is_a(Reason))
    place: str | None = attrs.field(default=None, validator=v.optional(v.ident))
    period: Period | None = attrs.field(default=None, validator=v.optional(v.is_a(Period)))
    first: datetime | None = attrs.field(default=None, validator=v.optional(v.aware))
    last: datetime | None = attrs.field(default=None, validator=v.optional(v.aware))
    baseline: float | None = attrs.field(default=None, validator=v.optional(v.number(0, 1e12)))
    growth: int | None = attrs.field(
        default=None, validator=v.optional(v.integer(-(10**12), 10**12))
    )
    ratio: float | None = attrs.field(default=None, validator=v.optional(v.number(0, 1e12)))

    def row(self, *, zh: bool = False) -> Row:
        """The hotspot as a plain dict (see :meth:`Hotspots.rows`).

        Example:
            >>> h = Hotspot(kind=HotspotKind.REPEATED, unit="mg1", category="noise", count=3,
            ...             strength=1.0, reason=Reason(zh="三次", en="three times"))
            >>> h.row()["reason"], h.row(zh=True)["说明"], h.row(zh=True)["类型"]
            ('three times', '三次', '重复反映')
        """
        period = None if self.period is None else (self.period.zh if zh else self.period.label)
        out: Row = {
            "kind": self.kind.zh if zh else self.kind.value,
            "unit": self.unit,
            "place": self.place,
            "category": self.category,
            "period": period,
            "first": None if self.first is None else self.first.isoformat(),
            "last": None if self.last is None else self.last.isoformat(),
            "count": self.count,
            "baseline": self.baseline,
            "growth": self.growth,
            "ratio": self.ratio,
            "strength": self.strength,
            "reason": self.reason.zh if zh else self.reason.en,
        }
        return {(_ZH[k] if zh else k): x for k, x in out.items()}


@register
@attrs.frozen(kw_only=True)
class Hotspots:
    """The hotspots :func:`hotspots` found, strongest first: a sequence of :class:`Hotspot`
    with :meth:`rows`.

    Example:
        >>> found = Hotspots(items=[])
        >>> len(found), list(found), found.rows()
        (0, [], [])
    """

    items: tuple[Hotspot, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.is_a(Hotspot))
    )

    def __iter__(self) -> Iterator[Hotspot]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> Hotspot:
        return self.items[index]

    def of(self, kind: HotspotKind) -> tuple[Hotspot, ...]:
        """The hotspots of *kind*, in order.

        Example:
            >>> Hotspots(items=[]).of(HotspotKind.RISING)
            ()
        """
        return tuple(h for h in self.items if h.kind is kind)

    def rows(self, *, zh: bool = False) -> list[Row]:
        """One plain dict per hotspot — English snake_case headers, or Chinese with *zh* (the
        reason in the same language) — ready for ``csv.DictWriter`` or ``pandas.DataFrame``.

        Example:
            >>> Hotspots(items=[]).rows(zh=True)
            []
        """
        return [h.row(zh=zh) for h in self.items]


class _Names:
    """How units and categories are named in reasons: by the grid's and catalogue's names."""

    def __init__(self, grid: GridGraph | None, catalogue: CategoryCatalogue) -> None:
        self.grid, self.catalogue = grid, catalogue

    def unit(self, unit_id: str) -> Ref:
        name = unit_id
        if self.grid is not None and unit_id in self.grid:
            name = self.grid.unit(unit_id).name
        return Ref(kind="unit", id=unit_id, name=name)

    def category(self, code: str) -> tuple[Ref, str, str]:
        if code in self.catalogue:
            c = self.catalogue[code]
            return Ref(kind="category", id=code, name=c.zh), c.zh, c.label
        return Ref(kind="category", id=code, name=code), code, code


def _day(t: datetime) -> str:
    return t.astimezone(CST).date().isoformat()


def _repeated(library: OpinionLibrary, names: _Names, repeats: int, days: int) -> list[Hotspot]:
    found = []
    reports = ((r.where, r.category, r.unit, r.at) for r in library.reports)
    for where, category, unit, n, first, last in _engine.repeated(
        reports, times=repeats, days=days
    ):
        u = names.unit(unit)
        c_ref, c_zh, c_en = names.category(category)
        place = where[6:] if where.startswith("place:") else None
        at_zh = f"{u.name} {place}" if place else u.name
        at_en = f"{place} ({u.name})" if place else u.name
        reason = Reason(
            zh=f"{at_zh} 的{c_zh}在 {days} 天内被反映 {n} 次（{_day(first)} 至 {_day(last)}），"
            f"达到 {repeats} 次的阈值",
            en=f"{c_en} at {at_en} reported {n} times within {days} days "
            f"({_day(first)} to {_day(last)}); the threshold is {repeats}",
            refs=(u, c_ref),
        )
        found.append(
            Hotspot(
                kind=HotspotKind.REPEATED,
                unit=unit,
                category=category,
                place=place,
                first=first,
                last=last,
                count=n,
                strength=n / repeats,
                reason=reason,
            )
        )
    return found


def _rising(
    library: OpinionLibrary, names: _Names, min_count: int, min_growth: float
) -> list[Hotspot]:
    periods = library.periods
    if not periods:
        return []
    earliest = periods[0].start
    counts = {(c.period, c.unit, c.category): c.demands for c in library.cells if c.category}
    found = []
    for (period, unit, category), now in counts.items():
        assert period is not None
        assert category is not None
        if now < min_count:
            continue
        before_period = _engine.previous_period(period, library.by)
        if before_period is None or before_period.start < earliest:
            continue  # nothing to compare with
        before = counts.get((before_period, unit, category), 0)
        if before:
            ratio = now / before
            if ratio < 1 + min_growth:
                continue
            strength = ratio / (1 + min_growth)
            pct_zh = f"，为上期的 {ratio:.2f} 倍"
            pct_en = f", {ratio:.2f} times as many"
        else:
            ratio, strength = None, now / min_count
            pct_zh, pct_en = "，上期没有", ", none the period before"
        u = names.unit(unit)
        c_ref, c_zh, c_en = names.category(category)
        reason = Reason(
            zh=f"{u.name} 的{c_zh}诉求 {period.zh} {now} 件，{before_period.zh} {before} 件，"
            f"增加 {now - before} 件{pct_zh}",
            en=f"{c_en} at {u.name}: {now} demands in {period.label} against {before} in "
            f"{before_period.label}, {now - before} more{pct_en}",
            refs=(u, c_ref),
        )
        found.append(
            Hotspot(
                kind=HotspotKind.RISING,
                unit=unit,
                category=category,
                period=period,
                count=now,
                baseline=float(before),
                growth=now - before,
                ratio=ratio,
                strength=strength,
                reason=reason,
            )
        )
    return found


def _households(grid: GridGraph, given: Mapping[str, int] | None) -> dict[str, int]:
    """Households per unit, rolled up: given per unit, else every place in the grid."""
    if given is not None:
        return {str(k): v.check_integer("households", n, 0, 10**9) for k, n in given.items()}
    bottom: dict[str, int] = {}
    for unit in grid.places.values():
        bottom[unit] = bottom.get(unit, 0) + 1
    out: dict[str, int] = {}
    for unit, n in bottom.items():
        for u in grid.chain(unit):
            out[u.id] = out.get(u.id, 0) + n
    return out


def _dense(
    library: OpinionLibrary,
    names: _Names,
    grid: GridGraph,
    factor: float,
    min_demands: int,
    households: Mapping[str, int] | None,
) -> list[Hotspot]:
    homes = _households(grid, households)
    demands = {(c.period, c.unit): c.demands for c in library.cells if c.category is None}
    found = []
    for period in library.periods:
        for parent in grid.units:
            kids = [k.id for k in grid.children(parent.id) if homes.get(k.id, 0) > 0]
            if len(kids) < 2:
                continue
            rates = {k: demands.get((period, k), 0) / homes[k] for k in kids}
            median = _engine.sibling_median(list(rates.values()))
            if median <= 0:
                continue
            for k in kids:
                n, ratio = demands.get((period, k), 0), rates[k] / median
                if n < min_demands or rates[k] < factor * median:
                    continue
                u, p = names.unit(k), names.unit(parent.id)
                reason = Reason(
                    zh=f"{u.name} {period.zh}每户诉求 {rates[k]:.3f} 件（{n} 件 / {homes[k]} 户），"
                    f"是{p.name}下属单元中位数 {median:.3f} 的 {ratio:.2f} 倍",
                    en=f"{u.name}: {rates[k]:.3f} demands per household in {period.label} "
                    f"({n} / {homes[k]} households), {ratio:.2f} times the median {median:.3f} "
                    f"of the units under {p.name}",
                    refs=(u, p),
                )
                found.append(
                    Hotspot(
                        kind=HotspotKind.DENSE,
                        unit=k,
                        category=None,
                        period=period,
                        count=n,
                        baseline=median,
                        ratio=ratio,
                        strength=max(1.0, ratio / factor),  # rate >= factor * median
                        reason=reason,
                    )
                )
    return found


def hotspots(
    library: OpinionLibrary,
    *,
    grid: GridGraph | None = None,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    repeats: int = 3,
    window_days: int = 30,
    rising_min_count: int = 5,
    rising_min_growth: float = 0.5,
    dense_factor: float = 2.0,
    dense_min_demands: int = 5,
    households: Mapping[str, int] | None = None,
) -> Hotspots:
    """The hotspots of *library*, strongest first (ties: kind, unit, category, period).

    Args:
        grid: names units in the reasons; needed for *dense* hotspots (siblings and
            households), which are skipped without it.
        catalogue: names categories in the reasons.
        repeats: *repeated*: the reports of one place and category that make a hotspot.
        window_days: *repeated*: the window they must fall in, in days.
        rising_min_count: *rising*: the demands a category needs in the period.
        rising_min_growth: *rising*: the growth over the previous period (0.5 = +50 %).
        dense_factor: *dense*: how many times the siblings' median per household.
        dense_min_demands: *dense*: the demands a unit needs in the period.
        households: *dense*: households per unit (each unit's whole subtree); by default
            every place of the grid counts as one household.

    Raises:
        InvalidValueError: for a bad argument, named.

    Example:
        >>> from datetime import datetime, timedelta
        >>> from gridgov import CST
        >>> from gridgov.metrics import Grain, OpinionLibrary, OpinionReport
        >>> t = datetime(2026, 11, 3, 9, tzinfo=CST)
        >>> seen = [OpinionReport(where="place:h-1", category="environment", unit="mg1",
        ...                       at=t + timedelta(days=d)) for d in (0, 4, 9)]
        >>> lib = OpinionLibrary(by=Grain.MONTH, attribute="place", cells=[], reports=seen)
        >>> (h,) = hotspots(lib)
        >>> h.kind.zh, h.count, h.strength
        ('重复反映', 3, 1.0)
        >>> print(h.reason)
        mg1 h-1 的环境卫生在 30 天内被反映 3 次（2026-11-03 至 2026-11-12），达到 3 次的阈值
        environment and sanitation at h-1 (mg1) reported 3 times within 30 days (2026-11-03 to 2026-11-12); the threshold is 3
    """
    v.check_instance("library", library, OpinionLibrary)
    if grid is not None:
        v.check_instance("grid", grid, GridGraph)
    v.check_instance("catalogue", catalogue, CategoryCatalogue)
    v.check_integer("repeats", repeats, 1, 10**6)
    v.check_integer("window_days", window_days, 1, 36_600)
    v.check_integer("rising_min_count", rising_min_count, 1, 10**9)
    v.check_number("rising_min_growth", rising_min_growth, 0.0, 1e6)
    v.check_number("dense_factor", dense_factor, 1.0, 1e6)
    v.check_integer("dense_min_demands", dense_min_demands, 1, 10**9)
    if households is not None and not isinstance(households, Mapping):
        raise v.refuse("households", None, "a mapping of unit id to households", households)
    names = _Names(grid, catalogue)
    found = _repeated(library, names, repeats, window_days)
    found += _rising(library, names, rising_min_count, rising_min_growth)
    if grid is not None:
        found += _dense(library, names, grid, dense_factor, dense_min_demands, households)
    order = list(HotspotKind)
    found.sort(
        key=lambda h: (
            -h.strength,
            order.index(h.kind),
            h.unit,
            h.category or "",
            h.place or "",
            h.period.start if h.period is not None else datetime.min.date(),
            h.first or datetime.min.replace(tzinfo=CST),
        )
    )
    return Hotspots(items=found)
