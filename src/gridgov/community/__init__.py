"""Community life: residents organising themselves — micro-wishes (微心愿) gathered into the
agenda of a deliberation meeting (议事会), the projects it adopts and how they are funded
(自筹+配捐), activities for groups and the volunteer points (积分) they earn.

* :mod:`gridgov.community.wishes` — :class:`Wish`, :class:`AgendaItem`, :func:`agenda_items`.
* :mod:`gridgov.community.rules` — how a meeting decides: :class:`DecisionRule` (quorum,
  majority, abstentions), :class:`VoteCount`, :class:`Decision`.
* :mod:`gridgov.community.deliberation` — :class:`Deliberation` and its past-tense events.
* :mod:`gridgov.community.funding` — money in fen: :class:`Contribution` (自筹, sponsorship,
  public funds), :class:`MatchRule` (配捐), :func:`check_funding` → :class:`FundingCheck`.
* :mod:`gridgov.community.projects` — funded projects: :class:`Project`, its progress, and
  the completion that resolves the wishes and cases it answers.
* :mod:`gridgov.community.activities` — :class:`Activity` for a group, participation, reach
  per group in a period, and the :class:`PointsLedger`.

Example:
    >>> Outcome.ADOPTED.zh, FundingKind.MATCHED.zh
    ('通过', '配捐')
"""

from __future__ import annotations

from gridgov.community import activities as _activities
from gridgov.community import deliberation as _deliberation
from gridgov.community import funding as _funding
from gridgov.community import projects as _projects
from gridgov.community import rules as _rules
from gridgov.community import wishes as _wishes
from gridgov.community.activities import *  # noqa: F403
from gridgov.community.deliberation import *  # noqa: F403
from gridgov.community.funding import *  # noqa: F403
from gridgov.community.projects import *  # noqa: F403
from gridgov.community.rules import *  # noqa: F403
from gridgov.community.wishes import *  # noqa: F403

__all__ = sorted(
    [
        *_activities.__all__,
        *_deliberation.__all__,
        *_funding.__all__,
        *_projects.__all__,
        *_rules.__all__,
        *_wishes.__all__,
    ]
)
