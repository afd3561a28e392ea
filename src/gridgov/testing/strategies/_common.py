"""Shared pieces of the strategies: argument checks and small drawing helpers.

The checks run when a strategy is defined and raise
:class:`hypothesis.errors.InvalidArgument` naming the argument, as hypothesis' own
strategies do.  Their names are public inside :mod:`gridgov.testing.strategies` (its
private modules share them) and are not re-exported by it.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from gridgov.grid import GridGraph
from gridgov.issues import CategoryCatalogue
from gridgov.tiers import TierScheme

_CODE_REST = string.ascii_lowercase + string.digits + "_"
_LABEL_REST = string.ascii_letters + string.digits + " -"
_ZH = "社区网格微楼院栋户号一二三四五六七八九十东西南北新美好人家花园"
_NAMES = (
    "亚新社区",
    "第三网格",
    "美好人家1号楼",
    "吕阿姨",
    "彭雪丽",
    "李燕明",
    "美好人家物业",
    "淮河路派出所",
    "二道街社区",
    "花园楼院",
)


# --------------------------------------------------------------------------- argument checks


def check_int(name: str, value: object, *, at_least: int) -> int:
    """*value*, an int (not a bool) of at least *at_least*."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name}={value!r} must be an integer.")
    if value < at_least:
        raise InvalidArgument(f"{name}={value!r} must be at least {at_least}.")
    return value


def check_order(lo_name: str, lo: object, hi_name: str, hi: object) -> None:
    if hi < lo:  # type: ignore[operator]
        raise InvalidArgument(f"{hi_name}={hi!r} must not be less than {lo_name}={lo!r}.")


def check_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name}={value!r} must be True or False.")


def check_strategy(name: str, value: object) -> None:
    if value is not None and not isinstance(value, SearchStrategy):
        raise InvalidArgument(f"{name}={value!r:.60} must be a hypothesis strategy or None.")


def check_date(name: str, value: object) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidArgument(f"{name}={value!r} must be a datetime.date.")
    return value


def check_grid(value: object) -> GridGraph:
    if not isinstance(value, GridGraph):
        raise InvalidArgument(f"grid={value!r:.60} must be a GridGraph.")
    return value


def check_scheme(value: object) -> TierScheme:
    if not isinstance(value, TierScheme):
        raise InvalidArgument(f"scheme={value!r:.60} must be a TierScheme.")
    return value


def check_catalogue(value: object) -> CategoryCatalogue:
    if not isinstance(value, CategoryCatalogue):
        raise InvalidArgument(f"catalogue={value!r:.60} must be a CategoryCatalogue.")
    if not len(value):
        raise InvalidArgument(f"catalogue {value.name!r} has no categories to draw.")
    return value  # a catalogue cannot be built with a loop of parents


def check_aware(name: str, value: object) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise InvalidArgument(f"{name}={value!r} must be a timezone-aware datetime.")
    return value


def check_choice(name: str, value: object, choices: Sequence[str]) -> None:
    if value is not None and value not in choices:
        raise InvalidArgument(f"{name}={value!r} must be one of {list(choices)} or None.")


def check_text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgument(f"{name}={value!r} must be a non-empty string.")
    return value


# --------------------------------------------------------------------------- small pieces

# How far back a new unit (or category) may look for its parent when a tree is grown one
# node at a time (see grids() and catalogues()); larger than any sensible tree.
REACH = 1000


def first_item(parts: tuple[Any, ...]) -> Any:
    """The first item of a drawn tuple (for ``unique_by``)."""
    return parts[0]


def code_strings() -> SearchStrategy[str]:
    """Lower-case codes (``[a-z][a-z0-9_]*``), shrinking towards ``'a'``."""
    return st.tuples(st.sampled_from(string.ascii_lowercase), st.text(_CODE_REST, max_size=9)).map(
        "".join
    )


def label_strings() -> SearchStrategy[str]:
    """Non-blank English labels, shrinking towards ``'a'``."""
    return st.tuples(st.sampled_from(string.ascii_letters), st.text(_LABEL_REST, max_size=19)).map(
        "".join
    )


def sample_names() -> SearchStrategy[str]:
    """Names from a small sample (one draw each, which keeps big grids cheap to draw)."""
    return st.sampled_from(_NAMES)


def zh_strings() -> SearchStrategy[str]:
    """Short non-empty Chinese names, shrinking towards ``'社'``."""
    return st.text(_ZH, min_size=1, max_size=8)
