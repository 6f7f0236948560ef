"""Grants' jobs through the outbox and a real Worker: a reporting deadline's reminders 60 and 7
days ahead reach the organisation's applicants in each one's language, once; a report's effects
reach the programme's KPI actuals and the dashboards once the official has approved it."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal

from services.grants import service as grants
from tenants.context import connection, tenant_tx
from tests.services.grants.grant_helpers import new_fund, today
from tests.services.grants.money_helpers import new_tilsegn, with_programme
from tests.workers.test_notice_mails import drain, mail_requests, new_person, set_own_address
from workers.actors.grants import remind_reporting_deadlines


async def test_the_reminders_fall_60_and_7_days_before_the_deadline_in_each_ones_language(
    stub, run_worker, inbox
):
    day = await today()
    fund = await new_fund(max_amount=10_000_000, decision_limit=10_000_000)
    soon = await new_tilsegn(fund, deadline=day + timedelta(days=7))
    later = await new_tilsegn(fund, deadline=day + timedelta(days=60))
    between = await new_tilsegn(fund, deadline=day + timedelta(days=30))
    admin = await set_own_address(soon.business.person_id, "nn")
    _, member = await new_person("en", "member", organisation_id=soon.business.organisation_id)
    later_admin = await set_own_address(later.business.person_id, None)
    quiet = await set_own_address(between.business.person_id, "nb")

    with run_worker(stub, threads=2):
        remind_reporting_deadlines.send(today=day.isoformat())
        await asyncio.to_thread(stub.join, "notices", fail_fast=True)
        await drain(stub)
        remind_reporting_deadlines.send(today=day.isoformat())  # the job again: nothing new
        await asyncio.to_thread(stub.join, "notices", fail_fast=True)
        await drain(stub)

    got = {m["To"]: m for m in inbox.to(admin, member, later_admin, quiet)}
    assert sorted(got) == sorted([admin, member, later_admin])  # 30 days ahead: no reminder
    assert len(inbox.to(admin, member, later_admin)) == 3  # the second run sent nothing
    assert {to: m["Content-Language"] for to, m in got.items()} == {
        admin: "nn", member: "en", later_admin: "nb"
    }
    assert got[admin]["Subject"].startswith("Rapporten om Kanoturar skal leverast innan")
    assert "om 7 dagar" in got[admin].get_content()
    assert "in 60 days" not in got[member].get_content() and "in 7 days" in got[member].get_content()
    assert "om 60 dager" in got[later_admin].get_content()
    assert f"/grants/applications/{soon.application_id}/payments" in got[admin].get_content()
    assert len(await mail_requests(fund.tenant_id, "grant_report_due")) == 3


async def _actual(fund, programme_id: int, code: str):
    async with tenant_tx(fund.scope):
        return await connection().fetchval(
            "select m.value from kpi_measurement m join kpi k on k.tenant_id = m.tenant_id"
            " and k.id = m.kpi_id where k.tenant_id = app_tenant_id() and k.programme_id = $1"
            " and k.code = $2 order by m.measured_on desc, m.id desc limit 1",
            programme_id,
            code,
        )


async def test_a_reports_effects_reach_the_kpi_actuals_and_the_dashboard_once_approved(
    stub, run_worker
):
    fund = await new_fund(max_amount=10_000_000, decision_limit=10_000_000)
    programme_id = await with_programme(fund)
    t = await new_tilsegn(fund, asked=100_000)
    async with tenant_tx(t.business.scope):
        payment_id = await grants.request_payment(
            t.application_id,
            kind="final",
            amount=Decimal(100_000),
            costs_incurred=Decimal(200_000),
            account_number="12345678903",
            report="Ferdig: to nye årsverk.",
            kpi_effects={"new_jobs": Decimal(2)},
            person_id=t.business.person_id,
        )

    with run_worker(stub, threads=2):
        await drain(stub)
    assert await _actual(fund, programme_id, "new_jobs") is None  # sent, not yet approved

    async with tenant_tx(fund.scope):
        payments = (await grants.tilsegn(t.application_id, as_applicant=False)).payments
        [report_id] = [p.report_id for p in payments if p.id == payment_id]
        await grants.approve_report(report_id, actor_person_id=fund.officer)
    with run_worker(stub, threads=2):
        await drain(stub)

    assert await _actual(fund, programme_id, "new_jobs") == Decimal(2)
    async with tenant_tx(fund.tenant_id):
        figures = await connection().fetch(
            "select slice, metric, value from municipality_figure where tenant_id = app_tenant_id()"
            " and ((slice = 'programmes' and metric = 'kpi_value' and subject = 'new_jobs')"
            " or (slice = 'grants' and metric = 'grants_granted'))"
        )
    assert {(r["slice"], r["metric"]): r["value"] for r in figures} == {
        ("programmes", "kpi_value"): Decimal(2),
        ("grants", "grants_granted"): Decimal(100_000),
    }
