"""The municipality's side of an application: the queue, the official's assessment (the share
and the amount computed from the plans against the fund's rules) and the decision up to the
officials' limit; above it the board decides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import msgspec

from infra.columns import database_now
from services import inputs
from services.errors import N_, Conflict, InvalidInput, required_text
from services.grants.roles import ASSESSORS
from services.grants.rules import (
    ApplicationState,
    Assessment,
    FundRules,
    assess,
    check_tilsegn_terms,
    may_move,
)
from services.grants.schemas import ApplicationView, FundView
from services.grants.service._common import (
    ApplicationNotFound,
    WrongStep,
    audit_application,
    database_refusals,
    require_municipal_role,
    this_case,
)
from services.grants.service.funds import get_fund
from services.grants.service.habilitet import declare_official, require_official_free
from services.grants.service.letters import send_decision_letter
from services.grants.service.state_aid import check_state_aid
from services.grants.service.views import application_view
from services.grants.tables import GrantApplication, GrantCall
from services.outbox.service import emit
from tenants.context import connection
from tenants.rows import tenant

S = ApplicationState


class Case(msgspec.Struct, frozen=True):
    """An application with its fund and what the plans give under the fund's rules."""

    application: ApplicationView
    fund: FundView
    assessment: Assessment


async def case(application_id: int) -> Case:
    application = await application_view(application_id, as_applicant=False)
    call = await (
        GrantCall.select(GrantCall.fund_id)
        .where((GrantCall.tenant_id == tenant()) & (GrantCall.id == application.call_id))
        .first()
    )
    fund = await get_fund(call["fund_id"])
    rules = FundRules(fund.max_share, fund.max_amount, fund.decision_limit)
    return Case(application, fund, assess(application.costs, application.financing, rules))


async def _locked_state(application_id: int) -> str:
    row = (
        await GrantApplication.select(GrantApplication.state)
        .where(this_case(application_id))
        .lock_rows()
        .first()
    )
    if row is None:
        raise ApplicationNotFound()
    return row["state"]


async def assess_application(
    application_id: int,
    *,
    comment: str,
    conflicted: bool = False,
    actor_person_id: int | None,
) -> Case:
    """Record the official's assessment: the computed figures and a comment, and the official's
    own habilitet declaration. The first one takes the application into assessment; a later
    one, before the decision, replaces it. A conflicted official's declaration is kept, and
    the case is left for another official."""
    await require_municipal_role(actor_person_id, ASSESSORS)
    state = await _locked_state(application_id)
    if state not in (S.SUBMITTED, S.IN_ASSESSMENT):
        raise WrongStep()
    comment = required_text(comment, "comment", 10_000)
    if actor_person_id is not None:
        await declare_official(application_id, conflicted, actor_person_id)
        if conflicted:
            return await case(application_id)
    found = await case(application_id)
    figures = found.assessment
    with database_refusals():
        await GrantApplication.update(
            {
                GrantApplication.state: S.IN_ASSESSMENT,
                GrantApplication.assessed_by: actor_person_id,
                GrantApplication.assessed_at: database_now(),
                GrantApplication.assessment_comment: comment,
                GrantApplication.eligible_cost: figures.eligible_cost,
                GrantApplication.requested_amount: figures.requested,
                GrantApplication.grantable_amount: figures.grantable,
                GrantApplication.share: figures.share,
            }
        ).where(this_case(application_id))
    await record_step(
        application_id,
        "assess",
        state,
        {
            "state": S.IN_ASSESSMENT,
            "comment": comment,
            "eligible_cost": figures.eligible_cost,
            "requested": figures.requested,
            "grantable": figures.grantable,
            "share": figures.share,
        },
        actor_person_id,
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
    conditions: str = "",
    reporting_deadline: date | None = None,
    actor_person_id: int | None,
) -> str:
    """Grant the computed amount with its conditions and reporting deadline, or reject with a
    reason; an official decides up to the limit. The letter goes to the applicant."""
    await require_municipal_role(actor_person_id, ASSESSORS)
    if outcome not in (S.GRANTED, S.REJECTED):
        # The outcome is the button pressed, not a field the page shows: a form-wide refusal.
        raise InvalidInput("grant_outcome_invalid", N_("Choose to grant or to reject."))
    state = await _locked_state(application_id)
    if state != S.IN_ASSESSMENT or not may_move(state, outcome):
        raise WrongStep()
    await require_official_free(application_id, actor_person_id)
    found = await case(application_id)
    if found.assessment.board_decides:  # either way: above the limit the board decides
        raise BoardDecides()
    terms = Terms(reason, conditions, reporting_deadline)
    values = await record_outcome(found, outcome, terms, decided_by=actor_person_id)
    await record_step(application_id, "decide", state, values, actor_person_id)
    await emit(f"grants.application_{outcome}", {"application_id": application_id})
    await send_decision_letter(application_id, by_board=False)
    return outcome


