"""The municipality's funds and their calls, and the calls as the public lists them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services import inputs
from services.audit.service import record_change
from services.errors import N_, Conflict, InvalidInput, NotFound, required_text
from services.grants.roles import MANAGERS
from services.grants.rules import OPTIONAL_PARTS, check_call_dates, check_fund_rules
from services.grants.schemas import CallView, FundView, PublicCallView
from services.grants.service._common import (
    TODAY,
    CallNotFound,
    FundNotFound,
    require_municipal_role,
)
from services.grants.tables import GrantCall, GrantFund
from services.outbox.service import emit
from services.projects.schemas import StrategyAreaChoice  # the same choice a project offers
from tenants.context import connection, fetch_structs
from tenants.rows import insert_once, insert_row, tenant


async def strategy_area_choices() -> list[StrategyAreaChoice]:
    """The strategy areas of the municipality's programmes a fund may be linked to."""
    return await fetch_structs(
        StrategyAreaChoice,
        "select a.id, a.programme_id, p.name as programme_name, a.name_nb, a.name_nn"
        " from strategy_area a join programme p on p.tenant_id = a.tenant_id"
        " and p.id = a.programme_id where a.tenant_id = app_tenant_id()"
        " order by p.name, a.position, a.id",
    )


async def create_fund(
    *,
    name: str,
    max_share: Decimal,
    max_amount: Decimal,
    decision_limit: Decimal,
    strategy_area_id: int | None = None,
    asks_for: tuple[str, ...] | list[str] = (),
    actor_person_id: int | None,
) -> int:
    """A fund with its rules; linked to a programme's strategy area, or the municipality's own."""
    await require_municipal_role(actor_person_id, MANAGERS)
    name = required_text(name, "name", 300)
    check_fund_rules(max_share, max_amount, decision_limit)
    if not set(asks_for) <= set(OPTIONAL_PARTS):
        raise InvalidInput(
            "grant_fund_asks_for", N_("Choose among the parts offered."), field="asks_for"
        )
    asks_for = [p for p in OPTIONAL_PARTS if p in asks_for]
    programme_id = None
    db = connection()
    if strategy_area_id is not None:
        programme_id = await db.fetchval(
            "select programme_id from strategy_area where tenant_id = app_tenant_id() and id = $1",
            strategy_area_id,
        )
        if programme_id is None:
            raise NotFound(
                "strategy_area_not_found",
                N_("No such strategy area."),
                field="strategy_area_id",
            )
    fund_id = await insert_once(
        GrantFund(
            tenant_id=tenant(),
            programme_id=programme_id,
            strategy_area_id=strategy_area_id,
            name=name,
            max_share=max_share,
            max_amount=max_amount,
            decision_limit=decision_limit,
            created_by=actor_person_id,
            asks_for=asks_for,
        ),
        (GrantFund.tenant_id, GrantFund.name),
        Conflict(
            "grant_fund_name_taken", N_("The municipality has a fund of that name."), field="name"
        ),
    )
    values = {
        "name": name,
        "max_share": max_share,
        "max_amount": max_amount,
        "decision_limit": decision_limit,
        "strategy_area_id": strategy_area_id,
        "asks_for": asks_for,
    }
    await record_change(
        actor_person_id=actor_person_id,
        action="create",
        entity="grant_fund",
        entity_id=fund_id,
        new_values=values,
    )
    await emit("grants.fund_created", {"fund_id": fund_id})
    return fund_id


_FUNDS = (
    "select f.id, f.name, f.programme_id, p.name as programme_name, f.strategy_area_id,"
    " a.name_nb as strategy_area_nb, a.name_nn as strategy_area_nn, f.max_share, f.max_amount,"
    " f.decision_limit, f.asks_for from grant_fund f"
    " left join programme p on p.tenant_id = f.tenant_id and p.id = f.programme_id"
    " left join strategy_area a on a.tenant_id = f.tenant_id and a.id = f.strategy_area_id"
    " where f.tenant_id = app_tenant_id()"
)


async def list_funds() -> list[FundView]:
    return await fetch_structs(FundView, _FUNDS + " order by f.name")


async def get_fund(fund_id: int) -> FundView:
    row = await connection().fetchrow(_FUNDS + " and f.id = $1", fund_id)
    if row is None:
        raise FundNotFound()
    return FundView(**dict(row))


async def open_call(
    fund_id: int,
    *,
    title: str,
    description: str,
    opens_on: date,
    closes_on: date,
    actor_person_id: int | None,
) -> int:
    """A call for applications to one of the municipality's funds, open from day to day."""
    await require_municipal_role(actor_person_id, MANAGERS)
    await get_fund(fund_id)
    title = required_text(title, "title", 300)
    description = inputs.text(description, "description")
    check_call_dates(opens_on, closes_on)
    call_id = await insert_row(
        GrantCall(
            tenant_id=tenant(),
            fund_id=fund_id,
            title=title,
            description=description,
            opens_on=opens_on,
            closes_on=closes_on,
            created_by=actor_person_id,
        )
    )
    await record_change(
        actor_person_id=actor_person_id,
        action="create",
        entity="grant_call",
        entity_id=call_id,
        new_values={
            "fund_id": fund_id,
            "title": title,
            "opens_on": opens_on,
            "closes_on": closes_on,
        },
    )
    await emit("grants.call_opened", {"fund_id": fund_id, "call_id": call_id})
    return call_id


async def list_calls() -> list[CallView]:
    return await fetch_structs(
        CallView,
        "select c.id, c.fund_id, f.name as fund_name, c.title, c.description, c.opens_on,"
        f" c.closes_on, {TODAY} between c.opens_on and c.closes_on as is_open"
        " from grant_call c join grant_fund f on f.tenant_id = c.tenant_id and f.id = c.fund_id"
        " where c.tenant_id = app_tenant_id() order by c.closes_on desc, c.id desc",
    )


async def public_calls(
    *, open_only: bool = False, call_id: int | None = None
) -> list[PublicCallView]:
    """Every municipality's calls (or the one asked for), the open ones first; anyone reads them."""
    return await fetch_structs(
        PublicCallView,
        "select c.tenant_id, c.id, c.title, c.description, c.opens_on, c.closes_on,"
        f" {TODAY} between c.opens_on and c.closes_on as is_open, c.fund_name, c.max_share,"
        " c.max_amount, m.name as municipality_name, m.kommunenummer, c.asks_for"
        " from public_grant_calls() c join municipality m on m.id = c.tenant_id"
        f" where (not $1 or {TODAY} between c.opens_on and c.closes_on)"
        " and ($2::bigint is null or c.id = $2)"
        f" order by ({TODAY} between c.opens_on and c.closes_on) desc, c.closes_on, c.id",
        open_only,
        call_id,
    )


async def public_call(call_id: int) -> PublicCallView:
    found = await public_calls(call_id=call_id)
    if not found:
        raise CallNotFound()
    return found[0]
