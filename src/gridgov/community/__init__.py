"""Community life (社区共建): the talent library, matching needs to people, and more.

* :mod:`gridgov.community.talent` — :class:`SkillCatalogue`, :class:`Willingness`,
  :class:`Talent`, :class:`ServicePost`, :class:`TalentLibrary`: the talent library
  (人才信息库) of skills, willingness to serve (服务意愿) and service posts (岗位).
* :mod:`gridgov.community.matching` — :class:`Need`, :class:`MatchPolicy`,
  :func:`match_needs` and its :class:`Matching`: needs matched to people and partners as
  one min-cost flow, every match and every unfilled place explained.

Example:
    >>> DEFAULT_SKILLS["appliance_repair"].zh
    '电器维修'
"""

from __future__ import annotations

from gridgov.community import matching as _matching
from gridgov.community import talent as _talent
from gridgov.community.matching import *  # noqa: F403
from gridgov.community.talent import *  # noqa: F403

__all__ = sorted({*_talent.__all__, *_matching.__all__})
