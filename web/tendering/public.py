"""The public side of tendering, like Doffin: every municipality's published tenders, without login,
as pages, as JSON and as OCDS release packages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from typing import Annotated, Any, NamedTuple
from urllib.parse import urlencode

import msgspec
from litestar import Request, Response, get
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import FromPath, Parameter
from litestar.response import Template

from services import inputs
from services.errors import N_, InvalidInput
from services.tenancy.service import MunicipalityView, regions_with_municipalities
from services.tendering import service as tendering
from services.tendering.errors import TenderNotFound
from services.tendering.rules import OSLO, TenderState
from services.tendering.schemas import (
    ClarificationView,
    DocumentView,
    PublicTenderView,
    TenderView,
)
from services.tendering.service import follows
from tenants.context import NOBODY, Scope, rescope, tenant_tx
from web.auth.guards import PUBLIC, PUBLIC_CACHED, principal_of
from web.downloads import download
from web.forms import errors_of
from web.paging import PAGE, cursor, pages
from web.tendering.pages import STATES, page

KOMMUNENUMMER = re.compile("[0-9]{4}")
REGION_SLUG = re.compile("[a-z0-9-]+")
LISTED_STATES = [s.value for s in TenderState if s != TenderState.DRAFT]
PUBLISHED_AWARD_STATES = {
    TenderState.AWARD_NOTIFIED,
    TenderState.STANDSTILL,
    TenderState.CONTRACT_SIGNED,
    TenderState.COMPLETED,
}


@dataclass(frozen=True)
class Filters:
    """The listing's filters as the URL carries them; a malformed one is refused with its field."""

    kommune: str = ""
    region: str = ""
    deadline_from: str = ""
    deadline_before: str = ""

    def filters(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}

    def query(self) -> str:
        return urlencode(self.filters())

    def use_case(self) -> dict:
        return {
            "kommunenummer": self.kommune or None,
            "region_slug": self.region or None,
            "deadline_from": _moment(self.deadline_from, "deadline_from"),
            "deadline_before": _moment(self.deadline_before, "deadline_before"),
        }


def _moment(value: str, field: str) -> datetime | None:
    """A date (midnight on the Norwegian clock) or a date and time; without a zone, Norway's."""
    if not value:
        return None
    try:
        if len(value) == 10:
            return datetime.combine(inputs.day(value, field), time(0), tzinfo=OSLO)
        return inputs.moment(value, field)
    except InvalidInput:
        raise InvalidInput(
            "filter_date_invalid", N_("Write a date as YYYY-MM-DD."), field=field
        ) from None


def filters_of(request: Request) -> Filters:
    query = request.query_params
    chosen = Filters(
        kommune=query.get("kommune", "").strip(),
        region=query.get("region", "").strip(),
        deadline_from=query.get("deadline_from", "").strip(),
        deadline_before=query.get("deadline_before", "").strip(),
    )
    if chosen.kommune and not KOMMUNENUMMER.fullmatch(chosen.kommune):
        raise InvalidInput(
            "filter_kommune_invalid",
            N_("A kommunenummer is four digits."),
            field="kommune",
        )
    if chosen.region and not REGION_SLUG.fullmatch(chosen.region):
        raise InvalidInput("filter_region_invalid", N_("Choose a region."), field="region")
    return chosen


async def _latest_awards(criteria: dict) -> list[PublicTenderView]:
    """The latest award notices, a page of them: the country has years of awards behind it."""
    async with tenant_tx(NOBODY):
        return await tendering.published_tenders(
            **criteria,
            states=[s.value for s in PUBLISHED_AWARD_STATES],
            limit=PAGE,
            latest_award_first=True,
        )


async def _follows_of(request: Request) -> dict:
    """For a person acting for an organisation: where its follow buttons post, what it follows."""
    principal = principal_of(request)
    active = principal.active if principal else None
    if active is None or active.scope != "organisation":
        return {}
    async with tenant_tx(principal.scope()):
        followed = await follows.follows()
    return {
        "follow_base": f"/o/{active.organisasjonsnummer}/follows",
        "followed_kommuner": [f.kommunenummer for f in followed if f.kommunenummer],
        "followed_regions": [f.region_slug for f in followed if f.region_slug],
    }


