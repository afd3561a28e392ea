"""Unit tests for gridgov.privacy: the table, scopes and decisions, redaction, records."""

from __future__ import annotations

import json
from datetime import date, datetime

import attrs
import pytest

import gridgov._validators as v
from gridgov import (
    CST,
    Condition,
    GridGovError,
    InvalidValueError,
    Member,
    Post,
    Resident,
    Role,
    from_dict,
    to_dict,
)
from gridgov.cases import CoHandlerLinked
from gridgov.cases._doors import free_text, required_text
from gridgov.demo import sample_case, sample_grid, sample_residents
from gridgov.privacy import (
    DEFAULT_SENSITIVITY,
    AccessRecord,
    ConditionClass,
    FieldClass,
    Purpose,
    PurposeClasses,
    Scope,
    Sensitivity,
    export,
    may_see,
    redact,
    suppress_small_cells,
    visible,
)
from gridgov.serialize import registered
from gridgov.visits import DEFAULT_POLICY as VISITS
from gridgov.visits import VisitRecord, plan_visits

GRID = sample_grid()
LU = sample_residents()[-1]
CASE = sample_case()
DAY = date(2026, 11, 26)
LI = Scope.of_member(GRID.member("m-li"), purpose=Purpose.VISIT, on=DAY)
# Grid-team members' names: public in their posts (they sign notices and lead units).
STAFF_NAMES = {"Member.name", "Assignment.leader_name", "MissedVisitEscalation.leader_name",
               "PlannedVisit.member_name"}
PERSONAL_DOORS = {v.personal_name, v.personal_text, v.personal_date, free_text, required_text}


def _personal(a: attrs.Attribute[object]) -> bool:
    return a.validator in PERSONAL_DOORS or "personal" in repr(a.validator)


# --------------------------------------------------------------------------- the table


def test_every_field_validated_as_personal_is_classed_personal_or_sensitive() -> None:
    missing = [
        f"{cls.__name__}.{a.name}"
        for cls in registered()
        if attrs.has(cls)
        for a in attrs.fields(cls)
        if a.init
        and f"{cls.__name__}.{a.name}" not in STAFF_NAMES
        and _personal(a)
        and DEFAULT_SENSITIVITY.class_of(cls.__name__, a.name) is Sensitivity.PUBLIC
    ]
    assert not missing


def test_every_classed_field_is_kept_out_of_repr() -> None:
    shown = [
        f"{cls.__name__}.{a.name}"
        for cls in registered()
        if attrs.has(cls)
        for a in attrs.fields(cls)
        if DEFAULT_SENSITIVITY.class_of(cls.__name__, a.name) is not Sensitivity.PUBLIC and a.repr
    ]
    assert not shown


def test_every_row_of_the_default_table_names_a_real_field() -> None:
    fields = {(c.__name__, a.name) for c in registered() if attrs.has(c) for a in attrs.fields(c)}
    for row in DEFAULT_SENSITIVITY.fields:
        owner, name = row.field.split(".")
        assert any(n == name and (owner == "*" or o == owner) for o, n in fields), row.field


def test_the_table_refuses_a_field_classed_twice_and_bad_keys() -> None:
    row = FieldClass(field="Issue.place", sensitivity=Sensitivity.PUBLIC)
    with pytest.raises(InvalidValueError, match="'fields' of SensitivityTable must class each"):
        attrs.evolve(DEFAULT_SENSITIVITY, fields=(*DEFAULT_SENSITIVITY.fields, row))
    with pytest.raises(InvalidValueError, match="'field' of FieldClass"):
        FieldClass(field="issue.place", sensitivity=Sensitivity.PUBLIC)
    with pytest.raises(InvalidValueError, match="'minor_age' of SensitivityTable"):
        attrs.evolve(DEFAULT_SENSITIVITY, minor_age=-1)
    with pytest.raises(InvalidValueError):
        ConditionClass(kind="Not A Code", sensitivity=Sensitivity.HEALTH)


def test_a_type_row_wins_over_a_wildcard_and_unknown_kinds_are_health() -> None:
    t = DEFAULT_SENSITIVITY.with_field("Accepted.note", Sensitivity.PUBLIC)
    assert t.class_of("Accepted", "note") is Sensitivity.PUBLIC
    assert t.class_of("Closed", "note") is Sensitivity.PERSONAL
    assert DEFAULT_SENSITIVITY.condition_class("hoarding") is Sensitivity.HEALTH
    assert DEFAULT_SENSITIVITY.classes_for(Purpose.VISIT) == frozenset(Sensitivity)
    empty = attrs.evolve(DEFAULT_SENSITIVITY, purposes=())
    assert empty.classes_for(Purpose.VISIT) == {Sensitivity.PUBLIC}


