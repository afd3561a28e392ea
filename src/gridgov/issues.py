"""Issues (诉求 / 事件): what a resident needs or a grid worker found, and how it arrived.

An :class:`Issue` names its category (a code of a :class:`CategoryCatalogue`), its
:class:`Severity` (1–4), the :class:`Channel` it came through, the place or the unit it
concerns, the resident it concerns (optional), who reported it, and when.
:data:`DEFAULT_CATALOGUE` covers the categories of the reports and the common standards;
apps can build their own catalogue.

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST, Channel, Issue, Reporter, Severity
    >>> issue = Issue(id="i-1", category="elder_care", severity=Severity.URGENT,
    ...               channel=Channel.VISIT, place="h-1001", resident="r-lu",
    ...               reporter=Reporter.member("m-li"),
    ...               reported_at=datetime(2026, 11, 26, 9, 30, tzinfo=CST),
    ...               description="独居老人吕阿姨摔伤腰部，刚出院")
    >>> issue.severity.zh, issue.channel.zh, DEFAULT_CATALOGUE["elder_care"].zh
    ('紧急', '走访', '养老关爱')
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

import gridgov._validators as v
from gridgov._labels import LabelledEnum, from_zh
from gridgov.errors import InvalidValueError, PolicyError
from gridgov.serialize import register

__all__ = [
    "DEFAULT_CATALOGUE",
    "MAX_CATEGORIES",
    "Category",
    "CategoryCatalogue",
    "Channel",
    "Issue",
    "Reporter",
    "ReporterKind",
    "Severity",
]


class Severity(enum.IntEnum):
    """How serious an issue is, from 1 (routine) to 4 (emergency).

    Example:
        >>> Severity(3).name, Severity(3).zh
        ('URGENT', '紧急')
    """

    ROUTINE = 1
    ATTENTION = 2
    URGENT = 3
    EMERGENCY = 4

    @property
    def zh(self) -> str:
        """The Chinese label."""
        return ("一般", "关注", "紧急", "特急")[self.value - 1]

    @property
    def label(self) -> str:
        """The English label."""
        return self.name.lower()

    @classmethod
    def from_zh(cls, label: str) -> Severity:
        """The severity whose Chinese name is *label*.

        Example:
            >>> Severity.from_zh("紧急")
            <Severity.URGENT: 3>
        """
        found: Severity = from_zh(cls, label)
        return found


def to_severity(value: object) -> Any:
    """Converter shared by the value classes: a :class:`Severity` from itself or 1–4; anything
    else is left for :func:`severity_field` to refuse, naming the field (advanced)."""
    if isinstance(value, Severity):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
        return Severity(value)
    return value


def severity_field(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator of a severity field (with :func:`to_severity`): names the field (advanced).

    Example:
        >>> from gridgov.routing import Match
        >>> Match(max_severity=9)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'max_severity' of Match must be between 1 and 4 (got 9).
    """
    if not isinstance(value, Severity):
        raise InvalidValueError(
            f"'{v.field_name(attribute)}' of {type(instance).__name__} must be between 1 and 4 "
            f"(got {v.show(value)})."
        )


class Channel(LabelledEnum):
    """How an issue reached the grid.

    Example:
        >>> Channel.GROUP_CHAT.zh
        '网格群'
    """

    VISIT = "visit"
    HOTLINE = "hotline"
    GROUP_CHAT = "group_chat"
    DELIBERATION = "deliberation"
    WALK_IN = "walk_in"
    HOTLINE_12345 = "hotline_12345"
    APP = "app"

    __zh__: ClassVar[Mapping[str, str]] = {
        "visit": "走访",
        "hotline": "热线",
        "group_chat": "网格群",
        "deliberation": "议事会",
        "walk_in": "来访",
        "hotline_12345": "12345转办",
        "app": "小程序",
    }


@register
@attrs.frozen(kw_only=True)
class Category:
    """A category of issue, with English and Chinese labels.

    Attributes:
        code: the code used in data and rules (``"facility_repair"``).
        label: the English name.
        zh: the Chinese label.
        parent: the code of a broader category, if this one refines it
            (``"appliance_repair"`` refines ``"volunteer_service"``).

    Example:
        >>> Category(code="noise", label="noise", zh="噪音扰民", parent="environment")
        Category(code='noise', label='noise', zh='噪音扰民', parent='environment')
    """

    code: str = attrs.field(validator=v.code)
    label: str = attrs.field(validator=v.name)
    zh: str = attrs.field(validator=v.name)
    parent: str | None = attrs.field(default=None, validator=v.optional(v.code))

    def describe(self) -> str:
        """``'设施维修 facility repair'``.

        Example:
            >>> DEFAULT_CATALOGUE["facility_repair"].describe()
            '设施维修 facility repair'
        """
        return f"{self.zh} {self.label}"