@get("/tenders", opt=PUBLIC_CACHED, name="public_tenders")
async def listing(request: Request) -> Template:
    async with tenant_tx(NOBODY):
        regions = await regions_with_municipalities()
    context = {"regions": regions, "base": "/tenders", **await _follows_of(request)}
    try:
        chosen = filters_of(request)
        criteria = chosen.use_case()
        after = cursor(request.query_params.get("after", ""), tuple[datetime, int])
        async with tenant_tx(NOBODY):
            rows = await tendering.published_tenders(
                **criteria, states=[TenderState.PUBLISHED.value], after=after, limit=PAGE + 1
            )
            total = await tendering.count_published_tenders(**criteria)
        # Once the award notice is out, a tender stays listed with its winner (on the first
        # page, among the latest awards).
        awarded = [] if after else await _latest_awards(criteria)
    except InvalidInput as error:
        raw = Filters(**{k: request.query_params.get(k, "") for k in Filters.__dataclass_fields__})
        return page(
            request,
            "tendering/public/list.html",
            "tendering/public/_list.html",
            status=422,
            rows=[],
            awarded=[],
            chosen=raw,
            errors=errors_of(request, error),
            **context,
        )
    rows, links = pages(
        rows, chosen.filters(), lambda t: (t.bid_deadline, t.id), started=after is not None
    )
    return page(
        request,
        "tendering/public/list.html",
        "tendering/public/_list.html",
        rows=rows,
        total=total,
        **links,
        awarded=awarded,
        chosen=chosen,
        **context,
    )


class TenderList(msgspec.Struct, frozen=True):
    """A page of the tenders open for bids (PAGE at most, by deadline), how many the filters
    choose in all, and the address of the next page (None on the last)."""

    count: int
    tenders: list[PublicTenderView]
    next: str | None = None


class ApiError(msgspec.Struct, frozen=True):
    """What the API answers when it cannot answer: a code (or the HTTP status), the reason in the
    asker's language, and the query field at fault where there is one."""

    error: str | int
    detail: str
    field: str | None = None


class Publisher(msgspec.Struct, frozen=True):
    name: str
    uri: str


class ReleasePackage(msgspec.Struct, frozen=True):
    """An OCDS 1.1 release package (https://standard.open-contracting.org/1.1/en/schema/),
    holding the tender's one compiled release; the release's fields are OCDS's own."""

    uri: str
    version: str
    publishedDate: str  # noqa: N815 - OCDS's field names
    publisher: Publisher
    license: str
    releases: list[dict[str, Any]]
    extensions: list[str] | None = None


# The API's part of the OpenAPI document at /schema: these routes only, each answer described.
API = {"include_in_schema": True, "tags": ["Public tenders"]}
TENDER_ID = Parameter(
    title="Tender id",
    description="The tender's number, as in its address /tenders/{tender_id}.",
    ge=1,
    le=10**15,
    examples=[Example(value=1), Example(value=2)],
)
NOT_FOUND = ResponseSpec(
    ApiError, generate_examples=False, description="No published tender has this number."
)
BAD_QUERY = ResponseSpec(
    ApiError, generate_examples=False, description="A filter or the tender number is malformed."
)
# The filters' patterns are documented, and checked by filters_of (which names the field at fault
# in the asker's language); empty is the same as left out.
KOMMUNE = Parameter(
    description="Only this municipality's tenders: its kommunenummer (4 digits).",
    schema_extra={"pattern": f"^({KOMMUNENUMMER.pattern})?$"},
)
REGION = Parameter(
    description="Only tenders of this region's municipalities: its short name.",
    schema_extra={"pattern": f"^({REGION_SLUG.pattern})?$"},
)
# A day, or nothing; the API takes a date and time too (2026-12-31T12:00), undocumented.
DAY = {
    "oneOf": [
        {"type": "string", "format": "date", "pattern": "^(19|2[0-9])[0-9]{2}-"},
        {"type": "string", "maxLength": 0},
    ]
}
DEADLINE_FROM = Parameter(
    description="Bid deadline on or after this day (from midnight in Norway): YYYY-MM-DD.",
    schema_extra=DAY,
)
DEADLINE_BEFORE = Parameter(
    description="Bid deadline before this day (midnight in Norway): YYYY-MM-DD.",
    schema_extra=DAY,
)
# Any string: one that is not a key the API handed out is the first page, never refused.
AFTER = Parameter(
    description="Where the page starts: copied from the page before's `next`, never written by"
    " hand (anything else is the first page).",
)


