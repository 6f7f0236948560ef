"""The mails of access: an invitation to a municipality, a region or an organisation."""

from __future__ import annotations

from services.access.rules import ROLE_NAMES
from services.errors import N_
from services.i18n import gettext
from services.notifications.mails import Letter

TEMPLATES = {
    "invitation": Letter(
        N_("You are invited to %(place)s in Samspel"),
        N_(
            "%(inviter)s has invited you to %(place)s in Samspel, as %(role)s.\n\n"
            "Open this link within seven days and log in with ID-porten to accept:\n%(link)s\n\n"
            "If you did not expect this invitation, you can ignore this mail."
        ),
        lambda lang, v: {
            "role": gettext(lang, ROLE_NAMES.get((v["scope"], v["role"]), v["role"]))
        },
    )
}
