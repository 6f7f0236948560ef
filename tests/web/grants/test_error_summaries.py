"""Every grant form, sent with mistakes by the person who may act, answers with its page again
whose error summary links only to what is on that page: each `#id` the summary points at is an
element of the page, so a click (or Enter) on a message takes the reader to its field.

The forms are those of the route table: its CSRF cases give a person, a path and a valid form for
every unsafe route, and the mistakes are made from them (every field empty, missing, spoiled in
turn), so a new grant form is covered as soon as the route table knows it. Widen SIDES to hold
the other parts' forms to this too.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from tests.web import test_hostile_forms
from tests.web.test_hostile_forms import HTML, Spoiled, form_fields, send
from tests.web.test_route_table import CSRF_CASES, handlers

# The parts whose forms this test holds to it: the grant pages, and the rate their state aid uses.
SIDES = ("/grants", "/operator/exchange-rate")
SUMMARY = re.compile(r'<div class="ds-error-summary".*?</div>', re.S)
LINK = re.compile(r'href="#([^"]+)"')


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value)


def ids_of(page: str) -> set[str]:
    parser = _Ids()
    parser.feed(page)
    return parser.ids


def summary_targets(page: str) -> list[str]:
    return [unescape(target) for box in SUMMARY.findall(page) for target in LINK.findall(box)]


def mistakes(valid: dict, fields: list[str], files: dict | None):
    """Forms with mistakes in every field at once, then in one field at a time (an upload's
    form keeps its file, so it stays multipart)."""
    names = list(dict.fromkeys([*valid, *fields]))
    yield Spoiled("every field empty", dict.fromkeys(names, ""), files=files)
    yield Spoiled(
        "a NUL in every field", {n: valid.get(n, "x") + "\x00" for n in names}, files=files
    )
    yield Spoiled("every field missing", {}, files=files)
    for name in names:
        for value in ("", "x", "-1", "31.02.2026"):
            yield Spoiled(f"{name}={value!r}", valid | {name: value}, files=files)


# The fuzz's own fixtures: the app, and a site with Redis for the route table's cases.
app, ctx = test_hostile_forms.app, test_hostile_forms.ctx


def test_a_page_with_a_dangling_summary_link_is_caught():
    page = (
        '<div class="ds-error-summary"><ul><li><a href="#field-title">x</a></li>'
        '<li><a href="#field-costs">y</a></li></ul></div><input id="field-title">'
    )
    assert set(summary_targets(page)) - ids_of(page) == {"field-costs"}


ROUTES = sorted(route for route in CSRF_CASES if any(side in route[1] for side in SIDES))


def test_every_grant_form_of_the_route_table_is_here(app):
    unsafe = {(m, p) for m, p, h in handlers(app) if m == "POST" and "grants" in h.fn.__module__}
    assert unsafe and unsafe <= set(ROUTES)


@pytest.mark.parametrize("route", ROUTES, ids=" ".join)
async def test_every_error_summary_link_points_at_something_on_the_page(app, ctx, route):
    handler = next(h for m, p, h in handlers(app) if (m, p) == route)
    attempt = await CSRF_CASES[route](ctx)
    dangling, refused = {}, 0
    for spoiled in mistakes(dict(attempt.data), form_fields(handler), attempt.files):
        answer = await send(attempt.client, attempt.path, spoiled, HTML)
        if answer.status_code not in (409, 422):
            continue
        refused += 1
        if missing := set(summary_targets(answer.text)) - ids_of(answer.text):
            dangling[spoiled.label] = sorted(missing)
    assert not dangling, f"summary links to no element: {dangling}"
    if form_fields(handler):
        assert refused, "no mistake was refused: the test saw no summary"
