"""12345 hotline import (工单导入): rows of a hotline's export → issues, and every row that
could not become one, with the reason.

A hotline (12345, 接诉即办) exports its tickets (工单) as a spreadsheet or CSV: a ticket number,
a category in the hotline's own Chinese words, a time like ``"2026-11-26 10:15"``, the
household, what the caller said.  :func:`import_hotline` reads such rows — mappings, as
``csv.DictReader`` gives them — with the column names and labels of a
:class:`HotlineFormat`, and returns a :class:`HotlineImport`: the issues, and a
:class:`RejectedRow` for each row that could not become one (an empty mandatory field, an
unknown category label, a malformed time, a bad value, a repeated ticket, and — if the caller
asks — an unknown household).  Nothing is dropped: every row is either an issue or a
rejection, in the order given.

* Categories are found through the hotline's own label table (``labels``: its label → a
  category code), then the catalogue's Chinese labels (:meth:`CategoryCatalogue.from_zh`),
  then the catalogue's codes.
* Times without an offset are China Standard Time; ISO 8601 with an offset is also read.
* A household the grid does not know (or an empty one) gives an unlocated issue (待定位, routed
  to the router's unit for unlocated issues) unless ``unknown_place="reject"``.
* Reasons never repeat personal data: a rejection names the row, the column and the problem,
  and shows only a category label or a time as read, never a household, a caller or what
  they said.

Example:
    >>> rows = [
    ...     {"工单编号": "12345-0001", "诉求类别": "设施维修", "来电时间": "2026-11-26 10:15",
    ...      "户号": "h-1001", "诉求内容": "楼道灯不亮"},
    ...     {"工单编号": "12345-0002", "诉求类别": "路灯不亮", "来电时间": "2026-11-26 10:20",
    ...      "户号": "h-1002", "诉求内容": "小区路灯坏了"},
    ...     {"工单编号": "12345-0003", "诉求类别": "设施维修", "来电时间": "26/11 10:30",
    ...      "户号": "h-1001", "诉求内容": ""},
    ... ]
    >>> from gridgov.demo import sample_grid
    >>> found = import_hotline(rows, grid=sample_grid(),
    ...                        format=HotlineFormat(labels={"路灯不亮": "facility_repair"}))
    >>> [(i.id, i.category, str(i.reported_at)) for i in found.issues]
    [('12345-0001', 'facility_repair', '2026-11-26 10:15:00+08:00'), ('12345-0002', 'facility_repair', '2026-11-26 10:20:00+08:00')]
    >>> [(r.line, r.ticket, r.problem.zh) for r in found.rejected]
    [(3, '12345-0003', '时间格式错误')]
    >>> print(found.rejected[0].reason)
    第3行「来电时间」：时间格式错误（读到“26/11 10:30”，应为 %Y-%m-%d %H:%M、%Y-%m-%d %H:%M:%S、%Y/%m/%d %H:%M、%Y/%m/%d %H:%M:%S 或带时区的 ISO 8601）。
    row 3 '来电时间': malformed time (read '26/11 10:30', expected %Y-%m-%d %H:%M, %Y-%m-%d %H:%M:%S, %Y/%m/%d %H:%M, %Y/%m/%d %H:%M:%S or ISO 8601 with an offset).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Literal

import attrs

import gridgov._validators as v
from gridgov._labels import LabelledEnum
from gridgov.errors import InvalidValueError
from gridgov.grid import GridGraph
from gridgov.interop._cells import Reader, Refused, invalid, is_ident, required
from gridgov.issues import (
    DEFAULT_CATALOGUE,
    CategoryCatalogue,
    Channel,
    Issue,
    Severity,
)
from gridgov.reasons import Reason
from gridgov.serialize import register

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

MAX_HOTLINE_ROWS = 10_000_000
"""The most rows one call of :func:`import_hotline` reads."""

MAX_HOTLINE_LABELS = 100_000
"""The most entries a hotline's own label table may have."""


class RowProblem(LabelledEnum):
    """Why a row of a hotline's export did not become an issue.

    Example:
        >>> RowProblem.UNKNOWN_CATEGORY.zh, RowProblem.MALFORMED_TIME.label
        ('未知类别', 'malformed time')
    """

    EMPTY_FIELD = "empty_field"
    UNKNOWN_CATEGORY = "unknown_category"
    UNKNOWN_PLACE = "unknown_place"
    MALFORMED_TIME = "malformed_time"
    INVALID_VALUE = "invalid_value"
    DUPLICATE_TICKET = "duplicate_ticket"

    __zh__: ClassVar[Mapping[str, str]] = {
        "empty_field": "必填项为空",
        "unknown_category": "未知类别",
        "unknown_place": "未知户号",
        "malformed_time": "时间格式错误",
        "invalid_value": "字段值无效",
        "duplicate_ticket": "工单编号重复",
    }


