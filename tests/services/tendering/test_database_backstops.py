"""The database's own rules on tendering, each tried with the Python checks out of the way: what
a bug in a use-case, or a hand-written query as the app role, still cannot do."""

from __future__ import annotations

import asyncpg
import pytest

from services.tendering.service import submit_bid
from tenants.context import connection, tenant_tx
from tests.services.tendering.tendering_helpers import (
    SEALING_KEY,
    answers,
    new_business,
    new_buyer,
    new_key,
    published_tender,
)

pytestmark = pytest.mark.usefixtures("database")


async def test_the_database_refuses_an_opening_completed_by_the_person_who_began_it():
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    async with tenant_tx(buyer.scope()):
        db = connection()
        await db.execute(
            "insert into tender_opening (tenant_id, tender_id, first_person_id)"
            " values (app_tenant_id(), $1, $2)",
            tender_id,
            buyer.officer,
        )
        with pytest.raises(asyncpg.CheckViolationError):
            async with db.transaction():
                await db.execute(
                    "update tender_opening set second_person_id = first_person_id,"
                    " completed_at = now() where tender_id = $1",
                    tender_id,
                )


async def test_the_database_refuses_an_opening_inserted_complete_with_one_person():
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    async with tenant_tx(buyer.scope()):
        with pytest.raises(asyncpg.CheckViolationError):
            await connection().execute(
                "insert into tender_opening (tenant_id, tender_id, first_person_id,"
                " second_person_id, completed_at) values (app_tenant_id(), $1, $2, $2, now())",
                tender_id,
                buyer.officer,
            )


async def test_a_price_written_with_a_new_bid_is_emptied_by_the_database():
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    business = await new_business()
    async with tenant_tx(business.scope):
        db = connection()
        price = await db.fetchval(
            "insert into bid (tenant_id, tender_id, organisation_id, submitted_by,"
            " idempotency_key, receipt_sha256, sealed_content, documents_version, price, rank)"
            " values ($1, $2, $3, $4, $5, $6, $7, 1, 123456.78, 1) returning price",
            buyer.tenant_id,
            tender_id,
            business.organisation_id,
            business.person_id,
            new_key(),
            bytes(32),
            b"sealed",
        )
    assert price is None


async def test_the_bidder_cannot_write_a_price_into_its_sealed_bid_before_the_opening():
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    business = await new_business()
    async with tenant_tx(business.scope):
        receipt = await submit_bid(
            tender_id,
            person_id=business.person_id,
            idempotency_key=new_key(),
            price="400000",
            answers=answers(),
            sealing_key=SEALING_KEY,
        )
        db = connection()
        with pytest.raises(
            asyncpg.PostgresError, match="only the municipality evaluates"
        ) as refused:
            async with db.transaction():
                await db.execute("update bid set price = 1 where id = $1", receipt.bid_id)
        assert refused.value.sqlstate == "SB004"
        assert await db.fetchval("select price from bid where id = $1", receipt.bid_id) is None
