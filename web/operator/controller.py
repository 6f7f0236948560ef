"""The operator creates regions and municipalities and names each municipality's first admin."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Response, Template

from services.access import service as access
from services.errors import N_, InvalidInput, NotFound
from services.tenancy import service as tenancy
from tenants.context import connection, tenant_tx
from web.account.controller import invitation_mail
from web.actions import Again, act, again_with, go_to
from web.auth.guards import operator, person_of
from web.flash import invitation_made, keep_invitation
from web.forms import FORMS, URL_ENCODED, Form, client_address, form_post
from web.templating import render


async def _page(request: Request, status: int = 200, **context) -> Template:
    async with tenant_tx():
        regions = await tenancy.regions_with_municipalities()
        without_admin = await access.municipalities_without_admin()
    context.setdefault("form", {})
    context.setdefault("errors", {})
    context = {**await invitation_made(request), **context}
    region_options = [(region.slug, region.name) for region in regions]
    return render(
        request,
        "operator/home.html",
        status_code=status,
        regions=regions,
        region_options=region_options,
        without_admin=without_admin,
        **context,
    )


@get("/operator", guards=[operator], name="operator_home")
async def home(request: Request) -> Template:
    return await _page(request)


class RegionForm(Form):
    slug: str = ""
    name: str = ""


class MunicipalityForm(Form):
    kommunenummer: str = ""
    name: str = ""
    maalform: str = ""
    region: str = ""


class AdminForm(Form):
    email: str = ""


class CouncilForm(Form):
    email: str = ""
    # A member of the council, or its admin, who then invites the members.
    role: str = "council_member"


def _again(request: Request, form: Form, **context) -> Again:
    return again_with(partial(_page, request), form=form.texts(), **context)


@post("/operator/regions", guards=[operator], name="operator_create_region", type_decoders=FORMS)
async def create_region(request: Request, data: Annotated[RegionForm, URL_ENCODED]) -> Response:
    return await act(
        request,
        lambda: tenancy.create_region(data.checked().slug, data.name),
        done="/operator",
        again=_again(request, data),
        said=N_("The region is created."),
    )


@post(
    "/operator/municipalities",
    guards=[operator],
    name="operator_create_municipality",
    type_decoders=FORMS,
)
async def create_municipality(
    request: Request, data: Annotated[MunicipalityForm, URL_ENCODED]
) -> Response:
    async def work() -> None:
        municipality_id = await tenancy.create_municipality(
            data.checked().kommunenummer, data.name, data.maalform
        )
        region_id = await connection().fetchval(
            "select id from region where slug = $1", data.region
        )
        if region_id is None:
            raise InvalidInput("region_unknown", N_("Choose a region."), field="region")
        await tenancy.add_to_region(region_id, municipality_id)

    return await act(
        request,
        work,
        done="/operator",
        again=_again(request, data),
        said=N_("The municipality is created and belongs to its region."),
    )


async def _invite(
    request: Request,
    data: AdminForm | CouncilForm,
    scope: str,
    role: str | None,
    place: tuple[str, str],
    **again: str,
) -> Response:
    """Invite the form's address as `role` (None: the role the form chose) to the place the
    query `place` finds (404 when none); the page then shows the link as well."""

    async def work() -> str:
        place_id = await connection().fetchval(*place)
        if place_id is None:
            raise NotFound(f"{scope}_unknown", N_("There is nothing here."))
        form = data.checked()
        return await access.invite(
            scope=scope,
            role=role or form.role,
            email=form.email,
            invited_by=person_of(request),
            client_address=client_address(request),
            mail=invitation_mail(request),
            **{f"{scope}_id": place_id},
        )

    async def invited(token: str) -> Response:
        return await keep_invitation(request, go_to(request, "/operator"), data.email, token)

    return await act(request, work, done=invited, again=_again(request, data, **again))


@form_post(
    "/operator/municipalities/{kommunenummer:str}/admin-invitations",
    name="operator_invite_admin",
    guards=[operator],
)
async def invite_admin(
    request: Request, kommunenummer: FromPath[str], data: Annotated[AdminForm, URL_ENCODED]
) -> Response:
    find = ("select id from municipality where kommunenummer = $1", kommunenummer)
    return await _invite(request, data, "municipality", "admin", find, admin_for=kommunenummer)


@form_post(
    "/operator/regions/{region_slug:str}/council-invitations",
    name="operator_invite_council_member",
    guards=[operator],
)
async def invite_council_member(
    request: Request, region_slug: FromPath[str], data: Annotated[CouncilForm, URL_ENCODED]
) -> Response:
    find = ("select id from region where slug = $1", region_slug)
    return await _invite(request, data, "region", None, find, council_for=region_slug)