MAX_CATEGORIES = 10_000
"""The most categories a catalogue may hold."""


@register
@attrs.frozen(kw_only=True)
class CategoryCatalogue:
    """A hierarchy of categories with unique codes; parents must be in the catalogue.

    The catalogue is the one home of the category hierarchy: whatever reads "a line for
    ``dispute`` also covers ``neighbour_dispute``" — the router, the responsibility matrix,
    SLAs, partners, duplicate detection — asks the catalogue in use through
    :meth:`lineage`, :meth:`covers` and :meth:`related`.

    Raises:
        PolicyError: for a repeated code, an unknown parent, a loop of parents, or more than
            :data:`MAX_CATEGORIES` categories.

    Example:
        >>> cat = CategoryCatalogue(name="mini", categories=[
        ...     Category(code="dispute", label="dispute", zh="矛盾纠纷"),
        ...     Category(code="noise", label="noise", zh="噪音扰民", parent="dispute")])
        >>> "noise" in cat, len(cat), cat.lineage("noise")
        (True, 2, ('noise', 'dispute'))
        >>> cat.covers("dispute", "noise"), cat.covers("noise", "dispute")
        (True, False)
    """

    name: str = attrs.field(validator=v.name)
    categories: tuple[Category, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.holds(Category))
    )
    _by_code: Mapping[str, Category] = attrs.field(init=False, repr=False, eq=False, hash=False)
    _lineage: Mapping[str, tuple[str, ...]] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    _by_zh: Mapping[str, tuple[str, ...]] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        if len(self.categories) > MAX_CATEGORIES:
            raise PolicyError(
                f"'categories' of catalogue {self.name!r} must hold at most "
                f"{MAX_CATEGORIES:,} categories (got {len(self.categories):,})."
            )
        by_code: dict[str, Category] = {}
        for c in self.categories:
            if c.code in by_code:
                raise PolicyError(
                    f"category code {c.code!r} appears twice in catalogue {self.name!r}."
                )
            by_code[c.code] = c
        for c in self.categories:
            if c.parent is not None and c.parent not in by_code:
                raise PolicyError(
                    f"'parent' of category {c.code!r} must be a code of catalogue {self.name!r} "
                    f"(got {v.show(c.parent)})."
                )
        lineage: dict[str, tuple[str, ...]] = {}
        for c in self.categories:
            seen = [c.code]
            parent = c.parent
            while parent is not None:
                if parent in lineage:  # already worked out: share it
                    seen.extend(lineage[parent])
                    break
                if parent in seen:
                    loop = " → ".join(repr(x) for x in [*seen[seen.index(parent) :], parent])
                    raise PolicyError(
                        f"categories {loop} of catalogue {self.name!r} form a loop of parents; "
                        "a broader category must not refine a narrower one."
                    )
                seen.append(parent)
                parent = by_code[parent].parent
            lineage[c.code] = tuple(seen)
        by_zh: dict[str, list[str]] = {}
        for c in self.categories:
            by_zh.setdefault(c.zh, []).append(c.code)
        setattr_ = object.__setattr__
        setattr_(self, "_by_code", MappingProxyType(by_code))
        setattr_(self, "_lineage", MappingProxyType(lineage))
        setattr_(self, "_by_zh", MappingProxyType({k: tuple(v) for k, v in by_zh.items()}))

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Category]:
        return iter(self.categories)

    def __len__(self) -> int:
        return len(self.categories)

    def __getitem__(self, code: str) -> Category:
        try:
            return self._by_code[code]
        except (KeyError, TypeError):
            raise PolicyError(
                f"'category' must be a code of catalogue {self.name!r} (got {v.show(code)})."
            ) from None

    @property
    def codes(self) -> frozenset[str]:
        """All codes of the catalogue.

        Example:
            >>> "dispute" in DEFAULT_CATALOGUE.codes
            True
        """
        return frozenset(self._by_code)

    def check(self, code: str) -> str:
        """Return *code* if the catalogue has it, else raise :class:`~gridgov.PolicyError`.

        Example:
            >>> DEFAULT_CATALOGUE.check("micro_wish")
            'micro_wish'
        """
        self[code]
        return code

    def lineage(self, code: str) -> tuple[str, ...]:
        """*code*, then the codes it refines, up to a category with no parent.

        Raises:
            PolicyError: if the catalogue has no such code.

        Example:
            >>> DEFAULT_CATALOGUE.lineage("appliance_repair")
            ('appliance_repair', 'volunteer_service')
        """
        try:
            return self._lineage[code]
        except (KeyError, TypeError):
            self[code]  # raises the error that names the catalogue
            raise  # pragma: no cover

    def covers(self, broad: str, code: str) -> bool:
        """Whether *broad* is *code* or a category *code* refines.

        Example:
            >>> DEFAULT_CATALOGUE.covers("volunteer_service", "housekeeping")
            True
        """
        return broad in self.lineage(code)

    def related(self, a: str, b: str) -> bool:
        """Whether *a* and *b* are the same matter: equal, or one refines the other.

        Example:
            >>> DEFAULT_CATALOGUE.related("housekeeping", "volunteer_service")
            True
            >>> DEFAULT_CATALOGUE.related("housekeeping", "health_care")
            False
        """
        return a in self.lineage(b) or b in self.lineage(a)

    def from_zh(self, label: str) -> Category:
        """The category whose Chinese label is *label* (surrounding spaces ignored), for apps
        importing a hotline's export.

        Raises:
            PolicyError: if no category has that label, or several do (naming their codes).

        Example:
            >>> DEFAULT_CATALOGUE.from_zh("设施维修").code
            'facility_repair'
        """
        codes = self._by_zh.get(label.strip()) if isinstance(label, str) else None
        if not codes:
            raise PolicyError(
                f"'label' must be the Chinese label of a category of catalogue {self.name!r} "
                f"(got {v.show(label)})."
            )
        if len(codes) > 1:
            raise PolicyError(
                f"'label' {label!r} names {len(codes)} categories of catalogue {self.name!r} "
                f"({', '.join(codes)}); look them up by code."
            )
        return self._by_code[codes[0]]

    def with_categories(self, categories: Iterable[Category], *, name: str) -> CategoryCatalogue:
        """A new catalogue with *categories* added.

        Example:
            >>> c = DEFAULT_CATALOGUE.with_categories(
            ...     [Category(code="parking", label="parking", zh="停车", parent="dispute")],
            ...     name="mine")
            >>> c.lineage("parking")
            ('parking', 'dispute')
        """
        return CategoryCatalogue(name=name, categories=(*self.categories, *categories))


