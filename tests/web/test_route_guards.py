"""Generated from the route table: a guard replaced by "any logged-in person" does not go unnoticed.

test_route_table.py asks with another tenant's ids, which row-level security hides whatever the
guard does. These cases ask with the person's OWN ids instead: under another municipality's
(organisation's, region's) number in the path, where only the guard stands between the request and
the person's own rows (404); and by someone of the same municipality or organisation whose role may
not act (403 or 404). Neither may change anything.
"""

from __future__ import annotations

from typing import Any

import pytest

from services.access.rules import COUNCIL_ADMINS, MEMBER_ADMINS, ROLES
from services.grants.roles import APPLICANTS
from services.grants.roles import ASSESSORS as GRANT_ASSESSORS
from services.grants.roles import MANAGERS as GRANT_MANAGERS
from services.grants.roles import READERS as GRANT_READERS
from services.programmes.roles import EDITORS, PLAN_STEPPERS
from services.programmes.roles import MANAGERS as PROGRAMME_MANAGERS
from services.projects import documents as documents_service
from services.projects.roles import CREATORS, WRITERS
from services.tendering.roles import MANAGERS, OPENERS
from tenants.context import tenant_tx
from tests.web.auth.idp import Provider
from tests.web.browsing import in_municipality, new_person, open_site, post
from tests.web.grants import money_routes
from tests.web.tendering.tender_routes import _Org
from tests.web.tendering.tender_world import bid
from tests.web.test_route_table import (
    CROSS_TENANT,
    IN_ENGLISH,
    PDF,
    World,
    _fill,
    handlers,
    snapshot,
    world,  # noqa: F401 - the route table's two tenants, built again for this module
)
from web.app import create_app

# The path parameter that names the place a member acts in, first in the path, and who of A's
# people acts there.
PLACES = {
    "kommunenummer": "admin_a",
    "organisasjonsnummer": "org_admin_a",
    "region_slug": "council_a",
}
# Routes naming a place whose guard is not a membership of it: the platform operator acts on any.
NOT_A_MEMBERS_PLACE = {
    ("POST", "/operator/municipalities/{kommunenummer:str}/admin-invitations"),
    ("POST", "/operator/regions/{region_slug:str}/council-invitations"),
}


def _member_guard(handler) -> Any | None:
    """The route's membership guard (web.auth.guards._member), which names its place and roles."""
    declared = [g for layer in handler.ownership_layers for g in layer.guards or []]
    return next((g for g in declared if hasattr(g, "param")), None)


def _place_param(path: str) -> str | None:
    found = [(path.find("{" + p), p) for p in PLACES if "{" + p in path]
    return min(found)[1] if found else None


@pytest.fixture(scope="module")
def app(settings):
    return create_app(settings)


def placed_routes(app) -> dict[tuple[str, str], Any]:
    return {(m, p): h for m, p, h in handlers(app) if _place_param(p)}


def test_every_route_naming_a_place_is_guarded_by_a_membership_of_it(app):
    unguarded = {
        route
        for route, handler in placed_routes(app).items()
        if (guard := _member_guard(handler)) is None or guard.param != _place_param(route[1])
    }
    assert unguarded == NOT_A_MEMBERS_PLACE


@pytest.fixture(scope="module")
async def own(world: World, settings, database):  # noqa: F811 - the fixture imported above
    """A's own rows behind every id a path names, and A's people in every role."""
    org_a = _Org(world.org_a[0], world.org_a[1], world.people["org_admin_a"])
    world.extra["bid_org_a"] = await bid(settings, org_a, world.extra["tender_a"], "1000")
    plp_a = world.extra["plp_a"]
    async with tenant_tx(plp_a.scope()):
        document = await documents_service.add_document(
            content=PDF,
            name="a.pdf",
            claimed_type="application/pdf",
            project_id=plp_a.projects["industry"],
            actor_person_id=plp_a.owner.id,
        )
    world.extra["document_a"] = document.id
    seats = {f"a_{role}": in_municipality(world.a, role) for role in ROLES["municipality"]}
    seats |= {
        f"org_a_{role}": {"scope": "organisation", "role": role, "organisation_id": world.org_a[0]}
        for role in ROLES["organisation"]
    }
    seats |= {
        f"region_a_{role}": {"scope": "region", "role": role, "region_id": world.a.region_id}
        for role in ROLES["region"]
    }
    async with open_site(settings, database, Provider(settings)) as site:
        for key, seat in seats.items():
            world.people[key] = await new_person(settings, key, seat=seat)
            world.browsers[key] = await site.browser(world.people[key].pid)
        yield world


