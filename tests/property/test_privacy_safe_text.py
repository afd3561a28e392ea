"""Safe by default: ``repr``, ``str`` and error messages of values built from generated
residents hold none of their names, birth dates, condition notes or free text.

Names, notes and free text are drawn from alphabets no other part of a value uses, so
finding one in a text can only mean it leaked; a birth date is searched in the forms a
message could print it (ISO, and ``date``'s repr).  Every error is raised by a real door —
a constructor, ``from_dict``, ``age_on``, the index of files — fed the generated data.
Ids are not personal data and messages show them (a name put where an id goes is shown as
the id it was given as).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridgov import (
    CST,
    Channel,
    Condition,
    GridGovError,
    Issue,
    Reporter,
    Resident,
    ResidentFiles,
    from_dict,
    to_dict,
)
from gridgov.cases import Accepted, Rejected, Resolved
from gridgov.testing.strategies import conditions, residents
from gridgov.visits import DEFAULT_POLICY, VisitRecord, next_due

NAMES = st.text(alphabet="αβγδεζηθ", min_size=1, max_size=3).map(lambda s: f"吕{s}")
NOTES = st.text(alphabet="ικλμνξοπ", min_size=2, max_size=12).map(lambda s: f"注{s}")
TEXTS = st.text(alphabet="ρστυφχψω", min_size=2, max_size=40).map(lambda s: f"述{s}")
FILES = residents(
    names=NAMES,
    conditions=conditions().flatmap(lambda c: NOTES.map(lambda n: attrs.evolve(c, note=n))),
    min_birth_date=date(1920, 1, 2),
    max_birth_date=date(1999, 12, 31),  # conditions are dated from 2000: no date in common
)
AT = datetime(2026, 11, 26, 10, tzinfo=CST)


def _secrets(r: Resident, text: str) -> list[str]:
    b = r.birth_date
    return [r.name, b.isoformat(), repr(b), f"{b.year}, {b.month}, {b.day}", text] + [
        c.note for c in r.conditions if c.note
    ]


def _leaks(found: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if s in found]


def _values(r: Resident, text: str) -> list[object]:
    issue = Issue(
        id="i-1",
        category="elder_care",
        severity=2,
        channel=Channel.VISIT,
        place=r.household,
        resident=r.id,
        reporter=Reporter.resident(r.id),
        reported_at=AT,
        description=text,
    )
    record = VisitRecord(id="v-1", resident=r.id, member="m-li", at=AT, findings=text)
    due = next_due(r, [], DEFAULT_POLICY, on=date(2026, 11, 26))
    return [
        r,
        *r.conditions,
        ResidentFiles([r]),
        issue,
        record,
        Accepted(at=AT, actor="m-li", note=text),
        Rejected(at=AT, actor="m-li", reason=text),
        Resolved(at=AT, actor="m-li", summary=text),
        DEFAULT_POLICY.requirement(r, on=date(2026, 11, 26)),
        *([due] if due is not None else []),
    ]


def _doors(r: Resident, text: str) -> list[Callable[[], Any]]:
    b = r.birth_date
    day = timedelta(days=1)
    data = to_dict(r)
    return [
        lambda: attrs.evolve(r, name=r.name + "\n"),
        lambda: attrs.evolve(r, name=" "),
        lambda: attrs.evolve(r, birth_date=datetime(b.year, b.month, b.day, tzinfo=CST)),
        lambda: attrs.evolve(r, file_opened=b - day, tracked_since=None),
        lambda: attrs.evolve(r, file_opened=None, tracked_since=b - day),
        lambda: attrs.evolve(r, conditions=[Condition(kind="injured", note=text)] * 101),
        lambda: r.age_on(b - day),
        lambda: Condition(kind="injured", note=text * 4000),
        lambda: ResidentFiles([r, r]),
        lambda: ResidentFiles({"r-other": r}),
        lambda: ResidentFiles.of(r.name),  # type: ignore[arg-type]
        lambda: ResidentFiles([r])["r-other"],
        lambda: from_dict({**data, "birth_date": r.name}),
        lambda: from_dict({**data, "name": [r.name, b.isoformat()]}),
        lambda: from_dict({**data, "birth_date": b.isoformat() + "T00:00"}),
        lambda: from_dict({**data, "conditions": [{"type": "Condition", "kind": text}]}),
        lambda: Issue(
            id="i", category="dispute", severity=2, channel=Channel.APP, reported_at=AT,
            reporter=Reporter.resident(r.id), description=text * 4000,
        ),
        lambda: VisitRecord(id="v", resident=r.id, member="m", at=AT, findings=[text]),
        lambda: Rejected(at=AT, actor="m", reason="   "),
        lambda: Accepted(at=AT, actor="m", note=text * 4000),
    ]


@given(FILES, TEXTS)
def test_repr_and_str_hold_no_personal_data(r: Resident, text: str) -> None:
    secrets = _secrets(r, text)
    for value in _values(r, text):
        for shown in (repr(value), str(value)):
            assert not _leaks(shown, secrets), (type(value).__name__, _leaks(shown, secrets))


@given(FILES, TEXTS)
def test_error_messages_hold_no_personal_data(r: Resident, text: str) -> None:
    secrets = _secrets(r, text)
    for door in _doors(r, text):
        with pytest.raises(GridGovError) as caught:
            door()
        message = str(caught.value)
        assert not _leaks(message, secrets), (message, _leaks(message, secrets))
