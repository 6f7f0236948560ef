"""The yearly statistics of kommunale næringsfond the county and the ministry ask for: each
grant with its purpose, amount, recipient and organisasjonsnummer, per municipality (its own
scope) and per region (its council's scope, through region_grant_statistics())."""

from __future__ import annotations

from services.grants.money_schemas import StatisticsRow
from tenants.context import connection, fetch_structs

_MUNICIPALITY = (
    "select m.name as municipality_name, m.kommunenummer, a.id as application_id, a.title,"
    " f.name as fund_name, coalesce(s.name_nb, f.name) as purpose_nb,"
    " coalesce(s.name_nn, f.name) as purpose_nn, o.name as organisation_name,"
    " o.organisasjonsnummer, a.granted_amount,"
    " coalesce((select sum(p.amount) from grant_payment_request p where p.tenant_id = a.tenant_id"
    " and p.application_id = a.id and (p.state = 'paid' or p.kind = 'clawback')), 0)"
    " as paid_amount, a.decided_at"
    " from grant_application a join municipality m on m.id = a.tenant_id"
    " join grant_call c on c.tenant_id = a.tenant_id and c.id = a.call_id"
    " join grant_fund f on f.tenant_id = c.tenant_id and f.id = c.fund_id"
    " left join strategy_area s on s.tenant_id = f.tenant_id and s.id = f.strategy_area_id"
    " join organisation o on o.id = a.organisation_id"
    " where a.tenant_id = app_tenant_id() and a.state = 'granted'"
    " and extract(year from a.decided_at at time zone 'Europe/Oslo') = $1"
    " order by a.decided_at, a.id"
)


async def municipality_statistics(year: int) -> list[StatisticsRow]:
    return await fetch_structs(StatisticsRow, _MUNICIPALITY, year)


async def region_statistics(year: int) -> list[StatisticsRow]:
    """The region's members' grants of the year; the council sees these, never an application."""
    return await fetch_structs(
        StatisticsRow,
        "select municipality_name, kommunenummer, application_id, title, fund_name, purpose_nb,"
        " purpose_nn, organisation_name, organisasjonsnummer, granted_amount, paid_amount,"
        " decided_at from region_grant_statistics($1)",
        year,
    )


async def statistics_years() -> list[int]:
    """The years that have grants, and this one, the newest first."""
    rows = await connection().fetch(
        "select distinct extract(year from decided_at at time zone 'Europe/Oslo')::int as year"
        " from grant_application where tenant_id = app_tenant_id() and state = 'granted'"
        " union select extract(year from now() at time zone 'Europe/Oslo')::int order by 1 desc"
    )
    return [r["year"] for r in rows]
