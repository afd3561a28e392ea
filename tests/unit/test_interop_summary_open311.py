"""Case summaries and Open311 GeoReport v2: what a front-end and a 311 client read."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import attrs
import pytest

from gridgov import (
    CST,
    DEFAULT_CATALOGUE,
    DEFAULT_MATRIX,
    DEFAULT_RULES,
    OPEN311_PERSONAL_FIELDS,
    OPEN311_REQUEST_FIELDS,
    OPEN311_SERVICE_FIELDS,
    CaseStatus,
    CaseSummary,
    InvalidValueError,
    PolicyError,
    Router,
    UnknownPlaceError,
    WarningLevel,
    from_dict,
    issue_from_open311,
    open311_request,
    open311_requests,
    open311_services,
    open311_xml,
    open_case,
    summaries,
    summarize,
    to_dict,
    warning,
)
from gridgov.cases import (
    Closed,
    CoHandlerCompleted,
    Rejected,
    Resolved,
    Resumed,
    Suspended,
    Verified,
)
from gridgov.demo import sample_case, sample_grid, sample_policy

CAL = sample_policy().calendar

# The GeoReport v2 field lists, as the standard publishes them (wiki.open311.org/GeoReport_v2:
# "GET Service List" and "GET Service Requests" responses), in its order.
SPEC_SERVICE = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
SPEC_REQUEST = [
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
]
# The standard's example documents (abridged to one element each, values as published).
SPEC_SERVICES_XML = """<?xml version="1.0" encoding="utf-8"?>
<services><service><service_code>001</service_code><service_name>Cans left out 24x7</service_name>
<description>Garbage or recycling cans that have been left out for more than 24 hours after
collection. Violators will be cited.</description><metadata>true</metadata><type>realtime</type>
<keywords>lorem, ipsum, dolor</keywords><group>sanitation</group></service></services>"""
SPEC_REQUESTS_XML = """<?xml version="1.0" encoding="utf-8"?>
<service_requests><request><service_request_id>638344</service_request_id><status>closed</status>
<status_notes>Duplicate request.</status_notes><service_name>Sidewalk and Curb Issues</service_name>
<service_code>006</service_code><description></description><agency_responsible></agency_responsible>
<service_notice></service_notice><requested_datetime>2010-04-14T06:37:38-08:00</requested_datetime>
<updated_datetime>2010-04-14T06:37:38-08:00</updated_datetime>
<expected_datetime>2010-04-15T06:37:38-08:00</expected_datetime><address>8TH AVE and JUDAH ST</address>
<address_id>545483</address_id><zipcode>94122</zipcode><lat>37.762221815</lat><long>-122.4651145</long>
<media_url>http://city.gov.s3.amazonaws.com/requests/media/638344.jpg</media_url></request></service_requests>"""


def _shape(xml: str) -> list[tuple[str, str, list[str]]]:
    root = ET.fromstring(xml.encode("utf-8"))
    return [(root.tag, child.tag, [c.tag for c in child]) for child in root]


def closed_case():
    case = sample_case()
    t = case.updated_at
    for event in [
        CoHandlerCompleted(at=t + timedelta(hours=1), actor="p-wuye", handler="p-wuye"),
        Resolved(at=t + timedelta(hours=2), actor="m-g3", summary="已办结"),
        Verified(at=t + timedelta(hours=3), actor="m-g3"),
        Closed(at=t + timedelta(hours=4), actor="m-g3"),
    ]:
        case = case.apply(event)
    return case


# --------------------------------------------------------------------------- summaries


