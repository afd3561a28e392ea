"""Interop: gridgov meets the formats its users already have.

* :mod:`gridgov.interop.hotline` — :func:`import_hotline`: rows of a 12345 hotline's export
  (as ``csv.DictReader`` gives them) → issues, and every row that could not become one,
  with the reason.
* :mod:`gridgov.interop.summary` — :func:`summarize`: a case as one flat
  :class:`CaseSummary` for lists and front-ends (status, owner, deadlines and their traffic
  light, escalations, last event).
* :mod:`gridgov.interop.open311` — Open311 GeoReport v2: services from the catalogue,
  service requests from cases (JSON-ready dicts and XML), a POSTed request read into an issue.

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
from gridgov.interop.open311 import (
    OPEN311_PERSONAL_FIELDS,
    OPEN311_REQUEST_FIELDS,
    OPEN311_SERVICE_FIELDS,
    issue_from_open311,
    open311_request,
    open311_requests,
    open311_services,
    open311_xml,
)
from gridgov.interop.summary import CaseSummary, summaries, summarize

__all__ = [
    "DEFAULT_HOTLINE",
    "MAX_HOTLINE_LABELS",
    "MAX_HOTLINE_ROWS",
    "OPEN311_PERSONAL_FIELDS",
    "OPEN311_REQUEST_FIELDS",
    "OPEN311_SERVICE_FIELDS",
    "CaseSummary",
    "HotlineColumns",
    "HotlineFormat",
    "HotlineImport",
    "RejectedRow",
    "RowProblem",
    "import_hotline",
    "issue_from_open311",
    "open311_request",
    "open311_requests",
    "open311_services",
    "open311_xml",
    "summaries",
    "summarize",
]
