"""A tilsegn's money as its people use it, as the app role: payment requests that are locked
once sent and never together exceed the tilsegn (also at the same moment), the municipality's
steps and clawbacks, de minimis across municipalities, and reports whose effects move the
programme's KPI actuals."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import asyncpg
import pytest

from services.errors import Conflict, InvalidInput, NotAllowed
from services.grants import payments as payment_rules
from services.grants import service as grants
from services.grants.service.payments import NotATilsegn, PaymentLocked, PaymentStep
from services.grants.state_aid import CeilingPassed
from tenants.context import Scope, tenant_tx
from tests.services.grants.grant_helpers import draft, new_fund
from tests.services.grants.money_helpers import (
    ACCOUNT,
    decide,
    kpi_actuals,
    new_tilsegn,
    plans,
    request,
    with_programme,
)
from tests.services.tendering.tendering_helpers import new_business, new_person

pytestmark = pytest.mark.usefixtures("database")


async def test_a_part_payment_is_approved_and_paid_and_the_rest_remains():
    t = await new_tilsegn(asked=200_000)
    payment_id = await request(t, 80_000)
    assert await decide(t, payment_id, "approved") == "approved"
    await decide(t, payment_id, "paid")
    async with tenant_tx(t.business.scope):
        seen = await grants.tilsegn(t.application_id, as_applicant=True)
    assert (seen.paid, seen.remaining) == (Decimal(80_000), Decimal(120_000))
    line = seen.payments[0]
    assert (line.state, line.account_number, line.costs_incurred) == ("paid", ACCOUNT, 160_000)
    assert line.report_text == "Vi er i rute."
    assert [r.kind for r in seen.reports] == ["status"]


async def test_a_request_above_what_remains_is_refused_naming_the_remainder():
    t = await new_tilsegn(asked=100_000)
    await request(t, 70_000)
    with pytest.raises(payment_rules.ExceedsTilsegn) as refused:
        await request(t, 40_000)
    assert "30\u00a0000" in str(refused.value)


async def test_one_final_payment_and_nothing_after_it():
    t = await new_tilsegn(asked=100_000)
    final = await request(t, 50_000, "final", kpi_effects={"new_jobs": Decimal(2)})
    with pytest.raises(payment_rules.FinalRequested):
        await request(t, 10_000)
    with pytest.raises(payment_rules.FinalRequested):
        await request(t, 10_000, "final")
    await decide(t, final, "rejected", "Manglar rekneskap.")
    await request(t, 100_000, "final")  # a rejected final leaves room for another


async def test_a_sent_request_is_locked_against_sql_of_either_side():
    t = await new_tilsegn()
    payment_id = await request(t, 10_000)
    async with tenant_tx(t.business.scope) as tx:
        changed = await tx.connection.execute(
            "update grant_payment_request set amount = 1 where id = $1", payment_id
        )
        assert changed == "UPDATE 0"  # the organisation has no update policy at all
    with pytest.raises(asyncpg.PostgresError) as refused:
        async with tenant_tx(t.fund.scope) as tx:
            await tx.connection.execute(
                "update grant_payment_request set amount = 1 where id = $1", payment_id
            )
    assert refused.value.sqlstate == "GR024"


async def test_a_payment_takes_only_its_own_steps_and_a_rejection_needs_a_reason():
    t = await new_tilsegn()
    payment_id = await request(t, 10_000)
    with pytest.raises(PaymentStep):
        await decide(t, payment_id, "paid")
    with pytest.raises(InvalidInput) as refused:
        await decide(t, payment_id, "rejected")
    assert refused.value.field == "reason"
    await decide(t, payment_id, "rejected", "Feil kontonummer.")
    with pytest.raises(PaymentStep):
        await decide(t, payment_id, "approved")


async def test_a_wrong_account_number_is_refused_beside_its_field_and_nothing_is_written():
    t = await new_tilsegn()
    with pytest.raises(InvalidInput) as refused:
        await request(t, 10_000, account_number="12345678904")
    assert refused.value.field == "account_number"
    async with tenant_tx(t.business.scope):
        seen = await grants.tilsegn(t.application_id, as_applicant=True)
    assert seen.payments == [] and seen.reports == []


async def test_a_clawback_is_a_negative_line_no_larger_than_what_was_paid():
    t = await new_tilsegn(asked=100_000)
    payment_id = await request(t, 60_000)
    await decide(t, payment_id, "approved")
    await decide(t, payment_id, "paid")
    async with tenant_tx(t.fund.scope):
        with pytest.raises(payment_rules.ClawbackTooLarge):
            await grants.record_clawback(
                t.application_id, amount=Decimal(60_001), reason="Brot på vilkår.",
                actor_person_id=t.fund.officer,
            )
        await grants.record_clawback(
            t.application_id, amount=Decimal(20_000), reason="Brot på vilkår.",
            actor_person_id=t.fund.officer,
        )
        seen = await grants.tilsegn(t.application_id, as_applicant=False)
    assert [p.amount for p in seen.payments] == [Decimal(60_000), Decimal(-20_000)]
    assert seen.paid == Decimal(40_000)


async def test_only_a_tilsegn_takes_payment_requests_and_only_from_its_organisation():
    fund = await new_fund()
    business, application_id = await draft(fund)
    async with tenant_tx(business.scope):
        with pytest.raises(NotATilsegn):
            await grants.request_payment(
                application_id, kind="part", amount=Decimal(1), costs_incurred=Decimal(1),
                account_number=ACCOUNT, report="x", person_id=business.person_id,
            )
    t = await new_tilsegn()
    other = await new_business("Annan AS")
    async with tenant_tx(other.scope):
        with pytest.raises(NotATilsegn):
            await grants.request_payment(
                t.application_id, kind="part", amount=Decimal(1), costs_incurred=Decimal(1),
                account_number=ACCOUNT, report="x", person_id=other.person_id,
            )


async def test_a_viewer_of_the_municipality_may_not_decide_a_payment():
    t = await new_tilsegn()
    payment_id = await request(t, 10_000)
    viewer = await new_person("viewer", municipality_id=t.fund.tenant_id)
    async with tenant_tx(Scope(tenant_id=t.fund.tenant_id, person_id=viewer)):
        with pytest.raises(NotAllowed):
            await grants.decide_payment(payment_id, outcome="approved", actor_person_id=viewer)


# --- at the same moment ---------------------------------------------------------------------------


async def _insert_line(t, amount: int, started: asyncio.Event, go: asyncio.Event) -> None:
    """A raw insert as the app role, past the service's own check: only the database judges."""
    async with tenant_tx(t.business.scope) as tx:
        db = tx.connection
        report_id = await db.fetchval(
            "insert into grant_report (tenant_id, application_id, organisation_id, kind, text,"
            " submitted_by) values ($1, $2, $3, 'status', 'x', $4) returning id",
            t.fund.tenant_id, t.application_id, t.business.organisation_id, t.business.person_id,
        )
        started.set()
        await db.execute(
            "insert into grant_payment_request (tenant_id, application_id, organisation_id, kind,"
            " amount, costs_incurred, account_number, report_id, state, requested_by)"
            " values ($1, $2, $3, 'part', $4, 0, $5, $6, 'submitted', $7)",
            t.fund.tenant_id, t.application_id, t.business.organisation_id, Decimal(amount),
            ACCOUNT, report_id, t.business.person_id,
        )
        await go.wait()  # hold the transaction open while the other one tries


