"""The board meeting as it stands: its members, who attended, the agenda with each case's votes
and the members who declared a conflict and left; as called, and as minutes once decided."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import msgspec

from services.errors import N_, NotFound
from services.grants.service.habilitet import member_declarations
from services.grants.tables import GrantAttendance, GrantVote
from services.programmes.schemas import BoardMemberView  # a fund's own board's members too
from tenants.context import connection, fetch_structs
from tenants.rows import tenant


class MeetingNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("grant_meeting_not_found", N_("No such board meeting."))


class Vote(msgspec.Struct, frozen=True):
    board_member_id: int
    name: str
    vote: str


class AgendaItem(msgspec.Struct, frozen=True):
    application_id: int
    position: int
    kind: str  # recommendation | appeal
    title: str
    organisation_name: str
    state: str
    grantable_amount: Decimal | None
    recommendation: str | None
    recommendation_reason: str
    appeal_reason: str | None
    outcome: str | None
    decided_at: datetime | None
    votes: list[Vote]
    conflicted: list[str]  # the names of members who declared a conflict and left
    declared: list[int]  # the members with a declaration on this case
    conflicted_ids: list[int]  # the members who declared a conflict in this case


class MeetingView(msgspec.Struct, frozen=True):
    id: int
    programme_id: int | None  # a programme's board, or
    fund_id: int | None  # a fund's own board (a fund without a programme)
    programme_name: str  # the board's name: its programme's, or its fund's
    held_on: date
    place: str
    members: list[BoardMemberView]
    present: list[int]
    agenda: list[AgendaItem]


class MeetingSummary(msgspec.Struct, frozen=True):
    id: int
    programme_name: str
    held_on: date
    place: str
    cases: int
    open_cases: int


# A meeting's board is its programme's, or its fund's own: named by either.
_BOARD_NAME = "coalesce(p.name, f.name) as programme_name"
_BOARD_JOIN = (
    "left join programme p on p.tenant_id = m.tenant_id and p.id = m.programme_id"
    " left join grant_fund f on f.tenant_id = m.tenant_id and f.id = m.fund_id"
)


async def _meeting_row(meeting_id: int, *, lock: bool = False):
    row = await connection().fetchrow(
        f"select m.id, m.programme_id, m.fund_id, {_BOARD_NAME}, m.held_on, m.place"
        f" from grant_meeting m {_BOARD_JOIN} where m.tenant_id = app_tenant_id() and m.id = $1"
        + (" for update of m" if lock else ""),
        meeting_id,
    )
    if row is None:
        raise MeetingNotFound()
    return row


async def board_of(programme_id: int | None, fund_id: int | None = None) -> list[BoardMemberView]:
    """The members of a programme's board, or of a fund's own board."""
    return await fetch_structs(
        BoardMemberView,
        "select id, name, seat, person_id, term_start, term_end from board_member"
        " where tenant_id = app_tenant_id()"
        " and (programme_id = $1 or fund_id = $2) order by seat desc, name, id",
        programme_id,
        fund_id,
    )


async def meeting(meeting_id: int) -> MeetingView:
    """The meeting whole: the agenda as called, and as minutes once its cases are decided."""
    row = await _meeting_row(meeting_id)
    members = await board_of(row["programme_id"], row["fund_id"])
    names = {m.id: m.name for m in members}
    present = await (
        GrantAttendance.select(GrantAttendance.board_member_id)
        .where((GrantAttendance.tenant_id == tenant()) & (GrantAttendance.meeting_id == meeting_id))
        .order_by(GrantAttendance.board_member_id)
        .output(as_list=True)
    )
    items = await connection().fetch(
        "select i.application_id, i.position, i.kind, i.outcome, i.decided_at, a.title,"
        " o.name as organisation_name, a.state, a.grantable_amount, a.recommendation,"
        " a.recommendation_reason, ap.reason as appeal_reason"
        " from grant_agenda_item i"
        " join grant_application a on a.tenant_id = i.tenant_id and a.id = i.application_id"
        " join organisation o on o.id = a.organisation_id"
        " left join grant_appeal ap on ap.tenant_id = a.tenant_id and ap.application_id = a.id"
        " where i.tenant_id = app_tenant_id() and i.meeting_id = $1 order by i.position",
        meeting_id,
    )
    agenda = []
    for item in items:
        votes = await (
            GrantVote.select(GrantVote.board_member_id, GrantVote.vote)
            .where(
                (GrantVote.tenant_id == tenant())
                & (GrantVote.meeting_id == meeting_id)
                & (GrantVote.application_id == item["application_id"])
            )
            .order_by(GrantVote.board_member_id)
        )
        declared = await member_declarations(item["application_id"])
        conflicted_ids = [m for m, conflicted in declared.items() if conflicted]
        agenda.append(
            AgendaItem(
                **dict(item),
                votes=[
                    Vote(v["board_member_id"], names.get(v["board_member_id"], ""), v["vote"])
                    for v in votes
                ],
                conflicted=[names.get(m, "") for m in conflicted_ids if m in present],
                declared=list(declared),
                conflicted_ids=conflicted_ids,
            )
        )
    return MeetingView(**dict(row), members=members, present=present, agenda=agenda)


async def list_meetings() -> list[MeetingSummary]:
    return await fetch_structs(
        MeetingSummary,
        f"select m.id, {_BOARD_NAME}, m.held_on, m.place,"
        " (select count(*) from grant_agenda_item i where i.tenant_id = m.tenant_id"
        " and i.meeting_id = m.id) as cases,"
        " (select count(*) from grant_agenda_item i where i.tenant_id = m.tenant_id"
        " and i.meeting_id = m.id and i.outcome is null) as open_cases"
        f" from grant_meeting m {_BOARD_JOIN} where m.tenant_id = app_tenant_id()"
        " order by m.held_on desc, m.id desc",
    )
