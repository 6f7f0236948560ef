"""A municipality's home and its members: invite by e-mail, remove."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Response, Template

from services.access import service as access
from services.access.rules import ROLES
from services.errors import DomainError
from tenants.context import tenant_tx
from web.account.controller import go_to, invitation_mail
from web.auth.guards import municipality_member, principal_of
from web.forms import client_address, errors_of, fields
from web.templating import render

PATH = "/k/{kommunenummer:str}"


@get(PATH, guards=[municipality_member()], name="municipality_home")
async def home(request: Request, kommunenummer: FromPath[str]) -> Template:
    return render(request, "municipality/home.html")


async def _members_page(request: Request, **context) -> Template:
    active = principal_of(request).active
    async with tenant_tx():
        members = await access.members_of_municipality(active.municipality_id)
    context.setdefault("form", {})
    context.setdefault("errors", {})
    return render(
        request,
        "municipality/members.html",
        fragment="municipality/_members.html",
        members=members,
        roles=ROLES["municipality"],
        **context,
    )


@get(PATH + "/members", guards=[municipality_member("admin")], name="municipality_members")
async def members(request: Request, kommunenummer: FromPath[str]) -> Template:
    return await _members_page(request)


@post(
    PATH + "/members/invitations",
    guards=[municipality_member("admin")],
    name="municipality_invite",
)
async def invite(request: Request, kommunenummer: FromPath[str]) -> Response:
    form = await fields(request)
    principal = principal_of(request)
    try:
        async with tenant_tx():
            token = await access.invite(
                scope="municipality",
                role=form.get("role", ""),
                email=form.get("email", ""),
                invited_by=principal.person.id,
                municipality_id=principal.active.municipality_id,
                client_address=client_address(request),
                mail=invitation_mail(request),
            )
    except DomainError as error:
        response = await _members_page(request, form=form, errors=errors_of(request, error))
        response.status_code = 422
        return response
    link = f"{request.app.state.settings.base_url}/invitations/{token}"
    return await _members_page(request, invited=form.get("email"), link=link)


@post(
    PATH + "/members/{membership_id:int}/remove",
    guards=[municipality_member("admin")],
    name="municipality_remove_member",
)
async def remove(
    request: Request, kommunenummer: FromPath[str], membership_id: FromPath[int]
) -> Response:
    principal = principal_of(request)
    async with tenant_tx():
        await access.remove_member(
            membership_id,
            actor_person_id=principal.person.id,
            client_address=client_address(request),
        )
    return go_to(request, f"/k/{kommunenummer}/members")
