"""Every user-visible string goes through Babel: bokmål, nynorsk and English."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("nb", "nn", "en")
LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
COOKIE = "samspel_lang"


@cache
def translations(lang: str) -> NullTranslations:
    # English is the source language; a missing .mo would silently show English, so refuse.
    found = Translations.load(str(LOCALE_DIR), [lang], domain="messages")
    if lang != "en" and not isinstance(found, Translations):
        raise RuntimeError(f"no compiled catalogue for {lang!r}: run `make setup`")
    return found


def gettext(lang: str, message: str, **values: object) -> str:
    text = translations(lang).gettext(message)
    return text % values if values else text


def ngettext(lang: str, singular: str, plural: str, n: int, **values: object) -> str:
    text = translations(lang).ngettext(singular, plural, n)
    return text % {"num": n, **values}


def choose_language(cookie: str | None, accept_language: str | None, default: str) -> str:
    """The user's own choice first, then what the browser asks for, then the site's default."""
    if cookie in LANGUAGES:
        return cookie  # type: ignore[return-value]
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        primary = tag.split("-")[0]
        if tag in ("nb", "nn", "en") or primary in ("nb", "nn", "en"):
            return tag if tag in LANGUAGES else primary
        if primary == "no":
            return "nb"
    return default
