"""The decision side of grants as the app role: the official recommends above the limit, the board
decides in a meeting by the votes of the members present who declared no conflict (the
database refuses a conflicted member's vote), the letter goes out as a PDF, and a rejection
may be appealed once within three weeks, to the board."""

from __future__ import annotations

import base64
import json
from datetime import date

import asyncpg
import pytest

from services.errors import Conflict, InvalidInput, NotAllowed
from services.files import FileInput
from services.grants import service as grants
from tenants.context import Scope, connection, tenant_tx
from tests.services.grants.grant_helpers import Board, draft, new_board_fund, new_fund, submitted
from tests.services.tendering.tendering_helpers import Business, new_business, new_person

pytestmark = pytest.mark.usefixtures("database")
DEADLINE = date(2099, 6, 30)


async def _recommended(
    board: Board, recommendation: str = "granted", business: Business | None = None
) -> tuple[Business, int]:
    business, application_id = await draft(board.fund, business)
    async with tenant_tx(business.scope):
        await grants.submit_application(application_id, person_id=business.person_id)
    async with tenant_tx(board.fund.scope):
        await grants.assess_application(
            application_id, comment="Eit godt prosjekt.", actor_person_id=board.fund.officer
        )
        await grants.recommend_application(
            application_id,
            recommendation=recommendation,
            reason="Tilrår.",
            actor_person_id=board.fund.officer,
        )
    return business, application_id


async def _meeting(board: Board, *, present: list[int] | None = None) -> int:
    async with tenant_tx(board.fund.scope):
        meeting_id = await grants.create_meeting(
            board.programme_id,
            held_on=date(2026, 12, 1),
            place="Rådhuset",
            actor_person_id=board.fund.officer,
        )
        await grants.record_attendance(
            meeting_id,
            member_ids=board.members if present is None else present,
            actor_person_id=board.fund.officer,
        )
    return meeting_id


async def _declare(board: Board, application_id: int, conflicted: dict[int, bool]) -> None:
    async with tenant_tx(board.fund.scope):
        for member, is_conflicted in conflicted.items():
            await grants.declare_member(
                application_id,
                board_member_id=member,
                conflicted=is_conflicted,
                note="Eig aksjar i søkjaren." if is_conflicted else "",
                actor_person_id=board.fund.officer,
            )


async def _requested_mails(tenant_id: int) -> list[dict]:
    async with tenant_tx(tenant_id):
        rows = await connection().fetch(
            "select payload from outbox_event where tenant_id = app_tenant_id()"
            " and kind = 'notifications.mail_requested' order by id"
        )
    return [json.loads(r["payload"]) for r in rows]


async def test_above_the_limit_the_official_recommends_and_below_it_decides_alone():
    board = await new_board_fund(decision_limit=100_000)
    _, application_id = await _recommended(board)
    async with tenant_tx(board.fund.scope):
        found = await grants.case(application_id)
    assert found.application.state == "recommended"
    assert found.application.recommendation == "granted"
    low = await new_board_fund(decision_limit=900_000)
    _, small = await submitted(low.fund)
    async with tenant_tx(low.fund.scope):
        await grants.assess_application(small, comment="Ok.", actor_person_id=low.fund.officer)
        with pytest.raises(Conflict) as refused:
            await grants.recommend_application(
                small, recommendation="granted", reason="x", actor_person_id=low.fund.officer
            )
    assert refused.value.code == "grant_official_decides"


