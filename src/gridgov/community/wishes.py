"""Micro-wishes (微心愿): what a resident wishes for their courtyard, and the agenda they make.

A :class:`Wish` says who wished what, where (a household or a public place of the grid), when
and how it was heard — on a visit, in a door-to-door round asking for opinions (入户征求意见:
``Channel.VISIT`` with the round's id as ``campaign``), in the group chat (``GROUP_CHAT``) or
at a meeting (``DELIBERATION``): the channels are :class:`~gridgov.issues.Channel`, the same
as an issue's.  A wish may also have been filed as a case (``case``), which a project that
answers it resolves through the case's own events.

:func:`agenda_items` groups wishes into :class:`AgendaItem` s for a deliberation meeting
(议事会): one item per micro-grid and category, in the order the first wish of each was heard,
each with a :class:`~gridgov.reasons.Reason` saying what it gathers.

Example:
    >>> from datetime import datetime
    >>> from gridgov import CST
    >>> from gridgov.demo import sample_grid
    >>> t = datetime(2026, 9, 7, 10, 0, tzinfo=CST)
    >>> wishes = [Wish(id="w1", resident="r-1", place="h-1001", what="健身器材坏了", at=t),
    ...           Wish(id="w2", resident="r-2", place="h-1002", what="想要个健身房", at=t)]
    >>> [item] = agenda_items(wishes, sample_grid())
    >>> item.wishes, item.unit
    (('w1', 'w2'), 'mg31')
    >>> print(item.reason)
    美好人家1号楼 微心愿 2 件：w1、w2
    美好人家1号楼: 2 micro-wishes: w1, w2
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal

import attrs

import gridgov._validators as v
from gridgov.errors import InvalidValueError
from gridgov.grid import GridGraph
from gridgov.issues import DEFAULT_CATALOGUE, CategoryCatalogue, Channel
from gridgov.reasons import Reason, Ref
from gridgov.serialize import register

__all__ = ["MAX_AGENDA_WISHES", "AgendaItem", "Wish", "agenda_items"]

MAX_AGENDA_WISHES = 10_000
"""The most wishes (and, apart, the most cases) one agenda item may gather."""


@register
@attrs.frozen(kw_only=True)
class Wish:
    """A resident's micro-wish (微心愿): who, what, where, when, and how it was heard.

    Attributes:
        id: the wish's id.
        resident: who wished it (a resident's id).
        place: where it is about: the resident's household or a public place of the grid.
        what: the wish, in the resident's words (personal: never shown in errors).
        at: when it was heard (aware).
        channel: how it was heard (:class:`~gridgov.issues.Channel`; a door-to-door round is
            ``VISIT``).
        campaign: the id of the round of door-to-door opinion gathering (入户征求意见) that
            heard it, if any.
        category: the category of need (``"micro_wish"`` or a category refining it).
        case: the id of the case it was filed as, if any.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST, Channel
        >>> w = Wish(id="w1", resident="r-wang", place="hd39-fitness", what="扭腰器转不动了",
        ...          at=datetime(2026, 9, 7, 10, 0, tzinfo=CST), campaign="hn-rhzq-09")
        >>> w.channel.zh, w.campaign
        ('走访', 'hn-rhzq-09')
        >>> Wish(id="w1", resident="r-wang", place="hd39-fitness", what=" ", at=w.at)
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'what' of Wish must be a non-blank text (got a str of 1 characters (not shown: personal data)).
    """

    id: str = attrs.field(validator=v.ident)
    resident: str = attrs.field(validator=v.ident)
    place: str = attrs.field(validator=v.ident, repr=False)
    what: str = attrs.field(validator=v.required_text, repr=False)
    at: datetime = attrs.field(validator=v.aware)
    channel: Channel = attrs.field(default=Channel.VISIT, validator=v.is_a(Channel))
    campaign: str | None = attrs.field(default=None, validator=v.optional(v.ident))
    category: str = attrs.field(default="micro_wish", validator=v.code)
    case: str | None = attrs.field(default=None, validator=v.optional(v.ident))


def _ids(instance: object, attribute: attrs.Attribute[tuple[str, ...]], value: object) -> None:
    v.tuple_of(v.ident)(instance, attribute, value)
    assert isinstance(value, tuple)
    if len(value) > MAX_AGENDA_WISHES:
        raise v.refuse(
            v.field_name(attribute), instance, f"at most {MAX_AGENDA_WISHES:,} ids", len(value)
        )
    if len(set(value)) != len(value):
        raise InvalidValueError(
            f"{v.where(v.field_name(attribute), instance)} must name each id once."
        )


@register
@attrs.frozen(kw_only=True)
class AgendaItem:
    """A matter put to a deliberation meeting: the wishes (and cases) it gathers and the plan
    proposed for them.

    Attributes:
        id: the item's id.
        title: what the item is called on the agenda.
        unit: the unit whose matter it is (the courtyard's micro-grid).
        wishes: the ids of the wishes it gathers.
        cases: the ids of the cases it gathers (the wishes' own, and any other).
        proposal: the plan put to the vote (may be filled in at the meeting).
        reason: why these are gathered together.

    Example:
        >>> item = AgendaItem(id="a1", title="39号院健身点", unit="mg39", wishes=["w1", "w2"])
        >>> item.with_proposal("健身房焕新方案").proposal
        '健身房焕新方案'
        >>> AgendaItem(id="a1", title="39号院健身点", unit="mg39", wishes=["w1", "w1"])
        Traceback (most recent call last):
        ...
        gridgov.errors.InvalidValueError: 'wishes' of AgendaItem must name each id once.
    """

    id: str = attrs.field(validator=v.ident)
    title: str = attrs.field(validator=v.name)
    unit: str = attrs.field(validator=v.ident)
    wishes: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=_ids)
    cases: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=_ids)
    proposal: str = attrs.field(default="", validator=v.text)
    reason: Reason | None = attrs.field(default=None, validator=v.optional(v.is_a(Reason)))

    def with_proposal(self, proposal: str) -> AgendaItem:
        """A copy of the item with *proposal* as the plan put to the vote.

        Example:
            >>> AgendaItem(id="a1", title="t", unit="mg1").with_proposal("方案").proposal
            '方案'
        """
        return attrs.evolve(self, proposal=proposal)


def agenda_items(
    wishes: Iterable[Wish],
    grid: GridGraph,
    *,
    catalogue: CategoryCatalogue = DEFAULT_CATALOGUE,
    prefix: str = "",
    by: Literal["category", "unit"] = "category",
) -> tuple[AgendaItem, ...]:
    """Group *wishes* into agenda items: one per micro-grid (the unit of each wish's place)
    and category — or, with ``by="unit"``, one per micro-grid whatever the category (a
    courtyard's makeover answering wishes of several kinds) — in the order the first wish of
    each was heard.

    Each item's id is ``f"{prefix}{unit}-{category}"`` (``f"{prefix}{unit}"`` by unit), its
    title the unit's name and the category's Chinese label (微心愿 by unit), its cases those
    the wishes were filed as, and its reason names the unit and the wishes.  Nothing is
    dropped: every wish is on exactly one item.

    Raises:
        UnknownPlaceError: for a wish about a place the grid does not know.
        InvalidValueError: for two wishes with one id, or something that is not a wish.

    Example:
        >>> from datetime import datetime
        >>> from gridgov import CST
        >>> from gridgov.demo import sample_grid
        >>> t = datetime(2026, 9, 7, 10, 0, tzinfo=CST)
        >>> items = agenda_items(
        ...     [Wish(id="w1", resident="r-1", place="h-1001", what="修健身器材", at=t),
        ...      Wish(id="w2", resident="r-2", place="h-1001", what="楼道灯", at=t,
        ...           category="facility_repair")], sample_grid(), prefix="ysh-")
        >>> [(i.id, i.title) for i in items]
        [('ysh-mg31-micro_wish', '美好人家1号楼·微心愿'), ('ysh-mg31-facility_repair', '美好人家1号楼·设施维修')]
        >>> [(i.id, i.wishes) for i in agenda_items(
        ...     [Wish(id="w1", resident="r-1", place="h-1001", what="修健身器材", at=t)],
        ...     sample_grid(), by="unit")]
        [('mg31', ('w1',))]
    """
    if by not in ("category", "unit"):
        raise v.refuse("by", None, "'category' or 'unit'", by)
    given = v.check_items("wishes", wishes)
    seen: set[str] = set()
    groups: dict[tuple[str, str], list[Wish]] = {}
    for wish in sorted(given, key=lambda w: w.at if isinstance(w, Wish) else 0):
        if not isinstance(wish, Wish):
            raise v.refuse("wishes", None, "a collection of Wish values", wish)
        if wish.id in seen:
            raise InvalidValueError(f"'wishes' must hold each wish once (got {wish.id!r} twice).")
        seen.add(wish.id)
        at = grid.place_unit(wish.place).id
        groups.setdefault((at, wish.category if by == "category" else ""), []).append(wish)
    items = []
    for (unit_id, category), group in groups.items():
        unit = grid.unit(unit_id)
        code = category or "micro_wish"
        label = catalogue[code].zh if code in catalogue else code
        ids = [w.id for w in group]
        shown = "、".join(ids[:20]) + ("…" if len(ids) > 20 else "")
        shown_en = ", ".join(ids[:20]) + ("…" if len(ids) > 20 else "")
        noun = "micro-wish" if len(ids) == 1 else "micro-wishes"
        items.append(
            AgendaItem(
                id=f"{prefix}{unit_id}-{category}" if category else f"{prefix}{unit_id}",
                title=f"{unit.name}·{label}",
                unit=unit_id,
                wishes=ids,
                cases=[w.case for w in group if w.case is not None],
                reason=Reason(
                    zh=f"{unit.name} {label} {len(ids)} 件：{shown}",
                    en=f"{unit.name}: {len(ids)} {noun}: {shown_en}"
                    if code == "micro_wish"
                    else f"{unit.name}: {len(ids)} wishes of {code}: {shown_en}",
                    refs=[Ref(kind="unit", id=unit_id, name=unit.name)],
                ),
            )
        )
    return tuple(items)
