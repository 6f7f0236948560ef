"""An organisation follows municipalities and regions, to be mailed each tender they publish: its
list of follows, and the follow and unfollow buttons the public tender listing shows it."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from litestar import Request, get
from litestar.response import Response, Template

from services.tenancy.service import regions_with_municipalities
from services.tendering.service import follows as following
from tenants.context import tenant_tx
from web.actions import act
from web.auth.guards import organisation_member, person_of, principal_of
from web.forms import URL_ENCODED, Form, form_post
from web.tendering.pages import page

FOLLOWS = "/o/{organisasjonsnummer:str}/follows"


class FollowForm(Form):
    """One municipality (kommunenummer) or one region (its short name); where to go back to."""

    kommune: str = ""
    region: str = ""
    back: str = ""

    def target(self) -> dict[str, str | None]:
        return {"kommunenummer": self.kommune or None, "region_slug": self.region or None}

    def back_to(self, fallback: str) -> str:
        # Only back to the public listing (its filters kept) or this list: never elsewhere.
        if self.back.startswith("/tenders") and "//" not in self.back:
            return self.back
        return fallback


def _base(request: Request) -> str:
    return f"/o/{principal_of(request).active.organisasjonsnummer}/follows"


async def _follows_page(request: Request, *, status: int = 200, errors=None) -> Template:
    async with tenant_tx():
        followed = await following.follows()
        regions = await regions_with_municipalities()
    return page(
        request,
        "tendering/supplier/follows.html",
        status=status,
        base=_base(request),
        follows=followed,
        regions=regions,
        errors=errors or {},
    )


@get(FOLLOWS, guards=[organisation_member()], name="tender_follows")
async def follows_page(request: Request) -> Template:
    return await _follows_page(request)


async def _again(request: Request, status: int, errors: dict[str, str]) -> Template:
    return await _follows_page(request, status=status, errors=errors)


async def _change(request: Request, data: FollowForm, use_case) -> Response:
    """Follow or stop following what the form names, for the acting person; the page again."""
    return await act(
        request,
        lambda: use_case(person_id=person_of(request), **data.checked().target()),
        done=data.back_to(_base(request)),
        again=partial(_again, request),
    )


@form_post(FOLLOWS, name="follow_tenders", guards=[organisation_member()])
async def follow(
    request: Request, data: Annotated[FollowForm, URL_ENCODED]
) -> Response:
    return await _change(request, data, following.follow)


@form_post(FOLLOWS + "/remove", name="unfollow_tenders", guards=[organisation_member()])
async def unfollow(
    request: Request, data: Annotated[FollowForm, URL_ENCODED]
) -> Response:
    return await _change(request, data, following.unfollow)


ROUTES = [follows_page, follow, unfollow]
