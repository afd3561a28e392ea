"""Open311 GeoReport v2: services from the catalogue, service requests from cases, in JSON
and XML, and a POSTed service request read into an issue.

`GeoReport v2 <https://wiki.open311.org/GeoReport_v2>`_ is the open standard for 311-style
non-emergency requests.  gridgov exports:

* **services** (``GET services``): one per category of the catalogue — ``service_code`` is
  the category's code, ``service_name`` its Chinese label, ``group`` the label of the broad
  category it refines, ``metadata`` false (no extra attributes), ``type`` realtime;
* **service requests** (``GET requests``): one per case, from its :class:`CaseSummary` —
  ``status`` is ``open`` while the loop runs and ``closed`` once it has ended (rejected,
  closed, evaluated or merged), ``status_notes`` the Chinese status and last event,
  ``agency_responsible`` the owning unit's name, ``expected_datetime`` the resolve deadline
  in force, ``address_id`` the place (``address`` only from the app's own address table);
  every moment in ISO 8601 with its offset (+08:00).

Personal fields (``first_name``, ``last_name``, ``email``, ``phone``, ``device_id``,
``account_id``) are never exported; when a request is POSTed they are read past and never
kept.  :func:`open311_xml` writes either list as the XML the standard requires
(``xml.etree``, UTF-8 with the XML declaration); the lists themselves are the JSON form
(``json.dumps(..., ensure_ascii=False)``).

Example:
    >>> from gridgov import DEFAULT_CATALOGUE
    >>> from gridgov.demo import sample_case, sample_policy
    >>> case = sample_case()
    >>> (req,) = open311_requests([case], at=case.updated_at, calendar=sample_policy().calendar)
    >>> req["service_request_id"], req["status"], req["service_code"], req["agency_responsible"]
    ('yx-2026-1126-01', 'open', 'elder_care', '第三网格')
    >>> req["requested_datetime"], req["address_id"], "phone" in req
    ('2026-11-26T10:15:00+08:00', 'h-1001', False)
    >>> open311_services(DEFAULT_CATALOGUE)[0]["service_name"]
    '矛盾纠纷'
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Literal

import gridgov._validators as v
from gridgov.calendar import WorkCalendar
from gridgov.cases import Case
from gridgov.errors import InvalidValueError, UnknownPlaceError
from gridgov.grid import GridGraph
from gridgov.interop.summary import CaseSummary, summarize
from gridgov.issues import (
    DEFAULT_CATALOGUE,
    CategoryCatalogue,
    Channel,
    Issue,
    Reporter,
    ReporterKind,
)

__all__ = [
    "OPEN311_PERSONAL_FIELDS",
    "OPEN311_REQUEST_FIELDS",
    "OPEN311_SERVICE_FIELDS",
    "issue_from_open311",
    "open311_request",
    "open311_requests",
    "open311_services",
    "open311_xml",
]

OPEN311_SERVICE_FIELDS = (
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
)
"""The fields of a GeoReport v2 service, in the standard's order."""

OPEN311_REQUEST_FIELDS = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
)
"""The fields of a GeoReport v2 service request, in the standard's order."""

OPEN311_PERSONAL_FIELDS = frozenset(
    {"first_name", "last_name", "email", "phone", "device_id", "account_id"}
)
"""The personal fields a POSTed request may carry (read past, never kept or exported)."""

_POST_FIELDS = frozenset(
    {
        "jurisdiction_id",
        "api_key",
        "service_code",
        "lat",
        "long",
        "address_string",
        "address_id",
        "description",
        "media_url",
    }
)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def open311_services(catalogue: CategoryCatalogue = DEFAULT_CATALOGUE) -> list[dict[str, object]]:
    """The catalogue as GeoReport v2 services, one per category, in the catalogue's order.

    Example:
        >>> from gridgov import DEFAULT_CATALOGUE
        >>> s = [x for x in open311_services(DEFAULT_CATALOGUE) if x["service_code"] == "housekeeping"][0]
        >>> s["service_name"], s["group"], s["metadata"], s["type"]
        ('家政', '志愿服务', False, 'realtime')
    """
    v.check_instance("catalogue", catalogue, CategoryCatalogue)
    out: list[dict[str, object]] = []
    for category in catalogue:
        lineage = catalogue.lineage(category.code)
        broad = catalogue[lineage[-1]]
        out.append(
            {
                "service_code": category.code,
                "service_name": category.zh,
                "description": f"{category.zh}（{category.label}）",
                "metadata": False,
                "type": "realtime",
                "keywords": ", ".join(dict.fromkeys([category.zh, category.label, category.code])),
                "group": broad.zh,
            }
        )
    return out


