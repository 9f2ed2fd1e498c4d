"""The site search at /sok/: live, public pages that match, and a calm empty state."""

import pytest
from wagtail.models import PageViewRestriction

from tests import factories
from tests.conftest import index_pages


@pytest.fixture
def searchable(home, module_page, lecture_page, project_index):
    article = factories.LessonsLearnedPageFactory(
        parent=home, title="Samverkan över gränser", intro="Om samverkan mellan kommuner."
    )
    project = factories.ProjectPageFactory(
        parent=project_index, title="Språkcafé", summary="Språkpraktik för nyanlända."
    )
    index_pages(home, module_page, lecture_page, article, project)
    return {"article": article, "project": project, "lecture": lecture_page}


def result_titles(response) -> list[str]:
    return [result.title for result in response.context["page_obj"]]


@pytest.mark.django_db
def test_search_finds_matching_pages_of_every_type(client, searchable):
    assert result_titles(client.get("/sok/", {"q": "samverkan"})) == ["Samverkan över gränser"]
    assert result_titles(client.get("/sok/", {"q": "språkpraktik"})) == ["Språkcafé"]
    response = client.get("/sok/", {"q": "Utvecklingsledare"})  # the lecture's speaker role
    assert response.status_code == 200
    assert result_titles(response) == []  # speaker_role is not indexed; speaker is
    assert result_titles(client.get("/sok/", {"q": "Robin"})) == ["Att bli fler"]


@pytest.mark.django_db
def test_search_results_link_to_the_pages(client, searchable):
    html = client.get("/sok/", {"q": "samverkan"}).content.decode()

    assert '<a href="/samverkan-over-granser/">Samverkan över gränser</a>' in html
    assert "1 träff" in html


@pytest.mark.django_db
def test_empty_search_shows_the_form_without_results(client, searchable):
    for params in ({}, {"q": ""}, {"q": "   "}):
        response = client.get("/sok/", params)
        assert response.status_code == 200
        html = response.content.decode()
        assert '<input id="q" type="search" name="q"' in html
        assert "träff" not in html


@pytest.mark.django_db
def test_search_without_matches_says_so(client, searchable):
    response = client.get("/sok/", {"q": "xyzzyinteett"})

    assert response.status_code == 200
    assert "0 träffar" in response.content.decode()


@pytest.mark.django_db
def test_search_hides_unpublished_and_private_pages(client, searchable):
    searchable["article"].unpublish()
    PageViewRestriction.objects.create(
        page=searchable["project"], restriction_type=PageViewRestriction.LOGIN
    )

    assert result_titles(client.get("/sok/", {"q": "samverkan"})) == []
    assert result_titles(client.get("/sok/", {"q": "språkpraktik"})) == []


@pytest.mark.django_db
def test_very_long_or_odd_queries_do_not_fail(client, searchable):
    odd = ["a" * 5000, "'; DROP TABLE x; --", '"(()', '"', 'språk"praktik', "nul\x00", "Å ä ö"]
    for q in [*odd, "* AND OR NOT NEAR(a b)", "-samverkan", "^x", "a:b", "\\"]:
        assert client.get("/sok/", {"q": q, "sida": "abc"}).status_code == 200, repr(q)


@pytest.mark.django_db
def test_quotes_in_a_query_are_read_as_spaces(client, searchable):
    assert result_titles(client.get("/sok/", {"q": '"samverkan"'})) == ["Samverkan över gränser"]
