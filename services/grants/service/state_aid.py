"""State aid: the operator's exchange rate, and an organisation's de minimis position summed
across every municipality's funds through grant_state_aid_nok(), which returns a sum, never a
row of another municipality."""

from __future__ import annotations

from decimal import Decimal

from services.errors import N_, NotAllowed, NotFound
from services.grants.money_schemas import ExchangeRateView, StateAidView
from services.grants.state_aid import CEILING_EUR, check_ceiling, check_rate, state_aid
from services.grants.tables import ExchangeRate
from tenants.context import connection, fetch_structs

THREE_YEARS = "clock_timestamp() - interval '3 years'"


async def exchange_rate() -> ExchangeRateView:
    """The euro's rate now: the operator's newest (or the one Samspel started with)."""
    row = await connection().fetchrow(
        "select r.currency, r.nok_per_unit, r.set_at, p.name as set_by_name"
        " from exchange_rate r left join person p on p.id = r.set_by"
        " where r.currency = 'EUR' order by r.set_at desc, r.id desc limit 1"
    )
    if row is None:  # the migration puts one in; a database without it is broken
        raise NotFound("exchange_rate_missing", N_("No exchange rate has been set."))
    return ExchangeRateView(**dict(row))


async def exchange_rates(limit: int = 20) -> list[ExchangeRateView]:
    return await fetch_structs(
        ExchangeRateView,
        "select r.currency, r.nok_per_unit, r.set_at, p.name as set_by_name"
        " from exchange_rate r left join person p on p.id = r.set_by"
        " where r.currency = 'EUR' order by r.set_at desc, r.id desc limit $1",
        limit,
    )


async def set_exchange_rate(nok_per_eur: Decimal, *, actor_person_id: int) -> None:
    """The operator's rate for the de minimis ceiling; kept with who set it and when."""
    if not await connection().fetchval("select app_is_operator()"):
        raise NotAllowed("operator_only", N_("Only the platform operator may do this."))
    await ExchangeRate.insert(
        ExchangeRate(currency="EUR", nok_per_unit=check_rate(nok_per_eur), set_by=actor_person_id)
    )


async def _position(tenant_id: int, application_id: int, amount: Decimal):
    db = connection()
    row = await db.fetchrow(
        "select a.organisation_id, o.name, o.organisasjonsnummer from grant_application a"
        " join organisation o on o.id = a.organisation_id"
        " where a.tenant_id = $1 and a.id = $2",
        tenant_id,
        application_id,
    )
    if row is None:
        raise NotFound("grant_application_not_found", N_("No such application."))
    earlier = await db.fetchval(
        f"select grant_state_aid_nok($1, {THREE_YEARS}, $2, $3)",
        row["organisation_id"],
        tenant_id,
        application_id,
    )
    rate = await exchange_rate()
    return row, state_aid(earlier or Decimal(0), amount, rate.nok_per_unit), rate


async def state_aid_of(application_id: int, amount: Decimal) -> StateAidView:
    """The application's organisation against the ceiling, were it granted `amount`."""
    tenant_id = await connection().fetchval("select app_tenant_id()")
    row, aid, rate = await _position(tenant_id, application_id, amount)
    return StateAidView(
        organisation_name=row["name"],
        organisasjonsnummer=row["organisasjonsnummer"],
        earlier_nok=aid.earlier_nok,
        this_nok=aid.this_nok,
        total_nok=aid.total_nok,
        total_eur=aid.total_eur,
        ceiling_eur=CEILING_EUR,
        ceiling_nok=aid.ceiling_nok,
        room_nok=aid.room_nok,
        room_after_nok=aid.room_after_nok,
        nok_per_eur=rate.nok_per_unit,
        rate_set_at=rate.set_at,
        passes_ceiling=aid.passes_ceiling,
    )


async def check_state_aid(application_id: int, amount: Decimal) -> None:
    """Refuse, with the figures, a grant that would take its organisation past the ceiling.

    The database's guard refuses it too (for any path to 'granted'), under a lock per
    organisation, so two municipalities granting at once cannot pass it together.
    """
    tenant_id = await connection().fetchval("select app_tenant_id()")
    await connection().execute(
        "select pg_advisory_xact_lock(hashtextextended('grant_state_aid:' || organisation_id, 0))"
        " from grant_application where tenant_id = $1 and id = $2",
        tenant_id,
        application_id,
    )
    _, aid, _ = await _position(tenant_id, application_id, amount)
    check_ceiling(aid)
