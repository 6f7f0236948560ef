"""The grant routes' cases for tests/web/test_route_table.py: CSRF attempts, and asks for another
tenant's funds, cases and applications. The route table wraps them in its own Attempt and Ask."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from services.grants import service as grants
from services.grants.schemas import CostLineInput, FinancingLineInput
from tenants.context import Scope, connection, tenant_tx
from tests.web.browsing import (
    Person,
    Tenant,
    in_municipality,
    new_organisation,
    new_person,
    new_tenant,
)

K = "/k/{kommunenummer:str}/grants"
CASE = K + "/applications/{application_id:int}"
ORG = "/o/{organisasjonsnummer:str}/grants"
OWN = ORG + "/applications/{application_id:int}"
GRANT_TABLES = (
    "grant_fund",
    "grant_call",
    "grant_application",
    "grant_cost_line",
    "grant_financing_line",
)
# The application as the form sends it: balanced, so a submit with it goes through.
PLANS = {
    "title": "Kanoturar",
    "summary": "Guida turar.",
    "project": "Tre nye produkt.",
    "cost_description-0": "Utstyr",
    "cost_amount-0": "400000",
    "fin_source-0": "this_fund",
    "fin_amount-0": "200000",
    "fin_source-1": "own",
    "fin_amount-1": "200000",
}

# --- the world: A and B each have a fund and an open call; each's organisation applied to it -----


async def _fund_and_call(tenant: Tenant, admin: Person) -> int:
    async with tenant_tx(Scope(tenant_id=tenant.id, person_id=admin.id)):
        fund_id = await grants.create_fund(
            name=f"Næringsfond {tenant.kommunenummer}",
            max_share=Decimal(50),
            max_amount=Decimal(1_000_000),
            decision_limit=Decimal(500_000),
            actor_person_id=admin.id,
        )
        today = await connection().fetchval("select (now() at time zone 'Europe/Oslo')::date")
        return await grants.open_call(
            fund_id,
            title=f"Utlysing {tenant.kommunenummer}",
            description="",
            opens_on=today - timedelta(days=1),
            closes_on=today + timedelta(days=30),
            actor_person_id=admin.id,
        )


async def _application(
    organisation_id: int, person: Person, call_id: int, *, submit: bool = True, **steps
) -> int:
    scope = Scope(organisation_id=organisation_id, person_id=person.id)
    async with tenant_tx(scope):
        application_id = await grants.start_application(
            call_id, title="Kanoturar", person_id=person.id
        )
        await grants.save_application(
            application_id,
            title="Kanoturar",
            summary="Guida turar.",
            project="Tre nye produkt.",
            effects="",
            costs=[CostLineInput("Utstyr", Decimal(400_000))],
            financing=[
                FinancingLineInput("this_fund", Decimal(200_000)),
                FinancingLineInput("own", Decimal(200_000)),
            ],
            person_id=person.id,
        )
        if submit:
            await grants.submit_application(application_id, person_id=person.id)
    return application_id


async def add_grants(w) -> None:
    for side in ("a", "b"):
        tenant, org = getattr(w, side), getattr(w, f"org_{side}")
        call_id = await _fund_and_call(tenant, w.people[f"admin_{side}"])
        applicant = w.people[f"org_admin_{side}"]
        w.extra[f"grant_call_{side}"] = call_id
        w.extra[f"grant_application_{side}"] = await _application(org[0], applicant, call_id)
        w.extra[f"grant_draft_{side}"] = await _application(
            org[0], applicant, call_id, submit=False
        )


async def grant_rows(w) -> dict[str, list[dict]]:
    """A's and B's grant rows as each municipality sees them, and as each organisation does."""
    found: dict[str, list[dict]] = {}
    scopes = {
        w.a.kommunenummer: Scope(tenant_id=w.a.id),
        w.b.kommunenummer: Scope(tenant_id=w.b.id),
    }
    scopes |= {org[1]: Scope(organisation_id=org[0]) for org in (w.org_a, w.org_b)}
    for label, scope in scopes.items():
        async with tenant_tx(scope) as tx:
            for table in GRANT_TABLES:
                rows = await tx.connection.fetch(f"select * from {table}")  # noqa: S608
                found[f"{label}:{table}"] = sorted(map(dict, rows), key=repr)
    return found


# --- CSRF: (client, path, data, probe, files) for an attempt that would change something --------


async def _municipality(site, settings) -> tuple[Tenant, Person, Any]:
    tenant = await new_tenant("Fondkommune")
    admin = await new_person(settings, "Admin", seat=in_municipality(tenant, "admin"))
    return tenant, admin, await site.browser(admin.pid)


async def csrf_fund(site, settings):
    tenant, _, client = await _municipality(site, settings)

    async def probe():
        async with tenant_tx(tenant.id):
            return await grants.list_funds()

    data = {"name": "CSRF", "max_share": "50", "max_amount": "1000", "decision_limit": "500"}
    return client, f"/k/{tenant.kommunenummer}/grants/funds", data, probe, None


async def csrf_call(site, settings):
    tenant, admin, client = await _municipality(site, settings)
    async with tenant_tx(Scope(tenant_id=tenant.id, person_id=admin.id)):
        fund_id = await grants.create_fund(
            name="Fond",
            max_share=Decimal(50),
            max_amount=Decimal(1000),
            decision_limit=Decimal(500),
            actor_person_id=admin.id,
        )

    async def probe():
        async with tenant_tx(tenant.id):
            return await grants.list_calls()

    data = {"fund_id": str(fund_id), "title": "CSRF", "opens_on": "2026-01-01"}
    data["closes_on"] = "2099-12-31"
    return client, f"/k/{tenant.kommunenummer}/grants/calls", data, probe, None


async def _case(site, settings, *, assessed: bool = False):
    """A fresh municipality with a submitted application; its admin's browser and the case path."""
    tenant, admin, client = await _municipality(site, settings)
    call_id = await _fund_and_call(tenant, admin)
    org_id, _ = await new_organisation("Søkjar AS")
    person = await new_person(
        settings,
        "Søkjar",
        seat={"scope": "organisation", "role": "admin", "organisation_id": org_id},
    )
    application_id = await _application(org_id, person, call_id)
    if assessed:
        async with tenant_tx(Scope(tenant_id=tenant.id, person_id=admin.id)):
            await grants.assess_application(application_id, comment="Ok", actor_person_id=admin.id)

    async def probe():
        async with tenant_tx(tenant.id):
            found = await grants.case(application_id)
            return found.application.state, found.application.assessment_comment

    path = f"/k/{tenant.kommunenummer}/grants/applications/{application_id}"
    return client, path, probe


