"""The demo's programme and PLP projects in Indre Namdal, made through the use-cases.

Loaded after the regions and persons; each part is made once, found again by its name on
the next load, so loading twice leaves the same rows (and the same audit chains).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from services.demo.data import DemoMembership, DemoPerson
from services.demo.seed import Demo
from services.programmes import service as programmes
from services.programmes.schemas import GoalInput, StrategyAreaInput, StrategyAreaView
from services.projects import service as projects
from services.projects.schemas import NewProject, SteeringMemberInput
from services.tenancy import service as tenancy
from tenants.context import Scope, connection, tenant_tx
from tenants.identity import pid_hash

PROGRAMME = "Omstilling Indre Namdal 2025–2030"
GRONG, NAMSSKOGAN, ROYRVIK, LIERNE = "5045", "5044", "5043", "5042"
OWNER_OF_GRONG = "12076512345"  # Arne Lyngstad in data.PERSONS

# Grong's own pre-study at its decision point, so the owner who can log in on the dev
# ID-porten page (Arne Lyngstad) has a decision to record; the Lierne one's owner cannot.
TOURISM = "Forstudie: Opplevingsturisme langs Namsen, Grong"

# The owners of the projects Lierne and Namsskogan lead. They are made here, not in
# data.PERSONS, so they are not (yet) on the dev ID-porten login page.
PROJECT_OWNERS = (
    DemoPerson(
        "16057423456",
        "Randi Holand",
        "randi.holand@lierne.example",
        "nn",
        "Kommunedirektør, Lierne (project owner)",
        (DemoMembership("municipality", "admin", LIERNE),),
    ),
    DemoPerson(
        "21096834567",
        "Torstein Brekken",
        "torstein.brekken@namsskogan.example",
        "nn",
        "Kommunedirektør, Namsskogan (project owner)",
        (DemoMembership("municipality", "admin", NAMSSKOGAN),),
    ),
)

FUNDING_PER_YEAR = {"county": 6_000_000, "municipality": 1_500_000, "business": 500_000}
AREAS = (
    ("Reiseliv og opplevelser", "Reiseliv og opplevingar", 30),
    ("Landbruk og matforedling", "Landbruk og matforedling", 20),
    ("Tre og industri", "Tre og industri", 20),
    ("Helse og velferdsteknologi", "Helse og velferdsteknologi", 10),
    ("Stedsutvikling og rekruttering", "Stadutvikling og rekruttering", 20),
)
BOARD = (
    ("Ola Tangen", "politician"),
    ("Kari Bjørnstad", "politician"),
    ("Per Inge Kvam", "business"),
    ("Hanne Sandvik", "business"),
    ("Jon Egil Formo", "business"),
    ("Trøndelag fylkeskommune v/ Eva Lien", "observer"),
)
# Cumulative targets per year; 2030 holds the programme's goals: 120 / 80 / 25.
KPI_TARGETS = {
    "new_jobs": (10, 30, 55, 80, 100, 120),
    "secured_jobs": (10, 25, 40, 55, 70, 80),
    "new_businesses": (2, 6, 11, 16, 21, 25),
}
YEARS = range(2025, 2031)


async def load_programmes(demo: Demo) -> dict[str, int]:
    """Upsert the programme and the four projects; returns how many of each the demo holds."""
    pid_key, municipality_ids = demo.pid_key, demo.ids
    owners = {GRONG: await _person(pid_key, OWNER_OF_GRONG, municipality_ids[GRONG])}
    for person in PROJECT_OWNERS:
        nr = person.memberships[0].target
        owners[nr] = await _ensure_owner(pid_key, person, municipality_ids[nr])
    grong = Scope(tenant_id=municipality_ids[GRONG], person_id=owners[GRONG])
    async with tenant_tx(grong):
        programme_id = await programmes.programme_id_by_name(PROGRAMME)
        if programme_id is None:
            programme_id = await _programme(owners[GRONG])
        areas = {
            a.name_nn: a.id
            for a in (await programmes.programme_overview(programme_id)).strategy_areas
        }
        await _meat_processing(owners[GRONG], programme_id, areas)
        await _industry_skills(owners[GRONG], programme_id, areas)
        await _tourism_study(owners[GRONG], programme_id, areas)
    lierne = Scope(tenant_id=municipality_ids[LIERNE], person_id=owners[LIERNE])
    async with tenant_tx(lierne):
        await _destination_study(owners[LIERNE])
    namsskogan = Scope(tenant_id=municipality_ids[NAMSSKOGAN], person_id=owners[NAMSSKOGAN])
    async with tenant_tx(namsskogan):
        await _station_area(owners[NAMSSKOGAN])
    return {"programmes": 1, "projects": 5}


async def _person(pid_key: bytes, pid: str, municipality_id: int) -> int:
    scope = Scope(tenant_id=municipality_id, pid_hash=pid_hash(pid_key, pid))
    async with tenant_tx(scope):
        return await connection().fetchval("select id from person where pid_hash = app_pid_hash()")


async def _ensure_owner(pid_key: bytes, person: DemoPerson, municipality_id: int) -> int:
    async with tenant_tx(Scope(operator=True, pid_hash=pid_hash(pid_key, person.pid))):
        person_id = await tenancy.ensure_person(person.name, person.email, person.language)
        await tenancy.grant_membership(
            person_id, "municipality", "admin", municipality_id=municipality_id
        )
    return person_id


async def _programme(actor: int) -> int:
    programme_id = await programmes.create_programme(
        name=PROGRAMME, kind="omstilling", period_start=2025, period_end=2030, actor_person_id=actor
    )
    for stage in ("strategi_og_forankring", "gjennomforing"):
        await programmes.move_programme_stage(programme_id, stage, actor_person_id=actor)
    await _funding(programme_id, actor)
    areas = await programmes.set_strategy_areas(
        programme_id,
        [StrategyAreaInput(nb, nn, Decimal(share)) for nb, nn, share in AREAS],
        actor_person_id=actor,
    )
    await _board(programme_id, actor)
    await _kpi_targets_and_first_measurement(programme_id, actor)
    await _action_plan_2025(programme_id, areas, actor)
    return programme_id


async def _funding(programme_id: int, actor: int) -> None:
    for year in YEARS:
        for source, amount in FUNDING_PER_YEAR.items():
            await programmes.add_funding_line(
                programme_id,
                source=source,
                year=year,
                amount=Decimal(amount),
                actor_person_id=actor,
            )


async def _board(programme_id: int, actor: int) -> None:
    for name, seat in BOARD:
        await programmes.add_board_member(
            programme_id,
            name=name,
            seat=seat,
            term_start=date(2025, 1, 1),
            term_end=date(2026, 12, 31),
            actor_person_id=actor,
        )


async def _kpi_targets_and_first_measurement(programme_id: int, actor: int) -> None:
    for code, targets in KPI_TARGETS.items():
        kpi_id = await programmes.kpi_id_by_code(programme_id, code)
        for year, target in zip(YEARS, targets, strict=True):
            await programmes.set_kpi_target(kpi_id, year, Decimal(target), actor_person_id=actor)
    await programmes.record_kpi_measurement(
        await programmes.kpi_id_by_code(programme_id, "new_jobs"),
        measured_on=date(2025, 12, 31),
        value=Decimal(8),
        source="Næringsregistreringa i kommunane, desember 2025",
        actor_person_id=actor,
    )


async def _action_plan_2025(programme_id: int, areas: list[StrategyAreaView], actor: int) -> None:
    """The 2025 plan, with a goal per strategy area, through to the county's grant."""
    plan_id = await programmes.create_action_plan(
        programme_id,
        2025,
        [
            GoalInput(a.id, f"Handlingsplan 2025: {a.name_nn}", budget=Decimal(80_000) * a.share)
            for a in areas
        ],
        actor_person_id=actor,
    )
    for state in ("board_approved", "municipality_approved", "county_granted"):
        await programmes.move_action_plan(plan_id, state, actor_person_id=actor)


