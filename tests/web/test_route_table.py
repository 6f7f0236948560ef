"""Generated from the app's own route table: every route declares its guard, every unsafe method
needs the CSRF token, and no route with an id in its path lets one tenant reach another's.

Each table below must name every route of its kind: a new route without a case fails here.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import redis.asyncio as redis
from litestar import get

from services.access import service as access
from services.demo.data import PERSONS
from services.programmes import service as programmes_service
from services.projects import documents as documents_service
from services.projects import service as projects_service
from services.tenancy import service as tenancy_service
from tenants.context import Scope, tenant_tx
from tenants.identity import pid_hash
from tests.web.auth.idp import Provider
from tests.web.browsing import (
    HTML,
    Person,
    Site,
    Tenant,
    ensure_csrf,
    free_kommunenummer,
    in_municipality,
    new_organisation,
    new_person,
    new_tenant,
    open_site,
    operator_rows,
    post,
    random_organisasjonsnummer,
    random_pid,
    random_slug,
    session_cookie,
    text_of,
)
from tests.web.dashboards import dashboard_routes
from tests.web.grants import grant_routes, money_routes
from tests.web.programmes import programme_routes
from tests.web.projects import council_routes
from tests.web.projects.plp_pages import new_plp
from tests.web.tendering import tender_routes
from web.app import create_app

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
OPERATOR_PID = next(p.pid for p in PERSONS if p.name == "Henrik Solberg")


def _qualname(handler) -> str:
    return f"{handler.fn.__module__}.{handler.fn.__qualname__}"


# Routes Litestar adds or serves on its own; none of them reads or writes anything of a tenant.
EXEMPT = {
    # the answer to a CORS preflight, added to every path
    "litestar.routes.http.HTTPRoute.create_options_handler.<locals>.options_handler",
    # our CSS and JS, the same for everyone (web/assets.py, mounted at /static)
    "web.app.static_route.<locals>.static",
}


@pytest.fixture(scope="module")
def app(settings):
    return create_app(settings)


def handlers(app) -> list[tuple[str, str, Any]]:
    """(method, path, handler) for every route of the app, Litestar's own ones left out."""
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", None) or [route.route_handler]:
            if _qualname(handler) in EXEMPT:
                continue
            for method in sorted(handler.http_methods):
                found.append((method, route.path, handler))
    return found


# --- a. every route declares its guard -----------------------------------------------------------


def undeclared(app) -> list[str]:
    return [
        f"{method} {path}"
        for method, path, handler in handlers(app)
        if not handler.resolve_guards() and handler.opt.get("public") is not True
    ]


def test_every_route_has_guards_or_is_declared_public(app):
    assert undeclared(app) == [], "routes with neither guards nor opt=PUBLIC"


def test_every_exemption_still_names_a_route(app):
    present = {
        _qualname(h)
        for route in app.routes
        for h in getattr(route, "route_handlers", None) or [route.route_handler]
    }
    assert EXEMPT <= present, f"stale exemptions: {EXEMPT - present}"


def test_a_route_without_a_guard_or_public_opt_is_caught(settings):
    """The check above really looks: a route that forgot its guard is found."""

    @get("/forgotten")
    async def forgotten() -> str:
        return "anyone"

    app = create_app(settings)
    app.register(forgotten)
    assert undeclared(app) == ["GET /forgotten"]


# --- b. CSRF on every unsafe method --------------------------------------------------------------


@dataclass
class Attempt:
    """A request the browser's person may make, and a look at what it would change."""

    client: httpx.AsyncClient
    path: str
    data: dict[str, str]
    probe: Callable[[], Awaitable[Any]]
    files: dict | None = None  # for a multipart form (an upload)


@dataclass
class Ctx:
    site: Site
    settings: Any
    redis: redis.Redis


async def _fresh_admin(ctx: Ctx) -> tuple[Tenant, Person, httpx.AsyncClient]:
    tenant = await new_tenant()
    admin = await new_person(ctx.settings, "Admin", seat=in_municipality(tenant, "admin"))
    return tenant, admin, await ctx.site.browser(admin.pid)


async def _invitation_count(municipality_id: int) -> int:
    rows = await operator_rows(
        "select count(*) as n from invitation where municipality_id = $1", municipality_id
    )
    return rows[0]["n"]


async def _csrf_register(ctx: Ctx) -> Attempt:
    pid = random_pid()
    client = await ctx.site.browser(pid)  # unknown: the session waits for the first-login form
    hashed = pid_hash(ctx.settings.derived_key("pid"), pid)

    async def probe():
        return await operator_rows("select id from person where pid_hash = $1", hashed)

    data = {"name": "Ny Person", "email": f"{pid}@test.example", "next": "/"}
    return Attempt(client, "/welcome", data, probe)


async def _csrf_logout(ctx: Ctx) -> Attempt:
    person = await new_person(ctx.settings)
    client = await ctx.site.browser(person.pid)
    key = "samspel:session:" + hashlib.sha256(session_cookie(client).encode()).hexdigest()

    async def probe():
        return await ctx.redis.exists(key)

    return Attempt(client, "/auth/logout", {}, probe)


