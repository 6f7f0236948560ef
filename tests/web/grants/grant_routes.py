"""The grant routes' cases for tests/web/test_route_table.py: CSRF attempts, and asks for another
tenant's funds, cases and applications. The route table wraps them in its own Attempt and Ask."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from services.files import FileInput
from services.grants import service as grants
from services.grants.schemas import PlanLine
from services.programmes import service as programmes
from services.programmes.schemas import StrategyAreaInput
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
MEETING = K + "/meetings/{meeting_id:int}"
FUND_BOARD = K + "/meetings/funds/{fund_id:int}"
GRANT_TABLES = (
    "grant_fund",
    "grant_call",
    "grant_application",
    "grant_cost_line",
    "grant_financing_line",
    "grant_attachment",
    "grant_habilitet",
    "grant_meeting",
    "grant_agenda_item",
    "grant_attendance",
    "grant_vote",
    "grant_appeal",
    "grant_letter",
)
PDF = b"%PDF-1.4\n% a test file\n"
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


async def _fund_and_call(
    tenant: Tenant, admin: Person, *, limit: int = 500_000, area: int | None = None
) -> int:
    async with tenant_tx(Scope(tenant_id=tenant.id, person_id=admin.id)):
        fund_id = await grants.create_fund(
            name=f"Næringsfond {tenant.kommunenummer}",
            strategy_area_id=area,
            max_share=Decimal(50),
            max_amount=Decimal(1_000_000),
            decision_limit=Decimal(limit),
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


async def _fund_of(call_id: int) -> int:
    return next(c.fund_id for c in await grants.list_calls() if c.id == call_id)


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
            costs=[PlanLine("Utstyr", Decimal(400_000))],
            financing=[
                PlanLine("", Decimal(200_000), source="this_fund"),
                PlanLine("", Decimal(200_000), source="own"),
            ],
            person_id=person.id,
        )
        if submit:
            await grants.submit_application(application_id, person_id=person.id)
    return application_id


async def _with_file(organisation_id: int, person: Person, call_id: int) -> tuple[int, int]:
    """A submitted application with one attached file: (application, attachment)."""
    application_id = await _application(organisation_id, person, call_id, submit=False)
    scope = Scope(organisation_id=organisation_id, person_id=person.id)
    async with tenant_tx(scope):
        [attachment_id] = await grants.add_attachments(
            application_id,
            [FileInput("plan.pdf", "application/pdf", PDF)],
            person_id=person.id,
        )
        await grants.submit_application(application_id, person_id=person.id)
    return application_id, attachment_id


async def _decided(admin: Person, tenant: Tenant, application_id: int) -> int:
    """The official rejects the application: its letter's id."""
    async with tenant_tx(Scope(tenant_id=tenant.id, person_id=admin.id)):
        await grants.assess_application(application_id, comment="Ok", actor_person_id=admin.id)
        await grants.decide_application(
            application_id, outcome="rejected", reason="Utanfor.", actor_person_id=admin.id
        )
        [letter] = await grants.letters_of(application_id)
    return letter.id


async def _meeting(admin: Person, tenant: Tenant, programme_id: int) -> int:
    async with tenant_tx(Scope(tenant_id=tenant.id, person_id=admin.id)):
        today = await connection().fetchval("select (now() at time zone 'Europe/Oslo')::date")
        await programmes.add_board_member(
            programme_id,
            name="Styreleiar",
            seat="politician",
            term_start=today,
            actor_person_id=admin.id,
        )
        return await grants.create_meeting(
            programme_id, held_on=today, place="Rådhuset", actor_person_id=admin.id
        )


async def add_grants(w) -> None:
    for side in ("a", "b"):
        tenant, org = getattr(w, side), getattr(w, f"org_{side}")
        admin = w.people[f"admin_{side}"]
        call_id = await _fund_and_call(tenant, admin)
        applicant = w.people[f"org_admin_{side}"]
        w.extra[f"grant_call_{side}"] = call_id
        async with tenant_tx(Scope(tenant_id=tenant.id)):
            w.extra[f"grant_fund_{side}"] = await _fund_of(call_id)
        w.extra[f"grant_application_{side}"] = await _application(org[0], applicant, call_id)
        w.extra[f"grant_draft_{side}"] = await _application(
            org[0], applicant, call_id, submit=False
        )
        with_file, attachment_id = await _with_file(org[0], applicant, call_id)
        w.extra[f"grant_with_file_{side}"] = with_file
        w.extra[f"grant_attachment_{side}"] = attachment_id
        decided = await _application(org[0], applicant, call_id)
        w.extra[f"grant_decided_{side}"] = decided
        w.extra[f"grant_letter_{side}"] = await _decided(admin, tenant, decided)
        programme_id = w.extra[f"plp_{side}"].programme_id
        w.extra[f"grant_meeting_{side}"] = await _meeting(admin, tenant, programme_id)


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
    return client, f"{path}/assessment", {"comment": "CSRF", "conflicted": "no"}, probe, None


