"""Files imported without their visit history: tracked from the day of the import, so that the
first sweep does not call every elder overdue since the day the file was opened years ago."""

from __future__ import annotations

from datetime import date, datetime

import attrs
import pytest

from gridgov import CST, InvalidValueError, Resident, from_dict, to_dict
from gridgov.visits import DEFAULT_POLICY, VisitLog, VisitRecord, VisitRoster, due_ids, due_visits

IMPORTED = date(2026, 11, 26)
OPENED = date(2023, 12, 28)  # 1,064 days before the import


def elder(**changes: object) -> Resident:
    base = Resident(
        id="r-lu",
        name="吕阿姨",
        household="h-1001",
        birth_date=date(1948, 3, 2),
        conditions=(),
        file_opened=OPENED,
        tags=frozenset(),
    )
    return attrs.evolve(base, **changes)


def test_without_tracking_the_first_sweep_says_overdue_since_the_file_was_opened() -> None:
    (item,) = due_visits([elder()], [], DEFAULT_POLICY, on=IMPORTED)
    assert item.due == OPENED and item.days_overdue == (IMPORTED - OPENED).days == 1064


def test_a_file_tracked_from_the_import_is_due_that_day_not_overdue() -> None:
    r = elder(tracked_since=IMPORTED)
    assert r.owed_from() == IMPORTED and elder().owed_from() == OPENED
    for residents in ([r], VisitRoster(residents=[r], policy=DEFAULT_POLICY)):
        (item,) = due_visits(residents, [], DEFAULT_POLICY, on=IMPORTED)
        assert item.due == IMPORTED and item.days_overdue == 0 and not item.missed
        assert list(due_ids(residents, [], DEFAULT_POLICY, on=IMPORTED)) == [("r-lu", IMPORTED)]
        # Before the import nothing is owed.
        assert list(due_visits(residents, [], DEFAULT_POLICY, on=date(2026, 11, 1))) == []


def test_after_the_import_visits_count_as_usual() -> None:
    r = elder(tracked_since=IMPORTED)
    seen = VisitRecord(
        id="v1", resident="r-lu", member="m-li", at=datetime(2026, 11, 26, 10, tzinfo=CST)
    )
    for residents in ([r], VisitRoster(residents=[r], policy=DEFAULT_POLICY)):
        plain = list(
            due_visits(residents, VisitLog(records=[seen]), DEFAULT_POLICY, on=date(2027, 1, 10))
        )
        untracked = list(due_visits([elder()], [seen], DEFAULT_POLICY, on=date(2027, 1, 10)))
        assert [(i.due, i.last_visit) for i in plain] == [(i.due, i.last_visit) for i in untracked]


def test_the_door_and_the_round_trip() -> None:
    with pytest.raises(InvalidValueError, match="'tracked_since' of Resident 'r-lu' must be on or after the day the file was opened"):
        elder(tracked_since=date(2023, 1, 1))
    with pytest.raises(InvalidValueError, match="'tracked_since'"):
        elder(tracked_since="2026-11-26")
    r = elder(tracked_since=IMPORTED)
    assert from_dict(to_dict(r)) == r
    assert elder(file_opened=None, tracked_since=date(1948, 3, 2)).owed_from() == date(1948, 3, 2)