async def _csrf_switch(ctx: Ctx) -> Attempt:
    first, second = await new_tenant(), await new_tenant()
    person = await new_person(
        ctx.settings,
        one=in_municipality(first, "case_officer"),
        two=in_municipality(second, "case_officer"),
    )
    client = await ctx.site.browser(person.pid)
    active = (await client.get("/home")).headers["location"]
    other = "two" if active == f"/k/{first.kommunenummer}" else "one"

    async def probe():
        return (await client.get("/home")).headers["location"]

    return Attempt(client, "/me/active", {"membership": str(person.memberships[other])}, probe)


async def _csrf_accept(ctx: Ctx) -> Attempt:
    tenant = await new_tenant()
    admin = await new_person(ctx.settings, "Admin", seat=in_municipality(tenant, "admin"))
    async with tenant_tx(Scope(tenant_id=tenant.id, person_id=admin.id)):
        token = await access.invite(
            scope="municipality",
            role="viewer",
            email="invitee@test.example",
            invited_by=admin.id,
            municipality_id=tenant.id,
        )
    invitee = await new_person(ctx.settings, "Invitee")
    client = await ctx.site.browser(invitee.pid)

    async def probe():
        return await operator_rows("select id from membership where person_id = $1", invitee.id)

    return Attempt(client, f"/invitations/{token}", {}, probe)


async def _csrf_register_organisation(ctx: Ctx) -> Attempt:
    person = await new_person(ctx.settings)
    client = await ctx.site.browser(person.pid)
    nr = random_organisasjonsnummer()

    async def probe():
        return await operator_rows("select id from organisation where organisasjonsnummer = $1", nr)

    return Attempt(client, "/organisations", {"organisasjonsnummer": nr, "name": "CSRF AS"}, probe)


async def _csrf_invite(ctx: Ctx) -> Attempt:
    tenant, _, client = await _fresh_admin(ctx)
    return Attempt(
        client,
        f"/k/{tenant.kommunenummer}/members/invitations",
        {"email": "someone@test.example", "role": "viewer"},
        lambda: _invitation_count(tenant.id),
    )


async def _csrf_remove(ctx: Ctx) -> Attempt:
    tenant, _, client = await _fresh_admin(ctx)
    member = await new_person(ctx.settings, "Member", seat=in_municipality(tenant, "viewer"))
    seat = member.memberships["seat"]

    async def probe():
        return await operator_rows("select id from membership where id = $1", seat)

    return Attempt(client, f"/k/{tenant.kommunenummer}/members/{seat}/remove", {}, probe)


async def _fresh_org_admin(ctx: Ctx) -> tuple[int, str, httpx.AsyncClient]:
    org_id, nr = await new_organisation("CSRF AS")
    seat = {"scope": "organisation", "role": "admin", "organisation_id": org_id}
    admin = await new_person(ctx.settings, "Org admin", seat=seat)
    return org_id, nr, await ctx.site.browser(admin.pid)


async def _csrf_org_invite(ctx: Ctx) -> Attempt:
    org_id, nr, client = await _fresh_org_admin(ctx)

    async def probe():
        return await operator_rows("select id from invitation where organisation_id = $1", org_id)

    data = {"email": "colleague@test.example", "role": "member"}
    return Attempt(client, f"/o/{nr}/members/invitations", data, probe)


async def _csrf_org_remove(ctx: Ctx) -> Attempt:
    org_id, nr, client = await _fresh_org_admin(ctx)
    seat = {"scope": "organisation", "role": "member", "organisation_id": org_id}
    member = await new_person(ctx.settings, "Org member", seat=seat)
    seat_id = member.memberships["seat"]

    async def probe():
        return await operator_rows("select id from membership where id = $1", seat_id)

    return Attempt(client, f"/o/{nr}/members/{seat_id}/remove", {}, probe)


async def _csrf_create_region(ctx: Ctx) -> Attempt:
    client = await ctx.site.browser(OPERATOR_PID)
    slug = random_slug()

    async def probe():
        return await operator_rows("select id from region where slug = $1", slug)

    return Attempt(client, "/operator/regions", {"slug": slug, "name": "CSRF-regionen"}, probe)


async def _csrf_create_municipality(ctx: Ctx) -> Attempt:
    region = await new_tenant()
    client = await ctx.site.browser(OPERATOR_PID)
    nr = await free_kommunenummer()

    async def probe():
        return await operator_rows("select id from municipality where kommunenummer = $1", nr)

    data = {"kommunenummer": nr, "name": "CSRF", "maalform": "nb", "region": region.region_slug}
    return Attempt(client, "/operator/municipalities", data, probe)


async def _csrf_invite_admin(ctx: Ctx) -> Attempt:
    tenant = await new_tenant()
    client = await ctx.site.browser(OPERATOR_PID)
    return Attempt(
        client,
        f"/operator/municipalities/{tenant.kommunenummer}/admin-invitations",
        {"email": "first.admin@test.example"},
        lambda: _invitation_count(tenant.id),
    )


