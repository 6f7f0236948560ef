"""Members of a municipality or an organisation: its admins list them, invite by e-mail, remove.

The same three routes serve both places; the guard and the path say which.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Response, Template

from services.access import service as access
from services.access.rules import MEMBER_ADMINS, ROLE_NAMES, ROLES
from tenants.context import tenant_tx
from web.account.controller import invitation_mail
from web.actions import act, go_to
from web.auth.guards import municipality_member, organisation_member, person_of, principal_of
from web.auth.middleware import CHANGES_ACCESS
from web.flash import invitation_made, keep_invitation
from web.forms import FORMS, URL_ENCODED, Form, client_address
from web.i18n import gettext
from web.templating import render

# scope -> (its path, the path parameter, the attribute of the membership that names it)
PLACES = {
    "municipality": ("/k/{kommunenummer:str}", "kommunenummer", "municipality_id"),
    "organisation": ("/o/{organisasjonsnummer:str}", "organisasjonsnummer", "organisation_id"),
}
GUARDS = {"municipality": municipality_member, "organisation": organisation_member}


def _target(request: Request, scope: str) -> dict[str, int]:
    attribute = PLACES[scope][2]
    return {attribute: getattr(principal_of(request).active, attribute)}


def _base(request: Request, scope: str) -> str:
    param = PLACES[scope][1]
    prefix = "/k/" if scope == "municipality" else "/o/"
    return f"{prefix}{request.path_params[param]}/members"


async def _page(request: Request, scope: str, **context) -> Template:
    lang = request.state.get("lang", "nb")
    async with tenant_tx():
        members = await access.members_of(**_target(request, scope))
    context.setdefault("form", {})
    context.setdefault("errors", {})
    context = {**await invitation_made(request), **context}
    return render(
        request,
        "members/members.html",
        fragment="members/_members.html",
        members=members,
        roles=ROLES[scope],
        role_options=[(role, gettext(lang, ROLE_NAMES[(scope, role)])) for role in ROLES[scope]],
        scope=scope,
        base=_base(request, scope),
        **context,
    )


class InvitationForm(Form):
    email: str = ""
    role: str = ""


def member_routes(scope: str) -> list:
    path, _, _ = PLACES[scope]
    admins = [GUARDS[scope](*MEMBER_ADMINS)]

    @get(path + "/members", guards=admins, name=f"{scope}_members")
    async def members(request: Request) -> Template:
        return await _page(request, scope)

    @post(path + "/members/invitations", guards=admins, name=f"{scope}_invite", type_decoders=FORMS)
    async def invite(request: Request, data: Annotated[InvitationForm, URL_ENCODED]) -> Response:
        async def again(status: int, errors: dict[str, str]) -> Response:
            return await _page(request, scope, status_code=status, form=data.texts(), errors=errors)

        async def invited(token: str) -> Response:
            shown = go_to(request, _base(request, scope))
            return await keep_invitation(request, shown, data.email, token)

        return await act(
            request,
            lambda: access.invite(
                scope=scope,
                role=data.checked().role,
                email=data.email,
                invited_by=person_of(request),
                client_address=client_address(request),
                mail=invitation_mail(request),
                **_target(request, scope),
            ),
            done=invited,
            again=again,
        )

    @post(
        path + "/members/{membership_id:int}/remove",
        guards=admins,
        name=f"{scope}_remove_member",
        opt={CHANGES_ACCESS: True},
    )
    async def remove(request: Request, membership_id: FromPath[int]) -> Response:
        return await act(
            request,
            lambda: access.remove_member(
                membership_id,
                actor_person_id=person_of(request),
                client_address=client_address(request),
            ),
            done=_base(request, scope),
        )

    return [members, invite, remove]


ROUTES = [*member_routes("municipality"), *member_routes("organisation")]