async def test_an_official_who_declared_a_conflict_neither_decides_nor_recommends():
    fund = await new_fund()
    _, application_id = await submitted(fund)
    async with tenant_tx(fund.scope):
        await grants.assess_application(
            application_id, comment="Inhabil.", conflicted=True, actor_person_id=fund.officer
        )
    async with tenant_tx(fund.scope):
        assert (await grants.case(application_id)).application.state == "submitted"
        [declaration] = await grants.declarations(application_id)
        assert declaration.conflicted and declaration.person_id == fund.officer
        assert declaration.recorded_at is not None
    other = await new_person("case_officer", municipality_id=fund.tenant_id)
    async with tenant_tx(Scope(tenant_id=fund.tenant_id, person_id=other)):
        await grants.assess_application(application_id, comment="Ok.", actor_person_id=other)
    async with tenant_tx(fund.scope):
        with pytest.raises(Conflict) as refused:
            await grants.decide_application(
                application_id,
                outcome="rejected",
                reason="Nei.",
                actor_person_id=fund.officer,
            )
    assert refused.value.code == "grant_official_conflicted"


async def test_only_the_case_official_records_the_board_members_declarations():
    board = await new_board_fund()
    _, application_id = await _recommended(board)
    other = await new_person("case_officer", municipality_id=board.fund.tenant_id)
    async with tenant_tx(Scope(tenant_id=board.fund.tenant_id, person_id=other)):
        with pytest.raises(NotAllowed):
            await grants.declare_member(
                application_id,
                board_member_id=board.members[0],
                conflicted=False,
                actor_person_id=other,
            )


async def test_the_board_grants_in_a_meeting_without_the_conflicted_member_and_the_minutes_say_so():
    board = await new_board_fund()
    business, application_id = await _recommended(board)
    meeting_id = await _meeting(board)
    first, second, third = board.members
    await _declare(board, application_id, {first: False, second: False, third: True})
    async with tenant_tx(board.fund.scope):
        agenda = (await grants.meeting(meeting_id)).agenda
        assert [(i.application_id, i.kind) for i in agenda] == [(application_id, "recommendation")]
        with pytest.raises(Conflict) as conflicted:
            await grants.decide_in_meeting(
                meeting_id,
                application_id,
                votes={first: "granted", second: "granted", third: "granted"},
                reporting_deadline=DEADLINE,
                actor_person_id=board.fund.officer,
            )
        assert conflicted.value.code == "grant_member_conflicted"
    async with tenant_tx(board.fund.scope):
        with pytest.raises(InvalidInput) as tied:
            await grants.decide_in_meeting(
                meeting_id,
                application_id,
                votes={first: "granted", second: "rejected"},
                reporting_deadline=DEADLINE,
                actor_person_id=board.fund.officer,
            )
        assert tied.value.code == "grant_vote_tied"
    async with tenant_tx(board.fund.scope):
        outcome = await grants.decide_in_meeting(
            meeting_id,
            application_id,
            votes={first: "granted", second: "granted"},
            conditions="Rapport kvart halvår.\nOffentleg omtale nemner fondet.",
            reporting_deadline=DEADLINE,
            actor_person_id=board.fund.officer,
        )
        minutes = await grants.meeting(meeting_id)
    assert outcome == "granted"
    [item] = minutes.agenda
    assert item.outcome == "granted" and item.conflicted == ["Cecilie Kafé"]
    assert sorted(v.name for v in item.votes) == ["Astrid Leiar", "Bjørn Bonde"]
    async with tenant_tx(business.scope):
        seen = await grants.own_application(application_id)
        letters = await grants.letters_of(application_id)
    assert seen.state == "granted" and seen.decided_in_meeting == meeting_id
    assert seen.reporting_deadline == DEADLINE
    assert [(letter.kind, letter.language) for letter in letters] == [("tilsegn", "nb")]
    [mail] = await _requested_mails(board.fund.tenant_id)
    assert mail["template"] == "grant_decision_letter" and mail["to"] == "test@example.org"
    [attached] = mail["attachments"]
    assert attached["media_type"] == "application/pdf"
    assert base64.b64decode(attached["content_b64"]).startswith(b"%PDF-")


