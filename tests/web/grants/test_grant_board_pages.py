"""The decision side of grants from pages, through the real app: files attached to a draft, the
official's recommendation above the limit, habilitet per case, the ranking of a call, the board
meeting with its attendance, votes and minutes, the letter to download, and the appeal; each
refusal as the page again beside its field (in nynorsk too), 403 for a role that may not act."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from services.grants import service as grants
from services.programmes import service as programmes
from services.programmes.schemas import StrategyAreaInput
from tenants.context import Scope, connection, tenant_tx
from tests.web.auth.idp import Provider
from tests.web.browsing import (
    in_municipality,
    new_organisation,
    new_person,
    new_tenant,
    open_site,
    post,
    text_of,
)
from tests.web.grants.test_grant_pages import PLANS, english
from web.i18n import COOKIE as LANGUAGE_COOKIE

PDF = b"%PDF-1.4\n% a small test file\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2048


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


class World:
    """A municipality with a programme, its board of three and a fund of its strategy area whose
    officials decide up to 100 000; its case officer's browser; a business under its call."""

    async def build(self, site, settings, *, asks_for: tuple[str, ...] = ()):
        self.tenant = await new_tenant("Styrekommune")
        officer = await new_person(
            settings, "Siri Sakshandsamar", seat=in_municipality(self.tenant, "case_officer")
        )
        self.officer_id = officer.id
        self.base = f"/k/{self.tenant.kommunenummer}/grants"
        async with tenant_tx(Scope(tenant_id=self.tenant.id, person_id=officer.id)):
            today = await connection().fetchval("select (now() at time zone 'Europe/Oslo')::date")
            self.programme_id = await programmes.create_programme(
                name="Omstilling Styrekommune",
                kind="omstilling",
                period_start=2025,
                period_end=2030,
                actor_person_id=officer.id,
            )
            [area] = await programmes.set_strategy_areas(
                self.programme_id,
                [StrategyAreaInput("Reiseliv", "Reiseliv", Decimal(100))],
                actor_person_id=officer.id,
            )
            self.members = [
                await programmes.add_board_member(
                    self.programme_id,
                    name=name,
                    seat=seat,
                    term_start=today,
                    actor_person_id=officer.id,
                )
                for name, seat in (
                    ("Astrid Leiar", "politician"),
                    ("Bjørn Bonde", "business"),
                    ("Cecilie Kafé", "business"),
                )
            ]
            fund_id = await grants.create_fund(
                name="Omstillingsfond",
                strategy_area_id=area.id,
                max_share=Decimal(50),
                max_amount=Decimal(1_000_000),
                decision_limit=Decimal(100_000),
                asks_for=asks_for,
                actor_person_id=officer.id,
            )
            self.call_id = await grants.open_call(
                fund_id,
                title="Utlysing styret",
                description="",
                opens_on=today - timedelta(days=1),
                closes_on=today + timedelta(days=30),
                actor_person_id=officer.id,
            )
        self.official = await english(site, officer.pid)
        organisation_id, nr = await new_organisation("Søkjar AS")
        person = await new_person(
            settings,
            "Søkjar",
            seat={"scope": "organisation", "role": "admin", "organisation_id": organisation_id},
        )
        self.business = await english(site, person.pid)
        self.own_base = f"/o/{nr}/grants"
        return self

    async def draft(self) -> str:
        started = await post(
            self.business,
            f"{self.own_base}/calls/{self.call_id}/applications",
            {"title": "Kanoturar"},
        )
        assert started.status_code == 303, started.text
        return started.headers["location"]

    async def submitted(self) -> tuple[str, str]:
        own = await self.draft()
        sent = await post(self.business, f"{own}/submit", {**PLANS, "fin_amount-1": "200 000"})
        assert sent.status_code == 303, sent.text
        return own, f"{self.base}/applications/{own.rsplit('/', 1)[1]}"

    async def recommended(self) -> tuple[str, str]:
        own, case = await self.submitted()
        assessed = await post(
            self.official, f"{case}/assessment", {"comment": "Godt.", "conflicted": "no"}
        )
        assert assessed.status_code == 303, assessed.text
        made = await post(
            self.official,
            f"{case}/recommendation",
            {"recommendation": "granted", "recommendation_reason": "Passar fondet."},
        )
        assert made.status_code == 303, made.text
        return own, case

    async def declared(self, case: str, conflicted: int | None = None) -> None:
        for member in self.members:
            answer = "yes" if member == conflicted else "no"
            done = await post(
                self.official,
                f"{case}/habilitet",
                {"board_member_id": str(member), "conflicted": answer, "note": ""},
            )
            assert done.status_code == 303, done.text

    async def meeting(self) -> str:
        called = await post(
            self.official,
            f"{self.base}/meetings",
            {"programme_id": str(self.programme_id), "held_on": "01.12.2026", "place": "Rådhuset"},
        )
        assert called.status_code == 303, called.text
        path = called.headers["location"]
        present = {f"present-{m}": "on" for m in self.members}
        recorded = await post(self.official, f"{path}/attendance", present)
        assert recorded.status_code == 303, recorded.text
        return path