def test_a_summary_reads_the_state_the_deadlines_and_the_light() -> None:
    case = sample_case()
    for later in (timedelta(0), timedelta(days=3), timedelta(days=30)):
        at = case.updated_at + later
        s = summarize(case, at=at, calendar=CAL, catalogue=DEFAULT_CATALOGUE)
        assert s.light is warning(case, at=at, calendar=CAL)
        assert s.resolve_due == case.resolve_by.effective(CAL)
        assert (s.status, s.owner, s.owner_name) == (case.status, case.owner, case.owner_name)
        assert s.chain == tuple(u.id for u in case.chain)
        assert s.escalated_to == tuple(e.to for e in case.escalations()) == ("g3",)
        assert s.category_name == "养老关爱" and s.last_event_zh == "联动"
    assert (
        summarize(case, at=case.updated_at + timedelta(days=30), calendar=CAL).light
        is WarningLevel.RED
    )


def test_a_suspension_is_given_back_in_the_summary_deadline() -> None:
    case = sample_case()
    t = case.updated_at
    case = case.apply(Suspended(at=t + timedelta(hours=1), actor="m-g3", reason="等待配件"))
    case = case.apply(Resumed(at=t + timedelta(days=2), actor="m-g3"))
    s = summarize(case, at=t + timedelta(days=2), calendar=CAL)
    assert s.resolve_due == case.resolve_by.effective(CAL) > case.resolve_by.due
    assert s.last_event == "resumed"


def test_summaries_round_trip_and_give_rows() -> None:
    cases = [sample_case(), closed_case()]
    found = list(summaries(cases, at=cases[1].updated_at, calendar=CAL))
    assert [s.is_open for s in found] == [True, False]
    for s in found:
        assert from_dict(json.loads(json.dumps(to_dict(s)))) == s
        row = s.row()
        assert all(isinstance(x, str | int | float) or x is None for x in row.values())
    assert found[1].row(zh=True)["状态"] == "已结案" and found[1].light is WarningLevel.GREEN


def test_the_summary_doors() -> None:
    with pytest.raises(InvalidValueError, match="'at' must be"):
        summarize(sample_case(), at=datetime(2026, 11, 26), calendar=CAL)
    with pytest.raises(InvalidValueError, match="'cases' must be an iterable"):
        summaries("c-1", at=datetime(2026, 11, 26, tzinfo=CST), calendar=CAL)  # type: ignore[arg-type]
    s = summarize(sample_case(), at=sample_case().updated_at, calendar=CAL)
    with pytest.raises(InvalidValueError, match="'chain_names' of CaseSummary"):
        attrs.evolve(s, chain_names=("x",))


# --------------------------------------------------------------------------- Open311


def test_the_field_lists_are_the_standards() -> None:
    assert list(OPEN311_SERVICE_FIELDS) == SPEC_SERVICE
    assert list(OPEN311_REQUEST_FIELDS) == SPEC_REQUEST
    assert _shape(SPEC_SERVICES_XML) == [("services", "service", SPEC_SERVICE)]
    assert _shape(SPEC_REQUESTS_XML) == [("service_requests", "request", SPEC_REQUEST)]


def test_services_as_json_and_xml_have_the_standards_shape() -> None:
    services = open311_services(DEFAULT_CATALOGUE)
    assert [s["service_code"] for s in services] == [c.code for c in DEFAULT_CATALOGUE]
    assert json.loads(json.dumps(services, ensure_ascii=False)) == services
    xml = open311_xml(services, kind="services")
    assert xml.startswith("<?xml version='1.0' encoding='UTF-8'?>")
    assert _shape(xml) == [("services", "service", SPEC_SERVICE)] * len(services)
    assert ET.fromstring(xml.encode())[0].findtext("metadata") == "false"


def test_requests_as_json_and_xml_have_the_standards_shape() -> None:
    cases = [sample_case(), closed_case()]
    requests = open311_requests(cases, at=cases[1].updated_at, calendar=CAL)
    assert [r["status"] for r in requests] == ["open", "closed"]
    assert json.loads(json.dumps(requests, ensure_ascii=False)) == requests
    xml = open311_xml(requests, kind="requests")
    assert _shape(xml) == [("service_requests", "request", SPEC_REQUEST)] * 2
    parsed = ET.fromstring(xml.encode())[0]
    assert parsed.findtext("requested_datetime") == "2026-11-26T10:15:00+08:00"
    assert parsed.findtext("agency_responsible") == "第三网格"
    assert parsed.findtext("address") == ""  # gridgov keeps no addresses
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert datetime.fromisoformat(parsed.findtext(name)).utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize("status", list(CaseStatus))
def test_every_case_status_maps_to_open_or_closed(status: CaseStatus) -> None:
    s = summarize(sample_case(), at=sample_case().updated_at, calendar=CAL)
    request = open311_request(attrs.evolve(s, status=status))
    assert request["status"] == ("closed" if status.is_terminal else "open")
    assert str(request["status_notes"]).startswith(status.zh)


