"""The indicators grid offices and 12345 centres are judged by, with their published sources.

* **数字城管** (:data:`DIGITAL_CITY`) — the practice of GB/T 30428 (数字化城市管理信息系统)
  as Jinhua publishes its assessment rules: 结案率 = 结案数 ÷ (应结案数 − 缓办数), 按期结案率 =
  按期结案数 ÷ (应结案数 − 缓办数), 返工率 (its denominator differs between systems:
  :func:`rework_rate`), 延期率, 及时受理率, 及时派遣率, 及时处置率; a 综合指标值 with its weights
  and bands as parameters (:func:`digital_city_score`).  A Tianmen monthly report (立案 996,
  应结案 972, 结案 911 → 93.72%; 按期 737 → 75.82%) confirms the denominator is 应结案数.
  :func:`digital_city` builds the set with the other published 应结案 definition, 处置数 +
  超时未处置数, used by an open-source 城管 platform.
* **12345 / 接诉即办 三率** (:data:`HOTLINE_12345`) — 响应率, 解决率, 满意率, from Beijing's
  2021 regulation on 接诉即办; the weights vary by place and year, so
  :func:`hotline_score` takes them (30/35/35 is one county's, shown as an example, not law).

Every case counts in the period of the moment its indicator names (``counts_in``); see the
docs page "Metrics" for each formula written out.

Example:
    >>> [i.zh for i in DIGITAL_CITY]
    ['结案率', '按期结案率', '返工率', '延期率', '及时受理率', '及时派遣率', '及时处置率']
    >>> print(CLOSING_RATE.formula())
    结案率 = 结案 ÷ (应结案 − 缓办) × 100 (仅 应结案)
"""

from __future__ import annotations

from collections.abc import Sequence

from gridgov.errors import PolicyError
from gridgov.metrics.composite import Band, Composite, Weighted
from gridgov.metrics.indicators import CountsIn, Indicator

__all__ = [
    "ACCEPTED_COUNT",
    "CLOSING_RATE",
    "DIGITAL_CITY",
    "DIGITAL_CITY_SOURCE",
    "EXAMPLE_BANDS",
    "EXTENSION_RATE",
    "HOTLINE_12345",
    "HOTLINE_SOURCE",
    "ON_TIME_CLOSING_RATE",
    "RESPONSE_RATE",
    "SATISFACTION_RATE",
    "SOLVING_RATE",
    "TIMELY_ACCEPT_RATE",
    "TIMELY_DISPATCH_RATE",
    "TIMELY_RESOLVE_RATE",
    "digital_city",
    "digital_city_score",
    "hotline_score",
    "rework_rate",
]

DIGITAL_CITY_SOURCE = (
    "GB/T 30428 数字化城市管理信息系统 practice; Jinhua's published 数字城管 assessment rules "
    "(结案率 and 按期结案率 over 应结案数 − 缓办数); a Tianmen monthly report confirms the "
    "应结案 denominator"
)
"""Where the 数字城管 indicators come from."""

HOTLINE_SOURCE = (
    "Beijing's 2021 regulation on 接诉即办 (响应率, 解决率, 满意率 feed performance reviews); "
    "weights vary by place and year"
)
"""Where the 12345 三率 come from."""

_DUE_RULES = {
    "due": "due - deferred",
    "resolved_or_overdue": "resolved + overdue_open - deferred",
}


def _due_count(due: str) -> str:
    try:
        return _DUE_RULES[due]
    except (KeyError, TypeError):
        raise PolicyError(
            f"'due' must be 'due' (closed or fell due in the period) or 'resolved_or_overdue' "
            f"(处置数 + 超时未处置数) (got {due!r})."
        ) from None


def _closing(name: str, zh: str, numerator: str, due: str) -> Indicator:
    return Indicator(
        name=name, zh=zh, numerator=numerator, denominator=_due_count(due), only="due",
        counts_in=CountsIn.DUE, scale=100, source=DIGITAL_CITY_SOURCE,
    )


