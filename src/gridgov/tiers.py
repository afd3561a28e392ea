"""Tiers and tier schemes: the ordered levels of a grid (社区 → 网格 → 微网格).

A :class:`TierScheme` lists tiers from the top down.  :data:`THREE_TIER` is the
default community → grid → micro-grid scheme; :data:`FOUR_TIER` puts a subdistrict
(街道) above it.  Any depth of one or more works the same way.

Example:
    >>> from gridgov import THREE_TIER
    >>> [t.name for t in THREE_TIER]
    ['community', 'grid', 'micro_grid']
    >>> THREE_TIER.bottom.zh
    '微网格'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

import attrs

import gridgov._validators as v
from gridgov.errors import InvalidValueError, PolicyError
from gridgov.serialize import register

__all__ = ["FOUR_TIER", "MAX_TIERS", "THREE_TIER", "Tier", "TierScheme"]

MAX_TIERS = 16
"""The most tiers a scheme may have (a chain of units is never longer)."""


@register
@attrs.frozen(kw_only=True)
class Tier:
    """One level of a grid, with an English name and a Chinese label.

    Attributes:
        name: a lower-case code used in data (``"micro_grid"``).
        label: the English display name (``"Micro-grid"``).
        zh: the Chinese label (``"微网格"``).
        leader_title: the leader's title in English (``"micro-grid leader"``).
        leader_title_zh: the leader's title in Chinese (``"微网格长"``).

    Example:
        >>> Tier(name="grid", label="Grid", zh="网格")
        Tier(name='grid', label='Grid', zh='网格', leader_title='', leader_title_zh='')
    """

    name: str = attrs.field(validator=v.code)
    label: str = attrs.field(validator=v.name)
    zh: str = attrs.field(validator=v.name)
    leader_title: str = attrs.field(default="", validator=v.text)
    leader_title_zh: str = attrs.field(default="", validator=v.text)

    def describe(self) -> str:
        """The tier as a grid worker reads it: ``'网格 grid'``.

        Example:
            >>> THREE_TIER["grid"].describe()
            '网格 Grid'
        """
        return f"{self.zh} {self.label}"


@register
@attrs.frozen(kw_only=True)
class TierScheme:
    """An ordered list of tiers, top first.  Tier names must be unique.

    Indexing by a tier's name returns the tier; :meth:`level` gives its depth (0 at the top).

    Example:
        >>> s = TierScheme(name="two", tiers=[Tier(name="community", label="Community", zh="社区"),
        ...                                   Tier(name="building", label="Building", zh="楼栋")])
        >>> s.level("building"), s.above("building").name, s.above("community")
        (1, 'community', None)
    """

    name: str = attrs.field(validator=v.name)
    tiers: tuple[Tier, ...] = attrs.field(converter=v.to_tuple, validator=v.tuple_of(v.holds(Tier)))
    _levels: Mapping[str, int] = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        if not self.tiers:
            raise InvalidValueError(
                f"'tiers' of TierScheme {self.name!r} must hold at least one tier (got none)."
            )
        if len(self.tiers) > MAX_TIERS:
            raise InvalidValueError(
                f"'tiers' of TierScheme {self.name!r} must hold at most {MAX_TIERS} tiers "
                f"(got {len(self.tiers):,})."
            )
        levels: dict[str, int] = {}
        for i, tier in enumerate(self.tiers):
            if tier.name in levels:
                raise InvalidValueError(
                    f"'tiers' of TierScheme {self.name!r} must have unique names "
                    f"(got {v.show(tier.name)} twice)."
                )
            levels[tier.name] = i
        object.__setattr__(self, "_levels", MappingProxyType(levels))

    def __iter__(self) -> Iterator[Tier]:
        return iter(self.tiers)

    def __len__(self) -> int:
        return len(self.tiers)

    def __contains__(self, name: object) -> bool:
        return name in self._levels

    def __getitem__(self, name: str) -> Tier:
        return self.tiers[self.level(name)]

    @property
    def top(self) -> Tier:
        """The highest tier.

        Example:
            >>> THREE_TIER.top.name
            'community'
        """
        return self.tiers[0]

    @property
    def bottom(self) -> Tier:
        """The lowest tier, the one places belong to.

        Example:
            >>> FOUR_TIER.bottom.name
            'micro_grid'
        """
        return self.tiers[-1]

    @property
    def names(self) -> tuple[str, ...]:
        """The tier names, top first.

        Example:
            >>> FOUR_TIER.names
            ('subdistrict', 'community', 'grid', 'micro_grid')
        """
        return tuple(t.name for t in self.tiers)

    def level(self, name: str) -> int:
        """The depth of the tier called *name* (0 for the top tier).

        Raises:
            PolicyError: if the scheme has no such tier.

        Example:
            >>> THREE_TIER.level("micro_grid")
            2
        """
        try:
            return self._levels[name]
        except (KeyError, TypeError):
            raise PolicyError(
                f"'tier' must be one of {list(self._levels)} in scheme {self.name!r} "
                f"(got {v.show(name)})."
            ) from None

    def above(self, name: str) -> Tier | None:
        """The tier directly above *name*, or ``None`` for the top tier.

        Example:
            >>> THREE_TIER.above("micro_grid").name
            'grid'
        """
        i = self.level(name)
        return self.tiers[i - 1] if i else None

    def below(self, name: str) -> Tier | None:
        """The tier directly below *name*, or ``None`` for the bottom tier.

        Example:
            >>> THREE_TIER.below("community").name
            'grid'
        """
        i = self.level(name)
        return self.tiers[i + 1] if i + 1 < len(self.tiers) else None


_SUBDISTRICT = Tier(
    name="subdistrict",
    label="Subdistrict",
    zh="街道",
    leader_title="subdistrict head",
    leader_title_zh="街道书记",
)
_COMMUNITY = Tier(
    name="community",
    label="Community",
    zh="社区",
    leader_title="community secretary",
    leader_title_zh="社区书记",
)
_GRID = Tier(
    name="grid", label="Grid", zh="网格", leader_title="grid leader", leader_title_zh="网格长"
)
_MICRO = Tier(
    name="micro_grid",
    label="Micro-grid",
    zh="微网格",
    leader_title="micro-grid leader",
    leader_title_zh="微网格长",
)

THREE_TIER = TierScheme(name="three_tier", tiers=(_COMMUNITY, _GRID, _MICRO))
"""The default scheme, community (社区) → grid (网格) → micro-grid (微网格)."""

FOUR_TIER = TierScheme(name="four_tier", tiers=(_SUBDISTRICT, _COMMUNITY, _GRID, _MICRO))
"""The default scheme with a subdistrict (街道) above the community."""
