"""The operator creates regions and municipalities and names each municipality's first admin."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Response, Template

from services.access import service as access
from services.errors import N_, DomainError, InvalidInput
from services.tenancy import service as tenancy
from tenants.context import connection, tenant_tx
from web.account.controller import invitation_mail
from web.auth.guards import operator, principal_of
from web.forms import client_address, errors_of, fields
from web.templating import render


async def _page(request: Request, status: int = 200, **context) -> Template:
    async with tenant_tx():
        regions = await tenancy.regions_with_municipalities()
    context.setdefault("form", {})
    context.setdefault("errors", {})
    return render(request, "operator/home.html", status_code=status, regions=regions, **context)


@get("/operator", guards=[operator], name="operator_home")
async def home(request: Request) -> Template:
    return await _page(request)


@post("/operator/regions", guards=[operator], name="operator_create_region")
async def create_region(request: Request) -> Response:
    form = await fields(request)
    try:
        async with tenant_tx():
            await tenancy.create_region(form.get("slug", ""), form.get("name", ""))
    except DomainError as error:
        return await _page(request, 422, form=form, errors=errors_of(request, error))
    return await _page(request)


@post("/operator/municipalities", guards=[operator], name="operator_create_municipality")
async def create_municipality(request: Request) -> Response:
    form = await fields(request)
    try:
        async with tenant_tx():
            municipality_id = await tenancy.create_municipality(
                form.get("kommunenummer", ""), form.get("name", ""), form.get("maalform", "")
            )
            region_id = await connection().fetchval(
                "select id from region where slug = $1", form.get("region", "")
            )
            if region_id is None:
                raise InvalidInput("region_unknown", N_("Choose a region."), field="region")
            await tenancy.add_to_region(region_id, municipality_id)
    except DomainError as error:
        return await _page(request, 422, form=form, errors=errors_of(request, error))
    return await _page(request)


@post(
    "/operator/municipalities/{kommunenummer:str}/admin-invitations",
    guards=[operator],
    name="operator_invite_admin",
)
async def invite_admin(request: Request, kommunenummer: FromPath[str]) -> Response:
    form = await fields(request)
    try:
        async with tenant_tx():
            municipality_id = await connection().fetchval(
                "select id from municipality where kommunenummer = $1", kommunenummer
            )
            if municipality_id is None:
                # Raised, not rendered here: the page opens a transaction of its own.
                raise NotFoundException()
            token = await access.invite(
                scope="municipality",
                role="admin",
                email=form.get("email", ""),
                invited_by=principal_of(request).person.id,
                municipality_id=municipality_id,
                client_address=client_address(request),
                mail=invitation_mail(request),
            )
    except DomainError as error:
        errors = errors_of(request, error)
        return await _page(request, 422, form=form, errors=errors, admin_for=kommunenummer)
    link = f"{request.app.state.settings.base_url}/invitations/{token}"
    return await _page(request, invited=form.get("email"), link=link)
