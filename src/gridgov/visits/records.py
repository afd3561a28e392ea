"""Visit records (走访记录) and the visit log: who visited whom, when, how, and what was found.

A :class:`VisitRecord` is one visit.  A :class:`VisitLog` keeps records grouped by resident
from the moment it is built — the road for daily sweeps over a city — and grows by new
values (:meth:`VisitLog.with_records`).  :func:`check_records` checks records against the
personal files up front.

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST
    >>> log = VisitLog(records=[VisitRecord(id="v1", resident="r-lu", member="m-li",
    ...                                     at=datetime(2026, 11, 20, 9, tzinfo=CST))])
    >>> log.last_visit("r-lu")
    datetime.date(2026, 11, 20)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import ClassVar

import attrs

import gridgov._validators as v
import gridgov.visits._args as _args
import gridgov.visits._index as _index
from gridgov._labels import LabelledEnum
from gridgov.errors import InvalidValueError, UnknownResidentError
from gridgov.people import Resident, ResidentFiles
from gridgov.serialize import register
from gridgov.visits._index import RecordIndex

__all__ = ["VisitLog", "VisitMode", "VisitRecord", "check_records"]


class VisitMode(LabelledEnum):
    """How a visit was made.

    Example:
        >>> VisitMode.IN_PERSON.zh, VisitMode.PHONE.label
        ('入户', 'phone')
    """

    IN_PERSON = "in_person"
    PHONE = "phone"
    VIDEO = "video"

    __zh__: ClassVar[Mapping[str, str]] = {
        "in_person": "入户",
        "phone": "电话",
        "video": "视频",
    }


_SLOT = MappingProxyType({mode: _index.position(mode) for mode in VisitMode})
assert len(_SLOT) == _index.SLOTS


@register
@attrs.frozen(kw_only=True)
class VisitRecord:
    """A visit made: who visited whom, when, how, and what was found.

    The visit's day is the date of ``at`` in its own UTC offset.

    Attributes:
        id: the record's id.
        resident: the id of the resident visited.
        member: the id of the member who visited.
        at: when (timezone-aware).
        mode: in person (入户), phone (电话) or video (视频).
        findings: what was found, as written (free text about a person: never shown in
            error messages).
        issue_id: the id of the Issue a finding raised, if any.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> v = VisitRecord(id="v1", resident="r-lu", member="m-li",
        ...                 at=datetime(2026, 11, 25, 9, 30, tzinfo=CST), mode=VisitMode.IN_PERSON,
        ...                 findings="腰部摔伤，刚出院", issue_id="i-0001")
        >>> v.day
        datetime.date(2026, 11, 25)
        >>> VisitRecord(id="v2", resident="r", member="m", at=datetime(2026, 1, 1),
        ...             mode=VisitMode.PHONE)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'at' of VisitRecord must be a timezone-aware datetime (got naive 2026-01-01T00:00:00); pass tzinfo=gridgov.CST or another timezone.
    """

    id: str = attrs.field(validator=v.ident)
    resident: str = attrs.field(validator=v.ident)
    member: str = attrs.field(validator=v.ident)
    at: datetime = attrs.field(validator=v.aware)
    mode: VisitMode = attrs.field(default=VisitMode.IN_PERSON, validator=v.is_a(VisitMode))
    findings: str = attrs.field(default="", validator=v.personal_text, repr=False)
    issue_id: str | None = attrs.field(default=None, validator=v.optional(v.ident))

    day_number: int = attrs.field(init=False, eq=False, hash=False, repr=False)
    """The day of the visit as a day number (``date.toordinal()``), precomputed for sweeps
    over many records (advanced)."""
    mode_position: int = attrs.field(init=False, eq=False, hash=False, repr=False)
    """The position of :attr:`mode` in :class:`VisitMode`, precomputed for sweeps
    (advanced)."""

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "day_number", self.at.date().toordinal())
        object.__setattr__(self, "mode_position", _SLOT[self.mode])

    @property
    def day(self) -> date:
        """The day of the visit (the date of ``at`` in its own offset).

        Example:
            >>> from datetime import datetime, timedelta, timezone
            >>> VisitRecord(id="v", resident="r", member="m",
            ...             at=datetime(2026, 1, 1, 23, tzinfo=timezone(timedelta(hours=-5)))).day
            datetime.date(2026, 1, 1)
        """
        return date.fromordinal(self.day_number)


def _same(a: VisitRecord, b: VisitRecord) -> bool:
    """Whether *b* repeats *a* exactly (equal, and on the same day in its own offset)."""
    return a == b and a.day_number == b.day_number


def _unique(
    records: Iterable[VisitRecord], ids: dict[str, VisitRecord], what: str
) -> list[VisitRecord]:
    """The records not already in *ids* (adding them); a record given twice is kept once, and
    two different records with one id are refused."""
    if not ids:  # the common case: every id new, and once
        items = records if isinstance(records, tuple) else tuple(records)
        ids.update({rec.id: rec for rec in items})
        if len(ids) == len(items):
            return list(items)
        ids.clear()
        records = items
    kept: list[VisitRecord] = []
    for rec in records:
        seen = ids.get(rec.id)
        if seen is None:
            ids[rec.id] = rec
            kept.append(rec)
        elif not _same(seen, rec):
            raise InvalidValueError(
                f"{what} must not hold two different records with one id (got two records "
                f"{rec.id!r}: of {seen.resident!r} at {seen.at.isoformat()} and of "
                f"{rec.resident!r} at {rec.at.isoformat()})."
            )
    return kept


@register
@attrs.frozen(kw_only=True)
class VisitLog:
    """Visit records grouped by resident once, and kept grouped as new records arrive.

    :func:`~gridgov.visits.due_visits` over a plain iterable groups every record it is
    given, each time; a city sweeping every day over a year of visits would group the same
    records every day.  A log groups them when it is built, and :meth:`with_records` folds
    in only the new ones (copying the index, not regrouping it), so a daily sweep over a log
    reads each resident's last visits with one look-up.  A sweep of a day before the log's
    latest record still ignores the later records (it sweeps :meth:`as_of` that day).

    Record ids are unique in a log: a record given twice (equal in every field) is kept
    once, so that records delivered again are harmless, and two different records with one
    id are refused.

    A log is a value: equal when its records are; it iterates over its records, so it can be
    passed wherever records are expected, and it round-trips through ``to_dict``.  Its index
    is built when the log is built and never changes.

    Raises:
        InvalidValueError: for something that is not a :class:`VisitRecord`, or two
            different records with one id.

    Example:
        >>> from datetime import date, datetime
        >>> from gridgov import CST
        >>> log = VisitLog(records=[VisitRecord(id="v1", resident="r-lu", member="m-li",
        ...                                     at=datetime(2026, 11, 20, 9, tzinfo=CST))])
        >>> log = log.with_records([VisitRecord(id="v2", resident="r-lu", member="m-li",
        ...                                     at=datetime(2026, 11, 25, 9, tzinfo=CST))])
        >>> len(log), log.last_visit("r-lu"), log.last_visit("r-zhang")
        (2, datetime.date(2026, 11, 25), None)
        >>> log.with_records([VisitRecord(id="v2", resident="r-zhang", member="m-li",
        ...                               at=datetime(2026, 11, 26, 9, tzinfo=CST))])
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'records' must not hold two different records with one id (got two records 'v2': of 'r-lu' at 2026-11-25T09:00:00+08:00 and of 'r-zhang' at 2026-11-26T09:00:00+08:00).
    """

    records: tuple[VisitRecord, ...] = attrs.field(
        default=(),
        converter=v.to_tuple,
        # one loop over a city's records, not a call per record
        validator=[v.tuple_of(), v.instances_of(VisitRecord)],
    )

    # Built at construction, read-only: record id → record, and the records grouped by
    # resident (day numbers).
    _ids: Mapping[str, VisitRecord] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _index: RecordIndex = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        ids: dict[str, VisitRecord] = {}
        kept = _unique(self.records, ids, "'records' of VisitLog")
        if len(kept) != len(self.records):
            object.__setattr__(self, "records", tuple(kept))
        object.__setattr__(self, "_ids", MappingProxyType(ids))
        object.__setattr__(self, "_index", _index.index(kept))


    @property
    def index(self) -> RecordIndex:
        """The records grouped by resident (day numbers), built once with the log — what the
        due sweep reads.  An advanced API: the value is opaque and read-only.

        Example:
            >>> len(VisitLog().index.last)
            0
        """
        return self._index
    def __iter__(self) -> Iterator[VisitRecord]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    def has_id(self, record_id: str) -> bool:
        """Whether the log holds a record with id *record_id*.

        Example:
            >>> VisitLog().has_id("v1")
            False
        """
        return record_id in self._ids

    def __contains__(self, record: object) -> bool:
        if not isinstance(record, VisitRecord):
            return False
        found = self._ids.get(record.id)
        return found is not None and _same(found, record)

    def with_records(self, records: Iterable[VisitRecord]) -> VisitLog:
        """A new log with *records* added, folding in only them (records already in the log
        are kept once).

        Raises:
            InvalidValueError: for something that is not a :class:`VisitRecord`, or a record
                whose id is taken by a different record.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> v = VisitRecord(id="v1", resident="r-lu", member="m-li",
            ...                 at=datetime(2026, 11, 20, 9, tzinfo=CST))
            >>> VisitLog().with_records([v]) == VisitLog(records=[v])
            True
            >>> VisitLog(records=[v]).with_records([v]) == VisitLog(records=[v])
            True
        """
        new = _args.items(records, VisitRecord, "records")
        ids = dict(self._ids)
        kept = _unique(new, ids, "'records'")
        if not kept:
            return self
        return self._make(self.records + tuple(kept), ids, _index.index(kept, self._index))

    @classmethod
    def _make(
        cls, records: tuple[VisitRecord, ...], ids: dict[str, VisitRecord], index: RecordIndex
    ) -> VisitLog:
        log: VisitLog = object.__new__(cls)
        object.__setattr__(log, "records", records)
        object.__setattr__(log, "_ids", MappingProxyType(ids))
        object.__setattr__(log, "_index", index)
        return log

    def as_of(self, on: date) -> VisitLog:
        """The log of the records dated on or before *on* (itself if there is no later one):
        what a sweep of day *on* reads.

        Example:
            >>> from datetime import date, datetime
            >>> from gridgov import CST
            >>> log = VisitLog(records=[
            ...     VisitRecord(id=f"v{d}", resident="r-lu", member="m-li",
            ...                 at=datetime(2026, 11, d, 9, tzinfo=CST)) for d in (20, 25)])
            >>> log.as_of(date(2026, 11, 24)).last_visit("r-lu")
            datetime.date(2026, 11, 20)
        """
        v.check_date("on", on)
        day = on.toordinal()
        if self._index.latest <= day:
            return self
        kept = tuple(rec for rec in self.records if rec.day_number <= day)
        return self._make(kept, {rec.id: rec for rec in kept}, _index.index(kept))

    @property
    def latest(self) -> date | None:
        """The day of the latest record, or ``None`` for an empty log.

        Example:
            >>> VisitLog().latest is None
            True
        """
        latest = self._index.latest
        return date.fromordinal(latest) if latest else None

    def last_visit(self, resident: str, mode: VisitMode | None = None) -> date | None:
        """The day of *resident*'s last visit (in *mode*, if given), or ``None``.

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> log = VisitLog(records=[VisitRecord(id="v1", resident="r-lu", member="m-li",
            ...     at=datetime(2026, 11, 20, 9, tzinfo=CST), mode=VisitMode.PHONE)])
            >>> log.last_visit("r-lu", VisitMode.PHONE), log.last_visit("r-lu", VisitMode.VIDEO)
            (datetime.date(2026, 11, 20), None)
        """
        v.check_ident("resident", resident)
        if mode is None:
            days = self._index.last
        else:
            v.check_instance("mode", mode, VisitMode)
            days = self._index.modes[_SLOT[mode]]
        found = days.get(resident)
        return None if found is None else date.fromordinal(found)


def check_records(
    residents: Iterable[Resident] | ResidentFiles, records: Iterable[VisitRecord]
) -> None:
    """Check that every record names a resident of *residents* and is not dated before the
    resident's file was opened.

    :func:`~gridgov.visits.due_visits` checks the records of each resident it evaluates as
    it goes (and all of them with ``check=True``); this checks everything up front.

    Raises:
        UnknownResidentError: for a record of a resident without a file.
        InvalidValueError: naming the record, the resident and the day; or for arguments
            that are not residents and records.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> from gridgov.demo import sample_residents
        >>> check_records(sample_residents(), [VisitRecord(id="v9", resident="r-nobody",
        ...     member="m-li", at=datetime(2026, 11, 25, 9, tzinfo=CST))])
        Traceback (most recent call last):
        ...
        gridgov.errors.UnknownResidentError: 'resident' of VisitRecord 'v9' must name a resident with a file (got 'r-nobody').
        >>> check_records(sample_residents(), [VisitRecord(id="v8", resident="r-lu",
        ...     member="m-li", at=datetime(2023, 4, 30, 9, tzinfo=CST))])
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'at' of VisitRecord 'v8' must not be before resident 'r-lu''s file was opened on 2023-05-01 (got 2023-04-30).
    """
    found = _args.files(residents)
    for rec in records.records if isinstance(records, VisitLog) else _args.items(
        records, VisitRecord, "records"
    ):
        resident = found.get(rec.resident)
        if resident is None:
            raise UnknownResidentError(
                f"'resident' of VisitRecord {rec.id!r} must name a resident with a file "
                f"(got {rec.resident!r})."
            )
        if resident.file_opened is not None and rec.day_number < resident.file_opened.toordinal():
            raise _args.before_file(resident, rec.day_number, [rec])
