"""The skill catalogue of the talent library (private; its names are public through
:mod:`gridgov.community.talent`)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import attrs

import gridgov._validators as v
from gridgov.errors import PolicyError
from gridgov.serialize import register

_MAX_LEVEL = 10


# --------------------------------------------------------------------------- skills


@register
@attrs.frozen(kw_only=True)
class Skill:
    """A skill a person can offer, with English and Chinese labels and optional levels.

    Attributes:
        levels: the Chinese names of the levels, lowest first (``("入门", "熟练", "专业")``);
            empty when the skill has no levels.  Level *n* is ``levels[n - 1]``.

    Example:
        >>> Skill(code="appliance_repair", label="appliance repair", zh="电器维修",
        ...       levels=("入门", "熟练", "专业")).describe()
        '电器维修 appliance repair'
    """

    code: str = attrs.field(validator=v.code)
    label: str = attrs.field(validator=v.name)
    zh: str = attrs.field(validator=v.name)
    levels: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(v.name)
    )

    def __attrs_post_init__(self) -> None:
        if len(self.levels) > _MAX_LEVEL:
            raise v.refuse("levels", self, f"at most {_MAX_LEVEL} level names", self.levels)

    def describe(self) -> str:
        """``'电器维修 appliance repair'``.

        Example:
            >>> from gridgov.community import DEFAULT_SKILLS
            >>> DEFAULT_SKILLS["housekeeping"].describe()
            '家政 housekeeping'
        """
        return f"{self.zh} {self.label}"


@register
@attrs.frozen(kw_only=True)
class SkillCatalogue:
    """The skills a talent library records, by unique code.

    Raises:
        PolicyError: for a repeated code.

    Example:
        >>> cat = SkillCatalogue(name="mini", skills=[
        ...     Skill(code="first_aid", label="first aid", zh="急救")])
        >>> "first_aid" in cat, cat["first_aid"].zh, len(cat)
        (True, '急救', 1)
    """

    name: str = attrs.field(validator=v.name)
    skills: tuple[Skill, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(v.holds(Skill))
    )
    _by_code: Mapping[str, Skill] = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        by_code: dict[str, Skill] = {}
        for s in self.skills:
            if s.code in by_code:
                raise PolicyError(
                    f"skill code {s.code!r} appears twice in skill catalogue {self.name!r}."
                )
            by_code[s.code] = s
        object.__setattr__(self, "_by_code", MappingProxyType(by_code))

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __len__(self) -> int:
        return len(self.skills)

    def __getitem__(self, code: str) -> Skill:
        try:
            return self._by_code[code]
        except (KeyError, TypeError):
            raise PolicyError(
                f"'skill' must be a code of skill catalogue {self.name!r} (got {v.show(code)})."
            ) from None

    @property
    def codes(self) -> frozenset[str]:
        """All codes of the catalogue.

        Example:
            >>> from gridgov.community import DEFAULT_SKILLS
            >>> "health_care" in DEFAULT_SKILLS.codes
            True
        """
        return frozenset(self._by_code)

    def zh(self, codes: frozenset[str] | tuple[str, ...]) -> str:
        """The Chinese labels of *codes*, in code order, joined by 、 (for reasons).

        Example:
            >>> from gridgov.community import DEFAULT_SKILLS
            >>> DEFAULT_SKILLS.zh(frozenset({"housekeeping", "appliance_repair"}))
            '电器维修、家政'
        """
        return "、".join(self[c].zh for c in sorted(codes))

    def label(self, codes: frozenset[str] | tuple[str, ...]) -> str:
        """The English labels of *codes*, in code order, joined by commas.

        Example:
            >>> from gridgov.community import DEFAULT_SKILLS
            >>> DEFAULT_SKILLS.label(frozenset({"housekeeping", "appliance_repair"}))
            'appliance repair, housekeeping'
        """
        return ", ".join(self[c].label for c in sorted(codes))


@register
@attrs.frozen(kw_only=True)
class SkillLevel:
    """A level of a skill: held by a person, or the least a need or post accepts.

    Example:
        >>> SkillLevel(skill="appliance_repair", level=2)
        SkillLevel(skill='appliance_repair', level=2)
    """

    skill: str = attrs.field(validator=v.code)
    level: int = attrs.field(validator=v.integer(1, _MAX_LEVEL))
