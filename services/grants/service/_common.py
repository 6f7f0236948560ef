"""What the grant use-cases share: their refusals, the acting person's role, reading plans and
the database's own refusals (the lock and the call's dates) as the domain's."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg
from piccolo.columns.combination import Where

from services.audit.service import record_change
from services.errors import N_, Conflict, NotAllowed, NotFound
from services.grants.schemas import PlanLine
from services.grants.tables import GrantApplication, GrantCostLine, GrantFinancingLine
from tenants.context import connection
from tenants.rows import shown_columns, tenant

# "Today" by the Norwegian clock, as the database's guard reads it.
TODAY = "(now() at time zone 'Europe/Oslo')::date"


class FundNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("grant_fund_not_found", N_("No such fund."), field="fund_id")


class CallNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("grant_call_not_found", N_("No such call."))


class ApplicationNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("grant_application_not_found", N_("No such application."))


class RoleMayNot(NotAllowed):
    def __init__(self) -> None:
        super().__init__("grant_role_refused", N_("Your role may not do this."))


class CallClosed(Conflict):
    def __init__(self) -> None:
        super().__init__("grant_call_closed", N_("The call is not open for applications."))


class ApplicationLocked(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "grant_application_locked",
            N_("The application has been submitted and can no longer be changed."),
        )


class WrongStep(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "grant_application_step",
            N_("The application is no longer at the step this was meant for."),
        )


class ConflictedMember(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "grant_member_conflicted",
            N_("A board member who declared a conflict of interest cannot vote on the case."),
        )


class AppealRefused(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "grant_appeal_refused",
            N_("Only a rejection can be appealed, once, within three weeks of the decision."),
        )


@contextmanager
def database_refusals() -> Iterator[None]:
    """The guard's SQLSTATEs (migrations/0001_grants.sql) as the domain's refusals."""
    try:
        yield
    except asyncpg.PostgresError as error:
        code = getattr(error, "sqlstate", None)
        if code == "GR001":
            raise ApplicationLocked() from error
        if code == "GR002":
            raise CallClosed() from error
        if code == "GR003":
            raise WrongStep() from error
        if code == "GR010":
            raise ConflictedMember() from error
        if code == "GR011":
            raise AppealRefused() from error
        if code == "GR030":  # the de minimis guard (0004_grant_money.sql)
            raise Conflict(
                "grant_de_minimis_ceiling",
                N_(
                    "Refused under the de minimis rules: the grant would take the organisation"
                    " past EUR 300 000 in support over three years."
                ),
            ) from error
        raise


def this_case(application_id: int) -> Where:
    """The municipality's own application `application_id`: a case's steps read and write it."""
    return (GrantApplication.tenant_id == tenant()) & (GrantApplication.id == application_id)


async def audit_application(
    application_id: int,
    action: str,
    new_values: dict,
    actor_person_id: int | None,
    old_values: dict | None = None,
) -> None:
    """The audit of what was done to an application (or its tilsegn): who, what, from what."""
    await record_change(
        actor_person_id=actor_person_id,
        action=action,
        entity="grant_application",
        entity_id=application_id,
        old_values=old_values,
        new_values=new_values,
    )


async def require_municipal_role(person_id: int | None, roles: tuple[str, ...]) -> None:
    """The acting person holds one of `roles` in the transaction's municipality (None: Samspel)."""
    if person_id is None:
        return
    if not await connection().fetchval(
        "select exists (select 1 from membership where person_id = $1"
        " and municipality_id = app_tenant_id() and role = any($2::text[]))",
        person_id,
        list(roles),
    ):
        raise RoleMayNot()


async def require_organisation_role(person_id: int, roles: tuple[str, ...]) -> int:
    """The acting person holds one of `roles` in the organisation the transaction acts for."""
    organisation_id = await connection().fetchval(
        "select organisation_id from membership where person_id = $1"
        " and organisation_id = app_organisation_id() and role = any($2::text[]) limit 1",
        person_id,
        list(roles),
    )
    if organisation_id is None:
        raise RoleMayNot()
    return organisation_id


async def plans_of(tenant_id: int, application_id: int) -> tuple[list[PlanLine], list[PlanLine]]:
    """The application's cost plan and financing plan, each in its order. The municipality is
    the application's own, given: its organisation reads it too, in a scope without one."""
    return (
        await _plan(GrantCostLine, tenant_id, application_id),
        await _plan(GrantFinancingLine, tenant_id, application_id),
    )


async def _plan(
    table: type[GrantCostLine | GrantFinancingLine], tenant_id: int, application_id: int
) -> list[PlanLine]:
    rows = await (
        table.select(*shown_columns(table, PlanLine))
        .where((table.tenant_id == tenant_id) & (table.application_id == application_id))
        .order_by(table.position)
    )
    return [PlanLine(**r) for r in rows]
