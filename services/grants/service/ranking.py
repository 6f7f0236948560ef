"""The official ranks and comments the applications of a call, with what the rules give each."""

from __future__ import annotations

from collections.abc import Mapping

from services.audit.service import record_change
from services.errors import N_, InvalidInput
from services.grants.roles import ASSESSORS
from services.grants.schemas import RankedApplication
from services.grants.service._common import CallNotFound, require_municipal_role, this_case
from services.grants.tables import GrantApplication, GrantCall
from tenants.context import fetch_structs
from tenants.rows import tenant


async def call_ranking(call_id: int) -> list[RankedApplication]:
    """The call's cases (submitted and on), the ranked first in their order."""
    if not await GrantCall.exists().where(
        (GrantCall.tenant_id == tenant()) & (GrantCall.id == call_id)
    ):
        raise CallNotFound()
    return await fetch_structs(
        RankedApplication,
        "select a.id, a.title, o.name as organisation_name, a.state,"
        " coalesce((select sum(amount) from grant_cost_line l where l.tenant_id = a.tenant_id"
        " and l.application_id = a.id), 0) as eligible_cost,"
        " coalesce((select sum(amount) from grant_financing_line l"
        " where l.tenant_id = a.tenant_id and l.application_id = a.id"
        " and l.source = 'this_fund'), 0) as requested_amount, a.rank, a.rank_comment"
        " from grant_application a join organisation o on o.id = a.organisation_id"
        " where a.tenant_id = app_tenant_id() and a.call_id = $1 and a.state <> 'draft'"
        " order by a.rank nulls last, a.submitted_at, a.id",
        call_id,
    )


async def rank_applications(
    call_id: int,
    *,
    ranks: Mapping[int, tuple[int | None, str]],
    actor_person_id: int | None,
) -> None:
    """Each application's place (1 the best; none for unranked) and the official's comment."""
    await require_municipal_role(actor_person_id, ASSESSORS)
    known = {a.id for a in await call_ranking(call_id)}
    if not set(ranks) <= known:
        raise InvalidInput("grant_rank_unknown", N_("Rank the call's own applications."))
    places = [r for r, _ in ranks.values() if r is not None]
    if any(r < 1 for r in places):
        raise InvalidInput("grant_rank_invalid", N_("A place is 1 or more."), field="ranks")
    if len(places) != len(set(places)):
        raise InvalidInput(
            "grant_rank_twice", N_("Give each application its own place."), field="ranks"
        )
    for application_id, (place, comment) in sorted(ranks.items()):
        await GrantApplication.update(
            {GrantApplication.rank: place, GrantApplication.rank_comment: comment.strip()[:2000]}
        ).where(this_case(application_id))
    await record_change(
        actor_person_id=actor_person_id,
        action="rank",
        entity="grant_call",
        entity_id=call_id,
        new_values={str(k): v[0] for k, v in ranks.items()},
    )
