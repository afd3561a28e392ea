"""Pieces of the visits package's reasons (private)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import gridgov._validators as v
from gridgov.people import CONDITION_KINDS
from gridgov.reasons import Reason, Ref


def reason(zh: str, en: str, refs: Iterable[Ref] = ()) -> Reason:
    """A :class:`~gridgov.Reason`, each rendering cut to the longest free text."""
    return Reason(zh=fit(zh), en=fit(en), refs=tuple(refs))


def fit(text: str) -> str:
    """*text*, cut (with an ellipsis) to at most :data:`~gridgov._validators.MAX_TEXT`."""
    return text if len(text) <= v.MAX_TEXT else text[: v.MAX_TEXT - 1] + "…"


def days(n: int) -> str:
    """``'1 day'``, ``'3 days'``."""
    return f"{n} day" if n == 1 else f"{n} days"


def iso(day: date) -> str:
    return day.isoformat()


def condition_zh(kind: str) -> str:
    known = CONDITION_KINDS.get(kind)
    return known.zh if known else kind


def condition_en(kind: str) -> str:
    known = CONDITION_KINDS.get(kind)
    return known.label if known else kind


KIND_ORDER = {code: i for i, code in enumerate(CONDITION_KINDS)}


def kind_order(kind: str) -> tuple[int, str]:
    """Sort key: condition codes in the order of CONDITION_KINDS, then by code."""
    return (KIND_ORDER.get(kind, len(KIND_ORDER)), kind)
