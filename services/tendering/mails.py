"""The mails of tendering: award notices to the bidders, the end of a standstill to the
municipality; who gets them and what they say.

The jobs only request mails (notifications.mail_requested, in the transaction that marks them
requested); the mail worker sends them. Every read runs in the scope that may see it: a
notice and its tender in the municipality's, the bidder's people in the organisation's. Each
job opens its own transactions: it is the boundary, as the actor that calls it is.
"""

from __future__ import annotations

import json
import logging
from functools import partial

from infra.settings import Settings
from services.errors import N_
from services.i18n import gettext
from services.notifications import recipients
from services.notifications.mails import Letter, kroner, letter, score, when
from services.notifications.service import request_mails
from services.tendering import service as tendering
from services.tendering.roles import CONTRACT_SIGNERS  # they hear that the standstill has ended
from services.tendering.service import award, notices
from tenants.context import NOBODY, Scope, tenant_tx

logger = logging.getLogger(__name__)


def _scores(lang: str, text: str) -> str:
    """The chosen bid's scores beside the addressee's, one line each (FOA § 25-1)."""
    if not text:
        return "–"
    rows = json.loads(text)

    def pair(chosen: str | None, own: str | None, shown) -> dict[str, str]:
        return {
            "chosen": shown(lang, chosen) if chosen else "–",
            "own": shown(lang, own) if own else "–",
        }

    lines = [
        gettext(
            lang,
            N_("%(criterion)s (%(weight)s %%): %(chosen)s – yours %(own)s"),
            criterion=name,
            weight=weight,
            **pair(chosen, own, score),
        )
        for name, weight, chosen, own in rows["criteria"]
    ]
    lines.append(
        gettext(lang, N_("Price: %(chosen)s – yours %(own)s"), **pair(*rows["price"], kroner))
    )
    lines.append(
        gettext(lang, N_("Total: %(chosen)s – yours %(own)s"), **pair(*rows["total"], score))
    )
    return "\n".join(lines)


def scores_of(notice: award.AwardNoticeMail) -> str:
    """The scores as a mail's value (text): the winner's and the addressee's, per criterion."""
    winner, own = notice.winner, notice.outcome
    if winner is None:
        return ""

    def text(value) -> str | None:
        return None if value is None else str(value)

    mine = own.scores if own else {}
    return json.dumps(
        {
            "criteria": [
                [name, notice.weights.get(name, 0), text(chosen), text(mine.get(name))]
                for name, chosen in winner.scores.items()
            ],
            "price": [text(winner.price), text(own.price if own else None)],
            "total": [text(winner.total), text(own.total if own else None)],
        }
    )


def _award_notice(lang: str, v: dict[str, str]) -> tuple[str, str]:
    values = {**v, "winner": v.get("winner") or "–", "ends": when(lang, v["standstill_ends_at"])}
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
        values["scores"] = _scores(lang, v.get("scores", ""))
        subject = N_("Your bid for %(tender)s was not chosen")
        body = N_(
            "%(municipality)s has chosen another bid than the one from %(organisation)s for"
            " %(tender)s. The municipality intends to award the contract to %(winner)s.\n\n"
            "The reasons for the award:\n%(reasons)s\n\n"
            "The chosen bid's scores beside yours (0–10 per criterion, total 0–100):\n"
            "%(scores)s\n\n"
            "The standstill period ends on %(ends)s; the contract is not signed before then."
            " To complain, write to %(municipality)s before the standstill period ends (the"
            " procurement regulations, FOA § 25-1). A complaint may also be brought before the"
            " Norwegian complaints board for public procurement (KOFA).\n\n"
            "Read the award notice in Samspel:\n%(link)s"
        )
    return letter(lang, subject, body, values)