def own_ids(w: World, path: str) -> dict[str, Any]:
    """Every path parameter filled with A's own: its number, region, organisation and rows."""
    plp = w.extra["plp_a"]
    in_org = path.startswith("/o/")
    return {
        "kommunenummer": w.a.kommunenummer,
        "region_slug": w.a.region_slug,
        "organisasjonsnummer": w.org_a[1],
        "tender_id": w.extra["tender_a"],
        "bid_id": w.extra["bid_org_a"],
        "programme_id": plp.programme_id,
        "project_id": plp.projects["industry"],
        "kpi_id": w.extra["kpi_a"],
        "document_id": w.extra[
            "assessment_document_a" if "/assessments/" in path else "document_a"
        ],
        "plan_id": w.extra["plan_a"],
        "application_id": w.extra[
            "grant_tilsegn_a"
            if money_routes.money_path(path)
            else "grant_decided_a"
            if "/letters/" in path
            else "grant_with_file_a"
            if "/attachments/" in path
            else "grant_application_a"
        ],
        "payment_id": w.extra["grant_payment_a"],
        "meeting_id": w.extra["grant_meeting_a"],
        "letter_id": w.extra["grant_letter_a"],
        "attachment_id": w.extra[
            "grant_payment_attachment_a" if "/payments/" in path else "grant_attachment_a"
        ],
        "call_id": w.extra["grant_call_a"],
        "fund_id": w.extra["grant_fund_a"],
        "report_id": w.extra["grant_report_a"] if money_routes.report_path(path) else 1,
        "assessment_id": w.extra["assessment_a"],
        "membership_id": w.people["org_a_member" if in_org else "a_viewer"].memberships["seat"],
        "phase": "forstudie",
        "table": "municipalities" if path.startswith("/r/") else "money",
    }


OTHERS = {
    "kommunenummer": lambda w: w.b.kommunenummer,
    "organisasjonsnummer": lambda w: w.org_b[1],
    "region_slug": lambda w: w.b.region_slug,
}


def _data(route: tuple[str, str]) -> dict[str, str]:
    """A form the route would take: the one its cross-tenant cases send."""
    return next((ask.data for ask in CROSS_TENANT.get(route, []) if ask.data), {})


async def _ask(w: World, who: str, route: tuple[str, str], values: dict[str, Any]):
    method, path = route
    client = w.browsers[who]
    url = _fill(path, values)
    if method == "GET":
        return url, await client.get(url, headers=IN_ENGLISH)
    return url, await post(client, url, _data(route), headers=IN_ENGLISH)


ROUTES = sorted(
    route for route in CROSS_TENANT if _place_param(route[1]) and route not in NOT_A_MEMBERS_PLACE
)


@pytest.mark.parametrize("route", ROUTES, ids=" ".join)
async def test_own_ids_under_another_place_get_404_and_change_nothing(own, route):
    method, path = route
    place = _place_param(path)
    who = PLACES[place]
    values = own_ids(own, path)
    if method == "GET":
        # The same ids under the person's own place are really theirs: the page is there.
        url, mine = await _ask(own, who, route, values)
        assert mine.status_code < 400 or route in NOT_THERE_FOR_THEIR_OWN, (url, mine.status_code)
    before = await snapshot(own)
    url, answer = await _ask(own, who, route, values | {place: OTHERS[place](own)})
    assert answer.status_code == 404, (url, answer.status_code, answer.text[:500])
    assert await snapshot(own) == before, f"{url}: something changed"


# GET routes whose page is not there even for A's own ids, for a reason of their own.
NOT_THERE_FOR_THEIR_OWN = {
    # the council sees regional projects only; A's project is its own
    ("GET", "/r/{region_slug:str}/projects/{project_id:int}"),
    # A's tender is published: its draft editor answers that a published tender is not edited
    ("GET", "/k/{kommunenummer:str}/tenders/{tender_id:int}/edit"),
}


