"""The generated dataset at small scale: the counts its scale promises, and rows that keep the
rules the use-cases keep — bids sealed so that they open with the tender's key and match their
receipt, received before their deadline, sealed tenders' bids unseen by the municipality, cost
shares that make 100 %, grant plans that balance.

It loads into a database of its own, through the command line, so the run's shared database
never holds it; the checks read it as the app role, scope by scope.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import date
from decimal import Decimal

import asyncpg
import pytest

from infra.settings import database_name, load, with_database
from services.demo.national import SCALES
from services.demo.national.projects import PHASES, plan_project, shares
from services.demo.national.tenders import bid_counts
from services.tendering.sealing import SEALING_KEY_PURPOSE, receipt_digest, unseal_row
from tests.e2e.servers import ROOT

SMALL = SCALES["small"]


def test_cost_shares_of_a_regional_project_make_a_hundred():
    for lead in (40, 50):
        for others in (1, 2, 3):
            assert sum(shares(lead, others)) == 100
            assert min(shares(lead, others)) > 0


def test_bids_are_spread_to_the_exact_total_and_no_tender_gets_more_than_the_bidders():
    counts = bid_counts(random.Random(3), 70, 700, 12)
    assert sum(counts) == 700 and 1 <= min(counts) and max(counts) <= 12


def test_a_project_goes_through_the_plp_phases_in_order_and_the_same_seed_gives_the_same_course():
    today = date(2026, 11, 30)
    first = [plan_project(random.Random(f"7:{i}"), today) for i in range(200)]
    again = [plan_project(random.Random(f"7:{i}"), today) for i in range(200)]
    assert first == again
    for course in first:
        indexes = [PHASES.index(phase) for phase, _, _ in course["phases"]]
        assert indexes == list(range(indexes[0], indexes[0] + len(indexes)))
        assert indexes[0] in (0, 1)
        assert all(start <= end for _, start, end in course["phases"])


@pytest.fixture(scope="module")
def generated():
    """The small dataset in a database of its own; the generator's counts; dropped afterwards."""
    base = os.environ["SAMSPEL_DATABASE_URL"]
    url = with_database(base, database_name(base) + "_national")
    env = {**os.environ, "SAMSPEL_DATABASE_URL": url}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "services.cli", *args],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip

    _drop(url)
    try:
        assert run("migrate").returncode == 0
        done = run("generate", "--scale", "small", "--seed", "5")
        assert done.returncode == 0, done.stderr
        again = run("generate", "--scale", "small", "--seed", "5")
        yield load(env), json.loads(done.stdout.strip().splitlines()[-1]), again
    finally:
        _drop(url)


def _drop(url: str) -> None:
    async def drop():
        admin = await asyncpg.connect(with_database(url, "postgres"))
        try:
            await admin.execute(f'drop database if exists "{database_name(url)}" with (force)')
        finally:
            await admin.close()

    import asyncio

    asyncio.run(drop())


class AppRole:
    """The app role's connection, each block one transaction in one scope, as tenant_tx makes it."""

    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection

    async def fetch(self, sql: str, *args, **scope):
        async with self.connection.transaction():
            for name, value in scope.items():
                await self.connection.execute(
                    "select set_config($1, $2, true)", f"app.{name}", str(value)
                )
            return await self.connection.fetch(sql, *args)


@pytest.fixture
async def app_role(generated):
    settings = generated[0]
    connection = await asyncpg.connect(settings.app_database_url)
    yield AppRole(connection)
    await connection.close()


def test_the_small_scale_holds_what_it_promises_over_the_demo(generated):
    _, report, _ = generated
    rows = report["rows"]
    assert rows["municipality"] == SMALL.municipalities
    assert rows["region"] == SMALL.regions
    assert rows["organisation"] == SMALL.organisations
    # The demo's own projects, tenders, bids and applications come on top of the generated.
    assert SMALL.projects <= rows["project"] <= SMALL.projects + 10
    assert SMALL.tenders <= rows["tender"] <= SMALL.tenders + 5
    assert SMALL.bids <= rows["bid"] <= SMALL.bids + 10
    assert SMALL.applications <= rows["grant_application"] <= SMALL.applications + 5
    assert rows["kpi_measurement"] > 0 and rows["sub_project"] >= rows["project"]
    assert report["dashboards"] == [SMALL.municipalities, SMALL.regions]


