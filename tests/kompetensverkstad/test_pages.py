"""The home page and standard pages render, with a query count that does not grow with content."""

import pytest

from tests import factories
from tests.conftest import QUERY_COUNTS

# Measured with a cold cache (see the ``render`` fixture): issue 14's bound for any anonymous page.
HOME_MAX_QUERIES = 10
STANDARD_MAX_QUERIES = 10


def feature_modules(home, count: int) -> None:
    start = home.featured_modules.count()
    for i in range(start, start + count):
        module = factories.ModulePageFactory(
            parent=home, title=f"Utvald modul {i}", image=factories.SiteImageFactory()
        )
        factories.FeaturedModuleFactory(home=home, page=module)


@pytest.mark.django_db
def test_home_page_shows_featured_modules_lessons_and_project_catalogue(
    render, home, project_index
):
    feature_modules(home, 2)
    factories.LessonsLearnedPageFactory(parent=home, title="Vad vi lärde oss i Kalmar")

    response = render("/", max_queries=HOME_MAX_QUERIES)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Kompetensverkstaden</h1>" in html
    assert "Utvald modul 0" in html and "Utvald modul 1" in html
    assert "Vad vi lärde oss i Kalmar" in html
    assert 'href="/projekt/"' in html
    assert html.count('class="card__image"') == 2


@pytest.mark.django_db
def test_home_page_queries_do_not_grow_with_featured_modules(home, project_index, count_queries):
    feature_modules(home, 1)
    with_one, _ = count_queries("/")
    feature_modules(home, 3)
    with_four, response = count_queries("/")

    assert response.content.decode().count('class="card"') == 4
    assert with_four == with_one
    QUERY_COUNTS["HomePage (1 or 4 featured modules)"] = with_four


@pytest.mark.django_db
def test_unpublished_featured_module_is_not_shown(client, home):
    feature_modules(home, 1)
    home.featured_modules.get().page.unpublish()

    response = client.get("/")

    assert "Utvald modul 0" not in response.content.decode()


@pytest.mark.django_db
def test_standard_page_renders_in_footer_and_body(render, home):
    page = factories.StandardPageFactory(
        parent=home, title="Tillgänglighetsredogörelse", slug="tillganglighet"
    )

    response = render(page.url, max_queries=STANDARD_MAX_QUERIES, label="StandardPage")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Tillgänglighetsredogörelse</h1>" in html
    assert "Tillgänglighet är viktigt." in html
    # Standard pages under the home page are linked from the footer of every page.
    assert '<li><a href="/tillganglighet/">Tillgänglighetsredogörelse</a></li>' in html


@pytest.mark.django_db
def test_menu_shows_live_pages_marked_for_menus(client, home):
    factories.ModulePageFactory(parent=home, title="I menyn", show_in_menus=True)
    factories.ModulePageFactory(parent=home, title="Inte i menyn", show_in_menus=False)

    html = client.get("/").content.decode()

    assert "I menyn</a></li>" in html
    assert "Inte i menyn</a></li>" not in html


@pytest.mark.django_db
def test_unknown_address_gives_swedish_404(client, home):
    response = client.get("/finns-inte/")

    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()