def rework_rate(denominator: str = "due") -> Indicator:
    """返工率: reworked cases ÷ 应结案数 (``"due"``) or ÷ 处置数 (``"resolved"``).

    Systems differ: one open-source 城管 platform divides by 应结案数 in one place and by
    处置数 in another, so the denominator is a parameter.  A case counts in the period it fell
    due for closing.

    Raises:
        PolicyError: for another denominator.

    Example:
        >>> print(rework_rate("resolved").formula())
        返工率 = 返工 ÷ 处置 × 100 (仅 处置) (不计 并入他案)
    """
    if denominator not in ("due", "resolved"):
        raise PolicyError(
            f"'denominator' of rework_rate must be 'due' (应结案数) or 'resolved' (处置数) "
            f"(got {denominator!r})."
        )
    return Indicator(
        name="rework_rate", zh="返工率", numerator="reworked", denominator=denominator,
        only=denominator, exclude=() if denominator == "due" else "merged",
        counts_in=CountsIn.DUE, scale=100, source=DIGITAL_CITY_SOURCE,
    )


CLOSING_RATE = _closing("closing_rate", "结案率", "closed", "due")
"""结案率 = 结案数 ÷ (应结案数 − 缓办数) × 100, counted where a case fell due."""
ON_TIME_CLOSING_RATE = _closing("on_time_closing_rate", "按期结案率", "closed_on_time", "due")
"""按期结案率 = 按期结案数 ÷ (应结案数 − 缓办数) × 100 (extensions granted move the line)."""
EXTENSION_RATE = Indicator(
    name="extension_rate", zh="延期率", numerator="extended", denominator="due", only="due",
    counts_in=CountsIn.DUE, scale=100, source=DIGITAL_CITY_SOURCE,
)
"""延期率 = 延期数 ÷ 应结案数 × 100."""
TIMELY_ACCEPT_RATE = Indicator(
    name="timely_accept_rate", zh="及时受理率", numerator="accepted_on_time",
    denominator="accept_timed", exclude=("merged", "rejected"), counts_in=CountsIn.OPENED, scale=100,
    source=DIGITAL_CITY_SOURCE,
)
"""及时受理率 = 按时立案数 ÷ 有受理时限的案件数 × 100 (rejected and merged cases left out), counted
when opened."""
TIMELY_DISPATCH_RATE = Indicator(
    name="timely_dispatch_rate", zh="及时派遣率", numerator="dispatched_on_time",
    denominator="dispatch_timed", exclude="merged", counts_in=CountsIn.ACCEPTED, scale=100,
    source=DIGITAL_CITY_SOURCE,
)
"""及时派遣率 = 按时派遣数 ÷ 有派遣时限的案件数 × 100, counted when accepted."""
TIMELY_RESOLVE_RATE = Indicator(
    name="timely_resolve_rate", zh="及时处置率", numerator="resolved_on_time",
    denominator="resolve_timed", only="due", counts_in=CountsIn.DUE, scale=100,
    source=DIGITAL_CITY_SOURCE,
)
"""及时处置率 = 按时处置数 ÷ 有处置时限的应结案数 × 100."""
ACCEPTED_COUNT = Indicator(
    name="accepted_count", zh="立案数", numerator="accepted", counts_in=CountsIn.ACCEPTED,
    source=DIGITAL_CITY_SOURCE,
)
"""立案数, the cases accepted in the period (a plain count; the composite's bands read it)."""


def digital_city(*, due: str = "due", rework: str = "due") -> tuple[Indicator, ...]:
    """The 数字城管 set with a choice of 应结案 definition and 返工率 denominator.

    Args:
        due: ``"due"`` — 应结案 is a case closed or fallen due in the period (the default);
            ``"resolved_or_overdue"`` — 应结案数 = 处置数 + 超时未处置数.
        rework: the 返工率 denominator, ``"due"`` or ``"resolved"`` (see :func:`rework_rate`).

    Example:
        >>> print(digital_city(due="resolved_or_overdue")[0].formula())
        结案率 = 结案 ÷ (处置 + 超时未处置 − 缓办) × 100 (仅 应结案)
    """
    return (
        _closing("closing_rate", "结案率", "closed", due),
        _closing("on_time_closing_rate", "按期结案率", "closed_on_time", due),
        rework_rate(rework),
        EXTENSION_RATE,
        TIMELY_ACCEPT_RATE,
        TIMELY_DISPATCH_RATE,
        TIMELY_RESOLVE_RATE,
    )


