"""Award notices, ended standstills and overdue decision points become mails, through the outbox,
a real Worker and a real SMTP server: each to the right people, in their language, once."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
from datetime import date

from services.projects import service as projects
from services.tenancy import service as tenancy
from tenants.context import Scope, connection, tenant_tx
from tests.services.projects.plp_helpers import new_kommune, new_project
from tests.services.tendering.tendering_helpers import awarded_tender
from workers.actors.outbox import relay_outbox
from workers.actors.projects import remind_decision_owners
from workers.actors.tendering import end_standstill_periods, mail_award_notices
from workers.scheduler import periodic_actors

QUEUES = ("outbox", "notices", "mail", "dashboards")


async def drain(stub) -> None:
    """Relay, run the handlers (which request mails), relay those, send them."""
    for _ in range(2):
        relay_outbox.send()
        for queue in QUEUES:
            if queue in stub.queues:
                await asyncio.to_thread(stub.join, queue, fail_fast=True)
    await asyncio.sleep(0.1)


def address(label: str) -> str:
    return f"{label}-{secrets.token_hex(4)}@notice.example"


async def new_person(language: str | None, role: str, **target: int) -> tuple[int, str]:
    scope = "municipality" if "municipality_id" in target else "organisation"
    mail = address(role)
    async with tenant_tx(Scope(operator=True, pid_hash=os.urandom(32))):
        person_id = await tenancy.ensure_person(f"Person {role}", mail, language)
        await tenancy.grant_membership(person_id, scope, role, **target)
    return person_id, mail


async def set_own_address(person_id: int, language: str | None) -> str:
    """The person changes their own e-mail and language (the helpers all share one address)."""
    mail = address("own")
    async with tenant_tx(Scope(person_id=person_id)):
        await connection().execute(
            "update person set email = $1, language = $2 where id = app_person_id()",
            mail,
            language,
        )
    return mail


async def mail_requests(tenant_id: int, template: str) -> list[dict]:
    async with tenant_tx(tenant_id):
        rows = await connection().fetch(
            "select payload::text as payload from outbox_event"
            " where kind = 'notifications.mail_requested' and payload->>'template' = $1",
            template,
        )
    return [json.loads(r["payload"]) for r in rows]


async def test_every_bidders_admins_and_bid_sender_hear_the_award_once_in_their_language(
    stub, run_worker, inbox
):
    buyer, tender_id, businesses, receipts, _, award = await awarded_tender()
    # Each bid was sent by its organisation's admin; give them addresses of their own.
    senders = [
        await set_own_address(b.person_id, lang)
        for b, lang in zip(businesses, ("nb", "nn", "en"), strict=True)
    ]
    _, second_admin = await new_person("en", "admin", organisation_id=businesses[0].organisation_id)
    _, member = await new_person("nb", "member", organisation_id=businesses[1].organisation_id)
    _, no_language = await new_person(None, "admin", organisation_id=businesses[2].organisation_id)
    async with tenant_tx(buyer.tenant_id):
        event = await connection().fetchrow(
            "select id, payload::text as payload from outbox_event"
            " where kind = 'tendering.award_notified' and (payload->>'tender_id')::bigint = $1",
            tender_id,
        )
    winner = next(i for i, r in enumerate(receipts) if r.bid_id == award.winning_bid_id)

    with run_worker(stub, threads=2):
        await drain(stub)

    everyone = (*senders, second_admin, member, no_language)
    assert inbox.to(member) == []  # a member who did not send the bid is told by the admins
    got = {m["To"]: m for m in inbox.to(*everyone)}
    assert sorted(got) == sorted([*senders, second_admin, no_language])
    assert len(inbox.to(*everyone)) == 5
    languages = {m["To"]: m["Content-Language"] for m in got.values()}
    assert [languages[s] for s in senders] == ["nb", "nn", "en"]
    assert languages[second_admin] == "en" and languages[no_language] == "nb"
    for n, sender in enumerate(senders):
        subject, body = got[sender]["Subject"], got[sender].get_content()
        won = n == winner
        chosen = {"nb": "er valgt", "nn": "er valt", "en": "has been chosen"}[languages[sender]]
        assert subject.endswith(chosen) == won, subject
        assert "Tildelt etter beste forhold mellom pris og kvalitet." in body
        assert f"/tenders/{tender_id}" in body
    assert got[second_admin]["Subject"].endswith("has been chosen") == (winner == 0)

    # The relay delivers the event again (it died before marking it): no second set.
    with run_worker(stub, threads=2):
        mail_award_notices.send(
            event_id=event["id"],
            kind="tendering.award_notified",
            tenant_id=buyer.tenant_id,
            payload=json.loads(event["payload"]),
        )
        await drain(stub)
    assert len(inbox.to(*everyone)) == 5
    assert len(await mail_requests(buyer.tenant_id, "award_notice")) == 5


async def test_an_ended_standstill_is_told_once_to_the_municipalitys_admins_and_case_officers(
    stub, run_worker, inbox
):
    buyer, tender_id, *_ = await awarded_tender()
    officer = await set_own_address(buyer.officer, None)  # no language: the målform (nb)
    evaluator = await set_own_address(buyer.evaluator, "nn")
    _, admin = await new_person("nn", "admin", municipality_id=buyer.tenant_id)
    async with tenant_tx(buyer.tenant_id):
        await connection().execute(
            "update tender set standstill_ends_at = clock_timestamp() - interval '1 minute'"
            " where id = $1",
            tender_id,
        )

    with run_worker(stub, threads=2):
        end_standstill_periods.send()
        await asyncio.to_thread(stub.join, "notices", fail_fast=True)
        end_standstill_periods.send()  # the next hour: nothing new
        await drain(stub)

    assert inbox.to(evaluator) == []
    mails = {m["To"]: m for m in inbox.to(officer, admin)}
    assert len(inbox.to(officer, admin)) == 2
    assert mails[officer]["Content-Language"] == "nb"
    assert mails[admin]["Content-Language"] == "nn"
    assert mails[admin]["Subject"].startswith("Karensperioden for Prosjektleiing")
    assert "kan kontrakten no signerast" in mails[admin].get_content()
    assert len(await mail_requests(buyer.tenant_id, "standstill_ended")) == 2


async def at_decision_point(kommune, project_id: int, due: date) -> int:
    async with tenant_tx(kommune.scope()):
        return await projects.reach_decision_point(
            project_id,
            due_date=due,
            closing_report="Forstudien viser marknad for eit felles selskap.",
            actor_person_id=kommune.owner,
        )


async def test_an_overdue_decision_point_reminds_its_owner_once_a_day(stub, run_worker, inbox):
    k = await new_kommune("Påminningskommune")
    owner = await set_own_address(k.owner, "nn")
    late = await new_project(k.id, k.owner, title=f"Sein {secrets.token_hex(3)}")
    on_time = await new_project(k.id, k.owner, title=f"I tide {secrets.token_hex(3)}")
    await at_decision_point(k, late, date(2025, 6, 1))
    await at_decision_point(k, on_time, date(2025, 8, 1))

    with run_worker(stub, threads=2):
        remind_decision_owners.send(today="2025-06-02")
        await asyncio.to_thread(stub.join, "notices", fail_fast=True)
        remind_decision_owners.send(today="2025-06-02")  # a retry of the same morning
        await asyncio.to_thread(stub.join, "notices", fail_fast=True)
        remind_decision_owners.send(today="2025-06-03")
        await drain(stub)

    mails = inbox.to(owner)
    assert len(mails) == 2
    assert all(m["Subject"].startswith("Ei avgjerd er på overtid: Sein") for m in mails)
    assert all("frist 1. juni 2025" in m.get_content() for m in mails)
    assert all(f"/projects/{late}" in m.get_content() for m in mails)
    requests = await mail_requests(k.id, "decision_point_overdue")
    assert sorted(r["once"].rsplit(":", 1)[1] for r in requests) == ["2025-06-02", "2025-06-03"]


def test_the_scheduler_sends_the_reminders_each_morning_and_the_standstill_check_hourly(stub):
    import pendulum

    specs = {a.actor_name: a.options["periodic"] for a in periodic_actors(stub)}
    day = pendulum.datetime(2026, 3, 2, 0, 0, tz="Europe/Oslo")
    minutes = [day.add(minutes=m) for m in range(24 * 60)]
    reminders = [t for t in minutes if specs["remind_decision_owners"].validate(t)]
    standstills = [t for t in minutes if specs["end_standstill_periods"].validate(t)]
    assert [(t.hour, t.minute) for t in reminders] == [(7, 0)]
    assert len(standstills) == 24 and {t.minute for t in standstills} == {10}
