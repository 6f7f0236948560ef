"""Browser tests: Debian's Chromium driven by Playwright's sync API, against real processes.

Playwright's sync API refuses to run inside a running event loop, so everything here is sync.
"""

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.servers import CHROMIUM, CHROMIUM_ARGS, running_product


@pytest.fixture(scope="module")
def product(tmp_path_factory, migrated):
    with running_product(tmp_path_factory.mktemp("product")) as urls:
        yield urls


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
