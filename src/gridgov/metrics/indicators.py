"""Indicators as data (考核指标): named predicates over case facts, summed into counts, divided.

An :class:`Indicator` is a value: a name and a Chinese name, a numerator and a denominator —
each a :class:`Count`, a signed sum of :class:`Predicate` terms such as ``due - deferred``
(应结案数 − 缓办数) — the predicates whose cases are left out or kept, the moment that puts a
case in a period (:class:`CountsIn`), and a scale (1 for a fraction, 100 for a percentage).
An indicator with no denominator is a plain count (超期数).  A :class:`Composite` is a
weighted sum of indicators plus a band score on a count (综合指标值).

The predicates come from a small documented vocabulary (:data:`VOCABULARY`); a Python
callable is an escape hatch (:meth:`Predicate.custom`), usable in a computation but refused
by :func:`~gridgov.to_dict`.  The presets people publish are in
:mod:`gridgov.metrics.presets`; tallies and tables in :mod:`gridgov.metrics.rollup`.

Example:
    >>> rate = Indicator(name="closing_rate", zh="结案率", numerator="closed",
    ...                  denominator="due - deferred", counts_in="due", scale=100)
    >>> print(rate.formula())
    结案率 = 结案 ÷ (应结案 − 缓办) × 100
    >>> rate.value_of(911, 972)
    93.72427983539094
    >>> rate.value_of(0, 0) is None
    True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

import gridgov._validators as v
from gridgov._labels import LabelledEnum
from gridgov.errors import PolicyError, SerializationError
from gridgov.metrics._vocabulary import MOMENTS, PREDICATES
from gridgov.metrics.facts import CaseFacts
from gridgov.serialize import register

__all__ = [
    "MAX_TERMS",
    "VOCABULARY",
    "Band",
    "Composite",
    "Count",
    "CountsIn",
    "Indicator",
    "Predicate",
    "Term",
    "Weighted",
]

MAX_TERMS = 64
"""The most terms a count, filters an indicator, or parts a composite may hold."""

VOCABULARY: Mapping[str, tuple[str, str]] = MappingProxyType(
    {name: (zh, definition) for name, (zh, definition, _) in PREDICATES.items()}
)
"""The named predicates indicators count: name → (Chinese name, one-line definition)."""


class CountsIn(LabelledEnum):
    """The moment of a case that puts it in a period (a case without it is not counted).

    ``due`` is when a case fell due for closing: its closing or the resolve deadline in
    force, whichever came first — the 应结案 period of 数字城管 reports.

    Example:
        >>> CountsIn.DUE.zh, CountsIn("closed").label
        ('应结案时间', 'closed')
    """

    REPORTED = "reported"
    OPENED = "opened"
    ACCEPTED = "accepted"
    DISPATCHED = "dispatched"
    RESOLVED = "resolved"
    CLOSED = "closed"
    EVALUATED = "evaluated"
    RESOLVE_DUE = "resolve_due"
    DUE = "due"

    __zh__: ClassVar[Mapping[str, str]] = {k: zh for k, (zh, _, _) in MOMENTS.items()}

    @property
    def definition(self) -> str:
        """The one-line definition of the moment."""
        return MOMENTS[self.value][1]

    @property
    def read(self) -> Callable[[CaseFacts], datetime | None]:
        """The function reading this moment from a case's facts (``None`` if it has none)."""
        return MOMENTS[self.value][2]


def _to_counts_in(value: object) -> object:
    if isinstance(value, str):
        try:
            return CountsIn(value)
        except ValueError:
            return value
    return value