CSRF_CASES: dict[tuple[str, str], Callable[[Ctx], Awaitable[Attempt]]] = {
    ("POST", "/welcome"): _csrf_register,
    ("POST", "/auth/logout"): _csrf_logout,
    ("POST", "/me/active"): _csrf_switch,
    ("POST", "/invitations/{token:str}"): _csrf_accept,
    ("POST", "/organisations"): _csrf_register_organisation,
    ("POST", "/k/{kommunenummer:str}/members/invitations"): _csrf_invite,
    ("POST", "/k/{kommunenummer:str}/members/{membership_id:int}/remove"): _csrf_remove,
    ("POST", "/o/{organisasjonsnummer:str}/members/invitations"): _csrf_org_invite,
    ("POST", "/o/{organisasjonsnummer:str}/members/{membership_id:int}/remove"): _csrf_org_remove,
    ("POST", "/operator/regions"): _csrf_create_region,
    ("POST", "/operator/municipalities"): _csrf_create_municipality,
    (
        "POST",
        "/operator/municipalities/{kommunenummer:str}/admin-invitations",
    ): _csrf_invite_admin,
}


# Programmes and projects (issue 4): each attempt gets a fresh municipality with its programme.
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


async def _plp_attempt(
    ctx: Ctx, path: str, data: dict, read, *, files=None, project="industry", prepare=None
) -> Attempt:
    plp = await new_plp(ctx.settings)
    if prepare is not None:  # it makes what the attempt needs, and may add to its form
        data = {**data, **(await prepare(plp) or {})}
    client = await ctx.site.browser(plp.owner.pid)

    async def probe():
        async with tenant_tx(plp.scope()):
            return await read(plp)

    async with tenant_tx(plp.scope()):
        kpi = await programmes_service.kpi_id_by_code(plp.programme_id, "new_jobs")
    filled = path.format(
        nr=plp.tenant.kommunenummer,
        programme=plp.programme_id,
        project=plp.projects[project],
        kpi=kpi,
    )
    return Attempt(client, filled, data, probe, files)


async def _kpi_view(plp) -> Any:
    overview = await programmes_service.programme_overview(plp.programme_id)
    return [(k.targets, k.latest_value) for k in overview.kpis]


async def _project_view(plp) -> Any:
    detail = await projects_service.get_project(plp.projects["industry"])
    return (detail.summary, len(detail.status_reports), len(detail.documents))


async def _csrf_kpi_measurement(ctx: Ctx) -> Attempt:
    data = {"measured_on": "2026-03-31", "value": "4", "source": "CSRF"}
    path = "/k/{nr}/programmes/{programme}/kpis/{kpi}/measurements"
    return await _plp_attempt(ctx, path, data, _kpi_view)


async def _csrf_kpi_target(ctx: Ctx) -> Attempt:
    path = "/k/{nr}/programmes/{programme}/kpis/{kpi}/targets"
    return await _plp_attempt(ctx, path, {"year": "2026", "target": "12"}, _kpi_view)


async def _csrf_decision(ctx: Ctx) -> Attempt:
    data = {"outcome": "go", "basis": "CSRF", "decided_on": "2026-01-10", "approved_budget": "1"}
    return await _plp_attempt(ctx, "/k/{nr}/projects/{project}/decision", data, _project_view)


async def _csrf_status_report(ctx: Ctx) -> Attempt:
    data = {
        "period_start": "2026-01-01",
        "period_end": "2026-01-31",
        "progress": "CSRF",
        "spent": "1",
        "planned": "1",
    }
    return await _plp_attempt(ctx, "/k/{nr}/projects/{project}/status-reports", data, _project_view)


async def _csrf_upload(ctx: Ctx) -> Attempt:
    files = {"file": ("csrf.pdf", PDF, "application/pdf")}
    return await _plp_attempt(
        ctx, "/k/{nr}/projects/{project}/documents", {}, _project_view, files=files
    )


async def _every_project(plp) -> Any:
    return [
        await projects_service.get_project(p.id) for p in await projects_service.list_projects()
    ]


async def _csrf_new_project(ctx: Ctx) -> Attempt:
    data = {
        "title": "CSRF",
        "phase": "forstudie",
        "budget": "1",
        "decided_on": "2026-01-01",
        "owner_name": "Kommunestyret",
    }
    return await _plp_attempt(ctx, "/k/{nr}/projects", data, _every_project)


def _csrf_step(step: str, data: dict, project: str = "industry", prepare=None):
    async def case(ctx: Ctx) -> Attempt:
        path = "/k/{nr}/projects/{project}/" + step
        return await _plp_attempt(ctx, path, data, _every_project, project=project, prepare=prepare)

    return case


async def _close_tourism(plp) -> None:
    async with tenant_tx(plp.scope()):
        await projects_service.close_sub_project(
            plp.projects["tourism"], "Ferdig", actor_person_id=plp.owner.id
        )


async def _with_partner(plp) -> dict:
    other = await new_tenant("Partnar")
    async with tenant_tx(Scope(operator=True)):
        await tenancy_service.add_to_region(plp.tenant.region_id, other.id)
    return {"share-0": "50", "participant-1": other.kommunenummer, "share-1": "50"}