@dataclass(frozen=True, slots=True)
class Terms:
    """What a decision says besides its outcome: a rejection's reason, or a grant's conditions
    and reporting deadline."""

    reason: str = ""
    conditions: str = ""
    reporting_deadline: date | None = None


async def record_step(
    application_id: int, action: str, state: str, new_values: dict, actor_person_id: int | None
) -> None:
    """The audit of one step of an application: who took it, from which state, to what."""
    await audit_application(application_id, action, new_values, actor_person_id, {"state": state})


async def record_outcome(
    found: Case,
    outcome: str,
    terms: Terms,
    *,
    decided_by: int | None,
    meeting_id: int | None = None,
) -> dict:
    """Write a decision on the application (the official's or the board's): a grant of the
    computed amount with its terms, or a rejection with its reason. Returns what changed."""
    application_id = found.application.id
    if outcome == S.GRANTED:
        amount = found.assessment.grantable
        if amount <= 0:
            raise Conflict("grant_nothing_grantable", N_("The rules leave nothing to grant."))
        # De minimis: refused with the figures before the database's guard would refuse it.
        await check_state_aid(application_id, amount)
        conditions = inputs.text(terms.conditions, "conditions")
        today = await connection().fetchval("select (now() at time zone 'Europe/Oslo')::date")
        check_tilsegn_terms(terms.reporting_deadline, today)
        decision = {
            GrantApplication.granted_amount: amount,
            GrantApplication.conditions: conditions,
            GrantApplication.reporting_deadline: terms.reporting_deadline,
        }
        cleared = {GrantApplication.rejection_reason: None}  # a rejection reversed on appeal
    else:
        reason = required_text(terms.reason, "reason", 10_000)
        decision = {GrantApplication.rejection_reason: reason}
        cleared = {}
    with database_refusals():
        await GrantApplication.update(
            {
                GrantApplication.state: outcome,
                GrantApplication.decided_by: decided_by,
                GrantApplication.decided_at: database_now(),
                GrantApplication.decided_in_meeting: meeting_id,
                **decision,
                **cleared,
            }
        ).where(this_case(application_id))
    changed = {column._meta.name: value for column, value in decision.items()}
    return {"state": outcome, **changed, "meeting_id": meeting_id}


async def recommend_application(
    application_id: int,
    *,
    recommendation: str,
    reason: str,
    actor_person_id: int | None,
) -> str:
    """Above the officials' limit the official recommends, and the board decides in a meeting."""
    await require_municipal_role(actor_person_id, ASSESSORS)
    if recommendation not in (S.GRANTED, S.REJECTED):
        raise InvalidInput(
            "grant_recommendation_invalid",
            N_("Recommend to grant or to reject."),
            field="recommendation",
        )
    reason = required_text(reason, "recommendation_reason", 10_000)
    state = await _locked_state(application_id)
    if not may_move(state, S.RECOMMENDED):
        raise WrongStep()
    await require_official_free(application_id, actor_person_id)
    found = await case(application_id)
    if not found.assessment.board_decides:
        raise Conflict(
            "grant_official_decides",
            N_("The amount is within the officials' limit: decide the application yourself."),
        )
    with database_refusals():
        await GrantApplication.update(
            {
                GrantApplication.state: S.RECOMMENDED,
                GrantApplication.recommendation: recommendation,
                GrantApplication.recommendation_reason: reason,
                GrantApplication.recommended_by: actor_person_id,
                GrantApplication.recommended_at: database_now(),
            }
        ).where(this_case(application_id))
    changed = {"state": S.RECOMMENDED, "recommendation": recommendation, "reason": reason}
    await record_step(application_id, "recommend", state, changed, actor_person_id)
    await emit("grants.application_recommended", {"application_id": application_id})
    return recommendation
