"""The one policy for a refused action (web/actions.py), through the real app: not found is the 404
page, not allowed the 403 page, invalid input the same form again (422) with each error beside its
field in the user's language, a conflict the page again with its message (409)."""

from __future__ import annotations

import re

import pytest

from services.demo.programmes import OWNER_OF_GRONG
from tests.web.auth.idp import Provider
from tests.web.browsing import HTML, open_site, post, text_of
from tests.web.tendering.tender_world import new_buyer, new_tender, opened_tender

pytestmark = pytest.mark.usefixtures("demo")
NN = {**HTML, "accept-language": "nn"}
EN = {**HTML, "accept-language": "en"}


@pytest.fixture
async def site(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        yield site


def error_beside(page: str, field: str) -> str:
    """The text of the error message the page shows beside `field`."""
    found = re.search(rf'id="error-{field}"[^>]*>([^<]*)<', page)
    assert found, f"no error beside {field}"
    return found.group(1).strip()


async def test_an_action_on_a_tender_that_is_not_there_answers_the_404_page(site, settings):
    buyer = await new_buyer(settings)
    officer = await site.browser(buyer.officer.pid)
    refused = await post(officer, f"{buyer.base}/999999999/publish", headers=EN)
    assert refused.status_code == 404
    assert "<html" in refused.text and "No such tender." in text_of(refused)


async def test_an_action_the_use_case_does_not_allow_answers_the_403_page(site, settings):
    buyer = await new_buyer(settings)
    tender_id, bids = await opened_tender(settings, buyer)
    evaluator = await site.browser(buyer.evaluator.pid)
    undeclared = await post(
        evaluator,
        f"{buyer.base}/{tender_id}/bids/{bids[0]}/scores",
        {"score:Kvalitet": "8", "score:Kompetanse": "6"},
        headers=EN,
    )
    assert undeclared.status_code == 403
    assert "Declare yourself free of conflicts of interest" in text_of(undeclared)


async def test_invalid_input_is_the_same_form_again_with_each_error_beside_its_field_in_nynorsk(
    site, settings
):
    buyer = await new_buyer(settings)
    officer = await site.browser(buyer.officer.pid)
    form = {
        "title": "Prosjektleiing",
        "description": "Ein tekst",
        "estimated_value": "mange pengar",
        "questions_deadline": "i morgon",
        "bid_deadline": "31.12.2099 12:00",
        "criterion-0": "Kvalitet",
        "weight-0": "60",
        "criterion-1": "Pris",
        "weight-1": "40",
        "price": "1",
    }
    refused = await post(officer, buyer.base, form, headers=NN)
    assert refused.status_code == 422
    # Every error at once, each beside its own field, in the user's nynorsk.
    assert error_beside(refused.text, "estimated_value") == "Skriv eit beløp."
    assert error_beside(refused.text, "questions_deadline") == "Vel dato og klokkeslett."
    assert 'id="error-bid_deadline"' not in refused.text
    assert 'value="mange pengar"' in refused.text  # what was typed stays in the form


async def test_a_value_the_database_cannot_hold_is_a_field_error_not_a_500(site, settings):
    buyer = await new_buyer(settings)
    officer = await site.browser(buyer.officer.pid)
    form = {
        "title": "Null\x00byte",
        "estimated_value": "1 000 000 000 000",
        "questions_deadline": "2099-12-01T12:00",
        "bid_deadline": "2099-12-31T12:00",
        "criterion-0": "Kvalitet",
        "weight-0": "60",
        "criterion-1": "Pris",
        "weight-1": "40",
        "price": "1",
    }
    refused = await post(officer, buyer.base, form, headers=EN)
    assert refused.status_code == 422
    assert error_beside(refused.text, "title")
    assert error_beside(refused.text, "estimated_value") == "The amount is too large."


async def test_a_malformed_form_is_the_page_again_never_litestars_400(site, settings):
    """A name sent twice, a field missing: still the form with its errors in the user's language."""
    buyer = await new_buyer(settings)
    officer = await site.browser(buyer.officer.pid)
    form = {"title": ["Fyrste", "Andre"], "estimated_value": ["1", "tusen"], "price": "1"}
    refused = await post(officer, buyer.base, form, headers=NN)
    assert refused.status_code == 422
    assert error_beside(refused.text, "estimated_value") == "Skriv eit beløp."
    assert error_beside(refused.text, "bid_deadline") == "Vel dato og klokkeslett."
    assert 'value="Andre"' in refused.text


async def test_a_conflict_is_the_page_again_with_its_message(site, settings):
    buyer = await new_buyer(settings)
    tender_id = await new_tender(buyer)  # published already
    officer = await site.browser(buyer.officer.pid)
    again = await post(officer, f"{buyer.base}/{tender_id}/publish", headers=NN)
    assert again.status_code == 409
    assert 'class="ds-paragraph action-error"' in again.text  # the message, on the page
    assert "Prosjektleiing" in text_of(again)  # the tender's own page, not an error page


async def test_success_is_post_redirect_get_and_a_client_redirect_for_htmx(site, settings):
    buyer = await new_buyer(settings)
    tender_id = await new_tender(buyer, publish=False)
    officer = await site.browser(buyer.officer.pid)
    plain = await post(officer, f"{buyer.base}/{tender_id}/cancel", {"reason": ""}, headers=EN)
    assert plain.status_code in (409, 422)  # a draft cancelled without a reason is refused
    published = await post(
        officer, f"{buyer.base}/{tender_id}/publish", headers={**EN, "hx-request": "true"}
    )
    assert published.status_code == 200
    assert published.headers["hx-redirect"] == f"{buyer.base}/{tender_id}"


# Unsafe routes that run no use-case a user could be refused: they answer on their own.
WITHOUT_USE_CASE = {
    "web.auth.controller.logout",  # ends the session; nothing to refuse
    "web.account.controller.switch_membership",  # only the person's own memberships, else 404
}


def _source(handler) -> str:
    import inspect
    import textwrap

    return textwrap.dedent(inspect.getsource(handler.fn))


def _through_a_helper_that_acts(fn, source: str) -> bool:
    """The handler hands its work to a helper of web's (`_step(` in its own module, a part's
    `application_step(`) that calls act()."""
    import inspect
    import re

    for called in re.findall(r"\b(\w+)\(", source):
        helper = fn.__globals__.get(called)
        if (
            inspect.isfunction(helper)
            and helper.__module__.startswith("web.")
            and re.search(r"\bact\(", inspect.getsource(helper))
        ):
            return True
    return False


def test_every_unsafe_route_answers_through_the_one_policy(settings):
    """Generated from the app's routes: each POST hands its use-case to web.actions.act (directly
    or through its part's helper), so no route answers a refusal its own way."""
    from web.app import create_app

    app = create_app(settings)
    own_way, seen = [], set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):  # the static mount has none
            if not handler.http_methods & {"POST", "PUT", "PATCH", "DELETE"}:
                continue
            name = f"{handler.fn.__module__}.{handler.fn.__name__}"
            seen.add(name)
            if name in WITHOUT_USE_CASE:
                continue
            source = _source(handler)
            if "act(" not in source and not _through_a_helper_that_acts(handler.fn, source):
                own_way.append(name)
            if "except DomainError" in source or "tenant_tx(" in source:
                own_way.append(name)
    assert own_way == []
    assert WITHOUT_USE_CASE <= seen, "a stale exemption"
    assert len(seen) > 20  # the walk really found the app's forms


async def test_an_address_that_is_not_there_does_not_ask_a_logged_in_person_to_log_in(site):
    # No route matched, so the 404 is answered before the session is read.
    officer = await site.browser(OWNER_OF_GRONG)
    missing = await officer.get("/no/such/page", headers=EN)
    assert missing.status_code == 404
    assert "There is nothing here." in text_of(missing)
    assert "Log in with ID-porten" not in missing.text
    anonymous = await site.browser(None)
    assert "Log in with ID-porten" in (await anonymous.get("/no/such/page", headers=EN)).text