DIGITAL_CITY = digital_city()
"""The 数字城管 set — 结案率, 按期结案率, 返工率 (÷ 应结案数), 延期率, 及时受理率, 及时派遣率,
及时处置率."""

EXAMPLE_BANDS = (
    Band(at_least=0, score=0),
    Band(at_least=100, score=5),
    Band(at_least=500, score=8),
    Band(at_least=1000, score=10),
)
"""Example bands on 立案数 for the 综合指标值, made up for illustration (places set their own)."""


def digital_city_score(
    *,
    weights: Sequence[float] = (0.3, 0.3, 0.3),
    bands: Sequence[Band] = EXAMPLE_BANDS,
    rework: str = "due",
) -> Composite:
    """综合指标值 = band score on 立案数 + w₁·结案率 + w₂·及时处置率 + w₃·(100 − 返工率).

    The form is the one an open-source 城管 platform publishes; the weights and the bands
    are parameters because places set their own.

    Raises:
        PolicyError: unless three weights are given.

    Example:
        >>> print(digital_city_score().formula())
        综合指标值 = 档次分(立案数) + 0.3·结案率 + 0.3·及时处置率 + 0.3·(100 − 返工率)
    """
    w = tuple(weights)
    if len(w) != 3:
        raise PolicyError(f"'weights' of digital_city_score must be three numbers (got {w!r}).")
    return Composite(
        name="composite_index", zh="综合指标值",
        parts=[
            Weighted(indicator=CLOSING_RATE, weight=w[0]),
            Weighted(indicator=TIMELY_RESOLVE_RATE, weight=w[1]),
            Weighted(indicator=rework_rate(rework), weight=w[2], invert=True),
        ],
        bands=bands, band_count=ACCEPTED_COUNT, source=DIGITAL_CITY_SOURCE,
    )


RESPONSE_RATE = Indicator(
    name="response_rate", zh="响应率", numerator="responded", denominator="received",
    exclude="merged", counts_in=CountsIn.OPENED, scale=100, source=HOTLINE_SOURCE,
)
"""响应率 = 按时响应数 (accepted or rejected by the accept deadline) ÷ 受理数 × 100."""
SOLVING_RATE = Indicator(
    name="solving_rate", zh="解决率", numerator="closed", denominator="accepted",
    only="accepted", exclude="merged", counts_in=CountsIn.OPENED, scale=100,
    source=HOTLINE_SOURCE,
)
"""解决率 = 结案数 ÷ 立案数 × 100 (a case counts in the period it was opened)."""
SATISFACTION_RATE = Indicator(
    name="satisfaction_rate", zh="满意率", numerator="satisfied", denominator="evaluated",
    exclude="merged", counts_in=CountsIn.OPENED, scale=100, source=HOTLINE_SOURCE,
)
"""满意率 = (满意 + 基本满意) ÷ 已评价数 × 100."""

HOTLINE_12345 = (RESPONSE_RATE, SOLVING_RATE, SATISFACTION_RATE)
"""The 12345 / 接诉即办 三率 — 响应率, 解决率, 满意率."""


def hotline_score(weights: Sequence[float] = (0.30, 0.35, 0.35)) -> Composite:
    """三率综合得分 = w₁·响应率 + w₂·解决率 + w₃·满意率 (0–100 when the weights sum to 1).

    The default 30/35/35 is one county's weighting, shown as an example, not national law.

    Raises:
        PolicyError: unless three weights are given.

    Example:
        >>> print(hotline_score((0.2, 0.4, 0.4)).formula())
        三率综合得分 = 0.2·响应率 + 0.4·解决率 + 0.4·满意率
    """
    w = tuple(weights)
    if len(w) != 3:
        raise PolicyError(f"'weights' of hotline_score must be three numbers (got {w!r}).")
    return Composite(
        name="hotline_score", zh="三率综合得分",
        parts=[Weighted(indicator=i, weight=x) for i, x in zip(HOTLINE_12345, w, strict=True)],
        source=HOTLINE_SOURCE,
    )
