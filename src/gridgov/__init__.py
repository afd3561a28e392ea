"""gridgov: a pure, typed domain core for grid-based community governance (网格化基层治理).

The public nouns are re-exported here; see the documentation for a tour.

Example:
    >>> import gridgov
    >>> gridgov.THREE_TIER.names
    ('community', 'grid', 'micro_grid')
"""

from __future__ import annotations

import importlib.metadata as _metadata

from gridgov import calendar as _calendar
from gridgov import cases as _cases
from gridgov import community as _community
from gridgov import criteria as _criteria
from gridgov import errors as _errors
from gridgov import escalation as _escalation
from gridgov import grid as _grid
from gridgov import interop as _interop
from gridgov import issues as _issues
from gridgov import limits as _limits
from gridgov import metrics as _metrics
from gridgov import people as _people
from gridgov import privacy as _privacy
from gridgov import reasons as _reasons
from gridgov import routing as _routing
from gridgov import serialize as _serialize
from gridgov import simulation as _simulation
from gridgov import tiers as _tiers
from gridgov import visits as _visits
from gridgov import workflow as _workflow
from gridgov._time import CST as CST
from gridgov.calendar import *
from gridgov.cases import *
from gridgov.community import *
from gridgov.criteria import *
from gridgov.errors import *
from gridgov.escalation import *
from gridgov.grid import *
from gridgov.interop import *
from gridgov.issues import *
from gridgov.limits import *
from gridgov.metrics import *
from gridgov.people import *
from gridgov.privacy import *
from gridgov.reasons import *
from gridgov.routing import *
from gridgov.serialize import *
from gridgov.simulation import *
from gridgov.tiers import *
from gridgov.visits import *
from gridgov.workflow import *

try:
    __version__ = _metadata.version("gridgov")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

_MODULES = (
    _calendar,
    _cases,
    _community,
    _criteria,
    _errors,
    _escalation,
    _grid,
    _interop,
    _issues,
    _limits,
    _metrics,
    _people,
    _privacy,
    _reasons,
    _routing,
    _serialize,
    _simulation,
    _tiers,
    _visits,
    _workflow,
)
"""The public modules whose names gridgov re-exports (``tests/test_public_api.py`` checks
that every name of each is here)."""

__all__ = sorted({"CST", "__version__", *(name for m in _MODULES for name in m.__all__)})

_serialize.resolve_hints()  # every value class has registered: read their field types once
