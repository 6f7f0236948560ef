"""A programme itself: made with the standard KPIs, then moved through its stages."""

from __future__ import annotations

from collections.abc import Sequence

from services import inputs
from services.audit.service import record_change
from services.errors import N_, Conflict, InvalidInput, required_text
from services.i18n import gettext
from services.programmes.roles import MANAGERS
from services.programmes.rules import STANDARD_KPIS, ProgrammeStage, check_stage_transition
from services.programmes.schemas import MunicipalityView
from services.programmes.service._common import (
    programme_row,
    require_role,
)
from services.programmes.tables import Kpi, Programme, ProgrammeMember
from tenants.context import fetch_structs
from tenants.rows import insert_row, tenant

KINDS = ("omstilling", "naeringsutvikling")
# A standard KPI's stored name, as it always was (pages name it in the reader's language).
STORED_NAMES_IN = "nn"


async def neighbours() -> list[MunicipalityView]:
    """The municipalities that share a region with this one: who a regional programme may name."""
    return await fetch_structs(
        MunicipalityView,
        "select distinct m.id, m.kommunenummer, m.name, m.maalform from region_member mine"
        " join region_member theirs on theirs.region_id = mine.region_id"
        " join municipality m on m.id = theirs.municipality_id"
        " where mine.municipality_id = app_tenant_id() and m.id <> app_tenant_id()"
        " order by m.name",
    )


async def _check_members(member_ids: Sequence[int]) -> list[int]:
    allowed = {m.id for m in await neighbours()}
    members = sorted(set(member_ids))
    if not set(members) <= allowed:
        raise InvalidInput(
            "programme_member_invalid",
            N_("A regional programme is run with municipalities of the same region."),
            field="members",
        )
    return members


async def create_programme(
    *,
    name: str,
    kind: str,
    period_start: int,
    period_end: int,
    member_municipality_ids: Sequence[int] = (),
    actor_person_id: int | None,
) -> int:
    """A new programme at stage avklaring, with the three standard KPIs; returns its id.

    With member municipalities it is a regional programme: this municipality owns it, and
    runs it together with them (each of the same region as the owner).
    """
    await require_role(actor_person_id, MANAGERS)
    name = required_text(name, "name")
    if kind not in KINDS:
        raise InvalidInput("programme_kind_invalid", N_("Choose a kind."), field="kind")
    if not (2000 <= period_start <= period_end <= 2100):
        raise InvalidInput(
            "programme_period_invalid",
            N_("The period ends in or after the year it starts."),
            field="period_end",
        )
    members = await _check_members(member_municipality_ids)
    if await Programme.exists().where((Programme.tenant_id == tenant()) & (Programme.name == name)):
        raise Conflict("programme_exists", N_("A programme with this name exists."), field="name")
    programme_id = await insert_row(
        Programme(
            tenant_id=tenant(),
            name=name,
            kind=kind,
            period_start=period_start,
            period_end=period_end,
        )
    )
    await Kpi.insert(
        *(
            Kpi(
                tenant_id=tenant(),
                programme_id=programme_id,
                code=code,
                name=gettext(STORED_NAMES_IN, kpi_name),
                standard=True,
            )
            for code, kpi_name in STANDARD_KPIS.items()
        )
    )
    if members:
        await ProgrammeMember.insert(
            *(
                ProgrammeMember(
                    tenant_id=tenant(), programme_id=programme_id, municipality_id=member
                )
                for member in members
            )
        )
    await record_change(
        actor_person_id=actor_person_id,
        action="create",
        entity="programme",
        entity_id=programme_id,
        new_values={
            "name": name,
            "kind": kind,
            "period": [period_start, period_end],
            "members": members,
        },
    )
    return programme_id


async def set_programme_members(
    programme_id: int, member_municipality_ids: Sequence[int], *, actor_person_id: int | None
) -> list[int]:
    """Name again the municipalities a regional programme is run with (none: this one alone)."""
    await programme_row(programme_id, lock=True)
    await require_role(actor_person_id, MANAGERS)
    members = await _check_members(member_municipality_ids)
    this_programme = (ProgrammeMember.tenant_id == tenant()) & (
        ProgrammeMember.programme_id == programme_id
    )
    before = sorted(
        r["municipality_id"]
        for r in await ProgrammeMember.select(ProgrammeMember.municipality_id).where(this_programme)
    )
    if before == members:
        return members
    await ProgrammeMember.delete().where(this_programme)
    if members:
        await ProgrammeMember.insert(
            *(
                ProgrammeMember(tenant_id=tenant(), programme_id=programme_id, municipality_id=m)
                for m in members
            )
        )
    await record_change(
        actor_person_id=actor_person_id,
        action="set_members",
        entity="programme",
        entity_id=programme_id,
        old_values={"members": before},
        new_values={"members": members},
    )
    return members


async def move_programme_stage(
    programme_id: int, stage: str, *, actor_person_id: int | None
) -> None:
    programme = await programme_row(programme_id, lock=True)
    await require_role(actor_person_id, MANAGERS)
    current = ProgrammeStage(programme["stage"])
    target = inputs.choice(ProgrammeStage, stage, "stage", N_("Choose a stage."))
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
