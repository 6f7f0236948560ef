"""Enhetsregisteret, Brønnøysund's open register of businesses: a unit's name, form and
address, and who holds its roles. One adapter, one setting (its base URL); a register that
cannot be reached is said so, never guessed at."""

from __future__ import annotations

from datetime import date

import httpx
import msgspec

from services.access.signing import RoleHolder
from tenants.rules import is_valid_organisasjonsnummer

PUBLIC_API = "https://data.brreg.no/enhetsregisteret/api"


class RegisterUnavailable(Exception):
    """The register did not answer, or answered something it never should."""


class RegisteredUnit(msgspec.Struct, frozen=True):
    organisasjonsnummer: str
    name: str
    form_code: str
    form: str
    address: str
    deleted: bool = False


class _Name(msgspec.Struct):
    fornavn: str = ""
    mellomnavn: str = ""
    etternavn: str = ""


class _Person(msgspec.Struct):
    navn: _Name = msgspec.field(default_factory=_Name)
    fodselsdato: date | None = None
    erDoed: bool = False  # noqa: N815 - the register's own name


class _Code(msgspec.Struct):
    kode: str = ""
    beskrivelse: str = ""


class _Role(msgspec.Struct):
    type: _Code = msgspec.field(default_factory=_Code)
    person: _Person | None = None
    fratraadt: bool = False


class _RoleGroup(msgspec.Struct):
    roller: list[_Role] = []


class _Roles(msgspec.Struct):
    rollegrupper: list[_RoleGroup] = []


class _Address(msgspec.Struct):
    adresse: list[str | None] = []
    postnummer: str = ""
    poststed: str = ""


class _Unit(msgspec.Struct):
    organisasjonsnummer: str
    navn: str
    organisasjonsform: _Code = msgspec.field(default_factory=_Code)
    forretningsadresse: _Address | None = None
    postadresse: _Address | None = None
    slettedato: date | None = None


def _address(unit: _Unit) -> str:
    where = unit.forretningsadresse or unit.postadresse
    if where is None:
        return ""
    lines = [line for line in where.adresse if line]
    place = " ".join(p for p in (where.postnummer, where.poststed) if p)
    return ", ".join([*lines, place] if place else lines)


def unit_from(body: bytes) -> RegisteredUnit:
    unit = msgspec.json.decode(body, type=_Unit)
    return RegisteredUnit(
        organisasjonsnummer=unit.organisasjonsnummer,
        name=unit.navn,
        form_code=unit.organisasjonsform.kode,
        form=unit.organisasjonsform.beskrivelse,
        address=_address(unit),
        deleted=unit.slettedato is not None,
    )


def role_holders_from(body: bytes) -> list[RoleHolder]:
    """The persons holding a role; roles held by another unit (an accountant firm) are left out."""
    roles = msgspec.json.decode(body, type=_Roles)
    return [
        RoleHolder(
            role=role.type.kode,
            first_name=role.person.navn.fornavn,
            middle_name=role.person.navn.mellomnavn,
            last_name=role.person.navn.etternavn,
            birth_date=role.person.fodselsdato,
            resigned=role.fratraadt,
            deceased=role.person.erDoed,
        )
        for group in roles.rollegrupper
        for role in group.roller
        if role.person is not None
    ]


class Enhetsregisteret:
    """The register over HTTP; tests hand in a transport that answers with recorded bodies."""

    def __init__(
        self, base_url: str = PUBLIC_API, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.transport = transport

    async def _get(self, path: str) -> bytes | None:
        try:
            async with httpx.AsyncClient(
                base_url=self.base_url, transport=self.transport, timeout=5.0
            ) as client:
                answer = await client.get(path, headers={"accept": "application/json"})
        except httpx.HTTPError as error:
            raise RegisterUnavailable(str(error)) from error
        if answer.status_code == 404:
            return None
        if answer.status_code not in (200, 410):  # 410: deleted, and the body says since when
            raise RegisterUnavailable(f"{path}: HTTP {answer.status_code}")
        return answer.content

    async def unit(self, organisasjonsnummer: str) -> RegisteredUnit | None:
        """The unit, or None when the register has no unit of that number."""
        if not is_valid_organisasjonsnummer(organisasjonsnummer):
            return None
        body = await self._get(f"/enheter/{organisasjonsnummer}")
        try:
            return None if body is None else unit_from(body)
        except msgspec.DecodeError as error:
            raise RegisterUnavailable(f"unreadable unit: {error}") from error

    async def role_holders(self, organisasjonsnummer: str) -> list[RoleHolder]:
        if not is_valid_organisasjonsnummer(organisasjonsnummer):
            return []
        body = await self._get(f"/enheter/{organisasjonsnummer}/roller")
        try:
            return [] if body is None else role_holders_from(body)
        except msgspec.DecodeError as error:
            raise RegisterUnavailable(f"unreadable roles: {error}") from error
