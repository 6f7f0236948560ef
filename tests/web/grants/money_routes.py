"""The routes of a tilsegn's money for tests/web/test_route_table.py (CSRF attempts, and asks for
another tenant's tilsegns, payments and attachments) and tests/web/test_route_guards.py."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from services.demo.data import PERSONS
from services.files import FileInput
from services.grants import service as grants
from tenants.context import Scope, tenant_tx
from tests.web.grants.money_world import ACCOUNT, granted_application, money_world, requested

K = "/k/{kommunenummer:str}/grants"
CASE = K + "/applications/{application_id:int}"
PAYMENT = K + "/payments/{payment_id:int}"
REPORT_APPROVAL = K + "/reports/{report_id:int}/approval"
OWN = "/o/{organisasjonsnummer:str}/grants/applications/{application_id:int}"
MONEY_TABLES = ("grant_payment_request", "grant_report", "grant_payment_attachment")
PDF = b"%PDF-1.4\n% a receipt\n"
OPERATOR_PID = next(p.pid for p in PERSONS if p.name == "Henrik Solberg")
REQUEST = {
    "kind": "part",
    "amount": "1 000",
    "costs_incurred": "2 000",
    "account_number": ACCOUNT,
    "report": "Inntrengar",
}
REPORT = {"text": "Inntrengar", "effect-new_jobs": "1"}


def money_path(path: str) -> bool:
    """A path whose application is a tilsegn (the world's own for these routes)."""
    tails = ("/payments", "/money", "/clawbacks", "/reports", "/tilsegn/")
    return any(tail in path for tail in tails)


def report_path(path: str) -> bool:
    """A path that names a tilsegn's report by its id."""
    return path.startswith("/k/") and "/grants/reports/" in path


# --- the world: A and B each granted their organisation's application and got a request ---------


async def add_money(w) -> None:
    for side in ("a", "b"):
        tenant, (organisation_id, _) = getattr(w, side), getattr(w, f"org_{side}")
        admin, applicant = w.people[f"admin_{side}"], w.people[f"org_admin_{side}"]
        application_id = await granted_application(tenant, admin, organisation_id, applicant)
        async with tenant_tx(Scope(organisation_id=organisation_id, person_id=applicant.id)):
            payment_id = await grants.request_payment(
                application_id,
                kind="part",
                amount=Decimal(10_000),
                costs_incurred=Decimal(20_000),
                account_number=ACCOUNT,
                report="Status.",
                documents=[FileInput("kvittering.pdf", "application/pdf", PDF)],
                person_id=applicant.id,
            )
            seen = await grants.tilsegn(application_id, as_applicant=True)
        w.extra[f"grant_tilsegn_{side}"] = application_id
        w.extra[f"grant_payment_{side}"] = payment_id
        w.extra[f"grant_payment_attachment_{side}"] = seen.payments[0].attachments[0].id
        w.extra[f"grant_report_{side}"] = seen.payments[0].report_id


async def money_rows(w) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    scopes = {
        w.a.kommunenummer: Scope(tenant_id=w.a.id),
        w.b.kommunenummer: Scope(tenant_id=w.b.id),
    }
    scopes |= {org[1]: Scope(organisation_id=org[0]) for org in (w.org_a, w.org_b)}
    for label, scope in scopes.items():
        async with tenant_tx(scope) as tx:
            for table in MONEY_TABLES:
                rows = await tx.connection.fetch(f"select * from {table}")  # noqa: S608
                found[f"{label}:{table}"] = sorted(map(dict, rows), key=repr)
        async with tenant_tx(scope) as tx:
            found["exchange_rate"] = [
                dict(r)
                for r in await tx.connection.fetch("select * from exchange_rate order by id")
            ]
    return found


# --- CSRF: (client, path, data, probe, files) ----------------------------------------------------


async def _tilsegn(site, settings, *, as_business: bool):
    w = await money_world(settings)
    person = w.applicant if as_business else w.admin
    scope = w.business if as_business else w.municipality

    async def probe():
        async with tenant_tx(scope):
            return await grants.tilsegn(w.application_id, as_applicant=as_business)

    return w, await site.browser(person.pid), probe


async def csrf_request(site, settings):
    w, client, probe = await _tilsegn(site, settings, as_business=True)
    return client, f"{w.own}/payments", REQUEST, probe, None


async def csrf_report(site, settings):
    w, client, probe = await _tilsegn(site, settings, as_business=True)
    return client, f"{w.own}/reports", REPORT, probe, None


async def csrf_decide(site, settings):
    w, client, probe = await _tilsegn(site, settings, as_business=False)
    payment_id = await requested(w)
    path = f"/k/{w.tenant.kommunenummer}/grants/payments/{payment_id}/decision"
    return client, path, {"outcome": "approved"}, probe, None


async def csrf_clawback(site, settings):
    w, client, probe = await _tilsegn(site, settings, as_business=False)
    payment_id = await requested(w)
    async with tenant_tx(w.municipality):
        for outcome in ("approved", "paid"):
            await grants.decide_payment(payment_id, outcome=outcome, actor_person_id=w.admin.id)
    return client, f"{w.case}/clawbacks", {"amount": "1", "reason": "CSRF"}, probe, None


async def csrf_approve_report(site, settings):
    w, client, probe = await _tilsegn(site, settings, as_business=False)
    payment_id = await requested(w)
    seen = await probe()
    report_id = next(p.report_id for p in seen.payments if p.id == payment_id)
    path = f"/k/{w.tenant.kommunenummer}/grants/reports/{report_id}/approval"
    return client, path, {}, probe, None


async def csrf_withdraw(site, settings):
    w, client, probe = await _tilsegn(site, settings, as_business=True)
    return client, f"{w.own}/tilsegn/withdrawal", {"reason": "CSRF"}, probe, None


async def csrf_cancel(site, settings):
    w, client, probe = await _tilsegn(site, settings, as_business=False)
    return client, f"{w.case}/tilsegn/cancellation", {"reason": "CSRF"}, probe, None


async def csrf_exchange_rate(site, settings):
    async def probe():
        async with tenant_tx(Scope()):
            return [r.set_at for r in await grants.exchange_rates()]

    client = await site.browser(OPERATOR_PID)
    return client, "/operator/exchange-rate", {"nok_per_eur": "11,7"}, probe, None


CSRF = {
    ("POST", OWN + "/payments"): csrf_request,
    ("POST", OWN + "/reports"): csrf_report,
    ("POST", PAYMENT + "/decision"): csrf_decide,
    ("POST", CASE + "/clawbacks"): csrf_clawback,
    ("POST", REPORT_APPROVAL): csrf_approve_report,
    ("POST", OWN + "/tilsegn/withdrawal"): csrf_withdraw,
    ("POST", CASE + "/tilsegn/cancellation"): csrf_cancel,
    ("POST", "/operator/exchange-rate"): csrf_exchange_rate,
}


# --- another tenant's ids: (label, who, values, status, data) -------------------------------------


def _k(nr: str, side: str = "b", **more: str) -> Callable[[Any], dict]:
    def values(w) -> dict:
        return {
            "kommunenummer": getattr(w, nr).kommunenummer,
            "application_id": w.extra[f"grant_tilsegn_{side}"],
            "payment_id": w.extra[f"grant_payment_{side}"],
            "attachment_id": w.extra[f"grant_payment_attachment_{side}"],
            "report_id": w.extra[f"grant_report_{side}"],
            "table": "payments",
        } | {key: w.extra[value] for key, value in more.items()}

    return values


def _o(org: str, side: str = "b") -> Callable[[Any], dict]:
    def values(w) -> dict:
        return {
            "organisasjonsnummer": getattr(w, org)[1],
            "application_id": w.extra[f"grant_tilsegn_{side}"],
        }

    return values


def _asks(who: str, mine: Callable, theirs_here: Callable, theirs: Callable, data=None, own=0):
    asks = [
        ("B's place and ids", who, theirs, 404, data or {}),
        ("A's place, B's ids", who, theirs_here, 404, data or {}),
    ]
    if own:
        asks.insert(0, ("A's own", who, mine, own, {}))
    return asks


def _case(data: dict | None = None, own: int = 0) -> list:
    return _asks("admin_a", _k("a", "a"), _k("a"), _k("b"), data, own)


def _own(data: dict | None = None, own: int = 0) -> list:
    return _asks("org_admin_a", _o("org_a", "a"), _o("org_a"), _o("org_b"), data, own)


def _place(own: int = 200) -> list:
    return [
        ("A's own", "admin_a", _k("a", "a"), own, {}),
        ("B's kommunenummer", "admin_a", _k("b"), 404, {}),
    ]


def _region(slug_of: str) -> Callable[[Any], dict]:
    return lambda w: {"region_slug": getattr(w, slug_of).region_slug}


CROSS = {
    ("GET", OWN + "/payments"): _own(own=200),
    ("POST", OWN + "/payments"): _own(REQUEST),
    ("POST", OWN + "/reports"): _own(REPORT),
    ("GET", K + "/payments"): _place(),
    ("GET", K + "/statistics"): _place(),
    ("POST", PAYMENT + "/decision"): _case({"outcome": "approved"}),
    ("GET", PAYMENT + "/attachments/{attachment_id:int}"): [
        *_case(own=200),
        (
            "A's payment, B's attachment",
            "admin_a",
            _k("a", "a", attachment_id="grant_payment_attachment_b"),
            404,
            {},
        ),
    ],
    ("GET", CASE + "/money"): _case(own=200),
    ("POST", CASE + "/clawbacks"): _case({"amount": "1", "reason": "Inntrengar"}),
    ("POST", REPORT_APPROVAL): _case(),
    ("POST", OWN + "/tilsegn/withdrawal"): _own({"reason": "Inntrengar"}),
    ("POST", CASE + "/tilsegn/cancellation"): _case({"reason": "Inntrengar"}),
    ("GET", "/r/{region_slug:str}/grants/statistics"): [
        ("A's own", "council_a", _region("a"), 200, {}),
        ("B's region", "council_a", _region("b"), 404, {}),
        ("B's region, by A's admin", "admin_a", _region("b"), 404, {}),
    ],
}