async def csrf_decide(site, settings):
    client, path, probe = await _case(site, settings, assessed=True)
    return client, f"{path}/decision", {"outcome": "rejected", "reason": "CSRF"}, probe, None


async def _applicant(site, settings, *, draft: bool = False, rejected: bool = False):
    """A business's browser, its grant base, the call, its draft (or its rejected application)
    and a probe of it; the organisation's scope last."""
    tenant = await new_tenant("Fondkommune")
    admin = await new_person(settings, "Admin", seat=in_municipality(tenant, "admin"))
    call_id = await _fund_and_call(tenant, admin)
    org_id, nr = await new_organisation("Søkjar AS")
    person = await new_person(
        settings,
        "Søkjar",
        seat={"scope": "organisation", "role": "admin", "organisation_id": org_id},
    )
    application_id = None
    if draft or rejected:
        application_id = await _application(org_id, person, call_id, submit=rejected)
    if rejected:
        await _decided(admin, tenant, application_id)
    scope = Scope(organisation_id=org_id, person_id=person.id)

    async def probe():
        async with tenant_tx(scope):
            if application_id is None:
                return await grants.own_applications()
            return await grants.own_application(application_id)

    client = await site.browser(person.pid)
    return client, f"/o/{nr}/grants", call_id, application_id, probe, scope


async def csrf_start(site, settings):
    client, base, call_id, _, probe, _ = await _applicant(site, settings)
    return client, f"{base}/calls/{call_id}/applications", {"title": "CSRF"}, probe, None


async def csrf_save(site, settings):
    client, base, _, application_id, probe, _ = await _applicant(site, settings, draft=True)
    path = f"{base}/applications/{application_id}"
    return client, path, {**PLANS, "summary": "CSRF"}, probe, None


async def csrf_submit(site, settings):
    client, base, _, application_id, probe, _ = await _applicant(site, settings, draft=True)
    return client, f"{base}/applications/{application_id}/submit", PLANS, probe, None


async def csrf_recommend(site, settings):
    tenant, admin, client = await _municipality(site, settings)
    call_id = await _fund_and_call(tenant, admin, limit=100_000)
    application_id, _ = await _submitted_to(settings, call_id)
    async with tenant_tx(Scope(tenant_id=tenant.id, person_id=admin.id)):
        await grants.assess_application(application_id, comment="Ok", actor_person_id=admin.id)

    async def probe():
        async with tenant_tx(tenant.id):
            return (await grants.case(application_id)).application.state

    path = f"/k/{tenant.kommunenummer}/grants/applications/{application_id}/recommendation"
    data = {"recommendation": "granted", "recommendation_reason": "CSRF"}
    return client, path, data, probe, None


async def _submitted_to(settings, call_id: int, *, submit: bool = True) -> tuple[int, Any]:
    org_id, nr = await new_organisation("Søkjar AS")
    person = await new_person(
        settings,
        "Søkjar",
        seat={"scope": "organisation", "role": "admin", "organisation_id": org_id},
    )
    application_id = await _application(org_id, person, call_id, submit=submit)
    return application_id, (org_id, nr, person)


class BoardWorld:
    """A fresh municipality whose programme has a board of one and a fund of its area (limit
    100 000); a submitted case its admin has assessed, and its admin's browser."""

    async def build(self, site, settings, *, recommend: bool = True, meeting: bool = False):
        self.tenant, self.admin, self.client = await _municipality(site, settings)
        self.scope = Scope(tenant_id=self.tenant.id, person_id=self.admin.id)
        async with tenant_tx(self.scope):
            today = await connection().fetchval("select (now() at time zone 'Europe/Oslo')::date")
            self.programme_id = await programmes.create_programme(
                name="Omstilling",
                kind="omstilling",
                period_start=2025,
                period_end=2030,
                actor_person_id=self.admin.id,
            )
            [area] = await programmes.set_strategy_areas(
                self.programme_id,
                [StrategyAreaInput("Reiseliv", "Reiseliv", Decimal(100))],
                actor_person_id=self.admin.id,
            )
            self.member = await programmes.add_board_member(
                self.programme_id,
                name="Styreleiar",
                seat="politician",
                term_start=today,
                actor_person_id=self.admin.id,
            )
        self.call_id = await _fund_and_call(self.tenant, self.admin, limit=100_000, area=area.id)
        self.application_id, self.applicant = await _submitted_to(settings, self.call_id)
        self.meeting_id = await self.new_meeting() if meeting else None
        async with tenant_tx(self.scope):
            await grants.assess_application(
                self.application_id, comment="Ok", actor_person_id=self.admin.id
            )
            if recommend:
                await grants.recommend_application(
                    self.application_id,
                    recommendation="granted",
                    reason="Godt.",
                    actor_person_id=self.admin.id,
                )
        self.base = f"/k/{self.tenant.kommunenummer}/grants"
        return self

    async def new_meeting(self) -> int:
        async with tenant_tx(self.scope):
            today = await connection().fetchval("select (now() at time zone 'Europe/Oslo')::date")
            return await grants.create_meeting(
                self.programme_id, held_on=today, place="Rådhuset", actor_person_id=self.admin.id
            )

    async def meeting(self):
        async with tenant_tx(self.tenant.id):
            return await grants.meeting(self.meeting_id)


