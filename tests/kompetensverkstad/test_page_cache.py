"""The cache of public pages (kompetensverkstad/pagecache.py): anonymous visitors get pages from
it, a published change shows at once everywhere it appears, signed-in people never get a cached
page, and Redis away is a miss.

The cache is whatever REDIS_URL names (the in-memory cache without it); the purge runs after
commit, so every change here is made inside ``run_on_commit``, as a real publish would be.
"""

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from kompetensverkstad.pagecache import STATUS_HEADER
from lessons.learning.recording import record_step_completed
from tests import factories
from tests.factories import Kind, build_module, steps_of

DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.KV_PAGE_CACHE_SECONDS = 600


def fetch(client: Client, url: str, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response, response.content.decode()


def publish(page, **changes):
    page = page.specific
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()


@pytest.fixture
def site(home, project_index):
    module = build_module(home, [Kind.LECTURE, Kind.ARTICLE], title="Vi blir fler")
    factories.FeaturedModuleFactory(home=home, page=module)
    project = factories.ProjectPageFactory(
        parent=project_index, title="Språkpraktik", region="stockholm"
    )
    return {"module": module, "steps": steps_of(module), "project": project}


def test_second_anonymous_view_is_a_hit_without_a_query(client, site, django_assert_num_queries):
    url = site["module"].url
    first, _ = fetch(client, url)
    with django_assert_num_queries(0):
        second, html = fetch(client, url)

    assert first[STATUS_HEADER] == "miss"
    assert second[STATUS_HEADER] == "hit"
    assert "<h1>Vi blir fler</h1>" in html


def test_published_title_shows_at_once_on_every_page_that_shows_it(
    client, site, project_index, run_on_commit
):
    module, steps, project = site["module"], site["steps"], site["project"]
    pages = ["/", module.url, steps[0].page.url, steps[1].page.url]
    catalogue = [project_index.url, project_index.url + "?region=stockholm&ar=2020"]
    for url in pages + catalogue:
        fetch(client, url)
    assert fetch(client, "/")[0][STATUS_HEADER] == "hit"

    with run_on_commit():
        publish(module, title="Vi blir ännu fler")
        publish(project, title="Språkpraktik i Kronoberg")

    for url in pages:  # home's featured modules, the module, the steps' module navigation
        response, html = fetch(client, url)
        assert response[STATUS_HEADER] == "miss", url
        assert "Vi blir ännu fler" in html, url
    for url in catalogue:
        assert "Språkpraktik i Kronoberg" in fetch(client, url)[1], url


def test_unpublish_move_and_delete_show_at_once(client, home, site, run_on_commit):
    module, article = site["module"], site["steps"][1].page
    other = factories.StandardPageFactory(parent=home, title="Om oss", show_in_menus=True)
    gone = factories.StandardPageFactory(parent=home, title="Tillgänglighet")
    fetch(client, "/")
    fetch(client, module.url)
    assert "Om oss" in fetch(client, "/")[1]

    with run_on_commit():
        article.specific.unpublish()
    assert article.title not in fetch(client, module.url)[1].split("Modulens steg")[0]
    assert client.get(article.url).status_code == 404

    with run_on_commit():
        other.move(module, pos="last-child")
    assert "Om oss" not in fetch(client, "/")[1]

    assert "Tillgänglighet" in fetch(client, "/")[1]  # in the footer
    with run_on_commit():
        gone.delete()
    assert "Tillgänglighet" not in fetch(client, "/")[1]


def test_snippet_change_shows_at_once(client, site, run_on_commit):
    project = site["project"]
    partner = factories.PartnerFactory(name="Exempelregionen")
    project.partners.set([partner])
    with run_on_commit():
        project.save_revision().publish()
    assert "Exempelregionen" in fetch(client, project.url)[1]

    with run_on_commit():
        partner.name = "Regionen i exempel"
        partner.save()

    assert "Regionen i exempel" in fetch(client, project.url)[1]


def test_signed_in_person_never_gets_or_leaves_a_cached_page(client, learner, site):
    lecture = site["steps"][0].page
    fetch(client, lecture.url)  # an anonymous visitor fills the cache

    signed_in = Client()
    signed_in.force_login(learner)
    response, html = fetch(signed_in, lecture.url)
    assert STATUS_HEADER not in response
    assert "Logga ut" in html
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]

    # What the learner saw was not stored for the next visitor either.
    response, html = fetch(Client(), lecture.url)
    assert response[STATUS_HEADER] == "hit"
    assert "Logga ut" not in html


def test_the_key_holds_the_query_string_and_the_language(client, site, project_index):
    plain = fetch(client, project_index.url)[1]
    filtered = fetch(client, project_index.url, region="vastsverige")[1]
    english = fetch(client, project_index.url, HTTP_ACCEPT_LANGUAGE="en")[0]

    assert "Språkpraktik" in plain
    assert "Språkpraktik" not in filtered.split('class="result-count"')[1]
    assert english[STATUS_HEADER] in ("miss", "hit")
    assert fetch(client, project_index.url)[0][STATUS_HEADER] == "hit"


def test_password_form_is_not_stored(client, home):
    page = factories.StandardPageFactory(parent=home, title="Med lösenord")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="hemligt"
    )

    first = client.get(page.url)
    second = Client().get(page.url)

    assert first.status_code == second.status_code == 200
    assert first.cookies  # the form's CSRF cookie: the page is somebody's
    assert STATUS_HEADER not in first and STATUS_HEADER not in second


def test_page_renders_with_redis_away(client, settings, site):
    settings.CACHES = {"default": {**settings.REDIS_CACHE, "LOCATION": DEAD_REDIS}}

    response, html = fetch(client, site["module"].url)

    assert "<h1>Vi blir fler</h1>" in html
    assert STATUS_HEADER not in response


def test_signed_in_step_page_keeps_progress_fresh_with_warm_caches(
    home, learner, run_on_commit, django_assert_max_num_queries
):
    module = build_module(home, [Kind.LECTURE, Kind.ARTICLE, Kind.WORKSHEET], title="Modul")
    steps = steps_of(module)
    learner_client = Client()
    learner_client.force_login(learner)
    url = steps[1].page.url
    fetch(learner_client, url)  # routing, menu and the module's steps go into the cache

    with django_assert_max_num_queries(8):  # warm: session, user, progress, a little more
        html = fetch(learner_client, url)[1]
    assert "0 av 3 obligatoriska steg klara" in html

    record_step_completed(learner, steps[0])  # the learner's own rows are never cached
    assert "1 av 3 obligatoriska steg klara" in fetch(learner_client, url)[1]

    with run_on_commit():
        publish(module, title="Modul med ny rubrik")
    assert "Modul med ny rubrik" in fetch(learner_client, url)[1]