async def test_two_concurrent_requests_cannot_together_exceed_the_tilsegn_in_the_database():
    t = await new_tilsegn(asked=100_000)
    first_in, second_in, release = asyncio.Event(), asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(_insert_line(t, 60_000, first_in, release))
    await first_in.wait()
    await asyncio.sleep(0.2)  # the first has inserted its line and holds the tilsegn's lock
    second = asyncio.create_task(_insert_line(t, 60_000, second_in, release))
    await second_in.wait()
    await asyncio.sleep(0.3)  # the second now waits on the lock
    assert not second.done()
    release.set()
    await first
    with pytest.raises(asyncpg.PostgresError) as refused:
        await second
    assert refused.value.sqlstate == "GR021"
    async with tenant_tx(t.fund.scope):
        seen = await grants.tilsegn(t.application_id, as_applicant=False)
    assert seen.standing == Decimal(60_000)


async def test_two_concurrent_requests_through_the_use_case_one_is_refused():
    t = await new_tilsegn(asked=100_000)
    results = await asyncio.gather(
        request(t, 60_000), request(t, 60_000), return_exceptions=True
    )
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], Conflict), results
    async with tenant_tx(t.fund.scope):
        assert (await grants.tilsegn(t.application_id, as_applicant=False)).standing == 60_000