async def csrf_habilitet(site, settings):
    w = await BoardWorld().build(site, settings)

    async def probe():
        async with tenant_tx(w.tenant.id):
            return await grants.declarations(w.application_id)

    path = f"{w.base}/applications/{w.application_id}/habilitet"
    return w.client, path, {"board_member_id": str(w.member), "conflicted": "no"}, probe, None


async def csrf_meeting(site, settings):
    w = await BoardWorld().build(site, settings)

    async def probe():
        async with tenant_tx(w.tenant.id):
            return await grants.list_meetings()

    data = {"programme_id": str(w.programme_id), "held_on": "01.12.2026", "place": "Rådhuset"}
    return w.client, f"{w.base}/meetings", data, probe, None


async def _fund_board(site, settings, *, member: bool):
    """A fund without a programme (with one member on its board when asked), its admin's client,
    and the municipality's people."""
    tenant, admin, client = await _municipality(site, settings)
    call_id = await _fund_and_call(tenant, admin)
    async with tenant_tx(Scope(tenant_id=tenant.id, person_id=admin.id)):
        fund_id = await _fund_of(call_id)
        if member:
            today = await connection().fetchval("select (now() at time zone 'Europe/Oslo')::date")
            await grants.add_fund_board_member(
                fund_id,
                person_id=admin.id,
                seat="business",
                term_start=today,
                actor_person_id=admin.id,
            )
    path = f"/k/{tenant.kommunenummer}/grants/meetings/funds/{fund_id}"
    return tenant, admin, client, fund_id, path


async def csrf_fund_board_member(site, settings):
    tenant, admin, client, fund_id, path = await _fund_board(site, settings, member=False)

    async def probe():
        async with tenant_tx(tenant.id):
            return await grants.board_of(None, fund_id)

    data = {"person_id": str(admin.id), "seat": "business", "term_start": "01.12.2026"}
    return client, f"{path}/members", data, probe, None


async def csrf_fund_meeting(site, settings):
    tenant, _, client, _, path = await _fund_board(site, settings, member=True)

    async def probe():
        async with tenant_tx(tenant.id):
            return await grants.list_meetings()

    return client, f"{path}/meetings", {"held_on": "01.12.2026", "place": "CSRF"}, probe, None


async def csrf_attendance(site, settings):
    w = await BoardWorld().build(site, settings)
    w.meeting_id = await w.new_meeting()

    async def probe():
        return (await w.meeting()).present

    path = f"{w.base}/meetings/{w.meeting_id}/attendance"
    return w.client, path, {f"present-{w.member}": "on"}, probe, None


async def csrf_agenda(site, settings):
    w = await BoardWorld().build(site, settings, recommend=False, meeting=True)
    async with tenant_tx(w.scope):
        await grants.recommend_application(
            w.application_id, recommendation="granted", reason="Godt.", actor_person_id=w.admin.id
        )

    async def probe():
        return [item.application_id for item in (await w.meeting()).agenda]

    return w.client, f"{w.base}/meetings/{w.meeting_id}/agenda", {}, probe, None


async def csrf_board_decision(site, settings):
    w = await BoardWorld().build(site, settings)
    w.meeting_id = await w.new_meeting()
    async with tenant_tx(w.scope):
        await grants.record_attendance(
            w.meeting_id, member_ids=[w.member], actor_person_id=w.admin.id
        )
        await grants.declare_member(
            w.application_id, board_member_id=w.member, conflicted=False, actor_person_id=w.admin.id
        )

    async def probe():
        async with tenant_tx(w.tenant.id):
            return (await grants.case(w.application_id)).application.state

    path = f"{w.base}/meetings/{w.meeting_id}/cases/{w.application_id}"
    data = {f"vote-{w.member}": "granted", "reporting_deadline": "31.12.2099"}
    return w.client, path, data, probe, None


