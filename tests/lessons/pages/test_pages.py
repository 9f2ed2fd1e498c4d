"""Module, lecture, lessons-learned and project pages render with a bounded, flat query count."""

import datetime

import pytest

from lessons.models import ModuleStep, ProjectIndexPage
from tests import factories
from tests.conftest import QUERY_COUNTS

# Measured with a cold cache (see the ``render`` fixture): issue 14's bound for any anonymous
# page (tests/lessons/pages/test_query_bounds.py holds them at 5 and 500 steps and projects).
MAX_QUERIES = {
    "module": 10,
    "lecture": 10,
    "lessons_learned": 10,
    "project_index": 10,
    "project": 10,
}


def add_steps(module, count: int) -> None:
    """Steps of every kind, cycling lecture, worksheet, article, workshop."""
    start = module.steps.count()
    for i in range(start, start + count):
        kind = [ModuleStep.Kind.LECTURE, ModuleStep.Kind.WORKSHEET, ModuleStep.Kind.ARTICLE][i % 3]
        if i % 4 == 3:
            factories.ModuleStepFactory(
                module=module, kind=ModuleStep.Kind.WORKSHOP, title=f"Workshop {i}"
            )
            continue
        page_factory = {
            ModuleStep.Kind.LECTURE: factories.LecturePageFactory,
            ModuleStep.Kind.WORKSHEET: factories.WorksheetPageFactory,
            ModuleStep.Kind.ARTICLE: factories.LessonsLearnedPageFactory,
        }[kind]
        page = page_factory(parent=module, title=f"Steg {i}")
        factories.ModuleStepFactory(module=module, kind=kind, page=page)


def add_projects(index, count: int, **fields) -> list:
    start = index.get_children().count()
    return [
        factories.ProjectPageFactory(parent=index, title=f"Projekt {i:03d}", **fields)
        for i in range(start, start + count)
    ]


# --- Modules -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_module_page_lists_steps_in_order_with_total_time(render, module_page):
    add_steps(module_page, 4)

    response = render(module_page.url, max_queries=MAX_QUERIES["module"])

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Vi blir fler</h1>" in html
    positions = [html.index(title) for title in ["Steg 0", "Steg 1", "Steg 2", "Workshop 3"]]
    assert positions == sorted(positions)
    assert "Cirka 60 minuter" in html
    # A workshop step has no page of its own, so it is not a link.
    assert '<h3 class="step__title">Workshop 3</h3>' in html


@pytest.mark.django_db
def test_module_page_queries_do_not_grow_with_steps(module_page, count_queries):
    add_steps(module_page, 2)
    with_two, _ = count_queries(module_page.url)
    add_steps(module_page, 6)
    with_eight, response = count_queries(module_page.url)

    assert response.content.decode().count('<li class="step ') == 8
    assert with_eight == with_two
    QUERY_COUNTS["ModulePage (2 or 8 steps)"] = with_eight


# --- Lectures ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_lecture_page_has_video_captions_chapters_and_work_material(render, lecture_page):
    response = render(lecture_page.url, max_queries=MAX_QUERIES["lecture"])

    assert response.status_code == 200
    html = response.content.decode()
    assert '<video id="lecture-video"' in html
    assert '<source src="/media/media/forelasning' in html
    assert (
        f'<track kind="captions" src="{lecture_page.url}textning.vtt" srclang="sv" '
        'label="Svenska" default>' in html
    )
    assert f'<track kind="chapters" src="{lecture_page.url}kapitel.vtt"' in html
    assert 'data-seek="0"' in html and 'data-seek="30"' in html
    assert "Mottagandet" in html
    assert 'href="/vi-blir-fler/min-egen-historia/">Min egen historia</a>' in html
    assert "Transkribering" in html


@pytest.mark.django_db
def test_lecture_without_video_points_to_transcript(client, module_page):
    lecture = factories.LecturePageFactory(parent=module_page, video=None, captions="")

    html = client.get(lecture.url).content.decode()

    assert "<video" not in html
    assert "Filmen är inte uppladdad ännu" in html


@pytest.mark.django_db
def test_unpublished_worksheet_is_not_offered_as_work_material(client, lecture_page):
    lecture_page.work_material.get().page.unpublish()

    html = client.get(lecture_page.url).content.decode()

    assert "Arbetsmaterial till filmen" not in html


@pytest.mark.django_db
def test_lecture_page_queries_do_not_grow_with_chapters(lecture_page, count_queries):
    with_two, _ = count_queries(lecture_page.url)
    for minute in range(1, 7):
        factories.LectureChapterFactory(lecture=lecture_page, start=f"0{minute}:00")
    with_eight, response = count_queries(lecture_page.url)

    assert response.content.decode().count("data-seek=") == 8
    assert with_eight == with_two
    QUERY_COUNTS["LecturePage (2 or 8 chapters)"] = with_eight


