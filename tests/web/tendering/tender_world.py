"""A fresh municipality with a case officer and an evaluator, businesses with their admins, and
tenders made through the use-cases, for the tender pages' tests."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

import asyncpg

from services.tendering import service as tendering
from services.tendering.rules import AwardCriterion
from services.tendering.schemas import TenderDraft
from services.tendering.sealing import SEALING_KEY_PURPOSE
from tenants.context import NOBODY, Scope, connection, tenant_tx
from tests.web.browsing import (
    Person,
    Tenant,
    in_municipality,
    new_organisation,
    new_person,
    new_tenant,
)

CRITERIA = [
    AwardCriterion("Kvalitet", 50),
    AwardCriterion("Kompetanse", 20),
    AwardCriterion("Pris", 30, is_price=True),
]


@dataclass
class Business:
    organisation_id: int
    organisasjonsnummer: str
    admin: Person

    @property
    def scope(self) -> Scope:
        return Scope(person_id=self.admin.id, organisation_id=self.organisation_id)

    @property
    def base(self) -> str:
        return f"/o/{self.organisasjonsnummer}"


@dataclass
class Buyer:
    tenant: Tenant
    officer: Person
    evaluator: Person
    tenders: dict[str, int] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"/k/{self.tenant.kommunenummer}/tenders"

    def scope(self, person: Person | None = None) -> Scope:
        return Scope(tenant_id=self.tenant.id, person_id=(person or self.officer).id)


async def new_buyer(settings, name: str = "Anbodskommune") -> Buyer:
    tenant = await new_tenant(name)
    officer = await new_person(
        settings, "Sakshandsamar", seat=in_municipality(tenant, "case_officer")
    )
    evaluator = await new_person(settings, "Evaluator", seat=in_municipality(tenant, "evaluator"))
    return Buyer(tenant, officer, evaluator)


async def new_business(settings, name: str = "Tilbydar AS") -> Business:
    organisation_id, nr = await new_organisation(name)
    admin = await new_person(
        settings,
        "Dagleg leiar",
        seat={"scope": "organisation", "role": "admin", "organisation_id": organisation_id},
    )
    return Business(organisation_id, nr, admin)


async def db_clock() -> datetime:
    async with tenant_tx(NOBODY):
        return await connection().fetchval("select clock_timestamp()")


async def new_tender(
    buyer: Buyer,
    *,
    publish: bool = True,
    bid_deadline: datetime | None = None,
    title: str | None = None,
    value: int = 450_000,
) -> int:
    now = await db_clock()
    deadline = bid_deadline or now + timedelta(days=14)
    async with tenant_tx(buyer.scope()):
        tender = await tendering.create_tender(
            TenderDraft(
                title=title or f"Prosjektleiing {secrets.token_hex(3)}",
                description="Prosjektleiing for forprosjektet.",
                estimated_value=Decimal(value),
                award_criteria=CRITERIA,
                qualification_requirements=["Skatteattest"],
                questions_deadline=min(deadline - timedelta(seconds=1), now + timedelta(days=7)),
                bid_deadline=deadline,
            ),
            actor_person_id=buyer.officer.id,
        )
        if publish:
            await tendering.publish_tender(tender.id, actor_person_id=buyer.officer.id)
    return tender.id


async def bid(
    settings, business: Business, tender_id: int, price: str, quality: str = "God"
) -> int:
    async with tenant_tx(business.scope):
        receipt = await tendering.submit_bid(
            tender_id,
            person_id=business.admin.id,
            idempotency_key=secrets.token_urlsafe(24),
            price=price,
            answers={"Kvalitet": quality, "Kompetanse": "Lang røynsle"},
            sealing_key=settings.derived_key(SEALING_KEY_PURPOSE),
        )
    return receipt.bid_id


async def wait_for(moment: datetime) -> None:
    """Until the database's clock has reached `moment`."""
    for _ in range(300):
        left = (moment - await db_clock()).total_seconds()
        if left <= 0:
            return
        await asyncio.sleep(min(left, 0.2))
    raise TimeoutError(f"the database clock never reached {moment}")


async def opened_tender(
    settings,
    buyer: Buyer,
    prices: tuple[str, ...] = ("400000", "300000"),
    businesses: list[Business] | None = None,
):
    """A tender whose deadline has passed with one bid per price, opened by two people."""
    deadline = await db_clock() + timedelta(seconds=2)
    tender_id = await new_tender(buyer, bid_deadline=deadline)
    businesses = businesses or [await new_business(settings) for _ in prices]
    bids = [await bid(settings, b, tender_id, p) for b, p in zip(businesses, prices, strict=True)]
    await wait_for(deadline)
    key = settings.derived_key(SEALING_KEY_PURPOSE)
    for opener in (buyer.officer, buyer.evaluator):
        async with tenant_tx(buyer.scope(opener)):
            await tendering.confirm_opening(tender_id, person_id=opener.id, sealing_key=key)
    return tender_id, bids


async def evaluated_tender(settings, buyer: Buyer, businesses: list[Business] | None = None):
    tender_id, bids = await opened_tender(settings, buyer, businesses=businesses)
    async with tenant_tx(buyer.scope(buyer.evaluator)):
        await tendering.declare_interest(
            tender_id, person_id=buyer.evaluator.id, role="evaluator", conflicted=False
        )
        for bid_id in bids:
            await tendering.score_bid(
                tender_id,
                bid_id,
                evaluator_id=buyer.evaluator.id,
                scores={"Kvalitet": 7, "Kompetanse": 7},
            )
            await tendering.record_qualification(
                tender_id, bid_id, actor_person_id=buyer.evaluator.id, qualified=True
            )
        await tendering.complete_evaluation(tender_id, actor_person_id=buyer.evaluator.id)
    return tender_id, bids


async def awarded_tender(settings, buyer: Buyer, businesses: list[Business] | None = None) -> int:
    """Two bids, 400 000 and 300 000, scored alike: the cheaper one wins."""
    tender_id, _ = await evaluated_tender(settings, buyer, businesses)
    async with tenant_tx(buyer.scope()):
        await tendering.notify_award(tender_id, actor_person_id=buyer.officer.id, reasons="Best.")
    return tender_id


async def end_standstill(settings, tender_id: int) -> None:
    """Move the standstill's end into the past, as ten days' waiting would: the schema's owner
    writes it (the app role may not), the database's clock still judges the signing."""
    owner = await asyncpg.connect(settings.owner_database_url)
    try:
        await owner.execute(
            "update tender set standstill_ends_at = clock_timestamp() - interval '1 second'"
            " where id = $1",
            tender_id,
        )
    finally:
        await owner.close()
