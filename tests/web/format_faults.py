"""What a person must never read on a page: "None", an ISO timestamp, a number over 9 999 without
its groups, or (on a Norwegian page) an English message left untranslated.

Only what a person reads is looked at: text, and the labels a screen reader says (aria-label,
title, alt, placeholder); never a script, a style, a textarea's typed text, an input's value or
a <time datetime="…">, where ISO is the right form.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

from tenants.rules import is_valid_organisasjonsnummer

LOCALE = Path(__file__).resolve().parents[2] / "services" / "locale"
SPOKEN = ("aria-label", "title", "alt", "placeholder")
UNREAD = {"script", "style", "textarea", "template"}
# Where a page writes a name (a link's text, a heading, the title, the breadcrumbs' nav): what
# people called a thing, digits and all ("Prosjektleiing 787202"), not a figure to be grouped.
NAMING = {"a", "h1", "h2", "h3", "title", "option", "nav"}

NONE = re.compile(r"(?<![\w-])None(?![\w-])")
ISO = re.compile(r"(?<![\w.])\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?![\w])")
# Five digits or more in a row, not inside a word, a grouped number or a decimal fraction.
LONG_NUMBER = re.compile(r"(?<![\w.,\-])\d{5,}(?![\w])")
# A name a sentence quotes («Prosjektleiing 787202», “…”): as in a link, the digits are the name's.
QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sd]")
WORDS = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.names: set[int] = set()  # the indexes of texts that name something
        self._skipping = 0
        self._naming = 0
        # <span translate="no">: text a person typed (a call's title, a fund's name), theirs as
        # written; spans always close, so a stack of them says which ones name.
        self._spans: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UNREAD:
            self._skipping += 1
        if tag in NAMING:
            self._naming += 1
        if tag == "span":
            theirs = ("translate", "no") in attrs
            self._spans.append(theirs)
            self._naming += theirs
        for name, value in attrs:
            if name in SPOKEN and value:
                self.texts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in UNREAD and self._skipping:
            self._skipping -= 1
        if tag in NAMING and self._naming:
            self._naming -= 1
        if tag == "span" and self._spans and self._spans.pop() and self._naming:
            self._naming -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            if self._naming:
                self.names.add(len(self.texts))
            self.texts.append(" ".join(data.split()))


def readable(html: str) -> tuple[list[str], set[int]]:
    """The page's text as a person (or a screen reader) meets it, one piece per text node, and
    which of the pieces are names."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.texts, reader.names


@cache
def _catalogue(lang: str):
    with (LOCALE / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


@cache
def worded_none(lang: str) -> tuple[str, ...]:
    """The catalogue's own texts with the word None in them ("None: the municipality's own
    business fund" on an English page): a choice the page offers, not a value it lost."""
    found = set()
    for message in _catalogue(lang):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            found.update(p for p in PLACEHOLDER.split(text or "") if NONE.search(p))
    return tuple(sorted(found, key=len, reverse=True))


@cache
def english_left_in(lang: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The English msgids that must not show on a page in `lang` (their translation differs):
    short ones, matched as a whole text, and the longer pieces, matched anywhere in the text."""
    whole: set[str] = set()
    pieces: set[str] = set()
    for message in _catalogue(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if english in strings:
                continue  # the same in both languages ("Status", "E-post"…)
            for piece in PLACEHOLDER.split(english):
                piece = " ".join(piece.split()).strip(" :,.()")
                if len(WORDS.findall(piece)) >= 4:
                    pieces.add(piece)
                elif piece == " ".join(english.split()) and len(piece) >= 3:
                    whole.add(piece)
    return frozenset(whole), tuple(sorted(pieces, key=len, reverse=True))


def _organisation_number(digits: str) -> bool:
    return len(digits) == 9 and is_valid_organisasjonsnummer(digits)


def _without(text: str, phrases: tuple[str, ...]) -> str:
    """The text less the catalogue's phrases; a phrase that is the bare word only when it is all
    the text says (an option "None"), so "Members of None" is still found."""
    for phrase in phrases:
        if phrase == text or NONE.sub("", phrase).strip(" :"):
            text = text.replace(phrase, "")
    return text


def faults(html: str, lang: str) -> list[str]:
    """Everything on the page a person should not have to read, each with what it was."""
    found: list[str] = []
    texts, names = readable(html)
    whole, pieces = english_left_in(lang) if lang != "en" else (frozenset(), ())
    page = "\n".join(texts)
    for index, text in enumerate(texts):
        if NONE.search(_without(text, worded_none(lang))):
            found.append(f"None: {text!r}")
        for iso in ISO.findall(text):
            found.append(f"ISO timestamp {iso!r}: {text!r}")
        for digits in [] if index in names else LONG_NUMBER.findall(QUOTED.sub("", text)):
            if not _organisation_number(digits):
                found.append(f"number without groups {digits!r}: {text!r}")
        if text in whole:
            found.append(f"untranslated {text!r}")
    found.extend(f"untranslated {piece!r}" for piece in pieces if piece in page)
    return found
