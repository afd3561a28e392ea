"""Unit tests for gridgov.visits.policy: rules, policies, requirements, the default policy."""

from __future__ import annotations

from datetime import date

import pytest
from visit_builders import D, elder, policy, rule

from gridgov import Condition, Criteria, InvalidValueError, PolicyError, Reason
from gridgov.demo import sample_residents
from gridgov.visits import (
    DEFAULT_POLICY,
    Frequency,
    VisitColour,
    VisitMode,
    VisitPolicy,
    VisitRule,
)


@pytest.fixture(scope="module")
def lu():
    return next(r for r in sample_residents() if r.id == "r-lu")


class TestVisitRule:
    @pytest.mark.parametrize(
        ("kw", "message"),
        [
            ({"min_age": -1}, "'min_age' of Criteria must be an integer from 0 to 150 (got -1)."),
            ({"max_age": 151}, "'max_age' of Criteria must be an integer from 0 to 150 (got 151)."),
            ({"min_age": 80, "max_age": 60}, "'max_age' of Criteria must be at least"),
            ({"min_age": 60.0}, "'min_age' of Criteria must be an integer from 0 to 150 (got 60.0)."),
            ({"modes": ()}, "'modes' of VisitRule 'x' must name at least one visit mode."),
            ({"modes": {"phone"}}, "'modes' of VisitRule must hold VisitMode values only"),
            ({"modes": "phone"}, "'modes' of VisitRule must be a collection"),
            ({"conditions_all": {"Living Alone"}}, "'conditions_all' of Criteria must be"),
            ({"conditions_any": "dementia"}, "'conditions_any' of Criteria must be a collection"),
            ({"reason": " "}, "'reason' of VisitRule must be non-blank text"),
            ({"reason": 7}, "'reason' of VisitRule must be text"),
            ({"reason_en": ["x"]}, "'reason_en' of VisitRule must be text"),
        ],
    )
    def test_validation(self, kw, message):
        with pytest.raises(InvalidValueError) as info:
            rule(**kw)
        assert str(info.value).startswith(message)

    def test_who_must_be_criteria(self):
        with pytest.raises(InvalidValueError, match="'who' of VisitRule must be a Criteria"):
            VisitRule(
                id="x",
                frequency=Frequency.daily(),
                colour=VisitColour.RED,
                reason="测试",
                who={"min_age": 60},  # type: ignore[arg-type]
            )

    def test_bad_id(self):
        with pytest.raises(InvalidValueError, match="'id' of VisitRule must be a lower-case code"):
            rule("High Risk")

    def test_matches_is_the_criteria(self):
        r = rule(min_age=60, max_age=79)
        p = elder(born=D(1960, 2, 29), opened=None)
        for day in (D(2020, 2, 28), D(2020, 2, 29), D(2040, 2, 28), D(2040, 2, 29)):
            assert r.matches(p, on=day) == r.who.matches(p, on=day)
        assert not r.matches(p, on=D(2020, 2, 28))
        assert r.matches(p, on=D(2020, 2, 29))  # a leap year: the birthday itself
        assert not r.matches(p, on=D(2040, 2, 29))  # 80 on that day
        r61 = rule(min_age=61)
        assert not r61.matches(p, on=D(2021, 2, 28))  # 29 February counts on 1 March
        assert r61.matches(p, on=D(2021, 3, 1))

    def test_conditions_tags_and_file(self):
        r = rule(
            conditions_all={"living_alone"},
            conditions_any={"dementia", "disabled"},
            tags_any={"party_member"},
        )
        p = elder(
            conditions=[
                Condition(kind="living_alone"),
                Condition(kind="dementia", start=D(2026, 3, 1), end=D(2026, 4, 1)),
            ],
            tags={"party_member"},
            opened=D(2026, 3, 10),
        )
        assert not r.matches(p, on=D(2026, 3, 9))  # file not open yet
        assert r.matches(p, on=D(2026, 3, 31))
        assert not r.matches(p, on=D(2026, 4, 1))  # dementia window ended
        assert not rule(tags_all={"youth"}).matches(p, on=D(2026, 3, 31))
        assert not rule().matches(elder(born=D(2030, 1, 1), opened=None), on=D(2026, 1, 1))

    def test_describe(self):
        described = DEFAULT_POLICY.rule("discharged_alone").describe()
        assert isinstance(described, Reason)
        assert described.zh.startswith("每日一访（红）：刚出院的独居或孤寡老人")
        assert described.en.endswith(
            "for: aged 60 or over; all of recently discharged; any of living alone, "
            "no family support"
        )
        assert described.ids("rule") == ("discharged_alone",)
        assert rule().describe().en.endswith("for: every resident with an open file")