_KPI = "/k/{kommunenummer:str}/programmes/{programme_id:int}/kpis/{kpi_id:int}"
_PROJECT = "/k/{kommunenummer:str}/projects/{project_id:int}"
CSRF_CASES.update(
    {
        ("POST", _KPI + "/measurements"): _csrf_kpi_measurement,
        ("POST", _KPI + "/targets"): _csrf_kpi_target,
        ("POST", _PROJECT + "/decision"): _csrf_decision,
        ("POST", _PROJECT + "/status-reports"): _csrf_status_report,
        ("POST", _PROJECT + "/documents"): _csrf_upload,
        ("POST", "/k/{kommunenummer:str}/projects"): _csrf_new_project,
        ("POST", _PROJECT + "/plan"): _csrf_step(
            "plan", {"phase": "forprosjekt", "mandate": "CSRF", "budget": "1"}
        ),
        ("POST", _PROJECT + "/close"): _csrf_step("close", {"closing_report": "CSRF"}, "tourism"),
        ("POST", _PROJECT + "/decision-point"): _csrf_step(
            "decision-point", {"due_date": "2027-01-01"}, "tourism", _close_tourism
        ),
        ("POST", _PROJECT + "/delegation"): _csrf_step("delegation", {"delegated": "on"}),
        ("POST", _PROJECT + "/steering-group"): _csrf_step(
            "steering-group", {"steering-name-0": "CSRF"}
        ),
        ("POST", _PROJECT + "/cost-shares"): _csrf_step("cost-shares", {}, prepare=_with_partner),
    }
)


def _tender_case(make) -> Callable[[Ctx], Awaitable[Attempt]]:
    async def case(ctx: Ctx) -> Attempt:
        return Attempt(*await make(ctx.site, ctx.settings))

    return case


# Tendering (issue 5): each attempt gets a fresh municipality or business and its tender.
CSRF_CASES.update({route: _tender_case(make) for route, make in tender_routes.CSRF.items()})

# Programme set-up, action plans and assessments (issue 11): each attempt gets a fresh programme.
CSRF_CASES.update({route: _tender_case(make) for route, make in programme_routes.CSRF.items()})

# Grants (issue 12): each attempt gets a fresh municipality or business, its fund and call.
CSRF_CASES.update({route: _tender_case(make) for route, make in grant_routes.CSRF.items()})
# A tilsegn's money (issue 12, items 5-9): each attempt gets a fresh tilsegn.
CSRF_CASES.update({route: _tender_case(make) for route, make in money_routes.CSRF.items()})
# The regional council (issue 11): its comment on a status report, the operator's invitation.
CSRF_CASES.update({route: _tender_case(make) for route, make in council_routes.CSRF.items()})


def test_every_unsafe_route_has_a_csrf_case(app):
    unsafe = {(m, p) for m, p, _ in handlers(app) if m in UNSAFE}
    assert unsafe == set(CSRF_CASES)


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


@pytest.fixture
async def ctx(site, settings):
    client = redis.from_url(settings.redis_url)
    yield Ctx(site, settings, client)
    await client.aclose()


@pytest.mark.parametrize("route", sorted(CSRF_CASES), ids=" ".join)
async def test_an_unsafe_request_without_the_csrf_token_is_refused(ctx, route):
    attempt = await CSRF_CASES[route](ctx)
    await ensure_csrf(attempt.client)  # the cookie is there; only the request lacks the token
    before = await attempt.probe()

    for label, extra in {"no token": {}, "a made-up token": {"x-csrftoken": "made-up"}}.items():
        refused = await attempt.client.post(
            attempt.path, data=attempt.data, files=attempt.files, headers=extra
        )
        assert refused.status_code == 403, (label, refused.text)
        assert await attempt.probe() == before, f"{label}: the refused request changed something"

    # The same request with the token goes through: the 403 came from CSRF, not the guard.
    allowed = await post(attempt.client, attempt.path, attempt.data, files=attempt.files)
    assert allowed.status_code in (200, 303), allowed.text
    assert await attempt.probe() != before


# --- c. one tenant never reaches another's ids ----------------------------------------------------


@dataclass
class World:
    """Two tenants, A and B, each with a region and an organisation, and their people."""

    a: Tenant
    b: Tenant
    org_a: tuple[int, str]
    org_b: tuple[int, str]
    people: dict[str, Person]
    used_token_b: str  # an invitation into B, already accepted by B's invitee
    browsers: dict[str, httpx.AsyncClient] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # programmes and projects (issue 4)

    def private_of_b(self) -> list[str]:
        """What only B's own people may see: its members' names and e-mail addresses."""
        return [
            text
            for key in ("admin_b", "member_b", "invitee_b", "org_admin_b")
            for text in (self.people[key].name, self.people[key].email)
        ]


async def _invitation_into(tenant: Tenant, admin: Person, role: str, email: str) -> str:
    async with tenant_tx(Scope(tenant_id=tenant.id, person_id=admin.id)):
        return await access.invite(
            scope="municipality",
            role=role,
            email=email,
            invited_by=admin.id,
            municipality_id=tenant.id,
        )


async def _accept(person: Person, token: str) -> int:
    scope = Scope(person_id=person.id, invitation_token=access.token_hash(token))
    async with tenant_tx(scope):
        return await access.accept_invitation(person.id)


