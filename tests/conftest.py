"""Fixtures shared by the whole suite, each defined here once: the site and its content, the
people who use it (learners, a trainer, an editor, a moderator, an administrator), and
``run_on_commit``. The factories and builders behind them are in ``tests/factories.py``."""

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend

from lessons.models import ModulePage
from lessons.workshops.models import TRAINER_GROUP
from tests import factories
from tests.factories import Kind, make_site
from tests.hostile import TALLY

# A real SAML identity provider and the SP keys it trusts (``idp``, ``sp_keys``, ``sp_settings``),
# for the federation tests and the browser test of signing in through the municipality.
pytest_plugins = ["tests.support.saml"]

# The page-type tests record their query counts here; the report prints them at the end.
QUERY_COUNTS: dict[str, int] = {}


def pytest_configure(config: pytest.Config) -> None:
    # WhiteNoise warns that STATIC_ROOT is missing; tests serve static files from the finders.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


def pytest_sessionfinish(session: pytest.Session) -> None:
    # In a parallel run (pytest-xdist) each process counts its own tests; it hands the counts
    # to the process that prints the report.
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["query_counts"] = dict(QUERY_COUNTS)
        output["hostile_tries"] = dict(TALLY.tries)
        output["hostile_pages"] = dict(TALLY.pages)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    output = getattr(node, "workeroutput", {})
    QUERY_COUNTS.update(output.get("query_counts", {}))
    TALLY.tries.update(output.get("hostile_tries", {}))
    TALLY.pages.update(output.get("hostile_pages", {}))


def pytest_terminal_summary(terminalreporter) -> None:
    if QUERY_COUNTS:
        terminalreporter.section("queries per page view (cold cache)")
        for name, count in sorted(QUERY_COUNTS.items()):
            terminalreporter.write_line(f"{name:<45} {count}")
    if TALLY.tries:
        # What the hostile-input tests (tests/*/test_hostile_input.py) tried and parsed.
        terminalreporter.section("hostile input")
        terminalreporter.write_line(TALLY.summary())


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Wagtail caches site root paths; a test must never see the previous test's tree."""
    cache.clear()
    yield
    cache.clear()


# --- The site and its content ------------------------------------------------------------


@pytest.fixture
def home(db):
    return make_site()


@pytest.fixture
def make_module(home) -> Callable[..., ModulePage]:
    """``make_module(kinds, **fields)``: a live module under the home page, a step per kind."""
    return lambda kinds, **fields: factories.build_module(home, kinds, **fields)


@pytest.fixture
def module(make_module) -> ModulePage:
    """Lecture, article, worksheet: the common shape of a self-paced module."""
    return make_module(
        [Kind.LECTURE, Kind.ARTICLE, Kind.WORKSHEET], title="Vi blir fler", slug="vi-blir-fler"
    )


@pytest.fixture
def workshop_module(home) -> ModulePage:
    """Lecture with chapters, worksheet and a workshop step, which completing it requires."""
    return factories.build_workshop_module(home, title="Vi blir fler", slug="vi-blir-fler")


@pytest.fixture
def module_page(home):
    """A module page without steps, for the page-type tests of its children."""
    return factories.ModulePageFactory(parent=home, title="Vi blir fler", slug="vi-blir-fler")


@pytest.fixture
def worksheet_page(module_page):
    return factories.WorksheetPageFactory(
        parent=module_page, title="Min egen historia", slug="min-egen-historia"
    )


@pytest.fixture
def lecture_page(module_page, worksheet_page):
    lecture = factories.LecturePageFactory(
        parent=module_page,
        title="Att bli fler",
        slug="att-bli-fler",
        video=factories.MediaFactory(),
        poster=factories.SiteImageFactory(),
    )
    factories.LectureChapterFactory(lecture=lecture, start="00:00", title="Inledning")
    factories.LectureChapterFactory(lecture=lecture, start="00:30", title="Mottagandet")
    factories.LectureWorkMaterialFactory(lecture=lecture, page=worksheet_page)
    return lecture


