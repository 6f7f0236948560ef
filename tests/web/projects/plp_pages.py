"""A fresh municipality with a programme and PLP projects in every state the pages show."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import httpx

from services.programmes import service as programmes
from services.programmes.schemas import StrategyAreaInput
from services.projects import service as projects
from services.projects.schemas import NewProject
from tenants.context import Scope, tenant_tx
from tests.web.auth.idp import log_in
from tests.web.browsing import Person, Site, Tenant, in_municipality, new_person, new_tenant
from web.i18n import COOKIE as LANGUAGE_COOKIE


@dataclass
class Plp:
    tenant: Tenant
    owner: Person
    officer: Person
    programme_id: int
    areas: dict[str, int]  # name -> id
    projects: dict[str, int] = field(default_factory=dict)  # label -> id
    titles: dict[str, str] = field(default_factory=dict)  # label -> title

    @property
    def base(self) -> str:
        return f"/k/{self.tenant.kommunenummer}"

    def scope(self, person: Person | None = None) -> Scope:
        return Scope(tenant_id=self.tenant.id, person_id=(person or self.owner).id)


async def new_plp(
    settings, name: str = "Plpkommune", *, tenant: Tenant | None = None, owner: Person | None = None
) -> Plp:
    """Three projects: a running pre-study (tourism), a running pre-project (food), and a
    pre-study at its decision point, overdue, with its pre-project planned (industry).

    In a fresh municipality, or in `tenant` with `owner` (an admin there) as their owner."""
    tenant = tenant or await new_tenant(name)
    owner = owner or await new_person(settings, "Eigar", seat=in_municipality(tenant, "admin"))
    officer = await new_person(
        settings, "Sakshandsamar", seat=in_municipality(tenant, "case_officer")
    )
    plp = Plp(tenant, owner, officer, 0, {})
    async with tenant_tx(plp.scope()):
        plp.programme_id = await programmes.create_programme(
            name=f"Omstilling {tenant.name}",
            kind="omstilling",
            period_start=2025,
            period_end=2027,
            actor_person_id=owner.id,
        )
        for year in (2025, 2026, 2027):
            await programmes.add_funding_line(
                plp.programme_id,
                source="county",
                year=year,
                amount=Decimal(1_000_000),
                actor_person_id=owner.id,
            )
        areas = await programmes.set_strategy_areas(
            plp.programme_id,
            [
                StrategyAreaInput("Reiseliv", "Reiseliv", Decimal(60)),
                StrategyAreaInput("Industri", "Industri", Decimal(40)),
            ],
            actor_person_id=owner.id,
        )
        plp.areas = {a.name_nb: a.id for a in areas}
        for label, phase, area, budget in (
            ("tourism", "forstudie", "Reiseliv", 200_000),
            ("food", "forprosjekt", "Reiseliv", 800_000),
            ("industry", "forstudie", "Industri", 300_000),
        ):
            title = f"{label.title()} {tenant.kommunenummer}"
            plp.titles[label] = title
            plp.projects[label] = await projects.create_project(
                NewProject(
                    title=title,
                    phase=phase,
                    budget=Decimal(budget),
                    decided_on=date(2025, 3, 1),
                    owner_person_id=owner.id,
                    programme_id=plp.programme_id,
                    strategy_area_id=plp.areas[area],
                    mandate=f"Mandat for {label}",
                ),
                actor_person_id=owner.id,
            )
        await projects.plan_sub_project(
            plp.projects["industry"],
            "forprosjekt",
            mandate="Vidare med industrien",
            plan="Plan",
            budget=Decimal(650_000),
            actor_person_id=owner.id,
        )
        await projects.reach_decision_point(
            plp.projects["industry"],
            due_date=date.today() - timedelta(days=3),
            closing_report="Forstudien er ferdig.",
            actor_person_id=owner.id,
        )
    return plp


async def browser(site: Site, person: Person | None = None, lang: str = "en") -> httpx.AsyncClient:
    client = await site.browser()
    client.cookies.set(LANGUAGE_COOKIE, lang, domain="testserver.local")
    if person is not None:
        response = await log_in(client, site.provider, person.pid)
        assert response.status_code == 303, response.text
    return client


async def project_state(plp: Plp, label: str):
    async with tenant_tx(plp.scope()):
        return await projects.get_project(plp.projects[label], today=date.today())


def field_error(page: str, name: str) -> str | None:
    """The message shown beside the field, tied to it by aria-describedby."""
    found = re.search(rf'<p class="ds-validation-message" id="error-{name}"[^>]*>([^<]*)</p>', page)
    if found is None:
        return None
    assert f'aria-describedby="error-{name}' in page, "the message is not tied to its field"
    return html.unescape(found[1])
