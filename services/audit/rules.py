"""How one link of the audit chain is hashed, so that writing and verifying agree byte for byte."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

GENESIS = bytes(32)


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def plain(value: Any) -> Any:
    """The value as JSON will give it back (dates and decimals become text)."""
    return None if value is None else json.loads(canonical(value))


def link_hash(
    prev_hash: bytes,
    *,
    tenant_id: int,
    seq: int,
    occurred_at: datetime,
    actor_person_id: int | None,
    action: str,
    entity: str,
    entity_id: str,
    old_values: Any,
    new_values: Any,
) -> bytes:
    body = canonical(
        {
            "tenant_id": tenant_id,
            "seq": seq,
            "occurred_at": occurred_at.isoformat(),
            "actor": actor_person_id,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "old": old_values,
            "new": new_values,
        }
    )
    return hashlib.sha256(prev_hash + body.encode("utf-8")).digest()
