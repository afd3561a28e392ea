"""Unit tests for gridgov.visits.records: visit records, the visit log, check_records."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import attrs
import pytest
from visit_builders import D, elder, rec

from gridgov import CST, InvalidValueError, ResidentFiles, UnknownResidentError, from_dict, to_dict
from gridgov.visits import VisitLog, VisitMode, VisitRecord, check_records


class TestVisitRecord:
    def test_day_in_its_own_offset(self):
        v = VisitRecord(
            id="v", resident="r", member="m", at=datetime(2026, 1, 1, 23, 30, tzinfo=CST)
        )
        assert v.day == D(2026, 1, 1)
        assert v.mode is VisitMode.IN_PERSON
        assert v.issue_id is None

    def test_validation(self):
        with pytest.raises(
            InvalidValueError, match="'at' of VisitRecord must be a timezone-aware datetime"
        ):
            VisitRecord(id="v", resident="r", member="m", at=datetime(2026, 1, 1))
        with pytest.raises(InvalidValueError, match="'issue_id' of VisitRecord must be an id"):
            VisitRecord(
                id="v", resident="r", member="m", at=datetime(2026, 1, 1, tzinfo=CST), issue_id=""
            )
        with pytest.raises(InvalidValueError, match="'mode' of VisitRecord must be a VisitMode"):
            VisitRecord(
                id="v", resident="r", member="m", at=datetime(2026, 1, 1, tzinfo=CST), mode="phone"
            )

    def test_check_records(self):
        files = [elder("r1", opened=D(2026, 1, 10)), elder("r2", opened=None)]
        check_records(files, [rec("r1", D(2026, 1, 10)), rec("r2", D(1999, 1, 1))])
        check_records(ResidentFiles(files), VisitLog(records=[rec("r1", D(2026, 1, 10))]))
        with pytest.raises(InvalidValueError) as info:
            check_records(files, [rec("r1", D(2026, 1, 9))])
        assert str(info.value) == (
            "'at' of VisitRecord 'v-r1-2026-01-09-0' must not be before resident 'r1''s file "
            "was opened on 2026-01-10 (got 2026-01-09)."
        )
        with pytest.raises(
            UnknownResidentError, match="must name a resident with a file \\(got 'r9'\\)"
        ):
            check_records(files, [rec("r9", D(2026, 1, 9))])
        with pytest.raises(InvalidValueError, match="'records' must hold VisitRecord values"):
            check_records(files, ["v1"])
        with pytest.raises(InvalidValueError, match="'residents' must hold Resident values"):
            check_records(["r1"], [])


class TestVisitLog:
    def test_groups_once_and_extends_with_new_records(self):
        first = [rec("r-a", D(2026, 11, 1)), rec("r-b", D(2026, 11, 3), mode=VisitMode.PHONE)]
        later = [rec("r-a", D(2026, 11, 20), mode=VisitMode.VIDEO)]
        log = VisitLog(records=first)
        grown = log.with_records(later)
        assert len(log) == 2 and len(grown) == 3  # the old log is unchanged
        assert grown == VisitLog(records=first + later)
        assert list(grown) == first + later
        assert grown.latest == D(2026, 11, 20) and VisitLog().latest is None
        assert grown.last_visit("r-a") == D(2026, 11, 20)
        assert grown.last_visit("r-a", VisitMode.IN_PERSON) == D(2026, 11, 1)
        assert grown.last_visit("r-b", VisitMode.IN_PERSON) is None
        assert log.last_visit("r-a") == D(2026, 11, 1)
        assert from_dict(json.loads(json.dumps(to_dict(grown)))) == grown

    def test_refuses_what_is_not_a_record(self):
        with pytest.raises(InvalidValueError, match="'records' of VisitLog must be a collection of VisitRecord values"):
            VisitLog(records=["v1"])  # type: ignore[list-item]
        with pytest.raises(InvalidValueError, match=r"'records' must hold VisitRecord values only \(got 'v1'\)"):
            VisitLog().with_records([rec("r", D(2026, 11, 1)), "v1"])  # type: ignore[list-item]
        with pytest.raises(InvalidValueError, match="'records' must be a collection"):
            VisitLog().with_records(rec("r", D(2026, 11, 1)))  # type: ignore[arg-type]

    def test_a_record_given_twice_is_kept_once(self):
        a, b = rec("r", D(2026, 11, 1)), rec("r", D(2026, 11, 2))
        assert VisitLog(records=[a, b, a]) == VisitLog(records=[a, b])
        assert VisitLog(records=[a, b, a]).records == (a, b)
        log = VisitLog(records=[a])
        assert log.with_records([a]) is log
        assert log.with_records([attrs.evolve(a), b]) == VisitLog(records=[a, b])
        assert a in log and b not in log and "v" not in log

    def test_two_different_records_with_one_id_are_refused(self):
        a = rec("r", D(2026, 11, 1))
        other = attrs.evolve(a, member="m-other")
        with pytest.raises(InvalidValueError, match="two different records with one id"):
            VisitLog(records=[a, other])
        with pytest.raises(InvalidValueError, match="'v-r-2026-11-01-0'"):
            VisitLog(records=[a]).with_records([other])
        # the same moment in another offset is another day: not the same record
        elsewhere = attrs.evolve(a, at=a.at.astimezone(timezone(timedelta(hours=-12))))
        assert elsewhere == a and elsewhere.day != a.day
        with pytest.raises(InvalidValueError, match="two different records with one id"):
            VisitLog(records=[a, elsewhere])

    def test_as_of(self):
        log = VisitLog(records=[rec("r", D(2026, 11, 1)), rec("r", D(2026, 11, 20))])
        assert log.as_of(D(2026, 11, 20)) is log
        early = log.as_of(D(2026, 11, 10))
        assert list(early) == [rec("r", D(2026, 11, 1))]
        assert early.latest == D(2026, 11, 1)
        assert log.as_of(D(2026, 10, 1)) == VisitLog()

    def test_the_index_is_read_only(self):
        log = VisitLog(records=[rec("r", D(2026, 11, 1))])
        for a in attrs.fields(VisitLog):
            assert not isinstance(getattr(log, a.name), dict | list | set)
        with pytest.raises(TypeError):
            log._index.last["r"] = 0  # type: ignore[index]

    def test_last_visit_checks_its_arguments(self):
        with pytest.raises(InvalidValueError, match="'mode' must be a VisitMode"):
            VisitLog().last_visit("r", "phone")  # type: ignore[arg-type]
        with pytest.raises(InvalidValueError, match="'resident' must be an id"):
            VisitLog().last_visit(7)  # type: ignore[arg-type]


def test_records_round_trip() -> None:
    v = VisitRecord(
        id="v1",
        resident="r-lu",
        member="m-li",
        at=datetime(2026, 11, 25, 9, 30, tzinfo=CST),
        mode=VisitMode.VIDEO,
        findings="腰部摔伤",
        issue_id="i-1",
    )
    data = to_dict(v)
    assert from_dict(json.loads(json.dumps(data, ensure_ascii=False))) == v
    assert date.fromisoformat(data["at"][:10]) == v.day
