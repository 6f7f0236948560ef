"""The demo persons in Chromium: logging each in through dev ID-porten, and the pages each reaches
by following the links of their own pages (the crawl the accessibility test and the screenshots
share)."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

from playwright.sync_api import Page

from services.demo.data import PERSONS

# Every demo person, by name, with the page their login lands on.
HOMES = {
    person.name: (
        {
            "municipality": f"/k/{m.target}",
            "region": f"/r/{m.target}",
            "organisation": f"/o/{m.target}",
            "platform": "/operator",
        }[m.scope]
    )
    for person in PERSONS
    for m in person.memberships[:1]
}

# Every demo person, by name, with the role they act in first: persons of one role see the same
# kinds of pages, so a crawl may share what it has seen between them.
ROLES = {
    person.name: person.memberships[0].scope + ":" + person.memberships[0].role
    for person in PERSONS
}

# Links a crawl does not follow: leaving, switching, downloading, or an action behind a GET.
SKIP = re.compile(
    r"^/(auth|language|static|health|metrics|invitations)\b"
    r"|\.(pdf|csv|xlsx|json)$|/(documents|attachments|letters)/\d+$|/export/|/api/"
)
# A list's own download, asked for in its query (?format=csv).
DOWNLOAD = re.compile(r"(^|&)format=(csv|xlsx|pdf)\b")


def log_in(page: Page, base: str, name: str) -> str:
    """Log `name` in; answers the path of the home they land on."""
    page.goto(f"{base}/auth/login?next=/home")
    page.get_by_role("button", name=re.compile(re.escape(name))).click()
    page.wait_for_url(re.compile("^" + re.escape(base)))
    return urlsplit(page.url).path


def pattern(path: str) -> str:
    """A page's kind: its address with the numbers taken out (/k/5045/tenders/{n}), and the
    dashboard's phase pages as one."""
    path = re.sub(r"^/(k|o)/\d+", r"/\1/{place}", path)
    path = re.sub(r"/dashboard/projects/[\w-]+$", "/dashboard/projects/{phase}", path)
    return re.sub(r"/\d+(?=/|$)", "/{n}", path)


def public(path: str) -> bool:
    """A page the same for everyone but for the header: it need not be seen once per role."""
    return not re.match(r"^/(k|o|r)/|^/(operator|me|home|organisations)\b", path)


def links(page: Page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    found = []
    for href in hrefs:
        url = urldefrag(href)[0]
        if not url.startswith(base + "/"):
            continue
        path = url[len(base) :]
        parts = urlsplit(path)
        if not SKIP.search(parts.path) and not DOWNLOAD.search(parts.query):
            found.append(path)
    return found


def crawl(
    page: Page,
    base: str,
    start: str,
    *,
    depth: int = 2,
    per_kind: int = 1,
    limit: int = 40,
    kinds: dict[str, int] | None = None,
    role: str = "",
):
    """Visit `start` and the same-origin pages its links reach, breadth first, to `depth` clicks
    away; of the pages of one kind only the first `per_kind` (`kinds` counts them, and may be
    shared between crawls: a public page's kind is its pattern, a person's own page's kind is
    their `role` and its pattern). The start is always visited. Yields each visited path after
    its page has loaded."""
    seen_paths: set[str] = set()
    kinds = {} if kinds is None else kinds
    queue = deque([(start, 0)])
    visited = 0
    while queue and visited < limit:
        path, level = queue.popleft()
        kind = pattern(path) if public(path) else f"{role} {pattern(path)}"
        if path in seen_paths or (level and kinds.get(kind, 0) >= per_kind):
            continue
        seen_paths.add(path)
        kinds[kind] = kinds.get(kind, 0) + 1
        response = page.goto(base + path)
        visited += 1
        yield path, response
        if level < depth:
            queue.extend((p, level + 1) for p in links(page, base))
