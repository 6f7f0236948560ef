"""Throwaway municipalities, people, businesses and tenders for the tendering tests."""

from __future__ import annotations

import asyncio
import os
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from services.tenancy import service as tenancy
from services.tendering.rules import AwardCriterion
from services.tendering.schemas import TenderDraft
from services.tendering.service import (
    complete_evaluation,
    confirm_opening,
    create_tender,
    declare_interest,
    notify_award,
    publish_tender,
    record_qualification,
    score_bid,
    submit_bid,
)
from tenants.context import Scope, connection, tenant_tx
from tests.tenants.helpers import new_municipality

OPERATOR = Scope(operator=True)
SEALING_KEY = b"k" * 32  # the tests' stand-in for settings.derived_key("sealed-bids")
CRITERIA = [
    AwardCriterion("Kvalitet", 50),
    AwardCriterion("Kompetanse", 20),
    AwardCriterion("Pris", 30, is_price=True),
]


def organisasjonsnummer() -> str:
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    while True:
        digits = [random.randint(1, 9)] + [random.randint(0, 9) for _ in range(7)]
        check = 11 - sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            return "".join(map(str, digits)) + str(check)


async def new_person(role: str, **target: int) -> int:
    scope = "municipality" if "municipality_id" in target else "organisation"
    async with tenant_tx(Scope(operator=True, pid_hash=os.urandom(32))):
        person_id = await tenancy.ensure_person("Test Person", "test@example.org", "nb")
        await tenancy.grant_membership(person_id, scope, role, **target)
    return person_id


@dataclass
class Business:
    organisation_id: int
    person_id: int

    @property
    def scope(self) -> Scope:
        return Scope(person_id=self.person_id, organisation_id=self.organisation_id)


async def new_business(name: str = "Testbedrift AS") -> Business:
    async with tenant_tx(OPERATOR):
        organisation_id = await tenancy.ensure_organisation(organisasjonsnummer(), name, None)
    person_id = await new_person("admin", organisation_id=organisation_id)
    return Business(organisation_id, person_id)


@dataclass
class Buyer:
    tenant_id: int
    officer: int
    evaluator: int

    def scope(self, person_id: int | None = None) -> Scope:
        return Scope(tenant_id=self.tenant_id, person_id=person_id or self.officer)


async def new_buyer() -> Buyer:
    tenant_id = await new_municipality()
    officer = await new_person("case_officer", municipality_id=tenant_id)
    evaluator = await new_person("evaluator", municipality_id=tenant_id)
    return Buyer(tenant_id, officer, evaluator)


async def db_clock() -> datetime:
    async with tenant_tx(OPERATOR):
        return await connection().fetchval("select clock_timestamp()")


async def published_tender(
    buyer: Buyer, *, bid_deadline: datetime | None = None, value: int = 450_000
) -> int:
    now = await db_clock()
    deadline = bid_deadline or now + timedelta(days=14)
    async with tenant_tx(buyer.scope()):
        tender = await create_tender(
            TenderDraft(
                title=f"Prosjektleiing {secrets.token_hex(3)}",
                description="Prosjektleiing for forprosjektet.",
                estimated_value=Decimal(value),
                award_criteria=CRITERIA,
                qualification_requirements=["Skatteattest", "Firmaattest"],
                questions_deadline=min(deadline, now + timedelta(days=7)),
                bid_deadline=deadline,
            ),
            actor_person_id=buyer.officer,
        )
        await publish_tender(tender.id, actor_person_id=buyer.officer)
    return tender.id


def answers(quality: str = "Vi har god erfaring.") -> dict[str, str]:
    return {"Kvalitet": quality, "Kompetanse": "Tre rådgjevarar med lang røynsle."}


def new_key() -> str:
    return secrets.token_urlsafe(24)


async def sleep_until(moment: datetime) -> None:
    """Wait until the database's clock has reached `moment`."""
    for _ in range(600):
        left = (moment - await db_clock()).total_seconds()
        if left <= 0:
            return
        await asyncio.sleep(min(left, 0.5))
    raise TimeoutError(f"the database clock never reached {moment}")


async def tender_with_bids(prices: list[str], *, seconds: float = 1.5):
    """A published tender whose deadline passes `seconds` from now, with one bid per price."""
    buyer = await new_buyer()
    deadline = await db_clock() + timedelta(seconds=seconds)
    tender_id = await published_tender(buyer, bid_deadline=deadline)
    businesses, receipts = [], []
    for n, price in enumerate(prices):
        business = await new_business(f"Tilbydar {n} AS")
        async with tenant_tx(business.scope):
            receipts.append(
                await submit_bid(
                    tender_id,
                    person_id=business.person_id,
                    idempotency_key=new_key(),
                    price=price,
                    answers=answers(f"Svar frå tilbydar {n}"),
                    sealing_key=SEALING_KEY,
                )
            )
        businesses.append(business)
    return buyer, tender_id, deadline, businesses, receipts


async def awarded_tender():
    """Three bids opened by two people, scored, one failing qualification, awarded."""
    buyer, tender_id, deadline, businesses, receipts = await tender_with_bids(
        ["400000", "450000", "300000"]
    )
    await sleep_until(deadline)
    async with tenant_tx(buyer.scope()):
        await confirm_opening(tender_id, person_id=buyer.officer, sealing_key=SEALING_KEY)
    async with tenant_tx(buyer.scope(buyer.evaluator)):
        await confirm_opening(tender_id, person_id=buyer.evaluator, sealing_key=SEALING_KEY)
        await declare_interest(
            tender_id, person_id=buyer.evaluator, role="evaluator", conflicted=False
        )
        first, second, third = (r.bid_id for r in receipts)
        await score_bid(
            tender_id, first, evaluator_id=buyer.evaluator, scores={"Kvalitet": 8, "Kompetanse": 6}
        )
        await score_bid(
            tender_id, second, evaluator_id=buyer.evaluator, scores={"Kvalitet": 9, "Kompetanse": 9}
        )
        for passed in (first, second):
            await record_qualification(
                tender_id, passed, actor_person_id=buyer.evaluator, qualified=True
            )
        await record_qualification(
            tender_id,
            third,
            actor_person_id=buyer.evaluator,
            qualified=False,
            reason="Skatteattest manglar",
        )
        ranked = await complete_evaluation(tender_id, actor_person_id=buyer.evaluator)
    async with tenant_tx(buyer.scope()):
        award = await notify_award(
            tender_id,
            actor_person_id=buyer.officer,
            reasons="Tildelt etter beste forhold mellom pris og kvalitet.",
        )
    return buyer, tender_id, businesses, receipts, ranked, award
