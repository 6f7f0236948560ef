"""The mails of tendering: award notices to the bidders, the end of a standstill to the
municipality; who gets them and what they say.

The jobs only request mails (notifications.mail_requested, in the transaction that marks them
requested); the mail worker sends them. Every read runs in the scope that may see it: a
notice and its tender in the municipality's, the bidder's people in the organisation's. Each
job opens its own transactions: it is the boundary, as the actor that calls it is.
"""

from __future__ import annotations

import logging

from infra.settings import Settings
from services.errors import N_
from services.i18n import gettext
from services.notifications import recipients
from services.notifications.mails import when
from services.notifications.service import mail_key, request_mail
from services.tendering.service import award
from tenants.context import NOBODY, Scope, tenant_tx

logger = logging.getLogger(__name__)
# Who at the municipality signs the contract, and so hears that the standstill has ended.
CONTRACT_SIGNERS = ("admin", "case_officer")


def _award_notice(lang: str, v: dict[str, str]) -> tuple[str, str]:
    values = {
        "tender": v["tender"],
        "municipality": v["municipality"],
        "organisation": v["organisation"],
        "winner": v.get("winner") or "–",
        "reasons": v["reasons"],
        "ends": when(lang, v["standstill_ends_at"]),
        "link": v["link"],
    }
    if v["awarded"] == "yes":
        subject = N_("Your bid for %(tender)s has been chosen")
        body = N_(
            "%(municipality)s intends to award the contract for %(tender)s to"
            " %(organisation)s.\n\n"
            "The reasons for the award:\n%(reasons)s\n\n"
            "The standstill period ends on %(ends)s. The contract cannot be signed before then,"
            " and the award may still change if another bidder complains.\n\n"
            "Read the award notice in Samspel:\n%(link)s"
        )
    else:
        subject = N_("Your bid for %(tender)s was not chosen")
        body = N_(
            "%(municipality)s has chosen another bid than the one from %(organisation)s for"
            " %(tender)s. The municipality intends to award the contract to %(winner)s.\n\n"
            "The reasons for the award:\n%(reasons)s\n\n"
            "The standstill period ends on %(ends)s. Until then you may ask the municipality"
            " to explain the award further, or complain about it.\n\n"
            "Read the award notice in Samspel:\n%(link)s"
        )
    return gettext(lang, subject, **values), gettext(lang, body, **values)


def _standstill_ended(lang: str, v: dict[str, str]) -> tuple[str, str]:
    values = {
        "tender": v["tender"],
        "municipality": v["municipality"],
        "ends": when(lang, v["standstill_ends_at"]),
        "link": v["link"],
    }
    subject = gettext(lang, N_("The standstill period for %(tender)s has ended"), **values)
    body = gettext(
        lang,
        N_(
            "The standstill period for %(tender)s in %(municipality)s ended on %(ends)s.\n\n"
            "Unless a complaint has stopped the award, the contract may now be signed. Record"
            " the signing in Samspel:\n%(link)s"
        ),
        **values,
    )
    return subject, body


TEMPLATES = {"award_notice": _award_notice, "standstill_ended": _standstill_ended}


# ---------------------------------------------------------------------------------------------
# Award notices: one mail to each admin of every bidding organisation, and to the person who
# sent its bid (a member may have sent it and waits for the answer). Other members hear it from
# them: a notice is the organisation's business, not every employee's.


async def mail_award_notice(settings: Settings, tenant_id: int, notice_id: int) -> int:
    """Request the mails of one award notice; how many (0 when they were requested before)."""
    async with tenant_tx(tenant_id):
        notice = await award.award_notice_mail(notice_id)
    if notice is None or notice.mailed:
        return 0
    async with tenant_tx(Scope(organisation_id=notice.organisation_id)):
        people = await recipients.members(
            organisation_id=notice.organisation_id,
            include=lambda m: m.role == "admin" or m.person_id == notice.submitted_by,
        )
    link = f"{settings.base_url}/o/{notice.organisasjonsnummer}/tenders/{notice.tender_id}"
    values = {
        "tender": notice.tender_title,
        "municipality": notice.municipality_name,
        "organisation": notice.organisation_name,
        "awarded": "yes" if notice.awarded else "no",
        "winner": notice.winner_name or "",
        "reasons": notice.reasons,
        "standstill_ends_at": notice.standstill_ends_at.isoformat(),
        "link": link,
    }
    async with tenant_tx(tenant_id):
        # The claim and the requests commit together: a second delivery finds it claimed.
        if not await award.mark_award_notice_mailed(notice_id):
            return 0
        for person in people:
            await request_mail(
                to=person.email,
                template="award_notice",
                language=person.language,
                values=values,
                key=mail_key(settings),
            )
    if not people:
        logger.warning(
            "award notice %s: organisation %s has no one to mail", notice_id, notice.organisation_id
        )
    return len(people)


# ---------------------------------------------------------------------------------------------
# The end of a standstill: the municipality's admins and case officers may now sign.


async def mail_ended_standstills(settings: Settings) -> int:
    """Tell each municipality, once per tender, that a standstill has ended; tenders told."""
    async with tenant_tx(NOBODY):
        ended = await award.ended_standstills()
    told = 0
    for tenant_id, tender_id in ended:
        async with tenant_tx(tenant_id):
            tender = await award.claim_standstill_end(tender_id)
            if tender is None:  # told by a concurrent run, or signed or cancelled meanwhile
                continue
            people = await recipients.members(
                municipality_id=tenant_id,
                include=lambda m: m.role in CONTRACT_SIGNERS,
                fallback_language=tender.maalform,
            )
            values = {
                "tender": tender.tender_title,
                "municipality": tender.municipality_name,
                "standstill_ends_at": tender.standstill_ends_at.isoformat(),
                "link": f"{settings.base_url}/k/{tender.kommunenummer}/tenders/{tender_id}",
            }
            for person in people:
                await request_mail(
                    to=person.email,
                    template="standstill_ended",
                    language=person.language,
                    values=values,
                    key=mail_key(settings),
                )
        told += 1
    if told:
        logger.info("told %d municipalities' staff that a standstill has ended", told)
    return told
