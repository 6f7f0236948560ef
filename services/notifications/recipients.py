"""Who a mail goes to: people with their address and language, read in the scope that may see them.

A municipality's scope sees its own members; an organisation's scope its own. Nothing here
reads past row-level security: a person the scope cannot see gets no mail from it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable

import msgspec

from services.access import service as access
from services.i18n import LANGUAGES
from services.tenancy.service import MunicipalityView
from tenants.context import Scope, fetch_structs, tenant_tx

logger = logging.getLogger(__name__)


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


async def in_each_municipality(
    what: str, remind: Callable[[MunicipalityView], Awaitable[int]]
) -> int:
    """A periodic job's mails, requested municipality by municipality; how many were requested.

    `remind` opens the scopes it reads in. A municipality that fails is logged and the others
    still get theirs; the job then fails, naming the failed ones: what was requested is
    remembered, so a retry requests only what is missing."""
    async with tenant_tx(Scope(operator=True)):
        municipalities = await fetch_structs(
            MunicipalityView,
            "select id, kommunenummer, name, maalform from municipality order by id",
        )
    requested, failed = 0, []
    for municipality in municipalities:
        try:
            requested += await remind(municipality)
        except Exception:
            logger.exception("%s of municipality %s failed", what, municipality.id)
            failed.append(municipality.id)
    if requested:
        logger.info("requested %d %s", requested, what)
    if failed:
        raise RuntimeError(f"{what} failed in municipalities {failed}")
    return requested
