"""The domain's language: Babel catalogues in bokmål, nynorsk and English, for pages and mails alike."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("nb", "nn", "en")
LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}


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