def _column(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    v.check_name(attribute.name, value, instance)


@register
@attrs.frozen(kw_only=True)
class HotlineColumns:
    """The column names of a hotline's export (the defaults are a typical 12345 工单 export).

    ``id``, ``category`` and ``reported_at`` must be filled in every row; ``place``,
    ``description``, ``severity`` and ``caller`` may be empty or absent.

    Attributes:
        id: the ticket number (工单编号); the issue's id is the format's ``id_prefix`` + it.
        category: the category, as the hotline labels it.
        reported_at: when the call came in.
        place: the household (place id) it concerns.
        description: what the caller said (free text).
        severity: the urgency: a Chinese severity name (一般/关注/紧急/特急) or 1–4.
        caller: the caller's resident id (empty: an anonymous reporter).

    Example:
        >>> HotlineColumns(category="问题分类").category
        '问题分类'
    """

    id: str = attrs.field(default="工单编号", validator=_column)
    category: str = attrs.field(default="诉求类别", validator=_column)
    reported_at: str = attrs.field(default="来电时间", validator=_column)
    place: str = attrs.field(default="户号", validator=_column)
    description: str = attrs.field(default="诉求内容", validator=_column)
    severity: str = attrs.field(default="紧急程度", validator=_column)
    caller: str = attrs.field(default="来电人编号", validator=_column)


def _to_labels(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted(value.items(), key=lambda kv: str(kv[0])))
    return v.to_tuple(value)


def _labels(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or len(value) > MAX_HOTLINE_LABELS:
        raise v.refuse(
            "labels", instance, f"a mapping of at most {MAX_HOTLINE_LABELS:,} labels", value
        )
    seen: set[str] = set()
    for pair in value:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise v.refuse("labels", instance, "a mapping of label → category code", pair)
        label, code = pair
        v.check_name("labels", label, instance)
        v.check_code("labels", code, instance)
        if label in seen:
            raise v.refuse("labels", instance, "a mapping with each label once", label)
        seen.add(label)


_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S")


@register
@attrs.frozen(kw_only=True)
class HotlineFormat:
    """How to read one hotline's export.

    Attributes:
        columns: the column names.
        labels: the hotline's own category labels → category codes of the catalogue (read
            before the catalogue's Chinese labels); a mapping or ``(label, code)`` pairs.
        time_formats: ``datetime.strptime`` formats for times without an offset (read
            as China Standard Time), tried in order; ISO 8601 is always read too.
        unknown_place: ``"unlocated"`` (the default): a household the grid does not know, or
            an empty one, gives an unlocated issue (待定位); ``"reject"``: a rejected row.
        default_severity: the severity of a row whose severity is empty or absent.
        channel: the channel the issues came through.
        id_prefix: put before each ticket number to make the issue's id (``"12345-"``).

    Example:
        >>> HotlineFormat(unknown_place="guess")
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'unknown_place' of HotlineFormat must be 'unlocated' or 'reject' (got 'guess').
    """

    columns: HotlineColumns = attrs.field(factory=HotlineColumns, validator=v.is_a(HotlineColumns))
    labels: tuple[tuple[str, str], ...] = attrs.field(
        default=(), converter=_to_labels, validator=_labels
    )
    time_formats: tuple[str, ...] = attrs.field(
        default=_TIME_FORMATS, converter=v.to_tuple, validator=v.tuple_of(v.name)
    )
    unknown_place: Literal["unlocated", "reject"] = "unlocated"
    default_severity: Severity = attrs.field(default=Severity.ROUTINE, validator=v.is_a(Severity))
    channel: Channel = attrs.field(default=Channel.HOTLINE_12345, validator=v.is_a(Channel))
    id_prefix: str = attrs.field(default="", validator=v.text)

    def __attrs_post_init__(self) -> None:
        if self.unknown_place not in ("unlocated", "reject"):
            raise v.refuse("unknown_place", self, "'unlocated' or 'reject'", self.unknown_place)
        if not self.time_formats:
            raise v.refuse("time_formats", self, "at least one format", self.time_formats)


DEFAULT_HOTLINE = HotlineFormat()
"""The format of a typical 12345 export (the default column names, no label table).

:meta hide-value:
"""


@register
@attrs.frozen(kw_only=True)
class RejectedRow:
    """A row that did not become an issue, and why.

    Attributes:
        line: the row's position among the rows given, from 1 (with a CSV header, the file's
            line number less one).
        ticket: the row's ticket number, if it could be read as an id.
        column: the column at fault.
        problem: what was wrong.
        reason: the explanation, in Chinese and English, naming no personal data.

    Example:
        >>> found = import_hotline([{"工单编号": "t-1", "诉求类别": "", "来电时间": "2026-11-26 10:00"}])
        >>> r = found.rejected[0]
        >>> r.line, r.column, r.problem.value, r.reason.en
        (1, '诉求类别', 'empty_field', "row 1 '诉求类别': mandatory field is empty.")
    """

    line: int = attrs.field(validator=v.integer(1, MAX_HOTLINE_ROWS))
    ticket: str | None = attrs.field(validator=v.optional(v.ident))
    column: str = attrs.field(validator=v.name)
    problem: RowProblem = attrs.field(validator=v.is_a(RowProblem))
    reason: Reason = attrs.field(validator=v.is_a(Reason))


_HEADERS = {
    "line": "行号",
    "ticket": "工单编号",
    "column": "字段",
    "problem": "问题",
    "reason": "说明",
}


@register
@attrs.frozen(kw_only=True)
class HotlineImport:
    """What an import made: the issues, the rejected rows, and the row of each issue.

    Attributes:
        issues: the issues, in row order.
        lines: the row (from 1) each issue came from, in the same order.
        rejected: the rows that did not become issues, in row order.

    Example:
        >>> found = import_hotline([])
        >>> found.total, found.issues, found.rejected
        (0, (), ())
    """

    issues: tuple[Issue, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.is_a(Issue))
    )
    lines: tuple[int, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.integer(1, MAX_HOTLINE_ROWS))
    )
    rejected: tuple[RejectedRow, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.is_a(RejectedRow))
    )

    def __attrs_post_init__(self) -> None:
        if len(self.lines) != len(self.issues):
            raise InvalidValueError(
                f"'lines' of HotlineImport must give one row per issue "
                f"({len(self.issues):,} issues, got {len(self.lines):,} rows)."
            )
        taken = sorted([*self.lines, *(r.line for r in self.rejected)])
        if taken != list(range(1, len(taken) + 1)):
            raise InvalidValueError(
                "'lines' and 'rejected' of HotlineImport must account for rows 1 to "
                f"{len(taken):,} once each."
            )

    @property
    def total(self) -> int:
        """The number of rows read (issues and rejections together)."""
        return len(self.issues) + len(self.rejected)

    @property
    def unlocated(self) -> tuple[str, ...]:
        """The ids of the issues imported without a known household (待定位).

        Example:
            >>> row = {"工单编号": "t-1", "诉求类别": "矛盾纠纷", "来电时间": "2026-11-26 10:00",
            ...        "户号": "h-nowhere"}
            >>> from gridgov.demo import sample_grid
            >>> import_hotline([row], grid=sample_grid()).unlocated
            ('t-1',)
        """
        return tuple(i.id for i in self.issues if i.place is None and i.unit is None)

    def rows(self, *, zh: bool = False) -> list[dict[str, object]]:
        """The rejected rows as plain dicts, for ``csv.DictWriter`` (a rejects file).

        Args:
            zh: Chinese headers and Chinese reasons (default: English).

        Example:
            >>> found = import_hotline([{"工单编号": "t-1", "诉求类别": "矛盾纠纷", "来电时间": "?"}])
            >>> found.rows(zh=True)[0]["问题"]
            '时间格式错误'
        """
        out: list[dict[str, object]] = []
        for r in self.rejected:
            row: dict[str, object] = {
                "line": r.line,
                "ticket": r.ticket,
                "column": r.column,
                "problem": r.problem.zh if zh else r.problem.value,
                "reason": r.reason.zh if zh else r.reason.en,
            }
            out.append({_HEADERS[k]: x for k, x in row.items()} if zh else row)
        return out