async def test_several_files_are_attached_at_once_listed_with_sizes_and_locked_on_submit(
    site, settings
):
    w = await World().build(site, settings, asks_for=("attachments",))
    own = await w.draft()
    without = await post(w.business, f"{own}/submit", {**PLANS, "fin_amount-1": "200 000"})
    assert without.status_code == 422 and 'id="error-attachments"' in text_of(without)
    uploaded = await post(
        w.business,
        f"{own}/attachments",
        files=[
            ("attachments", ("budsjett.pdf", PDF, "application/pdf")),
            ("attachments", ("kart.png", PNG, "image/png")),
        ],
    )
    assert uploaded.status_code == 303, uploaded.text
    page = text_of(await w.business.get(own))
    assert "budsjett.pdf" in page and "kart.png" in page and "(2 kB)" in page
    file_path = re.search(r'href="([^"]+/attachments/\d+)">budsjett.pdf<', page)[1]
    got = await w.business.get(file_path.replace("&#x2f;", "/"))
    assert got.status_code == 200 and got.content == PDF
    wrong = await post(
        w.business,
        f"{own}/attachments",
        files=[("attachments", ("virus.pdf", b"MZ\x90", "application/pdf"))],
    )
    assert wrong.status_code == 422 and 'id="error-attachments"' in text_of(wrong)
    sent = await post(w.business, f"{own}/submit", {**PLANS, "fin_amount-1": "200 000"})
    assert sent.status_code == 303, sent.text
    late = await post(
        w.business,
        f"{own}/attachments",
        files=[("attachments", ("seint.pdf", PDF, "application/pdf"))],
    )
    assert late.status_code == 409


async def test_the_board_grants_in_a_meeting_and_the_minutes_name_the_conflicted_member(
    site, settings
):
    w = await World().build(site, settings)
    own, case = await w.recommended()
    astrid, bjorn, cecilie = w.members
    await w.declared(case, conflicted=cecilie)
    shown = text_of(await w.official.get(case))
    assert "Recommended to the board" in shown and "Cecilie Kafé" in shown
    ranking = text_of(await w.official.get(f"{w.base}/calls/{w.call_id}/ranking"))
    assert "Kanoturar" in ranking
    meeting = await w.meeting()
    page = text_of(await w.official.get(meeting))
    assert "Case 1: Kanoturar" in page
    assert "Cecilie Kafé: conflict of interest, does not vote" in page
    assert f'name="vote-{cecilie}"' not in page and f'name="vote-{astrid}"' in page
    application_id = case.rsplit("/", 1)[1]
    decision = f"{meeting}/cases/{application_id}"
    tied = await post(
        w.official,
        decision,
        {
            f"vote-{astrid}": "granted",
            f"vote-{bjorn}": "rejected",
            "reporting_deadline": "2099-12-31",
        },
    )
    assert tied.status_code == 422
    assert f'id="error-votes-{application_id}"' in text_of(tied)
    granted = await post(
        w.official,
        decision,
        {
            f"vote-{astrid}": "granted",
            f"vote-{bjorn}": "granted",
            "conditions": "Rapport kvart halvår.",
            "reporting_deadline": "2099-12-31",
        },
    )
    assert granted.status_code == 303, granted.text
    minutes = text_of(await w.official.get(meeting))
    assert "Decision: granted" in minutes
    assert "Cecilie Kafé declared a conflict of interest and left the meeting" in minutes
    assert "Astrid Leiar: for granting" in minutes
    mine = text_of(await w.business.get(own))
    assert "Granted" in mine and "31 Dec 2099" in mine  # the English page writes the day in English
    letter = re.search(r'href="([^"]+/letters/\d+)"', mine)[1].replace("&#x2f;", "/")
    pdf = await w.business.get(letter)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-type"] == "application/pdf"


