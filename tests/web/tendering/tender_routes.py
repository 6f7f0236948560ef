"""The tender routes' cases for tests/web/test_route_table.py: CSRF attempts, and asks for another
tenant's tenders, bids and documents. The route table wraps them in its own Attempt and Ask."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from services.tendering import service as tendering
from services.tendering.service import follows
from tenants.context import Scope, tenant_tx
from tests.web.browsing import Person
from tests.web.tendering.tender_world import (
    Buyer,
    awarded_tender,
    bid,
    db_clock,
    end_standstill,
    evaluated_tender,
    new_business,
    new_buyer,
    new_tender,
    opened_tender,
    wait_for,
)

K = "/k/{kommunenummer:str}/tenders"
ONE = K + "/{tender_id:int}"
BID = ONE + "/bids/{bid_id:int}"
ORG = "/o/{organisasjonsnummer:str}"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

# --- the world: A and B each run tenders; B's organisation has a bid in B's published one ---------


async def add_tenders(w, settings) -> None:
    a_admin, b_admin = w.people["admin_a"], w.people["admin_b"]
    buyer_a = Buyer(w.a, a_admin, a_admin)
    buyer_b = Buyer(w.b, b_admin, b_admin)
    w.extra["tender_a"] = await new_tender(buyer_a, title="A sin konkurranse")
    w.extra["tender_b"] = await new_tender(buyer_b, title="B sin konkurranse")
    draft = w.extra["draft_b"] = await new_tender(buyer_b, publish=False, title="B sitt utkast")
    async with tenant_tx(buyer_b.scope()):
        change = await tendering.add_document(
            draft,
            actor_person_id=b_admin.id,
            name="b.pdf",
            media_type="application/pdf",
            content=PDF,
        )
    w.extra["draft_document_b"] = change.document_id
    business_b = _Org(w.org_b[0], w.org_b[1], w.people["org_admin_b"])
    w.extra["bid_b"] = await bid(settings, business_b, w.extra["tender_b"], "123000")


class _Org:
    def __init__(self, organisation_id: int, nr: str, admin: Person) -> None:
        self.organisation_id, self.organisasjonsnummer, self.admin = organisation_id, nr, admin

    @property
    def scope(self) -> Scope:
        return Scope(person_id=self.admin.id, organisation_id=self.organisation_id)


TENDER_TABLES = (
    "tender",
    "tender_document",
    "tender_question",
    "tender_clarification",
    "tender_opening",
    "tender_declaration",
    "bid_score",
    "award_notice",
)


async def tender_rows(w) -> dict[str, list[dict]]:
    """A's and B's tender rows as each municipality sees its own, and each organisation's bids."""
    found: dict[str, list[dict]] = {}
    for tenant in (w.a, w.b):
        async with tenant_tx(tenant.id) as tx:
            for table in TENDER_TABLES:
                rows = await tx.connection.fetch(f"select * from {table}")  # noqa: S608
                found.setdefault(table, []).extend(sorted(map(dict, rows), key=repr))
    for organisation_id, _ in (w.org_a, w.org_b):
        async with tenant_tx(Scope(organisation_id=organisation_id)) as tx:
            rows = await tx.connection.fetch("select * from bid")
            found.setdefault("bid", []).extend(sorted(map(dict, rows), key=repr))
    return found


# --- CSRF: (client, path, data, probe, files) for an attempt that would change something --------


async def _municipal(site, settings, make=None, *, who: str = "officer"):
    buyer = await new_buyer(settings)
    made = await make(settings, buyer) if make else None
    client = await site.browser(getattr(buyer, who).pid)
    return buyer, made, client


def _in(buyer: Buyer, read: Callable[[], Awaitable[Any]], person: Person | None = None):
    async def probe():
        async with tenant_tx(buyer.scope(person)):
            return await read()

    return probe


async def _draft(settings, buyer):
    return await new_tender(buyer, publish=False)


async def _published(settings, buyer):
    return await new_tender(buyer)


async def _closed(settings, buyer):
    deadline = await db_clock() + timedelta(seconds=1.5)
    tender_id = await new_tender(buyer, bid_deadline=deadline)
    await wait_for(deadline)
    return tender_id


def _state(buyer, tender_id):
    return _in(buyer, lambda: _get_state(tender_id))


async def _get_state(tender_id):
    return (await tendering.get_tender(tender_id)).state


