"""Interop: gridgov meets the formats its users already have.

* :mod:`gridgov.interop.hotline` — :func:`import_hotline`: rows of a 12345 hotline's export
  (as ``csv.DictReader`` gives them) → issues, and every row that could not become one,
  with the reason.

Example:
    >>> found = import_hotline([{"工单编号": "A1", "诉求类别": "矛盾纠纷", "来电时间": "2026-11-26 22:10"}])
    >>> found.issues[0].category, found.unlocated
    ('dispute', ('A1',))
"""

from __future__ import annotations

from gridgov.interop.hotline import (
    DEFAULT_HOTLINE,
    MAX_HOTLINE_LABELS,
    MAX_HOTLINE_ROWS,
    HotlineColumns,
    HotlineFormat,
    HotlineImport,
    RejectedRow,
    RowProblem,
    import_hotline,
)

__all__ = [
    "DEFAULT_HOTLINE",
    "MAX_HOTLINE_LABELS",
    "MAX_HOTLINE_ROWS",
    "HotlineColumns",
    "HotlineFormat",
    "HotlineImport",
    "RejectedRow",
    "RowProblem",
    "import_hotline",
]
