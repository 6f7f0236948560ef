"""Who belongs where: first login, invitations, removal, switching, businesses, the operator's
pages, and the security log of all of it — through the pages, as the people would."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import asyncpg
import httpx
import pytest

from services.access.service import token_hash
from services.demo.data import PERSONS
from tenants.context import Scope, tenant_tx
from tenants.identity import pid_hash
from tests.web.auth.idp import Provider, hidden_fields, log_in
from tests.web.browsing import (
    HTML,
    Site,
    ensure_csrf,
    free_kommunenummer,
    in_municipality,
    invalid_organisasjonsnummer,
    new_person,
    new_tenant,
    open_site,
    operator_rows,
    post,
    random_organisasjonsnummer,
    random_pid,
    random_slug,
    text_of,
)
from web.i18n import COOKIE as LANGUAGE_COOKIE

KJERSTI = next(p for p in PERSONS if p.name == "Kjersti Moen")  # Stjørdal 5035 and Frosta 5036
OPERATOR = next(p for p in PERSONS if p.name == "Henrik Solberg")
INGRID = next(p for p in PERSONS if p.name == "Ingrid Støen")  # Meråker, 5034
LINK = re.compile(r'<code class="invitation-link">[^<]*/invitations/([A-Za-z0-9_-]+)</code>')


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


async def browser(site: Site, pid: str | None = None, lang: str = "en") -> httpx.AsyncClient:
    client = await site.browser()
    client.cookies.set(LANGUAGE_COOKIE, lang, domain="testserver.local")
    if pid is not None:
        response = await log_in(client, site.provider, pid)
        assert response.status_code == 303, response.text
    return client


def field_error(page: str, name: str) -> str | None:
    """The message shown beside the field, tied to it by aria-describedby."""
    found = re.search(rf'<p class="ds-validation-message" id="error-{name}"[^>]*>([^<]*)</p>', page)
    if found is None:
        return None
    assert f'aria-describedby="error-{name}"' in page, "the message is not tied to its field"
    return html.unescape(found[1])


async def person_ids_of(settings, pid: str) -> list[int]:
    hashed = pid_hash(settings.derived_key("pid"), pid)
    return [
        r["id"] for r in await operator_rows("select id from person where pid_hash = $1", hashed)
    ]


async def memberships_of(person_id: int) -> list[dict]:
    return await operator_rows(
        "select id, scope, role, municipality_id, organisation_id from membership"
        " where person_id = $1 order by id",
        person_id,
    )


async def register(client: httpx.AsyncClient, name: str, email: str, next: str = "/"):
    return await post(client, "/welcome", {"name": name, "email": email, "next": next})


# --- first login -------------------------------------------------------------------------------


async def test_the_first_login_of_an_unknown_person_goes_to_welcome(site, settings):
    client = await site.browser()
    pid = random_pid()
    response = await log_in(client, site.provider, pid)
    assert response.status_code == 303
    assert urlsplit(response.headers["location"]).path == "/welcome"
    page = await client.get(response.headers["location"])
    assert page.status_code == 200 and 'name="email"' in page.text
    assert await person_ids_of(settings, pid) == []  # nothing stored before they say who they are


BAD_EMAIL = {
    "nb": "Skriv en gyldig e-postadresse.",
    "nn": "Skriv ei gyldig e-postadresse.",
    "en": "Write a valid e-mail address.",
}


@pytest.mark.parametrize("lang", sorted(BAD_EMAIL))
async def test_a_bad_email_is_shown_beside_the_field_in_the_users_language(site, settings, lang):
    pid = random_pid()
    client = await browser(site, lang=lang)
    await log_in(client, site.provider, pid)
    response = await register(client, "Kari Nordmann", "kari-at-example")
    assert response.status_code == 422
    assert field_error(response.text, "email") == BAD_EMAIL[lang]
    assert field_error(response.text, "name") is None
    assert 'value="Kari Nordmann"' in response.text  # what they wrote is kept
    assert await person_ids_of(settings, pid) == []


async def test_a_good_email_registers_the_person_and_lands_on_me(site, settings):
    pid = random_pid()
    client = await browser(site)
    await log_in(client, site.provider, pid)
    response = await register(client, "Kari Nordmann", f"{pid}@test.example")
    assert response.status_code == 303 and response.headers["location"] == "/me"
    [person_id] = await person_ids_of(settings, pid)
    [row] = await operator_rows("select name, email from person where id = $1", person_id)
    assert row == {"name": "Kari Nordmann", "email": f"{pid}@test.example"}
    me = await client.get("/me")
    assert me.status_code == 200 and "Kari Nordmann" in me.text
    assert "You have no role" in me.text


# --- invitations ---------------------------------------------------------------------------------


async def shown_after(client: httpx.AsyncClient, response: httpx.Response) -> httpx.Response:
    """Post/Redirect/Get: an invitation is made, the browser is sent on, and the page it lands
    on shows the one-time link once; a reload shows it no more."""
    assert response.status_code == 303, response.text
    page = await client.get(response.headers["location"])
    assert page.status_code == 200 and LINK.search(text_of(page)), "no invitation link on the page"
    again = await client.get(response.headers["location"])
    assert again.status_code == 200 and not LINK.search(text_of(again))
    return page


async def invite(admin: httpx.AsyncClient, kommunenummer: str, email: str, role: str) -> str:
    page = await shown_after(
        admin,
        await post(admin, f"/k/{kommunenummer}/members/invitations", {"email": email, "role": role}),
    )
    found = LINK.search(text_of(page))
    assert found, "no invitation link on the page"
    return found[1]


async def follow_invitation(site: Site, token: str, pid: str) -> httpx.AsyncClient:
    """A new person opens the link, logs in, says who they are and comes back to the link."""
    client = await browser(site)
    page = await client.get(f"/invitations/{token}")
    assert page.status_code == 200 and "Log in with ID-porten to accept" in page.text
    back = await log_in(client, site.provider, pid, next=f"/invitations/{token}")
    assert back.status_code == 303
    welcome = await client.get(back.headers["location"])
    assert hidden_fields(welcome.text)["next"] == f"/invitations/{token}"
    registered = await register(
        client, "Ny Kollega", f"{pid}@test.example", f"/invitations/{token}"
    )
    assert registered.headers["location"] == f"/invitations/{token}"
    return client


@pytest.fixture
async def municipality(settings):
    """A fresh municipality and its admin."""
    tenant = await new_tenant()
    admin = await new_person(settings, "Admin", seat=in_municipality(tenant, "admin"))
    return tenant, admin


async def test_an_invitee_follows_the_link_and_gets_exactly_that_membership(
    site, settings, municipality
):
    tenant, admin = municipality
    admin_browser = await browser(site, admin.pid)
    token = await invite(admin_browser, tenant.kommunenummer, "ny@test.example", "case_officer")

    pid = random_pid()
    client = await follow_invitation(site, token, pid)
    page = await client.get(f"/invitations/{token}")
    assert tenant.name in page.text and "Case officer" in page.text
    accepted = await post(client, f"/invitations/{token}")
    assert accepted.status_code == 303 and accepted.headers["location"] == "/me"

    [person_id] = await person_ids_of(settings, pid)
    assert [
        (m["scope"], m["role"], m["municipality_id"]) for m in await memberships_of(person_id)
    ] == [("municipality", "case_officer", tenant.id)]
    [invitation] = await operator_rows(
        "select accepted_by from invitation where token_hash = $1", token_hash(token)
    )
    assert invitation["accepted_by"] == person_id
    home = await client.get("/home")
    assert home.headers["location"] == f"/k/{tenant.kommunenummer}"
    assert (await client.get(f"/k/{tenant.kommunenummer}")).status_code == 200
    # A case officer is not an admin: the members page is refused.
    assert (await client.get(f"/k/{tenant.kommunenummer}/members", headers=HTML)).status_code == 403

    # The same link again, by the invitee or by anyone else, is refused and grants nothing.
    again = await post(client, f"/invitations/{token}", headers=HTML)
    assert again.status_code == 409 and "already been used" in again.text
    other = await new_person(settings, "Someone else")
    stranger = await browser(site, other.pid)
    refused = await post(stranger, f"/invitations/{token}", headers=HTML)
    assert refused.status_code == 409 and "already been used" in refused.text
    assert await memberships_of(other.id) == []


async def test_an_expired_invitation_is_refused(site, settings, municipality):
    tenant, admin = municipality
    admin_browser = await browser(site, admin.pid)
    token = await invite(admin_browser, tenant.kommunenummer, "late@test.example", "viewer")
    superuser = await asyncpg.connect(settings.database_url)
    try:
        await superuser.execute(
            "update invitation set expires_at = now() - interval '1 minute' where token_hash = $1",
            token_hash(token),
        )
    finally:
        await superuser.close()

    invitee = await new_person(settings, "Late")
    client = await browser(site, invitee.pid)
    page = await client.get(f"/invitations/{token}")
    assert "has expired" in page.text and f'action="/invitations/{token}"' not in text_of(page)
    refused = await post(client, f"/invitations/{token}", headers=HTML)
    assert refused.status_code == 409 and "has expired" in refused.text
    assert await memberships_of(invitee.id) == []


async def test_a_bad_invitation_shows_the_error_beside_the_field(site, municipality):
    tenant, admin = municipality
    client = await browser(site, admin.pid)
    before = await operator_rows(
        "select count(*) as n from invitation where municipality_id = $1", tenant.id
    )
    page = await post(
        client,
        f"/k/{tenant.kommunenummer}/members/invitations",
        {"email": "not-an-address", "role": "viewer"},
    )
    assert page.status_code == 422
    assert field_error(page.text, "email") == "Write a valid e-mail address."
    wrong_role = await post(
        client,
        f"/k/{tenant.kommunenummer}/members/invitations",
        {"email": "ok@test.example", "role": "operator"},
    )
    assert wrong_role.status_code == 422 and field_error(wrong_role.text, "role")
    after = await operator_rows(
        "select count(*) as n from invitation where municipality_id = $1", tenant.id
    )
    assert after == before


# --- removing a member ---------------------------------------------------------------------------


async def test_a_removed_member_no_longer_reaches_the_municipality(site, settings, municipality):
    tenant, admin = municipality
    member = await new_person(settings, "Member", seat=in_municipality(tenant, "case_officer"))
    member_browser = await browser(site, member.pid)
    assert (await member_browser.get(f"/k/{tenant.kommunenummer}")).status_code == 200

    admin_browser = await browser(site, admin.pid)
    members = await admin_browser.get(f"/k/{tenant.kommunenummer}/members")
    seat = member.memberships["seat"]
    assert f"/k/{tenant.kommunenummer}/members/{seat}/remove" in text_of(members)
    removed = await post(admin_browser, f"/k/{tenant.kommunenummer}/members/{seat}/remove")
    assert removed.status_code == 303
    assert await memberships_of(member.id) == []

    after = await member_browser.get(f"/k/{tenant.kommunenummer}", headers=HTML)
    assert after.status_code == 404
    assert (await member_browser.get("/home")).headers["location"] == "/me"

    # The admin cannot remove their own seat, nor one already gone.
    own = admin.memberships["seat"]
    for gone in (own, seat):
        again = await post(
            admin_browser, f"/k/{tenant.kommunenummer}/members/{gone}/remove", headers=HTML
        )
        assert again.status_code == 404
    assert len(await memberships_of(admin.id)) == 1


async def test_htmx_removal_redirects_on_the_client(site, settings, municipality):
    tenant, admin = municipality
    member = await new_person(settings, "Member", seat=in_municipality(tenant, "viewer"))
    client = await browser(site, admin.pid)
    seat = member.memberships["seat"]
    token = await ensure_csrf(client)  # the cookie comes with a page that has a form
    response = await client.post(
        f"/k/{tenant.kommunenummer}/members/{seat}/remove",
        headers={"hx-request": "true", "x-csrftoken": token},
    )
    assert response.status_code in (200, 201) and "location" not in response.headers
    assert response.headers["hx-redirect"] == f"/k/{tenant.kommunenummer}/members"
    assert await memberships_of(member.id) == []


# --- several memberships ---------------------------------------------------------------------------


async def test_a_person_with_two_memberships_switches_between_them(site):
    client = await browser(site, KJERSTI.pid)
    seats = {
        r["kommunenummer"]: r["id"]
        for r in await operator_rows(
            "select ms.id, m.kommunenummer from membership ms"
            " join municipality m on m.id = ms.municipality_id"
            " join person p on p.id = ms.person_id where p.email = $1",
            KJERSTI.email,
        )
    }
    assert set(seats) == {"5035", "5036"}
    page = await client.get("/me")
    assert 'id="membership-switch"' in page.text  # the switch in the header

    for here, there in (("5035", "5036"), ("5036", "5035")):
        switched = await post(client, "/me/active", {"membership": str(seats[here])})
        assert switched.status_code == 303 and switched.headers["location"] == f"/k/{here}"
        assert (await client.get(f"/k/{here}")).status_code == 200
        assert (await client.get(f"/k/{there}", headers=HTML)).status_code == 404
        assert (await client.get("/home")).headers["location"] == f"/k/{here}"


async def test_switching_to_someone_elses_membership_is_404(site):
    client = await browser(site, KJERSTI.pid)
    [ingrids] = await operator_rows(
        "select ms.id from membership ms join person p on p.id = ms.person_id where p.email = $1",
        INGRID.email,
    )
    before = (await client.get("/home")).headers["location"]
    response = await post(client, "/me/active", {"membership": str(ingrids["id"])}, headers=HTML)
    assert response.status_code == 404
    assert (await client.get("/home")).headers["location"] == before
    assert (await client.get("/k/5034", headers=HTML)).status_code == 404


# --- businesses ------------------------------------------------------------------------------------


async def test_registering_an_organisation(site, settings):
    first = await new_person(settings, "Gründer")
    client = await browser(site, first.pid)
    assert (await client.get("/organisations/new")).status_code == 200

    wrong = invalid_organisasjonsnummer()
    bad = await post(client, "/organisations", {"organisasjonsnummer": wrong, "name": "Feil AS"})
    assert bad.status_code == 422
    assert "check digit" in field_error(bad.text, "organisasjonsnummer")
    assert (
        await operator_rows("select 1 from organisation where organisasjonsnummer = $1", wrong)
        == []
    )

    nr = random_organisasjonsnummer()
    good = await post(client, "/organisations", {"organisasjonsnummer": nr, "name": "Rett AS"})
    assert good.status_code == 303 and good.headers["location"] == "/me"
    [org] = await operator_rows("select id from organisation where organisasjonsnummer = $1", nr)
    assert [
        (m["scope"], m["role"], m["organisation_id"]) for m in await memberships_of(first.id)
    ] == [("organisation", "admin", org["id"])]
    assert (await client.get("/home")).headers["location"] == f"/o/{nr}"
    assert "Rett AS" in (await client.get(f"/o/{nr}")).text

    second = await new_person(settings, "Kapar")
    other = await browser(site, second.pid)
    taken = await post(other, "/organisations", {"organisasjonsnummer": nr, "name": "Kapra AS"})
    assert taken.status_code in (409, 422)
    assert "already registered" in field_error(taken.text, "organisasjonsnummer")
    assert await memberships_of(second.id) == []
    [row] = await operator_rows("select name from organisation where id = $1", org["id"])
    assert row["name"] == "Rett AS", "the second person renamed the first one's organisation"
    assert (await other.get(f"/o/{nr}", headers=HTML)).status_code == 404


# --- the operator ----------------------------------------------------------------------------------


@pytest.fixture
async def operator(site):
    client = await browser(site, OPERATOR.pid)
    assert (await client.get("/operator")).status_code == 200
    return client


async def test_the_operator_creates_a_region(operator):
    bad = await post(operator, "/operator/regions", {"slug": "Not A Slug", "name": "Feil"})
    assert bad.status_code == 422
    assert field_error(bad.text, "slug") == "Use lower-case letters a-z, digits and single hyphens."
    assert await operator_rows("select 1 from region where name = 'Feil'") == []

    slug = random_slug()
    good = await post(operator, "/operator/regions", {"slug": slug, "name": "Nyregionen"})
    # Post/Redirect/Get: a reload of the next page sends nothing again; it confirms once.
    assert good.status_code == 303 and good.headers["location"] == "/operator"
    shown = await operator.get("/operator")
    assert "Nyregionen" in shown.text and "The region is created." in shown.text
    assert "The region is created." not in (await operator.get("/operator")).text
    assert len(await operator_rows("select 1 from region where slug = $1", slug)) == 1

    duplicate = await post(operator, "/operator/regions", {"slug": slug, "name": "Omdøypt"})
    assert duplicate.status_code in (409, 422)
    assert field_error(duplicate.text, "slug") == "A region with this short name exists."
    [row] = await operator_rows("select name from region where slug = $1", slug)
    assert row["name"] == "Nyregionen"


async def test_the_operator_creates_a_municipality(operator):
    region = await new_tenant()  # a fresh region to put it in
    form = {"name": "Nykommune", "maalform": "nn", "region": region.region_slug}

    bad = await post(operator, "/operator/municipalities", {**form, "kommunenummer": "12a"})
    assert bad.status_code == 422
    assert field_error(bad.text, "kommunenummer") == "a kommunenummer is exactly four digits"

    nr = await free_kommunenummer()
    unknown = await post(
        operator, "/operator/municipalities", {**form, "kommunenummer": nr, "region": "no-such"}
    )
    assert unknown.status_code == 422 and field_error(unknown.text, "region") == "Choose a region."
    assert await operator_rows("select 1 from municipality where kommunenummer = $1", nr) == []

    good = await post(operator, "/operator/municipalities", {**form, "kommunenummer": nr})
    assert good.status_code == 303
    assert f"{nr}</td><td>Nykommune" in (await operator.get("/operator")).text
    [row] = await operator_rows(
        "select m.name, m.maalform, rm.region_id from municipality m"
        " join region_member rm on rm.municipality_id = m.id where m.kommunenummer = $1",
        nr,
    )
    assert row == {"name": "Nykommune", "maalform": "nn", "region_id": region.region_id}

    duplicate = await post(
        operator, "/operator/municipalities", {**form, "kommunenummer": nr, "name": "Omdøypt"}
    )
    assert duplicate.status_code in (409, 422)
    assert (
        field_error(duplicate.text, "kommunenummer")
        == "A municipality with this kommunenummer exists."
    )
    [row] = await operator_rows("select name from municipality where kommunenummer = $1", nr)
    assert row["name"] == "Nykommune"


async def test_the_operator_names_a_first_admin_who_then_manages_members(site, settings, operator):
    tenant = await new_tenant()
    path = f"/operator/municipalities/{tenant.kommunenummer}/admin-invitations"

    bad = await post(operator, path, {"email": "nope"})
    assert bad.status_code == 422
    assert field_error(bad.text, f"admin-{tenant.kommunenummer}") == "Write a valid e-mail address."
    assert (
        await operator_rows("select 1 from invitation where municipality_id = $1", tenant.id) == []
    )

    page = await shown_after(operator, await post(operator, path, {"email": "first.admin@test.example"}))
    token = LINK.search(text_of(page))[1]

    pid = random_pid()
    client = await follow_invitation(site, token, pid)
    accepted = await post(client, f"/invitations/{token}")
    assert accepted.status_code == 303
    [person_id] = await person_ids_of(settings, pid)
    assert [(m["role"], m["municipality_id"]) for m in await memberships_of(person_id)] == [
        ("admin", tenant.id)
    ]
    members = await client.get(f"/k/{tenant.kommunenummer}/members")
    assert members.status_code == 200 and "Ny Kollega" in members.text


async def test_the_operator_invites_a_council_member_who_then_sees_the_council(
    site, settings, operator
):
    tenant = await new_tenant()
    path = f"/operator/regions/{tenant.region_slug}/council-invitations"
    bad = await post(operator, path, {"email": "nope"})
    assert bad.status_code == 422
    assert field_error(bad.text, f"council-{tenant.region_slug}") == "Write a valid e-mail address."

    page = await shown_after(operator, await post(operator, path, {"email": "raad@test.example"}))
    token = LINK.search(text_of(page))[1]
    pid = random_pid()
    client = await follow_invitation(site, token, pid)
    assert (await post(client, f"/invitations/{token}")).status_code == 303
    [person_id] = await person_ids_of(settings, pid)
    assert await operator_rows(
        "select role, region_id from membership where person_id = $1", person_id
    ) == [{"role": "council_member", "region_id": tenant.region_id}]
    council = await client.get(f"/r/{tenant.region_slug}")
    assert council.status_code == 200 and "Ny Kollega" in council.text


async def test_a_councils_admin_invites_its_members_and_a_member_may_not(site, settings, operator):
    tenant = await new_tenant()
    page = await shown_after(
        operator,
        await post(
            operator,
            f"/operator/regions/{tenant.region_slug}/council-invitations",
            {"email": "leiar@test.example", "role": "admin"},
        ),
    )
    token = LINK.search(text_of(page))[1]
    admin = await follow_invitation(site, token, random_pid())
    assert (await post(admin, f"/invitations/{token}")).status_code == 303

    path = f"/r/{tenant.region_slug}/council-invitations"
    bad = await post(admin, path, {"email": "nope"})
    assert bad.status_code == 422
    assert field_error(bad.text, "council-email") == "Write a valid e-mail address."
    invited = await shown_after(admin, await post(admin, path, {"email": "medlem@test.example"}))
    token = LINK.search(text_of(invited))[1]
    member = await follow_invitation(site, token, random_pid())
    assert (await post(member, f"/invitations/{token}")).status_code == 303
    rows = await operator_rows(
        "select role from invitation where region_id = $1 order by id", tenant.region_id
    )
    assert [r["role"] for r in rows] == ["admin", "council_member"]

    before = await operator_rows(
        "select count(*) as n from invitation where region_id = $1", tenant.region_id
    )
    refused = await post(member, path, {"email": "ein@test.example"}, headers=HTML)
    assert refused.status_code == 403
    assert (
        await operator_rows(
            "select count(*) as n from invitation where region_id = $1", tenant.region_id
        )
        == before
    )


async def test_the_operators_home_lists_municipalities_waiting_for_their_first_admin(operator):
    tenant = await new_tenant()

    def waiting(page: str) -> str:
        start = page.index('id="needs-doing"')
        return page[start : page.index("</section>", start)]

    assert f"#admin-{tenant.kommunenummer}" in waiting((await operator.get("/operator")).text)
    await post(
        operator,
        f"/operator/municipalities/{tenant.kommunenummer}/admin-invitations",
        {"email": "first.admin@test.example"},
    )
    assert f"#admin-{tenant.kommunenummer}" not in waiting((await operator.get("/operator")).text)


async def test_the_operator_inviting_into_an_unknown_municipality_gets_404(operator):
    before = await operator_rows("select count(*) as n from invitation")
    unknown = await free_kommunenummer()
    response = await post(
        operator,
        f"/operator/municipalities/{unknown}/admin-invitations",
        {"email": "first.admin@test.example"},
        headers=HTML,
    )
    assert response.status_code == 404
    assert await operator_rows("select count(*) as n from invitation") == before


async def test_only_the_operator_reaches_the_operator_pages(site, settings, municipality):
    _, admin = municipality
    client = await browser(site, admin.pid)
    assert (await client.get("/operator", headers=HTML)).status_code == 404
    slug = random_slug()
    refused = await post(client, "/operator/regions", {"slug": slug, "name": "X"}, headers=HTML)
    assert refused.status_code == 404
    assert await operator_rows("select 1 from region where slug = $1", slug) == []


# --- the security log ------------------------------------------------------------------------------


async def events_of(person_id: int) -> dict[str, dict]:
    rows = await operator_rows(
        "select kind, host(client_address) as address, detail::text as detail, municipality_id"
        " from security_event where person_id = $1 order by id",
        person_id,
    )
    return {row["kind"]: row for row in rows}


async def test_logins_logouts_refusals_and_membership_changes_are_logged(
    site, settings, municipality
):
    tenant, admin = municipality
    admin_browser = await browser(site, admin.pid)
    token = await invite(admin_browser, tenant.kommunenummer, "logged@test.example", "viewer")

    person = await new_person(settings, "Logged")
    client = await browser(site, person.pid)
    assert (await post(client, f"/invitations/{token}")).status_code == 303
    seat = (await memberships_of(person.id))[0]["id"]
    removed = await post(admin_browser, f"/k/{tenant.kommunenummer}/members/{seat}/remove")
    assert removed.status_code == 303
    assert (await post(client, "/auth/logout")).status_code == 303

    events = await events_of(person.id)
    for kind in ("login", "membership_granted", "membership_removed", "logout"):
        assert kind in events, f"no {kind} event"
        assert events[kind]["address"] == "127.0.0.1", f"{kind} has no client address"
    assert events["membership_granted"]["municipality_id"] == tenant.id
    assert f'"by": {person.id}' in events["membership_granted"]["detail"]
    assert f'"by": {admin.id}' in events["membership_removed"]["detail"]
    assert events["membership_removed"]["municipality_id"] == tenant.id

    # A refused login names no person (none is known yet), but says when, from where and why.
    [last] = await operator_rows("select coalesce(max(id), 0) as id from security_event")
    site.provider.tamper = lambda header, claims: (header, {**claims, "nonce": "x"}, None)
    refused = await log_in(await browser(site), site.provider, person.pid)
    assert refused.status_code == 400
    [event] = await operator_rows(
        "select person_id, host(client_address) as address, detail::text as detail,"
        " occurred_at > now() - interval '1 minute' as recent from security_event"
        " where kind = 'login_refused' and id > $1",
        last["id"],
    )
    assert event["address"] == "127.0.0.1" and event["recent"]
    assert "claim_nonce" in event["detail"] and event["person_id"] is None


async def test_a_person_reads_their_own_events_and_not_anothers(site, settings, municipality):
    """The log is behind row-level security too: read as the person, not as the operator."""
    _, admin = municipality
    await browser(site, admin.pid)
    other = await new_person(settings, "Other")
    await browser(site, other.pid)
    async with tenant_tx(Scope(person_id=admin.id)) as tx:
        kinds = await tx.connection.fetch(
            "select distinct person_id from security_event where person_id = any($1)",
            [admin.id, other.id],
        )
    assert [r["person_id"] for r in kinds] == [admin.id]
