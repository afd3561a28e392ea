"""The 12345 hotline import: every row an issue or a rejection, with its reason."""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, datetime

import pytest

from gridgov import (
    CST,
    DEFAULT_CATALOGUE,
    Channel,
    GridGovError,
    HotlineColumns,
    HotlineFormat,
    HotlineImport,
    InvalidValueError,
    ReporterKind,
    RowProblem,
    Severity,
    from_dict,
    import_hotline,
    to_dict,
)
from gridgov.demo import sample_grid

GRID = sample_grid()
PLACES = sorted(p for p in ("h-1001", "h-1002", "h-2001") if GRID.has_place(p))
SECRET = "吕阿姨独居摔伤"  # personal: must never appear in a reason


def row(**cells: object) -> dict[str, object]:
    base: dict[str, object] = {
        "工单编号": "T1",
        "诉求类别": "设施维修",
        "来电时间": "2026-11-26 10:15",
        "户号": PLACES[0],
        "诉求内容": SECRET,
        "紧急程度": "",
        "来电人编号": "",
    }
    base.update(cells)
    return base


def test_a_good_row_becomes_an_issue() -> None:
    found = import_hotline([row(紧急程度="紧急", 来电人编号="r-lu")], grid=GRID)
    (issue,) = found.issues
    assert found.lines == (1,) and not found.rejected
    assert issue.id == "T1" and issue.category == "facility_repair"
    assert issue.reported_at == datetime(2026, 11, 26, 10, 15, tzinfo=CST)
    assert issue.channel is Channel.HOTLINE_12345 and issue.severity is Severity.URGENT
    assert issue.reporter.kind is ReporterKind.RESIDENT and issue.reporter.id == "r-lu"
    assert issue.place == PLACES[0] and issue.description == SECRET


def test_every_chinese_label_of_the_default_catalogue_is_read() -> None:
    rows = [row(工单编号=f"T{i}", 诉求类别=c.zh) for i, c in enumerate(DEFAULT_CATALOGUE)]
    found = import_hotline(rows)
    assert [i.category for i in found.issues] == [c.code for c in DEFAULT_CATALOGUE]


def test_the_label_table_comes_before_the_catalogue_and_codes_are_read() -> None:
    fmt = HotlineFormat(labels={"设施维修": "environment", "路灯": "facility_repair"})
    found = import_hotline(
        [
            row(工单编号="a", 诉求类别="设施维修"),
            row(工单编号="b", 诉求类别="路灯"),
            row(工单编号="c", 诉求类别="dispute"),
        ],
        format=fmt,
    )
    assert [i.category for i in found.issues] == ["environment", "facility_repair", "dispute"]


def test_times_offsets_and_cells_that_are_not_strings() -> None:
    utc = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    found = import_hotline(
        [
            row(工单编号="a", 来电时间="2026/11/26 10:15:30"),
            row(工单编号="b", 来电时间="2026-11-26T10:15:00+00:00"),
            row(工单编号="c", 来电时间=utc),
            row(工单编号="d", 来电时间=datetime(2026, 11, 26, 10, 0), 紧急程度=4),
            row(工单编号="e", 紧急程度="2"),
        ]
    )
    a, b, c, d, e = found.issues
    assert a.reported_at == datetime(2026, 11, 26, 10, 15, 30, tzinfo=CST)
    assert b.reported_at == datetime(2026, 11, 26, 18, 15, tzinfo=CST)
    assert c.reported_at == utc
    assert d.reported_at == datetime(2026, 11, 26, 10, 0, tzinfo=CST)
    assert d.severity is Severity.EMERGENCY and e.severity is Severity.ATTENTION


def test_unknown_households_are_unlocated_or_rejected_by_choice() -> None:
    rows = [row(工单编号="a", 户号="h-nowhere"), row(工单编号="b", 户号=""), row(工单编号="c")]
    found = import_hotline(rows, grid=GRID)
    assert found.unlocated == ("a", "b") and len(found.issues) == 3
    strict = import_hotline(rows, grid=GRID, format=HotlineFormat(unknown_place="reject"))
    assert [i.id for i in strict.issues] == ["c"]
    assert [(r.line, r.problem) for r in strict.rejected] == [
        (1, RowProblem.UNKNOWN_PLACE),
        (2, RowProblem.UNKNOWN_PLACE),
    ]
    # Without a grid every household is taken as given.
    assert import_hotline(rows[:1]).issues[0].place == "h-nowhere"


BAD_ROWS: list[tuple[dict[str, object], str, RowProblem]] = [
    (row(工单编号=""), "工单编号", RowProblem.EMPTY_FIELD),
    (row(工单编号=None), "工单编号", RowProblem.EMPTY_FIELD),
    (row(工单编号="a\u200bb"), "工单编号", RowProblem.INVALID_VALUE),
    (row(诉求类别="  "), "诉求类别", RowProblem.EMPTY_FIELD),
    (row(诉求类别="噪音扰民"), "诉求类别", RowProblem.UNKNOWN_CATEGORY),
    (row(诉求类别=7), "诉求类别", RowProblem.INVALID_VALUE),
    (row(来电时间=""), "来电时间", RowProblem.EMPTY_FIELD),
    (row(来电时间="2026-13-40 10:15"), "来电时间", RowProblem.MALFORMED_TIME),
    (row(来电时间="26/11 10:30"), "来电时间", RowProblem.MALFORMED_TIME),
    (row(来电时间="2026-11-26T10:15"), "来电时间", RowProblem.MALFORMED_TIME),
    (row(来电时间="9999-11-26 10:15"), "来电时间", RowProblem.MALFORMED_TIME),
    (row(来电时间=3.5), "来电时间", RowProblem.INVALID_VALUE),
    (row(户号="h\x001"), "户号", RowProblem.INVALID_VALUE),
    (row(紧急程度="很急"), "紧急程度", RowProblem.INVALID_VALUE),
    (row(紧急程度=9), "紧急程度", RowProblem.INVALID_VALUE),
    (row(诉求内容="x" * 4001), "诉求内容", RowProblem.INVALID_VALUE),
    (row(诉求内容=12), "诉求内容", RowProblem.INVALID_VALUE),
    (row(来电人编号="r\tlu"), "来电人编号", RowProblem.INVALID_VALUE),
]


