"""The operator's exchange rate for the de minimis ceiling: kroner for one euro, kept with who set
it and when; the assessors' state aid figures use the newest."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from litestar import Request, get
from litestar.response import Response, Template

from services.grants import service as grants
from tenants.context import tenant_tx
from web.actions import act, again_form
from web.auth.guards import operator, person_of
from web.forms import URL_ENCODED, form_post
from web.grants.money_forms import ExchangeRateForm
from web.grants.pages import page

PATH = "/operator/exchange-rate"


async def _page(request: Request, *, status: int = 200, **context) -> Template:
    async with tenant_tx():
        rates = await grants.exchange_rates()
    return page(
        request,
        "grants/exchange_rate.html",
        status=status,
        rates=rates,
        saved=request.query_params.get("saved"),
        **context,
    )


@get(PATH, guards=[operator], name="operator_exchange_rate")
async def exchange_rate(request: Request) -> Template:
    return await _page(request)


@form_post(PATH, name="set_exchange_rate", guards=[operator])
async def set_rate(request: Request, data: Annotated[ExchangeRateForm, URL_ENCODED]) -> Response:
    return await act(
        request,
        lambda: grants.set_exchange_rate(**data.values(), actor_person_id=person_of(request)),
        done=f"{PATH}?saved=1",
        again=again_form(partial(_page, request), data),
    )


ROUTES = [exchange_rate, set_rate]
