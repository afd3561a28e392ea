"""What every door must do with any input: refuse it with a gridgov error that names what
was wrong, or build a valid value that round-trips through ``to_dict``/JSON/``from_dict``."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gridgov import GridGovError, from_dict, to_dict


@dataclass
class Tally:
    total: int = 0
    refused: int = 0
    valid: int = 0


TRIED = Tally()
MAX_MESSAGE = 2_000


class DoorBroken(AssertionError):
    """An input got through a door it should not have, or crashed it."""


def verdict(build: Callable[[], Any], *, about: str, names: str | None = None) -> str:
    """Run *build*; return ``"refused"`` or ``"valid"``, or raise :class:`DoorBroken`.

    *names*: a field the refusal must name (``'field'`` in the message), if any.
    """
    TRIED.total += 1
    try:
        value = build()
    except GridGovError as exc:
        message = str(exc)
        if len(message) > MAX_MESSAGE:
            raise DoorBroken(f"{about}: the message is {len(message):,} characters long") from exc
        if names is not None and f"'{names}'" not in message and names not in message:
            raise DoorBroken(f"{about}: the refusal does not name {names!r}: {message}") from exc
        TRIED.refused += 1
        return "refused"
    except RecursionError as exc:
        raise DoorBroken(f"{about}: RecursionError") from exc
    except Exception as exc:
        raise DoorBroken(f"{about}: {type(exc).__name__}: {str(exc)[:500]}") from exc
    try:
        data = to_dict(value)
    except GridGovError as exc:
        if "callable" in str(exc):  # a predicate escape hatch: valid, and refused by to_dict
            TRIED.valid += 1
            return "valid"
        raise DoorBroken(f"{about}: accepted, then to_dict refused it: {exc}") from exc
    except Exception as exc:
        raise DoorBroken(f"{about}: accepted, then to_dict crashed: {exc!r:.300}") from exc
    try:
        text = json.dumps(data, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise DoorBroken(f"{about}: to_dict wrote something that is not JSON: {exc}") from exc
    _only_json(data, about)
    try:
        back = from_dict(json.loads(text))
    except Exception as exc:
        raise DoorBroken(f"{about}: accepted, but cannot be read back: {exc!r:.300}") from exc
    if back != value:
        raise DoorBroken(f"{about}: reads back as a different value")
    try:
        hash(value)
    except TypeError as exc:
        raise DoorBroken(f"{about}: accepted an unhashable value") from exc
    TRIED.valid += 1
    return "valid"


def _only_json(data: Any, about: str) -> None:
    if data is None or type(data) in (bool, int, str):
        return
    if type(data) is float:
        if not math.isfinite(data):
            raise DoorBroken(f"{about}: to_dict wrote {data!r}")
        return
    if type(data) is list:
        for item in data:
            _only_json(item, about)
        return
    if type(data) is dict:
        for key, item in data.items():
            if type(key) is not str:
                raise DoorBroken(f"{about}: to_dict wrote a key {key!r}")
            _only_json(item, about)
        return
    raise DoorBroken(f"{about}: to_dict wrote a {type(data).__name__}")
