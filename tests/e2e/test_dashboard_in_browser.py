"""In Chromium, with the real worker and scheduler: a council member watches the region dashboard,
and a change a municipality makes appears on it without a reload."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.e2e.servers import ROOT, running_product

pytestmark = pytest.mark.e2e

# Grong records a KPI measurement through the use-case, as its staff would, in a process of its
# own (the test's process keeps no pool on the run's database outside its event loop).
MEASURE = """
import asyncio
from datetime import date
from decimal import Decimal

from infra.db import Database
from infra.settings import load
import services.schema  # noqa: F401
from services.demo.programmes import PROGRAMME
from services.programmes import service as programmes
from tenants.context import Scope, connection, tenant_tx


async def main():
    database = Database(load().app_database_url, max_size=1)
    await database.start()
    try:
        async with tenant_tx(Scope()):
            grong = await connection().fetchval(
                "select id from municipality where kommunenummer = '5045'"
            )
        async with tenant_tx(Scope(tenant_id=grong)):
            programme = await programmes.programme_id_by_name(PROGRAMME)
            kpi = await programmes.kpi_id_by_code(programme, "new_businesses")
            await programmes.record_kpi_measurement(
                kpi, measured_on=date(2026, 12, 31), value=Decimal(977), source="E2E",
                actor_person_id=None,
            )
    finally:
        await database.stop()


asyncio.run(main())
"""


@pytest.fixture(scope="module")
def product_with_workers(tmp_path_factory, migrated):
    with running_product(tmp_path_factory.mktemp("dashboard"), workers=True) as urls:
        yield urls


def test_a_municipality_change_appears_on_the_open_region_dashboard_without_a_reload(
    page, product_with_workers
):
    base, issuer, _ = product_with_workers
    page.goto(base + "/")
    page.get_by_role("link", name="Logg inn med ID-porten").click()
    expect(page).to_have_url(re.compile("^" + re.escape(issuer) + "/authorize"))
    page.get_by_role("button", name=re.compile("Marit Aune")).click()
    expect(page).to_have_url(base + "/r/indre-namdal")

    page.goto(base + "/r/indre-namdal/dashboard")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Indre Namdal")
    # The worker counts the demo's events after it starts; the open page picks them up.
    expect(page.locator("#figures time")).to_be_visible(timeout=30_000)
    members = page.locator('table[data-table="municipalities"]')
    expect(members).to_contain_text("Grong", timeout=30_000)
    expect(page.locator(".dashboard-chart svg").first).to_be_visible()
    kpis = page.locator('table[data-table="kpis"]')
    expect(kpis.locator("tr", has_text="977")).to_have_count(0)
    page.evaluate("window.notReloaded = true")

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", MEASURE], cwd=ROOT, env=env, check=True, timeout=60)

    expect(kpis.locator("tr", has_text="977")).to_have_count(1, timeout=15_000)
    assert page.evaluate("window.notReloaded === true")
    # The council's drill-down: Grong's own totals, from the region's figures.
    members.get_by_role("link", name="Grong").click()
    expect(page).to_have_url(base + "/r/indre-namdal/dashboard/k/5045")
    expect(page.locator('table[data-table="kpis"] tr', has_text="977")).to_have_count(1)
