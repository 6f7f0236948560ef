"""What an outbox event may look like, checked before the database's own check refuses it."""

from __future__ import annotations

import re
from typing import Any

# The tenant_id of an event that belongs to no municipality (the operator's, a region's).
NO_TENANT = 0

# "<part>.<what happened>", lower case: the same rule as the table's check constraint.
_KIND = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")


def valid_kind(kind: str) -> bool:
    return isinstance(kind, str) and _KIND.fullmatch(kind) is not None


def check_event(kind: str, payload: Any) -> None:
    """Raise before writing: a bad kind is a ValueError, a payload that is not a dict a TypeError."""
    if not valid_kind(kind):
        raise ValueError(f"an event kind is '<part>.<what happened>' in lower case; got {kind!r}")
    if not isinstance(payload, dict):
        raise TypeError(f"an event's payload is a dict of ids; got {type(payload).__name__}")


def tenant_of(stored_tenant_id: int) -> int | None:
    return None if stored_tenant_id == NO_TENANT else stored_tenant_id