@pytest.fixture(scope="module")
async def world(settings, database, demo):
    a, b = await new_tenant("A-kommune"), await new_tenant("B-kommune")
    org_a, org_b = await new_organisation("A AS"), await new_organisation("B AS")
    people = {
        "admin_a": await new_person(settings, "Admin A", seat=in_municipality(a, "admin")),
        "council_a": await new_person(
            settings,
            "Council A",
            seat={"scope": "region", "role": "council_member", "region_id": a.region_id},
        ),
        "org_admin_a": await new_person(
            settings,
            "Org admin A",
            seat={"scope": "organisation", "role": "admin", "organisation_id": org_a[0]},
        ),
        "admin_b": await new_person(settings, "Admin B", seat=in_municipality(b, "admin")),
        "member_b": await new_person(settings, "Member B", seat=in_municipality(b, "case_officer")),
        "org_admin_b": await new_person(
            settings,
            "Org admin B",
            seat={"scope": "organisation", "role": "admin", "organisation_id": org_b[0]},
        ),
        "invitee_b": await new_person(settings, "Invitee B"),
    }
    used = await _invitation_into(b, people["admin_b"], "viewer", people["invitee_b"].email)
    people["invitee_b"].memberships["seat"] = await _accept(people["invitee_b"], used)
    world = World(a, b, org_a, org_b, people, used)
    await _add_programmes_and_projects(world, settings)
    await programme_routes.add_programme_parts(world)
    await tender_routes.add_tenders(world, settings)
    await grant_routes.add_grants(world)
    await money_routes.add_money(world)
    async with open_site(settings, database, Provider(settings)) as site:
        for who in ("admin_a", "council_a", "org_admin_a"):
            world.browsers[who] = await site.browser(people[who].pid)
        yield world


async def _add_programmes_and_projects(w: World, settings) -> None:
    w.extra["plp_a"] = await new_plp(settings, tenant=w.a, owner=w.people["admin_a"])
    plp_b = w.extra["plp_b"] = await new_plp(settings, tenant=w.b, owner=w.people["admin_b"])
    async with tenant_tx(w.extra["plp_a"].scope()):
        w.extra["kpi_a"] = await programmes_service.kpi_id_by_code(
            w.extra["plp_a"].programme_id, "new_jobs"
        )
    async with tenant_tx(plp_b.scope()):
        w.extra["kpi_b"] = await programmes_service.kpi_id_by_code(plp_b.programme_id, "new_jobs")
        document = await documents_service.add_document(
            content=PDF,
            name="b.pdf",
            claimed_type="application/pdf",
            project_id=plp_b.projects["industry"],
            actor_person_id=plp_b.owner.id,
        )
        w.extra["document_b"] = document.id


PLP_TABLES = (
    "programme",
    "kpi",
    "kpi_target",
    "kpi_measurement",
    "project",
    "sub_project",
    "decision_point",
    "status_report",
    "document",
    "project_participant",
)


async def _plp_rows(w: World) -> dict[str, list[dict]]:
    """A's and B's programme and project rows, as each municipality sees its own."""
    found: dict[str, list[dict]] = {}
    for tenant in (w.a, w.b):
        async with tenant_tx(tenant.id) as tx:
            for table in PLP_TABLES:
                rows = await tx.connection.fetch(
                    f"select * from {table} where tenant_id = app_tenant_id()"  # noqa: S608
                )
                found[f"{tenant.kommunenummer}:{table}"] = sorted(map(dict, rows), key=repr)
    return found


async def snapshot(w: World) -> dict[str, list[dict]]:
    """Every row of A's and B's, as the operator sees them."""
    m = [w.a.id, w.b.id]
    r = [w.a.region_id, w.b.region_id]
    o = [w.org_a[0], w.org_b[0]]
    p = [person.id for person in w.people.values()]
    queries = {
        "municipality": ("select * from municipality where id = any($1)", m),
        "region": ("select * from region where id = any($1)", r),
        "region_member": (
            "select * from region_member where region_id = any($1) or municipality_id = any($2)",
            r,
            m,
        ),
        "organisation": ("select * from organisation where id = any($1)", o),
        "person": ("select * from person where id = any($1)", p),
        "membership": (
            "select * from membership where municipality_id = any($1) or region_id = any($2)"
            " or organisation_id = any($3) or person_id = any($4)",
            m,
            r,
            o,
            p,
        ),
        "invitation": (
            "select * from invitation where municipality_id = any($1) or region_id = any($2)"
            " or organisation_id = any($3) or accepted_by = any($4)",
            m,
            r,
            o,
            p,
        ),
        "security_event": (
            "select * from security_event where municipality_id = any($1) or person_id = any($2)",
            m,
            p,
        ),
    }
    return (
        {
            table: sorted(await operator_rows(sql, *args), key=repr)
            for table, (sql, *args) in queries.items()
        }
        | await _plp_rows(w)
        | await tender_routes.tender_rows(w)
        | await programme_routes.programme_rows(w)
        | await grant_routes.grant_rows(w)
        | await money_routes.money_rows(w)
    )


@dataclass(frozen=True)
class Ask:
    """One request of the case: who asks, with which values, and what they must get."""

    label: str
    who: str
    values: Callable[[World], dict[str, Any]]
    status: int
    data: dict[str, str] = field(default_factory=dict)
    shows: Callable[[World], list[str]] = lambda w: []  # text the answer must hold
    why: str = ""


def _k(tenant: str) -> Callable[[World], dict]:
    return lambda w: {"kommunenummer": getattr(w, tenant).kommunenummer}


FORGED_TOKEN = "not-a-token-anyone-was-given-0000000000000"
USED = "This invitation has already been used."
IN_ENGLISH = {**HTML, "accept-language": "en"}

