"""A part is its own folders plus one line in the parts list: a throw-away part, added in a
test, has its migration applied, its page served, its actor registered with the broker and
sent its events, its figures on the dashboards and its mail written in its template, and no
product file names it."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import json
import secrets
import socket
from decimal import Decimal

import asyncpg
import pytest
from aiosmtpd.controller import Controller

from infra.migrate import migrate
from services.dashboards import service as dashboards
from services.dashboards.rules import WHOLE_REGION
from services.parts import PARTS, Part, install, migration_sources
from tenants.context import Scope, connection, tenant_tx
from tests.services.projects.plp_helpers import new_region
from tests.tenants.helpers import new_municipality
from tests.throwaway_part import service as notes
from tests.web.conftest import serve
from web.app import create_app
from workers import actors
from workers.actors.dashboards import recompute_dashboards
from workers.actors.mail import deliver
from workers.actors.outbox import handlers_of

THROWAWAY = Part(
    "throwaway",
    "tests.throwaway_part",
    migrations=True,
    routes=("tests.throwaway_part.pages",),
    actors="tests.throwaway_part.actors",
    figures="tests.throwaway_part.figures",
    mails="tests.throwaway_part.mails",
)
WITH_IT = (*PARTS, THROWAWAY)  # the one line


@pytest.fixture(scope="module")
async def throwaway(migrated, database):
    """The suite's database migrated with the throw-away part, which runs until the module ends;
    then its table, figures and migration record go, so no other test meets them."""
    applied = await migrate(migrated, migration_sources(WITH_IT))
    with install(WITH_IT):
        yield applied
    admin = await asyncpg.connect(migrated.database_url)
    try:
        await admin.execute(
            "delete from municipality_figure where slice = 'throwaway';"
            " delete from region_figure where slice = 'throwaway';"
            " drop table throwaway_note;"
            " delete from schema_migration where source = 'throwaway'"
        )
    finally:
        await admin.close()


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def inbox(settings):
    """A real SMTP server, and settings that send to it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    box.settings = dataclasses.replace(settings, smtp_url=f"smtp://127.0.0.1:{port}")
    yield box
    controller.stop()


async def test_its_migration_is_applied_in_the_list_s_order_with_row_level_security(throwaway):
    assert throwaway == ["throwaway/0001_notes.sql"]
    assert [s.label for s in migration_sources(WITH_IT)][-1] == "throwaway"
    async with tenant_tx(Scope()):
        rls = await connection().fetchrow(
            "select relrowsecurity, relforcerowsecurity from pg_class"
            " where relname = 'throwaway_note'"
        )
    assert tuple(rls) == (True, True)


async def test_its_notes_are_kept_apart_by_the_database(throwaway):
    mine, other = await new_municipality(), await new_municipality()
    async with tenant_tx(mine):
        note_id = await notes.write_note("Berre vår", "a@throwaway.example")
    async with tenant_tx(other):
        assert await notes.note(note_id) is None
    async with tenant_tx(mine):
        assert (await notes.note(note_id))["body"] == "Berre vår"


async def test_its_page_is_served_beside_every_other_route(throwaway, settings, database):
    app = create_app(settings, database=database, parts=WITH_IT)
    async with serve(app) as client:
        page = await client.get("/throwaway")
        assert page.status_code == 200 and "Throw-away notes" in page.text
        assert (await client.get("/health/live")).status_code == 200
    without = create_app(settings, database=database, parts=PARTS)
    assert "/throwaway" not in {r.path for r in without.routes}


async def test_a_note_reaches_its_actor_the_dashboards_and_a_mail_in_its_template(
    throwaway, stub, inbox
):
    assert "tests.throwaway_part.actors" in actors.load(WITH_IT)
    assert "mail_throwaway_note" in stub.actors
    municipality = await new_municipality("Notatkommune")
    region_id = await new_region(municipality)
    author = f"forfattar-{secrets.token_hex(4)}@throwaway.example"
    async with tenant_tx(municipality):
        await notes.write_note("Møte i formannskapet", author)
        await notes.write_note("Budsjettet er vedteke", author)

    async def region_notes() -> list[tuple[str, Decimal]]:
        async with tenant_tx(Scope(region_id=region_id)):
            region = (await dashboards.figures_for_region()).figures
        return [(f.metric, f.value) for f in region.get(WHOLE_REGION, []) if f.slice == "throwaway"]

    # The relay sends the note's event to the part's actor and to the dashboards' actor, both
    # registered with the broker the workers run.
    handlers = {a.actor_name for a in handlers_of(notes.NOTED)}
    assert {"mail_throwaway_note", "recompute_dashboards"} <= handlers <= set(stub.actors)
    async with tenant_tx(municipality):
        events = await connection().fetch(
            "select id, kind, payload::text as payload from outbox_event"
            " where tenant_id = app_tenant_id() order by id"
        )
    assert [e["kind"] for e in events] == [notes.NOTED, notes.NOTED]

    # What each actor does with an event, run here to its end (a real Worker's run of the
    # same message is what the other tests in this folder show).
    for event in events:
        message = {
            "event_id": event["id"],
            "kind": event["kind"],
            "tenant_id": municipality,
            "payload": json.loads(event["payload"]),
        }
        await stub.get_actor("mail_throwaway_note").fn.__wrapped__(**message)
        await recompute_dashboards.fn.__wrapped__(**message)

    # The mails the part's actor asked for, sent by the mail worker in the part's template.
    async with tenant_tx(municipality):
        requests = await connection().fetch(
            "select id, payload::text as payload from outbox_event"
            " where tenant_id = app_tenant_id() and kind = 'notifications.mail_requested'"
            " order by id"
        )
    for request in requests:
        assert await deliver(inbox.settings, request["id"], json.loads(request["payload"]))
    mails = inbox.to(author)
    assert sorted(m["Subject"] for m in mails) == [
        "Eit nytt notat: Budsjettet er vedteke",
        "Eit nytt notat: Møte i formannskapet",
    ]
    assert {m["Content-Language"] for m in mails} == {"nn"}

    async with tenant_tx(municipality):
        own = (await dashboards.figures_for_municipality()).figures
    assert [(f.metric, f.value) for f in own if f.slice == "throwaway"] == [("notes", 2)]
    async with tenant_tx(Scope(region_id=region_id)):
        region = (await dashboards.figures_for_region()).figures
    assert [(f.metric, f.value) for f in region[WHOLE_REGION] if f.slice == "throwaway"] == [
        ("notes", 2)
    ]
