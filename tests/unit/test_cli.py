"""The command line on real files, run as a user runs it: ``python -m gridgov <command>`` in a
subprocess, on files in a temporary folder."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gridgov import Case, Escalation, from_dict, to_dict
from gridgov.demo import sample_case, sample_grid, sample_policy, sample_residents, sample_visits

HOTLINE = (
    "工单编号,诉求类别,来电时间,户号,诉求内容,紧急程度\n"
    "0001,设施维修,2026-11-26 10:15,h-1001,楼道灯不亮,一般\n"
    "0002,路灯不亮,2026-11-26 10:20,h-1002,小区路灯坏了,\n"
    "0003,设施维修,2026-11-26 10:25,h-9999,门禁坏了,紧急\n"
    "0004,噪音扰民,2026-11-26 22:10,h-1001,楼上装修,\n"
    "0005,设施维修,11月26日,h-1001,电梯异响,\n"
)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gridgov", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("cli")

    def write(name: str, value: object) -> None:
        (d / name).write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")

    write("grid.json", to_dict(sample_grid()))
    write("cases.json", [to_dict(sample_case())])
    write("policy.json", to_dict(sample_policy()))
    write("residents.json", [to_dict(r) for r in sample_residents()])
    write("records.json", [to_dict(r) for r in sample_visits()])
    (d / "hotline.csv").write_text(HOTLINE, encoding="utf-8")
    (d / "labels.csv").write_text("路灯不亮,facility_repair\n", encoding="utf-8")
    return d


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_route_writes_assignments_and_rejects(folder: Path) -> None:
    done = run(
        "route",
        "--grid",
        "grid.json",
        "--hotline",
        "hotline.csv",
        "--labels",
        "labels.csv",
        "--out",
        "a.csv",
        "--rejects",
        "r.csv",
        cwd=folder,
    )
    assert done.returncode == 0, done.stderr
    assert "3 issues routed, 2 rows rejected (1 unlocated)" in done.stdout
    rows = read_csv(folder / "a.csv")
    assert [r["工单编号"] for r in rows] == ["0001", "0002", "0003"]
    assert rows[0]["责任单位"] == "美好人家1号楼" and rows[0]["联动单位"] == "p-wuye"
    assert rows[0]["分派理由"].startswith("规则 facility")
    assert rows[2]["待定位"] == "是" and rows[2]["责任单位编号"] == "yx"
    rejects = read_csv(folder / "r.csv")
    assert [(r["行号"], r["问题"]) for r in rejects] == [("4", "未知类别"), ("5", "时间格式错误")]
    # Every row of the export is accounted for.
    assert len(rows) + len(rejects) == HOTLINE.count("\n") - 1


def test_route_in_english_and_rejecting_unknown_households(folder: Path) -> None:
    done = run(
        "route",
        "--grid",
        "grid.json",
        "--hotline",
        "hotline.csv",
        "--out",
        "a-en.csv",
        "--rejects",
        "r-en.csv",
        "--lang",
        "en",
        "--reject-unknown-households",
        cwd=folder,
    )
    assert done.returncode == 0, done.stderr
    assert [r["ticket"] for r in read_csv(folder / "a-en.csv")] == ["0001"]
    problems = [r["problem"] for r in read_csv(folder / "r-en.csv")]
    assert problems == ["unknown_category", "unknown_place", "unknown_category", "malformed_time"]


def test_sweep_writes_the_escalations(folder: Path) -> None:
    done = run(
        "sweep",
        "--cases",
        "cases.json",
        "--policy",
        "policy.json",
        "--at",
        "2026-12-20T10:00",
        "--out",
        "esc.json",
        cwd=folder,
    )
    assert done.returncode == 0, done.stderr
    found = [from_dict(x, Escalation) for x in json.loads((folder / "esc.json").read_text("utf-8"))]
    assert [(e.trigger.value, e.to) for e in found] == [("resolve_overdue", "yx")]
    assert "超时未办结" in done.stdout and "1 of 1 cases to escalate" in done.stdout


def test_visits_writes_the_lists_and_the_plan(folder: Path) -> None:
    done = run(
        "visits",
        "--residents",
        "residents.json",
        "--records",
        "records.json",
        "--grid",
        "grid.json",
        "--day",
        "2026-11-29",
        "--capacity",
        "1",
        "--out-dir",
        "day",
        cwd=folder,
    )
    assert done.returncode == 0, done.stderr
    due = read_csv(folder / "day" / "due.csv")
    plan = read_csv(folder / "day" / "plan.csv")
    short = read_csv(folder / "day" / "shortfalls.csv")
    assert due and list(due[0]) == ["微网格", "负责人", "居民编号", "应访日期", "逾期天数", "预警"]
    assert len(plan) + len(short) == len(due)
    assert {r["居民编号"] for r in plan} | {r["居民编号"] for r in short} == {
        r["居民编号"] for r in due
    }


def test_open311_writes_json_and_xml(folder: Path) -> None:
    for fmt in ("json", "xml"):
        done = run(
            "open311",
            "--cases",
            "cases.json",
            "--at",
            "2026-11-29T10:00+08:00",
            "--format",
            fmt,
            "--out",
            f"o.{fmt}",
            cwd=folder,
        )
        assert done.returncode == 0, done.stderr
    (request,) = json.loads((folder / "o.json").read_text("utf-8"))
    assert request["service_request_id"] == sample_case().id and request["status"] == "open"
    root = ET.fromstring((folder / "o.xml").read_bytes())
    assert root.tag == "service_requests" and root[0].findtext("service_code") == "elder_care"


def test_report_writes_the_indicators_per_unit_and_month(folder: Path) -> None:
    done = run(
        "report", "--cases", "cases.json", "--grid", "grid.json", "--out", "rep.csv", cwd=folder
    )
    assert done.returncode == 0, done.stderr
    rows = read_csv(folder / "rep.csv")
    assert {(r["单位名称"], r["统计周期"]) for r in rows} == {
        ("第三网格", "2026年11月"),
        ("亚新社区", "2026年11月"),
        ("第三网格", "2026年12月"),
        ("亚新社区", "2026年12月"),
    }
    november = next(r for r in rows if r["单位"] == "g3" and r["统计周期"] == "2026年11月")
    assert november["响应率"] == "100.0" and november["结案率"] == ""  # no data: not yet due
    done = run(
        "report",
        "--cases",
        "cases.json",
        "--set",
        "hotline",
        "--by",
        "quarter",
        "--lang",
        "en",
        "--out",
        "rep-en.csv",
        cwd=folder,
    )
    assert done.returncode == 0, done.stderr
    (first, *_) = read_csv(folder / "rep-en.csv")
    assert "response_rate" in first and "closing_rate" not in first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [
                "route",
                "--grid",
                "cases.json",
                "--hotline",
                "hotline.csv",
                "--out",
                "x.csv",
                "--rejects",
                "y.csv",
            ],
            "cases.json: item 0: '$.type' must be GridGraph",
        ),
        (
            [
                "route",
                "--grid",
                "missing.json",
                "--hotline",
                "hotline.csv",
                "--out",
                "x.csv",
                "--rejects",
                "y.csv",
            ],
            "missing.json: no such file",
        ),
        (
            [
                "sweep",
                "--cases",
                "bad.json",
                "--policy",
                "policy.json",
                "--at",
                "2026-12-20T10:00",
                "--out",
                "x.json",
            ],
            "bad.json: not JSON (line 1, column 2)",
        ),
        (
            [
                "open311",
                "--cases",
                "broken-case.json",
                "--at",
                "2026-11-29T10:00",
                "--out",
                "x.json",
            ],
            "broken-case.json: item 0:",
        ),
    ],
)
def test_a_bad_file_fails_clearly_and_writes_nothing(
    folder: Path, args: list[str], message: str
) -> None:
    (folder / "bad.json").write_text("{nope", encoding="utf-8")
    broken = to_dict(sample_case())
    broken["events"][0]["at"] = "yesterday"
    (folder / "broken-case.json").write_text(json.dumps([broken]), encoding="utf-8")
    before = set(folder.rglob("*"))
    done = run(*args, cwd=folder)
    assert done.returncode == 1
    assert done.stderr.startswith(f"gridgov {args[0]}: error: ") and message in done.stderr
    assert "Traceback" not in done.stderr
    assert set(folder.rglob("*")) == before  # nothing written, not even a part file


def test_usage_errors_and_help(folder: Path) -> None:
    done = run("sweep", "--cases", "cases.json", cwd=folder)
    assert done.returncode == 2 and "required" in done.stderr
    done = run(
        "sweep",
        "--cases",
        "cases.json",
        "--policy",
        "policy.json",
        "--at",
        "noon",
        "--out",
        "x.json",
        cwd=folder,
    )
    assert done.returncode == 2 and "must be a moment in ISO 8601" in done.stderr
    for command in ("route", "sweep", "visits", "open311", "report"):
        assert run(command, "--help", cwd=folder).returncode == 0
    assert "route,sweep,visits,open311,report" in run("--help", cwd=folder).stdout
    assert isinstance(Case, type)