def test_a_rejected_case_is_closed_with_its_reason_in_the_notes() -> None:
    case = sample_case()
    # The sample case was accepted: a fresh one is rejected instead.
    first = type(case)(events=case.events[:1])
    rejected = first.apply(
        Rejected(at=first.updated_at + timedelta(hours=1), actor="m-li", reason="不属于受理范围")
    )
    (r,) = open311_requests([rejected], at=rejected.updated_at, calendar=CAL)
    assert r["status"] == "closed" and r["status_notes"] == "不予立案（最近：不予立案）"


def test_a_posted_request_to_an_issue_to_a_case_and_back() -> None:
    form = {
        "jurisdiction_id": "yaxin",
        "service_code": "facility_repair",
        "address_id": "h-1001",
        "description": "楼道灯不亮",
        "first_name": "张",
        "last_name": "三",
        "email": "zhang@example.com",
        "phone": "13800000000",
    }
    at = datetime(2026, 11, 26, 10, 15, tzinfo=CST)
    grid = sample_grid()
    issue = issue_from_open311(form, id="o311-1", at=at, grid=grid)
    router = Router(grid=grid, rules=DEFAULT_RULES, matrix=DEFAULT_MATRIX)
    case = open_case(issue, router.route(issue), router=router, actor="m-li")
    (request,) = open311_requests([case], at=at, calendar=CAL)
    assert request["service_request_id"] == "o311-1"
    assert request["service_code"] == form["service_code"]
    assert request["description"] == form["description"]
    assert request["address_id"] == form["address_id"]
    assert request["requested_datetime"] == at.isoformat()
    assert set(request) == set(SPEC_REQUEST)
    text = json.dumps(request, ensure_ascii=False) + open311_xml([request], kind="requests")
    for field in OPEN311_PERSONAL_FIELDS & set(form):
        assert str(form[field]) not in text and field not in request


def test_posted_request_doors() -> None:
    at = datetime(2026, 11, 26, 10, 15, tzinfo=CST)
    grid = sample_grid()
    with pytest.raises(InvalidValueError, match="'service_code' of the request must be given"):
        issue_from_open311({"address_id": "h-1001"}, id="x", at=at)
    with pytest.raises(PolicyError):
        issue_from_open311({"service_code": "potholes", "address_id": "h-1001"}, id="x", at=at)
    with pytest.raises(InvalidValueError, match="must be located"):
        issue_from_open311({"service_code": "dispute"}, id="x", at=at)
    with pytest.raises(InvalidValueError, match="only GeoReport v2 request fields"):
        issue_from_open311(
            {"service_code": "dispute", "lat": "1", "attribute[x]": "y"}, id="x", at=at
        )
    with pytest.raises(UnknownPlaceError):
        issue_from_open311(
            {"service_code": "dispute", "address_id": "h-0"}, id="x", at=at, grid=grid
        )
    unlocated = issue_from_open311(
        {"service_code": "dispute", "lat": "37.7", "long": "-122.4"}, id="x", at=at
    )
    assert unlocated.place is None and not unlocated.located
    with pytest.raises(InvalidValueError, match="'kind' must be"):
        open311_xml([], kind="feeds")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"'items\[0\]' must be a GeoReport v2 service"):
        open311_xml([{"service_code": "x"}], kind="services")
    assert isinstance(CaseSummary, type)
