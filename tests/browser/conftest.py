"""Browser tests: the system Chromium through Playwright, against pytest-django's live server,
on the demo site of ``make run``, built once for the whole folder (``demo_site``)."""

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


def _flush(connection) -> None:
    """Empty every table, as a transactional test's teardown does (migration content too)."""
    from django.core.management import call_command

    call_command(
        "flush",
        verbosity=0,
        interactive=False,
        database=connection.alias,
        # The management command resets sequences by default; a test's teardown does not, and
        # the content restored afterwards keeps its ids.
        reset_sequences=False,
        inhibit_post_migrate=True,
    )


@pytest.fixture(scope="package")
def _demo_database(live_server, django_db_setup, django_db_blocker) -> Iterator[str]:
    """``load_demo`` once for the folder, kept as the state each test starts from.

    The browser tests are transactional with ``serialized_rollback``: before each one, Django
    loads the database content serialized at set-up (what the migrations made), and after it
    empties every table. Here that serialized content is swapped, for the tests of this folder,
    for the database as it is after the migrations *and* ``load_demo`` with the default site
    pointing at the live server. Every test still starts from a database of its own, restored
    fresh, with nothing left by the test before it; only the building is done once. The files
    load_demo writes (images, the lecture film) stay in the test run's media folder.
    """
    from django.core.management import call_command
    from django.db import connections

    connection = connections["default"]
    migrated = connection._test_serialized_contents
    with django_db_blocker.unblock():
        # Whatever the test before left, start from the migrations' content.
        _flush(connection)
        connection.creation.deserialize_db_from_string(migrated)
        call_command("load_demo", verbosity=0)
        point_default_site_at(live_server.url)
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()
        # As a transactional test leaves it: the next test's set-up loads the demo into it.
        _flush(connection)
    try:
        yield live_server.url
    finally:
        connection._test_serialized_contents = migrated


@pytest.fixture
def demo_site(request, _demo_database) -> str:
    """The demo site of ``make run`` (``load_demo``), fresh for this test, served by the live
    server; its URL."""
    marker = request.node.get_closest_marker("django_db")
    assert marker and marker.kwargs.get("serialized_rollback"), (
        "demo_site is restored by the serialized rollback: mark the test "
        "django_db(transaction=True, serialized_rollback=True)"
    )
    return _demo_database