async def csrf_create(site, settings):
    buyer, _, client = await _municipal(site, settings)
    data = {
        "title": "CSRF",
        "estimated_value": "1000",
        "questions_deadline": "2099-01-01T10:00",
        "bid_deadline": "2099-01-02T10:00",
        "criterion-0": "Kvalitet",
        "weight-0": "60",
        "criterion-1": "Pris",
        "weight-1": "40",
        "price": "1",
    }
    probe = _in(buyer, tendering.tenders_of_municipality)
    return client, f"/k/{buyer.tenant.kommunenummer}/tenders", data, probe, None


def _one(buyer, tender_id, tail=""):
    return f"/k/{buyer.tenant.kommunenummer}/tenders/{tender_id}{tail}"


async def csrf_publish(site, settings):
    buyer, tender_id, client = await _municipal(site, settings, _draft)
    return client, _one(buyer, tender_id, "/publish"), {}, _state(buyer, tender_id), None


async def csrf_document(site, settings):
    buyer, tender_id, client = await _municipal(site, settings, _draft)
    probe = _in(buyer, lambda: tendering.documents(tender_id))
    files = {"file": ("csrf.pdf", PDF, "application/pdf")}
    return client, _one(buyer, tender_id, "/documents"), {}, probe, files


async def csrf_answer(site, settings):
    buyer, tender_id, client = await _municipal(site, settings, _published)
    probe = _in(buyer, lambda: tendering.clarifications(tender_id))
    data = {"question": "Kva med CSRF?", "answer": "Nei."}
    return client, _one(buyer, tender_id, "/answers"), data, probe, None


async def csrf_opening(site, settings):
    buyer, tender_id, client = await _municipal(site, settings, _closed)
    return client, _one(buyer, tender_id, "/opening"), {}, _state(buyer, tender_id), None


async def csrf_cancel(site, settings):
    buyer, tender_id, client = await _municipal(site, settings, _draft)
    data = {"reason": "CSRF"}
    return client, _one(buyer, tender_id, "/cancel"), data, _state(buyer, tender_id), None


def _protocol(buyer, tender_id):
    return _in(buyer, lambda: tendering.tender_protocol(tender_id))


async def csrf_declaration(site, settings):
    buyer, tender_id, client = await _municipal(site, settings, _published, who="evaluator")
    data = {"role": "evaluator", "conflicted": "no"}
    path = _one(buyer, tender_id, "/evaluation/declaration")
    return client, path, data, _protocol(buyer, tender_id), None


async def csrf_qualification(site, settings):
    buyer, (tender_id, bids), client = await _municipal(site, settings, opened_tender)
    path = _one(buyer, tender_id, f"/bids/{bids[0]}/qualification")
    data = {"qualified": "no", "reason": "CSRF"}
    return client, path, data, _in(buyer, lambda: tendering.opened_bids(tender_id)), None


async def _declared(settings, buyer):
    tender_id, bids = await opened_tender(settings, buyer)
    async with tenant_tx(buyer.scope(buyer.evaluator)):
        await tendering.declare_interest(
            tender_id, person_id=buyer.evaluator.id, role="evaluator", conflicted=False
        )
    return tender_id, bids


async def csrf_scores(site, settings):
    buyer, (tender_id, bids), client = await _municipal(site, settings, _declared, who="evaluator")
    path = _one(buyer, tender_id, f"/bids/{bids[0]}/scores")
    data = {"score:Kvalitet": "5", "score:Kompetanse": "5"}
    return client, path, data, _protocol(buyer, tender_id), None


async def _scored(settings, buyer):
    tender_id, bids = await _declared(settings, buyer)
    async with tenant_tx(buyer.scope(buyer.evaluator)):
        for bid_id in bids:
            await tendering.score_bid(
                tender_id,
                bid_id,
                evaluator_id=buyer.evaluator.id,
                scores={"Kvalitet": 5, "Kompetanse": 5},
            )
            await tendering.record_qualification(
                tender_id, bid_id, actor_person_id=buyer.evaluator.id, qualified=True
            )
    return tender_id


async def csrf_complete(site, settings):
    buyer, tender_id, client = await _municipal(site, settings, _scored, who="evaluator")
    path = _one(buyer, tender_id, "/evaluation/complete")
    return client, path, {}, _state(buyer, tender_id), None


