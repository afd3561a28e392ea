"""Unit tests for gridgov.metrics.indicators and gridgov.metrics.composite: the vocabulary, the
doors of each value, counts written as text, values and "no data", composites."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.unit.metrics.metrics_builders import START, story

from gridgov import (
    VOCABULARY,
    Band,
    Composite,
    Count,
    CountsIn,
    Indicator,
    PolicyError,
    Predicate,
    Satisfaction,
    SerializationError,
    Term,
    Weighted,
    from_dict,
    to_dict,
)
from gridgov.metrics.presets import CLOSING_RATE, SATISFACTION_RATE


def ask(name: str, **story_kw: object) -> bool:
    return Predicate(name=name)(story(**story_kw))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the vocabulary


def test_every_vocabulary_name_has_a_chinese_name_and_a_definition() -> None:
    assert len(VOCABULARY) >= 30
    for name, (zh, definition) in VOCABULARY.items():
        p = Predicate(name=name)
        assert (p.zh, p.definition) == (zh, definition) and zh and definition


def test_every_vocabulary_name_is_on_the_docs_page() -> None:
    from pathlib import Path

    page = (Path(__file__).parents[3] / "docs" / "metrics.md").read_text(encoding="utf-8")
    missing = [name for name in VOCABULARY if f"| `{name}` | {VOCABULARY[name][0]} |" not in page]
    assert not missing
    assert all(f"| `{c.value}` | {c.zh} |" in page for c in CountsIn)


def test_the_stages() -> None:
    assert ask("accepted") and ask("closed") and ask("resolved") and ask("dispatched")
    assert not ask("closed", closed=False) and not ask("resolved", resolved=False)
    assert ask("rejected", accepted=False, rejected=True)
    assert not ask("accepted", accepted=False, rejected=True)
    assert ask("received", accepted=False)


def test_due_is_accepted_not_merged_and_closed_or_timed() -> None:
    assert ask("due")  # closed, with a deadline
    assert ask("due", closed=False)  # open, with a deadline
    assert ask("due", resolve_limit_days=None)  # closed, no deadline
    assert not ask("due", closed=False, resolve_limit_days=None)  # open, no deadline
    assert not ask("due", accepted=False)
    assert not ask("due", merged=True)


def test_on_time_closing_reads_the_deadline_in_force() -> None:
    # resolved 6 days after dispatch; the deadline is 5 days after acceptance
    assert not ask("closed_on_time", resolve_days=6)
    assert ask("closed_on_time", resolve_days=6, extension_days=3)  # the extension moves it
    assert not ask("closed_on_time_unextended", resolve_days=6, extension_days=3)
    assert not ask("closed_on_time", resolve_days=2, closed=False)  # resolved but not closed


def test_overdue_and_overdue_open() -> None:
    assert ask("overdue", resolve_days=6) and not ask("overdue_open", resolve_days=6)
    assert ask("overdue", resolved=False) and ask("overdue_open", resolved=False)
    assert not ask("overdue") and not ask("overdue", resolve_limit_days=None)


def test_deferred_is_suspended_and_not_closed() -> None:
    assert ask("deferred", suspended=True)
    f = story(suspended=True, closed_at=START + timedelta(days=9))  # inconsistent on purpose
    assert not Predicate(name="deferred")(f)


def test_timeliness() -> None:
    assert ask("accepted_on_time", accept_hours=2) and not ask("accepted_on_time", accept_hours=9)
    assert ask("accept_timed") and not ask("accept_timed", accept_limit_hours=None)
    assert not ask("accepted_on_time", accept_limit_hours=None)
    assert ask("dispatched_on_time", dispatch_limit_hours=2.0)
    assert not ask("dispatched_on_time", dispatch_limit_hours=0.5)  # dispatched an hour after
    assert not ask("dispatch_timed") and ask("dispatch_timed", dispatch_limit_hours=2.0)
    assert ask("resolved_on_time") and not ask("resolved_on_time", resolve_days=9)


def test_responded_is_accepted_or_rejected_by_the_accept_deadline() -> None:
    assert ask("responded") and ask("responded", accepted=False, rejected=True)
    assert not ask("responded", accept_hours=9)  # after the 8-hour deadline
    assert ask("responded", accept_hours=9, accept_limit_hours=None)  # no deadline: any time
    assert not ask("responded", accepted=False)


def test_satisfaction() -> None:
    assert ask("evaluated") and not ask("evaluated", evaluated=False)
    assert ask("satisfied", satisfaction=Satisfaction.BASICALLY_SATISFIED)
    assert not ask("fully_satisfied", satisfaction=Satisfaction.BASICALLY_SATISFIED)
    assert ask("dissatisfied", satisfaction=Satisfaction.DISSATISFIED)
    assert not ask("satisfied", satisfaction=Satisfaction.DISSATISFIED)
    assert not ask("satisfied", evaluated=False)


def test_detours() -> None:
    chain = ("m1", "g1", "c1")
    assert ask("reworked", rework=1) and not ask("reworked")
    assert ask("extended", extension_days=2) and not ask("extended")
    assert ask("escalated_one_level", escalated_to=chain[1:2])
    assert not ask("escalated_two_levels", escalated_to=chain[1:2])
    assert ask("escalated_two_levels", escalated_to=chain[1:3])
    assert ask("escalated", escalated_to=chain[1:2]) and not ask("escalated")
    assert ask("beyond", escalated_to=chain[1:3], beyond=True)
    assert ask("urgent", severity=3) and not ask("urgent", severity=2)
    assert ask("merged", merged=True) and ask("returned", returns=1)
    assert ask("has_duplicates", duplicates=2)


# --------------------------------------------------------------------------- the doors


def test_a_predicate_outside_the_vocabulary_is_refused_naming_the_field() -> None:
    with pytest.raises(PolicyError, match="'name' of Predicate"):
        Predicate(name="closd")
    with pytest.raises(PolicyError, match="'zh' of Predicate 'closed'"):
        Predicate(name="closed", zh="关闭")
    with pytest.raises(PolicyError, match="'test' of Predicate"):
        Predicate(name="mine", zh="我的", test=3)  # type: ignore[arg-type]
    with pytest.raises(PolicyError, match="vocabulary name"):
        Predicate.custom("closed", "结案", lambda f: True)
    with pytest.raises(PolicyError, match="'zh' of a custom"):
        Predicate(name="mine", test=lambda f: True)


def test_counts_written_as_text() -> None:
    c = Indicator(name="x", zh="x", numerator="resolved + overdue_open - deferred").numerator
    assert [(t.predicate.name, t.sign) for t in c.terms] == [
        ("resolved", 1), ("overdue_open", 1), ("deferred", -1)]
    assert c.en() == "resolved + overdue_open - deferred"
    assert c.zh() == "处置 + 超时未处置 − 缓办"
    assert Count(terms=[Term(predicate="deferred", sign=-1)]).zh() == "−缓办"
    assert c.total({"resolved": 5, "overdue_open": 2, "deferred": 1}) == 6


@pytest.mark.parametrize("text", ["due -", "due deferred", "due + + x", "Due", "due * 2", "-"])
def test_a_bad_count_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(PolicyError, match="'denominator'"):
        Indicator(name="x", zh="x", numerator="closed", denominator=text)


def test_indicator_doors() -> None:
    with pytest.raises(PolicyError, match="'scale'"):
        Indicator(name="x", zh="x", numerator="closed", scale=10)
    with pytest.raises(PolicyError, match="'numerator'"):
        Indicator(name="x", zh="x", numerator="")
    with pytest.raises(PolicyError, match="'only'"):
        Indicator(name="x", zh="x", numerator="closed", only="nothing")
    with pytest.raises(PolicyError, match="'sign'"):
        Term(predicate="closed", sign=2)
    with pytest.raises(PolicyError, match="'terms' of Count"):
        Count(terms=["closed"] * 65)
    with pytest.raises(ValueError, match="'counts_in'"):
        Indicator(name="x", zh="x", numerator="closed", counts_in="someday")


def test_values_and_no_data() -> None:
    assert CLOSING_RATE.value_of(911, 972) == pytest.approx(93.724, abs=1e-3)
    assert CLOSING_RATE.value_of(0, 0) is None
    assert CLOSING_RATE.value_of(1, -1) is None
    fraction = Indicator(name="f", zh="f", numerator="closed", denominator="due")
    assert fraction.value_of(1, 4) == 0.25
    count = Indicator(name="n", zh="n", numerator="closed")
    assert count.is_count and count.value_of(3, None) == 3.0


def test_formula_and_predicates() -> None:
    assert SATISFACTION_RATE.formula() == "满意率 = 满意 ÷ 已评价 × 100 (不计 并入他案)"
    assert [p.name for p in CLOSING_RATE.predicates()] == ["closed", "due", "deferred"]


def test_indicators_round_trip_and_the_escape_hatch_is_refused() -> None:
    assert from_dict(to_dict(CLOSING_RATE)) == CLOSING_RATE
    night = Predicate.custom("at_night", "夜间", lambda f: f.reported_at.hour < 6)
    with pytest.raises(SerializationError, match="custom predicate 'at_night'"):
        to_dict(Indicator(name="n", zh="n", numerator="closed", exclude=[night]))
    assert night(story()) is False  # usable in a computation


# --------------------------------------------------------------------------- composites


def test_a_composite_scores_bands_and_parts() -> None:
    counted = Indicator(name="n", zh="立案数", numerator="accepted", counts_in="accepted")
    c = Composite(
        name="s", zh="得分",
        parts=[Weighted(indicator=CLOSING_RATE, weight=0.5),
               Weighted(indicator=Indicator(name="r", zh="返工", numerator="reworked",
                                            denominator="due"), weight=0.5, invert=True)],
        bands=[Band(at_least=10, score=5), Band(at_least=0, score=1)], band_count=counted,
    )
    # the fraction 0.2 is read as 20%
    assert c.score({"closing_rate": 90.0, "r": 0.2}, 12) == pytest.approx(5 + 45 + 40)
    assert c.score({"closing_rate": 90.0, "r": 0.2}, 3) == pytest.approx(1 + 45 + 40)
    assert c.score({"closing_rate": None, "r": 0.2}, 3) is None
    assert c.formula() == "得分 = 档次分(立案数) + 0.5·结案率 + 0.5·(100 − 返工)"
    assert from_dict(to_dict(c)) == c


def test_composite_doors() -> None:
    part = Weighted(indicator=CLOSING_RATE, weight=1)
    with pytest.raises(PolicyError, match="'band_count'"):
        Composite(name="s", zh="s", parts=[part], bands=[Band(at_least=0, score=1)])
    with pytest.raises(PolicyError, match="'band_count'"):
        Composite(name="s", zh="s", parts=[part], bands=[Band(at_least=0, score=1)],
                  band_count=CLOSING_RATE)
    with pytest.raises(PolicyError, match="'parts'"):
        Composite(name="s", zh="s", parts=[])
    with pytest.raises(PolicyError, match="'parts'"):
        Composite(name="s", zh="s", parts=[part, part])
