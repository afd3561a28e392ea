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
    UnknownResidentError,
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
from gridgov.visits import (
    DEFAULT_POLICY,
    DueVisit,
    Frequency,
    FrequencyUnit,
    MajorChange,
    MissedVisitEscalation,
    PlannedVisit,
    VisitColour,
    VisitCoverage,
    VisitMode,
    VisitPlan,
    VisitPolicy,
    VisitRecord,
    VisitRequirement,
    VisitRule,
    VisitShortfall,
    VisitWindow,
    check_records,
    coverage,
    due_visits,
    missed_visit_escalations,
    next_due,
    plan_visits,
)

try:
    __version__ = _metadata.version("gridgov")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "CONDITION_KINDS",
    "CST",
    "DEFAULT_CATALOGUE",
    "DEFAULT_MATRIX",
    "DEFAULT_POLICY",
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
    "DueVisit",
    "Frequency",
    "FrequencyUnit",
    "GridGovError",
    "GridGraph",
    "GridUnit",
    "InvalidGridError",
    "InvalidTransitionError",
    "InvalidValueError",
    "Issue",
    "MajorChange",
    "Match",
    "Member",
    "MissedVisitEscalation",
    "Partner",
    "PartnerKind",
    "Place",
    "PlaceKind",
    "PlannedVisit",
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
    "UnknownResidentError",
    "UnknownUnitError",
    "VisitColour",
    "VisitCoverage",
    "VisitMode",
    "VisitPlan",
    "VisitPolicy",
    "VisitRecord",
    "VisitRequirement",
    "VisitRule",
    "VisitShortfall",
    "VisitWindow",
    "WorkCalendar",
    "__version__",
    "check_records",
    "coverage",
    "due_visits",
    "from_dict",
    "missed_visit_escalations",
    "next_due",
    "plan_visits",
    "to_dict",
]
