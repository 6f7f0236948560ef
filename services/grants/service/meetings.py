"""The programme board's meetings on grants: an agenda of the cases above the officials' limit
and the appeals, who attended, each member's vote (never a conflicted member's), the board's
decision by majority; minutes.py reads it all back as the minutes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from infra.columns import database_now
from services.audit.service import record_change
from services.errors import N_, Conflict, InvalidInput, NotFound, required_text
from services.grants.roles import ASSESSORS
from services.grants.rules import BEFORE_THE_BOARD, OUTCOMES, ApplicationState, board_outcome
from services.grants.schemas import Choice
from services.grants.service._common import database_refusals, require_municipal_role
from services.grants.service.cases import Terms, _locked_state, case, record_outcome, record_step
from services.grants.service.habilitet import member_declarations
from services.grants.service.letters import send_decision_letter
from services.grants.service.minutes import _meeting_row, board_of
from services.grants.tables import (
    GrantAgendaItem,
    GrantAppeal,
    GrantAttendance,
    GrantMeeting,
    GrantVote,
)
from services.outbox.service import emit
from tenants.context import connection, fetch_structs
from tenants.rows import insert_row, tenant

S = ApplicationState


async def programme_choices() -> list[Choice]:
    """The municipality's programmes with a board, whose funds' cases a board meeting takes."""
    return await fetch_structs(
        Choice,
        "select p.id, p.name from programme p where p.tenant_id = app_tenant_id()"
        " and exists (select 1 from board_member b where b.tenant_id = p.tenant_id"
        " and b.programme_id = p.id) order by p.name",
    )


_WAITING = (
    "select a.id, a.state from grant_application a"
    " join grant_call c on c.tenant_id = a.tenant_id and c.id = a.call_id"
    " join grant_fund f on f.tenant_id = c.tenant_id and f.id = c.fund_id"
    " where a.tenant_id = app_tenant_id()"
    " and (f.programme_id = $1 or (f.programme_id is null and f.id = $2))"
    " and a.state in ('recommended', 'appealed')"
    " and not exists (select 1 from grant_agenda_item i where i.tenant_id = a.tenant_id"
    " and i.application_id = a.id and i.outcome is null)"
    " order by a.recommended_at nulls last, a.id"
)


async def create_meeting(
    programme_id: int | None,
    *,
    fund_id: int | None = None,
    held_on: date,
    place: str,
    actor_person_id: int | None,
) -> int:
    """A board meeting whose agenda is every case waiting for the board: a programme's, or
    (with `fund_id` and no programme) the own board of a fund without a programme."""
    await require_municipal_role(actor_person_id, ASSESSORS)
    if programme_id is not None:
        if programme_id not in {p.id for p in await programme_choices()}:
            raise NotFound(
                "grant_programme_not_found",
                N_("Choose a programme with a board."),
                field="programme_id",
            )
        fund_id = None
    elif fund_id is None or not await board_of(None, fund_id):
        raise NotFound(
            "grant_fund_board_not_found", N_("Choose a fund with a board."), field="fund_id"
        )
    place = required_text(place, "place", 300)
    meeting_id = await insert_row(
        GrantMeeting(
            tenant_id=tenant(),
            programme_id=programme_id,
            fund_id=fund_id,
            held_on=held_on,
            place=place,
            created_by=actor_person_id,
        )
    )
    await add_waiting_cases(meeting_id, programme_id, fund_id)
    await record_change(
        actor_person_id=actor_person_id,
        action="create",
        entity="grant_meeting",
        entity_id=meeting_id,
        new_values={
            "programme_id": programme_id,
            "fund_id": fund_id,
            "held_on": held_on,
            "place": place,
        },
    )
    await emit("grants.meeting_created", {"meeting_id": meeting_id})
    return meeting_id


async def add_waiting_cases(
    meeting_id: int, programme_id: int | None, fund_id: int | None = None
) -> int:
    db = connection()
    waiting = await db.fetch(_WAITING, programme_id, fund_id)
    start = await db.fetchval(
        "select coalesce(max(position), 0) from grant_agenda_item"
        " where tenant_id = app_tenant_id() and meeting_id = $1",
        meeting_id,
    )
    if waiting:
        await GrantAgendaItem.insert(
            *(
                GrantAgendaItem(
                    tenant_id=tenant(),
                    meeting_id=meeting_id,
                    application_id=row["id"],
                    position=n,
                    kind="appeal" if row["state"] == S.APPEALED else "recommendation",
                )
                for n, row in enumerate(waiting, start=start + 1)
            )
        )
    return len(waiting)


async def gather_agenda(meeting_id: int, *, actor_person_id: int | None) -> int:
    """Add the cases that have come to the board since the meeting was called."""
    await require_municipal_role(actor_person_id, ASSESSORS)
    row = await _meeting_row(meeting_id, lock=True)
    return await add_waiting_cases(meeting_id, row["programme_id"], row["fund_id"])


async def record_attendance(
    meeting_id: int, *, member_ids: list[int], actor_person_id: int | None
) -> None:
    """Who attended; fixed once the meeting has decided its first case."""
    await require_municipal_role(actor_person_id, ASSESSORS)
    row = await _meeting_row(meeting_id, lock=True)
    if await GrantVote.exists().where(
        (GrantVote.tenant_id == tenant()) & (GrantVote.meeting_id == meeting_id)
    ):
        raise Conflict(
            "grant_attendance_fixed",
            N_("The meeting has voted: who attended can no longer change."),
        )
    members = {m.id for m in await board_of(row["programme_id"], row["fund_id"])}
    if not set(member_ids) <= members:
        raise InvalidInput(
            "grant_attendance_unknown", N_("Choose members of the board."), field="present"
        )
    await GrantAttendance.delete().where(
        (GrantAttendance.tenant_id == tenant()) & (GrantAttendance.meeting_id == meeting_id)
    )
    if member_ids:
        await GrantAttendance.insert(
            *(
                GrantAttendance(tenant_id=tenant(), meeting_id=meeting_id, board_member_id=m)
                for m in sorted(set(member_ids))
            )
        )
    await record_change(
        actor_person_id=actor_person_id,
        action="attendance",
        entity="grant_meeting",
        entity_id=meeting_id,
        new_values={"present": sorted(set(member_ids))},
    )


async def decide_in_meeting(
    meeting_id: int,
    application_id: int,
    *,
    votes: Mapping[int, str],
    reason: str = "",
    conditions: str = "",
    reporting_deadline: date | None = None,
    actor_person_id: int | None,
) -> str:
    """The board's decision on one case of the agenda, by the majority of the votes of the
    members present who declared no conflict; the letter goes to the applicant."""
    await require_municipal_role(actor_person_id, ASSESSORS)
    await _meeting_row(meeting_id, lock=True)
    on_agenda = (
        (GrantAgendaItem.tenant_id == tenant())
        & (GrantAgendaItem.meeting_id == meeting_id)
        & (GrantAgendaItem.application_id == application_id)
    )
    item = await (
        GrantAgendaItem.select(GrantAgendaItem.kind, GrantAgendaItem.outcome)
        .where(on_agenda)
        .lock_rows()
        .first()
    )
    if item is None:
        raise NotFound("grant_agenda_item_not_found", N_("The case is not on this agenda."))
    state = await _locked_state(application_id)
    if item["outcome"] is not None or state not in BEFORE_THE_BOARD:
        raise Conflict("grant_case_decided", N_("The board has decided this case already."))
    # Observers attend and speak but hold no vote (the programme board's own rule).
    seats = {
        r["board_member_id"]: r["seat"]
        for r in await connection().fetch(
            "select a.board_member_id, b.seat from grant_attendance a join board_member b"
            " on b.tenant_id = a.tenant_id and b.id = a.board_member_id"
            " where a.tenant_id = app_tenant_id() and a.meeting_id = $1",
            meeting_id,
        )
    }
    present = {m for m, seat in seats.items() if seat != "observer"}
    if not present:
        raise Conflict("grant_no_attendance", N_("Record who attended before the board votes."))
    declared = await member_declarations(application_id)
    if not present <= set(declared):
        raise Conflict(
            "grant_habilitet_missing",
            N_("Record every present member's habilitet in the case before the board votes."),
        )
    voters = {m for m in present if not declared[m]}
    cast = {m: v for m, v in votes.items() if v}
    if any(v not in OUTCOMES for v in cast.values()):
        raise InvalidInput("grant_vote_invalid", N_("Vote to grant or to reject."), field="votes")
    if set(cast) - present:
        raise InvalidInput(
            "grant_vote_absent",
            N_("Only the members present vote; observers do not."),
            field="votes",
        )
    if voters - set(cast):
        raise InvalidInput(
            "grant_vote_missing", N_("Record the vote of every member present."), field="votes"
        )
    outcome = board_outcome(list(cast.values()))
    if outcome is None:
        raise InvalidInput(
            "grant_vote_tied", N_("The votes are tied: the board has not decided."), field="votes"
        )
    with database_refusals():
        # A conflicted member's vote is refused here by the database (grant_vote_habilitet_guard).
        await GrantVote.insert(
            *(
                GrantVote(
                    tenant_id=tenant(),
                    meeting_id=meeting_id,
                    application_id=application_id,
                    board_member_id=m,
                    vote=v,
                )
                for m, v in sorted(cast.items())
            )
        )
    found = await case(application_id)
    terms = Terms(reason, conditions, reporting_deadline)
    values = await record_outcome(
        found, outcome, terms, decided_by=actor_person_id, meeting_id=meeting_id
    )
    await GrantAgendaItem.update(
        {GrantAgendaItem.outcome: outcome, GrantAgendaItem.decided_at: database_now()}
    ).where(on_agenda)
    on_appeal = item["kind"] == "appeal"
    if on_appeal:
        await GrantAppeal.update(
            {
                GrantAppeal.outcome: "reversed" if outcome == S.GRANTED else "upheld",
                GrantAppeal.decided_at: database_now(),
                GrantAppeal.meeting_id: meeting_id,
            }
        ).where(
            (GrantAppeal.tenant_id == tenant()) & (GrantAppeal.application_id == application_id)
        )
    votes_cast = {str(k): v for k, v in cast.items()}
    await record_step(
        application_id, "board_decide", state, {**values, "votes": votes_cast}, actor_person_id
    )
    await emit(f"grants.application_{outcome}", {"application_id": application_id})
    await send_decision_letter(application_id, by_board=True, on_appeal=on_appeal)
    return outcome