async def csrf_award(site, settings):
    buyer, (tender_id, _), client = await _municipal(site, settings, evaluated_tender)
    data = {"reasons": "CSRF"}
    return client, _one(buyer, tender_id, "/award"), data, _state(buyer, tender_id), None


async def _past_standstill(settings, buyer):
    tender_id = await awarded_tender(settings, buyer)
    await end_standstill(settings, tender_id)
    return tender_id


async def csrf_contract(site, settings):
    buyer, tender_id, client = await _municipal(site, settings, _past_standstill)
    return client, _one(buyer, tender_id, "/contract"), {}, _state(buyer, tender_id), None


async def _supplier(site, settings):
    buyer = await new_buyer(settings)
    tender_id = await new_tender(buyer)
    business = await new_business(settings)
    client = await site.browser(business.admin.pid)

    def probe(read):
        async def look():
            async with tenant_tx(business.scope):
                return await read()

        return look

    return business, tender_id, client, probe


async def csrf_question(site, settings):
    business, tender_id, client, probe = await _supplier(site, settings)
    path = f"{business.base}/tenders/{tender_id}/questions"
    data = {"question": "CSRF?"}
    return client, path, data, probe(lambda: tendering.questions(tender_id)), None


async def csrf_bid(site, settings):
    business, tender_id, client, probe = await _supplier(site, settings)
    data = {
        "idempotency_key": secrets.token_urlsafe(24),
        "price": "1000",
        "answer:Kvalitet": "CSRF",
        "answer:Kompetanse": "CSRF",
    }
    path = f"{business.base}/tenders/{tender_id}/bids"
    return client, path, data, probe(lambda: tendering.own_bids(tender_id)), None


async def _own_bid_case(site, settings, tail: str):
    business, tender_id, client, probe = await _supplier(site, settings)
    bid_id = await bid(settings, business, tender_id, "1000")
    path = f"{business.base}/bids/{bid_id}{tail}"
    return client, path, {}, probe(lambda: tendering.own_bid(bid_id)), None


async def csrf_withdraw(site, settings):
    return await _own_bid_case(site, settings, "/withdraw")


async def csrf_reconfirm(site, settings):
    return await _own_bid_case(site, settings, "/reconfirm")


_FORM = {
    "title": "CSRF",
    "estimated_value": "1000",
    "questions_deadline": "2099-01-01T10:00",
    "bid_deadline": "2099-01-02T10:00",
    "criterion-0": "Kvalitet",
    "weight-0": "60",
    "criterion-1": "Pris",
    "weight-1": "40",
    "price": "1",
}


async def csrf_edit(site, settings):
    buyer, tender_id, client = await _municipal(site, settings, _draft)
    probe = _in(buyer, lambda: _title(tender_id))
    return client, _one(buyer, tender_id, "/edit"), _FORM, probe, None


async def _title(tender_id):
    return (await tendering.get_tender(tender_id)).title


async def _signed(settings, buyer):
    tender_id = await _past_standstill(settings, buyer)
    async with tenant_tx(buyer.scope()):
        await tendering.sign_contract(tender_id, actor_person_id=buyer.officer.id)
    return tender_id


async def csrf_complete_tender(site, settings):
    buyer, tender_id, client = await _municipal(site, settings, _signed)
    return client, _one(buyer, tender_id, "/complete"), {}, _state(buyer, tender_id), None


async def _follower(site, settings, *, following: bool):
    buyer = await new_buyer(settings)
    business = await new_business(settings)
    nr = buyer.tenant.kommunenummer
    if following:
        async with tenant_tx(business.scope):
            await follows.follow(person_id=business.admin.id, kommunenummer=nr)
    client = await site.browser(business.admin.pid)

    async def probe():
        async with tenant_tx(business.scope):
            return await follows.follows()

    return business, nr, client, probe


async def csrf_follow(site, settings):
    business, nr, client, probe = await _follower(site, settings, following=False)
    return client, f"{business.base}/follows", {"kommune": nr}, probe, None


async def csrf_unfollow(site, settings):
    business, nr, client, probe = await _follower(site, settings, following=True)
    return client, f"{business.base}/follows/remove", {"kommune": nr}, probe, None


