"""Argument checks shared by the functions of the visits package (private)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, TypeVar

import gridgov._validators as v
from gridgov.errors import InvalidValueError
from gridgov.people import Resident, ResidentFiles

T = TypeVar("T")


def files(residents: object, what: str = "residents") -> ResidentFiles:
    """*residents* — files, or a mapping of resident id to file — as an index, checked."""
    if isinstance(residents, Mapping):
        return ResidentFiles.of(residents)
    items = v.check_items(what, residents)
    for r in items:
        if not isinstance(r, Resident):
            raise not_a_resident(r, what)
    return ResidentFiles(items)


def stream(residents: object, what: str = "residents") -> Iterable[Resident]:
    """*residents* as files read one by one: the values of a mapping of id to file
    (checked), or the iterable itself (each item checked where it is read)."""
    if isinstance(residents, Mapping):
        return ResidentFiles.of(residents).values()
    found: Iterable[Resident] = iterable(
        residents, what, "an iterable of Resident values or a ResidentFiles"
    )
    return found


def iterable(value: Any, what: str, expected: str) -> Any:
    """*value* if it is an iterable other than a str or a mapping (read lazily)."""
    if isinstance(value, str | bytes | bytearray | Mapping) or not isinstance(value, Iterable):
        raise v.refuse(what, None, expected, value)
    return value


def not_a_resident(value: object, what: str = "residents") -> InvalidValueError:
    return InvalidValueError(f"'{what}' must hold Resident values only (got {v.show(value)}).")


def items(value: object, kind: type[T], what: str) -> tuple[T, ...]:
    """*value* as a tuple of *kind* values: any collection but a str, a mapping or a scalar."""
    found: tuple[Any, ...] = v.check_items(what, value)
    for item in found:
        if not isinstance(item, kind):
            raise InvalidValueError(
                f"'{what}' must hold {kind.__name__} values only (got {v.show(item)})."
            )
    return found


def before_file(resident: Resident, day: int, records: Iterable[Any]) -> InvalidValueError:
    """The error for a record of *resident* dated *day*, before the file was opened."""
    rec = next((r for r in records if r.resident == resident.id and r.day_number == day), None)
    what = f"VisitRecord {rec.id!r}" if rec is not None else "a VisitRecord"
    assert resident.file_opened is not None
    return InvalidValueError(
        f"'at' of {what} must not be before resident {resident.id!r}'s file was opened on "
        f"{resident.file_opened.isoformat()} (got {date.fromordinal(day).isoformat()})."
    )
