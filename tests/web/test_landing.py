"""The landing page lists the demo's regions and municipalities in the user's language."""

import json

import pytest

from web.i18n import COOKIE

HEADINGS = {
    "nb": "Regioner og kommuner",
    "nn": "Regionar og kommunar",
    "en": "Regions and municipalities",
}
COUNTS = {"nb": "7 kommuner", "nn": "7 kommunar", "en": "7 municipalities"}


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
async def test_the_landing_page_renders_in_each_language(client, lang):
    client.cookies.set(COOKIE, lang)
    response = await client.get("/")
    assert response.status_code == 200
    assert f'<html lang="{lang}"' in response.text
    assert HEADINGS[lang] in response.text
    assert COUNTS[lang] in response.text  # Sunnhordland's seven, through ngettext
    for name in ("Værnesregionen", "Sunnhordland", "Indre Namdal", "Stjørdal", "Røyrvik"):
        assert name in response.text


async def test_the_browser_language_is_used_when_the_user_chose_none(client):
    response = await client.get("/", headers={"accept-language": "nn-NO,nn;q=0.9,en;q=0.5"})
    assert HEADINGS["nn"] in response.text


async def test_the_language_switch_remembers_the_choice_and_returns_to_the_page(client):
    response = await client.get("/language/en", params={"next": "/"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert f"{COOKIE}=en" in response.headers["set-cookie"]
    assert HEADINGS["en"] in (await client.get("/")).text


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
async def test_the_language_switch_never_redirects_off_the_site(client, target):
    response = await client.get("/language/nn", params={"next": target}, follow_redirects=False)
    assert response.headers["location"] == "/"


async def test_pages_load_designsystemet_and_htmx_2_from_our_static_folder(client):
    page = (await client.get("/")).text
    for asset in ("designsystemet.css", "designsystemet-theme.css", "htmx.min.js"):
        assert f"/static/vendor/{asset}" in page
        assert (await client.get(f"/static/vendor/{asset}")).status_code == 200
    htmx = (await client.get("/static/vendor/htmx.min.js")).text
    assert 'version:"2.' in htmx.replace(" ", "")


async def test_every_answer_carries_the_security_headers(client):
    response = await client.get("/")
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_each_request_is_logged_as_one_json_line_without_cookies(client, capsys):
    client.cookies.set(COOKIE, "nb")
    await client.get("/", headers={"x-request-id": "test-request-0001"})
    lines = [
        json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")
    ]
    line = next(entry for entry in lines if entry.get("request_id") == "test-request-0001")
    assert {"request_id", "tenant", "route", "status", "duration_ms"} <= line.keys()
    assert (line["route"], line["status"]) == ("/", 200)
    assert "pid" not in line and COOKIE not in json.dumps(line)