async def csrf_rank(site, settings):
    tenant, admin, client = await _municipality(site, settings)
    call_id = await _fund_and_call(tenant, admin)
    application_id, _ = await _submitted_to(settings, call_id)

    async def probe():
        async with tenant_tx(tenant.id):
            return [(a.id, a.rank) for a in await grants.call_ranking(call_id)]

    path = f"/k/{tenant.kommunenummer}/grants/calls/{call_id}/ranking"
    return client, path, {f"rank-{application_id}": "1"}, probe, None


async def csrf_attach(site, settings):
    client, base, _, application_id, _, scope = await _applicant(site, settings, draft=True)

    async def probe():
        async with tenant_tx(scope):
            return await grants.attachments_of(application_id)

    files = {"attachments": ("plan.pdf", PDF, "application/pdf")}
    return client, f"{base}/applications/{application_id}/attachments", {}, probe, files


async def csrf_remove_attachment(site, settings):
    client, base, _, application_id, _, scope = await _applicant(site, settings, draft=True)
    async with tenant_tx(scope):
        [attachment_id] = await grants.add_attachments(
            application_id,
            [FileInput("plan.pdf", "application/pdf", PDF)],
            person_id=scope.person_id,
        )

    async def probe():
        async with tenant_tx(scope):
            return await grants.attachments_of(application_id)

    path = f"{base}/applications/{application_id}/attachments/{attachment_id}/remove"
    return client, path, {}, probe, None


async def csrf_appeal(site, settings):
    client, base, _, application_id, probe, _ = await _applicant(site, settings, rejected=True)
    path = f"{base}/applications/{application_id}/appeal"
    return client, path, {"appeal_reason": "CSRF"}, probe, None


