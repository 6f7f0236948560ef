"""Registering a business through the page, with Enhetsregisteret's recorded answers: the register
names it, a daglig leder makes it verified, and a register that is down is said so at the form."""

from __future__ import annotations

from contextlib import AsyncExitStack

import httpx
import pytest

from tenants.context import Scope, tenant_tx
from tenants.identity import pid_hash
from tests.services.access.test_enhetsregisteret import recorded
from tests.services.access.test_registration import AS, forget
from tests.web.auth.idp import Provider
from tests.web.browsing import Site, operator_rows, post, text_of
from tests.web.conftest import serve
from web.app import create_app

INGRID_PID = "21057812345"  # born 21 May 1978, as the register has its daglig leder


@pytest.fixture
async def site(settings, database, demo):
    provider = Provider(settings)
    app = create_app(
        settings,
        database=database,
        oidc_transport=provider.transport,
        register_transport=httpx.MockTransport(recorded),
    )
    async with serve(app) as first, AsyncExitStack() as stack:
        yield Site(first, provider, stack)


async def test_the_daglig_leder_registers_her_business_by_its_number_alone(site, settings):
    from services.tenancy import service as tenancy

    await forget(AS)
    async with tenant_tx(
        Scope(operator=True, pid_hash=pid_hash(settings.derived_key("pid"), INGRID_PID))
    ):
        await tenancy.ensure_person("Ingrid Støen", "ingrid@example.org", "nb")
    client = await site.browser(INGRID_PID)
    done = await post(client, "/organisations", {"organisasjonsnummer": "923 456 783"})
    assert done.status_code == 303, text_of(done)
    [row] = await operator_rows(
        "select name, form_code, verified_at from organisation where organisasjonsnummer = $1", AS
    )
    assert (row["name"], row["form_code"]) == ("MERÅKER TRE OG BYGG AS", "AS")
    assert row["verified_at"] is not None


async def test_a_register_that_is_down_asks_for_the_name_in_the_readers_language(
    settings, database, demo
):
    from tests.web.browsing import new_person, random_organisasjonsnummer

    provider = Provider(settings)
    app = create_app(settings, database=database, oidc_transport=provider.transport)
    async with serve(app) as first, AsyncExitStack() as stack:
        site = Site(first, provider, stack)
        person = await new_person(settings)
        client = await site.browser(person.pid)
        client.cookies.set("samspel_lang", "nn", domain="testserver.local")
        page = await post(
            client, "/organisations", {"organisasjonsnummer": random_organisasjonsnummer()}
        )
    assert page.status_code == 422
    assert "Einingsregisteret svarar ikkje akkurat no." in text_of(page)