CSRF = {
    ("POST", K): csrf_create,
    ("POST", ONE + "/edit"): csrf_edit,
    ("POST", ONE + "/complete"): csrf_complete_tender,
    ("POST", ORG + "/follows"): csrf_follow,
    ("POST", ORG + "/follows/remove"): csrf_unfollow,
    ("POST", ONE + "/publish"): csrf_publish,
    ("POST", ONE + "/documents"): csrf_document,
    ("POST", ONE + "/answers"): csrf_answer,
    ("POST", ONE + "/opening"): csrf_opening,
    ("POST", ONE + "/cancel"): csrf_cancel,
    ("POST", ONE + "/evaluation/declaration"): csrf_declaration,
    ("POST", BID + "/qualification"): csrf_qualification,
    ("POST", BID + "/scores"): csrf_scores,
    ("POST", ONE + "/evaluation/complete"): csrf_complete,
    ("POST", ONE + "/award"): csrf_award,
    ("POST", ONE + "/contract"): csrf_contract,
    ("POST", ORG + "/tenders/{tender_id:int}/questions"): csrf_question,
    ("POST", ORG + "/tenders/{tender_id:int}/bids"): csrf_bid,
    ("POST", ORG + "/bids/{bid_id:int}/withdraw"): csrf_withdraw,
    ("POST", ORG + "/bids/{bid_id:int}/reconfirm"): csrf_reconfirm,
}

# --- cross-tenant asks: (label, who, values, status, data) -----------------------------------------


def _ids(nr: str = "a", tender: str = "tender_b", **more: str) -> Callable[[Any], dict]:
    def values(w) -> dict:
        found = {"kommunenummer": getattr(w, nr).kommunenummer, "tender_id": w.extra[tender]}
        return found | {key: w.extra[value] for key, value in more.items()}

    return values


def _org(org: str = "org_a", **more: str) -> Callable[[Any], dict]:
    def values(w) -> dict:
        found = {"organisasjonsnummer": getattr(w, org)[1]}
        return found | {key: w.extra[value] for key, value in more.items()}

    return values


def _public(tender: str, **more: str) -> Callable[[Any], dict]:
    return lambda w: {"tender_id": w.extra[tender]} | {k: w.extra[v] for k, v in more.items()}


def _municipal_asks(data: dict | None = None, *, own: int = 0, tender: str = "tender_b", **more):
    asks = [
        ("B's kommunenummer", "admin_a", _ids("b", tender, **more), 404, data or {}),
        ("A's kommunenummer, B's tender", "admin_a", _ids("a", tender, **more), 404, data or {}),
        ("A's kommunenummer, B's draft", "admin_a", _ids("a", "draft_b", **more), 404, data or {}),
    ]
    if own:
        asks.insert(0, ("A's own", "admin_a", _ids("a", "tender_a", **more), own, {}))
    return asks


def _kommune_only(own: int = 200) -> list:
    return [
        ("A's own", "admin_a", lambda w: {"kommunenummer": w.a.kommunenummer}, own, {}),
        ("B's kommunenummer", "admin_a", lambda w: {"kommunenummer": w.b.kommunenummer}, 404, {}),
    ]


_BID = {"idempotency_key": "x" * 24, "price": "1", "answer:Kvalitet": "x", "answer:Kompetanse": "x"}