async def csrf_assess(site, settings):
    client, path, probe = await _case(site, settings)
    return client, f"{path}/assessment", {"comment": "CSRF"}, probe, None


async def csrf_decide(site, settings):
    client, path, probe = await _case(site, settings, assessed=True)
    return client, f"{path}/decision", {"outcome": "rejected", "reason": "CSRF"}, probe, None


async def _applicant(site, settings, *, draft: bool = False):
    tenant = await new_tenant("Fondkommune")
    admin = await new_person(settings, "Admin", seat=in_municipality(tenant, "admin"))
    call_id = await _fund_and_call(tenant, admin)
    org_id, nr = await new_organisation("Søkjar AS")
    person = await new_person(
        settings,
        "Søkjar",
        seat={"scope": "organisation", "role": "admin", "organisation_id": org_id},
    )
    application_id = await _application(org_id, person, call_id, submit=False) if draft else None
    scope = Scope(organisation_id=org_id, person_id=person.id)

    async def probe():
        async with tenant_tx(scope):
            if application_id is None:
                return await grants.own_applications()
            return await grants.own_application(application_id)

    return await site.browser(person.pid), f"/o/{nr}/grants", call_id, application_id, probe


async def csrf_start(site, settings):
    client, base, call_id, _, probe = await _applicant(site, settings)
    return client, f"{base}/calls/{call_id}/applications", {"title": "CSRF"}, probe, None


