"""Roll-ups (汇总): tallies of case facts per unit, period and category, merged and evaluated.

:func:`tally` counts, in one pass over the facts, every predicate term the indicators need,
per unit, period and (on request) category.  A case is attributed to one unit — the unit
responsible at close, the unit of the place, or the unit that first owned it
(:class:`Attribution`) — and counted there **and at every unit above it in the chain it was
filed along** (:attr:`CaseFacts.chain <gridgov.metrics.CaseFacts.chain>`): a redrawn grid
keeps its history, because no case is looked up in today's grid.  With ``categories=True``
each case also counts under its category and every ancestor
(:attr:`CaseFacts.categories <gridgov.metrics.CaseFacts.categories>`); the rows with category
``None`` are the totals.

A :class:`Tally` is a mergeable partial aggregate: a city tallies each community and adds the
tallies (:meth:`Tally.combine`, ``+``), associatively and commutatively, and gets the tally of
all the facts at once.  :func:`evaluate` turns a tally into a :class:`Table` of indicator
values whose :meth:`~Table.rows` are plain dicts for ``csv.DictWriter`` or
``pandas.DataFrame``.

Example:
    >>> from gridgov.demo import sample_month_facts
    >>> from gridgov.metrics.presets import CLOSING_RATE
    >>> t = tally(sample_month_facts(), [CLOSING_RATE])
    >>> table = evaluate(t, [CLOSING_RATE], parts=True)
    >>> table.rows()[1]
    {'unit': 'mg31', 'period': '2026-11', 'closing_rate': 50.0, 'closing_rate_numerator': 1, 'closing_rate_denominator': 2}
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import ClassVar

import attrs

import gridgov._validators as v
from gridgov._fast import trusted_constructor
from gridgov._labels import LabelledEnum
from gridgov.calendar import TimeLimit, WorkCalendar
from gridgov.cases import Case
from gridgov.errors import InvalidValueError, PolicyError, UnknownUnitError
from gridgov.grid import GridGraph
from gridgov.issues import DEFAULT_CATALOGUE, CategoryCatalogue
from gridgov.metrics._tally import MAX_COUNT, Slot, check_cells, check_slots, count, slots_of
from gridgov.metrics._vocabulary import READS_UNEXTENDED
from gridgov.metrics.composite import Composite, indicators_of
from gridgov.metrics.facts import CaseFacts, facts_of
from gridgov.metrics.indicators import Indicator
from gridgov.metrics.periods import Grain, Period, Periods
from gridgov.serialize import register

__all__ = [
    "Attribution",
    "IndicatorValue",
    "Line",
    "Table",
    "Tally",
    "evaluate",
    "tally",
    "tally_cases",
]

Key = tuple[str, Period, str | None]
"""A tally cell: (unit id, period, category code or ``None`` for all)."""


class Attribution(LabelledEnum):
    """The unit a case is counted at (and at every unit above it in its chain).

    * ``closing`` — the unit responsible at close (``closing_unit``); a case still open
      counts at its owner; a case that went beyond the grid counts at the top of its chain;
      an owner outside the chain the case was filed along (a case re-routed elsewhere)
      counts at that unit only.
    * ``place`` — the unit of the place (``micro_grid``); an unlocated case counts at the
      unit it was filed at.
    * ``filed`` — the unit that first owned it (``filed_unit``, 首接负责).

    Example:
        >>> from gridgov.demo import sample_month_facts
        >>> Attribution.PLACE.zh
        '属地'
    """

    CLOSING = "closing"
    PLACE = "place"
    FILED = "filed"

    __zh__: ClassVar[Mapping[str, str]] = {"closing": "结案单位", "place": "属地", "filed": "首接单位"}


def _read_only(cells: object) -> object:
    if isinstance(cells, Mapping):
        return MappingProxyType(dict(cells))
    return cells  # the validator names what is wrong


@register
@attrs.frozen(kw_only=True)
class Tally:
    """Counts of predicate terms per (unit, period, category): a mergeable partial aggregate.

    Build one with :func:`tally`; merge with :meth:`combine` or ``+``.

    Attributes:
        by: the grain or the custom periods cases were put in.
        attribute: the unit each case was attributed to.
        categories: whether cases were also counted per category (and ancestor).
        slots: what each count counts, sorted: (counts_in, only, exclude, predicate).
        cells: the counts, in slot order, per (unit, period, category); category ``None``
            holds every category.  A cell exists only where something was counted.

    Example:
        >>> from gridgov.demo import sample_month_facts
        >>> from gridgov.metrics.presets import CLOSING_RATE
        >>> t = tally(sample_month_facts(), [CLOSING_RATE])
        >>> sorted(u for u, _, _ in t.cells)
        ['g3', 'mg31', 'yx']
    """

    by: Grain | Periods = attrs.field(validator=v.is_a((Grain, Periods)))
    attribute: Attribution = attrs.field(validator=v.is_a(Attribution))
    categories: bool = attrs.field(validator=v.boolean)
    slots: tuple[Slot, ...] = attrs.field(
        converter=v.to_tuple, validator=[v.tuple_of(), check_slots]
    )
    cells: Mapping[Key, tuple[int, ...]] = attrs.field(
        converter=_read_only, validator=check_cells, hash=False
    )

    def __attrs_post_init__(self) -> None:
        if list(self.slots) != sorted(set(self.slots)):
            raise InvalidValueError("'slots' of Tally must be sorted and distinct.")

    def combine(self, other: Tally) -> Tally:
        """The tally of both partials' facts together (associative and commutative).

        Raises:
            PolicyError: if the two were tallied by different periods, attribution or
                category split.

        Example:
            >>> from gridgov.demo import sample_month_facts
            >>> from gridgov.metrics.presets import CLOSING_RATE
            >>> a, b = sample_month_facts()[:2], sample_month_facts()[2:]
            >>> tally(a, [CLOSING_RATE]) + tally(b, [CLOSING_RATE]) == tally(a + b, [CLOSING_RATE])
            True
        """
        if not isinstance(other, Tally):
            raise PolicyError(f"a Tally combines with a Tally (got {v.show(other)}).")
        for name in ("by", "attribute", "categories"):
            if getattr(self, name) != getattr(other, name):
                raise PolicyError(
                    f"tallies with different {name!r} cannot be combined "
                    f"({getattr(self, name)!r} and {getattr(other, name)!r})."
                )
        slots = tuple(sorted(set(self.slots) | set(other.slots)))
        at = {s: i for i, s in enumerate(slots)}
        cells: dict[Key, list[int]] = {}
        for part in (self, other):
            where = [at[s] for s in part.slots]
            for key, counts in part.cells.items():
                cell = cells.setdefault(key, [0] * len(slots))
                for i, n in zip(where, counts, strict=True):
                    cell[i] += n
        return Tally(by=self.by, attribute=self.attribute, categories=self.categories,
                     slots=slots, cells={k: tuple(c) for k, c in cells.items()})

    __add__ = combine

    def count(self, indicator: Indicator, unit: str, period: Period,
              category: str | None = None) -> tuple[int, int | None]:
        """The indicator's numerator and denominator (``None`` for a plain count) in a cell.

        Raises:
            PolicyError: if the tally did not count what the indicator needs.

        Example:
            >>> from gridgov.demo import sample_month_facts
            >>> from gridgov.metrics.presets import CLOSING_RATE
            >>> t = tally(sample_month_facts(), [CLOSING_RATE])
            >>> from datetime import date
            >>> t.count(CLOSING_RATE, "mg31", Period.of(date(2026, 11, 1), Grain.MONTH))
            (1, 2)
        """
        cell = self.cells.get((unit, period, category))
        return self._counts(indicator, cell)

    def _counts(self, ind: Indicator, cell: tuple[int, ...] | None) -> tuple[int, int | None]:
        num_at, den_at = self._positions(ind, {s: i for i, s in enumerate(self.slots)})
        if cell is None:
            return 0, None if ind.is_count else 0
        num = sum(sign * cell[i] for i, sign in num_at)
        return num, None if ind.is_count else sum(sign * cell[i] for i, sign in den_at)

    def _positions(
        self, ind: Indicator, index: Mapping[Slot, int]
    ) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]:
        """Where the indicator's numerator and denominator terms are in a cell: (position,
        sign) pairs, resolved once and read for every cell."""
        num_at: list[tuple[int, int]] = []
        den_at: list[tuple[int, int]] = []
        n_num = len(ind.numerator.terms)
        for k, (slot, t) in enumerate(slots_of(ind)):
            if slot not in index:
                raise PolicyError(
                    f"the tally did not count {t.predicate.name!r} for indicator "
                    f"{ind.name!r}: tally with the indicators you evaluate."
                )
            (num_at if k < n_num else den_at).append((index[slot], t.sign))
        return tuple(num_at), tuple(den_at)


def tally(
    facts: Iterable[CaseFacts],
    indicators: Iterable[Indicator | Composite],
    *,
    by: Grain | Periods = Grain.MONTH,
    attribute: Attribution | str = Attribution.CLOSING,
    categories: bool = False,
) -> Tally:
    """Count, in one pass, every term the indicators need, per unit, period and category.

    A case counts, for each indicator, in the period of its ``counts_in`` moment (by
    :func:`~gridgov.metrics.period_of`, on CST dates; a case without that moment, or outside
    custom periods, is not counted there), at its attributed unit and every unit above it in
    its chain, and — with ``categories`` — under its category and each ancestor as well as
    under ``None`` (all).

    Args:
        facts: the cases' facts, streamed once.
        indicators: the indicators and composites to count for.
        by: a grain (day, week, month, quarter, year) or custom :class:`Periods`.
        attribute: the unit a case is attributed to (:class:`Attribution`).
        categories: also count per category subtree.

    Raises:
        InvalidValueError: if an item of *facts* is not a :class:`CaseFacts`.
        PolicyError: for two different indicators or custom predicates of the same name.

    Example:
        >>> from gridgov.demo import sample_month_facts
        >>> from gridgov.metrics.presets import CLOSING_RATE
        >>> t = tally(sample_month_facts(), [CLOSING_RATE], categories=True)
        >>> sorted({c for _, _, c in t.cells if c})
        ['environment', 'facility_repair']
    """
    attribution = Attribution(attribute)
    if not isinstance(by, Grain | Periods):
        raise InvalidValueError(f"'by' must be a Grain or Periods (got {v.show(by)}).")
    slots, cells = count(facts, indicators_of(indicators), by, attribution.value, categories)
    return Tally(by=by, attribute=attribution, categories=categories, slots=slots, cells=cells)


def tally_cases(
    cases: Iterable[Case],
    indicators: Iterable[Indicator | Composite],
    *,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    calendar: WorkCalendar | None = None,
    dispatch_limit: TimeLimit | None = None,
    by: Grain | Periods = Grain.MONTH,
    attribute: Attribution | str = Attribution.CLOSING,
    categories: bool = False,
) -> Tally:
    """The tally of the cases' facts in one go: equal to ``tally(facts_of(cases, ...),
    indicators, ...)``, the facts streamed and computed only as far as the indicators read
    them.

    The no-extension replay behind ``resolve_due_unextended`` (按期结案(不计延期)) is made only
    when an indicator reads it, or reads a custom predicate (which may read anything); the
    facts never leave the call, so nothing else can read what was skipped.  The arguments
    are those of :func:`~gridgov.metrics.facts_of` and :func:`tally`.

    Example:
        >>> from gridgov import WorkCalendar
        >>> from gridgov.demo import sample_case
        >>> from gridgov.metrics.presets import DIGITAL_CITY
        >>> t = tally_cases([sample_case()], DIGITAL_CITY, calendar=WorkCalendar())
        >>> t == tally(facts_of([sample_case()], calendar=WorkCalendar()), DIGITAL_CITY)
        True
    """
    items = indicators_of(indicators)
    reads = any(p.is_custom or p.name in READS_UNEXTENDED for i in items for p in i.predicates())
    facts = facts_of(cases, catalogue=catalogue, calendar=calendar,
                     dispatch_limit=dispatch_limit, unextended=reads)
    return tally(facts, items, by=by, attribute=attribute, categories=categories)


@register
@attrs.frozen(kw_only=True)
class IndicatorValue:
    """One indicator's value in one cell of a table.

    Attributes:
        name: the indicator's (or composite's) name.
        zh: its Chinese name.
        numerator: the numerator count (``None`` for a composite).
        denominator: the denominator count (``None`` for a plain count or a composite).
        value: the value, ``None`` for "no data" (a zero denominator).

    Example:
        >>> from gridgov.demo import sample_month_facts
        >>> IndicatorValue(name="closing_rate", zh="结案率", numerator=0, denominator=0,
        ...                value=None).value is None
        True
    """

    name: str = attrs.field(validator=v.code)
    zh: str = attrs.field(validator=v.name)
    numerator: int | None = attrs.field(
        validator=v.optional(v.integer(-MAX_COUNT, MAX_COUNT))
    )
    denominator: int | None = attrs.field(
        validator=v.optional(v.integer(-MAX_COUNT, MAX_COUNT))
    )
    value: float | None = attrs.field(validator=v.optional(v.number(-1e15, 1e15)))


@register
@attrs.frozen(kw_only=True)
class Line:
    """One line of a table: a unit, a period, a category (``None``: all), and the values.

    Example:
        >>> from gridgov.demo import sample_month_facts
        >>> from gridgov.metrics.presets import CLOSING_RATE
        >>> line = evaluate(tally(sample_month_facts(), [CLOSING_RATE]), [CLOSING_RATE]).lines[0]
        >>> line.unit, line.period.label, line.category
        ('g3', '2026-11', None)
    """

    unit: str = attrs.field(validator=v.ident)
    period: Period = attrs.field(validator=v.is_a(Period))
    category: str | None = attrs.field(validator=v.optional(v.code))
    unit_name: str | None = attrs.field(validator=v.optional(v.name))
    tier: str | None = attrs.field(validator=v.optional(v.code))
    values: tuple[IndicatorValue, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.is_a(IndicatorValue))
    )

    def __attrs_post_init__(self) -> None:
        names = [x.name for x in self.values]
        if len(set(names)) != len(names):
            raise InvalidValueError(
                f"'values' of Line must name each indicator once (got {', '.join(names)})."
            )

    def get(self, name: str) -> IndicatorValue:
        """The value of the indicator called *name*.

        Raises:
            InvalidValueError: if the table has no such column.

        Example:
            >>> from gridgov.demo import sample_month_facts
            >>> from gridgov.metrics.presets import CLOSING_RATE
            >>> t = evaluate(tally(sample_month_facts(), [CLOSING_RATE]), [CLOSING_RATE])
            >>> t.lines[0].get("closing_rate").denominator
            3
        """
        for value in self.values:
            if value.name == name:
                return value
        raise InvalidValueError(
            f"'name' must be a column of the table ({', '.join(x.name for x in self.values)}; "
            f"got {v.show(name)})."
        )


_HEADERS = {"unit": "单位", "unit_name": "单位名称", "tier": "层级", "period": "统计周期",
            "category": "类别"}


@register
@attrs.frozen(kw_only=True)
class Table:
    """Indicator values per unit, period and category, as typed lines and as plain rows.

    Attributes:
        columns: the indicators and composites evaluated, in column order.
        lines: one line per (unit, period, category) the tally holds, sorted by period,
            then unit, then category (``None`` first).
        named: whether lines carry unit names and tiers (a grid was given).
        categories: whether lines are split by category.
        parts: whether :meth:`rows` shows each indicator's numerator and denominator.

    Example:
        >>> from gridgov.demo import sample_month_facts
        >>> from gridgov.metrics.presets import HOTLINE_12345
        >>> t = evaluate(tally(sample_month_facts(), HOTLINE_12345), HOTLINE_12345)
        >>> t.get("mg31", "2026-11").get("satisfaction_rate").value
        100.0
    """

    columns: tuple[Indicator | Composite, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.is_a((Indicator, Composite)))
    )
    lines: tuple[Line, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.is_a(Line))
    )
    named: bool = attrs.field(default=False, validator=v.boolean)
    categories: bool = attrs.field(default=False, validator=v.boolean)
    parts: bool = attrs.field(default=False, validator=v.boolean)

    def __attrs_post_init__(self) -> None:
        names = [c.name for c in self.columns]
        for line in self.lines:
            if [x.name for x in line.values] != names:
                raise InvalidValueError(
                    f"'lines' of Table must each hold the columns' values in column order "
                    f"({', '.join(names)}; got {', '.join(x.name for x in line.values)} "
                    f"for unit {line.unit!r})."
                )

    def rows(self, *, zh: bool = False) -> list[dict[str, str | int | float | None]]:
        """The lines as plain dicts: English snake_case headers, or Chinese with ``zh``.

        Values are ``str``, ``int``, ``float`` or ``None`` ("no data"); the period is its
        label (its Chinese label with ``zh``).  ``csv.DictWriter`` and ``pandas.DataFrame``
        take them as they are.

        Example:
            >>> from gridgov.demo import sample_month_facts
            >>> from gridgov.metrics.presets import CLOSING_RATE
            >>> t = evaluate(tally(sample_month_facts(), [CLOSING_RATE]), [CLOSING_RATE])
            >>> t.rows(zh=True)[1]
            {'单位': 'mg31', '统计周期': '2026年11月', '结案率': 50.0}
        """
        out: list[dict[str, str | int | float | None]] = []
        for line in self.lines:
            row: dict[str, str | int | float | None] = {"unit": line.unit}
            if self.named:
                row["unit_name"] = line.unit_name
                row["tier"] = line.tier
            row["period"] = line.period.zh if zh else line.period.label
            if self.categories:
                row["category"] = line.category
            if zh:
                row = {_HEADERS[k]: x for k, x in row.items()}
            for value in line.values:
                head = value.zh if zh else value.name
                is_count = value.denominator is None and value.numerator is not None
                row[head] = value.numerator if is_count else value.value
                if self.parts and not is_count and value.numerator is not None:
                    row[head + ("(分子)" if zh else "_numerator")] = value.numerator
                    row[head + ("(分母)" if zh else "_denominator")] = value.denominator
            out.append(row)
        return out

    def get(self, unit: str, period: Period | str, category: str | None = None) -> Line | None:
        """The line of *unit* in *period* (a period or its label), or ``None``.

        Example:
            >>> from gridgov.demo import sample_month_facts
            >>> from gridgov.metrics.presets import CLOSING_RATE
            >>> t = evaluate(tally(sample_month_facts(), [CLOSING_RATE]), [CLOSING_RATE])
            >>> t.get("g3", "2026-11").get("closing_rate").numerator, t.get("g3", "2026-10")
            (2, None)
        """
        for line in self.lines:
            if line.unit == unit and line.category == category and (
                line.period == period or line.period.label == period
            ):
                return line
        return None

    def where(self, keep: Callable[[Line], bool]) -> Table:
        """The table with only the lines *keep* accepts.

        Example:
            >>> from gridgov.demo import sample_month_facts
            >>> from gridgov.demo import sample_grid
            >>> from gridgov.metrics.presets import CLOSING_RATE
            >>> t = evaluate(tally(sample_month_facts(), [CLOSING_RATE]), [CLOSING_RATE], grid=sample_grid())
            >>> [line.unit for line in t.where(lambda line: line.tier == "grid").lines]
            ['g3']
        """
        return attrs.evolve(self, lines=tuple(line for line in self.lines if keep(line)))

    def top(self, name: str, n: int = 3) -> Table:
        """Per unit and period, the *n* category lines with the highest value of column
        *name* (ties by category code), highest first; the total lines are left out.

        Example:
            >>> from gridgov.demo import sample_month_facts
            >>> from gridgov.metrics.indicators import CountsIn, Indicator
            >>> received = Indicator(name="received", zh="诉求数", numerator="received")
            >>> t = evaluate(tally(sample_month_facts(), [received], categories=True), [received])
            >>> [(x.category, x.get("received").value) for x in t.top("received", 1).lines if x.unit == "yx"]
            [('facility_repair', 3.0)]
        """
        v.check_integer("n", n, 1, 10**6)
        groups: dict[tuple[str, Period], list[Line]] = {}
        for line in self.lines:
            if line.category is not None:
                groups.setdefault((line.unit, line.period), []).append(line)
        kept: list[Line] = []
        for group in groups.values():
            ranked = sorted(group, key=lambda x: (-(x.get(name).value or 0.0), x.category or ""))
            kept.extend(ranked[:n])
        kept.sort(key=lambda x: (x.period.start, x.unit, -(x.get(name).value or 0.0)))
        return attrs.evolve(self, lines=tuple(kept))


# evaluate builds lines from a validated tally and validated columns: valid by construction
_new_value = trusted_constructor(IndicatorValue)
_new_line = trusted_constructor(Line)


def evaluate(
    counted: Tally,
    columns: Iterable[Indicator | Composite],
    *,
    grid: GridGraph | None = None,
    parts: bool = False,
) -> Table:
    """The indicators' values in every cell of a tally, as a :class:`Table`.

    Args:
        counted: a tally made with (at least) these indicators.
        columns: the indicators and composites, in column order.
        grid: a grid to read unit names and tiers from (a unit it does not hold — another
            grid version, an outside body — gets ``None``).
        parts: also show each indicator's numerator and denominator in :meth:`Table.rows`.

    Raises:
        PolicyError: if the tally did not count what an indicator needs.

    Example:
        >>> from gridgov.demo import sample_month_facts
        >>> from gridgov.metrics.presets import DIGITAL_CITY, digital_city_score
        >>> cols = [*DIGITAL_CITY, digital_city_score()]
        >>> t = evaluate(tally(sample_month_facts(), cols), cols)
        >>> line = t.get("mg31", "2026-11")
        >>> line.get("on_time_closing_rate").value, line.get("composite_index").value
        (50.0, 60.0)
    """
    items = tuple(columns)
    # The plan, made once per call: each indicator's term positions in a cell (checked
    # against the tally's slots here, not per cell), its value rule, and each composite's.
    index = {s: i for i, s in enumerate(counted.slots)}
    plan: dict[str, tuple[Indicator, tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]]
    plan = {i.name: (i, *counted._positions(i, index)) for i in indicators_of(items)}
    # A column: (the name a cell's counts are found under, or None for a composite, the
    # composite, its indicators' names, its band count's name).
    steps = [
        (None, item, tuple(i.name for i in item.indicators()),
         None if item.band_count is None else item.band_count.name)
        if isinstance(item, Composite) else (item.name, None, (), None)
        for item in items
    ]
    units: dict[str, tuple[str | None, str | None]] = {}
    cells = sorted(counted.cells.items(),
                   key=lambda kv: (kv[0][1].start, kv[0][0], kv[0][2] or ""))
    lines: list[Line] = []
    counters = [(name, ind.value_of, ind.is_count, num_at, den_at)
                for name, (ind, num_at, den_at) in plan.items()]
    for (unit, period, category), cell in cells:
        found: dict[str, tuple[int, int | None, float | None]] = {}
        for name, value_of, is_count, num_at, den_at in counters:
            num = 0
            for i, sign in num_at:
                num += sign * cell[i]
            if is_count:
                found[name] = (num, None, value_of(num, None))
                continue
            den = 0
            for i, sign in den_at:
                den += sign * cell[i]
            found[name] = (num, den, value_of(num, den))
        values: list[IndicatorValue] = []
        for column, composite, reads, band in steps:
            if composite is None:
                assert column is not None
                numerator, denominator, value = found[column]
                item = plan[column][0]
                values.append(_new_value(item.name, item.zh, numerator, denominator, value))
                continue
            known = {n: found[n][2] for n in reads}
            score = composite.score(known, None if band is None else found[band][0])
            values.append(_new_value(composite.name, composite.zh, None, None, score))
        if grid is not None and unit not in units:
            try:
                got = grid.unit(unit)
            except UnknownUnitError:
                units[unit] = (None, None)
            else:
                units[unit] = (got.name, got.tier)
        name_, tier = units.get(unit, (None, None))
        lines.append(_new_line(unit, period, category, name_, tier, tuple(values)))
    return Table(columns=items, lines=tuple(lines), named=grid is not None,
                 categories=counted.categories, parts=parts)