async def test_the_database_refuses_a_conflicted_members_vote_as_the_app_role():
    board = await new_board_fund()
    _, application_id = await _recommended(board)
    meeting_id = await _meeting(board)
    conflicted = board.members[2]
    await _declare(board, application_id, {conflicted: True})
    async with tenant_tx(board.fund.scope):
        assert await connection().fetchval("select current_user") == "samspel_app"
        with pytest.raises(asyncpg.PostgresError) as refused:
            await connection().execute(
                "insert into grant_vote (tenant_id, meeting_id, application_id, board_member_id,"
                " vote) values (app_tenant_id(), $1, $2, $3, 'granted')",
                meeting_id,
                application_id,
                conflicted,
            )
    assert refused.value.sqlstate == "GR010"
    # Nor may a member who has voted be declared conflicted afterwards.
    voter = board.members[0]
    await _declare(board, application_id, {voter: False})
    async with tenant_tx(board.fund.scope):
        await connection().execute(
            "insert into grant_vote (tenant_id, meeting_id, application_id, board_member_id,"
            " vote) values (app_tenant_id(), $1, $2, $3, 'granted')",
            meeting_id,
            application_id,
            voter,
        )
        with pytest.raises(asyncpg.PostgresError) as late:
            await connection().execute(
                "update grant_habilitet set conflicted = true where application_id = $1"
                " and board_member_id = $2",
                application_id,
                voter,
            )
    assert late.value.sqlstate == "GR010"


async def test_the_board_votes_only_when_every_present_member_has_declared_and_voted():
    board = await new_board_fund()
    _, application_id = await _recommended(board)
    meeting_id = await _meeting(board, present=board.members[:2])
    first, second, absent = board.members
    async with tenant_tx(board.fund.scope):
        with pytest.raises(Conflict) as undeclared:
            await grants.decide_in_meeting(
                meeting_id,
                application_id,
                votes={first: "granted", second: "granted"},
                reporting_deadline=DEADLINE,
                actor_person_id=board.fund.officer,
            )
    assert undeclared.value.code == "grant_habilitet_missing"
    await _declare(board, application_id, {first: False, second: False})
    async with tenant_tx(board.fund.scope):
        with pytest.raises(InvalidInput) as missing:
            await grants.decide_in_meeting(
                meeting_id,
                application_id,
                votes={first: "granted"},
                reporting_deadline=DEADLINE,
                actor_person_id=board.fund.officer,
            )
        assert missing.value.code == "grant_vote_missing"
        with pytest.raises(InvalidInput) as not_there:
            await grants.decide_in_meeting(
                meeting_id,
                application_id,
                votes={first: "granted", second: "granted", absent: "granted"},
                reporting_deadline=DEADLINE,
                actor_person_id=board.fund.officer,
            )
        assert not_there.value.code == "grant_vote_absent"
        with pytest.raises(InvalidInput) as no_deadline:
            await grants.decide_in_meeting(
                meeting_id,
                application_id,
                votes={first: "granted", second: "granted"},
                actor_person_id=board.fund.officer,
            )
        assert no_deadline.value.field == "reporting_deadline"


async def _rejected(board: Board) -> tuple[object, int, int]:
    business, application_id = await _recommended(board, "rejected")
    meeting_id = await _meeting(board)
    await _declare(board, application_id, dict.fromkeys(board.members, False))
    async with tenant_tx(board.fund.scope):
        await grants.decide_in_meeting(
            meeting_id,
            application_id,
            votes=dict.fromkeys(board.members, "rejected"),
            reason="Prosjektet ligg utanfor satsingsområdet.",
            actor_person_id=board.fund.officer,
        )
    return business, application_id, meeting_id


