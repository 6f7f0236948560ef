"""The language of a request: the user's choice, the browser's wish, or the site's default."""

from __future__ import annotations

from services.i18n import LANGUAGE_NAMES, LANGUAGES, gettext, ngettext

__all__ = ["COOKIE", "LANGUAGES", "LANGUAGE_NAMES", "choose_language", "gettext", "ngettext"]

COOKIE = "samspel_lang"


def choose_language(cookie: str | None, accept_language: str | None, default: str) -> str:
    """The user's own choice first, then what the browser asks for, then the site's default."""
    if cookie in LANGUAGES:
        return cookie  # type: ignore[return-value]
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        primary = tag.split("-")[0]
        if tag in LANGUAGES or primary in LANGUAGES:
            return tag if tag in LANGUAGES else primary
        if primary == "no":
            return "nb"
    return default
