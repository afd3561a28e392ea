"""Reading the cells of a hotline's rows (private: the engine of
:mod:`gridgov.interop.hotline`).

A :class:`Reader` holds one format, catalogue and grid; each method reads one field of a row
or raises :class:`Refused` with the column, the problem (a ``RowProblem`` value) and the
explanation in Chinese and English — never showing a household, a caller or free text.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

import gridgov._validators as v
from gridgov._time import CST
from gridgov.errors import GridGovError
from gridgov.grid import GridGraph
from gridgov.issues import CategoryCatalogue, Reporter, ReporterKind, Severity


class Columns(Protocol):
    """The column names a :class:`Reader` reads (a ``HotlineColumns``)."""

    @property
    def category(self) -> str: ...
    @property
    def reported_at(self) -> str: ...
    @property
    def place(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def caller(self) -> str: ...


class Format(Protocol):
    """What a :class:`Reader` reads of a format (a ``HotlineFormat``; named by its shape, so
    that this engine does not import the module it serves)."""

    @property
    def columns(self) -> Columns: ...
    @property
    def labels(self) -> tuple[tuple[str, str], ...]: ...
    @property
    def time_formats(self) -> tuple[str, ...]: ...
    @property
    def unknown_place(self) -> str: ...
    @property
    def default_severity(self) -> Severity: ...


class Refused(Exception):
    """A row's field could not be read (internal: becomes a RejectedRow)."""

    def __init__(self, column: str, problem: str, zh: str = "", en: str = "") -> None:
        super().__init__(column)
        self.column, self.problem, self.zh, self.en = column, problem, zh, en


def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


def _cell(row: Mapping[str, object], column: str) -> object:
    value = row.get(column)
    return value.strip() if isinstance(value, str) else value


def required(row: Mapping[str, object], column: str) -> object:
    value = _cell(row, column)
    if value is None or value == "":
        raise Refused(column, "empty_field", "必填项为空", "mandatory field is empty")
    return value


def invalid(column: str, zh: str, en: str) -> Refused:
    return Refused(column, "invalid_value", zh, en)


class Reader:
    """One format, catalogue and grid, compiled for reading rows."""

    def __init__(self, fmt: Format, catalogue: CategoryCatalogue, grid: GridGraph | None) -> None:
        self.fmt, self.catalogue, self.grid = fmt, catalogue, grid
        self.columns = fmt.columns
        for label, code in fmt.labels:
            if code not in catalogue:
                raise v.refuse(
                    "labels",
                    "HotlineFormat",
                    f"a mapping to codes of catalogue {catalogue.name!r}",
                    f"{label} → {code}",
                )
        self.labels = dict(fmt.labels)
        self.expected = "、".join(fmt.time_formats) + " 或带时区的 ISO 8601"
        self.expected_en = f"{', '.join(fmt.time_formats)} or ISO 8601 with an offset"

    def category(self, row: Mapping[str, object]) -> str:
        column = self.columns.category
        label = required(row, column)
        if not isinstance(label, str):
            raise invalid(column, "应为文字", "expected text")
        code = self.labels.get(label)
        if code is not None:
            return code
        try:
            return self.catalogue.from_zh(label).code
        except GridGovError:
            pass
        if label in self.catalogue:
            return label
        raise Refused(
            column,
            "unknown_category",
            f"未知类别“{_shown(label)}”（类别目录 {self.catalogue.name} 与标签对照表中都没有）",
            f"unknown category label '{_shown(label)}' (neither in catalogue "
            f"{self.catalogue.name!r} nor in the label table)",
        )

    def moment(self, row: Mapping[str, object]) -> datetime:
        column = self.columns.reported_at
        value = required(row, column)
        if isinstance(value, datetime):
            moment = value if value.tzinfo is not None else value.replace(tzinfo=CST)
        elif isinstance(value, str):
            moment = self._parse(column, value)
        else:
            raise invalid(column, "应为时间", "expected a time")
        try:
            return v.check_aware(column, moment)
        except GridGovError:
            raise Refused(
                column,
                "malformed_time",
                "时间超出可接受的年份",
                "time out of the accepted years",
            ) from None

    def _parse(self, column: str, text: str) -> datetime:
        for fmt in self.fmt.time_formats:
            try:
                return datetime.strptime(text, fmt).replace(tzinfo=CST)
            except ValueError:
                continue
        try:
            found = datetime.fromisoformat(text)
        except ValueError:
            found = None
        if found is not None and found.tzinfo is not None:
            return found
        raise Refused(
            column,
            "malformed_time",
            f"时间格式错误（读到“{_shown(text)}”，应为 {self.expected}）",
            f"malformed time (read '{_shown(text)}', expected {self.expected_en})",
        )

    def place(self, row: Mapping[str, object]) -> str | None:
        column = self.columns.place
        value = _cell(row, column)
        if value is None or value == "":
            place = None
        else:
            if not isinstance(value, str) or not is_ident(value):
                raise invalid(column, "户号应为编号", "a household must be an id")
            place = value
            if self.grid is None or self.grid.has_place(place):
                return place
        if self.fmt.unknown_place == "reject":
            raise Refused(
                column,
                "unknown_place",
                "网格中没有该户号" if place else "户号为空",
                "the grid has no such household" if place else "no household given",
            )
        return None

    def severity(self, row: Mapping[str, object]) -> Severity:
        column = self.columns.severity
        value = _cell(row, column)
        if value is None or value == "":
            return self.fmt.default_severity
        if isinstance(value, str) and value in ("1", "2", "3", "4"):
            return Severity(int(value))
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
            return Severity(value)
        if isinstance(value, str):
            try:
                return Severity.from_zh(value)
            except GridGovError:
                pass
        raise invalid(
            column,
            "紧急程度应为 一般/关注/紧急/特急 或 1–4",
            "severity must be 一般/关注/紧急/特急 or 1–4",
        )

    def text(self, row: Mapping[str, object], column: str) -> str:
        value = _cell(row, column)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise invalid(column, "应为文字", "expected text")
        try:
            return v.check_text(column, value)
        except GridGovError:
            raise invalid(
                column,
                f"文字过长（超过 {v.MAX_TEXT:,} 字）",
                f"text longer than {v.MAX_TEXT:,} characters",
            ) from None

    def reporter(self, row: Mapping[str, object]) -> Reporter:
        column = self.columns.caller
        value = _cell(row, column)
        if value is None or value == "":
            return _ANONYMOUS
        if not isinstance(value, str) or not is_ident(value):
            raise invalid(column, "来电人应为居民编号", "the caller must be a resident id")
        return Reporter.resident(value)


_ANONYMOUS = Reporter(kind=ReporterKind.ANONYMOUS)


def is_ident(value: str) -> bool:
    try:
        v.check_ident("id", value)
    except GridGovError:
        return False
    return True