@pytest.fixture
def project_index(home):
    return factories.ProjectIndexPageFactory(parent=home)


# --- People ---------------------------------------------------------------------------------


@pytest.fixture
def learner(db):
    return factories.UserFactory(
        username="kund4711", first_name="Amina", last_name="Exempelsson", email="amina@example.org"
    )


@pytest.fixture
def other_learner(db):
    return factories.UserFactory(
        username="kund0815", first_name="Bo", last_name="Andersson", email="bo@example.org"
    )


@pytest.fixture
def learner_client(client, learner) -> Client:
    client.force_login(learner)
    return client


@pytest.fixture
def trainer_group(db) -> Group:
    # Created by a data migration, but a flushed (transactional) test database may lack it.
    return Group.objects.get_or_create(name=TRAINER_GROUP)[0]


@pytest.fixture
def trainer(trainer_group):
    user = factories.UserFactory(
        username="utbildare1", first_name="Tove", last_name="Utbildare", email="tove@example.org"
    )
    user.groups.add(trainer_group)
    return user


@pytest.fixture
def editor(db):
    """In Wagtail's "Editors" group: writes pages and submits them; may not add users."""
    return factories.UserFactory(username="redaktor", groups=["Editors"])


@pytest.fixture
def moderator(db):
    """In Wagtail's "Moderators" group: approves and publishes."""
    return factories.UserFactory(username="moderator", groups=["Moderators"])


@pytest.fixture
def superuser(db):
    return factories.UserFactory(
        username="admin", email="admin@example.org", is_staff=True, is_superuser=True
    )


@pytest.fixture
def as_user(client) -> Callable:
    """``as_user(user)`` signs the test client in as ``user`` (None: signed out)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


# --- Work done after commit ---------------------------------------------------------------


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks) -> Callable[[], AbstractContextManager]:
    """``with run_on_commit(): ...`` runs the on-commit work (enqueued tasks, mails) at the end.

    A test runs inside a transaction that is never committed, so without this the tasks that
    the code enqueues on commit would never run. (The test settings run tasks in-process;
    tests/integration/ runs the real worker.)
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


# --- Helpers ------------------------------------------------------------------------------


def index_pages(*pages) -> None:
    """Put pages in the search index now, whatever the index's update policy."""
    backend = get_search_backend()
    for page in pages:
        backend.add(page.specific)


@pytest.fixture
def count_queries(client) -> Callable[[str], tuple[int, HttpResponse]]:
    """GET a URL twice and count the second view's queries.

    The first view creates image renditions; the cache is then emptied, so the count is the
    worst case of a cold cache (Wagtail otherwise serves site roots and renditions from it).
    """

    def measure(url: str) -> tuple[int, HttpResponse]:
        client.get(url)
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        return len(ctx.captured_queries), response

    return measure


@pytest.fixture
def render(client, django_assert_max_num_queries) -> Callable[..., HttpResponse]:
    """GET a page with a cold cache and fail if it takes more than ``max_queries`` queries.

    ``label`` records the count for the end-of-run summary of queries per page type.
    """

    def get(url: str, *, max_queries: int, label: str = "", **params) -> HttpResponse:
        client.get(url, params)
        cache.clear()
        with django_assert_max_num_queries(max_queries) as ctx:
            response = client.get(url, params)
        if label:
            QUERY_COUNTS[label] = len(ctx)
        return response

    return get


# --- Identity providers -------------------------------------------------------------------


@pytest.fixture(scope="session")
def oidc_provider():
    """A real OpenID Connect provider (django-oauth-toolkit) in its own process on a free
    port, shared by the whole session: ``tests/support/oidc_provider``."""
    from tests.support.oidc_provider.process import ProviderProcess

    provider = ProviderProcess().start()
    yield provider
    provider.stop()
