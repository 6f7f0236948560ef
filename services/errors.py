"""The domain's errors: small, carrying a code the web layer translates into the user's language."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal


def N_(message: str) -> str:
    """Marks a message for Babel's extraction; the web layer translates it for the user."""
    return message


class Term(str):
    """A refusal's value that is itself a message (a phase's or a state's name): it is
    translated with the refusal, so a reader never sees a code."""


class DomainError(Exception):
    """Base of every refusal a use-case can give; `code` is stable, `field` names the input.

    `message` is an N_() template; `values` fill its %(name)s places after translation, so
    the figures of a refusal reach the user in their own language too.
    """

    status = 400

    def __init__(
        self,
        code: str,
        message: str,
        *,
        field: str | None = None,
        values: dict[str, object] | None = None,
    ) -> None:
        self.values = values or {}
        super().__init__(message % self.values if self.values else message)
        self.code = code
        self.field = field
        self.message = message

    def translated(self, lang: str) -> str:
        from services.i18n import gettext  # here: the rules stay importable without catalogues

        values = {name: _in(lang, value, gettext) for name, value in self.values.items()}
        return gettext(lang, self.message, **values)


def _in(lang: str, value: object, gettext) -> object:
    """A refusal's value as the reader writes it: a term translated, a figure with a decimal
    comma ("99,5"), a moment on Oslo's clock. A whole number (often a year) stays as it is."""
    from services import formats

    if isinstance(value, Term):
        return gettext(lang, value)
    if isinstance(value, Decimal | float):
        return formats.number(value, lang)
    if isinstance(value, datetime):
        return formats.when(value, lang)
    if isinstance(value, date):
        return formats.day(value, lang)
    return value


class InvalidInput(DomainError):
    status = 422


class NotAllowed(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


def required_text(value: str, field: str, limit: int = 300) -> str:
    """A text the user must give: stripped, not empty, not longer than `limit`."""
    value = value.strip()
    if not value or len(value) > limit:
        raise InvalidInput(f"{field}_required", N_("Fill in this field."), field=field)
    return value
