"""Privacy: who may see which residents and cases, redaction, and access records.

Personal files (一人一档) hold what PIPL (个人信息保护法) calls sensitive personal
information; processing must be limited to what the purpose needs (Art. 6), with operating
permissions (Art. 51).

* :mod:`gridgov.privacy.sensitivity` — :class:`Sensitivity`, :class:`Purpose` and the
  :class:`SensitivityTable` (:data:`DEFAULT_SENSITIVITY`): each field's class as data, and
  which classes each purpose may see.
* :mod:`gridgov.privacy.scopes` — :class:`Scope` (a member's posts or a partner's links,
  plus a purpose), :func:`may_see` and :func:`visible`: deny by default, every answer
  explained.
* :mod:`gridgov.privacy.records` — :class:`AccessDecision` and :class:`AccessRecord`: who, what,
  why, when, allowed or not, for the app's audit trail.
* :mod:`gridgov.privacy.redaction` — :func:`redact`, :func:`export` and
  :func:`suppress_small_cells`.

Example:
    >>> from datetime import date
    >>> from gridgov.demo import sample_grid, sample_residents
    >>> grid, lu = sample_grid(), sample_residents()[-1]
    >>> li = Scope.of_member(grid.member("m-li"), purpose=Purpose.VISIT, on=date(2026, 11, 26))
    >>> may_see(li, lu, grid=grid).rule, redact(lu, li, grid=grid) == lu
    ('post_subtree', True)
"""

from __future__ import annotations

from gridgov.privacy.records import ACCESS_RULES, AccessDecision, AccessRecord
from gridgov.privacy.redaction import export, redact, suppress_small_cells
from gridgov.privacy.scopes import Scope, may_see, visible
from gridgov.privacy.sensitivity import (
    DEFAULT_SENSITIVITY,
    ConditionClass,
    FieldClass,
    Purpose,
    PurposeClasses,
    Sensitivity,
    SensitivityTable,
)

__all__ = [
    "ACCESS_RULES",
    "DEFAULT_SENSITIVITY",
    "AccessDecision",
    "AccessRecord",
    "ConditionClass",
    "FieldClass",
    "Purpose",
    "PurposeClasses",
    "Scope",
    "Sensitivity",
    "SensitivityTable",
    "export",
    "may_see",
    "redact",
    "suppress_small_cells",
    "visible",
]
