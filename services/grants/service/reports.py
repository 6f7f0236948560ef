"""A tilsegn's reports: the organisation sends a status report (or the final report, with the
final payment); once the municipality's official approves a report, the effects achieved flow
into the programme's KPI actuals (and so the dashboards), once per report."""

from __future__ import annotations

import json
from decimal import Decimal

from services.audit.service import record_change
from services.errors import N_, InvalidInput, NotFound
from services.grants import reports as rules
from services.grants import tilsegn as lifecycle
from services.grants.roles import APPLICANTS, ASSESSORS
from services.grants.service._common import require_municipal_role, require_organisation_role
from services.grants.service.payments import (
    ReportApprovedOnce,
    insert_report,
    money_refusals,
    tilsegn,
)
from services.grants.tables import GrantReport
from services.outbox.service import emit
from services.programmes import service as programmes
from services.programmes.rules import STANDARD_KPIS
from tenants.context import connection
from tenants.rows import tenant

# The KPIs a report asks about: every programme has these three (the standard KPIs).
REPORTED_KPIS = tuple(STANDARD_KPIS)


async def send_report(
    application_id: int,
    *,
    text: str,
    kpi_effects: dict[str, Decimal] | None = None,
    kind: str = rules.ReportKind.STATUS,
    person_id: int,
) -> int:
    """A status report on the tilsegn, with the effects achieved so far; locked once sent.
    The final report goes only with the final payment (request_payment)."""
    await require_organisation_role(person_id, APPLICANTS)
    if kind == rules.ReportKind.FINAL:
        raise lifecycle.FinalReportAlone()
    if kind != rules.ReportKind.STATUS:
        raise InvalidInput("grant_report_kind", N_("No such kind of report."), field="kind")
    effects = kpi_effects or {}
    if set(effects) - set(REPORTED_KPIS):
        raise InvalidInput("grant_effect_unknown", N_("No such KPI."), field="effects")
    current = await tilsegn(application_id, as_applicant=True)
    lifecycle.check_open(current.tilsegn_state)
    report_id = await insert_report(
        current, kind=rules.ReportKind.STATUS, text=text, kpi_effects=effects, person_id=person_id
    )
    await emit(
        "grants.report_submitted",
        {
            "lead_municipality_id": current.tenant_id,
            "application_id": application_id,
            "report_id": report_id,
        },
    )
    return report_id


class ReportNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("grant_report_not_found", N_("No such report."))


async def approve_report(report_id: int, *, actor_person_id: int | None) -> int:
    """The official approves a report: only then do its effects count in the programme's KPI
    actuals. Returns the report's application."""
    await require_municipal_role(actor_person_id, ASSESSORS)
    report = await (
        GrantReport.select(GrantReport.application_id, GrantReport.approved_at)
        .where((GrantReport.tenant_id == tenant()) & (GrantReport.id == report_id))
        .lock_rows()
        .first()
    )
    if report is None:
        raise ReportNotFound()
    if report["approved_at"] is not None:
        raise ReportApprovedOnce()
    with money_refusals():
        # SQL here: stamped by the statement's clock (clock_timestamp()), which infra.columns
        # gives Piccolo only as a default.
        await connection().execute(
            "update grant_report set approved_by = $2, approved_at = clock_timestamp()"
            " where tenant_id = app_tenant_id() and id = $1",
            report_id,
            actor_person_id,
        )
    moved = await count_report_effects(report_id)
    await record_change(
        actor_person_id=actor_person_id,
        action="report_approved",
        entity="grant_report",
        entity_id=report_id,
        new_values={"kpis_moved": moved},
    )
    await emit(
        "grants.report_approved",
        {"application_id": report["application_id"], "report_id": report_id},
    )
    return report["application_id"]


def _effects(raw: str) -> dict[str, Decimal]:
    return {code: Decimal(value) for code, value in json.loads(raw).items()}


async def count_report_effects(report_id: int) -> int:
    """Move the programme's KPI actuals by what an approved report adds to its tilsegn's last
    counted report; returns how many KPIs moved. Run twice, it counts once (the report is
    marked); a report not approved counts nothing."""
    db = connection()
    report = await db.fetchrow(
        "select r.id, r.application_id, r.kpi_effects::text as kpi_effects,"
        " r.approved_at, r.effects_counted_at, f.programme_id, a.title from grant_report r"
        " join grant_application a on a.tenant_id = r.tenant_id and a.id = r.application_id"
        " join grant_call c on c.tenant_id = a.tenant_id and c.id = a.call_id"
        " join grant_fund f on f.tenant_id = c.tenant_id and f.id = c.fund_id"
        " where r.tenant_id = app_tenant_id() and r.id = $1 for update of r",
        report_id,
    )
    if report is None or report["approved_at"] is None or report["effects_counted_at"] is not None:
        return 0
    counted: dict[str, Decimal] = {}
    for earlier in await db.fetch(
        "select kpi_effects::text as kpi_effects from grant_report"
        " where tenant_id = app_tenant_id() and application_id = $1 and id < $2"
        " and effects_counted_at is not null order by id",
        report["application_id"],
        report_id,
    ):
        counted |= _effects(earlier["kpi_effects"])
    moved = 0
    changes = rules.effect_changes(_effects(report["kpi_effects"]), counted)
    if report["programme_id"] is not None:
        moved = await _move_kpis(report["programme_id"], changes, report["title"])
    await db.execute(
        "update grant_report set effects_counted_at = clock_timestamp()"
        " where tenant_id = app_tenant_id() and id = $1",
        report_id,
    )
    return moved


async def _move_kpis(programme_id: int, changes: dict[str, Decimal], title: str) -> int:
    db = connection()
    moved = 0
    for code, change in sorted(changes.items()):
        kpi = await db.fetchrow(
            "select k.id, k.baseline, (select m.value from kpi_measurement m"
            " where m.tenant_id = k.tenant_id and m.kpi_id = k.id"
            " order by m.measured_on desc, m.id desc limit 1) as latest"
            " from kpi k where k.tenant_id = app_tenant_id() and k.programme_id = $1"
            " and k.code = $2",
            programme_id,
            code,
        )
        if kpi is None:
            continue
        today = await db.fetchval("select (now() at time zone 'Europe/Oslo')::date")
        await programmes.record_kpi_measurement(
            kpi["id"],
            measured_on=today,
            value=rules.moved_actual(kpi["latest"], kpi["baseline"], change),
            source=f"Tilskot: {title}"[:500],
            actor_person_id=None,
        )
        moved += 1
    return moved