CROSS_TENANT: dict[tuple[str, str], list[Ask]] = {
    ("GET", "/k/{kommunenummer:str}"): [
        Ask("A's own", "admin_a", _k("a"), 200),
        Ask("B's kommunenummer", "admin_a", _k("b"), 404),
    ],
    ("GET", "/k/{kommunenummer:str}/members"): [
        Ask("A's own", "admin_a", _k("a"), 200, shows=lambda w: [w.people["admin_a"].name]),
        Ask("B's kommunenummer", "admin_a", _k("b"), 404),
    ],
    ("POST", "/k/{kommunenummer:str}/members/invitations"): [
        Ask(
            "B's kommunenummer",
            "admin_a",
            _k("b"),
            404,
            data={"email": "intruder@test.example", "role": "admin"},
        ),
    ],
    ("POST", "/k/{kommunenummer:str}/members/{membership_id:int}/remove"): [
        Ask(
            "B's kommunenummer and B's member",
            "admin_a",
            lambda w: {
                "kommunenummer": w.b.kommunenummer,
                "membership_id": w.people["member_b"].memberships["seat"],
            },
            404,
        ),
        Ask(
            "A's kommunenummer and B's member",
            "admin_a",
            lambda w: {
                "kommunenummer": w.a.kommunenummer,
                "membership_id": w.people["member_b"].memberships["seat"],
            },
            404,
            why="the guard passes; row-level security hides B's membership",
        ),
        Ask(
            "A's kommunenummer and B's organisation admin",
            "admin_a",
            lambda w: {
                "kommunenummer": w.a.kommunenummer,
                "membership_id": w.people["org_admin_b"].memberships["seat"],
            },
            404,
        ),
    ],
    ("GET", "/r/{region_slug:str}"): [
        Ask("A's own", "council_a", lambda w: {"region_slug": w.a.region_slug}, 200),
        Ask("B's region", "council_a", lambda w: {"region_slug": w.b.region_slug}, 404),
        Ask("B's region, by A's admin", "admin_a", lambda w: {"region_slug": w.b.region_slug}, 404),
    ],
    ("GET", "/o/{organisasjonsnummer:str}"): [
        Ask("A's own", "org_admin_a", lambda w: {"organisasjonsnummer": w.org_a[1]}, 200),
        Ask("B's", "org_admin_a", lambda w: {"organisasjonsnummer": w.org_b[1]}, 404),
        Ask("B's, by A's admin", "admin_a", lambda w: {"organisasjonsnummer": w.org_b[1]}, 404),
    ],
    ("GET", "/o/{organisasjonsnummer:str}/members"): [
        Ask(
            "A's own",
            "org_admin_a",
            lambda w: {"organisasjonsnummer": w.org_a[1]},
            200,
            shows=lambda w: [w.people["org_admin_a"].name],
        ),
        Ask("B's", "org_admin_a", lambda w: {"organisasjonsnummer": w.org_b[1]}, 404),
    ],
    ("POST", "/o/{organisasjonsnummer:str}/members/invitations"): [
        Ask(
            "B's organisation",
            "org_admin_a",
            lambda w: {"organisasjonsnummer": w.org_b[1]},
            404,
            data={"email": "intruder@test.example", "role": "admin"},
        ),
    ],
    ("POST", "/o/{organisasjonsnummer:str}/members/{membership_id:int}/remove"): [
        Ask(
            "B's organisation and its admin",
            "org_admin_a",
            lambda w: {
                "organisasjonsnummer": w.org_b[1],
                "membership_id": w.people["org_admin_b"].memberships["seat"],
            },
            404,
        ),
        Ask(
            "A's organisation and B's admin",
            "org_admin_a",
            lambda w: {
                "organisasjonsnummer": w.org_a[1],
                "membership_id": w.people["org_admin_b"].memberships["seat"],
            },
            404,
            why="the guard passes; row-level security hides B's membership",
        ),
    ],
    ("POST", "/operator/municipalities/{kommunenummer:str}/admin-invitations"): [
        Ask(
            "B's kommunenummer",
            "admin_a",
            _k("b"),
            404,
            data={"email": "intruder@test.example"},
            why="only the platform operator names a first admin",
        ),
    ],
    # The token is the capability: whoever holds a live link may accept it (it binds to them),
    # whatever their other memberships. So the cross-tenant cases are a token that was never
    # given (404) and B's token that was already used (refused; it grants nothing and shows
    # none of B's people). Accepting a live link is tested in account/test_memberships.py.
    ("GET", "/invitations/{token:str}"): [
        Ask("a forged token", "admin_a", lambda w: {"token": FORGED_TOKEN}, 404),
        Ask(
            "B's used token",
            "admin_a",
            lambda w: {"token": w.used_token_b},
            200,
            shows=lambda w: [USED],
            why="the link's holder is told it is spent; no accept button, none of B's people",
        ),
    ],
    ("POST", "/invitations/{token:str}"): [
        Ask("a forged token", "admin_a", lambda w: {"token": FORGED_TOKEN}, 404),
        Ask("B's used token", "admin_a", lambda w: {"token": w.used_token_b}, 409),
    ],
    # Not a tenant's id: the language is the same for everyone; it must change nothing either.
    ("GET", "/language/{lang:str}"): [
        Ask("a language", "admin_a", lambda w: {"lang": "nn"}, 303),
        Ask("no language", "admin_a", lambda w: {"lang": "xx"}, 303),
    ],
    # The OpenAPI document's other renderings: only openapi.json is served; nothing of a tenant's.
    ("GET", "/schema/{path:str}"): [
        Ask("a rendering it does not serve", "admin_a", lambda w: {"path": "openapi.yaml"}, 404),
    ],
}


