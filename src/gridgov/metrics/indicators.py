"""Indicators as data (考核指标): named predicates over case facts, summed into counts, divided.

An :class:`Indicator` is a value: a name and a Chinese name, a numerator and a denominator —
each a :class:`Count`, a signed sum of :class:`Predicate` terms such as ``due - deferred``
(应结案数 − 缓办数) — the predicates whose cases are left out or kept, the moment that puts a
case in a period (:class:`CountsIn`), and a scale (1 for a fraction, 100 for a percentage).
An indicator with no denominator is a plain count (超期数).  A weighted sum of indicators
(综合指标值) is a :class:`~gridgov.metrics.composite.Composite`.

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
    "Count",
    "CountsIn",
    "Indicator",
    "Predicate",
    "Term",
]

MAX_TERMS = 64
"""The most terms a count, filters an indicator, or parts a composite may hold."""

VOCABULARY: Mapping[str, tuple[str, str]] = MappingProxyType(
    {name: (zh, definition) for name, (zh, definition, _) in PREDICATES.items()}
)
"""The named predicates indicators count, by name, each with its Chinese name and one-line
definition."""


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
                f"'name' of a Predicate with a 'test' must not be a vocabulary name (got {self.name!r})."
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


def _named(what: str, name: str) -> Predicate:
    """The vocabulary predicate *name*, or an error naming the field *what*."""
    if name not in PREDICATES:
        raise PolicyError(
            f"'{what}' names predicates of the vocabulary ({', '.join(sorted(PREDICATES))}); "
            f"a custom one is a Predicate.custom(...) (got {v.show(name)})."
        )
    return Predicate(name=name)


def _to_predicate(value: object) -> object:
    return _named("predicate", value) if isinstance(value, str) else value


def _predicates(what: str, value: object) -> object:
    if isinstance(value, str):
        value = [value]
    items = v.to_tuple(value)
    if isinstance(items, tuple):
        return tuple(_named(what, x) if isinstance(x, str) else x for x in items)
    return items


def _to_only(value: object) -> object:
    return _predicates("only", value)


def _to_exclude(value: object) -> object:
    return _predicates("exclude", value)


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


def _parse(what: str, text: str) -> tuple[Term, ...]:
    terms: list[Term] = []
    at = 0
    while at < len(text):
        m = _TOKEN.match(text, at)
        if m is None or m.end() == at or (terms and m.group(1) is None):
            raise PolicyError(
                f"'{what}' is predicate names joined by + and -, such as 'due - deferred' "
                f"(got {v.show(text)})."
            )
        terms.append(Term(predicate=_named(what, m.group(2)), sign=-1 if m.group(1) == "-" else 1))
        at = m.end()
    return tuple(terms)


def _count(what: str, value: object) -> object:
    if isinstance(value, str):
        return Count(terms=_parse(what, value))
    if isinstance(value, Predicate | Term):
        return Count(terms=[value])
    return Count() if value is None else value


def _to_numerator(value: object) -> object:
    return _count("numerator", value)


def _to_denominator(value: object) -> object:
    return _count("denominator", value)


def _to_terms(value: object) -> object:
    items = v.to_tuple(value)
    if isinstance(items, tuple):
        return tuple(
            Term(predicate=_named("terms", x) if isinstance(x, str) else x)
            if isinstance(x, Predicate | str) else x
            for x in items
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
    numerator: Count = attrs.field(converter=_to_numerator, validator=v.is_a(Count))
    denominator: Count = attrs.field(
        factory=lambda: Count(), converter=_to_denominator, validator=v.is_a(Count)
    )
    counts_in: CountsIn = attrs.field(
        default=CountsIn.OPENED, converter=_to_counts_in, validator=v.is_a(CountsIn)
    )
    only: tuple[Predicate, ...] = attrs.field(
        default=(), converter=_to_only, validator=v.tuple_of(v.is_a(Predicate))
    )
    exclude: tuple[Predicate, ...] = attrs.field(
        default=(), converter=_to_exclude, validator=v.tuple_of(v.is_a(Predicate))
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
