"""The decision letter: written as a PDF when a case is decided, kept as sent, and mailed to the
applicant as an attachment through the outbox, in the same transaction as the decision."""

from __future__ import annotations

import base64
from functools import cache

import msgspec

from infra.settings import load
from services.grants.letter import LetterFacts, letter_language, letter_name, letter_pdf
from services.grants.service._common import ApplicationNotFound
from services.grants.tables import GrantLetter
from services.notifications.mails import MailAttachment
from services.notifications.service import request_mail
from tenants.context import connection, fetch_structs
from tenants.rows import insert_row, tenant

LETTER_MAIL = "grant_decision_letter"


class LetterView(msgspec.Struct, frozen=True):
    id: int
    application_id: int
    kind: str
    language: str
    created_at: object


@cache
def _base_url() -> str:
    return load().base_url


async def send_decision_letter(
    application_id: int, *, by_board: bool, on_appeal: bool = False
) -> int:
    """Write the letter of the application's decision (granted or rejected, as it now stands),
    keep it, and ask for the mail with it to the person who submitted the application."""
    row = await connection().fetchrow(
        "select a.id, a.state, a.title, a.granted_amount, a.eligible_cost, a.conditions,"
        " a.reporting_deadline, a.rejection_reason,"
        " (a.decided_at at time zone 'Europe/Oslo')::date as decided_on,"
        " m.name as municipality, m.maalform, o.name as organisation, o.organisasjonsnummer,"
        " c.title as call, f.name as fund, a.contact_email, a.contact_language"
        " from grant_application a join municipality m on m.id = a.tenant_id"
        " join organisation o on o.id = a.organisation_id"
        " join grant_call c on c.tenant_id = a.tenant_id and c.id = a.call_id"
        " join grant_fund f on f.tenant_id = c.tenant_id and f.id = c.fund_id"
        " where a.tenant_id = app_tenant_id() and a.id = $1",
        application_id,
    )
    if row is None:
        raise ApplicationNotFound()
    lang = letter_language(row["contact_language"], row["maalform"])
    granted = row["state"] == "granted"
    share = None
    if granted and row["eligible_cost"]:
        share = row["granted_amount"] * 100 / row["eligible_cost"]
    facts = LetterFacts(
        kind="tilsegn" if granted else "avslag",
        municipality=row["municipality"],
        organisation=row["organisation"],
        organisasjonsnummer=row["organisasjonsnummer"],
        application_id=application_id,
        title=row["title"],
        fund=row["fund"],
        call=row["call"],
        decided_on=row["decided_on"],
        by_board=by_board,
        on_appeal=on_appeal,
        amount=row["granted_amount"],
        share=share,
        eligible_cost=row["eligible_cost"],
        conditions=[c.strip() for c in row["conditions"].splitlines() if c.strip()],
        reporting_deadline=row["reporting_deadline"],
        reason=row["rejection_reason"] or "",
    )
    pdf = letter_pdf(lang, facts)
    letter_id = await insert_row(
        GrantLetter(
            tenant_id=tenant(),
            application_id=application_id,
            kind=facts.kind,
            language=lang,
            pdf=pdf,
        )
    )
    if row["contact_email"].strip():
        link = f"{_base_url()}/o/{row['organisasjonsnummer']}/grants/applications/{application_id}"
        await request_mail(
            to=row["contact_email"].strip(),
            template=LETTER_MAIL,
            language=lang,
            values={
                "kind": facts.kind,
                "title": facts.title,
                "municipality": facts.municipality,
                "fund": facts.fund,
                "link": link,
            },
            key=b"",  # nothing sealed: the letter is the applicant's own
            attachments=[
                MailAttachment(
                    letter_name(lang, facts),
                    "application/pdf",
                    base64.b64encode(pdf).decode("ascii"),
                )
            ],
        )
    return letter_id


async def letters_of(application_id: int) -> list[LetterView]:
    return await fetch_structs(
        LetterView,
        "select id, application_id, kind, language, created_at from grant_letter"
        " where application_id = $1 order by id",
        application_id,
    )


async def letter(application_id: int, letter_id: int) -> tuple[str, bytes]:
    """One letter of an application its reader sees: its file name and its bytes."""
    row = await connection().fetchrow(
        "select kind, pdf from grant_letter where application_id = $1 and id = $2",
        application_id,
        letter_id,
    )
    if row is None:
        raise ApplicationNotFound()
    return f"{row['kind']}-{application_id}.pdf", bytes(row["pdf"])
