"""The programme's KPIs: the standard three and its own, their baselines, targets and measurements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import asyncpg

from services.audit.service import record_change
from services.errors import N_, Conflict, InvalidInput, NotFound, required_text
from services.outbox.service import emit
from services.programmes.roles import EDITORS, MANAGERS
from services.programmes.schemas import MeasurementView
from services.programmes.service._common import (
    check_year,
    programme_row,
    require_role,
)
from services.programmes.tables import Kpi, KpiMeasurement, KpiTarget
from tenants.context import connection
from tenants.rows import insert_once, insert_row, tenant

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
    await require_role(actor_person_id, MANAGERS)
    code = code.strip()
    if not code or not code[0].isalpha() or not set(code) <= _KPI_CODE_CHARS or len(code) > 40:
        raise InvalidInput(
            "kpi_code_invalid", N_("Use lower-case letters a-z, digits and _."), field="code"
        )
    name = required_text(name, "name", 200)
    kpi_id = await insert_once(
        Kpi(
            tenant_id=tenant(),
            programme_id=programme_id,
            code=code,
            name=name,
            unit=unit.strip() or "count",
            baseline=Decimal(baseline),
            standard=False,
        ),
        (Kpi.tenant_id, Kpi.programme_id, Kpi.code),
        Conflict("kpi_exists", N_("The programme has a KPI with this code."), field="code"),
    )
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
    row = (
        await Kpi.select(Kpi.id)
        .where(
            (Kpi.tenant_id == tenant()) & (Kpi.programme_id == programme_id) & (Kpi.code == code)
        )
        .first()
    )
    if row is None:
        raise NotFound("kpi_not_found", N_("No such KPI."), field="code")
    return row["id"]


async def set_kpi_baseline(kpi_id: int, baseline: Decimal, *, actor_person_id: int | None) -> None:
    kpi = await _kpi(kpi_id)
    await require_role(actor_person_id, MANAGERS)
    await Kpi.update({Kpi.baseline: Decimal(baseline)}).where(
        (Kpi.tenant_id == tenant()) & (Kpi.id == kpi_id)
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
    await require_role(actor_person_id, EDITORS)
    check_year(kpi, year)
    target = Decimal(target)
    if not target.is_finite():
        raise InvalidInput("kpi_target_invalid", N_("Write a number."), field="target")
    old = (
        await KpiTarget.select(KpiTarget.target)
        .where(
            (KpiTarget.tenant_id == tenant())
            & (KpiTarget.kpi_id == kpi_id)
            & (KpiTarget.year == year)
        )
        .first()
    )
    # An upsert of one row: SQL says it more plainly than Piccolo's on_conflict.
    await connection().execute(
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
        old_values=None if old is None else {"year": year, "target": old["target"]},
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
    await require_role(actor_person_id, EDITORS)
    source = required_text(source, "source", 500)
    value = Decimal(value)
    if not value.is_finite():
        raise InvalidInput("kpi_value_invalid", N_("Write a number."), field="value")
    measurement_id = await insert_row(
        KpiMeasurement(
            tenant_id=tenant(),
            kpi_id=kpi_id,
            measured_on=measured_on,
            value=value,
            source=source,
            recorded_by=actor_person_id,
        )
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
    rows = (
        await KpiMeasurement.select(
            KpiMeasurement.id,
            KpiMeasurement.kpi_id,
            KpiMeasurement.measured_on,
            KpiMeasurement.value,
            KpiMeasurement.source,
        )
        .where((KpiMeasurement.tenant_id == tenant()) & (KpiMeasurement.kpi_id == kpi_id))
        .order_by(KpiMeasurement.measured_on, KpiMeasurement.id)
    )
    return [MeasurementView(**r) for r in rows]