async def test_an_appeal_within_three_weeks_goes_to_the_board_which_may_reverse_it():
    board = await new_board_fund()
    business, application_id, _ = await _rejected(board)
    async with tenant_tx(business.scope):
        assert [x.kind for x in await grants.letters_of(application_id)] == ["avslag"]
        await grants.lodge_appeal(
            application_id, reason="Vi meiner prosjektet passar.", person_id=business.person_id
        )
    async with tenant_tx(business.scope):
        with pytest.raises(Conflict) as twice:
            await grants.lodge_appeal(application_id, reason="Igjen.", person_id=business.person_id)
    assert twice.value.code == "grant_appeal_refused"
    meeting_id = await _meeting(board)
    async with tenant_tx(board.fund.scope):
        [item] = (await grants.meeting(meeting_id)).agenda
        assert (item.kind, item.appeal_reason) == ("appeal", "Vi meiner prosjektet passar.")
        await grants.decide_in_meeting(
            meeting_id,
            application_id,
            votes=dict.fromkeys(board.members, "granted"),
            reporting_deadline=DEADLINE,
            actor_person_id=board.fund.officer,
        )
    async with tenant_tx(business.scope):
        seen = await grants.own_application(application_id)
        appeal = await grants.appeal_of(application_id)
    assert seen.state == "granted" and seen.rejection_reason is None
    assert appeal["outcome"] == "reversed"


async def test_an_appeal_after_three_weeks_is_refused_by_the_database_clock():
    board = await new_board_fund()
    business, application_id, _ = await _rejected(board)
    async with tenant_tx(board.fund.scope):
        await connection().execute(
            "update grant_application set decided_at = now() - interval '22 days' where id = $1",
            application_id,
        )
    async with tenant_tx(business.scope):
        with pytest.raises(Conflict) as late:
            await grants.lodge_appeal(application_id, reason="Sein.", person_id=business.person_id)
    assert late.value.code == "grant_appeal_refused"
    async with tenant_tx(business.scope):
        assert (await grants.own_application(application_id)).state == "rejected"


async def test_the_letter_is_in_the_applicants_nynorsk():
    board = await new_board_fund()
    business = await new_business("Nynorsk AS")
    async with tenant_tx(
        Scope(organisation_id=business.organisation_id, person_id=business.person_id)
    ):
        await connection().execute(
            "update person set language = 'nn' where id = $1", business.person_id
        )
    business, application_id = await _recommended(board, business=business)
    meeting_id = await _meeting(board)
    await _declare(board, application_id, dict.fromkeys(board.members, False))
    async with tenant_tx(board.fund.scope):
        await grants.decide_in_meeting(
            meeting_id,
            application_id,
            votes=dict.fromkeys(board.members, "granted"),
            reporting_deadline=DEADLINE,
            actor_person_id=board.fund.officer,
        )
    [mail] = await _requested_mails(board.fund.tenant_id)
    assert mail["language"] == "nn"
    async with tenant_tx(business.scope):
        [letter] = await grants.letters_of(application_id)
        name, pdf = await grants.letter(application_id, letter.id)
    assert letter.language == "nn" and pdf.startswith(b"%PDF-") and name.endswith(".pdf")


async def test_files_go_with_the_draft_and_the_database_keeps_them_once_submitted():
    fund = await new_fund()
    business, application_id = await draft(fund)
    pdf = FileInput("plan.pdf", "application/pdf", b"%PDF-1.4 plan")
    png = FileInput("kart.png", "image/png", b"\x89PNG\r\n\x1a\n....")
    async with tenant_tx(business.scope):
        await grants.add_attachments(application_id, [pdf, png], person_id=business.person_id)
        listed = await grants.attachments_of(application_id)
        await grants.submit_application(application_id, person_id=business.person_id)
    assert [(f.name, f.size) for f in listed] == [("plan.pdf", 13), ("kart.png", 12)]
    async with tenant_tx(business.scope):
        with pytest.raises(grants.ApplicationLocked):
            await grants.add_attachments(application_id, [pdf], person_id=business.person_id)
    async with tenant_tx(business.scope):
        with pytest.raises(asyncpg.PostgresError) as refused:
            await connection().execute(
                "delete from grant_attachment where application_id = $1", application_id
            )
    assert refused.value.sqlstate == "GR001"
    async with tenant_tx(fund.scope):
        found = await grants.attachment(application_id, listed[0].id, own=False)
    assert found.content == b"%PDF-1.4 plan"
