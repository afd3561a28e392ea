"""The glossary page (docs/glossary.md) tells the truth about the library.

Every table on the page has the columns 中文 | English | gridgov | label.  For every row:

* each code span in the *gridgov* column is an import path (``gridgov.Role.GRID_LEADER``),
  optionally ending in one ``["code"]`` look-up, and must resolve;
* the *label* column is a dash or one code span holding a Python expression, evaluated with
  the public names of ``gridgov`` in scope, whose value must equal the Chinese of the first
  column.

And the page must be complete: every Chinese label the library defines — of tiers and
leaders' titles, enumeration members, condition kinds, categories and case events — is
named on a labelled row.
"""

from __future__ import annotations

import enum
import importlib
import re
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import gridgov

PAGE = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"
HEADER = ["中文", "English", "gridgov", "label"]
DASH = "—"

_CODE = re.compile(r"`([^`]+)`")
_PATH = re.compile(r'^(gridgov(?:\.[A-Za-z_][A-Za-z0-9_]*)+)(?:\["([a-z0-9_]+)"\])?$')
_CJK = re.compile(r"[\u4e00-\u9fff]")

# Modules whose public enumerations and case events must all appear on the page.
_MODULES = [
    "gridgov.tiers",
    "gridgov.grid",
    "gridgov.people",
    "gridgov.issues",
    "gridgov.calendar",
    "gridgov.routing",
    "gridgov.visits",
    "gridgov.cases",
    "gridgov.escalation",
    "gridgov.community",
]


class Row(NamedTuple):
    line: int
    zh: str
    en: str
    names: tuple[str, ...]
    label: str | None  # the expression, or None for a dash


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def parse(text: str) -> list[Row]:
    """The rows of every glossary table on the page (tables with the four-column header)."""
    rows: list[Row] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("|") and _cells(line) == HEADER:
            assert set(lines[i + 1].replace("|", "").strip()) <= set("-: "), (
                f"line {i + 2}: a header must be followed by a delimiter row"
            )
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                cells = _cells(lines[i])
                assert len(cells) == 4, f"line {i + 1}: expected 4 cells, got {cells}"
                zh, en, names, label = cells
                spans = tuple(_CODE.findall(names))
                assert spans and _CODE.sub("", names).replace(",", "").strip() == "", (
                    f"line {i + 1}: the gridgov column must hold only code spans ({names!r})"
                )
                if label == DASH:
                    expr = None
                else:
                    found = _CODE.fullmatch(label)
                    assert found, f"line {i + 1}: the label must be a dash or one code span"
                    expr = found.group(1)
                rows.append(Row(i + 1, zh, en, spans, expr))
                i += 1
        else:
            i += 1
    return rows


def resolve(path: str) -> Any:
    """Import the longest module prefix of *path*, then follow attributes and one look-up."""
    found = _PATH.match(path)
    if found is None:
        raise AssertionError(f"{path!r} is not an import path of gridgov")
    dotted, key = found.groups()
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        break
    if key is not None:
        obj = obj[key]
    return obj


def namespace() -> dict[str, Any]:
    return {name: getattr(gridgov, name) for name in gridgov.__all__}


ROWS = parse(PAGE.read_text(encoding="utf-8"))


def _id(row: Row) -> str:
    return f"line {row.line}: {row.zh}"


def test_the_page_has_the_tables() -> None:
    assert len(ROWS) > 150
    assert all(_CJK.search(row.zh) for row in ROWS), "every row starts with its Chinese"
    assert all(row.en for row in ROWS), "every row has its English"


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_every_name_resolves(row: Row) -> None:
    for name in row.names:
        try:
            resolve(name)
        except (AttributeError, KeyError, ImportError, gridgov.GridGovError) as exc:
            pytest.fail(f"line {row.line}: {name} does not resolve ({exc!r})")


LABELLED = [row for row in ROWS if row.label is not None]


@pytest.mark.parametrize("row", LABELLED, ids=_id)
def test_every_label_is_what_the_library_says(row: Row) -> None:
    assert row.label is not None
    value = eval(row.label, namespace())  # the page's own expressions, nothing else
    assert value == row.zh, f"line {row.line}: {row.label} is {value!r}, the page says {row.zh!r}"


