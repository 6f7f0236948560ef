"""Mails about tenders and projects: award notices to the bidders, the end of a standstill to the
municipality, overdue decision points to the project owner.

Each job only requests mails (notifications.mail_requested, in the transaction that marks them
requested); workers/actors/mail.py sends them. Every read runs in the scope that may see it:
a notice and its tender in the municipality's, the bidder's people in the organisation's.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

import dramatiq
from periodiq import cron

from infra.settings import Settings, load
from services.notifications import recipients
from services.notifications.service import request_mail, request_mail_once
from services.projects import service as projects
from services.tendering.service import award
from tenants.context import NOBODY, Scope, tenant_tx
from workers.actors.outbox import handles

logger = logging.getLogger(__name__)
OPERATOR = Scope(operator=True)
OSLO = ZoneInfo("Europe/Oslo")
# Who at the municipality signs the contract, and so hears that the standstill has ended.
CONTRACT_SIGNERS = ("admin", "case_officer")


@cache
def _settings() -> Settings:
    return load()


def _key(settings: Settings) -> bytes:
    return settings.derived_key("mail-secrets")


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
                key=_key(settings),
            )
    if not people:
        logger.warning(
            "award notice %s: organisation %s has no one to mail", notice_id, notice.organisation_id
        )
    return len(people)


@handles("tendering.award_notified")
@dramatiq.actor(queue_name="notices", max_retries=5, time_limit=120_000)
async def mail_award_notices(
    *, event_id: int, kind: str, tenant_id: int | None, payload: dict
) -> None:
    if tenant_id is None:
        return
    settings = _settings()
    for notice_id in payload.get("notice_ids", []):
        await mail_award_notice(settings, tenant_id, notice_id)


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
                    key=_key(settings),
                )
        told += 1
    if told:
        logger.info("told %d municipalities' staff that a standstill has ended", told)
    return told


# Every hour: a standstill ends at the time of day the award was notified, ten days on.
@dramatiq.actor(
    queue_name="notices", max_retries=3, time_limit=120_000, periodic=cron("10 * * * *")
)
async def end_standstill_periods() -> None:
    await mail_ended_standstills(_settings())


# ---------------------------------------------------------------------------------------------
# Overdue decision points: a reminder each morning to the project's owner, from the lead
# municipality (a regional project's participants see the point too, and send nothing).


async def remind_overdue_decision_points(settings: Settings, today: date) -> int:
    """One reminder per overdue decision point and day; how many were requested now."""
    async with tenant_tx(OPERATOR):
        municipalities = await recipients.municipalities()
    requested, failed = 0, []
    for municipality in municipalities:
        try:
            async with tenant_tx(municipality.id):
                requested += await _remind_in(settings, municipality, today)
        except Exception:
            logger.exception("decision point reminders of municipality %s failed", municipality.id)
            failed.append(municipality.id)
    if requested:
        logger.info("requested %d reminders of overdue decision points", requested)
    if failed:
        # The others are requested and remembered; a retry requests only what is missing.
        raise RuntimeError(f"decision point reminders failed in municipalities {failed}")
    return requested


async def _remind_in(settings: Settings, municipality, today: date) -> int:
    requested = 0
    for point in await projects.overdue_decision_points(today):
        project = await projects.get_project(point.project_id, today=today)
        if project.summary.lead_municipality_id != municipality.id:
            continue
        owners = (
            await recipients.people(
                [project.owner_person_id], fallback_language=municipality.maalform
            )
            if project.owner_person_id is not None
            else []
        )
        if not owners:
            logger.info("decision point %s: the project's owner has no e-mail here", point.id)
            continue
        owner = owners[0]
        link = f"{settings.base_url}/k/{municipality.kommunenummer}/projects/{point.project_id}"
        if await request_mail_once(
            f"decision_point_overdue:{point.id}:{today.isoformat()}",
            to=owner.email,
            template="decision_point_overdue",
            language=owner.language,
            values={
                "project": point.project_title,
                "municipality": municipality.name,
                "due_date": point.due_date.isoformat(),
                "link": link,
            },
            key=_key(settings),
        ):
            requested += 1
    return requested


# Every morning at seven, Norwegian time (the scheduler runs on Europe/Oslo). `today` is for
# a person re-sending a missed day by hand; the scheduler sends none.
@dramatiq.actor(queue_name="notices", max_retries=3, time_limit=300_000, periodic=cron("0 7 * * *"))
async def remind_decision_owners(today: str | None = None) -> None:
    day = date.fromisoformat(today) if today else datetime.now(OSLO).date()
    await remind_overdue_decision_points(_settings(), day)
