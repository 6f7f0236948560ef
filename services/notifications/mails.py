"""How a mail is asked for and written: the request, the parts' templates, the finished message.

Each part writes its own mails (services/<part>/mails.py, a TEMPLATES dict of name ->
(language, values) -> (subject, body)), found through services/parts.py; nothing here names
a part or a mail.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage

import msgspec
from babel.dates import format_date, format_datetime

from services import formats
from services.i18n import LANGUAGES, gettext
from services.notifications.sealing import unseal
from services.parts import mail_modules

SENDER = "Samspel <ikkje-svar@samspel.no>"
OSLO = formats.OSLO
# A date in a mail as a letter writes it, its month in words: "12. mars 2026", "12 March 2026".
_DATE = {"nb": "d. MMMM y", "nn": "d. MMMM y", "en": "d MMMM y"}
_TIME = {"nb": "d. MMMM y 'kl.' HH:mm", "nn": "d. MMMM y 'kl.' HH:mm", "en": "d MMMM y 'at' HH:mm"}


class MailAttachment(msgspec.Struct, frozen=True):
    """A file sent with a mail (a decision letter as a PDF); its bytes travel base64-encoded
    in the outbox event, so the worker needs nothing but the request to send it."""

    name: str
    media_type: str
    content_b64: str


class MailRequest(msgspec.Struct, frozen=True):
    """What a use-case asks for; `sealed` holds secrets only the sending worker may open."""

    to: str
    template: str
    language: str
    values: dict[str, str]
    sealed: dict[str, str] = {}
    # A periodic job's mail names what it is about and its day, so a repeat requests none.
    once: str | None = None
    attachments: list[MailAttachment] = []


def when(lang: str, moment: str) -> str:
    """An ISO timestamp (a request's values are text) as Norwegian time, in the language."""
    return format_datetime(datetime.fromisoformat(moment), _TIME[lang], tzinfo=OSLO, locale=lang)


def day(lang: str, iso_date: str) -> str:
    return format_date(date.fromisoformat(iso_date), _DATE[lang], locale=lang)


def kroner(lang: str, amount: str) -> str:
    """An amount (text) as the pages write it: "395 000 kr", in English "NOK 395,000"."""
    return formats.kroner(amount, lang)


def score(lang: str, value: str) -> str:
    """A score (text) with two decimals in the reader's notation: "86,84", in English "86.84"."""
    return formats.score(value, lang)


Template = Callable[[str, dict[str, str]], tuple[str, str]]


def letter(lang: str, subject: str, body: str, values: dict[str, str]) -> tuple[str, str]:
    """A template's subject and body (N_() msgids) in the language, with the values put in;
    a value neither names is left out."""
    return gettext(lang, subject, **values), gettext(lang, body, **values)


@dataclass(frozen=True, slots=True)
class Letter:
    """A template that is a subject and a body and nothing more: the request's values put in,
    and those `shown` makes for the reader (a date in the reader's words) beside them."""

    subject: str
    body: str
    shown: Callable[[str, dict[str, str]], dict[str, str]] = lambda lang, values: {}

    def __call__(self, lang: str, values: dict[str, str]) -> tuple[str, str]:
        return letter(lang, self.subject, self.body, {**values, **self.shown(lang, values)})


def templates() -> dict[str, Template]:
    """Every part's mail templates by name; two parts may not write one name."""
    found: dict[str, Template] = {}
    for module in mail_modules():
        for name, write in module.TEMPLATES.items():
            if name in found:
                raise ValueError(f"two parts write the mail template {name!r}")
            found[name] = write
    return found


def compose(request: MailRequest, key: bytes) -> EmailMessage:
    """The finished mail: secrets unsealed, text in the recipient's language."""
    lang = request.language if request.language in LANGUAGES else "nb"
    values = {**request.values, **{k: unseal(key, v) for k, v in request.sealed.items()}}
    subject, body = templates()[request.template](lang, values)
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = request.to
    message["Subject"] = subject
    message.set_content(body)
    for attachment in request.attachments:
        maintype, _, subtype = attachment.media_type.partition("/")
        message.add_attachment(
            base64.b64decode(attachment.content_b64),
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=attachment.name,
        )
    # After set_content and add_attachment, which move or drop Content-* headers.
    message["Content-Language"] = lang
    return message