CROSS = {
    ("GET", "/tenders/{tender_id:int}"): [
        ("B's published tender", "admin_a", _public("tender_b"), 200, {}),
        ("B's draft", "admin_a", _public("draft_b"), 404, {}),
    ],
    ("GET", "/tenders/{tender_id:int}/documents/{document_id:int}"): [
        (
            "B's draft's document",
            "admin_a",
            _public("draft_b", document_id="draft_document_b"),
            404,
            {},
        ),
        (
            "B's published tender, its draft's document",
            "admin_a",
            _public("tender_b", document_id="draft_document_b"),
            404,
            {},
        ),
    ],
    ("GET", "/tenders/{tender_id:int}/bid"): [
        ("B's published tender", "org_admin_a", _public("tender_b"), 303, {}),
        ("B's draft", "org_admin_a", _public("draft_b"), 404, {}),
    ],
    ("GET", "/api/v1/tenders/{tender_id:int}/ocds"): [
        ("B's published tender", "admin_a", _public("tender_b"), 200, {}),
        ("B's draft", "admin_a", _public("draft_b"), 404, {}),
    ],
    # The package's own uri: the same answer at the address the package names itself by.
    ("GET", "/tenders/{tender_id:int}/ocds.json"): [
        ("B's published tender", "admin_a", _public("tender_b"), 200, {}),
        ("B's draft", "admin_a", _public("draft_b"), 404, {}),
    ],
    ("GET", K): _kommune_only(),
    ("GET", K + "/new"): _kommune_only(),
    ("GET", K + "/new/weights"): _kommune_only(),
    ("POST", K): _kommune_only(0)[1:],
    ("GET", ONE): _municipal_asks(own=200),
    ("POST", ONE + "/publish"): _municipal_asks(),
    ("POST", ONE + "/documents"): _municipal_asks(),
    ("POST", ONE + "/answers"): _municipal_asks({"question": "x", "answer": "y"}),
    ("POST", ONE + "/opening"): _municipal_asks(),
    ("POST", ONE + "/cancel"): _municipal_asks({"reason": "Intruder"}),
    ("GET", ONE + "/evaluation"): _municipal_asks(),
    ("POST", ONE + "/evaluation/declaration"): _municipal_asks({"role": "evaluator"}),
    ("POST", ONE + "/evaluation/complete"): _municipal_asks(),
    ("POST", BID + "/qualification"): _municipal_asks({"qualified": "yes"}, bid_id="bid_b"),
    ("POST", BID + "/scores"): _municipal_asks({"score:Kvalitet": "5"}, bid_id="bid_b"),
    ("POST", ONE + "/award"): _municipal_asks({"reasons": "Intruder"}),
    ("POST", ONE + "/contract"): _municipal_asks(),
    ("POST", ONE + "/complete"): _municipal_asks(),
    ("GET", ONE + "/edit"): _municipal_asks(),
    ("POST", ONE + "/edit"): _municipal_asks(_FORM),
    ("GET", ONE + "/protocol"): _municipal_asks(own=200),
    ("GET", ONE + "/protocol.pdf"): _municipal_asks(own=200),
    ("GET", ORG + "/tenders/{tender_id:int}"): [
        ("A's own, B's published tender", "org_admin_a", _org(tender_id="tender_b"), 200, {}),
        ("A's own, B's draft", "org_admin_a", _org(tender_id="draft_b"), 404, {}),
        ("B's organisation", "org_admin_a", _org("org_b", tender_id="tender_b"), 404, {}),
    ],
    ("POST", ORG + "/tenders/{tender_id:int}/questions"): [
        ("A's own, B's draft", "org_admin_a", _org(tender_id="draft_b"), 404, {"question": "x"}),
        (
            "B's organisation",
            "org_admin_a",
            _org("org_b", tender_id="tender_b"),
            404,
            {"question": "x"},
        ),
    ],
    ("POST", ORG + "/tenders/{tender_id:int}/bids"): [
        ("A's own, B's draft", "org_admin_a", _org(tender_id="draft_b"), 404, _BID),
        ("B's organisation", "org_admin_a", _org("org_b", tender_id="tender_b"), 404, _BID),
    ],
    ("GET", ORG + "/follows"): [
        ("A's own", "org_admin_a", _org(), 200, {}),
        ("B's organisation", "org_admin_a", _org("org_b"), 404, {}),
    ],
    ("POST", ORG + "/follows"): [
        ("B's organisation", "org_admin_a", _org("org_b"), 404, {"region": "x"}),
    ],
    ("POST", ORG + "/follows/remove"): [
        ("B's organisation", "org_admin_a", _org("org_b"), 404, {"region": "x"}),
    ],
    ("GET", ORG + "/bids"): [
        ("A's own", "org_admin_a", _org(), 200, {}),
        ("B's organisation", "org_admin_a", _org("org_b"), 404, {}),
    ],
    ("GET", ORG + "/bids/{bid_id:int}"): [
        ("A's own, B's bid", "org_admin_a", _org(bid_id="bid_b"), 404, {}),
        ("B's organisation and bid", "org_admin_a", _org("org_b", bid_id="bid_b"), 404, {}),
    ],
    ("POST", ORG + "/bids/{bid_id:int}/withdraw"): [
        ("A's own, B's bid", "org_admin_a", _org(bid_id="bid_b"), 404, {}),
        ("B's organisation and bid", "org_admin_a", _org("org_b", bid_id="bid_b"), 404, {}),
    ],
    ("POST", ORG + "/bids/{bid_id:int}/reconfirm"): [
        ("A's own, B's bid", "org_admin_a", _org(bid_id="bid_b"), 404, {}),
        ("B's organisation and bid", "org_admin_a", _org("org_b", bid_id="bid_b"), 404, {}),
    ],
}