# --- Lessons learned -----------------------------------------------------------------------


@pytest.mark.django_db
def test_lessons_learned_page_has_read_more_sections_quotes_and_links(render, home):
    page = factories.LessonsLearnedPageFactory(parent=home, title="Vad vi har lärt oss")

    response = render(
        page.url, max_queries=MAX_QUERIES["lessons_learned"], label="LessonsLearnedPage"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h2>Samverkan lönar sig</h2>" in html
    assert '<details class="read-more">' in html
    assert "<summary>Läs mer" in html
    assert "Fördjupning om samverkan mellan förvaltningar." in html
    assert "<blockquote><p>Vi lärde oss mycket.</p></blockquote>" in html
    assert '<dt class="key-figure__value">1 399</dt>' in html
    assert 'href="https://www.example.org/statistik"' in html


# --- Projects ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_project_page_shows_register_fields_people_and_partners(render, project_index):
    contact = factories.ContactPersonFactory(name="Sam Exempel", email="sam@example.org")
    project = factories.ProjectPageFactory(
        parent=project_index,
        title="Språkpraktik i Kronoberg",
        contact=contact,
        total_budget=4_567_000,
    )
    project.partners.set(
        [factories.PartnerFactory(name="Exempelregionen", logo=factories.SiteImageFactory())]
    )
    project.staff.set([factories.ContactPersonFactory(name="Mika Exempel")])
    project.tags.add("Arbetsmarknadsrelaterade insatser")
    project.save()

    response = render(project.url, max_queries=MAX_QUERIES["project"])

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Språkpraktik i Kronoberg</h1>" in html
    assert "Småland och öarna" in html
    assert "2 – Ökade övergångar till arbete" in html
    assert "4 567 000 kr" in html or "4\xa0567\xa0000 kr" in html
    assert '<a href="mailto:sam@example.org">sam@example.org</a>' in html
    assert "Mika Exempel" in html
    assert 'alt="Exempelregionen"' in html
    assert "<li>Arbetsmarknadsrelaterade insatser</li>" in html
    assert '<dt class="key-figure__value">80 %</dt>' in html


@pytest.mark.django_db
def test_project_page_queries_do_not_grow_with_partners_and_staff(project_index, count_queries):
    project = factories.ProjectPageFactory(parent=project_index)

    def add_people(count: int) -> None:
        for _ in range(count):
            project.partners.add(factories.PartnerFactory(logo=factories.SiteImageFactory()))
            project.staff.add(factories.ContactPersonFactory())
        project.save()

    add_people(1)
    with_one, _ = count_queries(project.url)
    add_people(3)
    with_four, response = count_queries(project.url)

    assert response.content.decode().count("mailto:") == 4
    assert with_four == with_one
    QUERY_COUNTS["ProjectPage (1 or 4 partners and staff)"] = with_four


@pytest.mark.django_db
def test_project_index_lists_projects_ten_per_page(client, render, project_index):
    add_projects(project_index, 12)

    response = render(project_index.url, max_queries=MAX_QUERIES["project_index"])

    html = response.content.decode()
    assert response.status_code == 200
    assert "12 projekt" in html
    assert html.count('class="project-card"') == ProjectIndexPage.PER_PAGE
    assert "Sida 1 av 2" in html
    second = client.get(project_index.url, {"sida": 2}).content.decode()
    assert second.count('class="project-card"') == 2
    assert "Projekt 011" in second


@pytest.mark.django_db
def test_project_index_queries_do_not_grow_with_projects(project_index, count_queries):
    def add_tagged(count: int) -> None:
        for project in add_projects(project_index, count):
            project.tags.add("Språk", "Arbete")
            project.save()

    add_tagged(3)
    with_three, _ = count_queries(project_index.url)
    add_tagged(12)
    with_fifteen, response = count_queries(project_index.url)
    second_page, second = count_queries(project_index.url + "?sida=2")

    assert "15 projekt" in response.content.decode()
    assert second.content.decode().count('class="project-card"') == 5
    assert with_fifteen == with_three
    assert second_page == with_fifteen
    QUERY_COUNTS["ProjectIndexPage (3 or 15 projects)"] = with_fifteen


@pytest.mark.django_db
def test_project_index_offers_years_the_projects_ran(client, project_index):
    add_projects(
        project_index,
        1,
        start_date=datetime.date(2016, 3, 1),
        end_date=datetime.date(2018, 2, 28),
    )

    html = client.get(project_index.url).content.decode()

    for year in (2016, 2017, 2018):
        assert f'<option value="{year}">{year}</option>' in html
    assert '<option value="2019">' not in html
