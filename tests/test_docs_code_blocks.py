"""Every ```python block in docs/ runs too (the ```pycon blocks run as doctests).

The one in "Working calendar" uses the third-party ``chinese_calendar`` package, which gridgov
does not depend on: it runs here against a stand-in module with the same three functions and
a small, made-up part of the 2026 arrangement.
"""

from __future__ import annotations

import re
import sys
import types
from datetime import date, timedelta
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)

HOLIDAYS = {date(2026, 10, d) for d in range(1, 9)}  # National Day week (stand-in data)
WORKDAYS = {date(2026, 9, 27), date(2026, 10, 10)}  # two make-up Saturdays/Sundays


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _stand_in() -> types.ModuleType:
    module = types.ModuleType("chinese_calendar")

    def is_holiday(day: date) -> bool:
        return day in HOLIDAYS or (day.weekday() >= 5 and day not in WORKDAYS)

    def get_holidays(first: date, last: date, include_weekends: bool = True) -> list[date]:
        return [
            d for d in _days(first, last)
            if is_holiday(d) and (include_weekends or d.weekday() < 5)
        ]

    def get_workdays(first: date, last: date) -> list[date]:
        return [d for d in _days(first, last) if not is_holiday(d)]

    module.is_holiday = is_holiday  # type: ignore[attr-defined]
    module.get_holidays = get_holidays  # type: ignore[attr-defined]
    module.get_workdays = get_workdays  # type: ignore[attr-defined]
    return module


BLOCKS = [
    pytest.param(page, code, id=f"{page.name}:{n}")
    for page in sorted(DOCS.glob("*.md"))
    for n, code in enumerate(BLOCK.findall(page.read_text(encoding="utf-8")))
]


def test_there_are_python_blocks_to_run() -> None:
    assert BLOCKS, "no ```python blocks found: the pattern or the docs changed"


@pytest.mark.parametrize(("page", "code"), BLOCKS)
def test_python_block_runs(page: Path, code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "chinese_calendar", _stand_in())
    namespace: dict[str, object] = {}
    exec(compile(code, str(page), "exec"), namespace)
    if "calendar" in namespace:  # the calendar page's block builds one: check what it fed in
        from gridgov.calendar import WorkCalendar

        cal = namespace["calendar"]
        assert isinstance(cal, WorkCalendar)
        assert not cal.is_working_day(date(2026, 10, 5))  # a weekday of the holiday week
        assert cal.is_working_day(date(2026, 10, 10))  # a make-up Saturday
        assert cal.is_working_day(date(2026, 10, 9))  # an ordinary Friday
