"""``python -m gridgov``: the walk through the sample community."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gridgov.__main__ import DEFAULT_DATE, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    assert main(list(argv)) == 0
    return capsys.readouterr().out.splitlines()


def test_default_is_chinese_on_the_fixed_day(capsys: pytest.CaptureFixture[str]) -> None:
    lines = run(capsys)
    assert lines[0] == "亚新社区 网格示例（网格版本 2026-11，日期 2026-11-29）"
    assert "层级：社区 → 网格 → 微网格" in lines
    assert "  网格（6 个）：第一网格、第二网格、第三网格、第四网格、第五网格、第六网格" in lines
    assert "  户 2,944" in lines
    assert "查户 h-1001：美好人家1号楼 (mg31) → 第三网格 (g3) → 亚新社区 (yx)" in lines
    assert "  第三网格 网格长：彭雪丽" in lines
    assert "  美好人家1号楼 微网格长：李燕明" in lines
    assert "  物业 美好人家物业，覆盖 第三网格" in lines
    assert "  美好人家1号楼 养老服务可联动：淮河路社区卫生服务中心、美好人家物业" in lines
    assert "一人一档（2026-11-29）：在册 61 份" in lines
    assert (
        "    吕阿姨，78 岁，h-1001（美好人家1号楼）：独居；受伤（至 2026-12-17）；"
        "刚出院（至 2026-12-24）"
    ) in lines


def test_output_is_reproducible(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys) == run(capsys, "--date", DEFAULT_DATE.isoformat(), "--lang", "zh")


def test_english_labels(capsys: pytest.CaptureFixture[str]) -> None:
    lines = run(capsys, "--lang", "en")
    assert lines[0] == "Sample community 亚新社区 (grid version 2026-11, on 2026-11-29)"
    assert "Tiers: Community → Grid → Micro-grid" in lines
    assert (
        "  Micro-grid (24): e.g. under 第三网格: "
        + ", ".join(f"美好人家{i}号楼" for i in range(1, 5))
        in lines
    )
    assert "  Grid leader of 第三网格: 彭雪丽" in lines
    assert "  Micro-grid leader of 美好人家1号楼: 李燕明" in lines
    assert "  property management 美好人家物业, covering 第三网格" in lines
    assert any(line.startswith("  Conditions in force: living alone 16, ") for line in lines)


def test_time_limited_conditions_lapse_by_themselves(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = run(capsys, "--lang", "en", "--date", "2027-01-01")
    assert "    吕阿姨, aged 78, h-1001 (美好人家1号楼): living alone" in lines
    in_force = next(line for line in lines if "Conditions in force" in line)
    assert "injured" not in in_force


def test_files_not_yet_opened_are_not_counted(capsys: pytest.CaptureFixture[str]) -> None:
    lines = run(capsys, "--lang", "en", "--date", "2023-06-01")
    assert "Personal files on 2023-06-01: 1 open" in lines


@pytest.mark.parametrize("argv", [["--date", "2026-13-01"], ["--lang", "fr"]])
def test_bad_arguments_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "python -m gridgov: error:" in capsys.readouterr().err


def test_help_from_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gridgov", "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert done.returncode == 0, done.stderr
    assert "usage: python -m gridgov" in done.stdout
    assert "--date YYYY-MM-DD" in done.stdout
    assert "2026-11-29" in done.stdout
    assert "{zh,en}" in done.stdout


def test_the_walk_shows_aunt_lus_case_the_due_visits_and_a_plan(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "吕阿姨的个案（yx-2026-1126-01）：" in out
    assert "上报 — m-li：美好人家1号楼 → 第三网格（主动上报）" in out
    assert "分派：规则 vulnerable「独居孤寡老人当日响应」" in out
    assert "上报：主动上报：美好人家1号楼 主动上报：独居老人摔伤刚出院" in out
    assert "escalated" not in out  # Chinese only
    assert "现由 第三网格 负责，首接单位 美好人家1号楼，状态 已立案" in out
    assert "2026-11-29 应走访 12 人" in out
    assert "每日一访" in out
    assert "人手不足 0 次" in out
    assert len(out.splitlines()) < 60  # under a page


def test_the_walk_in_english_after_aunt_lu_recovered(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "--date", "2027-01-04"]) == 0
    out = capsys.readouterr().out
    assert "Routed: rule vulnerable 'vulnerable elders: same-day attention'" in out
    assert "escalated — m-li: 美好人家1号楼 → 第三网格 (manual)" in out
    assert "Escalated: manual: escalated by 美好人家1号楼" in out
    assert "now owned by 第三网格, first receiving unit 美好人家1号楼, status accepted" in out
    # Her discharge window has ended: no daily visit any more.
    assert "discharged_alone" not in out
    assert "Due visits on 2027-01-04:" in out
