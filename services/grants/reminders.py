"""The reporting deadline's reminders: 60 and 7 days before it, a mail to the organisation's
applicants, in each one's language, through the outbox; once per tilsegn, reminder and day.

The job visits each municipality in its own scope (its tilsegns), the organisation in its own
(its people), and requests the mails in the municipality's scope: it is the boundary, as the
actor that calls it is.
"""

from __future__ import annotations

from datetime import date, timedelta

from infra.settings import Settings
from services.errors import N_
from services.grants.reports import REMINDER_DAYS, reminder_due
from services.grants.roles import APPLICANTS
from services.i18n import gettext
from services.notifications import recipients
from services.notifications.mails import day
from services.notifications.service import request_mail_once
from tenants.context import Scope, connection, tenant_tx


def _report_due(lang: str, v: dict[str, str]) -> tuple[str, str]:
    values = {
        "title": v["title"],
        "municipality": v["municipality"],
        "due": day(lang, v["due_date"]),
        "days": v["days"],
        "link": v["link"],
    }
    subject = gettext(lang, N_("The report on %(title)s is due on %(due)s"), **values)
    body = gettext(
        lang,
        N_(
            "The grant from %(municipality)s to %(title)s is to be reported on by %(due)s,"
            " in %(days)s days.\n\n"
            "Send the report (and the request for the final payment, with the effects achieved)"
            " in Samspel:\n%(link)s"
        ),
        **values,
    )
    return subject, body


TEMPLATES = {"grant_report_due": _report_due}


async def remind_reporting_deadlines(settings: Settings, today: date) -> int:
    """Request the reminders that fall today; how many were requested now."""
    return await recipients.in_each_municipality(
        "reporting reminders", lambda municipality: _remind_in(settings, municipality, today)
    )


async def _due_in(today: date) -> list:
    """The municipality's tilsegns whose deadline is a reminder's distance away, not yet
    finally reported."""
    return await connection().fetch(
        "select a.id, a.title, a.reporting_deadline, a.organisation_id, o.organisasjonsnummer"
        " from grant_application a join organisation o on o.id = a.organisation_id"
        " where a.tenant_id = app_tenant_id() and a.state = 'granted'"
        " and a.reporting_deadline = any($1::date[])"
        " and not exists (select 1 from grant_report r where r.tenant_id = a.tenant_id"
        " and r.application_id = a.id and r.kind = 'final') order by a.id",
        [today + timedelta(days=n) for n in REMINDER_DAYS],
    )


async def _remind_in(settings: Settings, municipality, today: date) -> int:
    async with tenant_tx(municipality.id):
        due = await _due_in(today)
    requested = 0
    for tilsegn in due:
        days = reminder_due(tilsegn["reporting_deadline"], today)
        async with tenant_tx(Scope(organisation_id=tilsegn["organisation_id"])):
            people = await recipients.members(
                organisation_id=tilsegn["organisation_id"],
                include=lambda m: m.role in APPLICANTS,
            )
        link = (
            f"{settings.base_url}/o/{tilsegn['organisasjonsnummer']}/grants/applications/"
            f"{tilsegn['id']}/payments"
        )
        async with tenant_tx(municipality.id):
            for person in people:
                requested += await request_mail_once(
                    settings,
                    f"grant_report_due:{tilsegn['id']}:{days}:{person.person_id}",
                    person,
                    "grant_report_due",
                    {
                        "title": tilsegn["title"],
                        "municipality": municipality.name,
                        "due_date": tilsegn["reporting_deadline"].isoformat(),
                        "days": str(days),
                        "link": link,
                    },
                )
    return requested
