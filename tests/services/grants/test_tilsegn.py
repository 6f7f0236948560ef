"""A tilsegn's own lifecycle as its people live it, as the app role: the payments move it, a
settled, withdrawn or cancelled tilsegn takes no more requests or reports, the database holds
the same steps as the rules; the final report goes only with the final payment; a report's
effects count in the programme's KPIs only once the official has approved it."""

from __future__ import annotations

from decimal import Decimal

import asyncpg
import pytest

from services.errors import InvalidInput, NotAllowed
from services.grants import payments as payment_rules
from services.grants import service as grants
from services.grants import tilsegn as lifecycle
from services.grants.service.lifecycle import PaymentsWaiting
from services.grants.service.payments import ReportApprovedOnce
from services.grants.tilsegn import TilsegnState as T
from tenants.context import Scope, tenant_tx
from tests.services.grants.grant_helpers import new_fund
from tests.services.grants.money_helpers import (
    ACCOUNT,
    decide,
    kpi_actuals,
    new_tilsegn,
    request,
    with_programme,
)
from tests.services.tendering.tendering_helpers import new_person

pytestmark = pytest.mark.usefixtures("database")


async def _state(t) -> str:
    async with tenant_tx(t.fund.scope):
        return (await grants.tilsegn(t.application_id, as_applicant=False)).tilsegn_state


async def _pay(t, amount: int, kind: str = "part", **extra) -> int:
    payment_id = await request(t, amount, kind, **extra)
    await decide(t, payment_id, "approved")
    await decide(t, payment_id, "paid")
    return payment_id


async def _status_report(t, text: str = "Status.", **effects) -> int:
    async with tenant_tx(t.business.scope):
        return await grants.send_report(
            t.application_id, text=text, kpi_effects=effects, person_id=t.business.person_id
        )


async def _raw_report_refused(t, kind: str) -> str:
    """A report sent as the organisation straight in SQL, past the service: the refusal's code."""
    with pytest.raises(asyncpg.PostgresError) as refused:
        async with tenant_tx(t.business.scope) as tx:
            await tx.connection.execute(
                "insert into grant_report (tenant_id, application_id, organisation_id, kind,"
                " text, submitted_by) values ($1, $2, $3, $4, 'Rapport.', $5)",
                t.fund.tenant_id, t.application_id, t.business.organisation_id, kind,
                t.business.person_id,
            )
    return refused.value.sqlstate


# --- the lifecycle ---------------------------------------------------------------------------------


async def test_the_payments_move_a_tilsegn_from_active_to_settled_and_then_it_takes_nothing():
    t = await new_tilsegn(asked=100_000)
    assert await _state(t) == T.ACTIVE
    part = await request(t, 30_000)
    await decide(t, part, "approved")
    assert await _state(t) == T.ACTIVE  # approved is not paid
    await decide(t, part, "paid")
    assert await _state(t) == T.PART_PAID
    final = await request(t, 70_000, "final", kpi_effects={"new_jobs": Decimal(1)})
    assert await _state(t) == T.FINAL_REQUESTED
    await decide(t, final, "approved")
    await decide(t, final, "paid")
    async with tenant_tx(t.business.scope):
        seen = await grants.tilsegn(t.application_id, as_applicant=True)
    assert (seen.tilsegn_state, seen.paid) == (T.SETTLED, Decimal(100_000))
    with pytest.raises(lifecycle.TilsegnClosed):
        await _status_report(t)


async def test_a_rejected_final_payment_opens_the_tilsegn_again_where_its_payments_had_it():
    t = await new_tilsegn(asked=100_000)
    final = await request(t, 50_000, "final")
    await decide(t, final, "rejected", "Manglar rekneskap.")
    assert await _state(t) == T.ACTIVE
    await _pay(t, 20_000)
    final = await request(t, 50_000, "final")
    await decide(t, final, "rejected", "Manglar rekneskap.")
    assert await _state(t) == T.PART_PAID


