"""The project list reads the visible projects as rows (VISIBLE_ROWS, MINE_ROWS): each must be
exactly what the project policy alone shows, or VISIBLE and MINE name, and each project once,
also when the lead takes part in its own regional project and when a council reads."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest

from services.projects import service as projects
from services.projects.service._common import MINE, MINE_ROWS, VISIBLE, VISIBLE_ROWS
from tenants.context import NOBODY, Scope, connection, tenant_tx
from tests.services.projects.plp_helpers import (
    REPORT,
    kommunenummer,
    new_kommune,
    new_person,
    new_project,
    new_region,
)

pytestmark = pytest.mark.usefixtures("database")

# status_reports_due as it read before MINE_ROWS: every report of the projects grouped.
REPORTS_GROUPED = (
    "select p.id, max(r.period_end) from project p left join status_report r"
    " on r.tenant_id = p.tenant_id and r.project_id = p.id"
    f" where p.status = 'active' and {MINE} group by p.tenant_id, p.id"
)


async def _keys(sql: str) -> Counter:
    return Counter(tuple(r) for r in await connection().fetch(sql))


@pytest.fixture
async def scopes() -> dict[str, Scope]:
    """A region's lead (in its own regional project too), a participant, an outsider in the
    region, the region's council and another region's; each with a local project of its own."""
    lead, part, outsider = [await new_kommune(n) for n in ("Leiar", "Deltakar", "Utanfor")]
    region_id = await new_region(lead.id, part.id, outsider.id)
    other_region = await new_region((await new_kommune("Annan region")).id)
    shares = {await kommunenummer(lead.id): Decimal(60), await kommunenummer(part.id): Decimal(40)}
    regional = await new_project(lead.id, lead.owner, cost_shares=shares)
    async with tenant_tx(part.scope(part.officer)):
        await projects.add_status_report(regional, REPORT, actor_person_id=part.officer)
    for kommune in (lead, part, outsider):
        await new_project(kommune.id, kommune.owner)
    council = await new_person("Rådsmedlem", region_id=region_id)
    other_council = await new_person("Anna rådsmedlem", region_id=other_region)
    return {
        "lead": lead.scope(),
        "participant": part.scope(),
        "outsider": outsider.scope(),
        "council": Scope(region_id=region_id, person_id=council),
        "other council": Scope(region_id=other_region, person_id=other_council),
        "nobody": NOBODY,
    }


async def test_visible_rows_are_the_policys_rows_each_once(scopes):
    for name, scope in scopes.items():
        async with tenant_tx(scope):
            by_policy = await _keys("select tenant_id, id from project")
            as_rows = await _keys(f"select p.tenant_id, p.id from {VISIBLE_ROWS} p")
            as_keys = await _keys(f"select p.tenant_id, p.id from project p where {VISIBLE}")
        assert as_rows == by_policy == as_keys, name
        assert set(as_rows.values()) <= {1}, name
        assert (len(as_rows) > 0) == (name not in ("other council", "nobody")), name


async def test_mine_rows_are_mines_rows_each_once(scopes):
    for name, scope in scopes.items():
        async with tenant_tx(scope):
            as_rows = await _keys(f"select p.tenant_id, p.id from {MINE_ROWS} p")
            as_keys = await _keys(f"select p.tenant_id, p.id from project p where {MINE}")
        assert as_rows == as_keys, name
        assert set(as_rows.values()) <= {1}, name
    async with tenant_tx(scopes["participant"]):
        assert len(await _keys(f"select p.tenant_id, p.id from {MINE_ROWS} p")) == 2


async def test_the_list_shows_and_counts_each_visible_project_once(scopes):
    for name, scope in scopes.items():
        async with tenant_tx(scope):
            seen = await _keys("select tenant_id, id from project")
            rows, total = await projects.project_page(limit=1000)
            first, first_total = await projects.project_page(limit=1)
        assert Counter((r.lead_municipality_id, r.id) for r in rows) == seen, name
        assert total == first_total == len(seen), name
        assert first == rows[:1], name


async def test_reports_due_are_the_grouped_reports_of_my_running_projects(scopes):
    later = date.today() + timedelta(days=3650)
    for name, scope in scopes.items():
        async with tenant_tx(scope):
            grouped = {tuple(r) for r in await connection().fetch(REPORTS_GROUPED)}
            due, total = await projects.status_reports_due(later)
        assert {(r.project_id, r.last_reported) for r in due} == grouped, name
        assert total == len(due) == len(grouped), name
    async with tenant_tx(scopes["participant"]):
        due, _ = await projects.status_reports_due(later)
    assert REPORT.period_end in {r.last_reported for r in due}