def test_the_values_round_trip_through_json() -> None:
    at = datetime(2026, 11, 26, 16, tzinfo=CST)
    record = may_see(LI, LU, grid=GRID).record(at=at)
    for value in (DEFAULT_SENSITIVITY, LI, record, PurposeClasses(purpose=Purpose.AUDIT, classes=[])):
        assert from_dict(json.loads(json.dumps(to_dict(value)))) == value
    assert isinstance(record, AccessRecord)


# --------------------------------------------------------------------------- scopes


def test_a_scope_names_exactly_one_asker() -> None:
    [wuye] = [p for p in GRID.partners_covering("g3") if p.id == "p-wuye"]
    with pytest.raises(InvalidValueError, match="got both"):
        Scope(member=GRID.member("m-li"), partner=wuye, purpose=Purpose.VISIT, on=DAY)
    with pytest.raises(InvalidValueError, match="'on' of Scope"):
        Scope(member=GRID.member("m-li"), purpose=Purpose.VISIT, on=datetime(2026, 1, 1, tzinfo=CST))
    assert Scope.of_partner(wuye, on=DAY, purpose=Purpose.VISIT).classes() == {
        Sensitivity.PUBLIC, Sensitivity.WHEREABOUTS
    }


def test_posts_of_roles_that_may_not_see_give_nothing() -> None:
    volunteer = Member(id="m-v", name="志愿者甲", posts=[Post(role=Role.VOLUNTEER, unit="yx")])
    d = may_see(Scope.of_member(volunteer, purpose=Purpose.VISIT, on=DAY), LU, grid=GRID)
    assert (d.allowed, d.rule) == (False, "no_seeing_post")
    c = may_see(Scope.of_member(volunteer, purpose=Purpose.VISIT, on=DAY), CASE, grid=GRID)
    assert (c.allowed, c.rule) == (False, "no_seeing_post")
    # the community's table may let courtyard heads see their courtyards' residents
    heads = attrs.evolve(DEFAULT_SENSITIVITY, roles={*DEFAULT_SENSITIVITY.roles, Role.VOLUNTEER})
    assert may_see(Scope.of_member(volunteer, purpose=Purpose.VISIT, on=DAY), LU, grid=GRID,
                   table=heads).allowed


def test_a_household_off_the_grid_is_seen_by_no_one() -> None:
    moved = attrs.evolve(LU, household="h-9999")
    d = may_see(LI, moved, grid=GRID)
    assert (d.allowed, d.rule) == (False, "off_grid")


def test_a_co_handling_unit_sees_the_case() -> None:
    linked = CASE.apply(
        CoHandlerLinked(at=datetime(2026, 11, 26, 16, tzinfo=CST), actor="m-g3", handler="g4",
                        kind="unit", name="第四网格")
    )
    g4 = Scope.of_member(GRID.member("m-g4"), purpose=Purpose.CASE_HANDLING, on=DAY)
    assert not may_see(g4, CASE, grid=GRID).allowed
    d = may_see(g4, linked, grid=GRID)
    assert (d.allowed, d.rule) == (True, "co_handler_unit")


def test_fields_asked_about() -> None:
    stats = attrs.evolve(LI, purpose=Purpose.STATISTICS)
    d = may_see(stats, LU, grid=GRID, field="birth_date")
    assert (d.allowed, d.rule, d.field, d.sensitivity) == (
        False, "purpose_class", "Resident.birth_date", Sensitivity.PERSONAL
    )
    assert "PIPL Art. 4, 6" in d.reason.en
    assert may_see(stats, LU, grid=GRID, field="id").allowed
    handling = attrs.evolve(LI, purpose=Purpose.CASE_HANDLING)
    conditions = may_see(handling, LU, grid=GRID, field="conditions")
    assert (conditions.allowed, conditions.sensitivity) == (False, Sensitivity.IDENTITY)
    outside = Scope.of_member(GRID.member("m-mg32"), purpose=Purpose.VISIT, on=DAY)
    assert may_see(outside, LU, grid=GRID, field="name").rule == "record_denied"
    with pytest.raises(InvalidValueError, match="'field' must name a field"):
        may_see(LI, LU, grid=GRID, field="Issue.description")
    with pytest.raises(InvalidValueError, match="'field' must not be given"):
        may_see(LI, "Resident.name", grid=GRID, field="name")
    with pytest.raises(InvalidValueError, match="'target'"):
        may_see(LI, 42, grid=GRID)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'target' as a field"):
        may_see(LI, "name", grid=GRID)