@get(
    "/api/v1/tenders",
    opt=PUBLIC_CACHED,
    name="api_tenders",
    summary="Open tenders",
    responses={400: BAD_QUERY},
    **API,
)
async def api_tenders(
    request: Request,
    kommune: Annotated[str | None, KOMMUNE] = None,
    region: Annotated[str | None, REGION] = None,
    deadline_from: Annotated[str | None, DEADLINE_FROM] = None,
    deadline_before: Annotated[str | None, DEADLINE_BEFORE] = None,
    after: Annotated[str | None, AFTER] = None,
) -> Response[TenderList]:
    """Every municipality's tenders open for bids, as the public list at /tenders shows them:
    a page at a time by deadline, `next` the address of the page after (keyset, as the list)."""
    try:
        chosen = filters_of(request)
        criteria = chosen.use_case()
        start = cursor(after or "", tuple[datetime, int])
        async with tenant_tx(NOBODY):
            rows = await tendering.published_tenders(
                **criteria, states=[TenderState.PUBLISHED.value], after=start, limit=PAGE + 1
            )
            total = await tendering.count_published_tenders(**criteria)
    except InvalidInput as error:
        detail = errors_of(request, error)[error.field or "_form"]
        return Response(ApiError(error.code, detail, error.field), status_code=400)
    rows, links = pages(
        rows, chosen.filters(), lambda t: (t.bid_deadline, t.id), started=start is not None
    )
    following = f"{request.url.path}?{links['next_page']}" if links["next_page"] else None
    return Response(TenderList(total, rows, following))


@get(
    ["/api/v1/tenders/{tender_id:int}/ocds", "/tenders/{tender_id:int}/ocds.json"],
    opt=PUBLIC_CACHED,
    name="api_tender_ocds",
    summary="A tender as an OCDS release package",
    responses={400: BAD_QUERY, 404: NOT_FOUND},
    **API,
)
async def api_tender_ocds(
    request: Request, tender_id: Annotated[int, TENDER_ID]
) -> Response[ReleasePackage]:
    """The tender as an OCDS 1.1 release package; a draft or an unknown id is 404. The package's
    own `uri` is the second address, /tenders/{tender_id}/ocds.json."""
    base = request.app.state.settings.base_url
    async with tenant_tx(NOBODY):
        tender = await tendering.get_tender(tender_id)  # TenderNotFound for drafts and strangers
        if tender.state in PUBLISHED_AWARD_STATES:
            # From the award notice on, the package publishes the bidders, their prices and
            # the award, as OCDS does (before it, offentleglova keeps bids from the public).
            # Those rows are the municipality's, so this one read-only use-case is scoped to
            # it; the tender was found public above. A narrower owner-defined read of the
            # awarded bids would spare the tenant scope: see the issue note.
            await rescope(Scope(tenant_id=tender.tenant_id))
        package = await tendering.ocds_release_package(tender_id, base_uri=base)
    return Response(package, media_type="application/json")


class PublicTender(NamedTuple):
    """A published tender as anyone sees it, by the names its pages give each part."""

    tender: TenderView
    documents: list[DocumentView]
    clarifications: list[ClarificationView]
    buyer: MunicipalityView | None


async def read_public_tender(tender_id: int) -> PublicTender:
    """A published tender with its documents, answers and municipality, as anyone sees it;
    inside the caller's transaction (the public's, or a business's)."""
    tender = await tendering.get_tender(tender_id)
    if tender.state == TenderState.DRAFT:  # a municipality's own draft is not public
        raise TenderNotFound()
    documents = await tendering.documents(tender_id)
    answers = await tendering.clarifications(tender_id)
    regions = await regions_with_municipalities()
    buyer = next((m for r in regions for m in r.municipalities if m.id == tender.tenant_id), None)
    return PublicTender(tender, documents, answers, buyer)


@get("/tenders/{tender_id:int}", opt=PUBLIC_CACHED, name="public_tender")
async def tender_page(request: Request, tender_id: FromPath[int]) -> Template:
    async with tenant_tx(NOBODY):
        public = await read_public_tender(tender_id)
    return page(request, "tendering/public/tender.html", **public._asdict(), states=STATES)


@get(
    "/tenders/{tender_id:int}/documents/{document_id:int}",
    opt=PUBLIC,
    name="public_tender_document",
)
async def tender_document(
    request: Request, tender_id: FromPath[int], document_id: FromPath[int]
) -> Response:
    async with tenant_tx(NOBODY):
        listed = {d.id: d for d in await tendering.documents(tender_id)}
        content = await tendering.document_content(tender_id, document_id)
    found = listed.get(document_id)
    name = found.name if found else f"document-{document_id}"
    return download(content, name, found.media_type if found else "application/octet-stream")


ROUTES = [listing, api_tenders, api_tender_ocds, tender_page, tender_document]