# --------------------------------------------------------------------------- the import


def import_hotline(
    rows: Iterable[Mapping[str, object]],
    *,
    format: HotlineFormat | None = None,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    grid: GridGraph | None = None,
) -> HotlineImport:
    """Read a hotline's export: every row becomes an issue or a :class:`RejectedRow`.

    Args:
        rows: the rows, as mappings of column name → cell (``csv.DictReader`` gives them;
            cells are strings, ``None`` for a missing cell, or — from other readers — a
            ``datetime`` for the time and an int for the severity).
        format: the column names, the label table, the time formats and what to do with
            unknown households (default :data:`DEFAULT_HOTLINE`).
        catalogue: the categories the labels are looked up in.
        grid: the grid the households are checked against (without one, every non-empty
            household is taken as given).

    Raises:
        InvalidValueError: if *rows* is a string or not iterable, a row is not a mapping,
            there are more than :data:`MAX_HOTLINE_ROWS` rows, a mandatory column is in none of the
            rows (naming it and the columns found), or the label table names a code the
            catalogue does not have.

    Example:
        >>> import csv, io
        >>> text = "工单编号,诉求类别,来电时间,户号,诉求内容\\nA1,矛盾纠纷,2026-11-26 22:10,h-1001,邻里纠纷\\n"
        >>> found = import_hotline(csv.DictReader(io.StringIO(text)))
        >>> found.issues[0].category, found.issues[0].channel.zh, found.issues[0].reporter.kind.value
        ('dispute', '12345转办', 'anonymous')
    """
    if isinstance(rows, str | bytes | Mapping) or not isinstance(rows, Iterable):
        raise v.refuse(
            "rows", None, "an iterable of mappings (rows), not a string or a mapping", rows
        )
    format = (
        DEFAULT_HOTLINE if format is None else v.check_instance("format", format, HotlineFormat)
    )
    v.check_instance("catalogue", catalogue, CategoryCatalogue)
    if grid is not None:
        v.check_instance("grid", grid, GridGraph)
    reader = Reader(format, catalogue, grid)
    columns = format.columns
    issues: list[Issue] = []
    lines: list[int] = []
    rejected: list[RejectedRow] = []
    tickets: set[str] = set()
    mandatory = (columns.id, columns.category, columns.reported_at)
    seen_columns: set[str] = set()
    line = 0
    for line, row in enumerate(rows, 1):
        if line > MAX_HOTLINE_ROWS:
            raise InvalidValueError(f"'rows' must hold at most {MAX_HOTLINE_ROWS:,} rows.")
        if not isinstance(row, Mapping):
            raise v.refuse(f"rows[{line - 1}]", None, "a mapping of column → cell", row)
        seen_columns.update(k for k in row if isinstance(k, str))
        ticket: str | None = None
        try:
            raw = required(row, columns.id)
            if not isinstance(raw, str) or not is_ident(format.id_prefix + raw):
                raise invalid(columns.id, "工单编号应为编号", "the ticket number must be an id")
            ticket = raw
            issue_id = format.id_prefix + raw
            if issue_id in tickets:
                raise Refused(
                    columns.id,
                    RowProblem.DUPLICATE_TICKET.value,
                    "工单编号与前面的行重复",
                    "the ticket number repeats an earlier row's",
                )
            category = reader.category(row)
            moment = reader.moment(row)
            place = reader.place(row)
            severity = reader.severity(row)
            description = reader.text(row, columns.description)
            reporter = reader.reporter(row)
            issue = Issue(
                id=issue_id,
                category=category,
                severity=severity,
                channel=format.channel,
                reporter=reporter,
                reported_at=moment,
                place=place,
                description=description,
            )
        except Refused as refused:
            rejected.append(
                _rejection(line, ticket if ticket and is_ident(ticket) else None, refused)
            )
            continue
        tickets.add(issue_id)
        issues.append(issue)
        lines.append(line)
    if line:
        missing = [c for c in mandatory if c not in seen_columns]
        if missing:
            raise InvalidValueError(
                f"'rows' must have the column {missing[0]!r} of the format's columns "
                f"(columns found: {', '.join(sorted(seen_columns)[:20])})."
            )
    return HotlineImport(issues=issues, lines=lines, rejected=rejected)


def _rejection(line: int, ticket: str | None, refused: Refused) -> RejectedRow:
    problem = RowProblem(refused.problem)
    return RejectedRow(
        line=line,
        ticket=ticket,
        column=refused.column,
        problem=problem,
        reason=Reason(
            zh=f"第{line}行「{refused.column}」：{refused.zh or problem.zh}。",
            en=f"row {line} '{refused.column}': {refused.en or problem.label}.",
        ),
    )
