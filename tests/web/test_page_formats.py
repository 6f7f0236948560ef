"""Every page of the route table, as the demo's people reach it, read in bokmål, nynorsk and English:
no "None", no ISO timestamp, no number over 9 999 without its groups, no English left on a
Norwegian page (tests/web/format_faults.py says what a person must not read).

The pages are found as a person finds them: each demo person (and an anonymous visitor) starts at
their home and follows the links, a few pages of each route; a route no one reaches is named
below with the reason, so a new page is either visited or explained.

The walk reads a database of its own, fresh, with the demo and what the walk itself makes:
the suite's run database holds whatever other tests typed (tests/web/test_hostile_forms.py
titles tenders "0001-01-01" and "10000000000000"), and the walk's verdict must not depend on
which tests ran before it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from html import unescape

import httpx
import pytest

from services.demo.data import PERSONS
from services.demo.seed import load_demo
from services.tendering import service as tendering
from services.tendering.sealing import SEALING_KEY_PURPOSE
from tenants.context import tenant_tx
from tests.web.auth.idp import Provider
from tests.web.browsing import (
    HTML,
    JAR_DOMAIN,
    in_municipality,
    new_person,
    new_tenant,
    open_site,
    random_pid,
)
from tests.web.format_faults import faults
from tests.web.grants.grant_routes import BoardWorld
from tests.web.tendering.tender_world import (
    awarded_tender,
    bid,
    evaluated_tender,
    new_business,
    new_buyer,
    new_tender,
    opened_tender,
)
from tests.web.test_route_table import _invitation_into, handlers
from web.app import create_app
from web.i18n import COOKIE, LANGUAGES, gettext

# Routes that answer no page of their own, each with why.
NOT_PAGES = {
    "/api/v1/tenders": "JSON for machines",
    "/api/v1/tenders/{tender_id:int}/ocds": "JSON for machines",
    "/auth/callback": "a redirect at the end of a login",
    "/auth/frontchannel-logout": "ID-porten's logout call, no page",
    "/auth/login": "a redirect to ID-porten",
    "/health/live": "a probe",
    "/health/ready": "a probe",
    "/metrics": "Prometheus text",
    "/language/{lang:str}": "a redirect back to the page",
    "/tenders/{tender_id:int}/bid": "a redirect to the tender under the person's organisation",
    "/tenders/{tender_id:int}/ocds.json": "JSON for machines",
    "/schema": "Litestar's own viewer of the API's description",
    "/schema/openapi.json": "JSON for machines",
    "/schema/{path:str}": "the API's description in other forms",
    "/k/{kommunenummer:str}/projects.csv": "a download",
    "/k/{kommunenummer:str}/projects.xlsx": "a download",
    "/k/{kommunenummer:str}/dashboard/export/{table:str}": "a download",
    "/r/{region_slug:str}/dashboard/export/{table:str}": "a download",
    "/k/{kommunenummer:str}/tenders/{tender_id:int}/protocol.pdf": "a PDF (tested on its own)",
    "/k/{kommunenummer:str}/grants/payments/{payment_id:int}/attachments/{attachment_id:int}": "a file",
    "/o/{organisasjonsnummer:str}/bids/{bid_id:int}/receipt.pdf": "a PDF (tested on its own)",
    "/k/{kommunenummer:str}/projects/{project_id:int}/documents/{document_id:int}": "a file",
    "/tenders/{tender_id:int}/documents/{document_id:int}": "a file",
    "/k/{kommunenummer:str}/grants/applications/{application_id:int}/attachments"
    "/{attachment_id:int}": "a file",
    "/o/{organisasjonsnummer:str}/grants/applications/{application_id:int}/attachments"
    "/{attachment_id:int}": "a file",
    "/k/{kommunenummer:str}/grants/applications/{application_id:int}/letters/{letter_id:int}": (
        "a PDF letter"
    ),
    "/o/{organisasjonsnummer:str}/grants/applications/{application_id:int}/letters"
    "/{letter_id:int}": "a PDF letter",
    "/k/{kommunenummer:str}/programmes/{programme_id:int}/assessments/{assessment_id:int}"
    "/documents/{document_id:int}": "a file",
    # htmx fragments that follow a person's typing; their pages are visited
    "/k/{kommunenummer:str}/projects/new/shares": "a fragment of the new-project page",
    "/k/{kommunenummer:str}/tenders/new/weights": "a fragment of the new-tender page",
    "/k/{kommunenummer:str}/programmes/{programme_id:int}/strategy/sum": "a fragment of set-up",
}
PER_ROUTE = 5  # pages of one route a person reads (three tenders, not all of them)
PER_PERSON = 80
SKIP = re.compile(r"^/(static|auth|language|api|health|metrics)(/|$)")
HREF = re.compile(r'href="([^"]+)"')


@dataclass(frozen=True)
class Visit:
    who: str
    url: str
    route: str
    asked: str = ""  # the route first asked for, when it led (redirected) to this one


def _route_matcher(app) -> list[tuple[re.Pattern, str]]:
    found = []
    for method, path, _ in handlers(app):
        if method != "GET":
            continue
        pattern = re.sub(r"\\\{(\w+):int\\\}", r"\\d+", re.escape(path))
        pattern = re.sub(r"\\\{(\w+):str\\\}", r"[^/]+", pattern)
        found.append((re.compile(pattern + "$"), path))
    # The most literal route first: /projects/new before /projects/{project_id:int}.
    return sorted(found, key=lambda p: (p[1].count("{"), -len(p[1])))


def _route_of(matchers, url: str) -> str | None:
    path = url.split("?")[0]
    return next((route for pattern, route in matchers if pattern.match(path)), None)


def _links(html: str) -> list[str]:
    found = []
    for href in HREF.findall(html):
        href = unescape(href).split("#")[0]
        if href.startswith("/") and not href.startswith("//") and not SKIP.match(href):
            found.append(href)
    return found


async def _get(client: httpx.AsyncClient, url: str, lang: str) -> httpx.Response:
    client.cookies.set(COOKIE, lang, domain=JAR_DOMAIN)
    response = await client.get(url, headers=HTML)
    for _ in range(3):
        if response.status_code not in (302, 303) or not response.headers["location"].startswith(
            "/"
        ):
            break
        response = await client.get(response.headers["location"], headers=HTML)
    return response


async def _crawl(who: str, client: httpx.AsyncClient, matchers, *start: str) -> list[Visit]:
    seen: set[str] = set()
    per_route: dict[str, int] = defaultdict(int)
    queue, visits = list(start), []
    while queue and len(visits) < PER_PERSON:
        url = queue.pop(0)
        route = _route_of(matchers, url)
        if url in seen or route is None or route in NOT_PAGES or per_route[route] >= PER_ROUTE:
            continue
        seen.add(url)
        response = await _get(client, url, "nb")
        if response.status_code != 200 or "text/html" not in response.headers["content-type"]:
            continue
        per_route[route] += 1
        final = response.url.raw_path.decode()
        visits.append(Visit(who, final, _route_of(matchers, final) or route, route))
        queue.extend(link for link in _links(response.text) if link not in seen)
    return visits


@pytest.fixture(scope="module")
async def walked(own_database, demo):
    """The walk's own database: migrated, the demo loaded, nothing any other test typed. (The
    run's demo is loaded first: while the walk's database is open, the tables point at it.)"""
    async with own_database("formats") as (settings, database):
        await load_demo(settings.derived_key("pid"), settings.derived_key(SEALING_KEY_PURPOSE))
        yield settings, database


@pytest.fixture(scope="module")
async def site(walked):
    settings, database = walked
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


@pytest.fixture(scope="module")
async def tour(site, walked) -> tuple[dict[str, httpx.AsyncClient], list[Visit]]:
    """Each demo person's pages, an anonymous visitor's, and the pages only a newcomer sees."""
    settings, _ = walked
    matchers = _route_matcher(create_app(settings))
    browsers: dict[str, httpx.AsyncClient] = {"anonymous": await site.browser()}
    visits = await _crawl("anonymous", browsers["anonymous"], matchers, "/")
    for person in PERSONS:
        browsers[person.name] = await site.browser(person.pid)
        visits += await _crawl(person.name, browsers[person.name], matchers, "/home", "/me")
    # The demo's tenders are one open and one awarded; a buyer of our own shows the other states.
    buyer, business = await new_buyer(settings), await new_business(settings)
    draft = await new_tender(buyer, publish=False, title="Utkast til konkurranse")
    async with tenant_tx(buyer.scope()):  # a document of 12 kB: its size is read, not counted
        await tendering.add_document(
            draft,
            actor_person_id=buyer.officer.id,
            name="konkurransegrunnlag.pdf",
            media_type="application/pdf",
            content=b"%PDF-1.4\n" + b"0" * 12_345 + b"\n%%EOF\n",
        )
    await bid(settings, business, await new_tender(buyer, value=2_400_000), "1234567")
    await opened_tender(settings, buyer)
    await evaluated_tender(settings, buyer)
    await awarded_tender(settings, buyer)
    for who, person in (("buyer", buyer.officer), ("bidder", business.admin)):
        browsers[who] = await site.browser(person.pid)
        visits += await _crawl(who, browsers[who], matchers, "/home", "/tenders")
    # A grant fund's board with a meeting, and the business whose application it has.
    board = await BoardWorld().build(site, settings, meeting=True)
    browsers["board"] = board.client
    visits += await _crawl("board", board.client, matchers, board.base, "/home")
    browsers["applicant"] = await site.browser(board.applicant[2].pid)
    visits += await _crawl("applicant", browsers["applicant"], matchers, "/home")
    # Someone ID-porten knows and Samspel does not: the first-login form.
    browsers["newcomer"] = await site.browser(random_pid())
    visits.append(Visit("newcomer", "/welcome", "/welcome"))
    # An invitation's link, opened by the person it was meant for.
    tenant = await new_tenant("Inviterande kommune")
    admin = await new_person(settings, "Admin", seat=in_municipality(tenant, "admin"))
    invitee = await new_person(settings, "Invitert Person")
    token = await _invitation_into(tenant, admin, "viewer", invitee.email)
    browsers["invitee"] = await site.browser(invitee.pid)
    visits.append(Visit("invitee", f"/invitations/{token}", "/invitations/{token:str}"))
    return browsers, visits


def test_every_page_of_the_route_table_is_visited_or_explained(tour, settings):
    _, visits = tour
    pages = {path for method, path, _ in handlers(create_app(settings)) if method == "GET"}
    visited = {visit.route for visit in visits} | {visit.asked for visit in visits}
    assert set(NOT_PAGES) <= pages, f"stale: {set(NOT_PAGES) - pages}"
    nobody = sorted(pages - set(NOT_PAGES) - visited)
    assert nobody == [], "pages nobody reached:\n" + "\n".join(nobody)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_no_page_shows_none_iso_times_ungrouped_numbers_or_english_left(tour, lang):
    browsers, visits = tour
    found: dict[str, list[str]] = {}
    for visit in visits:
        response = await _get(browsers[visit.who], visit.url, lang)
        assert response.status_code == 200, (visit, response.status_code)
        if problems := faults(response.text, lang):
            found[f"{visit.who} {visit.url}"] = sorted(set(problems))
    if found:
        pytest.fail("\n".join(f"{page}: {problems}" for page, problems in found.items()))


@pytest.mark.parametrize(
    "asks,lang",
    [({"cookie": f"{COOKIE}=nn"}, "nn"), ({"accept-language": "en"}, "en"), ({}, "nb")],
)
async def test_an_address_that_is_not_there_answers_in_the_readers_language(client, asks, lang):
    """No route matched, so no middleware ran: the 404 page still finds the reader's language."""
    response = await client.get("/no/such/page", headers={**HTML, **asks})
    assert response.status_code == 404
    assert f'<html lang="{lang}"' in response.text
    assert gettext(lang, "There is nothing here.") in response.text