DEFAULT_CATALOGUE = CategoryCatalogue(
    name="default",
    categories=[
        Category(code="dispute", label="dispute", zh="矛盾纠纷"),
        Category(code="facility_repair", label="facility repair", zh="设施维修"),
        Category(code="environment", label="environment and sanitation", zh="环境卫生"),
        Category(code="safety_hazard", label="safety hazard", zh="安全隐患"),
        Category(code="elder_care", label="elder care", zh="养老关爱"),
        Category(code="welfare", label="welfare and assistance", zh="民生救助"),
        Category(code="policy_enquiry", label="policy enquiry", zh="政策咨询"),
        Category(code="suggestion", label="opinion or suggestion", zh="意见建议"),
        Category(code="volunteer_service", label="volunteer service", zh="志愿服务"),
        Category(
            code="appliance_repair",
            label="appliance repair",
            zh="电器维修",
            parent="volunteer_service",
        ),
        Category(code="housekeeping", label="housekeeping", zh="家政", parent="volunteer_service"),
        Category(
            code="health_care",
            label="everyday health care",
            zh="日常保健",
            parent="volunteer_service",
        ),
        Category(code="micro_wish", label="micro-wish", zh="微心愿"),
        Category(code="public_order", label="public order", zh="治安"),
        Category(code="complaint", label="complaint", zh="投诉"),
    ],
)
"""The default category catalogue (codes, English names, Chinese labels)."""


class ReporterKind(LabelledEnum):
    """Who reported an issue.

    Example:
        >>> ReporterKind.MEMBER.zh
        '网格员'
    """

    RESIDENT = "resident"
    MEMBER = "member"
    ANONYMOUS = "anonymous"

    __zh__: ClassVar[Mapping[str, str]] = {
        "resident": "居民",
        "member": "网格员",
        "anonymous": "匿名",
    }


