"""Reading applications back: one application whole, or a list, as its reader may see it."""

from __future__ import annotations

from services.grants.schemas import ApplicationSummary, ApplicationView
from services.grants.service._common import TODAY, ApplicationNotFound, plans_of
from tenants.context import connection, fetch_structs

_ONE = (
    "select a.id, a.tenant_id, a.call_id, c.title as call_title, c.fund_name,"
    " m.name as municipality_name, a.organisation_id, o.name as organisation_name, a.title,"
    " a.summary, a.project, a.effects, a.state, a.submitted_at,"
    " encode(a.receipt_sha256, 'hex') as receipt, a.assessment_comment, a.assessed_at,"
    " a.eligible_cost, a.requested_amount, a.grantable_amount, a.share, a.decided_at,"
    " a.granted_amount, a.rejection_reason, c.asks_for, a.recommendation,"
    " a.recommendation_reason, a.recommended_at, a.conditions, a.reporting_deadline,"
    " a.decided_in_meeting, a.rank, a.rank_comment, o.organisasjonsnummer, a.assessed_by,"
    f" {TODAY} between c.opens_on and c.closes_on as call_open"
    " from grant_application a"
    " join public_grant_calls() c on c.tenant_id = a.tenant_id and c.id = a.call_id"
    " join municipality m on m.id = a.tenant_id"
    " join organisation o on o.id = a.organisation_id"
)


async def application_view(application_id: int, *, as_applicant: bool) -> ApplicationView:
    """The application as its organisation (as_applicant) or its municipality sees it."""
    mine = (
        "a.organisation_id = app_organisation_id()"
        if as_applicant
        else ("a.tenant_id = app_tenant_id()")
    )
    row = await connection().fetchrow(f"{_ONE} where {mine} and a.id = $1", application_id)
    if row is None:
        raise ApplicationNotFound()
    costs, financing = await plans_of(row["tenant_id"], application_id)
    return ApplicationView(**dict(row), costs=costs, financing=financing)


_LIST = (
    "select a.id, a.tenant_id, a.call_id, c.title as call_title, a.title, a.state,"
    " o.name as organisation_name, a.submitted_at,"
    " coalesce((select sum(l.amount) from grant_financing_line l where l.tenant_id = a.tenant_id"
    " and l.application_id = a.id and l.source = 'this_fund'), 0) as requested_amount"
    " from grant_application a"
    " join public_grant_calls() c on c.tenant_id = a.tenant_id and c.id = a.call_id"
    " join organisation o on o.id = a.organisation_id"
)


async def own_applications() -> list[ApplicationSummary]:
    """The acting organisation's applications, in every municipality, the newest first."""
    return await fetch_structs(
        ApplicationSummary,
        _LIST + " where a.organisation_id = app_organisation_id() order by a.created_at desc",
    )


async def case_queue(state: str | None = None) -> list[ApplicationSummary]:
    """The municipality's cases (submitted applications and on), by state, the oldest first."""
    return await fetch_structs(
        ApplicationSummary,
        _LIST + " where a.tenant_id = app_tenant_id() and ($1::text is null or a.state = $1)"
        " order by a.submitted_at, a.id",
        state,
    )