def _labelled_objects() -> list[Any]:
    return [resolve(name) for row in LABELLED for name in row.names]


def _required() -> dict[str, Any]:
    """Every value of the library that carries a Chinese label, by a readable key."""
    required: dict[str, Any] = {}
    for module_name in _MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, type) and issubclass(obj, enum.Enum) and hasattr(obj, "zh"):
                for member in obj:
                    required[f"{module_name}.{name}.{member.name}"] = member
            elif (
                isinstance(obj, type)
                and issubclass(obj, gridgov.CaseEvent)
                and obj is not gridgov.CaseEvent
            ):
                required[f"{module_name}.{name}"] = obj
    for tier in gridgov.FOUR_TIER:
        required[f"tier {tier.name}"] = tier
    for code, kind in gridgov.CONDITION_KINDS.items():
        required[f"condition {code}"] = kind
    for category in gridgov.DEFAULT_CATALOGUE:
        required[f"category {category.code}"] = category
    return required


def test_every_chinese_label_of_the_library_is_on_the_page() -> None:
    named = _labelled_objects()
    missing = [key for key, obj in _required().items() if not any(obj is other for other in named)]
    assert not missing, f"docs/glossary.md has no labelled row for {missing}"
    zh = {row.zh for row in LABELLED}
    titles = [t.leader_title_zh for t in gridgov.FOUR_TIER if t.leader_title_zh]
    assert set(titles) <= zh, f"leaders' titles missing: {sorted(set(titles) - zh)}"


def test_the_domain_glossary_is_covered() -> None:
    """Every term of the project's domain glossary has a row."""
    terms = [
        "街道", "社区", "网格", "网格长", "微网格", "微网格长", "楼院", "楼栋", "户", "网格员",
        "楼院长", "物业", "共建单位", "联动", "诉求 / 事件", "上报", "走访", "入户", "每日一访",
        "一人一档", "独居", "孤寡", "意见库", "人才信息库", "议事会", "立案", "派遣", "处置",
        "核查", "结案", "权责清单", "兜底", "待定位", "时限", "期限", "工作日历", "调休",
        "自筹", "配捐", "积分",
    ]  # fmt: skip
    on_page = {row.zh for row in ROWS}
    assert [t for t in terms if t not in on_page] == []


def test_the_parser_refuses_what_it_cannot_check() -> None:
    bad = "| 中文 | English | gridgov | label |\n|---|---|---|---|\n| 网格 | grid | Tier | — |\n"
    with pytest.raises(AssertionError, match="only code spans"):
        parse(bad)
    with pytest.raises(AssertionError, match="not an import path"):
        resolve("Role.GRID_LEADER")
    with pytest.raises(AttributeError):
        resolve("gridgov.Role.NO_SUCH_ROLE")
    assert resolve('gridgov.DEFAULT_CATALOGUE["dispute"]').zh == "矛盾纠纷"


# The nouns of routing and working time, each of which must be named on a row of the page.
_ROAD = [
    "gridgov.CategoryCatalogue",
    "gridgov.Criteria",
    "gridgov.Reason",
    "gridgov.ResidentFiles",
    "gridgov.ResponsibilityMatrix",
    "gridgov.Responsibility",
    "gridgov.Match",
    "gridgov.RoutingRule",
    "gridgov.RuleSet",
    "gridgov.Router",
    "gridgov.Assignment",
    "gridgov.Routed",
    "gridgov.WorkCalendar",
    "gridgov.TimeLimit",
    "gridgov.Deadline",
    "gridgov.DeadlinePlan",
    "gridgov.DeadlinePlanner",
]


@pytest.mark.parametrize("noun", _ROAD)
def test_the_nouns_of_routing_and_working_time_are_on_the_page(noun: str) -> None:
    named = {name for row in ROWS for name in row.names}
    prefixes = {name.split("[")[0] for name in named}
    assert any(p == noun or p.startswith(noun + ".") for p in prefixes), (
        f"docs/glossary.md names {noun} on no row"
    )


def test_the_default_rules_name_is_the_one_on_the_page() -> None:
    """The default rule is named for what it does in every scheme, not for a tier."""
    default = gridgov.DEFAULT_RULES.default_rule
    assert default.zh == "其余事项就近办理"
    assert default.name == "everything else, handled where it is located"
    assert default.start_tier is None
