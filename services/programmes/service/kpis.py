"""The programme's KPIs: the standard three and its own, their baselines, targets and measurements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import asyncpg

from services.audit.service import record_change
from services.errors import N_, Conflict, InvalidInput, NotFound, required_text
from services.outbox.service import emit
from services.programmes.schemas import MeasurementView
from services.programmes.service._common import check_year, programme_row
from tenants.context import connection

_KPI_CODE_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")


async def add_kpi(
    programme_id: int,
    *,
    code: str,
    name: str,
    unit: str = "count",
    baseline: Decimal = Decimal(0),
    actor_person_id: int | None,
) -> int:
    """A KPI of the programme's own, beside the three standard ones."""
    await programme_row(programme_id)
    code = code.strip()
    if not code or not code[0].isalpha() or not set(code) <= _KPI_CODE_CHARS or len(code) > 40:
        raise InvalidInput(
            "kpi_code_invalid", N_("Use lower-case letters a-z, digits and _."), field="code"
        )
    name = required_text(name, "name", 200)
    kpi_id = await connection().fetchval(
        "insert into kpi (tenant_id, programme_id, code, name, unit, baseline)"
        " values (app_tenant_id(), $1, $2, $3, $4, $5)"
        " on conflict (tenant_id, programme_id, code) do nothing returning id",
        programme_id,
        code,
        name,
        unit.strip() or "count",
        Decimal(baseline),
    )
    if kpi_id is None:
        raise Conflict("kpi_exists", N_("The programme has a KPI with this code."), field="code")
    await record_change(
        actor_person_id=actor_person_id,
        action="add",
        entity="kpi",
        entity_id=kpi_id,
        new_values={"programme_id": programme_id, "code": code, "name": name, "baseline": baseline},
    )
    return kpi_id


async def _kpi(kpi_id: int) -> asyncpg.Record:
    row = await connection().fetchrow(
        "select k.*, p.period_start, p.period_end from kpi k join programme p"
        " on p.tenant_id = k.tenant_id and p.id = k.programme_id"
        " where k.tenant_id = app_tenant_id() and k.id = $1",
        kpi_id,
    )
    if row is None:
        raise NotFound("kpi_not_found", N_("No such KPI."))
    return row


async def kpi_id_by_code(programme_id: int, code: str) -> int:
    kpi_id = await connection().fetchval(
        "select id from kpi where tenant_id = app_tenant_id() and programme_id = $1 and code = $2",
        programme_id,
        code,
    )
    if kpi_id is None:
        raise NotFound("kpi_not_found", N_("No such KPI."), field="code")
    return kpi_id


async def set_kpi_baseline(kpi_id: int, baseline: Decimal, *, actor_person_id: int | None) -> None:
    kpi = await _kpi(kpi_id)
    await connection().execute(
        "update kpi set baseline = $2 where tenant_id = app_tenant_id() and id = $1",
        kpi_id,
        Decimal(baseline),
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="set_baseline",
        entity="kpi",
        entity_id=kpi_id,
        old_values={"baseline": kpi["baseline"]},
        new_values={"baseline": Decimal(baseline)},
    )


async def set_kpi_target(
    kpi_id: int, year: int, target: Decimal, *, actor_person_id: int | None
) -> None:
    """The KPI's target for one year of the programme (set again: replaced)."""
    kpi = await _kpi(kpi_id)
    check_year(kpi, year)
    target = Decimal(target)
    if not target.is_finite():
        raise InvalidInput("kpi_target_invalid", N_("Write a number."), field="target")
    db = connection()
    old = await db.fetchval(
        "select target from kpi_target where tenant_id = app_tenant_id() and kpi_id = $1"
        " and year = $2",
        kpi_id,
        year,
    )
    await db.execute(
        "insert into kpi_target (tenant_id, kpi_id, year, target) values (app_tenant_id(), $1, $2, $3)"
        " on conflict (tenant_id, kpi_id, year) do update set target = excluded.target",
        kpi_id,
        year,
        target,
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="set_target",
        entity="kpi",
        entity_id=kpi_id,
        old_values=None if old is None else {"year": year, "target": old},
        new_values={"year": year, "target": target},
    )
    await emit("programmes.kpi_target_set", {"kpi_id": kpi_id})


async def record_kpi_measurement(
    kpi_id: int,
    *,
    measured_on: date,
    value: Decimal,
    source: str,
    actor_person_id: int | None,
) -> int:
    """A measured value and where it comes from; returns the measurement's id."""
    await _kpi(kpi_id)
    source = required_text(source, "source", 500)
    value = Decimal(value)
    if not value.is_finite():
        raise InvalidInput("kpi_value_invalid", N_("Write a number."), field="value")
    measurement_id = await connection().fetchval(
        "insert into kpi_measurement (tenant_id, kpi_id, measured_on, value, source, recorded_by)"
        " values (app_tenant_id(), $1, $2, $3, $4, $5) returning id",
        kpi_id,
        measured_on,
        value,
        source,
        actor_person_id,
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="measure",
        entity="kpi",
        entity_id=kpi_id,
        new_values={"measured_on": measured_on, "value": value, "source": source},
    )
    await emit("programmes.kpi_measured", {"kpi_id": kpi_id})
    return measurement_id


async def kpi_measurements(kpi_id: int) -> list[MeasurementView]:
    rows = await connection().fetch(
        "select id, kpi_id, measured_on, value, source from kpi_measurement"
        " where tenant_id = app_tenant_id() and kpi_id = $1 order by measured_on, id",
        kpi_id,
    )
    return [MeasurementView(**dict(r)) for r in rows]
