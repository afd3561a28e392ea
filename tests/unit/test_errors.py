"""gridgov.errors: one root, and every leaf also subclasses the builtin that fits it."""

from __future__ import annotations

import inspect

import pytest

from gridgov import errors
from gridgov.errors import (
    GridGovError,
    InvalidGridError,
    InvalidTransitionError,
    InvalidValueError,
    PolicyError,
    SerializationError,
    UnknownMemberError,
    UnknownPlaceError,
    UnknownResidentError,
    UnknownUnitError,
)

BUILTIN = {
    InvalidValueError: ValueError,
    InvalidGridError: ValueError,
    PolicyError: ValueError,
    InvalidTransitionError: ValueError,
    SerializationError: ValueError,
    UnknownUnitError: KeyError,
    UnknownPlaceError: KeyError,
    UnknownResidentError: KeyError,
    UnknownMemberError: KeyError,
}


@pytest.mark.parametrize(("leaf", "builtin"), BUILTIN.items(), ids=lambda c: c.__name__)
def test_leaf_subclasses_root_and_its_builtin(leaf: type[Exception], builtin: type) -> None:
    assert issubclass(leaf, GridGovError)
    assert issubclass(leaf, builtin)
    with pytest.raises(builtin):
        raise leaf("boom")
    with pytest.raises(GridGovError):
        raise leaf("boom")


@pytest.mark.parametrize(
    ("leaf", "not_builtin"),
    [
        (UnknownUnitError, ValueError),
        (UnknownPlaceError, ValueError),
        (UnknownResidentError, ValueError),
        (UnknownMemberError, ValueError),
        (InvalidGridError, KeyError),
        (InvalidTransitionError, KeyError),
        (SerializationError, KeyError),
    ],
    ids=lambda c: c.__name__,
)
def test_leaf_is_not_the_other_builtin(leaf: type[Exception], not_builtin: type) -> None:
    assert not issubclass(leaf, not_builtin)


def test_grid_and_policy_errors_are_invalid_values() -> None:
    assert issubclass(InvalidGridError, InvalidValueError)
    assert issubclass(PolicyError, InvalidValueError)
    assert not issubclass(SerializationError, InvalidValueError)
    assert not issubclass(InvalidTransitionError, InvalidValueError)


def test_root_is_a_plain_exception() -> None:
    assert issubclass(GridGovError, Exception)
    assert not issubclass(GridGovError, ValueError | KeyError)


def test_every_exception_class_is_listed_and_covered() -> None:
    classes = {
        name
        for name, obj in vars(errors).items()
        if inspect.isclass(obj) and issubclass(obj, GridGovError)
    }
    assert set(errors.__all__) == classes
    assert errors.__all__ == sorted(errors.__all__)
    assert classes == {"GridGovError"} | {c.__name__ for c in BUILTIN}


def test_key_error_leaves_print_their_message_unquoted() -> None:
    message = "unit 'x' is not in grid version 'v1'."
    assert str(UnknownUnitError(message)) == message
    assert str(UnknownPlaceError(message)) == message
    # A bare KeyError would quote it.
    assert str(KeyError(message)) != message


def test_several_args_fall_back_to_the_tuple() -> None:
    assert str(InvalidGridError("a", "b")) == "('a', 'b')"
