"""The throw-away part's mail: its author hears of a note, in nynorsk; who and what are decided here."""

from __future__ import annotations

from infra.settings import Settings
from services.notifications.service import mail_key, request_mail
from tenants.context import tenant_tx
from tests.throwaway_part import service

# A test part's text stays out of the product's catalogues: one wording per language here.
_SUBJECT = {"nb": "Et nytt notat: %s", "nn": "Eit nytt notat: %s", "en": "A new note: %s"}


def _note_written(lang: str, v: dict[str, str]) -> tuple[str, str]:
    return _SUBJECT[lang] % v["body"], f"{v['body']}\n"


TEMPLATES = {"throwaway_noted": _note_written}


async def mail_note(settings: Settings, tenant_id: int, note_id: int) -> None:
    async with tenant_tx(tenant_id):
        note = await service.note(note_id)
        if note is None:
            return
        await request_mail(
            to=note["author_email"],
            template="throwaway_noted",
            language="nn",
            values={"body": note["body"]},
            key=mail_key(settings),
        )
