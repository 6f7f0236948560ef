"""The programme board's meetings on grants: call a meeting (its agenda is the cases waiting for
the board), record who attended, record each case's votes and decision; the meeting's page is
its minutes."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Response, Template

from services.errors import N_
from services.grants import service as grants
from services.grants.roles import ASSESSORS
from tenants.context import tenant_tx
from web.actions import act, again_form, again_with
from web.auth.guards import person_of, principal_of
from web.forms import URL_ENCODED, form_post
from web.grants.forms import AttendanceForm, BoardDecisionForm, MeetingForm
from web.grants.municipality import HOME, _base
from web.grants.pages import ASSESSOR, READER, page
from web.grants.tables import download_asked, meetings_table

MEETINGS = HOME + "/meetings"
MEETING = MEETINGS + "/{meeting_id:int}"
MINUTES = "grants/municipality/_minutes.html"


def _may_run(request: Request) -> bool:
    return principal_of(request).active.role in ASSESSORS


async def _meetings(request: Request, *, status: int = 200, **context) -> Template | Response:
    """The board meetings (as CSV or XLSX when asked), and the form that calls one."""
    async with tenant_tx():
        meetings = await grants.list_meetings()
        programmes = await grants.programme_choices()
    if file := download_asked(request, meetings_table, meetings):
        return file
    return page(
        request,
        "grants/municipality/meetings.html",
        status=status,
        base=_base(request),
        meetings=meetings,
        programme_options=[(str(p.id), p.name) for p in programmes],
        may_run=_may_run(request),
        **context,
    )


@get(MEETINGS, guards=READER, name="grant_meetings")
async def meetings(request: Request, kommunenummer: FromPath[str]) -> Template | Response:
    return await _meetings(request)


@form_post(MEETINGS, name="create_grant_meeting", guards=ASSESSOR)
async def create(
    request: Request, kommunenummer: FromPath[str], data: Annotated[MeetingForm, URL_ENCODED]
) -> Response:
    async def work() -> int:
        values = data.values()
        return await grants.create_meeting(
            values.pop("programme_id"), **values, actor_person_id=person_of(request)
        )

    return await act(
        request,
        work,
        done=lambda meeting_id: f"{_base(request)}/meetings/{meeting_id}",
        again=again_form(partial(_meetings, request), data),
    )


async def _meeting(request: Request, meeting_id: int, *, status: int = 200, **context):
    async with tenant_tx():
        found = await grants.meeting(meeting_id)
    return page(
        request,
        "grants/municipality/meeting.html",
        MINUTES,
        status=status,
        base=_base(request),
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
    request: Request, kommunenummer: FromPath[str], meeting_id: FromPath[int]
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
        done=f"{_base(request)}/meetings/{meeting_id}#{anchor}",
        said=said,
        swap=page,
        again=again_with(page, **again) if again else None,
    )


@form_post(MEETING + "/attendance", name="record_grant_attendance", guards=ASSESSOR)
async def attendance(
    request: Request,
    kommunenummer: FromPath[str],
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
    request: Request, kommunenummer: FromPath[str], meeting_id: FromPath[int]
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
    kommunenummer: FromPath[str],
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


ROUTES = [meetings, create, meeting, attendance, agenda, decide]
