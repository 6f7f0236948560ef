"""Grants as their people use them, as the app role: a business applies under an open call, the
submitted application is locked (by the database too), the official assesses it with figures
computed from the plans and decides it up to the limit; nobody sees another's."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import asyncpg
import pytest

from services.errors import Conflict, InvalidInput, NotAllowed
from services.grants import service as grants
from services.grants.schemas import PlanLine
from tenants.context import Scope, connection, tenant_tx
from tests.services.grants.grant_helpers import COSTS, FINANCING, draft, new_fund, submitted
from tests.services.tendering.tendering_helpers import new_business, new_person

pytestmark = pytest.mark.usefixtures("database")


async def test_the_municipality_sees_no_draft_until_it_is_submitted():
    fund = await new_fund()
    business, application_id = await draft(fund)
    async with tenant_tx(fund.scope):
        assert await grants.case_queue() == []
        with pytest.raises(grants.ApplicationNotFound):
            await grants.case(application_id)
    async with tenant_tx(business.scope):
        sent = await grants.submit_application(application_id, person_id=business.person_id)
    assert sent.state == "submitted" and len(sent.receipt) == 64
    async with tenant_tx(fund.scope):
        assert [a.id for a in await grants.case_queue("submitted")] == [application_id]


async def test_a_submitted_application_is_locked_even_against_sql_of_its_own():
    fund = await new_fund()
    business, application_id = await submitted(fund)
    async with tenant_tx(business.scope):
        with pytest.raises(grants.ApplicationLocked):
            await grants.save_application(
                application_id,
                title="Endra",
                summary="",
                project="",
                effects="",
                costs=COSTS,
                financing=FINANCING,
                person_id=business.person_id,
            )
    async with tenant_tx(business.scope):
        # The applicant's own policy lets it update drafts only: the row is not there to change.
        changed = await connection().execute(
            "update grant_application set summary = 'endra' where id = $1", application_id
        )
        assert changed == "UPDATE 0"
        with pytest.raises(asyncpg.PostgresError) as refused:
            await connection().execute(
                "delete from grant_cost_line where application_id = $1", application_id
            )
        assert refused.value.sqlstate == "GR001"
    async with tenant_tx(fund.scope):
        with pytest.raises(asyncpg.PostgresError) as refused:
            await connection().execute(
                "update grant_application set summary = 'endra' where id = $1", application_id
            )
        assert refused.value.sqlstate == "GR001"


async def test_plans_that_do_not_balance_cannot_be_submitted():
    fund = await new_fund()
    short = [PlanLine("", Decimal(200_000), source="this_fund")]
    business, application_id = await draft(fund, financing=short)
    async with tenant_tx(business.scope):
        with pytest.raises(InvalidInput) as refused:
            await grants.submit_application(application_id, person_id=business.person_id)
    assert refused.value.code == "grant_plans_unbalanced"
    async with tenant_tx(business.scope):
        assert (await grants.own_application(application_id)).state == "draft"


async def test_a_summary_past_500_characters_is_refused():
    fund = await new_fund()
    business, application_id = await draft(fund)
    async with tenant_tx(business.scope):
        with pytest.raises(InvalidInput) as refused:
            await grants.save_application(
                application_id,
                title="Kanoturar",
                summary="x" * 501,
                project="",
                effects="",
                costs=COSTS,
                financing=FINANCING,
                person_id=business.person_id,
            )
    assert refused.value.field == "summary"


async def test_a_call_that_has_closed_takes_no_application():
    fund = await new_fund(opens_in=-10, closes_in=-1)
    business = await new_business()
    async with tenant_tx(business.scope):
        with pytest.raises(grants.CallClosed):
            await grants.start_application(
                fund.call_id, title="For seint", person_id=business.person_id
            )
    # The database keeps the dates too: an insert past the closing is refused there.
    async with tenant_tx(business.scope):
        with pytest.raises(asyncpg.PostgresError) as refused:
            await connection().execute(
                "insert into grant_application (tenant_id, call_id, organisation_id, created_by,"
                " title) values ($1, $2, $3, $4, 'x')",
                fund.tenant_id,
                fund.call_id,
                business.organisation_id,
                business.person_id,
            )
        assert refused.value.sqlstate == "GR002"


async def test_the_official_assesses_with_figures_from_the_plans_and_grants_what_the_rules_allow():
    fund = await new_fund()
    costs = [PlanLine("Utstyr", Decimal(300_000))]
    asks_too_much = [
        PlanLine("", Decimal(200_000), source="this_fund"),
        PlanLine("", Decimal(100_000), source="own"),
    ]
    business, application_id = await submitted(fund, costs=costs, financing=asks_too_much)
    async with tenant_tx(fund.scope):
        found = await grants.assess_application(
            application_id, comment="Godt prosjekt.", actor_person_id=fund.officer
        )
        assert found.assessment.share == Decimal("66.67") and found.assessment.share_too_high
        assert found.assessment.grantable == 150_000
        await grants.decide_application(
            application_id,
            outcome="granted",
            conditions="Prosjektet startar innan 1. mars.",
            reporting_deadline=date(2099, 12, 31),
            actor_person_id=fund.officer,
        )
    async with tenant_tx(business.scope):
        seen = await grants.own_application(application_id)
    assert seen.state == "granted"
    assert seen.granted_amount == 150_000
    assert (seen.conditions, seen.reporting_deadline) == (
        "Prosjektet startar innan 1. mars.",
        date(2099, 12, 31),
    )
    assert seen.share == Decimal("66.67") and seen.assessment_comment == "Godt prosjekt."


async def test_a_decision_enters_the_audit_chain_with_what_it_decided():
    fund = await new_fund()
    _, granted = await submitted(fund)
    _, rejected = await submitted(fund)
    async with tenant_tx(fund.scope):
        for application_id in (granted, rejected):
            await grants.assess_application(
                application_id, comment="Vurdert.", actor_person_id=fund.officer
            )
        await grants.decide_application(
            granted,
            outcome="granted",
            conditions="Rapport kvart år.",
            reporting_deadline=date(2099, 12, 31),
            actor_person_id=fund.officer,
        )
        await grants.decide_application(
            rejected, outcome="rejected", reason="Utanfor formålet.", actor_person_id=fund.officer
        )
        audit = {
            int(r["entity_id"]): (json.loads(r["old_values"]), json.loads(r["new_values"]))
            for r in await connection().fetch(
                "select entity_id, old_values::text, new_values::text from audit_event"
                " where entity = 'grant_application' and action = 'decide'"
            )
        }
    assert audit == {
        granted: (
            {"state": "in_assessment"},
            {
                "state": "granted",
                "granted_amount": "200000.00",
                "conditions": "Rapport kvart år.",
                "reporting_deadline": "2099-12-31",
                "meeting_id": None,
            },
        ),
        rejected: (
            {"state": "in_assessment"},
            {"state": "rejected", "rejection_reason": "Utanfor formålet.", "meeting_id": None},
        ),
    }


async def test_above_the_officials_limit_the_board_decides_not_the_official():
    fund = await new_fund(decision_limit=100_000)
    _, application_id = await submitted(fund)
    async with tenant_tx(fund.scope):
        found = await grants.assess_application(
            application_id, comment="Over grensa.", actor_person_id=fund.officer
        )
        assert found.assessment.board_decides
    async with tenant_tx(fund.scope):
        with pytest.raises(grants.BoardDecides):
            await grants.decide_application(
                application_id, outcome="granted", actor_person_id=fund.officer
            )
    async with tenant_tx(fund.scope):
        assert (await grants.case(application_id)).application.state == "in_assessment"


async def test_a_rejection_carries_its_reason():
    fund = await new_fund()
    business, application_id = await submitted(fund)
    async with tenant_tx(fund.scope):
        await grants.assess_application(
            application_id, comment="Svakt.", actor_person_id=fund.officer
        )
        with pytest.raises(InvalidInput) as refused:
            await grants.decide_application(
                application_id, outcome="rejected", reason=" ", actor_person_id=fund.officer
            )
        assert refused.value.field == "reason"
    async with tenant_tx(fund.scope):
        await grants.decide_application(
            application_id,
            outcome="rejected",
            reason="Utanfor fondet sitt formål.",
            actor_person_id=fund.officer,
        )
    async with tenant_tx(business.scope):
        seen = await grants.own_application(application_id)
    assert (seen.state, seen.rejection_reason) == ("rejected", "Utanfor fondet sitt formål.")


async def test_a_decision_before_the_assessment_is_refused_by_the_service_and_the_database():
    fund = await new_fund()
    _, application_id = await submitted(fund)
    async with tenant_tx(fund.scope):
        with pytest.raises(Conflict):
            await grants.decide_application(
                application_id, outcome="granted", actor_person_id=fund.officer
            )
    async with tenant_tx(fund.scope):
        with pytest.raises(asyncpg.PostgresError) as refused:
            await connection().execute(
                "update grant_application set state = 'rejected', rejection_reason = 'x',"
                " decided_at = now() where id = $1",
                application_id,
            )
        assert refused.value.sqlstate == "GR003"


async def test_a_role_the_grants_do_not_name_may_not_assess_or_set_up_a_fund():
    fund = await new_fund()
    _, application_id = await submitted(fund)
    board_member = await new_person("board_member", municipality_id=fund.tenant_id)
    async with tenant_tx(Scope(tenant_id=fund.tenant_id, person_id=board_member)):
        with pytest.raises(NotAllowed):
            await grants.assess_application(
                application_id, comment="x", actor_person_id=board_member
            )
        with pytest.raises(NotAllowed):
            await grants.create_fund(
                name="Anna",
                max_share=Decimal(50),
                max_amount=Decimal(1),
                decision_limit=Decimal(0),
                actor_person_id=board_member,
            )


async def test_a_municipality_has_one_fund_of_a_name():
    fund = await new_fund()
    async with tenant_tx(fund.scope):
        with pytest.raises(Conflict) as refused:
            await grants.create_fund(
                name="Næringsfond",
                max_share=Decimal(50),
                max_amount=Decimal(1),
                decision_limit=Decimal(0),
                actor_person_id=fund.officer,
            )
        assert (refused.value.code, refused.value.field) == ("grant_fund_name_taken", "name")
        assert [f.name for f in await grants.list_funds()] == ["Næringsfond"]


async def test_no_one_sees_another_organisations_or_another_municipalitys_applications():
    fund, other_fund = await new_fund(), await new_fund()
    business, application_id = await submitted(fund)
    stranger = await new_business("Framand AS")
    async with tenant_tx(stranger.scope):
        assert await grants.own_applications() == []
        with pytest.raises(grants.ApplicationNotFound):
            await grants.own_application(application_id)
    async with tenant_tx(other_fund.scope):
        assert await grants.case_queue() == []
        with pytest.raises(grants.ApplicationNotFound):
            await grants.case(application_id)
        with pytest.raises(grants.FundNotFound):
            await grants.get_fund(fund.fund_id)
    async with tenant_tx(business.scope):
        assert [a.id for a in await grants.own_applications()] == [application_id]


async def test_anyone_reads_the_calls_of_every_municipality_and_which_are_open():
    open_fund, closed_fund = await new_fund(), await new_fund(opens_in=-10, closes_in=-1)
    async with tenant_tx(Scope()):
        listed = {c.id: c for c in await grants.public_calls()}
        only_open = {c.id for c in await grants.public_calls(open_only=True)}
    assert listed[open_fund.call_id].is_open and not listed[closed_fund.call_id].is_open
    assert open_fund.call_id in only_open and closed_fund.call_id not in only_open


async def test_a_plan_of_more_than_a_hundred_lines_is_refused():
    fund = await new_fund()
    business, application_id = await draft(fund)
    flood = [PlanLine("x", Decimal(1))] * 101
    async with tenant_tx(business.scope):
        with pytest.raises(InvalidInput) as refused:
            await grants.save_application(
                application_id,
                title="Kanoturar",
                summary="",
                project="",
                effects="",
                costs=flood,
                financing=FINANCING,
                person_id=business.person_id,
            )
    assert refused.value.field == "costs"