def test_everything_about_a_child_is_of_class_minor() -> None:
    child = Resident(id="r-kid", name="吕小宝", household="h-1001", birth_date=date(2016, 5, 1),
                     conditions=[Condition(kind="left_behind")], tags={"child"})
    handling = attrs.evolve(LI, purpose=Purpose.CASE_HANDLING)
    d = may_see(handling, child, grid=GRID, field="name")
    assert (d.allowed, d.sensitivity) == (False, Sensitivity.MINOR)
    seen = redact(child, handling, grid=GRID)
    assert (seen.name, seen.household, seen.tags) == ("吕**", "***", {"sensitive"})
    assert may_see(LI, child, grid=GRID, field="name").allowed  # a visit sees minors' files
    grown = attrs.evolve(LI, on=date(2030, 5, 1))
    assert redact(child, attrs.evolve(grown, purpose=Purpose.CASE_HANDLING), grid=GRID).name == "吕小宝"


def test_visible_filters_cases_too() -> None:
    outside = Scope.of_member(GRID.member("m-mg32"), purpose=Purpose.VISIT, on=DAY)
    assert visible(LI, [CASE], grid=GRID) == (CASE,)
    assert visible(outside, [CASE], grid=GRID) == ()
    with pytest.raises(InvalidValueError):
        visible(LI, "r-lu", grid=GRID)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- redaction


def test_values_of_a_file_are_redacted_under_the_decision_on_it() -> None:
    record = VisitRecord(id="v1", resident="r-lu", member="m-li", at=datetime(2026, 11, 26, 10, tzinfo=CST),
                         findings="腰痛未缓解")
    handling = attrs.evolve(LI, purpose=Purpose.CASE_HANDLING)
    assert redact(record, LI, grid=GRID, of=LU).findings == "腰痛未缓解"
    assert redact(record, handling, grid=GRID, of=LU).findings == ""
    assert redact(record, LI, grid=GRID).findings == ""  # without its file: public fields only
    with pytest.raises(InvalidValueError, match="'of'"):
        redact(record, LI, grid=GRID, of=record)  # type: ignore[arg-type]


def test_reasons_name_residents_by_masked_names() -> None:
    plan = plan_visits([LU], [], VISITS, GRID, start=DAY, end=DAY, capacity_per_member=0)
    [short] = plan.shortfalls
    assert "吕阿姨" in short.reason.zh
    stats = attrs.evolve(LI, purpose=Purpose.STATISTICS)
    seen = redact(short, stats, grid=GRID, of=LU)
    assert seen.reason.zh == "***"  # a classed reason the scope may not see keeps only its refs
    open_reason = redact(short, attrs.evolve(LI, purpose=Purpose.AUDIT), grid=GRID, of=LU)
    assert "吕阿姨" in open_reason.reason.zh
    due = attrs.evolve(DEFAULT_SENSITIVITY, fields=[
        f for f in DEFAULT_SENSITIVITY.fields if f.field != "VisitShortfall.reason"
    ])
    named = redact(short, stats, grid=GRID, of=LU, table=due)
    assert "吕阿姨" not in named.reason.zh and "吕**" in named.reason.zh
    assert [r.name for r in named.reason.refs if r.kind == "resident"] == ["吕**"]


def test_redacting_a_case_is_idempotent_and_keeps_its_story() -> None:
    stats = attrs.evolve(LI, purpose=Purpose.STATISTICS)
    once = redact(CASE, stats, grid=GRID)
    assert redact(once, stats, grid=GRID) == once
    assert [type(e) for e in once.events] == [type(e) for e in CASE.events]
    assert (once.status, once.owner, once.resolve_by) == (CASE.status, CASE.owner, CASE.resolve_by)
    assert redact(CASE, LI, grid=GRID) is CASE


def test_a_classed_field_redaction_cannot_mask_is_an_error() -> None:
    odd = DEFAULT_SENSITIVITY.with_field("Issue.severity", Sensitivity.HEALTH)
    with pytest.raises(GridGovError, match=r"'Issue\.severity' is classed"):
        redact(CASE.issue, LI, grid=GRID, table=odd)


def test_export_is_to_dict_of_the_redacted_value() -> None:
    stats = attrs.evolve(LI, purpose=Purpose.STATISTICS)
    assert export(LU, stats, grid=GRID) == to_dict(redact(LU, stats, grid=GRID))


def test_small_cells_are_suppressed() -> None:
    table = attrs.evolve(DEFAULT_SENSITIVITY, min_cell=3)
    assert suppress_small_cells({"a": 1, "b": 2, "c": 3, "d": 0}, table=table) == {
        "a": None, "b": None, "c": 3, "d": 0
    }
    with pytest.raises(InvalidValueError, match="'counts'"):
        suppress_small_cells({"a": -1})
    with pytest.raises(InvalidValueError, match="'counts'"):
        suppress_small_cells([("a", 1)])  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'counts'"):
        suppress_small_cells({"a": True})
