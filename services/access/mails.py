"""The mails of access: an invitation to a municipality, a region or an organisation."""

from __future__ import annotations

from services.access.rules import ROLE_NAMES
from services.errors import N_
from services.i18n import gettext


def _invitation(lang: str, v: dict[str, str]) -> tuple[str, str]:
    role = gettext(lang, ROLE_NAMES.get((v["scope"], v["role"]), v["role"]))
    subject = gettext(lang, N_("You are invited to %(place)s in Samspel"), place=v["place"])
    body = gettext(
        lang,
        N_(
            "%(inviter)s has invited you to %(place)s in Samspel, as %(role)s.\n\n"
            "Open this link within seven days and log in with ID-porten to accept:\n%(link)s\n\n"
            "If you did not expect this invitation, you can ignore this mail."
        ),
        inviter=v["inviter"],
        place=v["place"],
        role=role,
        link=v["link"],
    )
    return subject, body


TEMPLATES = {"invitation": _invitation}
