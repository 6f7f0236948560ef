"""The mails of projects: a reminder to the project's owner when a decision point is overdue.

The job only requests mails (notifications.mail_requested); the mail worker sends them. It
opens a transaction per municipality: it is the boundary, as the actor that calls it is.
"""

from __future__ import annotations

import logging
from datetime import date

from infra.settings import Settings
from services.errors import N_
from services.notifications import recipients
from services.notifications.mails import Letter, day
from services.notifications.service import request_mail_once
from services.projects import service as projects
from tenants.context import tenant_tx

logger = logging.getLogger(__name__)


TEMPLATES = {
    "decision_point_overdue": Letter(
        N_("A decision is overdue: %(project)s"),
        N_(
            "The decision point of %(project)s in %(municipality)s was due on %(due)s, and no"
            " decision has been recorded.\n\n"
            "As the project owner, record the decision (go, go with conditions, revise or stop)"
            " in Samspel:\n%(link)s\n\n"
            "You get this reminder every morning until the decision is recorded."
        ),
        lambda lang, v: {"due": day(lang, v["due_date"])},
    )
}


# ---------------------------------------------------------------------------------------------
# Overdue decision points: a reminder each morning to the project's owner, from the lead
# municipality (a regional project's participants see the point too, and send nothing).


async def remind_overdue_decision_points(settings: Settings, today: date) -> int:
    """One reminder per overdue decision point and day; how many were requested now."""
    return await recipients.in_each_municipality(
        "decision point reminders", lambda municipality: _remind_in(settings, municipality, today)
    )


async def _remind_in(settings: Settings, municipality, today: date) -> int:
    async with tenant_tx(municipality.id):
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
            link = f"{settings.base_url}/k/{municipality.kommunenummer}/projects/{point.project_id}"
            requested += await request_mail_once(
                settings,
                f"decision_point_overdue:{point.id}:{today.isoformat()}",
                owners[0],
                "decision_point_overdue",
                {
                    "project": point.project_title,
                    "municipality": municipality.name,
                    "due_date": point.due_date.isoformat(),
                    "link": link,
                },
            )
        return requested
