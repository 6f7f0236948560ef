"""The demo's tenders, made through the tendering use-cases; loading them again changes nothing.

Meråker's is published with two sealed bids in; Grong's has been opened, scored and awarded
and is in its standstill. Grong's bids must arrive before its deadline by the database's
clock, so its deadline is set two seconds ahead and the load waits for it to pass, once.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal

from services.demo.seed import Demo
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
from tenants.identity import pid_hash

MERAAKER_TITLE = "Vidareføring av næringsutviklingsarbeidet 2026–2029"
GRONG_TITLE = "Prosjektleiing forprosjekt matforedling"

# Demo persons (services/demo/data.py) by pid.
INGRID, ARNE, SIRI = "05817397463", "12076512345", "23098823456"
JONAS, LISE, METTE = "14028545678", "02039156789", "19047867890"
BIDDERS = {JONAS: "915543219", LISE: "922817340", METTE: "931782258"}

MERAAKER_BIDS = {
    JONAS: ("1150000", "Vi held fram med næringsapparatet med to rådgjevarar i 60 %."),
    LISE: ("1090000", "Næringshagen tek over kontoret og knyter det til nettverket vårt."),
}
GRONG_BIDS = {
    JONAS: (
        "430000",
        {
            "Kvalitet": "Erfaren prosjektleiar, tett oppfølging.",
            "Kompetanse": "Matforedling og PLP.",
        },
    ),
    LISE: (
        "395000",
        {
            "Kvalitet": "Nettverk av produsentar i Namdalen.",
            "Kompetanse": "Inkubator for matbedrifter.",
        },
    ),
    METTE: (
        "360000",
        {
            "Kvalitet": "Lokalkunnskap og kort veg.",
            "Kompetanse": "Éin rådgjevar med landbruksbakgrunn.",
        },
    ),
}
GRONG_SCORES = {
    SIRI: {JONAS: (8, 7), LISE: (9, 8), METTE: (6, 5)},
    ARNE: {JONAS: (7, 7), LISE: (8, 9), METTE: (7, 5)},
}


async def _person_id(pid_key: bytes, pid: str) -> int:
    async with tenant_tx(Scope(operator=True, pid_hash=pid_hash(pid_key, pid))):
        return await connection().fetchval("select id from person where pid_hash = app_pid_hash()")


async def _existing(tenant_id: int, title: str) -> int | None:
    async with tenant_tx(tenant_id):
        return await connection().fetchval(
            "select id from tender where tenant_id = app_tenant_id() and title = $1", title
        )


async def _db_now():
    async with tenant_tx(Scope()):
        return await connection().fetchval("select clock_timestamp()")


async def _bid(
    tender_id: int,
    pid_key: bytes,
    pid: str,
    ids: dict,
    price: str,
    answers: dict,
    sealing_key: bytes,
) -> int:
    person = await _person_id(pid_key, pid)
    scope = Scope(person_id=person, organisation_id=ids[BIDDERS[pid]])
    async with tenant_tx(scope):
        receipt = await submit_bid(
            tender_id,
            person_id=person,
            idempotency_key=f"demo-bid-{tender_id}-{BIDDERS[pid]}",
            price=price,
            answers=answers,
            sealing_key=sealing_key,
        )
    return receipt.bid_id


async def _tender(
    tenant_id: int,
    actor: int,
    *,
    title: str,
    description: str,
    value: int,
    criteria: list[AwardCriterion],
    deadline,
) -> int:
    async with tenant_tx(Scope(tenant_id=tenant_id, person_id=actor)):
        tender = await create_tender(
            TenderDraft(
                title=title,
                description=description,
                estimated_value=Decimal(value),
                award_criteria=criteria,
                qualification_requirements=["Skatteattest", "Firmaattest", "Relevant erfaring"],
                questions_deadline=deadline - timedelta(seconds=1)
                if value < 1_000_000
                else deadline - timedelta(days=7),
                bid_deadline=deadline,
            ),
            actor_person_id=actor,
        )
        await publish_tender(tender.id, actor_person_id=actor)
    return tender.id


async def load_demo_tenders(demo: Demo) -> dict[str, int]:
    """Make the two demo tenders if they are not there yet; says how many tenders exist.

    Without the sealing key (the bids are sealed with it) there are none.
    """
    if demo.sealing_key is None:
        return {}
    pid_key, sealing_key, ids = demo.pid_key, demo.sealing_key, demo.ids
    meraaker, grong = ids["5034"], ids["5045"]
    if await _existing(meraaker, MERAAKER_TITLE) is None:
        ingrid = await _person_id(pid_key, INGRID)
        tender_id = await _tender(
            meraaker,
            ingrid,
            title=MERAAKER_TITLE,
            description="Drift av næringsutviklingsarbeidet i Meråker etter omstillingsprogrammet.",
            value=1_200_000,
            criteria=[AwardCriterion("Kvalitet", 60), AwardCriterion("Pris", 40, is_price=True)],
            deadline=await _db_now() + timedelta(days=14),
        )
        for pid, (price, text) in MERAAKER_BIDS.items():
            await _bid(tender_id, pid_key, pid, ids, price, {"Kvalitet": text}, sealing_key)
    if await _existing(grong, GRONG_TITLE) is None:
        await _grong(pid_key, sealing_key, ids, grong)
    return {"tenders": 2}


async def _grong(pid_key: bytes, sealing_key: bytes, ids: dict[str, int], grong: int) -> None:
    arne, siri = await _person_id(pid_key, ARNE), await _person_id(pid_key, SIRI)
    deadline = await _db_now() + timedelta(seconds=2)
    tender_id = await _tender(
        grong,
        arne,
        title=GRONG_TITLE,
        description="Prosjektleiing for forprosjektet om lokal foredling av kjøt og vilt.",
        value=450_000,
        criteria=[
            AwardCriterion("Kvalitet", 50),
            AwardCriterion("Kompetanse", 20),
            AwardCriterion("Pris", 30, is_price=True),
        ],
        deadline=deadline,
    )
    bids = {}
    for pid, (price, answers) in GRONG_BIDS.items():
        bids[pid] = await _bid(tender_id, pid_key, pid, ids, price, answers, sealing_key)
    for _ in range(100):  # until the database's clock has passed the deadline
        if await _db_now() >= deadline:
            break
        await asyncio.sleep(0.2)
    for opener in (arne, siri):
        async with tenant_tx(Scope(tenant_id=grong, person_id=opener)):
            await confirm_opening(tender_id, person_id=opener, sealing_key=sealing_key)
    for evaluator in (siri, arne):  # both score the bids, so both declare as evaluators
        pid = SIRI if evaluator == siri else ARNE
        async with tenant_tx(Scope(tenant_id=grong, person_id=evaluator)):
            await declare_interest(tender_id, person_id=evaluator, role="evaluator", conflicted=False)
            for bidder, (quality, competence) in GRONG_SCORES[pid].items():
                await score_bid(
                    tender_id,
                    bids[bidder],
                    evaluator_id=evaluator,
                    scores={"Kvalitet": quality, "Kompetanse": competence},
                )
    async with tenant_tx(Scope(tenant_id=grong, person_id=siri)):
        for bid_id in bids.values():  # every bid is checked before the award may go to one
            await record_qualification(tender_id, bid_id, actor_person_id=siri, qualified=True)
    async with tenant_tx(Scope(tenant_id=grong, person_id=arne)):
        await complete_evaluation(tender_id, actor_person_id=arne)
        await notify_award(
            tender_id,
            actor_person_id=arne,
            reasons="Tilbodet med høgast samla poengsum etter kvalitet, kompetanse og pris.",
        )
