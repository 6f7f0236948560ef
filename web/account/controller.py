"""The person's home, the membership switch, accepting invitations and registering a business."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from services.access import service as access
from services.access.registration import Registration, look_up_organisation
from services.access.rules import ROLE_NAMES
from services.access.service import token_hash
from services.errors import DomainError
from tenants.context import Scope, tenant_tx
from web.actions import act, go_to
from web.auth.guards import PUBLIC, logged_in, principal_of
from web.auth.middleware import CHANGES_ACCESS
from web.auth.sessions import SessionStore
from web.forms import FORMS, URL_ENCODED, Form, client_address
from web.templating import render


def invitation_mail(request: Request) -> access.InvitationMail:
    """Mail the invitation's link: the key that seals it in the outbox comes from the settings."""
    settings = request.app.state.settings
    return access.InvitationMail(
        link_prefix=f"{settings.base_url}/invitations/",
        key=settings.derived_key("mail-secrets"),
        inviter=principal_of(request).person.name,
        language=request.state.get("lang", settings.default_language),
    )


async def _set_active(request: Request, membership_id: int) -> None:
    store = SessionStore(request.app.state.redis)
    session = request.state.session
    session.membership_id = membership_id
    await store.save(request.state.session_token, session)


@get("/home", guards=[logged_in], name="home")
async def home(request: Request) -> Redirect:
    """Where a login lands: the page of the membership the person acts in."""
    return Redirect(principal_of(request).home(), status_code=303)


@get("/me", guards=[logged_in], name="me")
async def me(request: Request) -> Template:
    return render(request, "account/me.html", role_names=ROLE_NAMES)


class MembershipForm(Form):
    membership: str = ""


@post("/me/active", guards=[logged_in], name="switch_membership", type_decoders=FORMS)
async def switch_membership(
    request: Request, data: Annotated[MembershipForm, URL_ENCODED]
) -> Response:
    principal = principal_of(request)
    wanted = next((m for m in principal.memberships if str(m.id) == data.membership), None)
    if wanted is None:
        raise NotFoundException()
    await _set_active(request, wanted.id)
    return go_to(request, principal.acting_as(wanted).home())


def _invitation_scope(request: Request, token: str) -> Scope:
    principal = principal_of(request)
    return Scope(
        person_id=principal.person.id if principal else None, invitation_token=token_hash(token)
    )


@get("/invitations/{token:str}", opt=PUBLIC, name="invitation")
async def invitation(request: Request, token: FromPath[str]) -> Template:
    try:
        async with tenant_tx(_invitation_scope(request, token)):
            found = await access.invitation_for_token()
    except DomainError as error:
        return render(
            request,
            "account/invitation.html",
            status_code=error.status,
            invitation=None,
            error=error.code,
        )
    return render(
        request, "account/invitation.html", invitation=found, token=token, role_names=ROLE_NAMES
    )


@post(
    "/invitations/{token:str}",
    guards=[logged_in],
    name="accept_invitation",
    opt={CHANGES_ACCESS: True},
)
async def accept_invitation(request: Request, token: FromPath[str]) -> Response:
    principal = principal_of(request)

    async def accepted(membership_id: int) -> str:
        await _set_active(request, membership_id)
        return "/me"

    async def again(status: int, errors: dict[str, str]) -> Response:
        return render(
            request, "account/invitation.html", status_code=status, invitation=None, errors=errors
        )

    return await act(
        request,
        lambda: access.accept_invitation(
            principal.person.id, client_address=client_address(request)
        ),
        done=accepted,
        again=again,
        scope=_invitation_scope(request, token),
    )


@get("/organisations/new", guards=[logged_in], name="new_organisation")
async def new_organisation(request: Request) -> Template:
    return render(request, "account/new_organisation.html", form={}, errors={})


class OrganisationForm(Form):
    organisasjonsnummer: str = ""
    name: str = ""


@post(
    "/organisations",
    guards=[logged_in],
    name="register_organisation",
    type_decoders=FORMS,
    opt={CHANGES_ACCESS: True},
)
async def register_organisation(
    request: Request, data: Annotated[OrganisationForm, URL_ENCODED]
) -> Response:
    principal = principal_of(request)

    async def look_up() -> Registration:
        return await look_up_organisation(
            request.app.state.register,
            data.organisasjonsnummer,
            typed_name=data.name,
            person_name=principal.person.name,
            birth_date=_birth_date(request),
        )

    async def work(registration: Registration) -> int:
        return await access.register_organisation(
            registration, principal.person.id, client_address=client_address(request)
        )

    async def registered(membership_id: int) -> str:
        await _set_active(request, membership_id)
        return "/me"

    async def again(status: int, errors: dict[str, str]) -> Response:
        return render(
            request,
            "account/new_organisation.html",
            status_code=status,
            form=data.texts(),
            errors=errors,
        )

    return await act(
        request,
        work,
        done=registered,
        again=again,
        scope=Scope(person_id=principal.person.id),
        first=look_up,
    )


def _birth_date(request: Request) -> date | None:
    session = request.state.get("session")
    born = getattr(session, "birth_date", None)
    return date.fromisoformat(born) if born else None
