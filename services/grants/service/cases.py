"""The municipality's side of an application: the queue, the official's assessment (the share
and the amount computed from the plans against the fund's rules) and the decision up to the
officials' limit; above it the board decides."""

from __future__ import annotations

import msgspec

from services.audit.service import record_change
from services.errors import N_, Conflict, InvalidInput, required_text
from services.grants.roles import ASSESSORS
from services.grants.rules import (
    ApplicationState,
    Assessment,
    FundRules,
    assess,
    may_move,
)
from services.grants.schemas import ApplicationView, FundView
from services.grants.service._common import (
    ApplicationNotFound,
    WrongStep,
    database_refusals,
    require_municipal_role,
    rule_lines,
)
from services.grants.service.funds import get_fund
from services.grants.service.state_aid import check_state_aid
from services.grants.service.views import application_view
from services.outbox.service import emit
from tenants.context import connection

S = ApplicationState


class Case(msgspec.Struct, frozen=True):
    """An application with its fund and what the plans give under the fund's rules."""

    application: ApplicationView
    fund: FundView
    assessment: Assessment


async def case(application_id: int) -> Case:
    application = await application_view(application_id, as_applicant=False)
    fund_id = await connection().fetchval(
        "select fund_id from grant_call where tenant_id = app_tenant_id() and id = $1",
        application.call_id,
    )
    fund = await get_fund(fund_id)
    rules = FundRules(fund.max_share, fund.max_amount, fund.decision_limit)
    return Case(
        application, fund, assess(*rule_lines(application.costs, application.financing), rules)
    )


async def _locked_state(application_id: int) -> str:
    state = await connection().fetchval(
        "select state from grant_application where tenant_id = app_tenant_id() and id = $1"
        " for update",
        application_id,
    )
    if state is None:
        raise ApplicationNotFound()
    return state


async def assess_application(
    application_id: int, *, comment: str, actor_person_id: int | None
) -> Case:
    """Record the official's assessment: the computed figures and a comment. The first one
    takes the application into assessment; a later one, before the decision, replaces it."""
    await require_municipal_role(actor_person_id, ASSESSORS)
    state = await _locked_state(application_id)
    if state not in (S.SUBMITTED, S.IN_ASSESSMENT):
        raise WrongStep()
    comment = required_text(comment, "comment", 10_000)
    found = await case(application_id)
    figures = found.assessment
    with database_refusals():
        await connection().execute(
            "update grant_application set state = 'in_assessment', assessed_by = $2,"
            " assessed_at = now(), assessment_comment = $3, eligible_cost = $4,"
            " requested_amount = $5, grantable_amount = $6, share = $7"
            " where tenant_id = app_tenant_id() and id = $1",
            application_id,
            actor_person_id,
            comment,
            figures.eligible_cost,
            figures.requested,
            figures.grantable,
            figures.share,
        )
    await record_change(
        actor_person_id=actor_person_id,
        action="assess",
        entity="grant_application",
        entity_id=application_id,
        old_values={"state": state},
        new_values={
            "state": S.IN_ASSESSMENT,
            "comment": comment,
            "eligible_cost": figures.eligible_cost,
            "requested": figures.requested,
            "grantable": figures.grantable,
            "share": figures.share,
        },
    )
    await emit("grants.application_assessed", {"application_id": application_id})
    return found


class BoardDecides(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "grant_board_decides",
            N_("The amount is above the officials' limit: the board decides this application."),
        )


async def decide_application(
    application_id: int,
    *,
    outcome: str,
    reason: str = "",
    actor_person_id: int | None,
) -> str:
    """Grant the computed amount, or reject with a reason; an official decides up to the limit."""
    await require_municipal_role(actor_person_id, ASSESSORS)
    if outcome not in (S.GRANTED, S.REJECTED):
        # The outcome is the button pressed, not a field the page shows: a form-wide refusal.
        raise InvalidInput("grant_outcome_invalid", N_("Choose to grant or to reject."))
    state = await _locked_state(application_id)
    if not may_move(state, outcome):
        raise WrongStep()
    found = await case(application_id)
    db = connection()
    if outcome == S.GRANTED:
        amount = found.assessment.grantable
        if found.assessment.board_decides:
            raise BoardDecides()
        if amount <= 0:
            raise Conflict("grant_nothing_grantable", N_("The rules leave nothing to grant."))
        await check_state_aid(application_id, amount)
        with database_refusals():
            await db.execute(
                "update grant_application set state = 'granted', granted_amount = $2,"
                " decided_by = $3, decided_at = now() where tenant_id = app_tenant_id()"
                " and id = $1",
                application_id,
                amount,
                actor_person_id,
            )
        values = {"state": outcome, "granted_amount": amount}
    else:
        reason = required_text(reason, "reason", 10_000)
        with database_refusals():
            await db.execute(
                "update grant_application set state = 'rejected', rejection_reason = $2,"
                " decided_by = $3, decided_at = now() where tenant_id = app_tenant_id()"
                " and id = $1",
                application_id,
                reason,
                actor_person_id,
            )
        values = {"state": outcome, "rejection_reason": reason}
    await record_change(
        actor_person_id=actor_person_id,
        action="decide",
        entity="grant_application",
        entity_id=application_id,
        old_values={"state": state},
        new_values=values,
    )
    await emit(f"grants.application_{outcome}", {"application_id": application_id})
    return outcome