async def _create_once(new: NewProject, owner: int) -> int | None:
    """Create the project, unless an earlier load made it (found again by its title): None."""
    if await projects.project_id_by_title(new.title) is not None:
        return None
    return await projects.create_project(new, actor_person_id=owner)


async def _meat_processing(owner: int, programme_id: int, areas: dict[str, int]) -> None:
    await _create_once(
        NewProject(
            title="Forprosjekt: Lokal foredling av kjøt og vilt, Grong",
            phase="forprosjekt",
            budget=Decimal(900_000),
            decided_on=date(2025, 3, 12),
            owner_person_id=owner,
            sponsor_name="Næringssjefen i Grong",
            manager_name="Fossli Rådgjeving",
            programme_id=programme_id,
            strategy_area_id=areas["Landbruk og matforedling"],
            mandate="Greie ut eit felles slakte- og foredlingsanlegg for kjøt og vilt.",
            plan="Marknadsanalyse, lokalisering, driftsmodell og finansiering.",
            period_start=date(2025, 4, 1),
            period_end=date(2025, 12, 31),
            steering_group=[
                SteeringMemberInput("Bonde Lars Aune", "Grong Bondelag"),
                SteeringMemberInput("Jeger Mona Fiskum", "Grong JFF"),
            ],
        ),
        owner,
    )


