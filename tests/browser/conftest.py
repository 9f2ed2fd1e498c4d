"""Browser tests: the system Chromium through Playwright, against pytest-django's live server."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside
# one unless told that this is a test process where that is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture(scope="session", autouse=True)
def _media_through_project_urls() -> Iterator[None]:
    """Let the project's media view answer /media/ on the live server, as in development.

    Django's live server serves MEDIA_URL itself, ignoring byte ranges; without them a <video>
    cannot seek, and the chapter links would be tested against a server no one runs.
    """
    from django.test.testcases import _MediaFilesHandler

    original = _MediaFilesHandler._should_handle
    _MediaFilesHandler._should_handle = lambda self, path: False
    yield
    _MediaFilesHandler._should_handle = original


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    if not CHROMIUM.exists():
        message = "Chromium saknas: installera med 'apt-get install chromium'"
        if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    prepared = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        # Between Playwright's sync calls its event loop counts as running, and Django then keeps
        # a second set of connections for "async" code. Point it at the connections pytest-django
        # prepared, so the test body, its transaction handling and the serialized rollback of the
        # test database all use the same ones.
        for alias, connection in prepared.items():
            setattr(connections._connections, alias, connection)
        yield browser
        browser.close()


@pytest.fixture
def tab(chromium) -> Iterator:
    """A fresh browser tab (own cookies) that fails the test on any JavaScript error."""
    # bypass_csp: Playwright's wait_for_function evaluates its predicate with eval(), which the
    # site's policy forbids. test_csp_and_cookies.py walks the same pages with the policy on.
    context = chromium.new_context(
        locale="sv-SE", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], errors


def point_default_site_at(live_server_url: str) -> None:
    """Let Wagtail build page URLs for the live server's host and port."""
    from wagtail.models import Site

    host, port = live_server_url.removeprefix("http://").split(":")
    Site.objects.filter(is_default_site=True).update(hostname=host, port=int(port))


@pytest.fixture
def demo_site(live_server) -> str:
    """The demo site of ``make run`` (``load_demo``), served by the live server; its URL."""
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    point_default_site_at(live_server.url)
    return live_server.url