# Programmes and projects (issue 4). A and B each have a programme and three projects
# (new_plp), B a document; A's admin and A's council ask for B's ids under A's own path.
def _plp_ids(nr: str, plp: str, project: str = "industry", **more) -> Callable[[World], dict]:
    def values(w: World) -> dict:
        p = w.extra[plp]
        found = {
            "kommunenummer": getattr(w, nr).kommunenummer,
            "programme_id": p.programme_id,
            "project_id": p.projects[project],
            "kpi_id": w.extra["kpi_" + plp[-1]],  # that programme's own KPI unless told
        }
        return found | {key: w.extra[value] for key, value in more.items()}

    return values


def _council(slug_of: str, project_of: str | None = None) -> Callable[[World], dict]:
    def values(w: World) -> dict:
        found = {"region_slug": getattr(w, slug_of).region_slug}
        if project_of:
            found["project_id"] = w.extra[project_of].projects["industry"]
        return found

    return values


_STOP = {"outcome": "stop", "basis": "Intruder", "decided_on": "2026-01-10"}
_REPORT = {
    "period_start": "2026-01-01",
    "period_end": "2026-01-31",
    "progress": "x",
    "spent": "1",
    "planned": "1",
}
_B_IDS_UNDER_A = "the guard passes; row-level security hides B's rows"


def _mine_and_bs(route_status_own: int = 200, data: dict | None = None) -> list[Ask]:
    asks = [
        Ask(
            "B's kommunenummer and B's ids", "admin_a", _plp_ids("b", "plp_b"), 404, data=data or {}
        ),
        Ask(
            "A's kommunenummer and B's ids",
            "admin_a",
            _plp_ids("a", "plp_b"),
            404,
            data=data or {},
            why=_B_IDS_UNDER_A,
        ),
    ]
    if route_status_own:
        asks.insert(0, Ask("A's own", "admin_a", _plp_ids("a", "plp_a"), route_status_own))
    return asks


CROSS_TENANT.update(
    {
        ("GET", "/k/{kommunenummer:str}/programmes"): [
            Ask("A's own", "admin_a", _k("a"), 200),
            Ask("B's kommunenummer", "admin_a", _k("b"), 404),
        ],
        ("GET", "/k/{kommunenummer:str}/programmes/{programme_id:int}"): _mine_and_bs(),
        ("POST", _KPI + "/measurements"): [
            *_mine_and_bs(0, {"measured_on": "2026-01-01", "value": "1", "source": "x"}),
            Ask(
                "A's programme, B's KPI",
                "admin_a",
                _plp_ids("a", "plp_a", kpi_id="kpi_b"),
                404,
                data={"measured_on": "2026-01-01", "value": "1", "source": "x"},
            ),
        ],
        ("POST", _KPI + "/targets"): [
            *_mine_and_bs(0, {"year": "2026", "target": "1"}),
            Ask(
                "A's programme, B's KPI",
                "admin_a",
                _plp_ids("a", "plp_a", kpi_id="kpi_b"),
                404,
                data={"year": "2026", "target": "1"},
            ),
        ],
        ("GET", "/k/{kommunenummer:str}/projects"): [
            Ask("A's own", "admin_a", _k("a"), 200),
            Ask("B's kommunenummer", "admin_a", _k("b"), 404),
        ],
        ("GET", "/k/{kommunenummer:str}/projects.csv"): [
            Ask("A's own", "admin_a", _k("a"), 200),
            Ask("B's kommunenummer", "admin_a", _k("b"), 404),
        ],
        ("GET", "/k/{kommunenummer:str}/projects.xlsx"): [
            Ask("A's own", "admin_a", _k("a"), 200),
            Ask("B's kommunenummer", "admin_a", _k("b"), 404),
        ],
        ("GET", _PROJECT): _mine_and_bs(),
        ("GET", "/k/{kommunenummer:str}/projects/new"): [
            Ask("A's own", "admin_a", _k("a"), 200),
            Ask("B's kommunenummer", "admin_a", _k("b"), 404),
        ],
        ("GET", "/k/{kommunenummer:str}/projects/new/shares"): [
            Ask("A's own", "admin_a", _k("a"), 200),
            Ask("B's kommunenummer", "admin_a", _k("b"), 404),
        ],
        ("POST", "/k/{kommunenummer:str}/projects"): [
            Ask(
                "B's kommunenummer",
                "admin_a",
                _k("b"),
                404,
                data={"title": "Inntrengar", "budget": "1", "decided_on": "2026-01-01"},
            ),
        ],
        ("POST", _PROJECT + "/plan"): _mine_and_bs(
            0, {"phase": "forprosjekt", "mandate": "x", "budget": "1"}
        ),
        ("POST", _PROJECT + "/close"): _mine_and_bs(0, {"closing_report": "x"}),
        ("POST", _PROJECT + "/decision-point"): _mine_and_bs(0, {"due_date": "2027-01-01"}),
        ("POST", _PROJECT + "/delegation"): _mine_and_bs(0, {"delegated": "on"}),
        ("POST", _PROJECT + "/steering-group"): _mine_and_bs(0, {"steering-name-0": "x"}),
        ("POST", _PROJECT + "/cost-shares"): _mine_and_bs(0, {"share-0": "100"}),
        ("GET", _PROJECT + "/decision"): _mine_and_bs(),
        ("POST", _PROJECT + "/decision"): _mine_and_bs(0, _STOP),
        ("POST", _PROJECT + "/status-reports"): _mine_and_bs(0, _REPORT),
        ("POST", _PROJECT + "/documents"): _mine_and_bs(0),
        ("GET", _PROJECT + "/documents/{document_id:int}"): [
            Ask(
                "B's project and document",
                "admin_a",
                _plp_ids("a", "plp_b", document_id="document_b"),
                404,
                why=_B_IDS_UNDER_A,
            ),
            Ask(
                "A's project, B's document",
                "admin_a",
                _plp_ids("a", "plp_a", document_id="document_b"),
                404,
            ),
        ],
        ("GET", "/r/{region_slug:str}/projects"): [
            Ask("A's own", "council_a", _council("a"), 200),
            Ask("B's region", "council_a", _council("b"), 404),
            Ask("B's region, by A's admin", "admin_a", _council("b"), 404),
        ],
        ("GET", "/r/{region_slug:str}/projects/{project_id:int}"): [
            Ask("A's region, B's project", "council_a", _council("a", "plp_b"), 404),
            Ask(
                "A's region, A's own unshared project",
                "council_a",
                _council("a", "plp_a"),
                404,
                why="the council sees regional projects only",
            ),
            Ask("B's region and project", "council_a", _council("b", "plp_b"), 404),
        ],
    }
)


