"""The mails Samspel sends, each written in its recipient's language."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage

import msgspec

from services.access.rules import ROLE_NAMES
from services.errors import N_
from services.i18n import LANGUAGES, gettext
from services.notifications.sealing import unseal

SENDER = "Samspel <ikkje-svar@samspel.no>"


class MailRequest(msgspec.Struct, frozen=True):
    """What a use-case asks for; `sealed` holds secrets only the sending worker may open."""

    to: str
    template: str
    language: str
    values: dict[str, str]
    sealed: dict[str, str] = {}


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


TEMPLATES: dict[str, Callable[[str, dict[str, str]], tuple[str, str]]] = {
    "invitation": _invitation,
}


def compose(request: MailRequest, key: bytes) -> EmailMessage:
    """The finished mail: secrets unsealed, text in the recipient's language."""
    lang = request.language if request.language in LANGUAGES else "nb"
    values = {**request.values, **{k: unseal(key, v) for k, v in request.sealed.items()}}
    subject, body = TEMPLATES[request.template](lang, values)
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = request.to
    message["Subject"] = subject
    message.set_content(body)
    message["Content-Language"] = lang  # after set_content, which drops Content-* headers
    return message
