"""The board meetings on grants: call a meeting of a programme's board or of a fund's own board
(a fund without a programme, whose members the municipality names from its own people; its
agenda is the cases waiting for the board), record who attended, record each case's votes and
decision; the meeting's page is its minutes."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Response, Template

from services.errors import N_
from services.grants import service as grants
from services.grants.roles import ASSESSORS, MANAGERS
from tenants.context import tenant_tx
from web.actions import act, again_form, again_with
from web.auth.guards import person_of, principal_of
from web.forms import URL_ENCODED, form_post
from web.grants.forms import (
    AttendanceForm,
    BoardDecisionForm,
    FundBoardMemberForm,
    FundMeetingForm,
    MeetingForm,
)
from web.grants.municipality import HOME
from web.grants.pages import ASSESSOR, MANAGER, READER, SEATS, grants_base, page
from web.grants.tables import download_asked, meetings_table
from web.i18n import gettext

MEETINGS = HOME + "/meetings"
MEETING = MEETINGS + "/{meeting_id:int}"
FUND_BOARD = MEETINGS + "/funds/{fund_id:int}"
MINUTES = "grants/municipality/_minutes.html"


def _may_run(request: Request) -> bool:
    return principal_of(request).active.role in ASSESSORS


async def _meetings(request: Request, *, status: int = 200, **context) -> Template | Response:
    """The board meetings (as CSV or XLSX when asked), the form that calls one, and the own
    boards of the funds without a programme."""
    async with tenant_tx():
        meetings = await grants.list_meetings()
        programmes = await grants.programme_choices()
        fund_boards = await grants.fund_boards()
        people = await grants.people_choices() if fund_boards else []
    if file := download_asked(request, meetings_table, meetings):
        return file
    lang = request.state.get("lang", "nb")
    return page(
        request,
        "grants/municipality/meetings.html",
        status=status,
        base=grants_base(request),
        meetings=meetings,
        programme_options=[(str(p.id), p.name) for p in programmes],
        fund_boards=fund_boards,
        people_options=[("", "")] + [(str(p.id), p.name) for p in people],
        seat_options=[(seat, gettext(lang, name)) for seat, name in SEATS.items()],
        may_run=_may_run(request),
        may_manage=principal_of(request).active.role in MANAGERS,
        **context,
    )


@get(MEETINGS, guards=READER, name="grant_meetings")
async def meetings(request: Request) -> Template | Response:
    return await _meetings(request)


@form_post(MEETINGS, name="create_grant_meeting", guards=ASSESSOR)
async def create(
    request: Request, data: Annotated[MeetingForm, URL_ENCODED]
) -> Response:
    async def work() -> int:
        values = data.values()
        return await grants.create_meeting(
            values.pop("programme_id"), **values, actor_person_id=person_of(request)
        )

    return await act(
        request,
        work,
        done=lambda meeting_id: f"{grants_base(request)}/meetings/{meeting_id}",
        again=again_form(partial(_meetings, request), data),
    )


@form_post(FUND_BOARD + "/members", name="add_grant_fund_board_member", guards=MANAGER)
async def add_fund_board_member(
    request: Request,
    fund_id: FromPath[int],
    data: Annotated[FundBoardMemberForm, URL_ENCODED],
) -> Response:
    """One of the municipality's people named to the own board of a fund without a programme."""
    return await act(
        request,
        lambda: grants.add_fund_board_member(
            fund_id, **data.values(), actor_person_id=person_of(request)
        ),
        done=f"{grants_base(request)}/meetings#fund-{fund_id}",
        said=N_("The board member is named."),
        again=again_form(partial(_meetings, request), data, "member", member_fund=fund_id),
    )


@form_post(FUND_BOARD + "/meetings", name="create_grant_fund_meeting", guards=ASSESSOR)
async def create_fund_meeting(
    request: Request,
    fund_id: FromPath[int],
    data: Annotated[FundMeetingForm, URL_ENCODED],
) -> Response:
    """A meeting of a fund's own board; its agenda is the fund's cases waiting for the board."""
    return await act(
        request,
        lambda: grants.create_meeting(
            None, fund_id=fund_id, **data.values(), actor_person_id=person_of(request)
        ),
        done=lambda meeting_id: f"{grants_base(request)}/meetings/{meeting_id}",
        again=again_form(partial(_meetings, request), data, "fund_meeting", meeting_fund=fund_id),
    )


async def _meeting(request: Request, meeting_id: int, *, status: int = 200, **context):
    async with tenant_tx():
        found = await grants.meeting(meeting_id)
    return page(
        request,
        "grants/municipality/meeting.html",
        MINUTES,
        status=status,
        base=grants_base(request),
        meeting=found,
        names={m.id: m.name for m in found.members},
        seats={m.id: m.seat for m in found.members},
        absent=[m for m in found.members if m.id not in found.present],
        voted=any(item.votes for item in found.agenda),
        may_run=_may_run(request),
        **context,
    )


@get(MEETING, guards=READER, name="grant_meeting")
async def meeting(
    request: Request, meeting_id: FromPath[int]
) -> Template:
    return await _meeting(request, meeting_id)


async def _in_meeting(
    request: Request, meeting_id: int, work, said: str, anchor: str = "agenda", **again
) -> Response:
    """An action on a running meeting: its minutes drawn again in place for htmx, the meeting's
    page at `anchor` otherwise; `again`: what the minutes show beside a refused form."""
    page = partial(_meeting, request, meeting_id)
    return await act(
        request,
        work,
        done=f"{grants_base(request)}/meetings/{meeting_id}#{anchor}",
        said=said,
        swap=page,
        again=again_with(page, **again) if again else None,
    )


@form_post(MEETING + "/attendance", name="record_grant_attendance", guards=ASSESSOR)
async def attendance(
    request: Request,
    meeting_id: FromPath[int],
    data: Annotated[AttendanceForm, URL_ENCODED],
) -> Response:
    return await _in_meeting(
        request,
        meeting_id,
        lambda: grants.record_attendance(
            meeting_id, member_ids=data.members(), actor_person_id=person_of(request)
        ),
        N_("The attendance is recorded."),
        errors_key="attendance_errors",
    )


@form_post(MEETING + "/agenda", name="gather_grant_agenda", guards=ASSESSOR)
async def agenda(
    request: Request, meeting_id: FromPath[int]
) -> Response:
    return await _in_meeting(
        request,
        meeting_id,
        lambda: grants.gather_agenda(meeting_id, actor_person_id=person_of(request)),
        N_("The agenda is brought up to date."),
    )


@form_post(MEETING + "/cases/{application_id:int}", name="decide_grant_in_meeting", guards=ASSESSOR)
async def decide(
    request: Request,
    meeting_id: FromPath[int],
    application_id: FromPath[int],
    data: Annotated[BoardDecisionForm, URL_ENCODED],
) -> Response:
    return await _in_meeting(
        request,
        meeting_id,
        lambda: grants.decide_in_meeting(
            meeting_id, application_id, **data.values(), actor_person_id=person_of(request)
        ),
        N_("The board's decision is recorded."),
        f"case-{application_id}",
        errors_key="case_errors",
        case_form=data.texts(),
        case_id=application_id,
    )


ROUTES = [
    meetings,
    create,
    add_fund_board_member,
    create_fund_meeting,
    meeting,
    attendance,
    agenda,
    decide,
]
