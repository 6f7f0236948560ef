"""Registering a business: Enhetsregisteret names it, and only a person who may sign for it makes
it verified; an unverified business is registered but cannot bid."""

from __future__ import annotations

import os
from datetime import date

import httpx
import pytest

from services.access.enhetsregisteret import Enhetsregisteret
from services.access.registration import look_up_organisation
from services.access.service import register_organisation
from services.errors import Conflict, InvalidInput
from services.tenancy import service as tenancy
from services.tendering.errors import OrganisationUnverified
from services.tendering.service import submit_bid
from tenants.context import Scope, connection, tenant_tx
from tests.services.access.test_enhetsregisteret import recorded
from tests.services.tendering.tendering_helpers import (
    OPERATOR,
    SEALING_KEY,
    answers,
    new_buyer,
    new_key,
    published_tender,
)

pytestmark = pytest.mark.usefixtures("database")

AS = "923456783"  # Meråker Tre og Bygg AS: Ingrid Støen is daglig leder, Kari Aune a board member
DAGLIG_LEDER = ("Ingrid Støen", date(1978, 5, 21))
BOARD_MEMBER = ("Kari Aune", date(1985, 2, 28))


def register(handler=recorded) -> Enhetsregisteret:
    return Enhetsregisteret(transport=httpx.MockTransport(handler))


def unreachable(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("no route to host")


async def person(name: str) -> int:
    async with tenant_tx(Scope(operator=True, pid_hash=os.urandom(32))):
        return await tenancy.ensure_person(name, "person@example.org", "nb")


async def forget(organisasjonsnummer: str) -> None:
    """The fixtures' numbers are fixed: each test starts with no registration of them."""
    async with tenant_tx(OPERATOR):
        await connection().execute(
            "delete from membership where organisation_id in"
            " (select id from organisation where organisasjonsnummer = $1)",
            organisasjonsnummer,
        )
        await connection().execute(
            "update organisation set verified_at = null where organisasjonsnummer = $1",
            organisasjonsnummer,
        )


async def registers(who: tuple[str, date], *, handler=recorded, typed_name: str = ""):
    name, born = who
    person_id = await person(name)
    found = await look_up_organisation(
        register(handler), AS, typed_name=typed_name, person_name=name, birth_date=born
    )
    async with tenant_tx(Scope(person_id=person_id)):
        await register_organisation(found, person_id)
    async with tenant_tx(OPERATOR):
        row = await connection().fetchrow(
            "select id, name, form_code, address, verified_at from organisation"
            " where organisasjonsnummer = $1",
            AS,
        )
    return person_id, row


async def bids(person_id: int, organisation_id: int) -> None:
    buyer = await new_buyer()
    tender_id = await published_tender(buyer)
    async with tenant_tx(Scope(person_id=person_id, organisation_id=organisation_id)):
        await submit_bid(
            tender_id,
            person_id=person_id,
            idempotency_key=new_key(),
            price="100000",
            answers=answers(),
            sealing_key=SEALING_KEY,
        )


async def test_the_daglig_leder_registers_a_verified_business_named_by_the_register():
    await forget(AS)
    person_id, row = await registers(DAGLIG_LEDER)
    assert (row["name"], row["form_code"]) == ("MERÅKER TRE OG BYGG AS", "AS")
    assert row["address"] == "Stasjonsveien 12, 7530 MERÅKER"
    assert row["verified_at"] is not None
    await bids(person_id, row["id"])


async def test_a_board_member_registers_it_unverified_and_cannot_bid_until_a_signer_takes_over():
    await forget(AS)
    member_id, row = await registers(BOARD_MEMBER)
    assert row["verified_at"] is None
    with pytest.raises(OrganisationUnverified):
        await bids(member_id, row["id"])
    leader_id, row = await registers(DAGLIG_LEDER)
    assert row["verified_at"] is not None
    await bids(leader_id, row["id"])
    with pytest.raises(Conflict):  # verified now: others join by invitation
        await registers(BOARD_MEMBER)


async def test_with_the_register_unreachable_a_typed_name_registers_it_unverified():
    await forget(AS)
    with pytest.raises(InvalidInput) as refused:
        await registers(DAGLIG_LEDER, handler=unreachable)
    assert refused.value.field == "name"
    _, row = await registers(DAGLIG_LEDER, handler=unreachable, typed_name="Meråker Tre")
    assert row["verified_at"] is None


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("992345675", "organisation_unknown"),
        ("812345672", "organisation_deleted"),
        ("123456789", "organisasjonsnummer_invalid"),
    ],
)
async def test_a_number_the_register_does_not_know_or_has_deleted_is_refused(number, code):
    with pytest.raises(InvalidInput) as refused:
        await look_up_organisation(
            register(), number, typed_name="", person_name="Ingrid Støen", birth_date=None
        )
    assert (refused.value.code, refused.value.field) == (code, "organisasjonsnummer")