@register
@attrs.frozen(kw_only=True)
class Predicate:
    """A yes/no question about one case's facts: a name from :data:`VOCABULARY`, or a
    custom callable (:meth:`custom`).

    Attributes:
        name: the vocabulary name (``"closed"``), or a custom predicate's own code.
        zh: the Chinese name (filled in from the vocabulary when left empty).
        test: a custom predicate's callable, ``test(facts) -> bool``; ``None`` for a
            vocabulary predicate.  A predicate with one cannot be serialised.

    Example:
        >>> p = Predicate(name="deferred")
        >>> p.zh, p.definition
        ('缓办', 'suspended (挂起) at the end, not closed')
    """

    name: str = attrs.field(validator=v.code)
    zh: str = attrs.field(default="")
    test: Callable[[CaseFacts], bool] | None = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        if self.zh != "":
            v.check_name("zh", self.zh, self)
        if self.test is None:
            known = PREDICATES.get(self.name)
            if known is None:
                raise PolicyError(
                    f"'name' of Predicate must be one of the vocabulary "
                    f"({', '.join(sorted(PREDICATES))}) or a custom predicate with a test "
                    f"(got {v.show(self.name)})."
                )
            if self.zh not in ("", known[0]):
                raise PolicyError(
                    f"'zh' of Predicate {self.name!r} is the vocabulary's {known[0]!r} "
                    f"(got {v.show(self.zh)})."
                )
            object.__setattr__(self, "zh", known[0])
            return
        if not callable(self.test):
            raise PolicyError(f"'test' of Predicate must be callable (got {v.show(self.test)}).")
        if self.name in PREDICATES:
            raise PolicyError(
                f"'name' of a custom Predicate must not be a vocabulary name (got {self.name!r})."
            )
        if self.zh == "":
            raise PolicyError("'zh' of a custom Predicate must be given.")

    @classmethod
    def custom(cls, name: str, zh: str, test: Callable[[CaseFacts], bool]) -> Predicate:
        """An escape hatch: a predicate computed by *test*; it cannot be serialised.

        Example:
            >>> night = Predicate.custom("at_night", "夜间上报", lambda f: f.reported_at.hour < 6)
            >>> night.is_custom, night.definition
            (True, 'custom: 夜间上报')
        """
        return cls(name=name, zh=zh, test=test)

    @property
    def is_custom(self) -> bool:
        """Whether this is a custom (callable) predicate."""
        return self.test is not None

    @property
    def definition(self) -> str:
        """The one-line definition (a custom predicate's is its Chinese name)."""
        return f"custom: {self.zh}" if self.test is not None else PREDICATES[self.name][1]

    @property
    def read(self) -> Callable[[CaseFacts], bool]:
        """The function answering the question for one case's facts."""
        return self.test if self.test is not None else PREDICATES[self.name][2]

    def __call__(self, facts: CaseFacts) -> bool:
        """Whether *facts* satisfies this predicate."""
        return bool(self.read(facts))

    def _check_serialisable(self, path: str) -> None:
        if self.test is not None:
            raise SerializationError(
                f"'{path}.test' holds a callable ({self.test!r:.60}), which cannot be "
                f"serialised; custom predicate {self.name!r} must be kept in code (use the "
                "vocabulary's predicates for an indicator kept as data)."
            )


def _to_predicate(value: object) -> object:
    return Predicate(name=value) if isinstance(value, str) else value


def _to_predicates(value: object) -> object:
    if isinstance(value, str):
        value = [value]
    items = v.to_tuple(value)
    if isinstance(items, tuple):
        return tuple(_to_predicate(item) for item in items)
    return items


@register
@attrs.frozen(kw_only=True)
class Term:
    """One signed term of a count: ``+ closed`` or ``− deferred``.

    Example:
        >>> Term(predicate="deferred", sign=-1).predicate.zh
        '缓办'
    """

    predicate: Predicate = attrs.field(converter=_to_predicate, validator=v.is_a(Predicate))
    sign: int = attrs.field(default=1)

    @sign.validator
    def _sign(self, attribute: attrs.Attribute[Any], value: object) -> None:
        if value not in (1, -1) or isinstance(value, bool):
            raise PolicyError(f"'sign' of Term must be 1 or -1 (got {v.show(value)}).")


_TOKEN = re.compile(r"\s*([+-])?\s*([a-z][a-z0-9_]*)\s*")


def _parse(text: str) -> tuple[Term, ...]:
    terms: list[Term] = []
    at = 0
    while at < len(text):
        m = _TOKEN.match(text, at)
        if m is None or m.end() == at or (terms and m.group(1) is None):
            raise PolicyError(
                f"a count is predicate names joined by + and - such as 'due - deferred' "
                f"(got {v.show(text)})."
            )
        terms.append(Term(predicate=m.group(2), sign=-1 if m.group(1) == "-" else 1))
        at = m.end()
    return tuple(terms)


def _to_count(value: object) -> object:
    if isinstance(value, str):
        return Count(terms=_parse(value))
    if isinstance(value, Predicate | Term):
        return Count(terms=[value])
    if value is None:
        return Count()
    return value


def _to_terms(value: object) -> object:
    items = v.to_tuple(value)
    if isinstance(items, tuple):
        return tuple(
            Term(predicate=item) if isinstance(item, Predicate | str) else item for item in items
        )
    return items


@register
@attrs.frozen(kw_only=True)
class Count:
    """A signed sum of predicate terms: how many cases satisfy each, added or taken away.

    Written as text, ``"due - deferred"`` is 应结案数 − 缓办数.  An empty count is "none".

    Example:
        >>> c = Count(terms=["due", Term(predicate="deferred", sign=-1)])
        >>> c == Indicator(name="x", zh="x", numerator="due - deferred").numerator
        True
    """

    terms: tuple[Term, ...] = attrs.field(
        default=(), converter=_to_terms, validator=v.tuple_of(v.is_a(Term))
    )

    def __attrs_post_init__(self) -> None:
        if len(self.terms) > MAX_TERMS:
            raise PolicyError(f"'terms' of Count holds at most {MAX_TERMS} terms.")

    def zh(self) -> str:
        """The count written with Chinese names.

        Example:
            >>> Count(terms=["due", Term(predicate="deferred", sign=-1)]).zh()
            '应结案 − 缓办'
        """
        return self._text(lambda p: p.zh, " + ", " − ")

    def en(self) -> str:
        """The count written with vocabulary names.

        Example:
            >>> Indicator(name="x", zh="x", numerator="resolved + overdue_open").numerator.en()
            'resolved + overdue_open'
        """
        return self._text(lambda p: p.name, " + ", " - ")

    def _text(self, word: Callable[[Predicate], str], plus: str, minus: str) -> str:
        out = ""
        for i, t in enumerate(self.terms):
            joint = plus if t.sign > 0 else minus
            out += (joint if i else joint.strip() if t.sign < 0 else "") + word(t.predicate)
        return out

    def total(self, counts: Mapping[str, int]) -> int:
        """The count's value from the number of cases satisfying each predicate, by name.

        Example:
            >>> Count(terms=["due", Term(predicate="deferred", sign=-1)]).total({"due": 972, "deferred": 3})
            969
        """
        return sum(t.sign * counts.get(t.predicate.name, 0) for t in self.terms)