class TestVisitPolicy:
    def test_needs_rules(self):
        with pytest.raises(PolicyError, match="must hold at least one VisitRule"):
            VisitPolicy(rules=())

    def test_unique_ids(self):
        with pytest.raises(PolicyError) as info:
            policy(rule("a"), rule("a", Frequency.daily()), name="p")
        assert str(info.value) == (
            "rule id 'a' is used by more than one rule of VisitPolicy 'p'; rule ids must be unique."
        )

    def test_rules_must_be_rules(self):
        with pytest.raises(InvalidValueError, match="must hold VisitRule values only"):
            VisitPolicy(rules=["general"])  # type: ignore[list-item]
        with pytest.raises(InvalidValueError, match="'rules' of VisitPolicy must be a collection"):
            VisitPolicy(rules=DEFAULT_POLICY.rule("general"))  # type: ignore[arg-type]

    def test_major_change_days(self):
        with pytest.raises(
            InvalidValueError,
            match="'major_change_days' of VisitPolicy must be an integer from 0 to 366",
        ):
            policy(rule(), major_change_days=-1)
        with pytest.raises(InvalidValueError, match="must be an integer"):
            policy(rule(), major_change_days=1.5)  # type: ignore[arg-type]

    def test_unknown_rule(self):
        with pytest.raises(PolicyError, match="policy 'default' has no rule 'nope'"):
            DEFAULT_POLICY.rule("nope")

    def test_strictness_ties_keep_policy_order(self):
        p = policy(
            rule("b", Frequency.weekly()),
            rule("a", Frequency.weekly()),
            rule("c", Frequency.daily()),
        )
        assert [r.id for r in p.by_strictness()] == ["c", "b", "a"]

    def test_matching_checks_its_arguments(self, lu):
        with pytest.raises(InvalidValueError, match="'on' must be a date"):
            DEFAULT_POLICY.matching(lu, on="2026-11-25")  # type: ignore[arg-type]
        with pytest.raises(InvalidValueError, match="'resident' must be a Resident"):
            DEFAULT_POLICY.requirement("r-lu", on=D(2026, 11, 25))  # type: ignore[arg-type]

    def test_requirement(self, lu):
        assert DEFAULT_POLICY.requirement(elder(born=D(1990, 1, 1)), on=D(2026, 1, 1)) is None
        req = DEFAULT_POLICY.requirement(lu, on=D(2026, 11, 20))
        assert req is not None
        assert req.rule.id == "injured_alone"
        assert (req.resident, req.resident_name) == ("r-lu", "吕阿姨")
        assert req.colour is VisitColour.RED
        assert [r.id for r in req.also] == ["general"]
        assert [c.kind for c in req.because] == ["living_alone", "injured"]
        assert isinstance(req.reason, Reason)
        assert "受伤（至2026-12-17）" in req.reason.zh
        assert "injured (through 2026-12-17)" in req.reason.en
        assert req.reason.zh.startswith("吕阿姨应每周一访（红）")
        assert req.reason.en.startswith("visit 吕阿姨 weekly (red)")
        assert req.reason.ids("resident") == ("r-lu",)
        assert req.reason.ids("rule") == ("injured_alone", "general")

    def test_default_policy_is_the_documented_table(self):
        table = [
            (r.id, r.colour.value, r.frequency.label, r.frequency.grace_days, r.who.min_age)
            for r in DEFAULT_POLICY.rules
        ]
        assert table == [
            ("discharged_alone", "red", "daily", 0, 60),
            ("high_risk_alone", "red", "weekly", 1, 80),
            ("high_risk_ill", "red", "weekly", 1, 60),
            ("injured_alone", "red", "weekly", 1, 60),
            ("key", "yellow", "monthly", 3, 60),
            ("general", "green", "quarterly", 7, 60),
        ]
        assert DEFAULT_POLICY.rule("discharged_alone").modes == {VisitMode.IN_PERSON}
        assert DEFAULT_POLICY.rule("discharged_alone").who == Criteria(
            min_age=60,
            conditions_all={"recently_discharged"},
            conditions_any={"living_alone", "no_family_support"},
        )
        assert DEFAULT_POLICY.major_change_days == 1


def test_requirement_of_a_rule_without_facts_names_the_resident() -> None:
    pol = policy(rule("all", Frequency.monthly()))
    req = pol.requirement(elder(name="王阿姨"), on=date(2026, 1, 1))
    assert req is not None
    assert req.age is None and req.because == ()
    assert req.reason.zh == "王阿姨应每月一访（绿）：测试【all】。"
    assert req.reason.en == "visit 王阿姨 monthly (green): 测试 [all]."
