"""The two-person opening: after the deadline, one person confirms, a second completes it, and
the bids are unsealed into their plain columns and recorded in the opening protocol."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

import asyncpg
import msgspec

from services.outbox.service import emit
from services.tendering.errors import InvalidTenderState, SameOpener
from services.tendering.roles import OPENERS
from services.tendering.rules import TenderState
from services.tendering.schemas import OpenedBidEntry, OpeningView
from services.tendering.sealing import unseal_row
from services.tendering.service._common import (
    audit,
    json_value,
    load_tender,
    move_tender,
    require_member,
)
from services.tendering.service.tenders import close_locked
from tenants.context import connection

NOT_RECONFIRMED = "not reconfirmed after the tender documents changed"
# A tender past its bid deadline and not opened yet: its bids wait for the opening.
WAITING_FOR_OPENING = (TenderState.PUBLISHED.value, TenderState.BIDS_CLOSED.value)
# Written into the statement, not sent with it: with the states a parameter, PostgreSQL
# judged each run's own plan cheaper than the shared one and planned it again every time.
_WAITING_SQL = ", ".join(f"'{state}'" for state in WAITING_FOR_OPENING)


class TenderToOpen(msgspec.Struct, frozen=True):
    id: int
    title: str
    bid_deadline: datetime


async def tenders_to_open(now: datetime, *, limit: int) -> tuple[list[TenderToOpen], int]:
    """The municipality's tenders whose bids wait for the opening, longest waiting first: the
    first `limit` of them, and how many there are in all. One statement on the index of
    (tenant_id, state, bid_deadline), however many tenders the municipality has had."""
    rows = await connection().fetch(
        "select id, title, bid_deadline, count(*) over () as total from tender"
        f" where tenant_id = app_tenant_id() and state in ({_WAITING_SQL}) and opened_at is null"
        " and bid_deadline <= $1 order by bid_deadline, id limit $2",
        now,
        limit,
    )
    total = rows[0]["total"] if rows else 0
    return [TenderToOpen(r["id"], r["title"], r["bid_deadline"]) for r in rows], total


async def confirm_opening(tender_id: int, *, person_id: int, sealing_key: bytes) -> OpeningView:
    """The first confirmation waits for a second; the second, by another person, opens.

    Before the deadline (the database's clock) nothing is recorded: DeadlineNotPassed.
    """
    await require_member(person_id, OPENERS)
    tender = await load_tender(tender_id, lock=True)
    if tender["state"] == TenderState.PUBLISHED:
        tender = await close_locked(tender, None)
    if tender["state"] != TenderState.BIDS_CLOSED:
        raise InvalidTenderState(tender["state"])
    db = connection()
    opening = await db.fetchrow(
        "select * from tender_opening where tenant_id = app_tenant_id() and tender_id = $1"
        " for update",
        tender_id,
    )
    if opening is None:
        await db.execute(
            "insert into tender_opening (tenant_id, tender_id, first_person_id)"
            " values (app_tenant_id(), $1, $2)",
            tender_id,
            person_id,
        )
        await audit("opening_confirmed", tender_id, person_id, {"first": person_id})
        return await opening_protocol(tender_id)
    if opening["first_person_id"] == person_id:
        raise SameOpener()
    tender = await move_tender(
        tender, TenderState.OPENED, actor_person_id=person_id, stamp="opened_at"
    )
    entries = await _unseal_bids(tender, sealing_key)
    await db.execute(
        "update tender_opening set second_person_id = $2, completed_at = now(), bids = $3::jsonb"
        " where tenant_id = app_tenant_id() and tender_id = $1",
        tender_id,
        person_id,
        json.dumps([msgspec_plain(e) for e in entries]),
    )
    await audit(
        "opening_completed",
        tender_id,
        person_id,
        {
            "first": opening["first_person_id"],
            "second": person_id,
            "bids": [msgspec_plain(e) for e in entries],
        },
    )
    if not any(e.valid for e in entries):
        await move_tender(
            tender,
            TenderState.UNSUCCESSFUL,
            actor_person_id=person_id,
        )
    await emit("tendering.opened", {"tender_id": tender_id})
    return await opening_protocol(tender_id)


def msgspec_plain(entry: OpenedBidEntry) -> dict:
    return {
        "bid_id": entry.bid_id,
        "organisation_id": entry.organisation_id,
        "organisation_name": entry.organisation_name,
        "received_at": entry.received_at.isoformat(),
        "sha256": entry.sha256,
        "price": None if entry.price is None else str(entry.price),
        "valid": entry.valid,
        "rejection_reason": entry.rejection_reason,
    }


async def _unseal_bids(tender: asyncpg.Record, sealing_key: bytes) -> list[OpenedBidEntry]:
    """Now that the tender is opened the policy shows its bids: unseal the standing ones."""
    db = connection()
    rows = await db.fetch(
        "select b.*, o.name as organisation_name from bid b"
        " join organisation o on o.id = b.organisation_id"
        " where b.tenant_id = app_tenant_id() and b.tender_id = $1 and b.withdrawn_at is null"
        " order by b.received_at, b.id",
        tender["id"],
    )
    entries = []
    for row in rows:
        content = unseal_row(sealing_key, row)
        valid = row["documents_version"] >= tender["documents_version"]
        reason = None if valid else NOT_RECONFIRMED
        documents = [
            {
                "index": i,
                "name": d.name,
                "media_type": d.media_type,
                "size": len(d.content),
                "sha256": hashlib.sha256(d.content).hexdigest(),
            }
            for i, d in enumerate(content.documents)
        ]
        await db.execute(
            "update bid set price = $2, answers = $3::jsonb, documents = $4::jsonb, valid = $5,"
            " rejection_reason = $6 where tenant_id = app_tenant_id() and id = $1",
            row["id"],
            content.price,
            json.dumps(content.answers),
            json.dumps(documents),
            valid,
            reason,
        )
        entries.append(
            OpenedBidEntry(
                bid_id=row["id"],
                organisation_id=row["organisation_id"],
                organisation_name=row["organisation_name"],
                received_at=row["received_at"],
                sha256=row["receipt_sha256"].hex(),
                price=content.price,
                valid=valid,
                rejection_reason=reason,
            )
        )
    return entries


async def opening_protocol(tender_id: int) -> OpeningView:
    """Who confirmed the opening, when, and which bids it opened."""
    row = await connection().fetchrow(
        "select * from tender_opening where tenant_id = app_tenant_id() and tender_id = $1",
        tender_id,
    )
    if row is None:
        await load_tender(tender_id)  # TenderNotFound for another's tender
        raise InvalidTenderState("not_opened")
    bids = json_value(row["bids"]) or []
    # The stored bids are msgspec_plain's: msgspec reads their times and prices back.
    return msgspec.convert({**dict(row), "bids": bids}, OpeningView)