async def test_a_rejection_is_appealed_from_the_case_page_and_goes_to_the_board(site, settings):
    w = await World().build(site, settings)
    own, case = await w.submitted()
    await post(w.official, f"{case}/assessment", {"comment": "Svakt.", "conflicted": "no"})
    await post(
        w.official,
        f"{case}/recommendation",
        {"recommendation": "rejected", "recommendation_reason": "Utanfor formålet."},
    )
    await w.declared(case)
    meeting = await w.meeting()
    application_id = case.rsplit("/", 1)[1]
    votes = {f"vote-{m}": "rejected" for m in w.members}
    unreasoned = await post(w.official, f"{meeting}/cases/{application_id}", votes)
    assert unreasoned.status_code == 422 and f'id="error-reason-{application_id}"' in text_of(
        unreasoned
    )
    rejected = await post(
        w.official, f"{meeting}/cases/{application_id}", {**votes, "reason": "Utanfor formålet."}
    )
    assert rejected.status_code == 303, rejected.text
    mine = text_of(await w.business.get(own))
    assert "Appeal the decision" in mine and "Rejection letter" in mine
    empty = await post(w.business, f"{own}/appeal", {"appeal_reason": " "})
    assert empty.status_code == 422 and 'id="error-appeal_reason"' in text_of(empty)
    appealed = await post(w.business, f"{own}/appeal", {"appeal_reason": "Det passar."})
    assert appealed.status_code == 303, appealed.text
    assert "The programme board decides the appeal" in text_of(await w.business.get(own))
    again = await post(
        w.official,
        f"{w.base}/meetings",
        {
            "programme_id": str(w.programme_id),
            "held_on": "15.12.2026",
            "place": "Rådhuset",
        },
    )
    assert "An appeal against a rejection" in text_of(
        await w.official.get(again.headers["location"])
    )


async def test_a_meeting_without_a_date_is_refused_beside_the_field_in_nynorsk(site, settings):
    w = await World().build(site, settings)
    w.official.cookies.set(LANGUAGE_COOKIE, "nn", domain="testserver.local")
    refused = await post(
        w.official,
        f"{w.base}/meetings",
        {"programme_id": str(w.programme_id), "held_on": "", "place": ""},
    )
    assert refused.status_code == 422
    shown = text_of(refused)
    assert 'id="error-held_on"' in shown and 'id="error-place"' in shown
    assert 'lang="nn"' in shown and "Styremøte" in shown


async def test_a_board_member_reads_the_meetings_but_may_not_run_them(site, settings):
    w = await World().build(site, settings)
    _, case = await w.recommended()
    meeting = await w.meeting()
    member = await new_person(
        settings, "Styremedlem", seat=in_municipality(w.tenant, "board_member")
    )
    browser = await english(site, member.pid)
    assert (await browser.get(meeting)).status_code == 200
    assert (await browser.get(case)).status_code == 200
    refused = await post(browser, f"{w.base}/meetings", {"programme_id": str(w.programme_id)})
    assert refused.status_code == 403
    declared = await post(browser, f"{case}/habilitet", {"board_member_id": str(w.members[0])})
    assert declared.status_code == 403


async def test_another_officer_may_not_record_the_board_members_declarations(site, settings):
    w = await World().build(site, settings)
    _, case = await w.recommended()
    other = await new_person(settings, "Annan", seat=in_municipality(w.tenant, "case_officer"))
    browser = await english(site, other.pid)
    refused = await post(
        browser,
        f"{case}/habilitet",
        {"board_member_id": str(w.members[0]), "conflicted": "no"},
    )
    assert refused.status_code == 403


async def test_a_fund_says_which_optional_parts_it_asks_for_and_they_become_mandatory(
    site, settings
):
    from tests.web.grants.test_grant_pages import municipality

    client, base, _ = await municipality(site, settings)
    made = await post(
        client,
        f"{base}/funds",
        {
            "name": "Fond med krav",
            "max_share": "50",
            "max_amount": "100 000",
            "decision_limit": "50 000",
            "asks:effects": "on",
        },
    )
    assert made.status_code == 303, made.text
    listed = text_of(await client.get(base))
    assert "Fond med krav" in listed and "also asks for: expected effects" in listed
    w = await World().build(site, settings, asks_for=("effects",))
    own = await w.draft()
    assert 'id="field-effects" name="effects" required' in text_of(await w.business.get(own))
    without = await post(
        w.business, f"{own}/submit", {**PLANS, "effects": "", "fin_amount-1": "200 000"}
    )
    assert without.status_code == 422 and 'id="error-effects"' in text_of(without)
