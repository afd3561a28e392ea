"""Composite indices (综合指标值): a band score on a count plus weighted indicator values.

A :class:`Composite` adds, for each :class:`Weighted` part, its weight times the part's
indicator value in percent (or ``100 −`` it, for a rate where less is better), and a band
score read on a plain count (:class:`Band`): the 综合指标值 of 数字城管 and the 三率 score
of 12345 centres are both composites whose weights and bands are parameters
(:mod:`gridgov.metrics.presets`).

Example:
    >>> from gridgov.metrics.presets import CLOSING_RATE, rework_rate
    >>> c = Composite(name="score", zh="得分", parts=[Weighted(indicator=CLOSING_RATE, weight=0.5),
    ...               Weighted(indicator=rework_rate(), weight=0.5, invert=True)])
    >>> c.score({"closing_rate": 90.0, "rework_rate": 10.0}, None)
    90.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

import gridgov._validators as v
from gridgov.errors import PolicyError
from gridgov.metrics.indicators import MAX_TERMS, Indicator
from gridgov.serialize import register

__all__ = ["Band", "Composite", "Weighted", "indicators_of"]


@register
@attrs.frozen(kw_only=True)
class Weighted:
    """One part of a composite: an indicator's value in percent, times a weight.

    Attributes:
        indicator: the indicator (its value is read as a percentage, 0–100).
        weight: the weight (0.3, or 30 for 30 points per 100%).
        invert: count ``100 − value`` instead (for a rate where less is better: 返工率).

    Example:
        >>> from gridgov.metrics.presets import CLOSING_RATE
        >>> Weighted(indicator=CLOSING_RATE, weight=0.3).points(93.72)
        28.116
    """

    indicator: Indicator = attrs.field(validator=v.is_a(Indicator))
    weight: float = attrs.field(validator=v.number(0, 1000))
    invert: bool = attrs.field(default=False, validator=v.boolean)

    def points(self, value: float | None) -> float | None:
        """The points for the indicator's *value* (as the indicator gives it), or ``None``.

        Example:
            >>> from gridgov.metrics.presets import rework_rate
            >>> Weighted(indicator=rework_rate(), weight=0.3, invert=True).points(10.0)
            27.0
        """
        if value is None:
            return None
        percent = value * (100 // self.indicator.scale)
        return self.weight * (100 - percent if self.invert else percent)


@register
@attrs.frozen(kw_only=True)
class Band:
    """A band of a band score: at least *at_least* cases give *score* points.

    Example:
        >>> Band(at_least=500, score=8).score
        8
    """

    at_least: int = attrs.field(validator=v.integer(0, 10**12))
    score: float = attrs.field(validator=v.number(-1000, 1000))


@register
@attrs.frozen(kw_only=True)
class Composite:
    """A composite index (综合指标值): a band score on a count plus weighted indicators.

    Attributes:
        name: a code, the English column header.
        zh: the Chinese name, the Chinese column header.
        parts: the weighted indicators.
        bands: the bands of the band score, read on *band_count* (the highest band reached
            counts; none reached gives 0).
        band_count: the plain count the bands read (立案数), required with bands.
        source: where the definition comes from.

    The value is ``None`` when any part's value is ``None``.

    Example:
        >>> from gridgov.metrics.presets import hotline_score
        >>> hotline_score().score({"response_rate": 100.0, "solving_rate": 80.0,
        ...                        "satisfaction_rate": 90.0}, None)
        89.5
    """

    name: str = attrs.field(validator=v.code)
    zh: str = attrs.field(validator=v.name)
    parts: tuple[Weighted, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.is_a(Weighted))
    )
    bands: tuple[Band, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.is_a(Band))
    )
    band_count: Indicator | None = attrs.field(
        default=None, validator=v.optional(v.is_a(Indicator))
    )
    source: str = attrs.field(default="", validator=v.text)

    def __attrs_post_init__(self) -> None:
        if not self.parts or len(self.parts) > MAX_TERMS:
            raise PolicyError(f"'parts' of Composite holds 1 to {MAX_TERMS} weighted indicators.")
        if len(self.bands) > MAX_TERMS:
            raise PolicyError(f"'bands' of Composite holds at most {MAX_TERMS} bands.")
        if self.bands and self.band_count is None:
            raise PolicyError("'band_count' of Composite must be given with bands.")
        if self.band_count is not None and not self.band_count.is_count:
            raise PolicyError("'band_count' of Composite must be a plain count (no denominator).")
        names = [i.name for i in self.indicators()]
        if len(set(names)) != len(names):
            raise PolicyError(f"'parts' of Composite name an indicator twice ({names}).")

    def indicators(self) -> tuple[Indicator, ...]:
        """The indicators the composite reads: its parts, then the band count.

        Example:
            >>> from gridgov.metrics.presets import digital_city_score
            >>> [i.zh for i in digital_city_score().indicators()]
            ['结案率', '及时处置率', '返工率', '立案数']
        """
        out = tuple(p.indicator for p in self.parts)
        return out if self.band_count is None else (*out, self.band_count)

    def band_score(self, count: int | None) -> float:
        """The band score for *count* (0 below every band or without bands).

        Example:
            >>> from gridgov.metrics.presets import digital_city_score
            >>> digital_city_score().band_score(996)
            8.0
        """
        if count is None:
            return 0.0
        reached = [b.score for b in sorted(self.bands, key=lambda b: b.at_least)
                   if count >= b.at_least]
        return float(reached[-1]) if reached else 0.0

    def score(self, values: Mapping[str, float | None], band_count: int | None) -> float | None:
        """The composite value from its indicators' values by name and the band count.

        Example:
            >>> from gridgov.metrics.presets import hotline_score
            >>> hotline_score().score({"response_rate": 100.0}, None) is None
            True
        """
        total = self.band_score(band_count)
        for part in self.parts:
            points = part.points(values.get(part.indicator.name))
            if points is None:
                return None
            total += points
        return total

    def formula(self) -> str:
        """The formula in Chinese.

        Example:
            >>> from gridgov.metrics.presets import hotline_score
            >>> print(hotline_score().formula())
            三率综合得分 = 0.3·响应率 + 0.35·解决率 + 0.35·满意率
        """
        terms = [
            f"{p.weight:g}·" + (f"(100 − {p.indicator.zh})" if p.invert else p.indicator.zh)
            for p in self.parts
        ]
        if self.bands and self.band_count is not None:
            terms.insert(0, f"档次分({self.band_count.zh})")
        return f"{self.zh} = " + " + ".join(terms)


def indicators_of(items: Iterable[Indicator | Composite]) -> tuple[Indicator, ...]:
    """Every indicator *items* read (a composite's parts included), each name once.

    Raises:
        PolicyError: if two different indicators share a name.

    Example:
        >>> from gridgov.metrics.presets import HOTLINE_12345, hotline_score
        >>> [i.name for i in indicators_of([*HOTLINE_12345, hotline_score()])]
        ['response_rate', 'solving_rate', 'satisfaction_rate']
    """
    out: dict[str, Indicator] = {}
    for item in items:
        inner = item.indicators() if isinstance(item, Composite) else (item,)
        for ind in inner:
            if not isinstance(ind, Indicator):
                raise PolicyError(f"an indicator or a composite is expected (got {v.show(ind)}).")
            if out.setdefault(ind.name, ind) != ind:
                raise PolicyError(f"two different indicators are called {ind.name!r}.")
    return tuple(out.values())
