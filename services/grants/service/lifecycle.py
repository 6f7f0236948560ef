"""A tilsegn's own steps that are nobody's payment: the organisation withdraws it before anything
is paid, the municipality cancels it when its conditions are not met. The payments move it the
rest of the way (the database's guard, 0005_tilsegn.sql); services/grants/tilsegn.py holds the
steps."""

from __future__ import annotations

from services.errors import N_, Conflict, required_text
from services.grants import tilsegn as lifecycle
from services.grants.money_schemas import TilsegnView
from services.grants.payments import PaymentKind, PaymentState
from services.grants.roles import APPLICANTS, ASSESSORS
from services.grants.service._common import (
    audit_application,
    require_municipal_role,
    require_organisation_role,
    this_case,
)
from services.grants.service.payments import money_refusals, tilsegn_under_lock
from services.grants.tables import GrantApplication
from services.grants.tilsegn import TilsegnState
from services.outbox.service import emit
from tenants.context import connection


class PaymentsWaiting(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "grant_tilsegn_payments_waiting",
            N_("Payment requests wait for a decision: approve, pay or reject them first."),
        )


async def _ready_to_end(application_id: int, wanted: str, *, as_applicant: bool) -> TilsegnView:
    """The tilsegn under its payments' lock, at a step that may end it, no request waiting."""
    current = await tilsegn_under_lock(application_id, as_applicant=as_applicant)
    lifecycle.check_step(current.tilsegn_state, wanted)
    if any(
        p.kind != PaymentKind.CLAWBACK and p.state in (PaymentState.SUBMITTED, PaymentState.APPROVED)
        for p in current.payments
    ):
        raise PaymentsWaiting()
    return current


async def withdraw_tilsegn(application_id: int, *, reason: str, person_id: int) -> str:
    """The organisation gives the tilsegn up, before anything is paid."""
    await require_organisation_role(person_id, APPLICANTS)
    reason = required_text(reason, "reason", 10_000)
    current = await _ready_to_end(application_id, TilsegnState.WITHDRAWN, as_applicant=True)
    with money_refusals():
        await connection().execute(
            "select grant_withdraw_tilsegn($1, $2, $3)", current.tenant_id, application_id, reason
        )
    await emit(
        "grants.tilsegn_withdrawn",
        {"lead_municipality_id": current.tenant_id, "application_id": application_id},
    )
    return TilsegnState.WITHDRAWN


async def cancel_tilsegn(application_id: int, *, reason: str, actor_person_id: int | None) -> str:
    """The municipality cancels the tilsegn (its conditions are not met); what was not paid
    lapses, and what was paid may be clawed back."""
    await require_municipal_role(actor_person_id, ASSESSORS)
    reason = required_text(reason, "reason", 10_000)
    current = await _ready_to_end(application_id, TilsegnState.CANCELLED, as_applicant=False)
    with money_refusals():
        await GrantApplication.update(
            {
                GrantApplication.tilsegn_state: TilsegnState.CANCELLED,
                GrantApplication.tilsegn_reason: reason,
            }
        ).where(this_case(application_id))
    changed = {"tilsegn_state": TilsegnState.CANCELLED, "reason": reason}
    was = {"tilsegn_state": current.tilsegn_state}
    await audit_application(application_id, "tilsegn_cancelled", changed, actor_person_id, was)
    await emit("grants.tilsegn_cancelled", {"application_id": application_id})
    return TilsegnState.CANCELLED
