"""What every tendering use-case shares: loading a tender, checking the actor, moving its state."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import asyncpg
import msgspec

from services.audit.service import record_change
from services.tendering.errors import (
    BidCannotChange,
    BidDeadlinePassed,
    NotAMember,
    TenderNotFound,
    TenderNotOpenForBids,
)
from services.tendering.rules import AwardCriterion, TenderState, check_transition
from services.tendering.schemas import AwardOutcome, BidOutcome, TenderView
from tenants.context import connection

_TENDER_COLUMNS = tuple(f for f in TenderView.__struct_fields__)


async def db_now() -> datetime:
    """The database's clock: deadlines are never judged by an application server's clock."""
    return await connection().fetchval("select clock_timestamp()")


async def require_member(person_id: int, roles: tuple[str, ...]) -> None:
    """The acting person holds one of these roles in the transaction's municipality."""
    ok = await connection().fetchval(
        "select exists (select 1 from membership where person_id = $1"
        " and municipality_id = app_tenant_id() and role = any($2::text[]))",
        person_id,
        list(roles),
    )
    if not ok:
        raise NotAMember()


async def require_organisation_member(person_id: int) -> int:
    """The acting person is a member of the organisation the transaction acts for; its id."""
    organisation_id = await connection().fetchval(
        "select organisation_id from membership where person_id = $1"
        " and organisation_id = app_organisation_id() limit 1",
        person_id,
    )
    if organisation_id is None:
        raise NotAMember()
    return organisation_id


async def load_tender(tender_id: int, *, lock: bool = False) -> asyncpg.Record:
    """One of the transaction's own municipality's tenders."""
    row = await connection().fetchrow(
        "select * from tender where tenant_id = app_tenant_id() and id = $1"
        + (" for update" if lock else ""),
        tender_id,
    )
    if row is None:
        raise TenderNotFound()
    return row


async def load_public_tender(tender_id: int) -> asyncpg.Record:
    """A published tender of any municipality, as a supplier or the public sees it."""
    row = await connection().fetchrow("select * from public_tender($1)", tender_id)
    if row is None:
        raise TenderNotFound()
    return row


def criteria_of(row: asyncpg.Record) -> list[AwardCriterion]:
    return [AwardCriterion(**c) for c in json_value(row["award_criteria"])]


def tender_view(row: asyncpg.Record) -> TenderView:
    values = {name: row[name] for name in _TENDER_COLUMNS}
    values["award_criteria"] = criteria_of(row)
    values["qualification_requirements"] = list(json_value(row["qualification_requirements"]))
    values["award_outcome"] = award_outcome_of(row["award_outcome"])
    return TenderView(**values)


def award_outcome_of(value: Any) -> AwardOutcome | None:
    return None if value is None else msgspec.convert(json_value(value), AwardOutcome, strict=False)


def bid_outcome_of(value: Any) -> BidOutcome | None:
    return None if value is None else msgspec.convert(json_value(value), BidOutcome, strict=False)


def json_value(value: Any) -> Any:
    """A jsonb column's value: decoded where the connection hands it over as text."""
    return json.loads(value) if isinstance(value, str) else value


async def lock_bids(tenant_id: int, tender_id: int) -> None:
    """Wait for every bid in flight to commit, and keep new ones out, until this transaction ends."""
    await connection().execute(
        "select pg_advisory_xact_lock(tender_bid_lock_key($1, $2))", tenant_id, tender_id
    )


async def move_tender(
    tender: asyncpg.Record,
    target: TenderState,
    *,
    actor_person_id: int | None,
    reason: str | None = None,
    stamp: str | None = None,
    extra: dict[str, Any] | None = None,
) -> asyncpg.Record:
    """Check the transition, write it with its timestamp column, and append it to the chain."""
    check_transition(TenderState(tender["state"]), target, reason=reason)
    sets, values = ["state = $3"], [tender["tenant_id"], tender["id"], target.value]
    if stamp:
        sets.append(f"{stamp} = now()")
    for column, value in (extra or {}).items():
        values.append(json.dumps(value) if isinstance(value, dict) else value)  # a jsonb column
        sets.append(f"{column} = ${len(values)}")
    row = await connection().fetchrow(
        f"update tender set {', '.join(sets)} where tenant_id = $1 and id = $2 returning *",
        *values,
    )
    await record_change(
        actor_person_id=actor_person_id,
        action=f"tender.{target.value}",
        entity="tender",
        entity_id=tender["id"],
        old_values={"state": tender["state"]},
        new_values={"state": target.value, **_plain(extra or {})},
    )
    return row


async def audit(action: str, tender_id: int, actor_person_id: int | None, values: Any) -> None:
    await record_change(
        actor_person_id=actor_person_id,
        action=f"tender.{action}",
        entity="tender",
        entity_id=tender_id,
        new_values=values,
    )


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Decimal | datetime) else v) for k, v in values.items()}


def bid_errors(error: asyncpg.PostgresError) -> Exception:
    """The bid trigger's refusals (SQLSTATE SB00x), as the domain's errors."""
    code = getattr(error, "sqlstate", None)
    if code == "SB001":
        return TenderNotOpenForBids()
    if code == "SB002":
        return BidDeadlinePassed()
    if code in ("SB003", "SB004"):
        return BidCannotChange()
    return error
