"""A programme itself: made with the standard KPIs, then moved through its stages."""

from __future__ import annotations

from services.audit.service import record_change
from services.errors import N_, Conflict, InvalidInput, required_text
from services.programmes.rules import ProgrammeStage, check_stage_transition
from services.programmes.service._common import programme_row, tenant
from services.programmes.tables import Kpi, Programme

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
    if await Programme.exists().where((Programme.tenant_id == tenant()) & (Programme.name == name)):
        raise Conflict("programme_exists", N_("A programme with this name exists."), field="name")
    programme = Programme(
        tenant_id=tenant(), name=name, kind=kind, period_start=period_start, period_end=period_end
    )
    await Programme.insert(programme)
    programme_id = programme.id
    await Kpi.insert(
        *(
            Kpi(
                tenant_id=tenant(),
                programme_id=programme_id,
                code=code,
                name=kpi_name,
                standard=True,
            )
            for code, kpi_name in STANDARD_KPIS
        )
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
    await Programme.update({Programme.stage: target.value}).where(
        (Programme.tenant_id == tenant()) & (Programme.id == programme_id)
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="move_stage",
        entity="programme",
        entity_id=programme_id,
        old_values={"stage": current.value},
        new_values={"stage": target.value},
    )
