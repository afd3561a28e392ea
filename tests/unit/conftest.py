"""Fixtures for the unit tests: ``cal``, the office calendar, and ``holiday_cal``, the office
calendar with the 2025 National Day holidays and make-up workdays (the calendar tests,
``test_calendar_working_time.py`` and ``test_calendar_deadlines.py``, use them).
"""

from __future__ import annotations

import pytest
from calendar_builders import MAKE_UP, NATIONAL_DAY

from gridgov.calendar import WorkCalendar


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture
def holiday_cal() -> WorkCalendar:
    return WorkCalendar(holidays=NATIONAL_DAY, workdays=MAKE_UP)