async def csrf_save(site, settings):
    client, base, _, application_id, probe = await _applicant(site, settings, draft=True)
    path = f"{base}/applications/{application_id}"
    return client, path, {**PLANS, "summary": "CSRF"}, probe, None


async def csrf_submit(site, settings):
    client, base, _, application_id, probe = await _applicant(site, settings, draft=True)
    return client, f"{base}/applications/{application_id}/submit", PLANS, probe, None


CSRF = {
    ("POST", K + "/funds"): csrf_fund,
    ("POST", K + "/calls"): csrf_call,
    ("POST", CASE + "/assessment"): csrf_assess,
    ("POST", CASE + "/decision"): csrf_decide,
    ("POST", ORG + "/calls/{call_id:int}/applications"): csrf_start,
    ("POST", OWN): csrf_save,
    ("POST", OWN + "/submit"): csrf_submit,
}

# --- another tenant's ids: (label, who, values, status, data) -------------------------------------


def _k(nr: str, application: str = "grant_application_b") -> Callable[[Any], dict]:
    def values(w) -> dict:
        return {
            "kommunenummer": getattr(w, nr).kommunenummer,
            "application_id": w.extra[application],
        }

    return values


def _o(org: str, application: str = "grant_application_b", call: str = "grant_call_b"):
    def values(w) -> dict:
        return {
            "organisasjonsnummer": getattr(w, org)[1],
            "application_id": w.extra[application],
            "call_id": w.extra[call],
        }

    return values


def _case_asks(data: dict | None = None, *, own: int = 0) -> list:
    asks = [
        ("B's kommunenummer and case", "admin_a", _k("b"), 404, data or {}),
        ("A's kommunenummer, B's case", "admin_a", _k("a"), 404, data or {}),
        ("A's kommunenummer, A's draft", "admin_a", _k("a", "grant_draft_a"), 404, data or {}),
    ]
    if own:
        asks.insert(0, ("A's own", "admin_a", _k("a", "grant_application_a"), own, {}))
    return asks


def _own_asks(data: dict | None = None, *, own: int = 0) -> list:
    asks = [
        ("B's organisation and application", "org_admin_a", _o("org_b"), 404, data or {}),
        ("A's own organisation, B's application", "org_admin_a", _o("org_a"), 404, data or {}),
        (
            "A's own organisation, B's draft",
            "org_admin_a",
            _o("org_a", "grant_draft_b"),
            404,
            data or {},
        ),
    ]
    if own:
        asks.insert(0, ("A's own", "org_admin_a", _o("org_a", "grant_application_a"), own, {}))
    return asks


FUND = {"name": "Inntrengar", "max_share": "50", "max_amount": "1", "decision_limit": "1"}
CALL = {"fund_id": "1", "title": "Inntrengar", "opens_on": "2026-01-01", "closes_on": "2099-01-01"}

CROSS = {
    ("GET", K): [
        ("A's own", "admin_a", _k("a"), 200, {}),
        ("B's kommunenummer", "admin_a", _k("b"), 404, {}),
    ],
    ("POST", K + "/funds"): [("B's kommunenummer", "admin_a", _k("b"), 404, FUND)],
    ("POST", K + "/calls"): [("B's kommunenummer", "admin_a", _k("b"), 404, CALL)],
    ("GET", CASE): _case_asks(own=200),
    ("POST", CASE + "/assessment"): _case_asks({"comment": "Inntrengar"}),
    ("POST", CASE + "/decision"): _case_asks({"outcome": "rejected", "reason": "Inntrengar"}),
    ("GET", ORG): [
        ("A's own", "org_admin_a", _o("org_a"), 200, {}),
        ("B's organisation", "org_admin_a", _o("org_b"), 404, {}),
    ],
    # Any organisation may apply to any municipality's open call: only another's number is refused.
    ("POST", ORG + "/calls/{call_id:int}/applications"): [
        ("B's organisation", "org_admin_a", _o("org_b"), 404, {"title": "Inntrengar"}),
    ],
    ("GET", OWN): _own_asks(own=200),
    ("POST", OWN): _own_asks(PLANS),
    ("POST", OWN + "/submit"): _own_asks(PLANS),
}
