"""Generated from the route table: every unsafe route's form, sent hostile input by the person who
may act (so the guards let it through to the form), answers with a page or a refusal, never a 5xx.

The people, paths and valid forms are the CSRF cases of tests/web/test_route_table.py; this module
spoils one field at a time (NUL bytes, invalid UTF-8, numbers beyond numeric(14,2), dates out of
range, 100 000 characters, names sent twice, fields left out, the wrong content type). Input that
only the last-resort handler stops (web/errors.py's UNSTORABLE) fails here too: the form must
refuse it beside its field, before it reaches the database.
"""

from __future__ import annotations

import html
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import redis.asyncio as redis

from services.tendering import service as tendering
from tenants.context import tenant_tx
from tests.web.auth.idp import Provider
from tests.web.browsing import ensure_csrf, open_site, post
from tests.web.tendering.tender_world import new_business, new_buyer, new_tender, opened_tender
from tests.web.test_route_table import CSRF_CASES, PDF, UNSAFE, Attempt, Ctx, handlers
from web.app import create_app
from web.forms import Form, _fields

SEED = 20261130
HTML = {"accept": "text/html", "accept-language": "en"}
API = {"accept": "application/json", "accept-language": "en"}
LONG = "x" * 100_000
HOSTILE_VALUES = (
    "a\x00b",
    "1e13",
    "1e400",
    "NaN",
    "-0",
    "Infinity",
    "-1",
    "10000000000000",
    "99999999999,999",
    "9223372036854775808",
    "31.02.2026",
    "0001-01-01",
    "99999-01-01",
    "0001-01-01T00:00",
    "01.01.0001 00:00",
    "9999-12-31T23:59",
    "31.12.9999 23:59",
    "99999-01-01T10:00",
    "2026-02-31T12:00",
    LONG,
    "",
    " ",
)
# What web/errors.py says when only the database refused the input.
REACHED_THE_DATABASE = "Something you sent cannot be stored"


@dataclass
class Spoiled:
    """One hostile request: a label for the failure message and what httpx is to send."""

    label: str
    data: Any = None
    content: bytes | None = None
    content_type: str | None = None
    files: dict | None = None
    headers: dict[str, str] = field(default_factory=dict)


def form_fields(handler) -> list[str]:
    """The text fields the route's Form declares (none for a form-less action)."""
    data = handler.parsed_fn_signature.parameters.get("data")
    kind = data.annotation if data else None
    if not (isinstance(kind, type) and issubclass(kind, Form)):
        return []
    return [name for name, what in _fields(kind).items() if what == "text"]


def _urlencoded(pairs: list[tuple[str, str | bytes]]) -> bytes:
    def part(value: str | bytes) -> bytes:
        return value if isinstance(value, bytes) else quote(value, safe="").encode()

    return b"&".join(part(k) + b"=" + part(v) for k, v in pairs)


def spoiled_forms(attempt: Attempt, fields: list[str], rng: random.Random) -> Iterator[Spoiled]:
    valid = dict(attempt.data)
    names = list(dict.fromkeys([*valid, *fields]))
    files = attempt.files
    yield Spoiled(
        "a NUL in every field", {n: valid.get(n, "x") + "\x00" for n in names}, files=files
    )
    yield Spoiled("every field missing", {}, files=None)
    yield Spoiled("every name sent twice", {n: [valid.get(n, "1"), "1e400"] for n in names})
    yield Spoiled("every field 100 000 long", {n: LONG for n in names}, files=files)
    # One field spoiled at a time, the others valid, so the use-case behind the form is reached:
    # every hostile value in some field, and every field with a few hostile values (by the seed).
    chosen = [(rng.choice(names), value) for value in HOSTILE_VALUES] if names else []
    chosen += [(name, value) for name in names for value in rng.sample(HOSTILE_VALUES, 3)]
    for name, value in dict.fromkeys(chosen):
        yield Spoiled(f"{name}={value[:20]!r}", valid | {name: value}, files=files)
    for name in names:
        rest = {k: v for k, v in valid.items() if k != name}
        yield Spoiled(f"{name} missing", rest, files=files)
    for name in names or ["anything"]:
        pairs = [(k, v) for k, v in valid.items() if k != name] + [(name, b"\xff\xfe%C3%28")]
        yield Spoiled(
            f"invalid UTF-8 in {name}",
            content=_urlencoded(pairs).replace(b"%C3%28", b"\xc3\x28"),
            content_type="application/x-www-form-urlencoded",
        )
        yield Spoiled(
            f"percent-encoded invalid UTF-8 in {name}",
            content=_urlencoded([*pairs[:-1], (name, "")]) + b"%FF%FE",
            content_type="application/x-www-form-urlencoded",
        )
    yield Spoiled(
        "JSON instead of a form",
        content=json.dumps(valid).encode(),
        content_type="application/json",
    )
    yield Spoiled("a JSON array", content=b"[1, 2", content_type="application/json")
    yield Spoiled("plain text", content=b"\xff\x00 not a form", content_type="text/plain")
    yield Spoiled(
        "multipart without a boundary", content=b"--x\r\n", content_type="multipart/form-data"
    )
    multipart = {n: (None, valid.get(n, "x").encode() + b"\xff\x00") for n in names}
    yield Spoiled("multipart with invalid UTF-8 and NUL", files=multipart or {"x": (None, b"\xff")})
    if files:
        (name, (_, content, media_type)), *_ = files.items()
        for filename in (b"a\x00.pdf", b"\xff\xfe.pdf", LONG.encode() + b".pdf", b""):
            yield Spoiled(
                f"a file named {filename[:10]!r}",
                content=_multipart(valid, name, filename, content, media_type),
                content_type=f"multipart/form-data; boundary={BOUNDARY.decode()}",
            )
        yield Spoiled("an empty file", valid, files={name: ("empty.pdf", b"", media_type)})
        yield Spoiled(
            "a file of the wrong type", valid, files={name: ("x.pdf", b"\xff\x00", "x/y")}
        )