def open311_request(
    summary: CaseSummary,
    *,
    description: str = "",
    addresses: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """One case's summary as a GeoReport v2 service request (see the module's notes).

    Args:
        summary: the case's summary (:func:`~gridgov.interop.summary.summarize`).
        description: the request's description (the issue's, as the resident gave it).
        addresses: the app's own address for each place id it may publish (a place without
            one has no ``address``: gridgov keeps no addresses).

    Example:
        >>> from gridgov.demo import sample_case, sample_policy
        >>> from gridgov.interop.summary import summarize
        >>> case = sample_case()
        >>> s = summarize(case, at=case.updated_at, calendar=sample_policy().calendar)
        >>> r = open311_request(s, addresses={"h-1001": "美好人家1号楼"})
        >>> r["status_notes"], r["address"], r["expected_datetime"]
        ('已立案（最近：联动）', '美好人家1号楼', '2026-12-01T10:40:00+08:00')
    """
    v.check_instance("summary", summary, CaseSummary)
    v.check_text("description", description)
    address = None
    if addresses is not None and summary.place is not None:
        if not isinstance(addresses, Mapping):
            raise v.refuse("addresses", None, "a mapping of place id → address", addresses)
        found = addresses.get(summary.place)
        address = None if found is None else v.check_text("addresses", found)
    notice = f"由{summary.owner_name}办理"
    if summary.resolve_due is not None and summary.is_open:
        notice += f"，办结时限 {summary.resolve_due:%Y-%m-%d %H:%M}"
    return {
        "service_request_id": summary.id,
        "status": "open" if summary.is_open else "closed",
        "status_notes": f"{summary.status.zh}（最近：{summary.last_event_zh}）",
        "service_name": summary.category_name,
        "service_code": summary.category,
        "description": description,
        "agency_responsible": summary.owner_name,
        "service_notice": notice,
        "requested_datetime": _iso(summary.reported_at),
        "updated_datetime": _iso(summary.updated_at),
        "expected_datetime": _iso(summary.resolve_due),
        "address": address,
        "address_id": summary.place,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def open311_requests(
    cases: Iterable[Case],
    *,
    at: datetime,
    calendar: WorkCalendar,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    addresses: Mapping[str, str] | None = None,
) -> list[dict[str, object]]:
    """Cases as GeoReport v2 service requests, in order (``GET requests``), each through its
    :func:`~gridgov.interop.summary.summarize` at *at*.

    Example:
        >>> from gridgov.demo import sample_case, sample_policy
        >>> case = sample_case()
        >>> [r["service_name"] for r in open311_requests([case], at=case.updated_at,
        ...                                              calendar=sample_policy().calendar)]
        ['养老关爱']
    """
    if isinstance(cases, str | bytes) or not isinstance(cases, Iterable):
        raise v.refuse("cases", None, "an iterable of cases", cases)
    return [
        open311_request(
            summarize(case, at=at, calendar=calendar, catalogue=catalogue),
            description=case.issue.description,
            addresses=addresses,
        )
        for case in cases
    ]


def open311_xml(
    items: Iterable[Mapping[str, object]], *, kind: Literal["services", "requests"]
) -> str:
    """Services or service requests as the GeoReport v2 XML document (UTF-8, with the XML
    declaration): ``<services><service>…`` or ``<service_requests><request>…``, fields in
    the standard's order, ``None`` as an empty element, booleans as ``true``/``false``.

    Example:
        >>> from gridgov import DEFAULT_CATALOGUE
        >>> print(open311_xml(open311_services(DEFAULT_CATALOGUE)[:1], kind="services"))
        <?xml version='1.0' encoding='UTF-8'?>
        <services><service><service_code>dispute</service_code><service_name>矛盾纠纷</service_name><description>矛盾纠纷（dispute）</description><metadata>false</metadata><type>realtime</type><keywords>矛盾纠纷, dispute</keywords><group>矛盾纠纷</group></service></services>
    """
    fields: tuple[str, ...]
    if kind == "services":
        root, element, fields = "services", "service", OPEN311_SERVICE_FIELDS
    elif kind == "requests":
        root, element, fields = "service_requests", "request", OPEN311_REQUEST_FIELDS
    else:
        raise v.refuse("kind", None, "'services' or 'requests'", kind)
    top = ET.Element(root)
    for n, item in enumerate(items):
        if not isinstance(item, Mapping) or set(item) != set(fields):
            raise v.refuse(
                f"items[{n}]", None, f"a GeoReport v2 {element} with its fields", type(item)
            )
        node = ET.SubElement(top, element)
        for name in fields:
            value = item[name]
            child = ET.SubElement(node, name)
            if value is not None:
                child.text = (
                    ("true" if value else "false") if isinstance(value, bool) else str(value)
                )
    return ET.tostring(top, encoding="unicode", xml_declaration=False).join(
        ("<?xml version='1.0' encoding='UTF-8'?>\n", "")
    )


def issue_from_open311(
    form: Mapping[str, object],
    *,
    id: str,
    at: datetime,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    grid: GridGraph | None = None,
    reporter: Reporter | None = None,
    channel: Channel = Channel.APP,
) -> Issue:
    """A POSTed GeoReport v2 service request (``POST requests``: its form fields) as an issue.

    ``service_code`` names the category; ``address_id`` the place (checked against *grid* if
    given); a request located only by ``lat``/``long`` or ``address_string`` becomes an
    unlocated issue (待定位: gridgov does not geocode).  The personal fields
    (:data:`OPEN311_PERSONAL_FIELDS`) are read past and never kept; any other field not in
    the standard is refused, as are ``attribute[…]`` fields (gridgov's services declare
    none).

    Args:
        form: the request's fields.
        id: the id the app gives the issue (the ``service_request_id`` it will answer with).
        at: when the request was received (the issue's ``reported_at``).
        catalogue: the catalogue the service code must be in.
        grid: the grid the place must be in, if given.
        reporter: who reported it, if the app knows (default: anonymous).
        channel: how it arrived (default: the app, 小程序).

    Raises:
        InvalidValueError: naming the field, for a missing service code, no location, an
            unknown field, or a bad value.
        PolicyError: if the service code is not a code of the catalogue.
        UnknownPlaceError: if *grid* is given and has no such place.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> issue = issue_from_open311(
        ...     {"service_code": "facility_repair", "address_id": "h-1001",
        ...      "description": "楼道灯不亮", "first_name": "张", "phone": "138..."},
        ...     id="o311-1", at=datetime(2026, 11, 26, 10, 15, tzinfo=CST))
        >>> issue.category, issue.place, issue.reporter.kind.value, issue.channel.zh
        ('facility_repair', 'h-1001', 'anonymous', '小程序')
    """
    if not isinstance(form, Mapping):
        raise v.refuse("form", None, "a mapping of the request's fields", form)
    for key in form:
        if key not in _POST_FIELDS and key not in OPEN311_PERSONAL_FIELDS:
            shown = key if isinstance(key, str) else type(key).__name__
            raise InvalidValueError(
                f"'form' must hold only GeoReport v2 request fields (got {shown[:60]!r})."
            )
    code = form.get("service_code")
    if code is None or code == "":
        raise InvalidValueError("'service_code' of the request must be given.")
    category = catalogue.check(v.check_code("service_code", code))
    place = form.get("address_id")
    if place == "":
        place = None
    if place is not None:
        place = v.check_ident("address_id", place)
        if grid is not None and not grid.has_place(place):
            raise UnknownPlaceError(
                f"'address_id' must be a place of the grid (got {place!r:.60})."
            )
    elif not any(form.get(k) not in (None, "") for k in ("lat", "long", "address_string")):
        raise InvalidValueError(
            "the request must be located: 'address_id', 'lat' and 'long', or 'address_string'."
        )
    description = form.get("description", "")
    if description is None:
        description = ""
    return Issue(
        id=id,
        category=category,
        severity=1,
        channel=channel,
        reporter=Reporter(kind=ReporterKind.ANONYMOUS) if reporter is None else reporter,
        reported_at=at,
        place=place,
        description=v.check_text("description", description),
    )
