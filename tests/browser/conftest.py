"""Real headless Chromium against pytest-django's live server, through Playwright's sync API.

The browser is Debian's /usr/bin/chromium (``make test`` installs it with apt-get); Playwright
never downloads one.  Tests in this directory are marked ``browser`` (tests/conftest.py) and
are skipped, with the reason, only where /usr/bin/chromium is missing.

Fixtures: ``browser`` (one per session), ``page`` (a fresh context and page per test, with
``base_url`` set to the live server, so ``page.goto("/admin/login/")`` works).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not found: `make test` installs Debian's chromium")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def _playwright():
    # Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
    # the ORM calls the tests make from it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_playwright):
    # launch() gives Chromium a fresh temporary --user-data-dir of its own (Playwright does not
    # accept that flag in args) and removes it on close.
    browser = _playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, timeout=60_000
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()
