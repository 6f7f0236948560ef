"""The programme's strategy areas and their shares of its money (together 100 %)."""

from __future__ import annotations

import asyncpg

from services.audit.service import record_change
from services.errors import N_, Conflict, InvalidInput, NotFound, required_text
from services.outbox.service import emit
from services.programmes.roles import MANAGERS
from services.programmes.rules import validate_strategy_shares
from services.programmes.schemas import StrategyAreaInput, StrategyAreaView
from services.programmes.service._common import (
    programme_row,
    require_role,
    strategy_areas,
)
from services.programmes.tables import StrategyArea
from tenants.context import connection
from tenants.rows import tenant


def _check_areas(areas: list[StrategyAreaInput]) -> None:
    """Each area named, no two alike, the shares together 100 %."""
    names = [required_text(a.name_nb, "name_nb", 200) for a in areas]
    if len(set(names)) != len(names):
        raise InvalidInput(
            "strategy_area_duplicate", N_("Two strategy areas have the same name."), field="name_nb"
        )
    validate_strategy_shares({a.name_nb.strip(): a.share for a in areas})


async def set_strategy_areas(
    programme_id: int, areas: list[StrategyAreaInput], *, actor_person_id: int | None
) -> list[StrategyAreaView]:
    """Replace the programme's strategy areas; their shares must make 100 %.

    An area with an id is updated; one without is added; one left out is removed, unless
    goals, scores or projects refer to it (then the change is refused).
    """
    await programme_row(programme_id, lock=True)
    await require_role(actor_person_id, MANAGERS)
    _check_areas(areas)
    before = {
        r["id"]: r
        for r in await StrategyArea.select(
            StrategyArea.id, StrategyArea.name_nb, StrategyArea.name_nn, StrategyArea.share
        ).where((StrategyArea.tenant_id == tenant()) & (StrategyArea.programme_id == programme_id))
    }
    unknown = [a.id for a in areas if a.id is not None and a.id not in before]
    if unknown:
        raise NotFound("strategy_area_not_found", N_("No such strategy area."), field="id")
    try:
        await _replace_areas(programme_id, areas, set(before))
    except asyncpg.ForeignKeyViolationError as error:
        raise Conflict(
            "strategy_area_in_use",
            N_("A strategy area that goals, scores or projects refer to cannot be removed."),
            field="areas",
        ) from error
    after = await strategy_areas(programme_id)
    await record_change(
        actor_person_id=actor_person_id,
        action="set",
        entity="strategy_areas",
        entity_id=programme_id,
        old_values=sorted(before.values(), key=lambda a: a["id"]),
        new_values=[
            {"id": a.id, "name_nb": a.name_nb, "name_nn": a.name_nn, "share": a.share}
            for a in after
        ],
    )
    await emit("programmes.strategy_areas_set", {"programme_id": programme_id})
    return after


async def _replace_areas(
    programme_id: int, areas: list[StrategyAreaInput], existing: set[int]
) -> None:
    """Delete the areas left out, then update the kept ones and add the new, in `areas` order.

    SQL here: the name swap through '~' || id and the savepoint read more plainly than Piccolo.
    """
    db = connection()
    kept = {a.id for a in areas if a.id is not None}
    async with db.transaction():  # a savepoint: a refused delete leaves nothing half-done
        for gone in existing - kept:
            await db.execute(
                "delete from strategy_area where tenant_id = app_tenant_id() and id = $1", gone
            )
        # Names are unique: park the kept ones first so two areas may swap names.
        await db.execute(
            "update strategy_area set name_nb = '~' || id where tenant_id = app_tenant_id()"
            " and id = any($1::bigint[])",
            list(kept),
        )
        for position, area in enumerate(areas):
            values = (area.name_nb.strip(), required_text(area.name_nn, "name_nn", 200), area.share)
            if area.id is None:
                await db.execute(
                    "insert into strategy_area (tenant_id, programme_id, position, name_nb,"
                    " name_nn, share) values (app_tenant_id(), $1, $2, $3, $4, $5)",
                    programme_id,
                    position,
                    *values,
                )
            else:
                await db.execute(
                    "update strategy_area set position = $2, name_nb = $3, name_nn = $4,"
                    " share = $5 where tenant_id = app_tenant_id() and id = $1",
                    area.id,
                    position,
                    *values,
                )