def test_generating_twice_on_one_database_is_refused_and_changes_nothing(generated):
    _, _, again = generated
    assert again.returncode == 1
    assert "generate once" in again.stderr


async def _tenants(app_role: AppRole) -> list[int]:
    return [r["id"] for r in await app_role.fetch("select id from municipality order by id")]


async def test_every_opened_bid_opens_with_its_tenders_key_and_matches_its_receipt(
    generated, app_role
):
    key = generated[0].derived_key(SEALING_KEY_PURPOSE)
    checked = 0
    for tenant in await _tenants(app_role):
        rows = await app_role.fetch(
            "select b.*, t.bid_deadline, t.published_at from bid b join tender t"
            " on t.tenant_id = b.tenant_id and t.id = b.tender_id"
            " where b.tenant_id = app_tenant_id()",
            tenant_id=tenant,
        )
        for row in rows:
            content = unseal_row(key, row)
            assert receipt_digest(content) == bytes(row["receipt_sha256"])
            assert row["price"] == content.price
            assert json.loads(row["answers"]) == content.answers
            assert row["published_at"] <= row["received_at"] < row["bid_deadline"]
            checked += 1
    assert checked > SMALL.bids // 2


async def test_bids_on_open_tenders_stay_sealed_from_the_municipality_and_open_for_their_bidder(
    generated, app_role
):
    key = generated[0].derived_key(SEALING_KEY_PURPOSE)
    open_tenders = 0
    for tenant in await _tenants(app_role):
        seen = await app_role.fetch(
            "select count(*) as n from bid b join tender t on t.tenant_id = b.tenant_id"
            " and t.id = b.tender_id where t.state = 'published'",
            tenant_id=tenant,
        )
        assert seen[0]["n"] == 0
        open_tenders += len(
            await app_role.fetch(
                "select id from tender where state = 'published'", tenant_id=tenant
            )
        )
    assert open_tenders > 0
    organisations = await app_role.fetch("select id from organisation order by id")
    own = 0
    for organisation in organisations:
        for row in await app_role.fetch(
            "select * from bid where organisation_id = app_organisation_id() and price is null",
            organisation_id=organisation["id"],
        ):
            assert receipt_digest(unseal_row(key, row)) == bytes(row["receipt_sha256"])
            own += 1
    assert own > 0


async def test_projects_keep_plp_and_regional_cost_shares_make_a_hundred(generated, app_role):
    regional = 0
    for tenant in await _tenants(app_role):
        for row in await app_role.fetch(
            "select project_id, sum(cost_share) as total from project_participant"
            " where tenant_id = app_tenant_id() group by project_id",
            tenant_id=tenant,
        ):
            assert row["total"] == Decimal(100)
            regional += 1
        ungoverned = await app_role.fetch(
            "select s.id from sub_project s where s.tenant_id = app_tenant_id()"
            " and s.state <> 'planned' and not exists (select 1 from decision_point d"
            " where d.tenant_id = s.tenant_id and d.id = s.go_decision_id"
            " and d.outcome in ('go', 'go_with_conditions') and d.next_phase = s.phase)",
            tenant_id=tenant,
        )
        assert ungoverned == []
    assert regional > 0


async def test_every_submitted_application_balances_its_plans(generated, app_role):
    checked = 0
    for tenant in await _tenants(app_role):
        for row in await app_role.fetch(
            "select a.id, (select sum(amount) from grant_cost_line c where c.tenant_id = a.tenant_id"
            " and c.application_id = a.id) as costs, (select sum(amount) from grant_financing_line"
            " f where f.tenant_id = a.tenant_id and f.application_id = a.id) as financing,"
            " a.state, a.granted_amount, a.grantable_amount from grant_application a"
            " where a.tenant_id = app_tenant_id()",
            tenant_id=tenant,
        ):
            assert row["costs"] == row["financing"]
            if row["state"] == "granted":
                assert 0 < row["granted_amount"] <= row["grantable_amount"]
            checked += 1
    assert checked > 0