async def test_a_cancelled_tilsegn_takes_no_request_and_a_clawback_closes_it_for_good():
    t = await new_tilsegn(asked=100_000)
    await _pay(t, 40_000)
    waiting = await request(t, 10_000)
    async with tenant_tx(t.fund.scope):
        with pytest.raises(PaymentsWaiting):
            await grants.cancel_tilsegn(
                t.application_id, reason="Vilkåra er brotne.", actor_person_id=t.fund.officer
            )
    await decide(t, waiting, "rejected", "Ikkje no.")
    async with tenant_tx(t.fund.scope):
        with pytest.raises(InvalidInput) as refused:
            await grants.cancel_tilsegn(t.application_id, reason=" ", actor_person_id=t.fund.officer)
        assert refused.value.field == "reason"
        await grants.cancel_tilsegn(
            t.application_id, reason="Vilkåra er brotne.", actor_person_id=t.fund.officer
        )
    with pytest.raises(lifecycle.TilsegnClosed):
        await request(t, 10_000)
    async with tenant_tx(t.fund.scope):
        await grants.record_clawback(
            t.application_id, amount=Decimal(40_000), reason="Vilkåra er brotne.",
            actor_person_id=t.fund.officer,
        )
        seen = await grants.tilsegn(t.application_id, as_applicant=False)
    assert (seen.tilsegn_state, seen.tilsegn_reason, seen.paid) == (
        T.CLAWED_BACK, "Vilkåra er brotne.", Decimal(0)
    )


async def test_the_organisation_withdraws_a_tilsegn_only_before_anything_is_paid():
    t = await new_tilsegn(asked=100_000)
    async with tenant_tx(t.business.scope):
        assert await grants.withdraw_tilsegn(
            t.application_id, reason="Prosjektet vart ikkje noko av.", person_id=t.business.person_id
        ) == T.WITHDRAWN
    assert await _state(t) == T.WITHDRAWN
    with pytest.raises(lifecycle.TilsegnClosed):
        await request(t, 10_000)
    paid = await new_tilsegn(asked=100_000)
    await _pay(paid, 10_000)
    async with tenant_tx(paid.business.scope):
        with pytest.raises(lifecycle.TilsegnStep):
            await grants.withdraw_tilsegn(
                paid.application_id, reason="For seint.", person_id=paid.business.person_id
            )
    await request(paid, 90_000, "final")
    async with tenant_tx(paid.fund.scope):
        with pytest.raises(lifecycle.NoClawbackNow):  # the final payment waits for a decision
            await grants.record_clawback(
                paid.application_id, amount=Decimal(1), reason="For mykje.",
                actor_person_id=paid.fund.officer,
            )


async def test_the_database_allows_exactly_the_tilsegn_steps_the_rules_allow():
    """Every pair of distinct states, tried as the municipality's app role straight in SQL: the
    guard refuses (GR026) exactly the steps tilsegn.may_move refuses."""
    t = await new_tilsegn(asked=1_000_000)
    reach = {
        T.ACTIVE: [],
        T.PART_PAID: [T.PART_PAID],
        T.FINAL_REQUESTED: [T.FINAL_REQUESTED],
        T.SETTLED: [T.FINAL_REQUESTED, T.SETTLED],
        T.WITHDRAWN: [T.WITHDRAWN],
        T.CANCELLED: [T.CANCELLED],
        T.CLAWED_BACK: [T.CANCELLED, T.CLAWED_BACK],
    }
    assert set(reach) == set(T)

    class Undo(Exception):
        pass

    move = "update grant_application set tilsegn_state = $2 where id = $1"
    for start, path in reach.items():
        for wanted in T:
            if wanted == start:
                continue
            with pytest.raises(Undo):
                async with tenant_tx(t.fund.scope) as tx:
                    for step in path:
                        await tx.connection.execute(move, t.application_id, step.value)
                    try:
                        async with tx.connection.transaction():
                            await tx.connection.execute(move, t.application_id, wanted.value)
                        allowed = True
                    except asyncpg.PostgresError as refused:
                        assert refused.sqlstate == "GR026", (start, wanted, refused)
                        allowed = False
                    assert allowed == lifecycle.may_move(start, wanted), (start, wanted)
                    raise Undo
    assert await _state(t) == T.ACTIVE  # every try was undone


async def test_the_database_refuses_a_request_to_a_closed_tilsegn_past_the_service():
    t = await new_tilsegn(asked=100_000)
    async with tenant_tx(t.fund.scope):
        await grants.cancel_tilsegn(t.application_id, reason="Brot.", actor_person_id=t.fund.officer)
    assert await _raw_report_refused(t, "status") == "GR027"


