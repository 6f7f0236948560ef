"""Every number, amount, date and time a person reads, in one Norwegian format (English on English
pages): the pages, the protocol, the refusals and the mails all write them through here.

Cheap enough for every cell of a long table: each language's separators and month names are
read from Babel's CLDR data once, at import; a call is string work only, no Locale is parsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol

OSLO = ZoneInfo("Europe/Oslo")  # the clock Norwegian deadlines, letters and protocols are read by

Number = Decimal | int | float | str | None
Moment = datetime | date | str | None


@dataclass(frozen=True)
class _Style:
    """What one language writes between digits and around a date."""

    digits: dict[int, str]  # str.translate table from Python's "1,234.5" to the language's
    unit_before: bool  # "NOK 1,200" rather than "1 200 kr"
    months: tuple[str, ...]  # abbreviated, 1-based through months[m - 1]
    english: bool


def _style(locale: str, *, english: bool) -> _Style:
    parsed = Locale.parse(locale)
    digits = {ord(","): get_group_symbol(parsed), ord("."): get_decimal_symbol(parsed)}
    months = parsed.months["format"]["abbreviated"]
    return _Style(
        digits=digits,
        unit_before=english,
        months=tuple(str(months[m]) for m in range(1, 13)),
        english=english,
    )


# nb and nn group with a no-break space ("1 200 000") and write a decimal comma, as CLDR says.
_STYLES = {
    "nb": _style("nb_NO", english=False),
    "nn": _style("nn_NO", english=False),
    "en": _style("en", english=True),  # "Sep", where en_GB writes "Sept"
}
_DEFAULT = _STYLES["nb"]
_CENT = Decimal("0.01")


def _of(lang: str | None) -> _Style:
    return _STYLES.get(lang or "nb", _DEFAULT)


def _decimal(value: Decimal | int | float | str) -> Decimal | None:
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    try:
        found = Decimal(str(value).strip()) if not isinstance(value, int) else Decimal(value)
    except InvalidOperation:
        return None
    return found if found.is_finite() else None


def _fixed(value: Decimal, places: int, style: _Style) -> str:
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0,00"
    return f"{rounded:,.{places}f}".translate(style.digits)


def _blank(value: object) -> bool:
    return value is None or value == ""


def number(value: Number, lang: str = "nb", places: int | None = None) -> str:
    """A number grouped by thousands: "1 200 000", "12,5"; up to two decimals, no trailing zeros,
    unless `places` fixes them. What is not a number is shown as it came (never "None")."""
    if _blank(value):
        return ""
    style = _of(lang)
    if isinstance(value, int) and not isinstance(value, bool) and places is None:
        return f"{value:,}".translate(style.digits)
    found = _decimal(value)  # type: ignore[arg-type]
    if found is None:
        return str(value)
    if places is not None:
        return _fixed(found, places, style)
    text = f"{found.quantize(_CENT, rounding=ROUND_HALF_UP):,.2f}".rstrip("0").rstrip(".")
    return ("0" if text in ("-0", "") else text).translate(style.digits)


def count(value: Number, lang: str = "nb") -> str:
    """How many of something: a whole number, grouped ("12 000"); never "1.0"."""
    return number(value, lang, places=0)


def amount(value: Number, lang: str = "nb") -> str:
    """An amount without its unit: whole kroner as "1 200 000", øre as "1 200 000,50"."""
    if _blank(value):
        return ""
    found = value if isinstance(value, int) else _decimal(value)  # type: ignore[arg-type]
    if found is None:
        return str(value)
    if isinstance(found, int) or found == found.to_integral_value():
        return number(int(found), lang)
    return number(found, lang, places=2)


def amount_to_edit(value: Number) -> str:
    """An amount as a form shows it again for editing: "1 300 000" or "1 300 000,50", with the
    plain spaces a person types, so a saved value reads as it was written (never "1300000.00")."""
    return amount(value, "nb").replace("\xa0", " ")


def kroner(value: Number, lang: str = "nb") -> str:
    """An amount with its unit as a letter writes it: "1 200 000 kr", in English "NOK 1,200,000"."""
    text = amount(value, lang)
    if not text:
        return ""
    return f"NOK {text}" if _of(lang).unit_before else f"{text}\u00a0kr"


def score(value: Number, lang: str = "nb", places: int = 2) -> str:
    """A score with its decimals in the reader's notation: "86,84" in nb and nn, "86.84" in en."""
    return number(value, lang, places=places)


