"""Fixtures shared by the whole suite: a site with a home page, and a small content tree."""

from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend

from kompetensverkstad.models import HomePage
from tests import factories

# The page-type tests record their query counts here; the report prints them at the end.
QUERY_COUNTS: dict[str, int] = {}


def pytest_configure(config: pytest.Config) -> None:
    # WhiteNoise warns that STATIC_ROOT is missing; tests serve static files from the finders.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


def pytest_terminal_summary(terminalreporter) -> None:
    if QUERY_COUNTS:
        terminalreporter.section("queries per page view (cold cache)")
        for name, count in sorted(QUERY_COUNTS.items()):
            terminalreporter.write_line(f"{name:<45} {count}")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Wagtail caches site root paths; a test must never see the previous test's tree."""
    cache.clear()
    yield
    cache.clear()


def make_site() -> HomePage:
    """A HomePage under Wagtail's root, served as the default site (replaces the welcome page)."""
    root = Page.get_first_root_node()
    # Deleting the welcome page also deletes the Site that points at it.
    for child in root.get_children():
        child.delete()
    home = factories.HomePageFactory(parent=root)
    Site.objects.create(
        hostname="localhost",
        port=80,
        site_name="Kompetensverkstaden",
        root_page=home,
        is_default_site=True,
    )
    return home


@pytest.fixture
def home_page(db):
    return make_site()


@pytest.fixture
def module_page(home_page):
    return factories.ModulePageFactory(parent=home_page, title="Vi blir fler", slug="vi-blir-fler")


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
def project_index(home_page):
    return factories.ProjectIndexPageFactory(parent=home_page)


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
