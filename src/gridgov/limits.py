"""The limits of gridgov's doors, in one place: what every constructor and ``from_dict``
refuses, so that no input can stall the library or break it later.

Each limit lives beside the value it bounds; this module gathers them for apps that check
their own input first or document it to their users.  The "Untrusted input" page explains
each door.

=============================  ===========  ================================================
limit                          value        bounds
=============================  ===========  ================================================
:data:`MAX_ID`                 200          characters of an id (NFC, no control or
                                            zero-width characters, no outer spaces)
:data:`MAX_CODE`               64           characters of a code (``^[a-z][a-z0-9_]*$``)
:data:`MAX_NAME`               200          characters of a name or a label
:data:`MAX_TEXT`               4,000        characters of free text
:data:`MIN_YEAR`,              1800, 2200   the years of every date and moment
:data:`MAX_YEAR`
:data:`MAX_TIERS`              16           tiers of a scheme (units in a chain)
:data:`MAX_CATEGORIES`         10,000       categories of a catalogue
:data:`MAX_CONDITIONS`         100          conditions on a personal file
:data:`MAX_AGE`                150          years in a criterion
:data:`MAX_HOLIDAYS`           10,000       holidays and make-up workdays of a calendar
:data:`MAX_LIMIT_DAYS`         3,653        days of a time limit (ten years)
:data:`MAX_RULES`              1,000        rules of a rule set
:data:`MAX_MATRIX_LINES`       1,000,000    lines of a responsibility matrix
:data:`MAX_EVENTS`             100,000      events of a case
:data:`MAX_CO_HANDLERS`        200          co-handlers of a case
:data:`MAX_SLAS`               1,000        SLAs of an escalation policy
:data:`MAX_TRIGGER_COUNT`      1,000        ``repeat_count`` and ``dissatisfied_count``
:data:`MAX_REPEAT_WINDOW`      3 years      ``repeat_window``
:data:`MAX_NOTE`               1,000        characters of an escalation's note
:data:`MAX_VISIT_RULES`        200          rules of a visit policy
:data:`MAX_VISIT_DAYS`         3,650        days between visits, or of grace
:data:`MAX_RRULE_COUNT`        3,660        ``COUNT`` of an explicit rrule
:data:`MAX_PLAN_DAYS`          366          days of a visit plan
:data:`MAX_HOTLINE_ROWS`       10,000,000   rows of one hotline import
:data:`MAX_HOTLINE_LABELS`     100,000      labels of a hotline's own label table
=============================  ===========  ================================================

Example:
    >>> from gridgov import limits
    >>> limits.MAX_ID, limits.MAX_TEXT, (limits.MIN_YEAR, limits.MAX_YEAR)
    (200, 4000, (1800, 2200))
"""

from __future__ import annotations

from gridgov._validators import MAX_CODE, MAX_ID, MAX_NAME, MAX_TEXT, MAX_YEAR, MIN_YEAR
from gridgov.calendar import MAX_HOLIDAYS, MAX_LIMIT_DAYS
from gridgov.cases import MAX_CO_HANDLERS, MAX_EVENTS
from gridgov.criteria import MAX_AGE
from gridgov.escalation import MAX_NOTE, MAX_REPEAT_WINDOW, MAX_SLAS, MAX_TRIGGER_COUNT
from gridgov.interop import MAX_HOTLINE_LABELS, MAX_HOTLINE_ROWS
from gridgov.issues import MAX_CATEGORIES
from gridgov.people import MAX_CONDITIONS
from gridgov.routing import MAX_MATRIX_LINES, MAX_RULES
from gridgov.tiers import MAX_TIERS
from gridgov.visits import MAX_PLAN_DAYS, MAX_RRULE_COUNT, MAX_VISIT_DAYS, MAX_VISIT_RULES

__all__ = [
    "MAX_AGE",
    "MAX_CATEGORIES",
    "MAX_CODE",
    "MAX_CONDITIONS",
    "MAX_CO_HANDLERS",
    "MAX_EVENTS",
    "MAX_HOLIDAYS",
    "MAX_HOTLINE_LABELS",
    "MAX_HOTLINE_ROWS",
    "MAX_ID",
    "MAX_LIMIT_DAYS",
    "MAX_MATRIX_LINES",
    "MAX_NAME",
    "MAX_NOTE",
    "MAX_PLAN_DAYS",
    "MAX_REPEAT_WINDOW",
    "MAX_RRULE_COUNT",
    "MAX_RULES",
    "MAX_SLAS",
    "MAX_TEXT",
    "MAX_TIERS",
    "MAX_TRIGGER_COUNT",
    "MAX_VISIT_DAYS",
    "MAX_VISIT_RULES",
    "MAX_YEAR",
    "MIN_YEAR",
]