BOUNDARY = b"hostile-boundary-20261130"


def _multipart(valid: dict, name: str, filename: bytes, content: bytes, media_type: str) -> bytes:
    """A multipart body by hand: httpx will not send a file name that is not valid UTF-8."""
    parts = [
        b'Content-Disposition: form-data; name="%s"\r\n\r\n%s' % (k.encode(), v.encode())
        for k, v in valid.items()
    ]
    parts.append(
        b'Content-Disposition: form-data; name="%s"; filename="%s"\r\nContent-Type: %s\r\n\r\n%s'
        % (name.encode(), filename, media_type.encode(), content)
    )
    body = b"".join(b"--" + BOUNDARY + b"\r\n" + part + b"\r\n" for part in parts)
    return body + b"--" + BOUNDARY + b"--\r\n"


async def send(client: httpx.AsyncClient, path: str, spoiled: Spoiled, accept: dict):
    token = await ensure_csrf(client)
    headers = {**accept, "x-csrftoken": token, **spoiled.headers}
    if spoiled.content is not None:
        headers["content-type"] = spoiled.content_type
        return await client.post(path, content=spoiled.content, headers=headers)
    return await client.post(path, data=spoiled.data, files=spoiled.files, headers=headers)


def _route_ids(route: tuple[str, str]) -> str:
    return " ".join(route)


@pytest.fixture(scope="module")
def app(settings):
    return create_app(settings)


@pytest.fixture
async def ctx(settings, database, demo):
    async with open_site(settings, database, Provider(settings)) as site:
        client = redis.from_url(settings.redis_url)
        yield Ctx(site, settings, client)
        await client.aclose()


def test_every_unsafe_route_is_fuzzed(app):
    """The cases below are the route table's CSRF cases: a new form cannot slip past the fuzz."""
    assert {(m, p) for m, p, _ in handlers(app) if m in UNSAFE} == set(CSRF_CASES)


@pytest.mark.parametrize("route", sorted(CSRF_CASES), ids=_route_ids)
async def test_hostile_input_never_gets_a_5xx(app, ctx, route):
    method, path = route
    handler = next(h for m, p, h in handlers(app) if (m, p) == route)
    attempt = await CSRF_CASES[route](ctx)
    rng = random.Random(f"{SEED} {method} {path}")
    failures = []
    for number, spoiled in enumerate(spoiled_forms(attempt, form_fields(handler), rng)):
        accept = HTML if number % 2 == 0 else API
        answer = await send(attempt.client, attempt.path, spoiled, accept)
        kind = answer.headers.get("content-type", "")
        if answer.status_code >= 500:
            failures.append(f"{spoiled.label}: {answer.status_code}")
        elif REACHED_THE_DATABASE in answer.text:
            failures.append(f"{spoiled.label}: only the database refused it")
        elif answer.status_code >= 400 and accept is HTML and "text/html" not in kind:
            failures.append(f"{spoiled.label}: a browser got {kind} ({answer.status_code})")
        elif answer.status_code >= 400 and accept is API and not _json_or_form_page(answer):
            failures.append(f"{spoiled.label}: an API client got {kind} ({answer.status_code})")
    assert not failures, "\n".join(failures)


