"""Who a mail goes to: people with their address and language, read in the scope that may see them.

A municipality's scope sees its own members; an organisation's scope its own. Nothing here
reads past row-level security: a person the scope cannot see gets no mail from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import msgspec

from services.access import service as access
from services.i18n import LANGUAGES
from services.tenancy.service import MunicipalityView
from tenants.context import fetch_structs


class Recipient(msgspec.Struct, frozen=True):
    person_id: int
    name: str
    email: str
    language: str


def language_of(person_language: str | None, fallback: str | None = None) -> str:
    """The person's own language; else the fallback (a municipality's målform); else bokmål."""
    for candidate in (person_language, fallback):
        if candidate in LANGUAGES:
            return candidate
    return "nb"


async def people(
    person_ids: Iterable[int], *, fallback_language: str | None = None
) -> list[Recipient]:
    """These persons, as far as the scope sees them and they have given an e-mail address."""
    found = []
    for person_id in sorted(set(person_ids)):
        person = await access.person(person_id)
        if person is None or not person.email.strip():
            continue
        found.append(
            Recipient(
                person.id,
                person.name,
                person.email.strip(),
                language_of(person.language, fallback_language),
            )
        )
    return found


async def members(
    *,
    municipality_id: int | None = None,
    organisation_id: int | None = None,
    include: Callable[[access.MembershipView], bool],
    fallback_language: str | None = None,
) -> list[Recipient]:
    """The members of one municipality or organisation that `include` picks, once each."""
    memberships = await access.members_of(
        municipality_id=municipality_id, organisation_id=organisation_id
    )
    return await people(
        (m.person_id for m in memberships if include(m)), fallback_language=fallback_language
    )


async def municipalities() -> list[MunicipalityView]:
    """Every municipality (shared reference data): a periodic job visits each in its own scope."""
    return await fetch_structs(
        MunicipalityView, "select id, kommunenummer, name, maalform from municipality order by id"
    )
