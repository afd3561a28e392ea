"""Regression tests for issue 13 ("Doors"), for the foundation's values (the visits and cases
sides have their own: tests/unit/visits/test_visits_doors.py, tests/unit/test_cases_loop.py).

Each test failed on the commit before the issue (run against it with that commit's API; the
note on the issue quotes the failures) and passes now."""

from __future__ import annotations

import json
from datetime import date, datetime

import networkx as nx
import pytest

from gridgov import (
    CONDITION_KINDS,
    CST,
    Channel,
    Condition,
    ConditionKind,
    GridGovError,
    GridUnit,
    Issue,
    Member,
    Reporter,
    Resident,
    Severity,
    TimeLimit,
    from_dict,
    to_dict,
)
from gridgov.demo import sample_grid
from gridgov.routing import Match

T = datetime(2026, 11, 26, 9, 0, tzinfo=CST)


def _issue(**kw: object) -> Issue:
    fields: dict[str, object] = {
        "id": "i",
        "category": "dispute",
        "severity": 1,
        "channel": Channel.APP,
        "place": "h-1001",
        "reporter": Reporter.resident("r"),
        "reported_at": T,
    }
    fields.update(kw)
    return Issue(**fields)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- crashes


def test_a_scalar_where_a_collection_is_expected_is_a_gridgov_error() -> None:
    with pytest.raises(GridGovError, match="'posts' of Member"):
        Member(id="m", name="n", posts=7)  # type: ignore[arg-type]


def test_from_dict_with_a_list_for_its_type_is_a_gridgov_error() -> None:
    with pytest.raises(GridGovError, match=r"'\$.type'"):
        from_dict({"schema": 1, "type": []})


@pytest.mark.parametrize("amount", [float("nan"), float("inf"), 1e20, 10**400])
def test_numbers_out_of_range_are_gridgov_errors(amount: float) -> None:
    with pytest.raises(GridGovError, match="'amount'"):
        TimeLimit(amount=amount, unit="days", basis="working")
    data = json.loads(json.dumps(to_dict(TimeLimit.working_days(3))))
    data["amount"] = amount
    with pytest.raises(GridGovError):
        from_dict(data)


def test_age_on_a_datetime_is_a_gridgov_error() -> None:
    lu = Resident(id="r", name="n", household="h", birth_date=date(1948, 3, 2))
    with pytest.raises(GridGovError, match="'day'"):
        lu.age_on(datetime(2026, 1, 1, tzinfo=CST))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- silently wrong


def test_a_str_is_never_a_set() -> None:
    with pytest.raises(GridGovError, match="'skills' of Member must be a collection"):
        Member(id="m", name="n", skills="housekeeping")  # type: ignore[arg-type]
    with pytest.raises(GridGovError, match="'categories' of Match must be a collection"):
        Match(categories="dispute")  # type: ignore[arg-type]


def test_a_boolean_severity_is_refused_not_read_as_routine() -> None:
    data = to_dict(_issue())
    data["severity"] = True
    with pytest.raises(GridGovError, match="severity"):
        from_dict(data)


# --------------------------------------------------------------------------- unusable later


@pytest.mark.parametrize("bad", [7, ["x"], {"a": 1}])
def test_free_text_is_a_string(bad: object) -> None:
    with pytest.raises(GridGovError, match="'description' of Issue"):
        _issue(description=bad)
    with pytest.raises(GridGovError, match="'note' of Condition"):
        Condition(kind="injured", note=bad)  # type: ignore[arg-type]


def test_time_limits_are_bounded() -> None:
    with pytest.raises(GridGovError, match="'amount' of TimeLimit must be at most"):
        TimeLimit.working_days(3_000_000)


@pytest.mark.parametrize("day", [date(1, 1, 1), date(9999, 12, 31)])
def test_dates_far_from_now_are_refused(day: date) -> None:
    with pytest.raises(GridGovError, match="'birth_date' of Resident"):
        Resident(id="r", name="n", household="h", birth_date=day)


def test_a_naive_deadline_cannot_be_loaded_into_an_assignment() -> None:
    from gridgov import DEFAULT_MATRIX, DEFAULT_RULES, Router

    a = Router(grid=sample_grid(), rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX).route(_issue())
    data = to_dict(a)
    data["resolve_by"]["due"] = "2026-12-15T09:00:00"  # no offset
    with pytest.raises(GridGovError, match="timezone-aware"):
        from_dict(data)


# --------------------------------------------------------------------------- guesses


def test_from_dict_fills_in_nothing() -> None:
    data = to_dict(GridUnit(id="c", name="C", tier="community"))
    del data["parent"]
    with pytest.raises(GridGovError, match=r"'\$.parent' is missing"):
        from_dict(data)


def test_to_dict_writes_plain_ints_for_severities() -> None:
    data = to_dict(_issue(severity=Severity.URGENT))
    assert type(data["severity"]) is int


# --------------------------------------------------------------------------- stalls


def test_a_scheme_of_ten_thousand_tiers_is_refused_at_once() -> None:
    from gridgov import Tier, TierScheme

    with pytest.raises(GridGovError, match="at most 16 tiers"):
        TierScheme(name="deep", tiers=[Tier(name=f"t{i}", label="T", zh="层") for i in range(10_000)])


# --------------------------------------------------------------------------- shared state


def test_the_place_index_cannot_be_emptied_by_a_caller() -> None:
    grid = sample_grid()
    chains = getattr(grid.places, "chains", None)
    if chains is not None:  # before the issue: a public dict shared between versions
        chains.clear()
    moved = grid.move_unit("mg31", "g1", version="v2")
    # The new version reindexes its places: the household follows its micro-grid to g1.
    assert [u.id for u in moved.place_chain("h-1001")] == ["mg31", "g1", "yx"]


def test_the_condition_kinds_are_read_only() -> None:
    with pytest.raises(TypeError):
        CONDITION_KINDS["fake"] = ConditionKind(code="fake", label="fake", zh="假")  # type: ignore[index]


def test_the_graph_view_cannot_reach_the_grid() -> None:
    grid = sample_grid()
    nx.DiGraph.add_edge(grid.graph, "mg31", "yx")
    assert ("mg31", "yx") not in grid.graph.edges


# --------------------------------------------------------------------------- odd values


@pytest.mark.parametrize("bad", ["e\u0301", "g\u200b3", " g3", "g3\n"])
def test_ids_that_only_look_alike_are_refused(bad: str) -> None:
    with pytest.raises(GridGovError, match="'id' of GridUnit must be an id"):
        GridUnit(id=bad, name="G", tier="grid", parent="yx")


# --------------------------------------------------------------------------- messages


def test_a_severity_bound_names_its_field() -> None:
    with pytest.raises(GridGovError, match="'max_severity'"):
        Match(max_severity=9)


def test_a_long_value_is_cut_in_the_message() -> None:
    with pytest.raises(GridGovError) as info:
        GridUnit(id="x" * 1_000_000, name="G", tier="grid")
    assert len(str(info.value)) < 600
    assert "1,000,000 characters" in str(info.value)
