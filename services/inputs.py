"""Values as Norwegians type them (amounts, dates, organisasjonsnummer), read once for every form and
use-case; what cannot be read is refused with the field it came from, never another exception."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import TypeVar
from zoneinfo import ZoneInfo

from services.errors import N_, InvalidInput
from tenants.rules import is_valid_organisasjonsnummer

OSLO = ZoneInfo("Europe/Oslo")
# numeric(14,2): twelve digits before the decimal comma, two after.
AMOUNT_LIMIT = Decimal("1e12")
TEXT_LIMIT = 10_000
# The years a typed date may name: any plan or record here lies well inside them, and every step
# taken from such a date (to UTC, plus a standstill's days) stays within what Python's datetime
# and PostgreSQL hold; 0001-01-01 in Oslo's time would not even survive the move to UTC.
YEARS = range(1900, 3000)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_CURRENCY = re.compile(r"^(?:kr\.?|nok)|(?:,-|kr\.?|nok)$", re.IGNORECASE)
# A group of thousands never starts with 0: "0.001" is a decimal, not one krone.
_DOT_GROUPS = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+")
_COMMA_GROUPS = re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3}){2,}")
_PLAIN = re.compile(r"[+-]?\d+(?:\.\d+)?")
_NORWEGIAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")


def text(value: str, field: str, *, limit: int = TEXT_LIMIT) -> str:
    """Any text a form sends: no NUL (PostgreSQL cannot store it) and not past its limit.

    A lone surrogate is what web.forms makes of bytes that were not UTF-8: not storable either.
    """
    if "\x00" in value or len(value) > limit or not _encodable(value):
        raise InvalidInput(
            f"{field}_invalid", N_("Fill in this field (not too long)."), field=field
        )
    return value


E = TypeVar("E", bound=Enum)


def choice(kind: type[E], value: str, field: str, message: str) -> E:
    """One of the values of `kind`, as a form's choice sends it; else refused with `message`."""
    try:
        return kind(value)
    except ValueError as error:
        raise InvalidInput(f"{field}_invalid", message, field=field) from error


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _decimal(value: str) -> Decimal | None:
    """1 200 000 · 1 200 000,50 · 1.200.000 kr · 1,200,000 · 1200.50 → a Decimal, or None.

    Norwegian first where a text could be read two ways: a lone comma is the decimal comma
    (2,250 is 2.25) and dots between groups of three separate thousands (1.200 is 1200).
    """
    cleaned = _SPACES.sub("", value)
    while True:  # "kr 1 200,-" and "1 200 NOK" alike
        stripped = _CURRENCY.sub("", cleaned)
        if stripped == cleaned:
            break
        cleaned = stripped
    if "," in cleaned and "." in cleaned:  # the last mark is the decimal one
        decimal_mark = "," if cleaned.rindex(",") > cleaned.rindex(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        whole, _, fraction = cleaned.rpartition(decimal_mark)
        cleaned = f"{whole.replace(group_mark, '')}.{fraction}"
        if not re.fullmatch(r"[+-]?\d+\.\d+", cleaned):
            return None
    elif _DOT_GROUPS.fullmatch(cleaned):  # 1.200.000, and 1.200 is twelve hundred
        cleaned = cleaned.replace(".", "")
    elif _COMMA_GROUPS.fullmatch(cleaned):  # English 1,200,000
        cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".", 1) if cleaned.count(",") == 1 else cleaned
    if len(cleaned) > 40 or not _PLAIN.fullmatch(cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def amount(value: str | Decimal | int, field: str, *, above_zero: bool = False) -> Decimal:
    """NOK as typed, 0 or more (or above 0), with at most øre, small enough for numeric(14,2)."""
    found = value if isinstance(value, Decimal | int) else _decimal(str(value))
    if found is None:
        raise InvalidInput(f"{field}_invalid", N_("Write an amount."), field=field)
    found = Decimal(found)
    if not found.is_finite() or found < 0:
        raise InvalidInput(f"{field}_invalid", N_("Write an amount of 0 or more."), field=field)
    if above_zero and found == 0:
        raise InvalidInput(f"{field}_invalid", N_("Write an amount above 0."), field=field)
    if found >= AMOUNT_LIMIT:
        raise InvalidInput(f"{field}_too_large", N_("The amount is too large."), field=field)
    if found != found.quantize(Decimal("0.01")):
        raise InvalidInput(
            f"{field}_too_many_decimals", N_("Write at most two decimals (øre)."), field=field
        )
    return found


def number(value: str, field: str) -> Decimal:
    """A measured figure (a KPI's value or target): any finite number within numeric(14,2)."""
    found = _decimal(value)
    if found is None or not found.is_finite() or abs(found) >= AMOUNT_LIMIT:
        raise InvalidInput(f"{field}_invalid", N_("Write a number."), field=field)
    return found


def whole(value: str, field: str, message: str = N_("Write a number.")) -> int:
    cleaned = _SPACES.sub("", value)
    if not re.fullmatch(r"[+-]?\d{1,12}", cleaned):
        raise InvalidInput(f"{field}_invalid", message, field=field)
    return int(cleaned)


def day(value: str, field: str) -> date:
    """31.12.2026 as people write it, or 2026-12-31 as <input type=date> sends it."""
    cleaned = value.strip()
    try:
        found: date | None = None
        if typed := _NORWEGIAN_DATE.fullmatch(cleaned):
            d, m, y = (int(part) for part in typed.groups())
            found = date(y, m, d)
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
            found = date.fromisoformat(cleaned)
        if found and found.year in YEARS:
            return found
    except ValueError:
        pass
    raise InvalidInput(f"{field}_invalid", N_("Write a valid date."), field=field)


def moment(value: str, field: str) -> datetime:
    """A date and time (datetime-local's 2026-12-31T12:00, or 31.12.2026 12:00); Norway's clock."""
    cleaned = value.strip()
    found: datetime | None = None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?", cleaned):
            found = datetime.fromisoformat(cleaned)
        elif " " in cleaned:
            date_part, _, time_part = cleaned.partition(" ")
            clock = _TIME.fullmatch(time_part.strip())
            if clock:
                hour, minute = (int(part) for part in clock.groups())
                found = datetime.combine(day(date_part, field), datetime.min.time()).replace(
                    hour=hour, minute=minute
                )
    except (ValueError, InvalidInput):
        found = None
    if found is None or found.year not in YEARS:
        raise InvalidInput(f"{field}_invalid", N_("Choose a date and time."), field=field)
    return found if found.tzinfo else found.replace(tzinfo=OSLO)


def organisasjonsnummer(value: str, field: str = "organisasjonsnummer") -> str:
    """Nine digits as Brønnøysundregistra gives them (spaces allowed), the mod-11 check passed."""
    cleaned = _SPACES.sub("", value)
    if not is_valid_organisasjonsnummer(cleaned):
        raise InvalidInput(
            "organisasjonsnummer_invalid",
            N_("an organisasjonsnummer is nine digits with a valid check digit"),
            field=field,
        )
    return cleaned


# Weights of a Norwegian account number's mod-11 check over its first ten digits.
_ACCOUNT_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def account_check_digit(first_ten: str) -> int | None:
    """The check digit of an account number's first ten digits; None when none is valid (10)."""
    remainder = sum(w * int(d) for w, d in zip(_ACCOUNT_WEIGHTS, first_ten, strict=True)) % 11
    digit = (11 - remainder) % 11
    return None if digit == 10 else digit


def account_number(value: str, field: str = "account_number") -> str:
    """A Norwegian account number as people write it (1234.56.78903, 1234 56 78903): eleven
    digits, the last the mod-11 check digit of the ten before it."""
    cleaned = re.sub(r"[\s\u00a0.]", "", value)
    if not re.fullmatch(r"\d{11}", cleaned) or account_check_digit(cleaned[:10]) != int(
        cleaned[10]
    ):
        raise InvalidInput(
            f"{field}_invalid",
            N_("An account number is eleven digits, the last a valid check digit."),
            field=field,
        )
    return cleaned
