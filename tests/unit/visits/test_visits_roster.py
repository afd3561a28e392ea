"""Unit tests for gridgov.visits.roster: the residents compiled with a policy, once."""

from __future__ import annotations

from datetime import date

import pytest
from visit_builders import rec

from gridgov import Condition, Criteria, InvalidValueError, Resident
from gridgov.demo import sample_residents
from gridgov.visits import (
    DEFAULT_POLICY,
    Frequency,
    RosterLog,
    VisitColour,
    VisitLog,
    VisitPolicy,
    VisitRoster,
    VisitRule,
    due_ids,
    due_visits,
)

DAY = date(2026, 11, 26)


def _file(rid: str, born: date, *conditions: Condition) -> Resident:
    return Resident(id=rid, name="n", household="h", birth_date=born, conditions=conditions)


AGELESS = VisitPolicy(
    rules=[
        VisitRule(id="sick", frequency=Frequency.daily(), colour=VisitColour.RED, reason="r",
                  who=Criteria(conditions_all={"recently_discharged"})),
        VisitRule(id="elder", frequency=Frequency.monthly(), colour=VisitColour.GREEN,
                  reason="r", who=Criteria(min_age=60)),
    ]
)


def test_the_doors() -> None:
    with pytest.raises(InvalidValueError, match="'residents' of VisitRoster"):
        VisitRoster(residents=[1], policy=DEFAULT_POLICY)
    with pytest.raises(InvalidValueError, match="'policy' of VisitRoster must be a VisitPolicy"):
        VisitRoster(residents=[], policy="default")
    one = _file("r-1", date(1950, 1, 1))
    with pytest.raises(InvalidValueError, match="two files with one id"):
        VisitRoster(residents=[one, one], policy=DEFAULT_POLICY)


def test_a_sweep_must_use_the_policy_the_roster_was_built_with() -> None:
    roster = VisitRoster(residents=sample_residents(), policy=DEFAULT_POLICY)
    with pytest.raises(InvalidValueError, match="'policy' must be the policy the VisitRoster"):
        list(due_visits(roster, [], AGELESS, on=DAY))


def test_a_file_no_rule_can_match_is_not_a_candidate_whatever_the_rules() -> None:
    """A rule without a minimum age (discharged, at any age) switched off the sweep's old
    one-comparison cut-off; the roster still passes over a young file without the
    condition, and keeps a young one with it."""
    young = _file("r-young", date(2000, 1, 1))
    sick = _file("r-sick", date(2000, 1, 1), Condition(kind="recently_discharged"))
    old = _file("r-old", date(1950, 1, 1))
    later = _file("r-later", date(1970, 6, 1))  # 60 on 2030-06-01
    roster = VisitRoster(residents=[young, sick, old, later], policy=AGELESS)
    assert [r.id for r in roster.candidates(date(2026, 11, 26))] == ["r-sick", "r-old"]
    assert [r.id for r in roster.candidates(date(2030, 6, 1))] == ["r-sick", "r-old", "r-later"]
    assert roster.windows == {}
    assert len(roster) == 4


def test_the_items_are_those_of_the_plain_sweep_in_roster_order() -> None:
    injured = _file(
        "r-inj", date(1940, 1, 1),
        Condition(kind="injured", start=date(2026, 11, 1), end=date(2026, 12, 1)),
    )
    files = [*sample_residents(), injured]
    roster = VisitRoster(residents=files, policy=DEFAULT_POLICY)
    assert set(roster.windows) == {"r-lu", "r-inj"}
    log = VisitLog(records=[rec("r-inj", date(2026, 11, 2)), rec("r-lu", date(2026, 11, 20))])
    for day in (DAY, date(2026, 12, 20), date(2027, 6, 1)):
        expected = list(due_visits(files, log, DEFAULT_POLICY, on=day))
        assert list(due_visits(roster, log, DEFAULT_POLICY, on=day)) == expected


