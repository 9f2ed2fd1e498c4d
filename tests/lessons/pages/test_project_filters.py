"""The project catalogue's filters: region, programme area, year, free text, and pagination."""

import datetime
import re

import pytest

from lessons.models import ProgrammeArea, Region
from tests import factories
from tests.conftest import index_pages


def titles(response) -> list[str]:
    return re.findall(
        r'class="project-card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode()
    )


@pytest.fixture
def catalogue(project_index):
    """Four projects that differ in region, programme area, period and words."""
    projects = [
        factories.ProjectPageFactory(
            parent=project_index,
            title="Språkcafé i Växjö",
            summary="Språkpraktik och mentorskap för nyanlända.",
            region=Region.SMALAND_OARNA,
            programme_area=ProgrammeArea.TRANSITIONS,
            start_date=datetime.date(2016, 9, 1),
            end_date=datetime.date(2018, 6, 30),
        ),
        factories.ProjectPageFactory(
            parent=project_index,
            title="Validering i Malmö",
            summary="Validering av yrkeskunskaper inom vården.",
            region=Region.SYDSVERIGE,
            programme_area=ProgrammeArea.COMPETENCE,
            start_date=datetime.date(2019, 1, 1),
            end_date=datetime.date(2020, 12, 31),
        ),
        factories.ProjectPageFactory(
            parent=project_index,
            title="Unga i Kalmar",
            summary="Vägledning för unga som varken arbetar eller studerar.",
            region=Region.SMALAND_OARNA,
            programme_area=ProgrammeArea.YOUTH,
            start_date=datetime.date(2020, 3, 1),
            end_date=None,  # still running
        ),
        factories.ProjectPageFactory(
            parent=project_index,
            title="Mentorer i Luleå",
            summary="Mentorskap för nyanlända akademiker.",
            region=Region.OVRE_NORRLAND,
            programme_area=ProgrammeArea.TRANSITIONS,
            start_date=datetime.date(2015, 1, 1),
            end_date=datetime.date(2016, 1, 31),
        ),
    ]
    index_pages(*projects)
    return project_index


ALL = ["Mentorer i Luleå", "Språkcafé i Växjö", "Unga i Kalmar", "Validering i Malmö"]


@pytest.mark.django_db
def test_without_filters_every_project_is_listed_by_title(client, catalogue):
    assert titles(client.get(catalogue.url)) == ALL


@pytest.mark.django_db
def test_region_filter(client, catalogue):
    response = client.get(catalogue.url, {"region": "smaland-oarna"})

    assert titles(response) == ["Språkcafé i Växjö", "Unga i Kalmar"]
    assert '<option value="smaland-oarna" selected>' in response.content.decode()


@pytest.mark.django_db
def test_programme_area_filter(client, catalogue):
    response = client.get(catalogue.url, {"programomrade": "2"})

    assert titles(response) == ["Mentorer i Luleå", "Språkcafé i Växjö"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # A project counts for every year it ran in, first and last year included.
        ("2016", ["Mentorer i Luleå", "Språkcafé i Växjö"]),
        ("2018", ["Språkcafé i Växjö"]),
        ("2020", ["Unga i Kalmar", "Validering i Malmö"]),
        # A project without an end date is still running.
        ("2030", ["Unga i Kalmar"]),
        ("2014", []),
    ],
)
def test_year_filter_lists_projects_running_that_year(client, catalogue, year, expected):
    assert titles(client.get(catalogue.url, {"ar": year})) == expected


@pytest.mark.django_db
def test_free_text_search_matches_summary_words(client, catalogue):
    assert titles(client.get(catalogue.url, {"q": "mentorskap"})) == [
        "Mentorer i Luleå",
        "Språkcafé i Växjö",
    ]
    assert titles(client.get(catalogue.url, {"q": "validering"})) == ["Validering i Malmö"]


@pytest.mark.django_db
def test_filters_combine(client, catalogue):
    response = client.get(
        catalogue.url, {"q": "mentorskap", "region": "smaland-oarna", "ar": "2017"}
    )

    assert titles(response) == ["Språkcafé i Växjö"]
    assert titles(client.get(catalogue.url, {"region": "sydsverige", "programomrade": "3"})) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"region": "atlantis"},
        {"programomrade": "9"},
        {"ar": "tjugohundra"},
        {"ar": "99999999999999999999"},
        {"ar": "1066"},
        {"sida": "-1"},
        {"sida": "många"},
        {"q": "x" * 5000},
        {"q": '"(()'},
        {"q": "nul\x00"},
        {"ar": "²"},
        {"ar": "\x00"},
        {"region": "stockholm\x00"},
        {"region": ["stockholm", "sydsverige"]},
    ],
)
def test_bad_filter_values_are_ignored(client, catalogue, params):
    response = client.get(catalogue.url, params)

    assert response.status_code == 200
    if "q" not in params:
        assert len(titles(response)) >= 1


@pytest.mark.django_db
def test_unpublished_projects_are_not_listed(client, catalogue):
    catalogue.get_children().get(title="Unga i Kalmar").unpublish()

    assert "Unga i Kalmar" not in titles(client.get(catalogue.url))


@pytest.mark.django_db
def test_filters_survive_pagination(client, project_index):
    factories.ProjectPageFactory.create_batch(
        12, parent=project_index, region=Region.STOCKHOLM, programme_area=ProgrammeArea.YOUTH
    )
    factories.ProjectPageFactory(parent=project_index, region=Region.SYDSVERIGE)

    first = client.get(project_index.url, {"region": "stockholm", "programomrade": "3"})
    html = first.content.decode()

    assert "12 projekt" in html
    assert len(titles(first)) == 10
    next_link = re.search(r'<a href="\?([^"]+)" rel="next">', html).group(1)
    assert next_link == "region=stockholm&amp;programomrade=3&amp;sida=2"
    second = client.get(project_index.url + "?" + next_link.replace("&amp;", "&"))
    assert len(titles(second)) == 2
    prev_link = re.search(r'<a href="\?([^"]+)" rel="prev">', second.content.decode()).group(1)
    assert prev_link == "region=stockholm&amp;programomrade=3&amp;sida=1"