@register
@attrs.frozen(kw_only=True)
class Indicator:
    """An indicator: numerator ÷ denominator over the cases counted in a period.

    Attributes:
        name: a code (``"closing_rate"``), the English column header.
        zh: the Chinese name (``"结案率"``), the Chinese column header.
        numerator: what is counted above the line.
        denominator: what is counted below it; empty for a plain count (``超期数``).
        counts_in: the moment that puts a case in a period (a case without it is left out).
        only: predicates a case must all satisfy to be counted at all.
        exclude: predicates whose cases are left out entirely.
        scale: 1 for a fraction, 100 for a percentage.
        source: where the definition comes from.

    The value is ``None`` ("no data") when the denominator is zero or less: nothing is
    ever divided by zero.

    Example:
        >>> i = Indicator(name="overdue", zh="超期数", numerator="overdue", counts_in="due")
        >>> i.is_count, i.value_of(7, None), i.formula()
        (True, 7.0, '超期数 = 超期')
    """

    name: str = attrs.field(validator=v.code)
    zh: str = attrs.field(validator=v.name)
    numerator: Count = attrs.field(converter=_to_count, validator=v.is_a(Count))
    denominator: Count = attrs.field(
        factory=lambda: Count(), converter=_to_count, validator=v.is_a(Count)
    )
    counts_in: CountsIn = attrs.field(
        default=CountsIn.OPENED, converter=_to_counts_in, validator=v.is_a(CountsIn)
    )
    only: tuple[Predicate, ...] = attrs.field(
        default=(), converter=_to_predicates, validator=v.tuple_of(v.is_a(Predicate))
    )
    exclude: tuple[Predicate, ...] = attrs.field(
        default=(), converter=_to_predicates, validator=v.tuple_of(v.is_a(Predicate))
    )
    scale: int = attrs.field(default=1)
    source: str = attrs.field(default="", validator=v.text)

    def __attrs_post_init__(self) -> None:
        if self.scale not in (1, 100) or isinstance(self.scale, bool):
            raise PolicyError(f"'scale' of Indicator must be 1 or 100 (got {v.show(self.scale)}).")
        if not self.numerator.terms:
            raise PolicyError(f"'numerator' of Indicator {self.name!r} must have a term.")
        if len(self.only) + len(self.exclude) > MAX_TERMS:
            raise PolicyError(f"'only' and 'exclude' of Indicator hold at most {MAX_TERMS}.")

    @property
    def is_count(self) -> bool:
        """Whether this is a plain count (no denominator)."""
        return not self.denominator.terms

    def predicates(self) -> tuple[Predicate, ...]:
        """Every predicate the indicator reads, each once, in order of first use.

        Example:
            >>> [p.name for p in Indicator(name="x", zh="x", numerator="closed",
            ...                            denominator="due - deferred", only="due").predicates()]
            ['closed', 'due', 'deferred']
        """
        seen: dict[str, Predicate] = {}
        for t in (*self.numerator.terms, *self.denominator.terms):
            seen.setdefault(t.predicate.name, t.predicate)
        for p in (*self.only, *self.exclude):
            seen.setdefault(p.name, p)
        return tuple(seen.values())

    def formula(self) -> str:
        """The formula in Chinese, as the docs write it.

        Example:
            >>> print(Indicator(name="r", zh="返工率", numerator="reworked", denominator="due",
            ...                 exclude="merged").formula())
            返工率 = 返工 ÷ 应结案 (不计 并入他案)
        """
        def part(c: Count) -> str:
            return f"({c.zh()})" if len(c.terms) > 1 else c.zh()

        text = f"{self.zh} = {part(self.numerator)}"
        if not self.is_count:
            text += f" ÷ {part(self.denominator)}"
        if self.scale == 100:
            text += " × 100"
        if self.only:
            text += " (仅 " + "、".join(p.zh for p in self.only) + ")"
        if self.exclude:
            text += " (不计 " + "、".join(p.zh for p in self.exclude) + ")"
        return text

    def value_of(self, numerator: int, denominator: int | None) -> float | None:
        """The value from the two counts: ``None`` when the denominator is not positive; a
        plain count's value is its numerator.

        Example:
            >>> Indicator(name="x", zh="x", numerator="closed", denominator="due").value_of(1, 4)
            0.25
        """
        if self.is_count:
            return float(numerator)
        if denominator is None or denominator <= 0:
            return None
        return self.scale * numerator / denominator


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