def percent(value: Number, lang: str = "nb") -> str:
    """A share already in percent: "40 %", "12,5 %", the sign kept on the number's line (the
    English messages write "90 %" too, so English pages do the same: "12.5 %")."""
    text = number(value, lang)
    return f"{text}\u00a0%" if text else ""


def size(octets: int | None, lang: str = "nb") -> str:
    """A file's size as people read it: "850 B", "17,7 kB", "2,4 MB" (1 kB = 1000 bytes)."""
    if octets is None:
        return ""
    if octets < 1000:
        return f"{octets}\u00a0B"
    for unit, scale in (("kB", 1000), ("MB", 1000**2), ("GB", 1000**3)):
        if octets < scale * 1000 or unit == "GB":
            return f"{number(Decimal(octets) / scale, lang, places=1)}\u00a0{unit}"
    raise AssertionError("unreachable")


def _moment(value: Moment) -> date | None:
    """A date stays a date; a datetime moves to Oslo's clock (a naive one is UTC, as stored)."""
    if _blank(value):
        return None
    if isinstance(value, str):  # a value that went through JSON: an event's or a mail's
        try:
            value = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(OSLO)
    return value if isinstance(value, date) else None


def _day_of(found: date, style: _Style) -> str:
    if style.english:
        return f"{found.day} {style.months[found.month - 1]} {found.year}"
    return f"{found.day:02}.{found.month:02}.{found.year}"


def day(value: Moment, lang: str = "nb") -> str:
    """A day on the calendar: "14.12.2026" (English "14 Dec 2026"); a time is read in Oslo."""
    found = _moment(value)
    if found is None:
        return "" if _blank(value) else str(value)
    return _day_of(found, _of(lang))


def when(value: Moment, lang: str = "nb", *, seconds: bool = False) -> str:
    """A moment on Oslo's clock: "14.12.2026 kl. 12.00" (English "14 Dec 2026, 12:00"); with
    seconds where the order of events is the point, as in a protocol. A bare date stays a day."""
    found = _moment(value)
    if found is None:
        return "" if _blank(value) else str(value)
    style = _of(lang)
    if not isinstance(found, datetime):
        return _day_of(found, style)
    if style.english:
        clock = f"{found.hour:02}:{found.minute:02}" + (f":{found.second:02}" if seconds else "")
        return f"{_day_of(found, style)}, {clock}"
    clock = f"{found.hour:02}.{found.minute:02}" + (f".{found.second:02}" if seconds else "")
    return f"{_day_of(found, style)} kl. {clock}"


def account_number(value: str | None, lang: str = "nb") -> str:
    """A Norwegian bank account as banks write it: "1234.56.78903"; anything else as it is."""
    digits = "" if value is None else str(value).replace(".", "").replace(" ", "")
    if len(digits) == 11 and digits.isascii() and digits.isdigit():
        return f"{digits[:4]}.{digits[4:6]}.{digits[6:]}"
    return "" if value is None else str(value)


def cell(value: object, lang: str = "nb") -> str:
    """A text cell of a table that is also a download: its days (dates, or ISO days as the
    CSV keeps them) written as the page's days, anything else as it is."""
    if isinstance(value, date):
        return day(value, lang)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return day(date.fromisoformat(value), lang)
        except ValueError:
            return value
    return "" if value is None else str(value)