# Every route whose guard asks for roles, and the roles: written down here rather than read from
# the guard, so a guard widened to "any member" (or "anyone logged in") is noticed, not followed.
K, ORG = "/k/{kommunenummer:str}", "/o/{organisasjonsnummer:str}"
TENDER = K + "/tenders/{tender_id:int}"
BID = TENDER + "/bids/{bid_id:int}"
KPI = K + "/programmes/{programme_id:int}/kpis/{kpi_id:int}"
PROJECT = K + "/projects/{project_id:int}"
PROGRAMME = K + "/programmes/{programme_id:int}"
ROLES_ASKED: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("GET", K + "/members"): ("municipality", MEMBER_ADMINS),
    ("POST", K + "/members/invitations"): ("municipality", MEMBER_ADMINS),
    ("POST", K + "/members/{membership_id:int}/remove"): ("municipality", MEMBER_ADMINS),
    ("GET", ORG + "/members"): ("organisation", MEMBER_ADMINS),
    ("POST", ORG + "/members/invitations"): ("organisation", MEMBER_ADMINS),
    ("POST", ORG + "/members/{membership_id:int}/remove"): ("organisation", MEMBER_ADMINS),
    ("POST", KPI + "/measurements"): ("municipality", EDITORS),
    ("POST", KPI + "/targets"): ("municipality", EDITORS),
    ("POST", PROJECT + "/status-reports"): ("municipality", WRITERS),
    ("POST", PROJECT + "/documents"): ("municipality", WRITERS),
    ("GET", K + "/tenders/new"): ("municipality", MANAGERS),
    ("GET", K + "/tenders/new/weights"): ("municipality", MANAGERS),
    ("POST", K + "/tenders"): ("municipality", MANAGERS),
    ("POST", TENDER + "/publish"): ("municipality", MANAGERS),
    ("POST", TENDER + "/documents"): ("municipality", MANAGERS),
    ("POST", TENDER + "/answers"): ("municipality", MANAGERS),
    ("POST", TENDER + "/cancel"): ("municipality", MANAGERS),
    ("POST", TENDER + "/award"): ("municipality", MANAGERS),
    ("POST", TENDER + "/contract"): ("municipality", MANAGERS),
    ("POST", TENDER + "/opening"): ("municipality", OPENERS),
    ("POST", TENDER + "/evaluation/declaration"): ("municipality", OPENERS),
    ("POST", TENDER + "/evaluation/complete"): ("municipality", OPENERS),
    ("POST", BID + "/qualification"): ("municipality", OPENERS),
    ("POST", BID + "/scores"): ("municipality", OPENERS),
    ("GET", K + "/projects/new"): ("municipality", CREATORS),
    ("POST", K + "/projects"): ("municipality", CREATORS),
    ("GET", K + "/programmes/new"): ("municipality", PROGRAMME_MANAGERS),
    ("POST", K + "/programmes"): ("municipality", PROGRAMME_MANAGERS),
    **{
        ("POST", PROGRAMME + tail): ("municipality", PROGRAMME_MANAGERS)
        for tail in (
            "/assessments",
            "/board",
            "/funding",
            "/kpis",
            "/kpis/{kpi_id:int}/baseline",
            "/members",
            "/plans",
            "/stage",
            "/strategy",
        )
    },
    ("GET", PROGRAMME + "/strategy/sum"): ("municipality", PROGRAMME_MANAGERS),
    ("POST", PROGRAMME + "/plans/{plan_id:int}/state"): ("municipality", PLAN_STEPPERS),
    ("GET", TENDER + "/edit"): ("municipality", MANAGERS),
    ("POST", TENDER + "/edit"): ("municipality", MANAGERS),
    ("POST", TENDER + "/complete"): ("municipality", MANAGERS),
    ("GET", K + "/grants"): ("municipality", GRANT_READERS),
    ("GET", K + "/grants/applications/{application_id:int}"): ("municipality", GRANT_READERS),
    ("POST", K + "/grants/funds"): ("municipality", GRANT_MANAGERS),
    ("POST", K + "/grants/calls"): ("municipality", GRANT_MANAGERS),
    ("POST", K + "/grants/applications/{application_id:int}/assessment"): (
        "municipality",
        GRANT_ASSESSORS,
    ),
    ("POST", K + "/grants/applications/{application_id:int}/decision"): (
        "municipality",
        GRANT_ASSESSORS,
    ),
    ("POST", K + "/grants/applications/{application_id:int}/recommendation"): (
        "municipality",
        GRANT_ASSESSORS,
    ),
    ("POST", K + "/grants/applications/{application_id:int}/habilitet"): (
        "municipality",
        GRANT_ASSESSORS,
    ),
    ("GET", K + "/grants/applications/{application_id:int}/letters/{letter_id:int}"): (
        "municipality",
        GRANT_READERS,
    ),
    ("GET", K + "/grants/applications/{application_id:int}/attachments/{attachment_id:int}"): (
        "municipality",
        GRANT_READERS,
    ),
    ("GET", K + "/grants/calls/{call_id:int}/ranking"): ("municipality", GRANT_READERS),
    ("POST", K + "/grants/calls/{call_id:int}/ranking"): ("municipality", GRANT_ASSESSORS),
    ("GET", K + "/grants/meetings"): ("municipality", GRANT_READERS),
    ("POST", K + "/grants/meetings"): ("municipality", GRANT_ASSESSORS),
    ("GET", K + "/grants/meetings/{meeting_id:int}"): ("municipality", GRANT_READERS),
    **{
        ("POST", K + "/grants/meetings/{meeting_id:int}" + tail): (
            "municipality",
            GRANT_ASSESSORS,
        )
        for tail in ("/attendance", "/agenda", "/cases/{application_id:int}")
    },
    ("POST", K + "/grants/meetings/funds/{fund_id:int}/members"): (
        "municipality",
        GRANT_MANAGERS,
    ),
    ("POST", K + "/grants/meetings/funds/{fund_id:int}/meetings"): (
        "municipality",
        GRANT_ASSESSORS,
    ),
    ("POST", ORG + "/grants/applications/{application_id:int}/attachments"): (
        "organisation",
        APPLICANTS,
    ),
    (
        "POST",
        ORG + "/grants/applications/{application_id:int}/attachments/{attachment_id:int}/remove",
    ): (
        "organisation",
        APPLICANTS,
    ),
    ("POST", ORG + "/grants/applications/{application_id:int}/appeal"): (
        "organisation",
        APPLICANTS,
    ),
    ("POST", ORG + "/grants/calls/{call_id:int}/applications"): ("organisation", APPLICANTS),
    ("POST", ORG + "/grants/applications/{application_id:int}"): ("organisation", APPLICANTS),
    ("POST", ORG + "/grants/applications/{application_id:int}/submit"): (
        "organisation",
        APPLICANTS,
    ),
    ("POST", "/r/{region_slug:str}/council-invitations"): ("region", COUNCIL_ADMINS),
    # A tilsegn's money (issue 12, items 5-9)
    ("GET", K + "/grants/payments"): ("municipality", GRANT_READERS),
    ("GET", K + "/grants/statistics"): ("municipality", GRANT_READERS),
    ("GET", K + "/grants/payments/{payment_id:int}/attachments/{attachment_id:int}"): (
        "municipality",
        GRANT_READERS,
    ),
    ("POST", K + "/grants/payments/{payment_id:int}/decision"): (
        "municipality",
        GRANT_ASSESSORS,
    ),
    ("GET", K + "/grants/applications/{application_id:int}/money"): (
        "municipality",
        GRANT_READERS,
    ),
    ("POST", K + "/grants/applications/{application_id:int}/clawbacks"): (
        "municipality",
        GRANT_ASSESSORS,
    ),
    ("POST", K + "/grants/reports/{report_id:int}/approval"): ("municipality", GRANT_ASSESSORS),
    ("POST", K + "/grants/applications/{application_id:int}/tilsegn/cancellation"): (
        "municipality",
        GRANT_ASSESSORS,
    ),
    ("POST", ORG + "/grants/applications/{application_id:int}/tilsegn/withdrawal"): (
        "organisation",
        APPLICANTS,
    ),
    ("POST", ORG + "/grants/applications/{application_id:int}/payments"): (
        "organisation",
        APPLICANTS,
    ),
    ("POST", ORG + "/grants/applications/{application_id:int}/reports"): (
        "organisation",
        APPLICANTS,
    ),
}


def test_the_roles_each_guard_asks_for_are_the_ones_written_down(app):
    asked = {}
    for route, handler in placed_routes(app).items():
        guard = _member_guard(handler)
        if guard is not None and guard.roles:
            asked[route] = (guard.scope, guard.roles)
    assert asked == ROLES_ASKED


def _role_cases() -> list[tuple[tuple[str, str], str]]:
    cases = []
    for route, (scope, allowed) in sorted(ROLES_ASKED.items()):
        prefix = {"municipality": "a_", "organisation": "org_a_", "region": "region_a_"}[scope]
        cases += [(route, prefix + role) for role in ROLES[scope] if role not in allowed]
    return cases


def _role_case_id(case) -> str:
    (method, path), who = case
    return f"{method} {path} as {who}"


@pytest.mark.parametrize("case", _role_cases(), ids=_role_case_id)
async def test_a_role_that_may_not_act_gets_403_or_404_and_changes_nothing(own, case):
    route, who = case
    before = await snapshot(own)
    url, answer = await _ask(own, who, route, own_ids(own, route[1]))
    assert answer.status_code in (403, 404), (url, answer.status_code, answer.text[:500])
    assert await snapshot(own) == before, f"{url}: something changed"
