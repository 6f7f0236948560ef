"""Shared by the web tests: several browsers on one app, CSRF-carrying posts, fresh tenants and people.

Everything made here is new and random, so the tests can run again and again on one database.
"""

from __future__ import annotations

import html
import random
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field

import httpx

from services.errors import Conflict
from services.tenancy import service as tenancy
from tenants.context import Scope, tenant_tx
from tenants.identity import pid_hash
from tenants.rules import organisasjonsnummer_check_digit
from tests.web.auth.idp import Provider, log_in
from tests.web.conftest import serve
from web.app import create_app
from web.auth.sessions import COOKIE

JAR_DOMAIN = "testserver.local"  # where httpx's cookie jar files cookies for "testserver"
CSRF_COOKIE = "csrftoken"
OPERATOR = Scope(operator=True)
HTML = {"accept": "text/html"}


# --- made-up identities -----------------------------------------------------------------------


def random_pid() -> str:
    return "".join(random.choices("0123456789", k=11))


def random_organisasjonsnummer() -> str:
    while True:
        first = "".join(random.choices("0123456789", k=8))
        digit = organisasjonsnummer_check_digit(first)
        if digit is not None:
            return f"{first}{digit}"


def invalid_organisasjonsnummer() -> str:
    """Nine digits whose check digit is wrong."""
    good = random_organisasjonsnummer()
    return good[:8] + str((int(good[8]) + 1) % 10)


def random_slug(prefix: str = "test") -> str:
    return f"{prefix}-{random.randrange(16**8):08x}"


async def free_kommunenummer() -> str:
    """An unused kommunenummer from the 9xxx range, which no real county uses."""
    async with tenant_tx(OPERATOR) as tx:
        taken = {
            r["kommunenummer"]
            for r in await tx.connection.fetch("select kommunenummer from municipality")
        }
    free = [f"{n:04d}" for n in range(9000, 10000) if f"{n:04d}" not in taken]
    assert free, "the 9xxx range is used up: clean the test database"
    return random.choice(free)


# --- tenants and people, made through the operator's use-cases ---------------------------------


@dataclass
class Person:
    pid: str
    id: int
    name: str
    email: str
    memberships: dict[str, int] = field(default_factory=dict)  # a label -> membership id


@dataclass
class Tenant:
    id: int
    kommunenummer: str
    name: str
    region_id: int
    region_slug: str


async def new_tenant(name: str = "Testkommune") -> Tenant:
    """A fresh region holding one fresh municipality."""
    slug = random_slug()
    async with tenant_tx(OPERATOR):
        region_id = await tenancy.ensure_region(slug, f"Region {slug}")
    for _ in range(5):  # another test may take the same free number at the same moment
        nr = await free_kommunenummer()
        try:
            async with tenant_tx(OPERATOR):
                municipality_id = await tenancy.create_municipality(nr, f"{name} {nr}", "nb")
                await tenancy.add_to_region(region_id, municipality_id)
        except Conflict:
            continue
        return Tenant(municipality_id, nr, f"{name} {nr}", region_id, slug)
    raise AssertionError("no free kommunenummer")


async def new_organisation(name: str = "Testbedrift AS") -> tuple[int, str]:
    nr = random_organisasjonsnummer()
    async with tenant_tx(OPERATOR):
        return await tenancy.ensure_organisation(nr, f"{name} {nr}", None), nr


async def new_person(settings, name: str = "Test Person", **memberships: dict) -> Person:
    """A person who has been here before, with the memberships named (label -> grant kwargs)."""
    pid = random_pid()
    email = f"{pid}@test.example"
    scope = Scope(operator=True, pid_hash=pid_hash(settings.derived_key("pid"), pid))
    async with tenant_tx(scope):
        person_id = await tenancy.ensure_person(f"{name} {pid[-4:]}", email, "nb")
        granted = {
            label: await tenancy.grant_membership(person_id, **grant)
            for label, grant in memberships.items()
        }
    return Person(pid, person_id, f"{name} {pid[-4:]}", email, granted)


def in_municipality(tenant: Tenant, role: str) -> dict:
    return {"scope": "municipality", "role": role, "municipality_id": tenant.id}


async def operator_rows(sql: str, *args) -> list[dict]:
    """Rows as the platform operator sees them (through row-level security, as the app role)."""
    async with tenant_tx(OPERATOR) as tx:
        return [dict(r) for r in await tx.connection.fetch(sql, *args)]


# --- browsers ------------------------------------------------------------------------------------


def text_of(response: httpx.Response) -> str:
    """The page as a reader sees it: MiniJinja escapes even "/" as &#x2f; in what it fills in."""
    return html.unescape(response.text)


def csrf_token(client: httpx.AsyncClient) -> str | None:
    return client.cookies.get(CSRF_COOKIE, domain=JAR_DOMAIN)


def session_cookie(client: httpx.AsyncClient) -> str | None:
    return client.cookies.get(COOKIE, domain=JAR_DOMAIN)


async def ensure_csrf(client: httpx.AsyncClient) -> str:
    """Litestar hands out the CSRF cookie on a safe request; get one if this browser has none."""
    if csrf_token(client) is None:
        await client.get("/health/live")
        if csrf_token(client) is None:
            await client.get("/")
    token = csrf_token(client)
    assert token, "no csrftoken cookie was set"
    return token


async def post(
    client: httpx.AsyncClient, path: str, data: dict | None = None, **kwargs
) -> httpx.Response:
    """A form post as a page sends it: with the CSRF token in the hidden field."""
    token = await ensure_csrf(client)
    return await client.post(path, data={**(data or {}), "_csrf_token": token}, **kwargs)


class Site:
    """One app, reached by as many browsers (cookie jars) as a test needs."""

    def __init__(self, first: httpx.AsyncClient, provider: Provider, stack: AsyncExitStack):
        self.first = first
        self.provider = provider
        self._stack = stack

    async def browser(self, pid: str | None = None) -> httpx.AsyncClient:
        """A new browser, logged in as pid when given (through the provider, like a person)."""
        client = await self._stack.enter_async_context(
            httpx.AsyncClient(
                transport=self.first._transport,  # noqa: SLF001 - the app the first one reaches
                base_url=self.first.base_url,
            )
        )
        if pid is not None:
            response = await log_in(client, self.provider, pid)
            assert response.status_code == 303, response.text
        return client


@asynccontextmanager
async def open_site(settings, database, provider: Provider):
    app = create_app(settings, database=database, oidc_transport=provider.transport)
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(serve(app))
        yield Site(first, provider, stack)