# Tendering (issue 5): A and B each have a published tender, B a draft with a document and, in
# its published tender, a bid of B's organisation; A's people ask for B's ids.
CROSS_TENANT.update(
    {route: [Ask(*spec) for spec in specs] for route, specs in tender_routes.CROSS.items()}
)


# Programme set-up, action plans and assessments (issue 11): A's admin asks for B's programme,
# KPIs, plans, assessments and documents, under B's kommunenummer and under A's own.
CROSS_TENANT.update(
    {route: [Ask(*spec) for spec in specs] for route, specs in programme_routes.CROSS.items()}
)


# The regional council (issue 11): A's council comments on B's project; A's admin is no council.
CROSS_TENANT.update(
    {route: [Ask(*spec) for spec in specs] for route, specs in council_routes.CROSS.items()}
)


# Dashboards (issue 6): A's council and admin ask for A's and B's figures, lists and exports.
CROSS_TENANT.update(
    {route: [Ask(*spec) for spec in specs] for route, specs in dashboard_routes.CROSS.items()}
)


# Grants (issue 12): A's admin asks for B's cases and A's own organisation's drafts; A's
# organisation asks for B's applications and drafts, under B's organisasjonsnummer and its own.
CROSS_TENANT.update(
    {route: [Ask(*spec) for spec in specs] for route, specs in grant_routes.CROSS.items()}
)
# A tilsegn's money: A's admin asks for B's payments and attachments, A's organisation for B's
# tilsegn, under B's number and under A's own; A's council for B's region's statistics.
CROSS_TENANT.update(
    {route: [Ask(*spec) for spec in specs] for route, specs in money_routes.CROSS.items()}
)


# Routes whose path parameter names nothing of a tenant's; their cases only show nothing changes.
NO_TENANT_IN_PATH = {("GET", "/language/{lang:str}"), ("GET", "/schema/{path:str}")}


def test_every_route_with_a_path_parameter_has_a_cross_tenant_case(app):
    parametrised = {(m, p) for m, p, _ in handlers(app) if "{" in p}
    assert parametrised == set(CROSS_TENANT)
    for route, asks in CROSS_TENANT.items():
        if route not in NO_TENANT_IN_PATH:
            assert any(ask.status >= 400 for ask in asks), f"{route} asks nothing of another's"


def _fill(path: str, values: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: str(values[m[1]]), path)


@pytest.mark.parametrize("route", sorted(CROSS_TENANT), ids=" ".join)
async def test_another_tenants_ids_get_404_and_change_nothing(world, route):
    method, path = route
    for ask in CROSS_TENANT[route]:
        client = world.browsers[ask.who]
        url = _fill(path, ask.values(world))
        before = await snapshot(world)
        if method == "GET":
            response = await client.get(url, headers=IN_ENGLISH)
        else:
            response = await post(client, url, ask.data, headers=IN_ENGLISH)
        assert response.status_code == ask.status, (ask.label, response.text[:2000])
        assert await snapshot(world) == before, f"{ask.label}: something changed"
        page = text_of(response)
        for text in ask.shows(world):
            assert text in page, (ask.label, text)
        for text in world.private_of_b():
            assert text not in page, (ask.label, f"B's {text!r} was shown")
        assert f'action="/invitations/{world.used_token_b}"' not in page