@register
@attrs.frozen(kw_only=True)
class Reporter:
    """The person who reported an issue: a resident, a grid-team member, or anonymous.

    Example:
        >>> Reporter.resident("r-lu")
        Reporter(kind=<ReporterKind.RESIDENT: 'resident'>, id='r-lu')
        >>> Reporter(kind=ReporterKind.ANONYMOUS)
        Reporter(kind=<ReporterKind.ANONYMOUS: 'anonymous'>, id=None)
    """

    kind: ReporterKind = attrs.field(validator=v.is_a(ReporterKind))
    id: str | None = attrs.field(default=None, validator=v.optional(v.ident))

    def __attrs_post_init__(self) -> None:
        if (self.kind is ReporterKind.ANONYMOUS) != (self.id is None):
            raise InvalidValueError(
                f"'id' of a {self.kind.value} reporter must be "
                f"{'None' if self.kind is ReporterKind.ANONYMOUS else 'given'} (got {v.show(self.id)})."
            )

    @classmethod
    def resident(cls, resident_id: str) -> Reporter:
        """A resident reporter.

        Example:
            >>> Reporter.resident("r1").kind.value
            'resident'
        """
        return cls(kind=ReporterKind.RESIDENT, id=resident_id)

    @classmethod
    def member(cls, member_id: str) -> Reporter:
        """A grid-team member reporter.

        Example:
            >>> Reporter.member("m-li").id
            'm-li'
        """
        return cls(kind=ReporterKind.MEMBER, id=member_id)


@register
@attrs.frozen(kw_only=True)
class Issue:
    """Something a resident needs or a grid worker found.

    An issue concerns a ``place`` (a household, building, courtyard …), or a ``unit`` of the
    grid as a whole (a campaign across a grid), or — when neither is known — nowhere yet:
    an *unlocated* issue (待定位), such as a hotline call from an unknown address.  At most
    one of ``place`` and ``unit`` is given.  An unlocated issue is routed from the unit the
    router is told to put such issues at, and is never grouped with other issues by place.

    Attributes:
        id: the issue's id.
        category: a category code (checked against the catalogue when routed).
        severity: 1–4 or a :class:`Severity`.
        channel: how it arrived.
        place: the place it concerns, if known.
        unit: the unit it concerns as a whole, if it concerns a unit.
        resident: the resident it concerns, if any.
        reporter: who reported it.
        reported_at: when (timezone-aware).
        description: free text (at most 4,000 characters).

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> call = Issue(id="i", category="dispute", severity=2, channel=Channel.HOTLINE,
        ...              reporter=Reporter(kind=ReporterKind.ANONYMOUS),
        ...              reported_at=datetime(2026, 1, 1, tzinfo=CST))
        >>> call.located
        False
        >>> Issue(id="i", category="dispute", severity=7, channel=Channel.HOTLINE, unit="g1",
        ...       reporter=Reporter(kind=ReporterKind.ANONYMOUS),
        ...       reported_at=datetime(2026, 1, 1, tzinfo=CST))
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'severity' of Issue must be between 1 and 4 (got 7).
    """

    id: str = attrs.field(validator=v.ident)
    category: str = attrs.field(validator=v.code)
    severity: Severity = attrs.field(converter=to_severity, validator=severity_field)
    channel: Channel = attrs.field(validator=v.is_a(Channel))
    reporter: Reporter = attrs.field(validator=v.is_a(Reporter))
    reported_at: datetime = attrs.field(validator=v.aware)
    place: str | None = attrs.field(default=None, validator=v.optional(v.ident), repr=False)
    unit: str | None = attrs.field(default=None, validator=v.optional(v.ident))
    resident: str | None = attrs.field(default=None, validator=v.optional(v.ident))
    description: str = attrs.field(default="", validator=v.personal_text, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.place is not None and self.unit is not None:
            raise InvalidValueError(
                f"Issue {self.id!r} must name at most one of 'place' and 'unit' "
                f"(got place={self.place!r}, unit={self.unit!r})."
            )

    @property
    def located(self) -> bool:
        """Whether the issue has a known place or unit (``False``: 待定位, unlocated).

        Example:
            >>> from datetime import datetime
            >>> from gridgov import CST
            >>> Issue(id="i", category="dispute", severity=1, channel=Channel.APP,
            ...       place="h-1", reporter=Reporter.resident("r"),
            ...       reported_at=datetime(2026, 1, 1, tzinfo=CST)).located
            True
        """
        return self.place is not None or self.unit is not None
