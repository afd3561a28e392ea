"""Community life (社区共建): residents and their helpers organising themselves.

* :mod:`gridgov.community.talent` — :class:`SkillCatalogue`, :class:`Willingness`,
  :class:`Talent`, :class:`ServicePost`, :class:`TalentLibrary`: the talent library
  (人才信息库) of skills, willingness to serve (服务意愿) and service posts (岗位).
* :mod:`gridgov.community.matching` — :class:`Need`, :class:`MatchPolicy`,
  :func:`match_needs` and its :class:`Matching`: needs matched to people and partners as
  one min-cost flow, every match and every unfilled place explained.
* :mod:`gridgov.community.wishes` — :class:`Wish`, :class:`AgendaItem`, :func:`agenda_items`.
* :mod:`gridgov.community.rules` — how a meeting decides: :class:`DecisionRule` (quorum,
  majority, abstentions), :class:`VoteCount`, :class:`Decision`.
* :mod:`gridgov.community.deliberation` — :class:`Deliberation` (议事会) and its past-tense
  events.
* :mod:`gridgov.community.funding` — money in fen: :class:`Contribution` (自筹, sponsorship,
  public funds), :class:`MatchRule` (配捐), :func:`check_funding` → :class:`FundingCheck`.
* :mod:`gridgov.community.projects` — funded projects: :class:`Project`, its progress, and
  the completion that resolves the wishes and cases it answers.
* :mod:`gridgov.community.activities` — :class:`Activity` for a group, participation, reach
  per group in a period, and the :class:`PointsLedger` (积分).

Example:
    >>> DEFAULT_SKILLS["appliance_repair"].zh, Outcome.ADOPTED.zh, FundingKind.MATCHED.zh
    ('电器维修', '通过', '配捐')
"""

from __future__ import annotations

from gridgov.community import activities as _activities
from gridgov.community import deliberation as _deliberation
from gridgov.community import funding as _funding
from gridgov.community import matching as _matching
from gridgov.community import projects as _projects
from gridgov.community import rules as _rules
from gridgov.community import talent as _talent
from gridgov.community import wishes as _wishes
from gridgov.community.activities import *  # noqa: F403
from gridgov.community.deliberation import *  # noqa: F403
from gridgov.community.funding import *  # noqa: F403
from gridgov.community.matching import *  # noqa: F403
from gridgov.community.projects import *  # noqa: F403
from gridgov.community.rules import *  # noqa: F403
from gridgov.community.talent import *  # noqa: F403
from gridgov.community.wishes import *  # noqa: F403

__all__ = sorted(
    {
        *_activities.__all__,
        *_deliberation.__all__,
        *_funding.__all__,
        *_matching.__all__,
        *_projects.__all__,
        *_rules.__all__,
        *_talent.__all__,
        *_wishes.__all__,
    }
)