# --- state aid ----------------------------------------------------------------------------------


async def test_de_minimis_is_summed_across_municipalities_and_a_grant_past_it_is_refused():
    business = await new_business("Storstøtte AS")
    big = await new_fund(max_amount=10_000_000, decision_limit=10_000_000)
    await new_tilsegn(big, asked=3_400_000, business=business)
    other = await new_fund(max_amount=10_000_000, decision_limit=10_000_000)
    _, application_id = await draft(other, business, **plans(200_000))
    async with tenant_tx(business.scope):
        await grants.submit_application(application_id, person_id=business.person_id)
    async with tenant_tx(other.scope):
        await grants.assess_application(application_id, comment="Ok", actor_person_id=other.officer)
        seen = await grants.state_aid_of(application_id, Decimal(200_000))
        assert (seen.earlier_nok, seen.this_nok) == (Decimal(3_400_000), Decimal(200_000))
        assert seen.passes_ceiling and seen.room_nok == Decimal(125_000)  # at 11.75 NOK/EUR
        with pytest.raises(CeilingPassed) as refused:
            await grants.decide_application(
                application_id, outcome="granted", actor_person_id=other.officer
            )
    assert "125\u00a0000" in str(refused.value)
    # The database refuses it too, whatever path sets the state.
    with pytest.raises(asyncpg.PostgresError) as refused_by_database:
        async with tenant_tx(other.scope) as tx:
            await tx.connection.execute(
                "update grant_application set state = 'granted', granted_amount = 200000,"
                " decided_at = now() where id = $1",
                application_id,
            )
    assert refused_by_database.value.sqlstate == "GR030"


async def test_the_state_aid_sum_is_a_sum_only_and_not_for_strangers():
    t = await new_tilsegn(asked=100_000)
    stranger = await new_business("Nyfiken AS")
    async with tenant_tx(stranger.scope) as tx:
        seen = await tx.connection.fetchval(
            "select grant_state_aid_nok($1, now() - interval '3 years')", t.business.organisation_id
        )
    assert seen == 0
    async with tenant_tx(t.business.scope) as tx:
        own = await tx.connection.fetchval(
            "select grant_state_aid_nok($1, now() - interval '3 years')", t.business.organisation_id
        )
    assert own == Decimal(100_000)


async def test_only_the_operator_sets_the_exchange_rate_and_it_is_kept_with_who_and_when():
    officer = await new_person("admin", municipality_id=(await new_fund()).tenant_id)
    async with tenant_tx(Scope(person_id=officer)):
        with pytest.raises(NotAllowed):
            await grants.set_exchange_rate(Decimal("11.5"), actor_person_id=officer)
    operator = await new_person("admin", municipality_id=(await new_fund()).tenant_id)
    async with tenant_tx(Scope(operator=True, person_id=operator)):
        with pytest.raises(InvalidInput):
            await grants.set_exchange_rate(Decimal("0.5"), actor_person_id=operator)
        await grants.set_exchange_rate(Decimal("11.6123"), actor_person_id=operator)
        rate = await grants.exchange_rate()
    assert rate.nok_per_unit == Decimal("11.6123") and rate.set_by_name == "Test Person"
    async with tenant_tx(Scope(operator=True, person_id=operator)):
        await grants.set_exchange_rate(Decimal("11.75"), actor_person_id=operator)


# --- reports and their effects --------------------------------------------------------------------


async def test_the_reports_effects_move_the_programmes_kpi_actuals_once_each():
    fund = await new_fund(max_amount=10_000_000, decision_limit=10_000_000)
    programme_id = await with_programme(fund)
    t = await new_tilsegn(fund, asked=100_000)
    async with tenant_tx(t.business.scope):
        status = await grants.send_report(
            t.application_id, text="Halvvegs.", kpi_effects={"new_jobs": Decimal(1)},
            person_id=t.business.person_id,
        )
    async with tenant_tx(fund.scope):
        await grants.approve_report(status, actor_person_id=fund.officer)  # counts it
        assert await grants.count_report_effects(status) == 0  # counted once, never again
    assert await kpi_actuals(fund, programme_id) == {"new_jobs": Decimal(1)}
    final = await request(
        t, 100_000, "final", kpi_effects={"new_jobs": Decimal(3), "new_businesses": Decimal(1)}
    )
    async with tenant_tx(fund.scope):
        report_id = (await grants.tilsegn(t.application_id, as_applicant=False)).payments[0].report_id
        assert final and await grants.approve_report(report_id, actor_person_id=fund.officer)
    # The final report says three in all: it replaces the status report's one, never adds to it.
    assert await kpi_actuals(fund, programme_id) == {
        "new_jobs": Decimal(3), "new_businesses": Decimal(1)
    }


