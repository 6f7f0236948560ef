"""`make screenshots`: the key pages of each audience at a desktop's and a phone's width, as PNG
files in docs/screenshots/, from the product run with its demo in a database of its own.

    python -m tests.e2e.screenshots [--only NAME]

Each page is found as a person finds it (the first link of its kind on the page before), so the
pictures follow the demo when its ids change.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import tempfile
from pathlib import Path

import asyncpg
from playwright.sync_api import Page, sync_playwright

from infra.settings import database_name, with_database
from services.demo.data import PERSONS
from tests.e2e.people import log_in
from tests.e2e.servers import CHROMIUM, CHROMIUM_ARGS, running_product

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
TALLEST = 2600  # px of a page's length shown; the rest is cut, as a reader scrolls no further


def first(page: Page, pattern: str) -> str:
    """The first link on the page whose address matches `pattern`."""
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    found = next((h for h in hrefs if re.fullmatch(pattern, h)), None)
    assert found, f"no link like {pattern} on {page.url}"
    return found


# audience -> (who logs in, or None for the public; [(picture name, how to reach the page)]).
# A step is a path, or a pattern (starting with ^) to follow from the page before.
AUDIENCES = {
    "public": (
        None,
        [
            ("landing", "/"),
            ("tenders", "/tenders"),
            ("tender", "^/tenders/\\d+"),
            ("grant-calls", "/grants"),
        ],
    ),
    "municipality": (
        "Arne Lyngstad",
        [
            ("home", "/k/5045"),
            ("menu", "MENU"),
            ("tenders", "/k/5045/tenders"),
            ("tender", "^/k/5045/tenders/\\d+"),
            ("protocol", "PROTOCOL"),
            ("projects", "/k/5045/projects"),
            ("project", "^/k/5045/projects/\\d+"),
            ("dashboard", "/k/5045/dashboard"),
            ("grants", "/k/5045/grants"),
            ("grant-case", "^/k/5045/grants/applications/\\d+$"),
        ],
    ),
    "region-council": (
        "Marit Aune",
        [("home", "/r/indre-namdal"), ("dashboard", "/r/indre-namdal/dashboard")],
    ),
    "organisation": (
        "Mette Fossli",
        [
            ("home", "/o/931782258"),
            ("tender-to-bid-on", "^/o/931782258/tenders/\\d+"),
            ("bids", "/o/931782258/bids"),
            ("grants", "/o/931782258/grants"),
            ("grant-application", "^/o/931782258/grants/applications/\\d+$"),
        ],
    ),
    "operator": ("Henrik Solberg", [("regions-and-municipalities", "/operator")]),
}


LANGUAGE = {person.name: person.language for person in PERSONS}


def _reach(page: Page, base: str, step: str, before: str) -> str:
    if step == "MENU":
        return before
    if step == "PROTOCOL":
        return before + "/protocol"
    if step.startswith("^"):
        return first(page, step[1:])
    return step


def _dashboard_ready(page: Page) -> None:
    """A dashboard is drawn by the workers: wait until its figures are computed."""
    if "/dashboard" in page.url:
        page.wait_for_selector(".computed-at time", timeout=60_000)


def shoot(base: str, only: str | None = None) -> list[Path]:
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for audience, (person, steps) in AUDIENCES.items():
            if only and only != audience:
                continue
            for width, height in WIDTHS.values():
                context = browser.new_context(
                    viewport={"width": width, "height": height}, device_scale_factor=1
                )
                # Each person in their own language (the demo's Arne, Marit and Mette write
                # nynorsk); the public in bokmål.
                context.add_cookies(
                    [{"name": "samspel_lang", "value": LANGUAGE.get(person, "nb"), "url": base}]
                )
                page = context.new_page()
                page.set_default_timeout(20_000)
                if person:
                    log_in(page, base, person)
                path = "/"
                for name, step in steps:
                    path = _reach(page, base, step, path)
                    page.goto(base + path)
                    _dashboard_ready(page)
                    if step == "MENU":
                        if not page.locator(".site-menu-button").is_visible():
                            continue  # a wide screen has no menu to open
                        page.locator(".site-menu-button").click()
                    page.evaluate("document.fonts.ready")
                    target = OUT / f"{audience}-{name}-{width}.png"
                    length = page.evaluate("document.documentElement.scrollHeight")
                    page.screenshot(
                        path=target,
                        full_page=True,
                        clip={"x": 0, "y": 0, "width": width, "height": min(length, TALLEST)},
                    )
                    written.append(target)
                    print(f"{target.relative_to(ROOT)}  ({path})", flush=True)
                context.close()
        browser.close()
    return written


async def _drop(url: str) -> None:
    admin = await asyncpg.connect(with_database(url, "postgres"))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')
    finally:
        await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=sorted(AUDIENCES), help="one audience's pictures")
    only = parser.parse_args().only
    # A database of its own, made by the product's own migrate and dropped afterwards.
    url = with_database(
        os.environ.get("SAMSPEL_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/samspel"),
        "samspel_screenshots",
    )
    os.environ.update(
        SAMSPEL_DATABASE_URL=url,
        SAMSPEL_REDIS_URL=os.environ.get("SAMSPEL_REDIS_URL", "redis://127.0.0.1:6379/0"),
        SAMSPEL_SECRET_KEY=os.environ.get(
            "SAMSPEL_SECRET_KEY", "screenshots-secret-screenshots-secret-00"
        ),
        SAMSPEL_RATE_LIMIT_PER_MINUTE="100000",
    )
    asyncio.run(_drop(url))
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory() as tmp, running_product(Path(tmp), workers=True) as urls:
            shoot(urls.base, only)
    finally:
        asyncio.run(_drop(url))


if __name__ == "__main__":
    main()
