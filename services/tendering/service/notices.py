"""What the mails to bidders, askers and followers need, read where each may be read: who gets
one (past the bid seal, in no one's scope), and the claim that one organisation got it."""

from __future__ import annotations

import msgspec

from tenants.context import connection

# What a mail is about, as tender_mail_organisations() knows them.
RECONFIRM, CLARIFICATION, PUBLISHED = "reconfirm", "clarification", "published"


class TenderFacts(msgspec.Struct, frozen=True):
    """A published tender as a mail names it."""

    tender_id: int
    tenant_id: int
    title: str
    municipality_name: str
    kommunenummer: str
    documents_version: int
    bid_deadline: str  # ISO: a mail's values are text


async def tender_facts(tender_id: int) -> TenderFacts | None:
    """A published tender, in any scope; None while it is a draft."""
    row = await connection().fetchrow(
        "select t.id as tender_id, t.tenant_id, t.title, m.name as municipality_name,"
        " m.kommunenummer, t.documents_version, t.bid_deadline"
        " from public_tender($1) t join municipality m on m.id = t.tenant_id",
        tender_id,
    )
    if row is None:
        return None
    return TenderFacts(**{**dict(row), "bid_deadline": row["bid_deadline"].isoformat()})


async def organisations_to_mail(tenant_id: int, tender_id: int, about: str) -> list[int]:
    """The organisations a mail about the tender goes to: the bidders to reconfirm, the askers
    and bidders of a clarification, the followers of a new tender. Only in no one's scope."""
    rows = await connection().fetch(
        "select organisation_id from tender_mail_organisations($1, $2, $3)",
        tenant_id,
        tender_id,
        about,
    )
    return [r["organisation_id"] for r in rows]


async def claim_tender_mail(tenant_id: int, tender_id: int, about: str) -> bool:
    """Claim, in the organisation's scope, that it is mailed about this; False if it was."""
    return (
        await connection().fetchval(
            "insert into tender_mail (tenant_id, tender_id, organisation_id, about)"
            " values ($1, $2, app_organisation_id(), $3) on conflict do nothing returning 1",
            tenant_id,
            tender_id,
            about,
        )
        is not None
    )


async def organisation_number(organisation_id: int) -> str | None:
    return await connection().fetchval(
        "select organisasjonsnummer from organisation where id = $1", organisation_id
    )


async def bidders_and_askers(tender_id: int) -> set[int]:
    """The persons of the transaction's organisation who sent a standing bid for the tender or
    asked a question of it (the organisation's own rows only)."""
    rows = await connection().fetch(
        "select submitted_by as person_id from bid where tender_id = $1"
        " and organisation_id = app_organisation_id() and withdrawn_at is null"
        " union select asked_by from tender_question where tender_id = $1"
        " and organisation_id = app_organisation_id()",
        tender_id,
    )
    return {r["person_id"] for r in rows}