def test_the_join_doors() -> None:
    roster = VisitRoster(residents=sample_residents(), policy=DEFAULT_POLICY)
    with pytest.raises(InvalidValueError, match="'log' must be a VisitLog"):
        roster.join([])  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'log' of RosterLog must be a VisitLog"):
        RosterLog(roster=roster, log=None)  # type: ignore[arg-type]
    other = VisitRoster(residents=sample_residents()[:3], policy=DEFAULT_POLICY)
    with pytest.raises(InvalidValueError, match="'records' must be a RosterLog of the roster"):
        list(due_visits(roster, other.join(VisitLog()), DEFAULT_POLICY, on=DAY))
    with pytest.raises(InvalidValueError, match="'policy' must be the policy the VisitRoster"):
        list(due_ids(roster, roster.join(VisitLog()), AGELESS, on=DAY))


def test_a_join_is_a_value_and_extending_it_leaves_it_unchanged() -> None:
    roster = VisitRoster(residents=sample_residents(), policy=DEFAULT_POLICY)
    first = rec("r-lu", date(2026, 11, 20))
    joined = RosterLog(roster=roster, log=VisitLog(records=[first]))
    assert joined == roster.join(VisitLog(records=[first]))
    later = joined.with_records([first, rec("r-lu", date(2026, 11, 24)),
                                 rec("r-nobody", date(2026, 11, 25))])
    assert joined.last_visit("r-lu") == date(2026, 11, 20)
    assert later.last_visit("r-lu") == date(2026, 11, 24)
    assert later.last_visit("r-nobody") is None  # kept in the log, not joined
    assert later.log.last_visit("r-nobody") == date(2026, 11, 25)
    assert joined.with_records([first]) is joined
    # a day before the log's latest record: the later record does not count
    on = date(2026, 11, 22)
    assert list(due_ids(roster, later, DEFAULT_POLICY, on=on)) == [
        (d.resident, d.due) for d in due_visits(roster, joined.log, DEFAULT_POLICY, on=on)
    ]


def test_a_record_before_the_file_was_opened_is_refused_on_every_road() -> None:
    """The roster's fast path reads the day the file was opened from the roster, not the
    file: it refuses such a record as the plain sweep does."""
    opened = Resident(id="r-1", name="n", household="h", birth_date=date(1940, 1, 1),
                      file_opened=date(2026, 6, 1))
    early = [rec("r-1", date(2026, 5, 1)), rec("r-1", date(2026, 9, 1))]
    roster = VisitRoster(residents=[opened], policy=DEFAULT_POLICY)
    log = VisitLog(records=early)
    for files, records in ((roster, roster.join(log)), (roster, log), ([opened], log)):
        with pytest.raises(InvalidValueError, match=r"'at' of VisitRecord .* must not be before"):
            list(due_ids(files, records, DEFAULT_POLICY, on=date(2027, 6, 1)))
        with pytest.raises(InvalidValueError, match=r"'at' of VisitRecord .* must not be before"):
            list(due_visits(files, records, DEFAULT_POLICY, on=date(2027, 6, 1)))


def test_a_large_roster_streams_its_candidates_in_roster_order() -> None:
    """More files than one block of the roster's order (its runs sorted by position are
    merged): the candidates and the items come in the order of the files."""
    files = [
        _file(f"r-{i}", date(1930 + (i * 7919) % 80, 1 + i % 12, 1 + i % 28))
        for i in range(10_000)
    ]
    roster = VisitRoster(residents=files, policy=AGELESS)
    for day in (date(2000, 1, 1), DAY, date(2030, 6, 1)):
        ids = [r.id for r in roster.candidates(day)]
        assert ids == [r.id for r in files if r.birth_date <= day and r.age_on(day) >= 60]
        assert list(due_ids(roster, [], AGELESS, on=day)) == list(
            due_ids(files, [], AGELESS, on=day)
        )
