"""An organisation's applications: started under an open call, written as a draft, submitted
(then locked, with a receipt). These run in the organisation's scope, which sees its own."""

from __future__ import annotations

from collections.abc import Sequence

from services.errors import N_, InvalidInput, required_text
from services.grants.roles import APPLICANTS
from services.grants.rules import (
    FINANCING_SOURCES,
    SUMMARY_LIMIT,
    ApplicationState,
    check_asked_for,
    check_at_most,
    check_plans,
    receipt_digest,
)
from services.grants.schemas import ApplicationView, PlanLine
from services.grants.service._common import (
    ApplicationLocked,
    ApplicationNotFound,
    CallClosed,
    database_refusals,
    require_organisation_role,
)
from services.grants.service.funds import public_call
from services.grants.service.views import application_view
from services.grants.tables import GrantApplication, GrantCostLine, GrantFinancingLine
from services.outbox.service import emit
from tenants.context import connection
from tenants.rows import insert_row

MAX_LINES = 100  # lines per plan: more than any real application, fewer than a flood


async def start_application(call_id: int, *, title: str, person_id: int) -> int:
    """A draft under one of any municipality's open calls, for the acting organisation."""
    organisation_id = await require_organisation_role(person_id, APPLICANTS)
    call = await public_call(call_id)
    if not call.is_open:
        raise CallClosed()
    title = required_text(title, "title", 300)
    with database_refusals():
        return await insert_row(
            GrantApplication(
                tenant_id=call.tenant_id,
                call_id=call_id,
                organisation_id=organisation_id,
                created_by=person_id,
                title=title,
            )
        )


_OWN = (
    "select tenant_id, id, state from grant_application"
    " where organisation_id = app_organisation_id() and id = $1"
)


async def _own_draft(application_id: int) -> dict:
    """The organisation's own draft, locked; a submitted one is refused as locked."""
    db = connection()
    row = await db.fetchrow(_OWN, application_id)
    if row is None:
        raise ApplicationNotFound()
    # FOR UPDATE passes the update policy too, which lets the applicant lock drafts only.
    locked = await db.fetchrow(_OWN + " for update", application_id)
    if row["state"] != ApplicationState.DRAFT or locked is None:
        raise ApplicationLocked()
    return dict(locked)


def _check_lines(costs: Sequence[PlanLine], financing: Sequence[PlanLine]) -> None:
    for lines, field in ((costs, "costs"), (financing, "financing")):
        check_at_most(
            len(lines),
            MAX_LINES,
            "grant_too_many_lines",
            N_("A plan has at most %(limit)s lines."),
            field,
        )
    for line in costs:
        required_text(line.description, "costs", 300)
        if line.amount <= 0:
            raise InvalidInput("grant_line_amount", N_("Write an amount above 0."), field="costs")
    for line in financing:
        if line.source not in FINANCING_SOURCES:
            raise InvalidInput(
                "grant_financing_source",
                N_("Choose where the money comes from."),
                field="financing",
            )
        if line.amount <= 0:
            raise InvalidInput(
                "grant_line_amount", N_("Write an amount above 0."), field="financing"
            )


async def save_application(
    application_id: int,
    *,
    title: str,
    summary: str,
    project: str,
    effects: str,
    costs: Sequence[PlanLine],
    financing: Sequence[PlanLine],
    person_id: int,
) -> None:
    """Keep the draft as written; it need not balance yet, only be storable."""
    await require_organisation_role(person_id, APPLICANTS)
    row = await _own_draft(application_id)
    title = required_text(title, "title", 300)
    check_at_most(
        len(summary),
        SUMMARY_LIMIT,
        "grant_summary_too_long",
        N_("The summary is at most %(limit)s characters."),
        "summary",
    )
    _check_lines(costs, financing)
    tenant, key = row["tenant_id"], row["id"]
    with database_refusals():
        await GrantApplication.update(
            {
                GrantApplication.title: title,
                GrantApplication.summary: summary,
                GrantApplication.project: project,
                GrantApplication.effects: effects,
            }
        ).where((GrantApplication.tenant_id == tenant) & (GrantApplication.id == key))
        for table in (GrantCostLine, GrantFinancingLine):
            await table.delete().where((table.tenant_id == tenant) & (table.application_id == key))
        if costs:
            await GrantCostLine.insert(
                *(
                    GrantCostLine(
                        tenant_id=tenant,
                        application_id=key,
                        position=n,
                        description=c.description.strip(),
                        amount=c.amount,
                    )
                    for n, c in enumerate(costs)
                )
            )
        if financing:
            await GrantFinancingLine.insert(
                *(
                    GrantFinancingLine(
                        tenant_id=tenant,
                        application_id=key,
                        position=n,
                        source=f.source,
                        description=f.description.strip(),
                        amount=f.amount,
                    )
                    for n, f in enumerate(financing)
                )
            )


async def submit_application(application_id: int, *, person_id: int) -> ApplicationView:
    """Send the draft: complete, its plans balanced, the call open; then locked, with a receipt."""
    await require_organisation_role(person_id, APPLICANTS)
    row = await _own_draft(application_id)
    view = await application_view(application_id, as_applicant=True)
    if not view.summary.strip():
        raise InvalidInput(
            "grant_summary_missing", N_("Write a summary of the project."), field="summary"
        )
    if not view.project.strip():
        raise InvalidInput("grant_project_missing", N_("Describe the project."), field="project")
    check_plans(view.costs, view.financing)
    files = await connection().fetch(
        "select name, encode(sha256(content), 'hex') as sha256 from grant_attachment"
        " where tenant_id = $1 and application_id = $2 order by id",
        row["tenant_id"],
        row["id"],
    )
    check_asked_for(view.asks_for, effects=view.effects, attachments=len(files))
    digest = receipt_digest(
        {
            "call_id": view.call_id,
            "organisation_id": view.organisation_id,
            "title": view.title,
            "summary": view.summary,
            "project": view.project,
            "effects": view.effects,
            "costs": [[c.description, str(c.amount)] for c in view.costs],
            "financing": [[f.source, f.description, str(f.amount)] for f in view.financing],
            # The files by their SHA-256: the receipt covers what was attached, not only names.
            "attachments": [[f["name"], f["sha256"]] for f in files],
        }
    )
    with database_refusals():
        await connection().execute(
            "update grant_application set state = 'submitted', submitted_by = $3,"
            " receipt_sha256 = $4, (contact_email, contact_language) = (select email, language"
            " from person where id = $3) where tenant_id = $1 and id = $2",
            row["tenant_id"],
            row["id"],
            person_id,
            digest,
        )
    # The organisation's event names the municipality whose figures change.
    await emit(
        "grants.application_submitted",
        {"application_id": application_id, "lead_municipality_id": row["tenant_id"]},
    )
    return await application_view(application_id, as_applicant=True)


async def own_application(application_id: int) -> ApplicationView:
    return await application_view(application_id, as_applicant=True)
