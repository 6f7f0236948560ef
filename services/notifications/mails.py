"""The mails Samspel sends, each written in its recipient's language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import msgspec
from babel.dates import format_date, format_datetime

from services.access.rules import ROLE_NAMES
from services.errors import N_
from services.i18n import LANGUAGES, gettext
from services.notifications.sealing import unseal

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


def when(lang: str, moment: str) -> str:
    """An ISO timestamp (a request's values are text) as Norwegian time, in the language."""
    return format_datetime(datetime.fromisoformat(moment), _TIME[lang], tzinfo=OSLO, locale=lang)


def day(lang: str, iso_date: str) -> str:
    return format_date(date.fromisoformat(iso_date), _DATE[lang], locale=lang)


def _award_notice(lang: str, v: dict[str, str]) -> tuple[str, str]:
    values = {
        "tender": v["tender"],
        "municipality": v["municipality"],
        "organisation": v["organisation"],
        "winner": v.get("winner") or "–",
        "reasons": v["reasons"],
        "ends": when(lang, v["standstill_ends_at"]),
        "link": v["link"],
    }
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
        subject = N_("Your bid for %(tender)s was not chosen")
        body = N_(
            "%(municipality)s has chosen another bid than the one from %(organisation)s for"
            " %(tender)s. The municipality intends to award the contract to %(winner)s.\n\n"
            "The reasons for the award:\n%(reasons)s\n\n"
            "The standstill period ends on %(ends)s. Until then you may ask the municipality"
            " to explain the award further, or complain about it.\n\n"
            "Read the award notice in Samspel:\n%(link)s"
        )
    return gettext(lang, subject, **values), gettext(lang, body, **values)


def _standstill_ended(lang: str, v: dict[str, str]) -> tuple[str, str]:
    values = {
        "tender": v["tender"],
        "municipality": v["municipality"],
        "ends": when(lang, v["standstill_ends_at"]),
        "link": v["link"],
    }
    subject = gettext(lang, N_("The standstill period for %(tender)s has ended"), **values)
    body = gettext(
        lang,
        N_(
            "The standstill period for %(tender)s in %(municipality)s ended on %(ends)s.\n\n"
            "Unless a complaint has stopped the award, the contract may now be signed. Record"
            " the signing in Samspel:\n%(link)s"
        ),
        **values,
    )
    return subject, body


def _decision_point_overdue(lang: str, v: dict[str, str]) -> tuple[str, str]:
    values = {
        "project": v["project"],
        "municipality": v["municipality"],
        "due": day(lang, v["due_date"]),
        "link": v["link"],
    }
    subject = gettext(lang, N_("A decision is overdue: %(project)s"), **values)
    body = gettext(
        lang,
        N_(
            "The decision point of %(project)s in %(municipality)s was due on %(due)s, and no"
            " decision has been recorded.\n\n"
            "As the project owner, record the decision (go, go with conditions, revise or stop)"
            " in Samspel:\n%(link)s\n\n"
            "You get this reminder every morning until the decision is recorded."
        ),
        **values,
    )
    return subject, body


TEMPLATES: dict[str, Callable[[str, dict[str, str]], tuple[str, str]]] = {
    "invitation": _invitation,
    "award_notice": _award_notice,
    "standstill_ended": _standstill_ended,
    "decision_point_overdue": _decision_point_overdue,
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
