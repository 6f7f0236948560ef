"""The identifier rules of Norwegian tenants: kommunenummer and organisasjonsnummer."""

import re

_KOMMUNENUMMER = re.compile(r"[0-9]{4}")
_ORGANISASJONSNUMMER = re.compile(r"[0-9]{9}")
_ORGNR_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
MAALFORMER = ("nb", "nn")


def is_valid_kommunenummer(value: str) -> bool:
    """Exactly four ASCII digits (the county's two, then the municipality's two)."""
    return isinstance(value, str) and _KOMMUNENUMMER.fullmatch(value) is not None


def organisasjonsnummer_check_digit(first_eight: str) -> int | None:
    """Brønnøysundregistra's mod-11 check digit, or None when no digit can make it valid."""
    total = sum(w * int(d) for w, d in zip(_ORGNR_WEIGHTS, first_eight, strict=True))
    digit = 11 - total % 11
    if digit == 11:
        return 0
    return None if digit == 10 else digit


def is_valid_organisasjonsnummer(value: str) -> bool:
    if not isinstance(value, str) or _ORGANISASJONSNUMMER.fullmatch(value) is None:
        return False
    return organisasjonsnummer_check_digit(value[:8]) == int(value[8])
