"""The regional council's home: what needs its attention, its members, municipalities and projects;
its admins invite new members there."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Response, Template

from services.access import service as access
from services.access.rules import COUNCIL_ADMINS
from services.projects import service as projects
from services.tenancy.service import regions_with_municipalities
from tenants.context import tenant_tx
from web.account.controller import invitation_mail
from web.actions import act, again_with, go_to
from web.auth.guards import principal_of, region_member
from web.flash import invitation_made, keep_invitation
from web.forms import FORMS, URL_ENCODED, Form, client_address
from web.projects.pages import PHASES
from web.templating import render

HOME = "/r/{region_slug:str}"


async def _page(request: Request, status: int = 200, **context) -> Template:
    active = principal_of(request).active
    async with tenant_tx():
        region = next(r for r in await regions_with_municipalities() if r.id == active.region_id)
        members = await access.members_of(region_id=active.region_id)
        regional = await projects.list_projects(today=date.today())
    context.setdefault("form", {})
    context.setdefault("errors", {})
    context = {**await invitation_made(request), **context}
    return render(
        request,
        "region/home.html",
        status_code=status,
        region=region,
        members=members,
        regional=regional,
        awaiting=[p for p in regional if p.status == "awaiting_decision"],
        may_invite=active.role in COUNCIL_ADMINS,
        PHASES=PHASES,
        **context,
    )


@get(HOME, guards=[region_member()], name="region_home")
async def home(request: Request) -> Template:
    return await _page(request)


class CouncilInvitationForm(Form):
    email: str = ""


@post(
    HOME + "/council-invitations",
    guards=[region_member(*COUNCIL_ADMINS)],
    name="invite_to_council",
    type_decoders=FORMS,
)
async def invite_to_council(
    request: Request,
    region_slug: FromPath[str],
    data: Annotated[CouncilInvitationForm, URL_ENCODED],
) -> Response:
    principal = principal_of(request)

    async def invited(token: str) -> Response:
        home = f"/r/{region_slug}"
        return await keep_invitation(request, go_to(request, home), data.email, token)

    return await act(
        request,
        lambda: access.invite(
            scope="region",
            role="council_member",
            email=data.checked().email,
            invited_by=principal.person.id,
            region_id=principal.active.region_id,
            client_address=client_address(request),
            mail=invitation_mail(request),
        ),
        done=invited,
        again=again_with(lambda **context: _page(request, **context), form=data.texts()),
    )
