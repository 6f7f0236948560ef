"""The Enhetsregisteret adapter read against the register's answers kept as fixtures, and what it
says when the register cannot be reached."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import httpx
import pytest

from services.access.enhetsregisteret import Enhetsregisteret, RegisterUnavailable
from services.access.signing import may_sign

FIXTURES = Path(__file__).parent / "enhetsregisteret"
DELETED = {"812345672"}


def recorded(request: httpx.Request) -> httpx.Response:
    """Answers as the register gives them: 404 for an unknown unit, 410 for a deleted one."""
    parts = request.url.path.rstrip("/").split("/")
    assert parts[:4] == ["", "enhetsregisteret", "api", "enheter"], request.url.path
    number, roles = parts[4], parts[5:] == ["roller"]
    path = FIXTURES / (f"{number}-roller.json" if roles else f"{number}.json")
    if not path.exists():
        return httpx.Response(404, json={"status": 404, "error": "Not Found"})
    return httpx.Response(
        410 if number in DELETED and not roles else 200, content=path.read_bytes()
    )


def register(handler=recorded) -> Enhetsregisteret:
    return Enhetsregisteret(
        "https://data.brreg.no/enhetsregisteret/api", transport=httpx.MockTransport(handler)
    )


async def test_a_unit_gives_its_name_form_and_address():
    unit = await register().unit("923456783")
    assert (unit.name, unit.form_code, unit.form, unit.deleted) == (
        "MERÅKER TRE OG BYGG AS",
        "AS",
        "Aksjeselskap",
        False,
    )
    assert unit.address == "Stasjonsveien 12, 7530 MERÅKER"


async def test_a_unit_without_a_business_address_gives_its_postal_address():
    unit = await register().unit("934567897")
    assert (unit.form_code, unit.address) == ("ENK", "Postboks 17, 7633 FROSTA")


async def test_an_unknown_number_is_no_unit_and_a_deleted_one_says_so():
    assert await register().unit("992345675") is None
    deleted = await register().unit("812345672")
    assert deleted is not None and deleted.deleted


async def test_an_invalid_number_is_never_sent():
    def refuse(request):
        raise AssertionError(f"asked the register for {request.url}")

    assert await register(refuse).unit("123456789") is None


async def test_the_role_holders_are_persons_only():
    holders = await register().role_holders("923456783")
    assert [(h.role, h.first_name, h.last_name) for h in holders] == [
        ("DAGL", "Ingrid", "Støen"),
        ("LEDE", "Ola", "Nordvik"),
        ("MEDL", "Kari", "Aune"),
        ("LEDE", "Per", "Gammel"),
    ]
    assert holders[0].birth_date == date(1978, 5, 21) and holders[3].resigned


async def test_the_daglig_leder_and_the_chair_may_sign_a_board_member_may_not():
    holders = await register().role_holders("923456783")
    assert may_sign(holders, "Ingrid Støen", date(1978, 5, 21))
    assert may_sign(holders, "Ola Nordvik", date(1961, 11, 3))
    assert not may_sign(holders, "Kari Aune", date(1985, 2, 28))
    assert not may_sign(holders, "Per Gammel", date(1950, 1, 9))  # resigned


async def test_the_innehavar_of_an_enkeltpersonforetak_may_sign():
    holders = await register().role_holders("934567897")
    assert may_sign(holders, "Lise Haugen", date(1990, 9, 30))


@pytest.mark.parametrize(
    "failure",
    [
        lambda request: httpx.Response(503, text="Service Unavailable"),
        lambda request: httpx.Response(200, text="<html>maintenance</html>"),
        lambda request: (_ for _ in ()).throw(httpx.ConnectError("no route to host")),
    ],
)
async def test_a_register_that_cannot_be_reached_says_so(failure):
    with pytest.raises(RegisterUnavailable):
        await register(failure).unit("923456783")