# --- the final report goes with the final payment --------------------------------------------------


async def test_a_final_report_on_its_own_is_refused_by_the_service_and_the_database():
    t = await new_tilsegn()
    async with tenant_tx(t.business.scope):
        with pytest.raises(lifecycle.FinalReportAlone) as refused:
            await grants.send_report(
                t.application_id, text="Ferdig.", kind="final", person_id=t.business.person_id
            )
    assert "final payment" in str(refused.value.message)
    assert await _raw_report_refused(t, "final") == "GR028"  # no final payment carried it
    async with tenant_tx(t.business.scope):
        assert (await grants.tilsegn(t.application_id, as_applicant=True)).reports == []


async def test_a_final_payment_without_its_final_report_is_refused_beside_the_report():
    t = await new_tilsegn()
    with pytest.raises(InvalidInput) as refused:
        await request(t, 10_000, "final", report="  ")
    assert refused.value.field == "report"
    assert "final report" in str(refused.value.message)
    status = await _status_report(t)
    with pytest.raises(asyncpg.PostgresError) as refused:  # carrying a status report instead
        async with tenant_tx(t.business.scope) as tx:
            await tx.connection.execute(
                "insert into grant_payment_request (tenant_id, application_id, organisation_id,"
                " kind, amount, costs_incurred, account_number, report_id, state, requested_by)"
                " values ($1, $2, $3, 'final', 1000, 0, $4, $5, 'submitted', $6)",
                t.fund.tenant_id, t.application_id, t.business.organisation_id, ACCOUNT,
                status, t.business.person_id,
            )
    assert refused.value.sqlstate == "GR028"
    assert await _state(t) == T.ACTIVE


# --- a report counts once approved -----------------------------------------------------------------


async def test_a_reports_effects_count_only_once_the_official_has_approved_it():
    fund = await new_fund(max_amount=10_000_000, decision_limit=10_000_000)
    programme_id = await with_programme(fund)
    t = await new_tilsegn(fund, asked=100_000)
    report_id = await _status_report(t, "Halvvegs.", new_jobs=Decimal(2))
    async with tenant_tx(fund.scope):
        assert await grants.count_report_effects(report_id) == 0  # sent, not approved
    assert await kpi_actuals(fund, programme_id) == {}

    viewer = await new_person("viewer", municipality_id=fund.tenant_id)
    async with tenant_tx(Scope(tenant_id=fund.tenant_id, person_id=viewer)):
        with pytest.raises(NotAllowed):
            await grants.approve_report(report_id, actor_person_id=viewer)
    async with tenant_tx(t.business.scope) as tx:  # the organisation cannot approve its own
        changed = await tx.connection.execute(
            "update grant_report set approved_at = now() where id = $1", report_id
        )
        assert changed == "UPDATE 0"
    assert await kpi_actuals(fund, programme_id) == {}

    async with tenant_tx(fund.scope):
        assert await grants.approve_report(report_id, actor_person_id=fund.officer) == (
            t.application_id
        )
        with pytest.raises(ReportApprovedOnce):
            await grants.approve_report(report_id, actor_person_id=fund.officer)
        seen = await grants.tilsegn(t.application_id, as_applicant=False)
    assert await kpi_actuals(fund, programme_id) == {"new_jobs": Decimal(2)}
    [report] = seen.reports
    assert report.approved_at is not None and report.effects_counted_at is not None


async def test_the_database_keeps_an_approval_once_written():
    t = await new_tilsegn()
    report_id = await _status_report(t)
    async with tenant_tx(t.fund.scope):
        await grants.approve_report(report_id, actor_person_id=t.fund.officer)
    with pytest.raises(asyncpg.PostgresError) as refused:
        async with tenant_tx(t.fund.scope) as tx:
            await tx.connection.execute(
                "update grant_report set approved_at = null, approved_by = null where id = $1",
                report_id,
            )
    assert refused.value.sqlstate == "GR029"


def test_the_closed_states_refuse_what_the_final_request_refuses_in_its_own_words():
    with pytest.raises(payment_rules.FinalRequested):
        lifecycle.check_open(T.FINAL_REQUESTED)
