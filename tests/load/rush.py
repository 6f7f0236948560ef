"""The deadline rush: 100 businesses send 500 bids in the last 60 seconds before six tenders'
deadline, and 50 more in the seconds after it, each through the bid form over HTTP as a
logged-in business's person does. Every bid sent before the deadline must be accepted, every
one after it refused, and every accepted one found in the database, received before the
deadline by the database's own clock.

The wall clock is not shortened: the tenders are published with their deadline 75 seconds
ahead, and the bids leave at their scheduled moments over the last 60 of them.
"""

from __future__ import annotations

import asyncio
import random
import re
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import httpx

from services.demo.national import names
from services.tendering.rules import AwardCriterion
from services.tendering.schemas import TenderDraft
from services.tendering.service import create_tender, publish_tender
from tenants.context import Scope, connection, tenant_tx
from tests.load.openloop import percentile
from tests.web.auth.idp import hidden_fields

SUPPLIERS, TENDERS, ON_TIME, LATE = 100, 6, 500, 50
WINDOW_S, AFTER_S, LEAD_S = 60.0, 5.0, 75.0
_BID = re.compile(r"/o/\d{9}/bids/(\d+)$")


@dataclass
class Sent:
    supplier: int
    tender_id: int
    at: float  # epoch seconds the request left
    done: float = 0.0
    status: int = 0
    bid_id: int | None = None


async def _login(base: str, pid: str) -> httpx.AsyncClient:
    """A business's person's browser, logged in through dev ID-porten's page."""
    client = httpx.AsyncClient(base_url=base, follow_redirects=False, timeout=30)
    authorize = (await client.get("/auth/login")).headers["location"]
    page = await client.get(authorize)
    chosen = await client.post(
        authorize.split("?")[0], data={**hidden_fields(page.text), "pid": pid}
    )
    await client.get(chosen.headers["location"])
    return client


async def publish(grong: int, actor: int, lead_s: float) -> tuple[list[int], float]:
    """Six tenders of Grong's, their deadline `lead_s` seconds ahead by the database's clock."""
    ids = []
    async with tenant_tx(Scope(tenant_id=grong, person_id=actor)):
        now = await connection().fetchval("select clock_timestamp()")
        deadline = now + timedelta(seconds=lead_s)
        for n in range(TENDERS):
            tender = await create_tender(
                TenderDraft(
                    title=f"Fristløp {n + 1}: prosessleiing",
                    description="Måling av innspurten før fristen.",
                    estimated_value=Decimal(450_000),
                    award_criteria=[AwardCriterion("Kvalitet", 60), AwardCriterion("Pris", 40, True)],
                    qualification_requirements=["Firmaattest"],
                    questions_deadline=deadline - timedelta(seconds=1),
                    bid_deadline=deadline,
                ),
                actor_person_id=actor,
            )
            await publish_tender(tender.id, actor_person_id=actor)
            ids.append(tender.id)
    return ids, deadline.timestamp()


async def run(
    base: str, grong: int, actor: int, suppliers: int = SUPPLIERS, seed: int = 14
) -> dict:
    """The rush with this many of the generated businesses (fewer only at the small scale)."""
    rng = random.Random(seed)
    on_time, late = ON_TIME * suppliers // SUPPLIERS, LATE * suppliers // SUPPLIERS
    clients = [await _login(base, names.supplier_pid(i)) for i in range(suppliers)]
    orgs = [names.organisasjonsnummer(i) for i in range(suppliers)]
    tenders, deadline = await publish(grong, actor, LEAD_S)
    tokens = []
    for client, org in zip(clients, orgs, strict=True):
        page = await client.get(f"/o/{org}/tenders/{tenders[0]}")
        assert page.status_code == 200, f"{org}'s tender page answered {page.status_code}"
        tokens.append(hidden_fields(page.text).get("_csrf_token", ""))
    pairs = rng.sample([(s, t) for s in range(suppliers) for t in tenders], on_time + late)
    plan = [Sent(s, t, deadline - rng.uniform(0.0, WINDOW_S)) for s, t in pairs[:on_time]] + [
        Sent(s, t, deadline + rng.uniform(0.05, AFTER_S)) for s, t in pairs[on_time:]
    ]
    window_start = time.time()

    async def send(sent: Sent) -> None:
        await asyncio.sleep(max(0.0, sent.at - time.time()))
        sent.at = time.time()
        response = await clients[sent.supplier].post(
            f"/o/{orgs[sent.supplier]}/tenders/{sent.tender_id}/bids",
            data={"_csrf_token": tokens[sent.supplier], "idempotency_key": secrets.token_urlsafe(24),
                  "price": str(rng.randint(300, 450) * 1000), "answer:Kvalitet": "Vårt svar."},
            files={"documents": ("", b"", "application/octet-stream")},
        )  # fmt: skip
        sent.done, sent.status = time.time(), response.status_code
        match = _BID.search(response.headers.get("location", ""))
        sent.bid_id = int(match.group(1)) if match and response.status_code == 303 else None

    await asyncio.gather(*(send(s) for s in plan))
    for client in clients:
        await client.aclose()
    stored = await _stored(orgs, tenders)
    return {**_judge(plan, stored, deadline, window_start), "suppliers": suppliers}


async def _stored(orgs: list[str], tenders: list[int]) -> dict[int, float]:
    """Every bid on the rush's tenders, read by its own organisation: id -> received (epoch)."""
    found: dict[int, float] = {}
    async with tenant_tx(Scope()):
        ids = await connection().fetch(
            "select id from organisation where organisasjonsnummer = any($1::text[])", orgs
        )
    for row in ids:
        async with tenant_tx(Scope(organisation_id=row["id"])):
            for bid in await connection().fetch(
                "select id, received_at from bid where organisation_id = app_organisation_id()"
                " and tender_id = any($1::bigint[])",
                tenders,
            ):
                found[bid["id"]] = bid["received_at"].timestamp()
    return found


def _judge(plan: list[Sent], stored: dict[int, float], deadline: float, start: float) -> dict:
    accepted = [s for s in plan if s.bid_id is not None]
    before = [s for s in plan if s.at < deadline]
    # Sent before the deadline, answered after it: the database's clock decides, either way.
    straddling = [s for s in before if s.done >= deadline]
    clear = [s for s in before if s.done < deadline]
    after = [s for s in plan if s.at >= deadline]
    latencies = [1000 * (s.done - s.at) for s in plan]
    return {
        "sent": len(plan),
        "sent_before": len(before),
        "sent_after": len(after),
        "accepted_before": sum(1 for s in clear if s.bid_id is not None),
        "answered_before": len(clear),
        "refused_after": sum(1 for s in after if s.bid_id is None and s.status in (409, 422)),
        "accepted_after": sum(1 for s in after if s.bid_id is not None),
        "straddling": len(straddling),
        "straddling_accepted": sum(1 for s in straddling if s.bid_id is not None),
        "lost": sum(1 for s in accepted if s.bid_id not in stored),
        "unanswered_rows": len(set(stored) - {s.bid_id for s in accepted}),
        "late_rows": sum(1 for received in stored.values() if received >= deadline),
        "statuses": sorted({s.status for s in plan}),
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "p99_accepted": percentile([1000 * (s.done - s.at) for s in accepted], 99),
        "window_s": deadline - start,
    }