async def _industry_skills(owner: int, programme_id: int, areas: dict[str, int]) -> None:
    await _create_once(
        NewProject(
            title="Kompetanseløft industri",
            phase="forprosjekt",
            budget=Decimal(1_200_000),
            decided_on=date(2025, 2, 20),
            owner_person_id=owner,
            manager_name="Namdal Næringshage AS",
            programme_id=programme_id,
            strategy_area_id=areas["Tre og industri"],
            mandate="Kartleggje og dekkje kompetansebehovet i industrien i Indre Namdal.",
            plan="Behovskartlegging, fagbrev på jobb, felles opplæringsplan.",
            period_start=date(2025, 3, 1),
            period_end=date(2026, 2, 28),
            cost_shares={
                GRONG: Decimal(40),
                NAMSSKOGAN: Decimal(20),
                ROYRVIK: Decimal(20),
                LIERNE: Decimal(20),
            },
        ),
        owner,
    )


async def _tourism_study(owner: int, programme_id: int, areas: dict[str, int]) -> None:
    await _pre_study_at_its_decision_point(
        NewProject(
            title=TOURISM,
            phase="forstudie",
            budget=Decimal(300_000),
            decided_on=date(2026, 4, 20),
            owner_person_id=owner,
            sponsor_name="Næringssjefen i Grong",
            manager_name="Fossli Rådgjeving",
            programme_id=programme_id,
            strategy_area_id=areas["Reiseliv og opplevingar"],
            mandate="Greie ut om laksefiske, padling og villmarksopplevingar langs Namsen kan bli"
            " heilårs reiseliv.",
            plan="Intervju med grunneigarar og verksemder, marknadsanalyse, tilrådd modell.",
            period_start=date(2026, 5, 1),
            period_end=date(2026, 10, 31),
        ),
        owner,
        mandate="Utvikle tre pakka opplevingsprodukt med grunneigarane langs Namsen.",
        plan="Produktutvikling, sal og booking, avtalar med grunneigarane.",
        budget=Decimal(650_000),
        # The owner has a few weeks from the first load; the date is fixed from then on.
        due_date=date.today() + timedelta(days=21),
        closing_report="Ni verksemder og tolv grunneigarar vil vere med på eit forprosjekt.",
    )


async def _destination_study(owner: int) -> None:
    await _pre_study_at_its_decision_point(
        NewProject(
            title="Forstudie: Samla destinasjonsselskap Lierne–Røyrvik",
            phase="forstudie",
            budget=Decimal(350_000),
            decided_on=date(2025, 1, 20),
            owner_person_id=owner,
            manager_name="Stjørdal Utviklingsrådgiving AS",
            mandate="Greie ut om Lierne og Røyrvik tener på eitt felles destinasjonsselskap.",
            plan="Intervju med reiselivsverksemdene, modellar, økonomi.",
            period_start=date(2025, 2, 1),
            period_end=date(2025, 8, 31),
        ),
        owner,
        mandate="Etablere selskapet og avtalar med verksemdene.",
        plan="Selskapsform, eigarskap, forretningsplan.",
        budget=Decimal(750_000),
        due_date=date(2025, 10, 15),
        closing_report="Eit felles selskap er ønskt av 14 av 17 verksemder.",
    )


async def _pre_study_at_its_decision_point(
    new: NewProject,
    owner: int,
    *,
    mandate: str,
    plan: str,
    budget: Decimal,
    due_date: date,
    closing_report: str,
) -> None:
    """A pre-study, done, with its pre-project planned and the owner's decision still to come."""
    project_id = await _create_once(new, owner)
    if project_id is None:
        return
    await projects.plan_sub_project(
        project_id, "forprosjekt", mandate=mandate, plan=plan, budget=budget, actor_person_id=owner
    )
    await projects.reach_decision_point(
        project_id, due_date=due_date, closing_report=closing_report, actor_person_id=owner
    )


async def _station_area(owner: int) -> None:
    title = "Hovudprosjekt: Næringsareal Namsskogan stasjon"
    project_id = await _create_once(
        NewProject(
            title=title,
            phase="forprosjekt",
            budget=Decimal(600_000),
            decided_on=date(2024, 9, 1),
            owner_person_id=owner,
            mandate="Regulere og prosjektere næringsareal ved stasjonen.",
            plan="Regulering, grunnundersøking, kostnadsoverslag.",
            period_start=date(2024, 9, 1),
            period_end=date(2025, 5, 31),
        ),
        owner,
    )
    if project_id is None:
        return
    await projects.reach_decision_point(
        project_id,
        due_date=date(2025, 6, 15),
        closing_report="Arealet er regulert; tre verksemder har meldt interesse.",
        actor_person_id=owner,
    )
    await projects.record_decision(
        project_id,
        outcome="go",
        basis="Sluttrapporten frå forprosjektet og intensjonsavtalane.",
        decided_on=date(2025, 6, 12),
        approved_budget=Decimal(6_500_000),
        actor_person_id=owner,
    )