TEMPLATES = {
    "award_notice": _award_notice,
    "standstill_ended": Letter(
        N_("The standstill period for %(tender)s has ended"),
        N_(
            "The standstill period for %(tender)s in %(municipality)s ended on %(ends)s.\n\n"
            "Unless a complaint has stopped the award, the contract may now be signed. Record"
            " the signing in Samspel:\n%(link)s"
        ),
        lambda lang, v: {"ends": when(lang, v["standstill_ends_at"])},
    ),
    "bid_to_reconfirm": Letter(
        N_("Reconfirm your bid for %(tender)s"),
        N_(
            "%(municipality)s has changed the tender documents of %(tender)s after your"
            " organisation sent its bid.\n\n"
            "Read the changed documents and reconfirm the bid before the deadline, %(deadline)s."
            " A bid that is not reconfirmed is rejected at the opening.\n\n"
            "Reconfirm the bid in Samspel:\n%(link)s"
        ),
        lambda lang, v: {"deadline": when(lang, v["bid_deadline"])},
    ),
    "clarification_published": Letter(
        N_("A clarification of %(tender)s"),
        N_(
            "%(municipality)s has published a clarification of %(tender)s, for every"
            " supplier.\n\n"
            "The question:\n%(question)s\n\n"
            "The answer:\n%(answer)s\n\n"
            "Read the tender and its clarifications in Samspel:\n%(link)s"
        ),
    ),
    "new_tender_followed": Letter(
        N_("%(municipality)s has published a tender: %(tender)s"),
        N_(
            "%(municipality)s, which your organisation follows, has published the tender"
            " %(tender)s. Bids are received until %(deadline)s.\n\n"
            "Read the tender in Samspel:\n%(link)s\n\n"
            "You get this mail because your organisation follows %(municipality)s or its"
            " region; stop following on the tender listing."
        ),
        lambda lang, v: {"deadline": when(lang, v["bid_deadline"])},
    ),
}


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
        "scores": scores_of(notice),
        "link": link,
    }
    async with tenant_tx(tenant_id):
        # The claim and the requests commit together: a second delivery finds it claimed.
        if not await award.mark_award_notice_mailed(notice_id):
            return 0
        await request_mails(settings, people, "award_notice", values)
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
            await request_mails(settings, people, "standstill_ended", values)
        told += 1
    if told:
        logger.info("told %d municipalities' staff that a standstill has ended", told)
    return told


# ---------------------------------------------------------------------------------------------
# Mails to organisations before the opening: bids to reconfirm, clarifications, new tenders to
# followers. Who gets one is read past the bid seal in no one's scope; each organisation is
# then claimed and mailed in its own scope, so the municipality never learns who bid (the
# requests of an organisation's scope are in no municipality's outbox).


async def _mail_organisations(
    settings: Settings,
    tender_id: int,
    *,
    recipients_of: str,
    claim: str,
    template: str,
    values: dict[str, str],
    include,
    link,
) -> int:
    """Claim and mail each organisation picked by `recipients_of`; how many people got one."""
    async with tenant_tx(NOBODY):
        tender = await notices.tender_facts(tender_id)
        if tender is None:
            return 0
        organisations = await notices.organisations_to_mail(
            tender.tenant_id, tender_id, recipients_of
        )
    values = {
        "tender": tender.title,
        "municipality": tender.municipality_name,
        "bid_deadline": tender.bid_deadline,
        **values,
    }
    mailed = 0
    for organisation_id in organisations:
        async with tenant_tx(Scope(organisation_id=organisation_id)):
            if not await notices.claim_tender_mail(tender.tenant_id, tender_id, claim):
                continue
            senders = await notices.bidders_and_askers(tender_id)
            people = await recipients.members(
                organisation_id=organisation_id, include=partial(include, senders=senders)
            )
            number = await notices.organisation_number(organisation_id)
            mailed += await request_mails(
                settings, people, template, {**values, "link": link(settings, tender_id, number)}
            )
    return mailed


def _supplier_link(settings: Settings, tender_id: int, organisasjonsnummer: str | None) -> str:
    return f"{settings.base_url}/o/{organisasjonsnummer}/tenders/{tender_id}"


def _public_link(settings: Settings, tender_id: int, _: str | None) -> str:
    return f"{settings.base_url}/tenders/{tender_id}"


def _admins_and(m, senders: set[int]) -> bool:
    """An organisation's admins, and whoever of it sent its bid or asked the question."""
    return m.role == "admin" or m.person_id in senders


async def mail_bids_to_reconfirm(settings: Settings, tender_id: int, documents_version: int) -> int:
    """Every organisation with a bid sent against older documents is asked to reconfirm it."""
    return await _mail_organisations(
        settings,
        tender_id,
        recipients_of=notices.RECONFIRM,
        claim=f"{notices.RECONFIRM}:{documents_version}",
        template="bid_to_reconfirm",
        values={},
        include=_admins_and,
        link=_supplier_link,
    )


async def mail_clarification(settings: Settings, tender_id: int, clarification_id: int) -> int:
    """A published clarification, to every organisation that asked a question or bid."""
    async with tenant_tx(NOBODY):
        found = [c for c in await tendering.clarifications(tender_id) if c.id == clarification_id]
    if not found:
        return 0
    return await _mail_organisations(
        settings,
        tender_id,
        recipients_of=notices.CLARIFICATION,
        claim=f"{notices.CLARIFICATION}:{clarification_id}",
        template="clarification_published",
        values={"question": found[0].question, "answer": found[0].answer},
        include=_admins_and,
        link=_supplier_link,
    )


async def mail_followers(settings: Settings, tender_id: int) -> int:
    """A newly published tender, to every member of the organisations that follow its
    municipality or one of its regions: they chose to hear of it."""
    return await _mail_organisations(
        settings,
        tender_id,
        recipients_of=notices.PUBLISHED,
        claim=notices.PUBLISHED,
        template="new_tender_followed",
        values={},
        include=lambda m, senders: True,  # every member
        link=_public_link,
    )