@pytest.mark.parametrize(("bad", "column", "problem"), BAD_ROWS)
def test_each_kind_of_bad_row_is_rejected_with_its_reason(
    bad: dict[str, object], column: str, problem: RowProblem
) -> None:
    found = import_hotline([bad], grid=GRID)
    assert not found.issues
    (r,) = found.rejected
    assert (r.line, r.column, r.problem) == (1, column, problem)
    assert r.reason.zh.startswith(f"第1行「{column}」：") and r.reason.en.startswith("row 1 ")
    for personal in (SECRET, PLACES[0], "r\tlu", "x" * 50):
        assert personal not in r.reason.zh and personal not in r.reason.en


def test_a_repeated_ticket_is_rejected_and_the_first_kept() -> None:
    found = import_hotline(
        [row(), row(诉求类别="矛盾纠纷")], format=HotlineFormat(id_prefix="12345-")
    )
    assert [i.id for i in found.issues] == ["12345-T1"] and found.issues[
        0
    ].category == "facility_repair"
    assert [(r.line, r.ticket, r.problem) for r in found.rejected] == [
        (2, "T1", RowProblem.DUPLICATE_TICKET)
    ]


def test_a_generated_export_accounts_for_every_row() -> None:
    rng = random.Random(20261126)
    labels = [c.zh for c in DEFAULT_CATALOGUE]
    # The bad rows whose cells are text survive a trip through a CSV file unchanged.
    textual = [b for b in BAD_ROWS if all(x is None or isinstance(x, str) for x in b[0].values())]
    rows: list[dict[str, object]] = []
    expected: dict[int, tuple[str, RowProblem]] = {}
    for n in range(1, 2_001):
        if rng.random() < 0.3:
            bad, column, problem = rng.choice(textual)
            ticket = bad["工单编号"] if bad["工单编号"] != "T1" else f"B{n}"
            rows.append({**bad, "工单编号": ticket})
            expected[n] = (column, problem)
        else:
            place = rng.choice([*PLACES, "h-unknown", ""])
            rows.append(row(工单编号=f"G{n}", 诉求类别=rng.choice(labels), 户号=place))
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(row()))
    writer.writeheader()
    writer.writerows(rows)
    found = import_hotline(csv.DictReader(io.StringIO(text.getvalue())), grid=GRID)
    # Each row once, in order: the bad ones rejected for their own reason, the rest issues.
    assert found.total == len(rows) == 2_000
    assert {r.line: (r.column, r.problem) for r in found.rejected} == expected
    assert found.lines == tuple(n for n in range(1, 2_001) if n not in expected)
    assert [i.id for i in found.issues] == [f"G{n}" for n in found.lines]
    unknown = {f"G{n}" for n in found.lines if rows[n - 1]["户号"] in ("h-unknown", "")}
    assert set(found.unlocated) == unknown


def test_the_rejects_file_and_the_round_trip() -> None:
    found = import_hotline([row(), row(工单编号="T2", 来电时间="昨天")])
    (english,) = found.rows()
    (chinese,) = found.rows(zh=True)
    assert english == {
        "line": 2,
        "ticket": "T2",
        "column": "来电时间",
        "problem": "malformed_time",
        "reason": found.rejected[0].reason.en,
    }
    assert chinese["行号"] == 2 and chinese["问题"] == "时间格式错误"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(chinese))
    writer.writeheader()
    writer.writerows(found.rows(zh=True))
    assert "时间格式错误" in out.getvalue()
    assert from_dict(to_dict(found)) == found


def test_the_doors() -> None:
    with pytest.raises(InvalidValueError, match="'rows' must be an iterable of mappings"):
        import_hotline("工单编号,诉求类别")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="'rows' must be an iterable of mappings"):
        import_hotline(row())  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"'rows\[1\]' must be a mapping"):
        import_hotline([row(), ["T1"]])  # type: ignore[list-item]
    with pytest.raises(InvalidValueError, match="must have the column '来电时间'"):
        import_hotline([{"工单编号": "T1", "诉求类别": "设施维修", "时间": "2026-11-26 10:15"}])
    with pytest.raises(InvalidValueError, match="codes of catalogue 'default'"):
        import_hotline([row()], format=HotlineFormat(labels={"路灯": "street_light"}))
    with pytest.raises(InvalidValueError, match="'labels' of HotlineFormat"):
        HotlineFormat(labels={"路灯": "Not A Code"})
    with pytest.raises(InvalidValueError, match="'category' of HotlineColumns"):
        HotlineColumns(category="")
    with pytest.raises(InvalidValueError, match="'time_formats' of HotlineFormat"):
        HotlineFormat(time_formats=())
    with pytest.raises(InvalidValueError, match="account for rows 1 to 1 once each"):
        HotlineImport(issues=import_hotline([row()]).issues, lines=[2])
    with pytest.raises(GridGovError):
        import_hotline([row()], format="12345")  # type: ignore[arg-type]
