"""Who may act for a business: a person who holds a signing role in Enhetsregisteret.

The register names its role holders by name and birth date; ID-porten gives Samspel the
person's national identity number, from which the birth date is read at login (the number
itself is never kept). Daglig leder, styrets leiar and innehavar may register the business.
"""

from __future__ import annotations

import unicodedata
from datetime import date

import msgspec

SIGNING_ROLES = frozenset({"DAGL", "LEDE", "INNH"})


class RoleHolder(msgspec.Struct, frozen=True):
    role: str  # the register's code: DAGL, LEDE, INNH, MEDL, ...
    first_name: str
    middle_name: str
    last_name: str
    birth_date: date | None
    resigned: bool = False
    deceased: bool = False


def _words(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", name).casefold().replace("-", " ")
    return [w for w in folded.split() if w]


def same_person(holder: RoleHolder, name: str, birth_date: date) -> bool:
    """The same birth date, and the given name's first and last word are the register's
    first and last name (a middle name may be left out on either side)."""
    if holder.birth_date != birth_date:
        return False
    given = _words(name)
    first, last = _words(holder.first_name), _words(holder.last_name)
    if not given or not first or not last:
        return False
    return given[: len(first)] == first and given[-len(last) :] == last


def may_sign(holders: list[RoleHolder], name: str, birth_date: date | None) -> bool:
    """True when the person holds a standing signing role in the business."""
    if birth_date is None:
        return False
    return any(
        h.role in SIGNING_ROLES
        and not h.resigned
        and not h.deceased
        and same_person(h, name, birth_date)
        for h in holders
    )


def birth_date_of(pid: str) -> date | None:
    """The birth date in an 11-digit identity number: fødselsnummer, D-number (day + 40),
    H-number (month + 40) and the synthetic test numbers (month + 80); None if it has none."""
    if len(pid) != 11 or not pid.isdigit():
        return None
    day, month, year2, individual = int(pid[0:2]), int(pid[2:4]), int(pid[4:6]), int(pid[6:9])
    if day > 40:
        day -= 40
    if month > 80:
        month -= 80
    elif month > 40:
        month -= 40
    if individual <= 499:
        century = 1900
    elif individual <= 749 and year2 >= 54:
        century = 1800
    elif year2 <= 39:
        century = 2000
    elif individual >= 900:
        century = 1900
    else:
        return None
    try:
        return date(century + year2, month, day)
    except ValueError:
        return None
