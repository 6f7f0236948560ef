"""The applicant's appeal (klage) against a rejection: once, within three weeks of the decision,
with its reasons; it goes to the programme board's next meeting."""

from __future__ import annotations

from services.errors import required_text
from services.grants.roles import APPLICANTS
from services.grants.service._common import (
    ApplicationNotFound,
    database_refusals,
    require_organisation_role,
)
from services.grants.tables import GrantAppeal
from services.outbox.service import emit
from tenants.context import connection


async def lodge_appeal(application_id: int, *, reason: str, person_id: int) -> None:
    """The database keeps the window and the once (grant_appeal_guard): its clock decides."""
    await require_organisation_role(person_id, APPLICANTS)
    reason = required_text(reason, "appeal_reason", 10_000)
    tenant_id = await connection().fetchval(
        "select tenant_id from grant_application where organisation_id = app_organisation_id()"
        " and id = $1",
        application_id,
    )
    if tenant_id is None:
        raise ApplicationNotFound()
    with database_refusals():
        await GrantAppeal.insert(
            GrantAppeal(
                tenant_id=tenant_id,
                application_id=application_id,
                reason=reason,
                lodged_by=person_id,
            )
        )
    # The municipality's audit chain records the appeal's outcome when the board decides it.
    await emit("grants.application_appealed", {"application_id": application_id})


async def appeal_of(application_id: int) -> dict | None:
    row = await connection().fetchrow(
        "select reason, lodged_at, outcome, decided_at from grant_appeal where application_id = $1",
        application_id,
    )
    return dict(row) if row else None