CSRF = {
    ("POST", CASE + "/recommendation"): csrf_recommend,
    ("POST", CASE + "/habilitet"): csrf_habilitet,
    ("POST", K + "/meetings"): csrf_meeting,
    ("POST", FUND_BOARD + "/members"): csrf_fund_board_member,
    ("POST", FUND_BOARD + "/meetings"): csrf_fund_meeting,
    ("POST", MEETING + "/attendance"): csrf_attendance,
    ("POST", MEETING + "/agenda"): csrf_agenda,
    ("POST", MEETING + "/cases/{application_id:int}"): csrf_board_decision,
    ("POST", K + "/calls/{call_id:int}/ranking"): csrf_rank,
    ("POST", OWN + "/attachments"): csrf_attach,
    ("POST", OWN + "/attachments/{attachment_id:int}/remove"): csrf_remove_attachment,
    ("POST", OWN + "/appeal"): csrf_appeal,
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


# --- the decision side's routes ------------------------------------------------------------------


def _ids(nr_or_org: str, application: str, **named: str) -> Callable[[Any], dict]:
    """A's or B's place (kommunenummer for a..b, organisasjonsnummer for org_a..org_b) with the
    named rows of world.extra: application, and e.g. letter_id="grant_letter_b"."""

    def values(w) -> dict:
        place = getattr(w, nr_or_org)
        found = {"application_id": w.extra[application]}
        found |= {key: w.extra[extra] for key, extra in named.items()}
        if nr_or_org.startswith("org_"):
            return found | {"organisasjonsnummer": place[1]}
        return found | {"kommunenummer": place.kommunenummer}

    return values


def _rows_asks(who: str, side: str, application: str, own: int | None, **named: str) -> list:
    """A's own (when own is given), B's under B's place, B's under A's place, and A's
    application with B's row."""
    a, b = (side + "a", side + "b") if side else ("a", "b")
    mine = {key: value.replace("_b", "_a") for key, value in named.items()}
    asks = [
        (f"B's place and B's {application}", who, _ids(b, application + "_b", **named), 404, {}),
        (f"A's place, B's {application}", who, _ids(a, application + "_b", **named), 404, {}),
    ]
    if named:
        asks.append(
            (f"A's {application}, B's row", who, _ids(a, application + "_a", **named), 404, {})
        )
    if own is not None:
        asks.insert(0, ("A's own", who, _ids(a, application + "_a", **mine), own, {}))
    return asks


def _meeting_ids(nr: str, meeting: str, application: str = "grant_application_b"):
    def values(w) -> dict:
        return {
            "kommunenummer": getattr(w, nr).kommunenummer,
            "meeting_id": w.extra[meeting],
            "application_id": w.extra[application],
        }

    return values


def _meeting_asks(data: dict | None = None, *, own: int | None = None) -> list:
    asks = [
        ("B's kommunenummer and meeting", "admin_a", _meeting_ids("b", "grant_meeting_b"), 404),
        ("A's kommunenummer, B's meeting", "admin_a", _meeting_ids("a", "grant_meeting_b"), 404),
    ]
    asks = [(*ask, data or {}) for ask in asks]
    if own is not None:
        asks.insert(0, ("A's own", "admin_a", _meeting_ids("a", "grant_meeting_a"), own, {}))
    return asks


def _call_ids(nr: str, call: str):
    def values(w) -> dict:
        return {"kommunenummer": getattr(w, nr).kommunenummer, "call_id": w.extra[call]}

    return values


def _call_asks(data: dict | None = None, *, own: int | None = None) -> list:
    asks = [
        ("B's kommunenummer and call", "admin_a", _call_ids("b", "grant_call_b"), 404, data or {}),
        ("A's kommunenummer, B's call", "admin_a", _call_ids("a", "grant_call_b"), 404, data or {}),
    ]
    if own is not None:
        asks.insert(0, ("A's own", "admin_a", _call_ids("a", "grant_call_a"), own, {}))
    return asks


MEETING_FORM = {"programme_id": "1", "held_on": "01.12.2026", "place": "Inntrengar"}
FUND_MEMBER = {"person_id": "1", "seat": "business", "term_start": "01.12.2026"}


def _fund_ids(nr: str, fund: str):
    def values(w) -> dict:
        return {"kommunenummer": getattr(w, nr).kommunenummer, "fund_id": w.extra[fund]}

    return values


def _fund_asks(data: dict) -> list:
    return [
        ("B's kommunenummer and fund", "admin_a", _fund_ids("b", "grant_fund_b"), 404, data),
        ("A's kommunenummer, B's fund", "admin_a", _fund_ids("a", "grant_fund_b"), 404, data),
    ]


CROSS.update(
    {
        ("POST", CASE + "/recommendation"): _case_asks(
            {"recommendation": "rejected", "recommendation_reason": "Inntrengar"}
        ),
        ("POST", CASE + "/habilitet"): _case_asks({"board_member_id": "1", "conflicted": "no"}),
        ("GET", CASE + "/letters/{letter_id:int}"): _rows_asks(
            "admin_a", "", "grant_decided", 200, letter_id="grant_letter_b"
        ),
        ("GET", CASE + "/attachments/{attachment_id:int}"): _rows_asks(
            "admin_a", "", "grant_with_file", 200, attachment_id="grant_attachment_b"
        ),
        ("GET", K + "/calls/{call_id:int}/ranking"): _call_asks(own=200),
        ("POST", K + "/calls/{call_id:int}/ranking"): _call_asks({"comment-1": "Inntrengar"}),
        ("GET", K + "/meetings"): [
            ("A's own", "admin_a", _k("a"), 200, {}),
            ("B's kommunenummer", "admin_a", _k("b"), 404, {}),
        ],
        ("POST", K + "/meetings"): [("B's kommunenummer", "admin_a", _k("b"), 404, MEETING_FORM)],
        ("POST", FUND_BOARD + "/members"): _fund_asks(FUND_MEMBER),
        ("POST", FUND_BOARD + "/meetings"): _fund_asks(
            {"held_on": "01.12.2026", "place": "Inntrengar"}
        ),
        ("GET", MEETING): _meeting_asks(own=200),
        ("POST", MEETING + "/attendance"): _meeting_asks({"present-1": "on"}),
        ("POST", MEETING + "/agenda"): _meeting_asks(),
        ("POST", MEETING + "/cases/{application_id:int}"): _meeting_asks({"vote-1": "granted"}),
        ("POST", OWN + "/attachments"): _own_asks(),
        ("POST", OWN + "/attachments/{attachment_id:int}/remove"): _rows_asks(
            "org_admin_a", "org_", "grant_with_file", None, attachment_id="grant_attachment_b"
        ),
        ("GET", OWN + "/attachments/{attachment_id:int}"): _rows_asks(
            "org_admin_a", "org_", "grant_with_file", 200, attachment_id="grant_attachment_b"
        ),
        ("GET", OWN + "/letters/{letter_id:int}"): _rows_asks(
            "org_admin_a", "org_", "grant_decided", 200, letter_id="grant_letter_b"
        ),
        ("POST", OWN + "/appeal"): _own_asks({"appeal_reason": "Inntrengar"}),
    }
)
