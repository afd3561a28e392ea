"""Field sensitivity as data: which class of personal information each field holds.

Every field of a value that holds personal data is classed in a :class:`SensitivityTable`:
``public`` (ids, codes, categories — nothing about a person on its own), ``personal``
(names, birth dates, free text: PIPL Art. 4) or one of the *sensitive* classes of PIPL
Art. 28 — ``health``, ``financial``, ``identity`` (特定身份), ``minor`` (everything about a
child under 14, Art. 28 and 31) and ``whereabouts`` (行踪轨迹).  A condition on a personal
file is classed by its kind (``dementia`` is health, ``low_income`` financial,
``living_alone`` identity).  The table also says which classes each :class:`Purpose` may
see — processing limited to what the purpose needs (Art. 6), with operating permissions by
role (Art. 51) — and is a value an app changes like any other.

Example:
    >>> DEFAULT_SENSITIVITY.class_of("Resident", "name").zh
    '一般个人信息'
    >>> DEFAULT_SENSITIVITY.condition_class("dementia").zh, DEFAULT_SENSITIVITY.condition_class("low_income").zh
    ('医疗健康', '金融财产')
    >>> sorted(s.value for s in DEFAULT_SENSITIVITY.classes_for(Purpose.STATISTICS))
    ['public']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

import gridgov._validators as v
from gridgov._labels import LabelledEnum
from gridgov.errors import InvalidValueError
from gridgov.people import Role
from gridgov.serialize import register

__all__ = [
    "DEFAULT_SENSITIVITY",
    "ConditionClass",
    "FieldClass",
    "Purpose",
    "PurposeClasses",
    "Sensitivity",
    "SensitivityTable",
]


class Sensitivity(LabelledEnum):
    """The class of personal information a field holds (PIPL's categories).

    Example:
        >>> Sensitivity.HEALTH.zh, Sensitivity.HEALTH.sensitive, Sensitivity.PERSONAL.sensitive
        ('医疗健康', True, False)
        >>> Sensitivity.MINOR.basis
        'PIPL Art. 28, 31'
    """

    PUBLIC = "public"
    PERSONAL = "personal"
    HEALTH = "health"
    FINANCIAL = "financial"
    IDENTITY = "identity"
    MINOR = "minor"
    WHEREABOUTS = "whereabouts"

    __zh__: ClassVar[Mapping[str, str]] = {
        "public": "非个人信息",
        "personal": "一般个人信息",
        "health": "医疗健康",
        "financial": "金融财产",
        "identity": "特定身份",
        "minor": "未满十四周岁未成年人",
        "whereabouts": "行踪轨迹",
    }

    @property
    def sensitive(self) -> bool:
        """Whether the class is sensitive personal information (PIPL Art. 28)."""
        return self not in (Sensitivity.PUBLIC, Sensitivity.PERSONAL)

    @property
    def basis(self) -> str:
        """The article of PIPL that makes the class what it is."""
        return _BASIS[self.value]


_BASIS = {
    "public": "PIPL Art. 4, 73",
    "personal": "PIPL Art. 4, 6",
    "health": "PIPL Art. 28",
    "financial": "PIPL Art. 28",
    "identity": "PIPL Art. 28",
    "minor": "PIPL Art. 28, 31",
    "whereabouts": "PIPL Art. 28",
}


class Purpose(LabelledEnum):
    """What a scope looks at personal data for; it decides which classes it may see.

    Example:
        >>> Purpose.VISIT.zh, Purpose.CASE_HANDLING.label
        ('走访', 'case handling')
    """

    VISIT = "visit"
    CASE_HANDLING = "case_handling"
    STATISTICS = "statistics"
    AUDIT = "audit"

    __zh__: ClassVar[Mapping[str, str]] = {
        "visit": "走访",
        "case_handling": "案件办理",
        "statistics": "统计",
        "audit": "审计",
    }


_FIELD = re.compile(r"(\*|[A-Z][A-Za-z0-9]*)\.[a-z_][a-z0-9_]*")


def _field_key(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or _FIELD.fullmatch(value) is None:
        raise v.refuse(
            v.field_name(attribute),
            instance,
            "'Type.field' or '*.field' (a value's class name, a dot, a field name)",
            value,
        )


@register
@attrs.frozen(kw_only=True)
class FieldClass:
    """One row of the table: a field (``"Type.field"``, or ``"*.field"`` for that field of
    every value) and its class.

    Example:
        >>> FieldClass(field="Issue.description", sensitivity=Sensitivity.PERSONAL).field
        'Issue.description'
        >>> FieldClass(field="description", sensitivity=Sensitivity.PERSONAL)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'field' of FieldClass must be 'Type.field' or '*.field' (a value's class name, a dot, a field name) (got 'description').
    """

    field: str = attrs.field(validator=_field_key)
    sensitivity: Sensitivity = attrs.field(validator=v.is_a(Sensitivity))


@register
@attrs.frozen(kw_only=True)
class ConditionClass:
    """The class of a kind of condition on a personal file.

    Example:
        >>> ConditionClass(kind="dementia", sensitivity=Sensitivity.HEALTH).sensitivity.zh
        '医疗健康'
    """

    kind: str = attrs.field(validator=v.code)
    sensitivity: Sensitivity = attrs.field(validator=v.is_a(Sensitivity))


@register
@attrs.frozen(kw_only=True)
class PurposeClasses:
    """The classes a purpose may see.

    Example:
        >>> PurposeClasses(purpose=Purpose.STATISTICS, classes={Sensitivity.PUBLIC}).classes
        frozenset({<Sensitivity.PUBLIC: 'public'>})
    """

    purpose: Purpose = attrs.field(validator=v.is_a(Purpose))
    classes: frozenset[Sensitivity] = attrs.field(
        converter=v.to_frozenset, validator=v.frozenset_of(v.is_a(Sensitivity))
    )


def _unique(what: str, keys: Iterable[object]) -> None:
    seen: set[object] = set()
    for key in keys:
        if key in seen:
            raise InvalidValueError(
                f"'{what}' of SensitivityTable must class each one once (got {v.show(key)} twice)."
            )
        seen.add(key)


@register
@attrs.frozen(kw_only=True)
class SensitivityTable:
    """Which class each field holds, which classes each purpose may see, and who may look.

    Attributes:
        fields: the class of each field that holds personal data; a field not listed is
            public.  ``"Type.field"`` wins over ``"*.field"``.
        conditions: the class of each kind of condition.
        unknown_condition: the class of a condition kind not listed (the strictest reading).
        purposes: the classes each purpose may see; a purpose not listed sees public
            fields only.
        roles: the roles whose posts let a member see the residents and cases below them.
        partner_classes: the most a partner linked to a case may see, whatever its purpose.
        minor_age: under this age every non-public field of a resident is of class
            ``minor``.
        min_cell: the smallest count a statistics table shows (smaller ones are suppressed).

    Example:
        >>> DEFAULT_SENSITIVITY
        SensitivityTable(35 fields, 13 condition kinds, 4 purposes, min_cell=5)
        >>> t = DEFAULT_SENSITIVITY.with_field("Issue.description", Sensitivity.HEALTH)
        >>> t.class_of("Issue", "description").value, t.class_of("Accepted", "note").value
        ('health', 'personal')
    """

    fields: tuple[FieldClass, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.holds(FieldClass))
    )
    conditions: tuple[ConditionClass, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.holds(ConditionClass))
    )
    purposes: tuple[PurposeClasses, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.holds(PurposeClasses))
    )
    roles: frozenset[Role] = attrs.field(
        converter=v.to_frozenset, validator=v.frozenset_of(v.is_a(Role))
    )
    partner_classes: frozenset[Sensitivity] = attrs.field(
        converter=v.to_frozenset, validator=v.frozenset_of(v.is_a(Sensitivity))
    )
    unknown_condition: Sensitivity = attrs.field(
        default=Sensitivity.HEALTH, validator=v.is_a(Sensitivity)
    )
    minor_age: int = attrs.field(default=14, validator=v.integer(0, 150))
    min_cell: int = attrs.field(default=5, validator=v.integer(1, 10**6))

    _by_field: Mapping[str, Sensitivity] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )
    _by_kind: Mapping[str, Sensitivity] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )
    _by_purpose: Mapping[Purpose, frozenset[Sensitivity]] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        _unique("fields", (f.field for f in self.fields))
        _unique("conditions", (c.kind for c in self.conditions))
        _unique("purposes", (p.purpose.value for p in self.purposes))
        hold = object.__setattr__
        hold(self, "_by_field", MappingProxyType({f.field: f.sensitivity for f in self.fields}))
        hold(self, "_by_kind", MappingProxyType({c.kind: c.sensitivity for c in self.conditions}))
        hold(
            self,
            "_by_purpose",
            MappingProxyType(
                {p.purpose: p.classes | {Sensitivity.PUBLIC} for p in self.purposes}
            ),
        )

    def __repr__(self) -> str:
        return (
            f"SensitivityTable({len(self.fields)} fields, {len(self.conditions)} condition "
            f"kinds, {len(self.purposes)} purposes, min_cell={self.min_cell})"
        )

    def class_of(self, type_name: str, field: str) -> Sensitivity:
        """The class of *field* of values of type *type_name* (public if not listed).

        Example:
            >>> DEFAULT_SENSITIVITY.class_of("Resolved", "summary").value
            'personal'
            >>> DEFAULT_SENSITIVITY.class_of("Resident", "id").value
            'public'
        """
        found = self._by_field.get(f"{type_name}.{field}")
        if found is None:
            found = self._by_field.get(f"*.{field}", Sensitivity.PUBLIC)
        return found

    def classed(self, type_name: str, field: str) -> bool:
        """Whether the table lists *field* of *type_name* (directly or through ``*.field``).

        Example:
            >>> DEFAULT_SENSITIVITY.classed("Resident", "name"), DEFAULT_SENSITIVITY.classed("Resident", "id")
            (True, False)
        """
        return f"{type_name}.{field}" in self._by_field or f"*.{field}" in self._by_field

    def condition_class(self, kind: str) -> Sensitivity:
        """The class of a condition of *kind* (``unknown_condition`` if not listed).

        Example:
            >>> DEFAULT_SENSITIVITY.condition_class("living_alone").value
            'identity'
        """
        return self._by_kind.get(kind, self.unknown_condition)

    def classes_for(self, purpose: Purpose) -> frozenset[Sensitivity]:
        """The classes *purpose* may see (public always).

        Example:
            >>> sorted(s.value for s in DEFAULT_SENSITIVITY.classes_for(Purpose.AUDIT))
            ['personal', 'public']
        """
        return self._by_purpose.get(purpose, frozenset({Sensitivity.PUBLIC}))

    def with_field(self, field: str, sensitivity: Sensitivity) -> SensitivityTable:
        """A copy with *field* (``"Type.field"`` or ``"*.field"``) of class *sensitivity*.

        Example:
            >>> DEFAULT_SENSITIVITY.with_field("Resident.tags", Sensitivity.PUBLIC).class_of(
            ...     "Resident", "tags").value
            'public'
        """
        row = FieldClass(field=field, sensitivity=sensitivity)
        rest = [f for f in self.fields if f.field != field]
        return attrs.evolve(self, fields=(*rest, row))

    def with_condition(self, kind: str, sensitivity: Sensitivity) -> SensitivityTable:
        """A copy with conditions of *kind* of class *sensitivity*.

        Example:
            >>> DEFAULT_SENSITIVITY.with_condition("hoarding", Sensitivity.HEALTH).condition_class(
            ...     "hoarding").value
            'health'
        """
        row = ConditionClass(kind=kind, sensitivity=sensitivity)
        rest = [c for c in self.conditions if c.kind != kind]
        return attrs.evolve(self, conditions=(*rest, row))

    def with_purpose(self, purpose: Purpose, classes: Iterable[Sensitivity]) -> SensitivityTable:
        """A copy where *purpose* may see *classes*.

        Example:
            >>> t = DEFAULT_SENSITIVITY.with_purpose(Purpose.AUDIT, {Sensitivity.PUBLIC})
            >>> sorted(s.value for s in t.classes_for(Purpose.AUDIT))
            ['public']
        """
        row = PurposeClasses(purpose=purpose, classes=frozenset(v.check_items("classes", classes)))
        rest = [p for p in self.purposes if p.purpose is not purpose]
        return attrs.evolve(self, purposes=(*rest, row))


_S = Sensitivity
_ALL = frozenset(Sensitivity)

DEFAULT_SENSITIVITY = SensitivityTable(
    fields=[
        FieldClass(field="Resident.name", sensitivity=_S.PERSONAL),
        FieldClass(field="Resident.birth_date", sensitivity=_S.PERSONAL),
        FieldClass(field="Resident.file_opened", sensitivity=_S.PERSONAL),
        FieldClass(field="Resident.tracked_since", sensitivity=_S.PERSONAL),
        FieldClass(field="Resident.conditions", sensitivity=_S.HEALTH),
        FieldClass(field="Resident.tags", sensitivity=_S.IDENTITY),
        FieldClass(field="Condition.note", sensitivity=_S.HEALTH),
        FieldClass(field="Issue.description", sensitivity=_S.PERSONAL),
        FieldClass(field="Issue.place", sensitivity=_S.WHEREABOUTS),
        FieldClass(field="CaseFacts.place", sensitivity=_S.WHEREABOUTS),
        FieldClass(field="CaseSummary.place", sensitivity=_S.WHEREABOUTS),
        FieldClass(field="Wish.place", sensitivity=_S.WHEREABOUTS),
        FieldClass(field="*.household", sensitivity=_S.WHEREABOUTS),
        FieldClass(field="VisitRecord.findings", sensitivity=_S.HEALTH),
        FieldClass(field="MajorChange.what", sensitivity=_S.HEALTH),
        FieldClass(field="Wish.what", sensitivity=_S.PERSONAL),
        FieldClass(field="Attendee.name", sensitivity=_S.PERSONAL),
        FieldClass(field="Talent.name", sensitivity=_S.PERSONAL),
        FieldClass(field="Placement.person_name", sensitivity=_S.PERSONAL),
        FieldClass(field="*.resident_name", sensitivity=_S.PERSONAL),
        FieldClass(field="*.note", sensitivity=_S.PERSONAL),
        FieldClass(field="*.summary", sensitivity=_S.PERSONAL),
        FieldClass(field="Rejected.reason", sensitivity=_S.PERSONAL),
        FieldClass(field="VerificationFailed.reason", sensitivity=_S.PERSONAL),
        FieldClass(field="Suspended.reason", sensitivity=_S.PERSONAL),
        FieldClass(field="ExtensionRequested.reason", sensitivity=_S.PERSONAL),
        FieldClass(field="ExtensionRefused.reason", sensitivity=_S.PERSONAL),
        FieldClass(field="Returned.reason", sensitivity=_S.PERSONAL),
        FieldClass(field="SeverityRaised.reason", sensitivity=_S.PERSONAL),
        FieldClass(field="CoHandlerReleased.reason", sensitivity=_S.PERSONAL),
        FieldClass(field="MergedInto.reason", sensitivity=_S.PERSONAL),
        FieldClass(field="Escalated.reason", sensitivity=_S.PERSONAL),
        FieldClass(field="ItemDeferred.reason", sensitivity=_S.PERSONAL),
        FieldClass(field="VisitShortfall.reason", sensitivity=_S.PERSONAL),
        FieldClass(field="MissedVisitEscalation.reason", sensitivity=_S.PERSONAL),
    ],
    conditions=[
        ConditionClass(kind="living_alone", sensitivity=_S.IDENTITY),
        ConditionClass(kind="no_family_support", sensitivity=_S.IDENTITY),
        ConditionClass(kind="empty_nest", sensitivity=_S.IDENTITY),
        ConditionClass(kind="left_behind", sensitivity=_S.IDENTITY),
        ConditionClass(kind="disabled", sensitivity=_S.HEALTH),
        ConditionClass(kind="incapacitated", sensitivity=_S.HEALTH),
        ConditionClass(kind="chronic_illness", sensitivity=_S.HEALTH),
        ConditionClass(kind="seriously_ill", sensitivity=_S.HEALTH),
        ConditionClass(kind="dementia", sensitivity=_S.HEALTH),
        ConditionClass(kind="recently_discharged", sensitivity=_S.HEALTH),
        ConditionClass(kind="injured", sensitivity=_S.HEALTH),
        ConditionClass(kind="low_income", sensitivity=_S.FINANCIAL),
        ConditionClass(kind="extreme_poverty", sensitivity=_S.FINANCIAL),
    ],
    purposes=[
        PurposeClasses(purpose=Purpose.VISIT, classes=_ALL),
        PurposeClasses(
            purpose=Purpose.CASE_HANDLING, classes={_S.PERSONAL, _S.WHEREABOUTS}
        ),
        PurposeClasses(purpose=Purpose.STATISTICS, classes={_S.PUBLIC}),
        PurposeClasses(purpose=Purpose.AUDIT, classes={_S.PERSONAL}),
    ],
    roles={
        Role.SUBDISTRICT_HEAD,
        Role.SECRETARY,
        Role.GRID_LEADER,
        Role.MICRO_GRID_LEADER,
        Role.GRID_WORKER,
    },
    partner_classes={_S.PUBLIC, _S.WHEREABOUTS},
)
"""The default table; the "Privacy and access" page gives each class its PIPL basis.  Names,
birth dates and free text are personal; a household and an issue's place are whereabouts;
conditions are classed by kind; visit findings are health.  Visits see every class of
their own residents, case handling names, text and places, audit names and text,
statistics nothing personal; partners at most a case's place and task."""
