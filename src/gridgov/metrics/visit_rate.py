"""The monthly visit rate (月探访率) as a metric: residents under the visit policy in a month
who were visited at least once ÷ residents under the policy, per unit, rolled up the tree.

It is :func:`gridgov.visits.coverage` — the one home of who is under the policy and who was
visited — read as a table: :func:`visit_rate` calls it and keeps its
:class:`~gridgov.visits.VisitCoverage` figures with the units' names, the month as a
:class:`~gridgov.metrics.Period`, and :meth:`VisitRate.rows`.

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST
    >>> from gridgov.demo import sample_grid, sample_residents
    >>> from gridgov.visits import DEFAULT_POLICY, VisitRecord
    >>> seen = [VisitRecord(id="v1", resident="r-lu", member="m-li",
    ...                     at=datetime(2026, 11, 25, 9, tzinfo=CST))]
    >>> rate = visit_rate(sample_residents(), seen, DEFAULT_POLICY, sample_grid(), month=(2026, 11))
    >>> rate.rate("mg31"), rate["mg31"].visited, rate["mg31"].required
    (0.25, 1, 4)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import attrs

import gridgov._validators as v
from gridgov.errors import InvalidValueError
from gridgov.grid import GridGraph
from gridgov.metrics.periods import Grain, Period
from gridgov.people import Resident, ResidentFiles
from gridgov.serialize import register
from gridgov.visits import VisitCoverage, VisitLog, VisitPolicy, VisitRecord, coverage

__all__ = ["VisitRate", "visit_rate"]

Row = dict[str, "str | int | float | None"]

_ZH = {
    "period": "月份",
    "unit": "单元",
    "name": "名称",
    "tier": "层级",
    "required": "应探访人数",
    "visited": "已探访人数",
    "rate": "月探访率",
}


@register
@attrs.frozen(kw_only=True)
class VisitRate:
    """The monthly visit rate (月探访率) of every unit for one month.

    Attributes:
        month: the month, a :class:`~gridgov.metrics.Period` of :attr:`Grain.MONTH`.
        units: each unit's :class:`~gridgov.visits.VisitCoverage` (residents under the policy
            during the month, and those of them visited at least once), in the grid's order.
        names: each unit's name, in the same order.

    Example:
        >>> from datetime import date
        >>> from gridgov.metrics import Grain, Period
        >>> from gridgov.visits import VisitCoverage
        >>> r = VisitRate(month=Period.of(date(2026, 11, 1), Grain.MONTH),
        ...               units=[VisitCoverage(unit="g3", tier="grid", month="2026-11",
        ...                                    required=0, visited=0)], names=["第三网格"])
        >>> r.rate("g3"), r.rows(zh=True)[0]["月探访率"]
        (None, None)
    """

    month: Period = attrs.field(validator=v.is_a(Period))
    units: tuple[VisitCoverage, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.is_a(VisitCoverage))
    )
    names: tuple[str, ...] = attrs.field(converter=v.to_tuple, validator=v.tuple_of(v.name))

    def __attrs_post_init__(self) -> None:
        if self.month.grain is not Grain.MONTH:
            raise v.refuse("month", self, "a calendar month (a Period of Grain.MONTH)", self.month)
        if len(self.names) != len(self.units):
            raise InvalidValueError(
                f"'names' of VisitRate must name each of its {len(self.units)} units "
                f"(got {len(self.names)})."
            )
        for c in self.units:
            if c.month != self.month.label:
                raise InvalidValueError(
                    f"'units' of VisitRate must be figures of {self.month.label} "
                    f"(got {c.month} for {c.unit!r})."
                )

    def __getitem__(self, unit: str) -> VisitCoverage:
        for c in self.units:
            if c.unit == unit:
                return c
        raise KeyError(unit)

    def rate(self, unit: str) -> float | None:
        """The unit's rate: visited ÷ required, ``None`` when nobody was under the policy.

        Raises:
            KeyError: if the unit is not in the table.

        Example:
            >>> from gridgov.demo import sample_grid, sample_residents
            >>> from gridgov.visits import DEFAULT_POLICY
            >>> visit_rate(sample_residents(), [], DEFAULT_POLICY, sample_grid(),
            ...            month=(2026, 11)).rate("mg31")
            0.0
        """
        return self[unit].rate

    def rows(self, *, zh: bool = False) -> list[Row]:
        """One plain dict per unit: ``period``, ``unit``, ``name``, ``tier``, ``required``,
        ``visited``, ``rate`` (``None``: nobody under the policy) — Chinese headers with *zh*.

        Example:
            >>> from datetime import date
            >>> from gridgov.metrics import Grain, Period
            >>> from gridgov.visits import VisitCoverage
            >>> VisitRate(month=Period.of(date(2026, 11, 1), Grain.MONTH),
            ...           units=[VisitCoverage(unit="g3", tier="grid", month="2026-11",
            ...                                required=8, visited=6)], names=["第三网格"]).rows()
            [{'period': '2026-11', 'unit': 'g3', 'name': '第三网格', 'tier': 'grid', 'required': 8, 'visited': 6, 'rate': 0.75}]
        """
        period = self.month.zh if zh else self.month.label
        out = []
        for c, name in zip(self.units, self.names, strict=True):
            row: Row = {
                "period": period,
                "unit": c.unit,
                "name": name,
                "tier": c.tier,
                "required": c.required,
                "visited": c.visited,
                "rate": c.rate,
            }
            out.append({(_ZH[k] if zh else k): x for k, x in row.items()})
        return out


def visit_rate(
    residents: Iterable[Resident] | ResidentFiles,
    records: Iterable[VisitRecord] | VisitLog,
    policy: VisitPolicy,
    grid: GridGraph,
    *,
    month: date | tuple[int, int],
) -> VisitRate:
    """The monthly visit rate (月探访率) per unit: :func:`gridgov.visits.coverage` for *month*,
    as a table.  Its figures are coverage's own, so the two always agree.

    Args:
        month: a ``(year, month)`` pair or any date in the month.

    Raises:
        UnknownPlaceError: for a required resident whose household is not in the grid.
        InvalidValueError: for arguments of the wrong type (named).

    Example:
        >>> from gridgov.demo import sample_grid, sample_residents
        >>> from gridgov.visits import DEFAULT_POLICY
        >>> rate = visit_rate(sample_residents(), [], DEFAULT_POLICY, sample_grid(),
        ...                   month=(2026, 11))
        >>> rate.month.zh, rate["yx"].required, rate.rate("yx")
        ('2026年11月', 61, 0.0)
    """
    figures = coverage(residents, records, policy, grid, month=month)  # checks month
    day = month if isinstance(month, date) else date(month[0], month[1], 1)
    units = tuple(figures.values())
    return VisitRate(
        month=Period.of(day, Grain.MONTH),
        units=units,
        names=[grid.unit(c.unit).name for c in units],
    )
