"""The mails of grants: the decision letter to the applicant, with the letter as a PDF; the
reporting deadline's reminders (reminders.py)."""

from __future__ import annotations

from services.errors import N_
from services.grants.reminders import TEMPLATES as REMINDERS
from services.i18n import gettext


def _decision_letter(lang: str, v: dict[str, str]) -> tuple[str, str]:
    values = {k: v[k] for k in ("title", "municipality", "fund", "link")}
    if v["kind"] == "tilsegn":
        subject = N_("Tilsegn: %(title)s has been granted a grant")
        body = N_(
            "%(municipality)s has granted your application %(title)s to %(fund)s.\n\n"
            "The tilsegn letter is attached as a PDF: it states the amount, the share, the"
            " conditions and the reporting deadline.\n\n"
            "Follow the case in Samspel:\n%(link)s"
        )
    else:
        subject = N_("Your application %(title)s has been decided")
        body = N_(
            "%(municipality)s has decided your application %(title)s to %(fund)s.\n\n"
            "The decision letter is attached as a PDF, with the reason and how to appeal.\n\n"
            "Follow the case in Samspel:\n%(link)s"
        )
    return gettext(lang, subject, **values), gettext(lang, body, **values)


TEMPLATES = {"grant_decision_letter": _decision_letter, **REMINDERS}
