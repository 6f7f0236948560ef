"""A fund without a programme (a municipality's næringsfond) gets a board of its own, named from
the municipality's people, as the app role: its cases above the officials' limit go to that
board's meeting, where habilitet keeps a conflicted member from voting, just as on a
programme's board; a programme's fund keeps the programme's board."""

from __future__ import annotations

from datetime import date

import asyncpg
import pytest

from services.errors import Conflict, NotAllowed, NotFound
from services.grants import service as grants
from services.grants.service.fund_boards import FundHasProgrammeBoard
from tenants.context import Scope, tenant_tx
from tests.services.grants.grant_helpers import Fund, draft, new_board_fund, new_fund, today
from tests.services.tendering.tendering_helpers import new_person

pytestmark = pytest.mark.usefixtures("database")
DEADLINE = date(2099, 6, 30)


async def _fund_with_board() -> tuple[Fund, list[int]]:
    fund = await new_fund(decision_limit=100_000)
    people = [await new_person("board_member", municipality_id=fund.tenant_id) for _ in range(3)]
    day = await today()
    async with tenant_tx(fund.scope):
        members = [
            await grants.add_fund_board_member(
                fund.fund_id, person_id=p, seat=seat, term_start=day, actor_person_id=fund.officer
            )
            for p, seat in zip(people, ("politician", "business", "business"), strict=True)
        ]
    return fund, members


async def _recommended(fund: Fund) -> int:
    business, application_id = await draft(fund)
    async with tenant_tx(business.scope):
        await grants.submit_application(application_id, person_id=business.person_id)
    async with tenant_tx(fund.scope):
        await grants.assess_application(application_id, comment="Godt.", actor_person_id=fund.officer)
        await grants.recommend_application(
            application_id, recommendation="granted", reason="Tilrår.",
            actor_person_id=fund.officer,
        )
    return application_id


async def _meeting(fund: Fund, present: list[int]) -> int:
    """A meeting of the fund's own board, and who attended."""
    async with tenant_tx(fund.scope):
        meeting_id = await grants.create_meeting(
            None, fund_id=fund.fund_id, held_on=date(2026, 12, 1), place="Rådhuset",
            actor_person_id=fund.officer,
        )
        await grants.record_attendance(meeting_id, member_ids=present, actor_person_id=fund.officer)
    return meeting_id


async def test_the_funds_own_board_decides_above_the_limit_without_its_conflicted_member():
    fund, (first, second, third) = await _fund_with_board()
    application_id = await _recommended(fund)
    meeting_id = await _meeting(fund, [first, second, third])
    async with tenant_tx(fund.scope):
        for member, conflicted in ((first, False), (second, False), (third, True)):
            await grants.declare_member(
                application_id, board_member_id=member, conflicted=conflicted,
                actor_person_id=fund.officer,
            )
        called = await grants.meeting(meeting_id)
        assert called.programme_name == "Næringsfond" and called.fund_id == fund.fund_id
        assert [i.application_id for i in called.agenda] == [application_id]
    async with tenant_tx(fund.scope):
        with pytest.raises(Conflict) as refused:
            await grants.decide_in_meeting(
                meeting_id, application_id,
                votes={first: "granted", second: "granted", third: "granted"},
                reporting_deadline=DEADLINE, actor_person_id=fund.officer,
            )
        assert refused.value.code == "grant_member_conflicted"
    async with tenant_tx(fund.scope):
        outcome = await grants.decide_in_meeting(
            meeting_id, application_id, votes={first: "granted", second: "granted"},
            reporting_deadline=DEADLINE, actor_person_id=fund.officer,
        )
        minutes = await grants.meeting(meeting_id)
        [listed] = await grants.list_meetings()
    assert outcome == "granted"
    [item] = minutes.agenda
    assert item.outcome == "granted" and len(item.conflicted) == 1
    assert listed.programme_name == "Næringsfond"


async def test_the_database_refuses_the_conflicted_fund_board_members_vote_as_the_app_role():
    fund, (first, second, third) = await _fund_with_board()
    application_id = await _recommended(fund)
    meeting_id = await _meeting(fund, [third])
    async with tenant_tx(fund.scope):
        await grants.declare_member(
            application_id, board_member_id=third, conflicted=True, actor_person_id=fund.officer
        )
    with pytest.raises(asyncpg.PostgresError) as refused:
        async with tenant_tx(fund.scope) as tx:
            await tx.connection.execute(
                "insert into grant_vote (tenant_id, meeting_id, application_id, board_member_id,"
                " vote) values (app_tenant_id(), $1, $2, $3, 'granted')",
                meeting_id, application_id, third,
            )
    assert refused.value.sqlstate == "GR010"


async def test_only_the_municipalitys_people_are_named_and_only_by_its_managers():
    fund = await new_fund()
    day = await today()
    other = await new_fund()
    stranger = await new_person("case_officer", municipality_id=other.tenant_id)
    viewer = await new_person("viewer", municipality_id=fund.tenant_id)
    async with tenant_tx(fund.scope):
        with pytest.raises(NotFound) as refused:
            await grants.add_fund_board_member(
                fund.fund_id, person_id=stranger, seat="business", term_start=day,
                actor_person_id=fund.officer,
            )
        assert refused.value.field == "person_id"
    async with tenant_tx(Scope(tenant_id=fund.tenant_id, person_id=viewer)):
        with pytest.raises(NotAllowed):
            await grants.add_fund_board_member(
                fund.fund_id, person_id=viewer, seat="business", term_start=day,
                actor_person_id=viewer,
            )
    async with tenant_tx(fund.scope):
        with pytest.raises(NotFound):  # no board yet: no meeting either
            await grants.create_meeting(
                None, fund_id=fund.fund_id, held_on=day, place="Rådhuset",
                actor_person_id=fund.officer,
            )


async def test_a_programmes_fund_keeps_the_programmes_board():
    board = await new_board_fund()
    person = await new_person("board_member", municipality_id=board.fund.tenant_id)
    day = await today()
    async with tenant_tx(board.fund.scope):
        with pytest.raises(FundHasProgrammeBoard):
            await grants.add_fund_board_member(
                board.fund.fund_id, person_id=person, seat="business", term_start=day,
                actor_person_id=board.fund.officer,
            )
    with pytest.raises(asyncpg.PostgresError) as refused:  # past the service, as the app role
        async with tenant_tx(board.fund.scope) as tx:
            await tx.connection.execute(
                "insert into board_member (tenant_id, fund_id, name, seat, term_start)"
                " values (app_tenant_id(), $1, 'X', 'business', current_date)",
                board.fund.fund_id,
            )
    assert refused.value.sqlstate == "GR040"
