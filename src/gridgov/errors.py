"""The exceptions gridgov raises.

Every exception derives from :class:`GridGovError`.  The leaves also subclass the
builtin that fits them, so ``except KeyError`` catches an unknown unit and
``except ValueError`` catches an invalid structure, while ``except GridGovError``
catches everything gridgov refuses.

Messages name the field, the bad value and what was expected, in the pattern attrs
uses: ``'severity' of Issue must be between 1 and 4 (got 7).``

Example:
    >>> from gridgov.errors import GridGovError, UnknownUnitError
    >>> issubclass(UnknownUnitError, KeyError) and issubclass(UnknownUnitError, GridGovError)
    True
"""

from __future__ import annotations

__all__ = [
    "GridGovError",
    "InvalidGridError",
    "InvalidTransitionError",
    "InvalidValueError",
    "PolicyError",
    "SerializationError",
    "UnknownMemberError",
    "UnknownPlaceError",
    "UnknownResidentError",
    "UnknownUnitError",
]


class GridGovError(Exception):
    """The root of every exception gridgov raises.

    Example:
        >>> from gridgov.errors import GridGovError, InvalidGridError
        >>> try:
        ...     raise InvalidGridError("'parent' of unit 'g1' must name a known unit (got 'x').")
        ... except GridGovError as exc:
        ...     print(exc)
        'parent' of unit 'g1' must name a known unit (got 'x').
    """

    def __str__(self) -> str:
        # KeyError quotes its argument; we want the message as written everywhere.
        return str(self.args[0]) if len(self.args) == 1 else super().__str__()


class InvalidValueError(GridGovError, ValueError):
    """A value failed validation at construction (a field out of range, a naive datetime...).

    Example:
        >>> from gridgov.errors import InvalidValueError
        >>> issubclass(InvalidValueError, ValueError)
        True
    """


class InvalidGridError(InvalidValueError):
    """A grid would not be a valid tree of tiers (duplicate ids, a cycle, a wrong tier...).

    Example:
        >>> from gridgov.errors import InvalidGridError
        >>> issubclass(InvalidGridError, ValueError)
        True
    """


class UnknownUnitError(GridGovError, KeyError):
    """A unit id is not in the grid.

    Example:
        >>> from gridgov.errors import UnknownUnitError
        >>> issubclass(UnknownUnitError, KeyError)
        True
    """


class UnknownPlaceError(GridGovError, KeyError):
    """A place (household, building, courtyard) id is not in the grid's place index.

    Example:
        >>> from gridgov.errors import UnknownPlaceError
        >>> issubclass(UnknownPlaceError, KeyError)
        True
    """


class UnknownMemberError(GridGovError, KeyError):
    """A member id is not in the grid's team.

    Example:
        >>> from gridgov.errors import UnknownMemberError
        >>> issubclass(UnknownMemberError, KeyError)
        True
    """


class UnknownResidentError(GridGovError, KeyError):
    """A resident id has no personal file among the residents given.

    Example:
        >>> from gridgov.errors import UnknownResidentError
        >>> issubclass(UnknownResidentError, KeyError)
        True
    """


class PolicyError(InvalidValueError):
    """A rule set, responsibility matrix, escalation or visit policy is not valid.

    Example:
        >>> from gridgov.errors import PolicyError
        >>> issubclass(PolicyError, ValueError)
        True
    """


class InvalidTransitionError(GridGovError, ValueError):
    """A case event that the lifecycle forbids in the case's current status.

    Example:
        >>> from gridgov.errors import InvalidTransitionError
        >>> issubclass(InvalidTransitionError, ValueError)
        True
    """


class SerializationError(GridGovError, ValueError):
    """A dict could not be turned back into a gridgov value (unknown or missing fields...).

    Example:
        >>> from gridgov.errors import SerializationError
        >>> issubclass(SerializationError, ValueError)
        True
    """
