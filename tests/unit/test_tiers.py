"""gridgov.tiers: Tier and TierScheme."""

from __future__ import annotations

import attrs
import pytest

from gridgov import FOUR_TIER, THREE_TIER, InvalidValueError, PolicyError, Tier, TierScheme


def _tier(name: str) -> Tier:
    return Tier(name=name, label=name.title(), zh="层")


def test_tier_fields_and_describe() -> None:
    tier = Tier(name="building", label="Building", zh="楼栋", leader_title="head")
    assert tier.describe() == "楼栋 Building"
    assert tier.leader_title == "head"
    assert tier.leader_title_zh == ""


@pytest.mark.parametrize("name", ["", "Grid", "1grid", "_grid", "micro-grid", "grid ", 3])
def test_tier_name_must_be_a_code(name: object) -> None:
    with pytest.raises(InvalidValueError, match="'name' of Tier must be a lower-case code"):
        Tier(name=name, label="L", zh="层")  # type: ignore[arg-type]


@pytest.mark.parametrize("field", ["label", "zh"])
@pytest.mark.parametrize("bad", ["", "   ", None])
def test_tier_labels_must_be_non_empty(field: str, bad: object) -> None:
    kwargs: dict[str, object] = {"name": "grid", "label": "Grid", "zh": "网格", field: bad}
    with pytest.raises(ValueError, match=f"'{field}' of Tier must be a non-blank name"):
        Tier(**kwargs)  # type: ignore[arg-type]


def test_tier_is_frozen_and_keyword_only() -> None:
    tier = _tier("grid")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        tier.name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Tier("grid", "Grid", "网格")  # type: ignore[call-arg]


def test_default_schemes() -> None:
    assert THREE_TIER.names == ("community", "grid", "micro_grid")
    assert FOUR_TIER.names == ("subdistrict", "community", "grid", "micro_grid")
    assert [t.zh for t in THREE_TIER] == ["社区", "网格", "微网格"]
    assert FOUR_TIER.top.zh == "街道"
    assert THREE_TIER.bottom.leader_title_zh == "微网格长"
    assert THREE_TIER["grid"].leader_title == "grid leader"
    assert FOUR_TIER.tiers[1:] == THREE_TIER.tiers


def test_scheme_queries() -> None:
    scheme = TierScheme(name="s", tiers=[_tier("a"), _tier("b"), _tier("c")])
    assert isinstance(scheme.tiers, tuple)
    assert len(scheme) == 3
    assert [t.name for t in scheme] == ["a", "b", "c"]
    assert "b" in scheme
    assert "d" not in scheme
    assert scheme["c"] == _tier("c")
    assert (scheme.top.name, scheme.bottom.name) == ("a", "c")
    assert [scheme.level(n) for n in "abc"] == [0, 1, 2]
    assert scheme.above("a") is None
    assert scheme.above("c") == _tier("b")
    assert scheme.below("a") == _tier("b")
    assert scheme.below("c") is None


def test_single_tier_scheme() -> None:
    scheme = TierScheme(name="flat", tiers=[_tier("only")])
    assert scheme.top == scheme.bottom == _tier("only")
    assert scheme.above("only") is None
    assert scheme.below("only") is None


@pytest.mark.parametrize("query", ["level", "above", "below", "__getitem__"])
def test_unknown_tier_is_a_policy_error_naming_it(query: str) -> None:
    with pytest.raises(PolicyError, match=r"'tier' must be one of .* \(got 'street'\)"):
        getattr(THREE_TIER, query)("street")


def test_scheme_needs_a_tier() -> None:
    with pytest.raises(InvalidValueError, match="'tiers' of TierScheme 'empty' must hold at least"):
        TierScheme(name="empty", tiers=[])


def test_scheme_tier_names_unique() -> None:
    with pytest.raises(InvalidValueError, match="unique names \\(got 'a' twice\\)"):
        TierScheme(name="dup", tiers=[_tier("a"), _tier("b"), _tier("a")])


def test_scheme_holds_only_tiers() -> None:
    with pytest.raises(InvalidValueError, match="'tiers' of TierScheme must hold Tier values only"):
        TierScheme(name="s", tiers=["community"])


def test_scheme_equality_and_hash_ignore_the_index() -> None:
    a = TierScheme(name="s", tiers=[_tier("a"), _tier("b")])
    b = TierScheme(name="s", tiers=(_tier("a"), _tier("b")))
    assert a == b
    assert hash(a) == hash(b)
    assert a != TierScheme(name="s", tiers=[_tier("b"), _tier("a")])
    assert a != TierScheme(name="t", tiers=[_tier("a"), _tier("b")])
