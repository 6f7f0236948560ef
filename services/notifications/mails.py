"""How a mail is asked for and written: the request, the parts' templates, the finished message.

Each part writes its own mails (services/<part>/mails.py, a TEMPLATES dict of name ->
(language, values) -> (subject, body)), found through services/parts.py; nothing here names
a part or a mail.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import msgspec
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from services.i18n import LANGUAGES
from services.notifications.sealing import unseal
from services.parts import mail_modules

SENDER = "Samspel <ikkje-svar@samspel.no>"
OSLO = ZoneInfo("Europe/Oslo")
# A date in a mail as a letter writes it: "12. mars 2026", "12 March 2026".
_DATE = {"nb": "d. MMMM y", "nn": "d. MMMM y", "en": "d MMMM y"}
_TIME = {"nb": "d. MMMM y 'kl.' HH:mm", "nn": "d. MMMM y 'kl.' HH:mm", "en": "d MMMM y 'at' HH:mm"}


class MailRequest(msgspec.Struct, frozen=True):
    """What a use-case asks for; `sealed` holds secrets only the sending worker may open."""

    to: str
    template: str
    language: str
    values: dict[str, str]
    sealed: dict[str, str] = {}
    # A periodic job's mail names what it is about and its day, so a repeat requests none.
    once: str | None = None


def when(lang: str, moment: str) -> str:
    """An ISO timestamp (a request's values are text) as Norwegian time, in the language."""
    return format_datetime(datetime.fromisoformat(moment), _TIME[lang], tzinfo=OSLO, locale=lang)


def day(lang: str, iso_date: str) -> str:
    return format_date(date.fromisoformat(iso_date), _DATE[lang], locale=lang)


def _locale(lang: str) -> str:
    return {"nb": "nb_NO", "nn": "nn_NO"}.get(lang, "en_GB")


def kroner(lang: str, amount: str) -> str:
    """An amount (text) as a letter writes it: "395 000 kr", in English "NOK 395,000"."""
    number = format_decimal(Decimal(amount), format="#,##0.##", locale=_locale(lang))
    return f"NOK {number}" if lang == "en" else f"{number}\u00a0kr"


def score(lang: str, value: str) -> str:
    """A score (text) with two decimals in the reader's notation: "86,84", in English "86.84"."""
    return format_decimal(Decimal(value), format="0.00", locale=_locale(lang))


# (language, values) -> (subject, body), or (subject, body, [(file name, media type, bytes)])
# for a mail that carries files (a receipt's PDF).
Template = Callable[[str, dict[str, str]], tuple]


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
    subject, body, *attached = templates()[request.template](lang, values)
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = request.to
    message["Subject"] = subject
    message["X-Samspel-Mail"] = request.template  # which mail it is, for filters and tests
    message.set_content(body)
    for name, media_type, content in attached[0] if attached else []:
        maintype, _, subtype = media_type.partition("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    # Last: set_content drops the Content-* headers, and a first attachment moves them inside.
    message["Content-Language"] = lang
    return message
