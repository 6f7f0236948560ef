"""The domain's errors: small, carrying a code the web layer translates into the user's language."""

from __future__ import annotations

from collections.abc import Mapping
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


class Refusals(InvalidInput):
    """Every refused field at once, so a page shows them all, each beside its field.

    It reads as its first refusal (code, field, message) for a caller that wants only one.
    """

    def __init__(self, refusals: dict[str, DomainError]) -> None:
        first = next(iter(refusals.values()))
        super().__init__(first.code, first.message, field=first.field, values=first.values)
        self.refusals = refusals


def refuse_all(refusals: dict[str, DomainError]) -> None:
    """Raise nothing, the one refusal itself, or all of them together."""
    if len(refusals) == 1:
        raise next(iter(refusals.values()))
    if refusals:
        raise Refusals(refusals)


class NotAllowed(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class TransitionRefused(Conflict):
    """A step from `current` to `target` that the part's rules do not allow; `names` are the
    states' names, so the message names both ends in the reader's language."""

    def __init__(
        self,
        code: str,
        message: str,
        current: str,
        target: str,
        names: Mapping[str, str],
        *,
        field: str = "state",
    ) -> None:
        values = {"current": Term(names[current]), "target": Term(names[target])}
        super().__init__(code, message, field=field, values=values)
        self.current, self.target = current, target


def required_text(value: str, field: str, limit: int = 300) -> str:
    """A text the user must give: stripped, not empty, not longer than `limit`."""
    value = value.strip()
    if not value or len(value) > limit:
        raise InvalidInput(f"{field}_required", N_("Fill in this field."), field=field)
    return value
