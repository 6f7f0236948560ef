"""Made-up but plausible names and numbers for the national dataset, each a pure function of an index.

The bench logs in as generated persons, so their national identity numbers must be found again
from the index alone: nothing here draws at random.
"""

from __future__ import annotations

from tenants.rules import is_valid_organisasjonsnummer

_FIRST = (
    "Aust",
    "Vest",
    "Nord",
    "Sør",
    "Stor",
    "Lille",
    "Øvre",
    "Nedre",
    "Ny",
    "Midt",
    "Indre",
    "Ytre",
    "Lang",
    "Breid",
    "Djup",
    "Kvit",
    "Grøn",
    "Raud",
    "Sol",
    "Elv",
)
_ROOT = ("dal", "fjord", "vik", "berg", "haug", "nes", "øy", "voll", "stad", "heim",
         "sund", "li", "mo", "rud", "vang", "bygd", "land", "strand", "å", "myr")  # fmt: skip
# County prefixes of today's kommunenummer; the demo's own (46, 50) are among them.
_COUNTIES = ("03", "11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50",
             "55", "56")  # fmt: skip
_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})

PROJECT_TOPICS = ("Reiseliv og opplevingar", "Lokal matforedling", "Næringsareal",
                  "Kompetanseløft industri", "Grøn omstilling", "Stadutvikling",
                  "Rekruttering av fagfolk", "Havbruk og sjømat", "Velferdsteknologi",
                  "Trebasert industri", "Gründerhus", "Digital infrastruktur")  # fmt: skip
TENDER_TOPICS = ("Prosjektleiing forstudie", "Prosjektleiing forprosjekt", "Mobiliseringsprogram",
                 "Analyse av næringsstruktur", "Drift av næringskontor", "Kompetansekartlegging",
                 "Marknadsføring av reisemål", "Etablerarrettleiing", "Prosessleiing strategi",
                 "Evaluering av omstillingsprogram")  # fmt: skip
BUSINESS_WORDS = ("Rådgjeving", "Utvikling", "Analyse", "Næringshage", "Konsult", "Prosess",
                  "Kompetanse", "Innovasjon")  # fmt: skip


def place_name(index: int) -> str:
    """A distinct place name for every index below 400 (20 × 20)."""
    first, root = _FIRST[index % len(_FIRST)], _ROOT[(index // len(_FIRST)) % len(_ROOT)]
    name = first + root
    return name if index < len(_FIRST) * len(_ROOT) else f"{name} {index // 400 + 1}"


def slug(name: str) -> str:
    text = name.translate(_ASCII).lower()
    return "-".join("".join(c if c.isalnum() else " " for c in text).split())


def kommunenumre(count: int, taken: set[str]) -> list[str]:
    """`count` four-digit numbers, county by county, none of them already taken."""
    found: list[str] = []
    for number in range(1, 100):
        for county in _COUNTIES:
            candidate = f"{county}{number:02d}"
            if candidate not in taken:
                found.append(candidate)
                if len(found) == count:
                    return found
    raise ValueError(f"no room for {count} kommunenummer")


def organisasjonsnummer(index: int) -> str:
    """The index-th valid organisasjonsnummer from 960 000 000 on (the demo's are below)."""
    base = 96_000_000 + index * 7
    while True:
        for last in range(10):
            candidate = f"{base:08d}{last}"
            if is_valid_organisasjonsnummer(candidate):
                return candidate
        base += 1


def pid(kind: int, index: int) -> str:
    """A synthetic national identity number: a birth date, then the kind and the index.

    kind 1 is municipal staff, 2 a business's person; the demo's persons use other numbers.
    """
    day, month, year = 1 + index % 28, 1 + (index // 28) % 12, 60 + (index // 336) % 30
    if not 0 <= index < 10_000:
        raise ValueError("a generated pid index is below 10 000")
    return f"{day:02d}{month:02d}{year:02d}{kind}{index:04d}"


def staff_pid(index: int) -> str:
    return pid(1, index)


def supplier_pid(index: int) -> str:
    """The person who acts for the index-th generated business (its admin)."""
    return pid(2, index)