async def test_a_report_is_locked_once_sent():
    t = await new_tilsegn()
    async with tenant_tx(t.business.scope):
        report_id = await grants.send_report(
            t.application_id, text="Status.", person_id=t.business.person_id
        )
    with pytest.raises(asyncpg.PostgresError) as refused:
        async with tenant_tx(t.fund.scope) as tx:
            await tx.connection.execute(
                "update grant_report set text = 'Endra' where id = $1", report_id
            )
    assert refused.value.sqlstate == "GR024"
    with pytest.raises(PaymentLocked):
        from services.grants.service.payments import money_refusals

        with money_refusals():
            raise refused.value


# --- statistics and figures -----------------------------------------------------------------------


async def test_the_statistics_list_each_grant_with_its_recipient_per_municipality_and_region():
    from tests.services.projects.plp_helpers import new_region

    t = await new_tilsegn(asked=150_000)
    payment_id = await request(t, 50_000)
    await decide(t, payment_id, "approved")
    await decide(t, payment_id, "paid")
    async with tenant_tx(t.fund.scope):
        year = (await grants.statistics_years())[0]
        rows = await grants.municipality_statistics(year)
    assert [(r.granted_amount, r.paid_amount, r.purpose_nb) for r in rows] == [
        (Decimal(150_000), Decimal(50_000), "Næringsfond")
    ]
    assert len(rows[0].organisasjonsnummer) == 9
    region_id = await new_region(t.fund.tenant_id)
    async with tenant_tx(Scope(region_id=region_id)):
        assert [r.application_id for r in await grants.region_statistics(year)] == [
            t.application_id
        ]
    async with tenant_tx(Scope(region_id=await new_region())):
        assert await grants.region_statistics(year) == []


async def test_the_grant_figures_hold_applied_granted_and_paid_per_area_and_year():
    from services.dashboards import service as dashboards

    t = await new_tilsegn(asked=150_000)
    payment_id = await request(t, 50_000)
    await decide(t, payment_id, "approved")
    await decide(t, payment_id, "paid")
    async with tenant_tx(t.fund.tenant_id):
        figures = await dashboards.recompute_here(["grants"])
    values = {(f.metric, f.subject): f.value for f in figures}
    assert values[("grants_applied", "")] == 150_000
    assert values[("grants_granted", "")] == 150_000
    assert values[("grants_paid", "")] == 50_000
    assert values[("grants_granted_count", "")] == 1


async def test_the_database_allows_exactly_the_steps_the_rules_allow():
    """Every pair of distinct states, tried as the app role straight in SQL: the guard refuses
    (GR025) exactly the steps payments.may_move refuses."""
    from services.grants.payments import PaymentState

    t = await new_tilsegn(asked=1_000_000)
    reach = {"submitted": [], "approved": ["approved"], "paid": ["approved", "paid"]}
    reach["rejected"] = ["rejected"]
    for start, path in reach.items():
        for wanted in PaymentState:
            if wanted == start:
                continue
            payment_id = await request(t, 1_000)
            for step in path:
                await decide(t, payment_id, step, "Grunn.")
            try:
                async with tenant_tx(t.fund.scope) as tx:
                    await tx.connection.execute(
                        "update grant_payment_request set state = $2,"
                        " reason = coalesce(reason, 'Grunn.'),"
                        " paid_at = case when $2 = 'paid' then now() end where id = $1",
                        payment_id,
                        wanted.value,
                    )
                allowed = True
            except asyncpg.PostgresError as refused:
                assert refused.sqlstate == "GR025", (start, wanted, refused)
                allowed = False
            assert allowed == payment_rules.may_move(start, wanted), (start, wanted)
