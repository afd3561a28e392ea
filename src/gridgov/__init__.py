"""gridgov: a pure, typed domain core for grid-based community governance (网格化基层治理).

The public nouns are re-exported here; see the documentation for a tour.

Example:
    >>> import gridgov
    >>> gridgov.THREE_TIER.names
    ('community', 'grid', 'micro_grid')
"""

from __future__ import annotations

import importlib.metadata as _metadata

from gridgov._time import CST
from gridgov.calendar import TimeLimit, WorkCalendar
from gridgov.errors import (
    GridGovError,
    InvalidGridError,
    InvalidTransitionError,
    InvalidValueError,
    PolicyError,
    SerializationError,
    UnknownPlaceError,
    UnknownUnitError,
)
from gridgov.grid import GridGraph, GridUnit, Place, PlaceKind
from gridgov.issues import (
    DEFAULT_CATALOGUE,
    Category,
    CategoryCatalogue,
    Channel,
    Issue,
    Reporter,
    ReporterKind,
    Severity,
)
from gridgov.people import (
    CONDITION_KINDS,
    Condition,
    ConditionKind,
    Member,
    Partner,
    PartnerKind,
    Post,
    Resident,
    Role,
)
from gridgov.routing import (
    DEFAULT_MATRIX,
    DEFAULT_RULES,
    Assignment,
    Match,
    Responsibility,
    ResponsibilityMatrix,
    Routed,
    Router,
    RoutingRule,
    RuleSet,
)
from gridgov.serialize import SCHEMA_VERSION, from_dict, to_dict
from gridgov.tiers import FOUR_TIER, THREE_TIER, Tier, TierScheme

try:
    __version__ = _metadata.version("gridgov")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "CONDITION_KINDS",
    "CST",
    "DEFAULT_CATALOGUE",
    "DEFAULT_MATRIX",
    "DEFAULT_RULES",
    "FOUR_TIER",
    "SCHEMA_VERSION",
    "THREE_TIER",
    "Assignment",
    "Category",
    "CategoryCatalogue",
    "Channel",
    "Condition",
    "ConditionKind",
    "GridGovError",
    "GridGraph",
    "GridUnit",
    "InvalidGridError",
    "InvalidTransitionError",
    "InvalidValueError",
    "Issue",
    "Match",
    "Member",
    "Partner",
    "PartnerKind",
    "Place",
    "PlaceKind",
    "PolicyError",
    "Post",
    "Reporter",
    "ReporterKind",
    "Resident",
    "Responsibility",
    "ResponsibilityMatrix",
    "Role",
    "Routed",
    "Router",
    "RoutingRule",
    "RuleSet",
    "SerializationError",
    "Severity",
    "Tier",
    "TierScheme",
    "TimeLimit",
    "UnknownPlaceError",
    "UnknownUnitError",
    "WorkCalendar",
    "__version__",
    "from_dict",
    "to_dict",
]
