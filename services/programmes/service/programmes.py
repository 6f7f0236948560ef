"""A programme itself: made with the standard KPIs, then moved through its stages."""

from __future__ import annotations

from services.audit.service import record_change
from services.errors import N_, Conflict, InvalidInput, required_text
from services.programmes.rules import ProgrammeStage, check_stage_transition
from services.programmes.service._common import programme_row
from tenants.context import connection

KINDS = ("omstilling", "naeringsutvikling")
STANDARD_KPIS = (
    ("new_jobs", "Nye arbeidsplassar"),
    ("secured_jobs", "Sikra arbeidsplassar"),
    ("new_businesses", "Nye verksemder"),
)


async def create_programme(
    *, name: str, kind: str, period_start: int, period_end: int, actor_person_id: int | None
) -> int:
    """A new programme at stage avklaring, with the three standard KPIs; returns its id."""
    name = required_text(name, "name")
    if kind not in KINDS:
        raise InvalidInput("programme_kind_invalid", N_("Choose a kind."), field="kind")
    if not (2000 <= period_start <= period_end <= 2100):
        raise InvalidInput(
            "programme_period_invalid",
            N_("The period ends in or after the year it starts."),
            field="period_end",
        )
    db = connection()
    if await db.fetchval(
        "select 1 from programme where tenant_id = app_tenant_id() and name = $1", name
    ):
        raise Conflict("programme_exists", N_("A programme with this name exists."), field="name")
    programme_id = await db.fetchval(
        "insert into programme (tenant_id, name, kind, period_start, period_end)"
        " values (app_tenant_id(), $1, $2, $3, $4) returning id",
        name,
        kind,
        period_start,
        period_end,
    )
    for code, kpi_name in STANDARD_KPIS:
        await db.execute(
            "insert into kpi (tenant_id, programme_id, code, name, standard)"
            " values (app_tenant_id(), $1, $2, $3, true)",
            programme_id,
            code,
            kpi_name,
        )
    await record_change(
        actor_person_id=actor_person_id,
        action="create",
        entity="programme",
        entity_id=programme_id,
        new_values={"name": name, "kind": kind, "period": [period_start, period_end]},
    )
    return programme_id


async def move_programme_stage(
    programme_id: int, stage: str, *, actor_person_id: int | None
) -> None:
    programme = await programme_row(programme_id, lock=True)
    current = ProgrammeStage(programme["stage"])
    try:
        target = ProgrammeStage(stage)
    except ValueError as error:
        raise InvalidInput("stage_invalid", N_("Choose a stage."), field="stage") from error
    check_stage_transition(current, target)
    await connection().execute(
        "update programme set stage = $2 where tenant_id = app_tenant_id() and id = $1",
        programme_id,
        target.value,
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="move_stage",
        entity="programme",
        entity_id=programme_id,
        old_values={"stage": current.value},
        new_values={"stage": target.value},
    )