def _json_or_form_page(answer: httpx.Response) -> bool:
    """An API client's refusal is JSON; a refused form (422, 409) is its page again, with the form."""
    kind = answer.headers.get("content-type", "")
    if "application/json" in kind:
        return True
    return answer.status_code in (409, 422) and "<form" in answer.text


# --- what the fuzz found, each once more by name ----------------------------------------------

NN = {"accept": "text/html", "accept-language": "nn"}


def error_beside(page: str, field_id: str) -> str:
    found = re.search(rf'id="{field_id}"[^>]*>([^<]*)<', page)
    assert found, f"no error {field_id}"
    return html.unescape(found.group(1)).strip()


def _raw_multipart(fields: list[tuple[bytes, bytes]], files=()) -> bytes:
    parts = [b'Content-Disposition: form-data; name="%s"\r\n\r\n%s' % pair for pair in fields]
    parts += [
        b'Content-Disposition: form-data; name="%s"; filename="%s"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%s" % file
        for file in files
    ]
    body = b"".join(b"--" + BOUNDARY + b"\r\n" + part + b"\r\n" for part in parts)
    return body + b"--" + BOUNDARY + b"--\r\n"


MULTIPART = {"content-type": f"multipart/form-data; boundary={BOUNDARY.decode()}"}


async def test_a_bid_answer_that_is_not_utf_8_is_refused_beside_the_answers(ctx, settings):
    """The token in the form itself, as a browser without JavaScript sends it: Litestar's CSRF
    check reads the form first, and its reader once failed the whole request on these bytes."""
    buyer = await new_buyer(settings)
    tender_id = await new_tender(buyer)
    business = await new_business(settings)
    client = await ctx.site.browser(business.admin.pid)
    token = (await ensure_csrf(client)).encode()
    body = _raw_multipart(
        [
            (b"_csrf_token", token),
            (b"idempotency_key", b"k" * 24),
            (b"price", b"1000"),
            (b"answer:Kvalitet", b"God \xff\xfe kvalitet"),
            (b"answer:Kompetanse", b"Lang"),
        ]
    )
    path = f"{business.base}/tenders/{tender_id}/bids"
    refused = await client.post(path, content=body, headers={**NN, **MULTIPART})
    assert refused.status_code == 422
    assert error_beside(refused.text, "error-answers") == "Fyll ut feltet (ikkje for langt)."
    async with tenant_tx(business.scope):
        assert await tendering.own_bids(tender_id) == []


async def test_a_file_name_with_a_nul_is_refused_beside_the_documents(ctx, settings):
    buyer = await new_buyer(settings)
    tender_id = await new_tender(buyer, publish=False)
    client = await ctx.site.browser(buyer.officer.pid)
    token = (await ensure_csrf(client)).encode()
    body = _raw_multipart([(b"_csrf_token", token)], [(b"file", b"anbod\x00.pdf", PDF)])
    path = f"{buyer.base}/{tender_id}/documents"
    refused = await client.post(path, content=body, headers={**HTML, **MULTIPART})
    assert refused.status_code == 422
    assert error_beside(refused.text, "error-file") == (
        "The file's name cannot be stored. Rename the file and try again."
    )


async def test_a_score_that_is_a_date_is_refused_beside_the_scores(ctx, settings):
    buyer = await new_buyer(settings)
    tender_id, bids = await opened_tender(settings, buyer)
    async with tenant_tx(buyer.scope(buyer.evaluator)):
        await tendering.declare_interest(
            tender_id, person_id=buyer.evaluator.id, role="evaluator", conflicted=False
        )
    client = await ctx.site.browser(buyer.evaluator.pid)
    path = f"{buyer.base}/{tender_id}/bids/{bids[0]}/scores"
    form = {"score:Kvalitet": "31.02.2026", "score:Kompetanse": "5"}
    refused = await post(client, path, form, headers=NN)
    assert refused.status_code == 422
    assert error_beside(refused.text, f"error-scores-{bids[0]}") == "Skriv eit tal."


async def test_a_deadline_in_year_one_is_refused_beside_its_field(ctx, settings):
    """Midnight of year 1 on Oslo's clock is before year 1 in UTC: it once reached the database."""
    buyer = await new_buyer(settings)
    client = await ctx.site.browser(buyer.officer.pid)
    form = {
        "title": "Prosjektleiing",
        "estimated_value": "1000",
        "questions_deadline": "0001-01-01T00:00",
        "bid_deadline": "2099-12-31T12:00",
        "criterion-0": "Kvalitet",
        "weight-0": "60",
        "criterion-1": "Pris",
        "weight-1": "40",
        "price": "1",
    }
    refused = await post(client, buyer.base, form, headers=NN)
    assert refused.status_code == 422
    assert error_beside(refused.text, "error-questions_deadline") == "Vel dato og klokkeslett."
