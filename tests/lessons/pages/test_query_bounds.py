"""Queries per page with a cold cache stay within issue 14's bounds and do not grow with the
content: at most 10 for an anonymous visitor, 12 for a signed-in learner on a step page, the same
count with 5 and with 500 steps, projects or partners.

The big sizes are made cheaply (steps in bulk pointing at the module's three pages, projects
added to the tree without revisions, partners and staff in bulk): what is counted is the page,
not how the content came to be.
"""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client

from kompetensverkstad.snippets import ContactPerson, Partner
from lessons.learning.recording import record_step_completed
from lessons.models import ModuleStep, ProjectPage
from tests import factories
from tests.factories import Kind, build_module, steps_of

MAX_ANONYMOUS = 10
MAX_SIGNED_IN = 12
SIZES = (5, 500)
STEP_KINDS = (Kind.LECTURE, Kind.WORKSHEET, Kind.ARTICLE)


def cold_queries(client: Client, url: str, django_assert_max_num_queries, limit: int) -> int:
    client.get(url)  # renditions are made on the first view
    cache.clear()
    with django_assert_max_num_queries(limit) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def module_with_steps(home, size: int, image):
    """A module of ``size`` steps: three with pages of their own, the rest in bulk on them."""
    module = build_module(home, list(STEP_KINDS), title=f"Modul med {size} steg", image=image)
    first = steps_of(module)
    ModuleStep.objects.bulk_create(
        ModuleStep(
            module=module,
            kind=first[i % 3].kind,
            page_id=first[i % 3].page_id,
            sort_order=i,
            required=i % 5 != 0,
        )
        for i in range(3, size)
    )
    return module, first


@pytest.mark.django_db
def test_module_and_step_pages_within_bounds_from_5_to_500_steps(
    client, home, learner, django_assert_max_num_queries
):
    image = factories.SiteImageFactory()
    learner_client = Client()
    learner_client.force_login(learner)
    counts: dict[tuple[str, str], dict[int, int]] = {}
    for size in SIZES:
        module, first = module_with_steps(home, size, image)
        factories.FeaturedModuleFactory(home=home, page=module)
        record_step_completed(learner, first[1])
        pages = {"module": module.url, **{s.kind: s.page.url for s in first}}
        for name, url in pages.items():
            counts.setdefault(("anonymous", name), {})[size] = cold_queries(
                client, url, django_assert_max_num_queries, MAX_ANONYMOUS
            )
            counts.setdefault(("signed in", name), {})[size] = cold_queries(
                learner_client, url, django_assert_max_num_queries, MAX_SIGNED_IN
            )
        counts.setdefault(("anonymous", "home"), {})[size] = cold_queries(
            client, "/", django_assert_max_num_queries, MAX_ANONYMOUS
        )
        # The module page lists every step, whatever its size.
        assert learner_client.get(module.url).content.decode().count('<li class="step ') == size

    for key, by_size in counts.items():
        assert by_size[5] == by_size[500], (key, by_size)


def add_projects(index, start: int, count: int) -> None:
    for i in range(start, start + count):
        index.add_child(
            instance=ProjectPage(
                title=f"Massprojekt {i:03d}",
                slug=f"massprojekt-{i:03d}",
                summary="Ett projekt bland många.",
                project_owner="Exempelkommunen",
                region="stockholm",
                start_date=datetime.date(2019, 1, 1),
                end_date=datetime.date(2021, 12, 31),
            )
        )


@pytest.mark.django_db
def test_catalogue_and_project_pages_within_bounds_from_5_to_500(
    client, project_index, django_assert_max_num_queries
):
    # First by title, so every first page lists a project with tags (their prefetch is skipped
    # on a page without any, which would make the small catalogue look the dearer one).
    project = factories.ProjectPageFactory(
        parent=project_index, title="Allas språk", region="stockholm"
    )
    project.tags.add("Språk", "Arbete")
    logo = factories.SiteImageFactory()
    urls = {
        "catalogue": project_index.url,
        "catalogue with filters": f"{project_index.url}?region=stockholm&ar=2020",
        "project": project.url,
    }
    counts: dict[str, dict[int, int]] = {name: {} for name in urls}
    have = 1
    for size in SIZES:
        add_projects(project_index, have, size - have)
        have = size
        partners = Partner.objects.bulk_create(
            Partner(name=f"Part {size}-{i}", logo=logo if i < 3 else None) for i in range(size)
        )
        staff = ContactPerson.objects.bulk_create(
            ContactPerson(name=f"Medarbetare {size}-{i}", email=f"m{size}-{i}@example.org")
            for i in range(size)
        )
        project.partners.set(partners)
        project.staff.set(staff)
        project.save()
        for name, url in urls.items():
            counts[name][size] = cold_queries(
                client, url, django_assert_max_num_queries, MAX_ANONYMOUS
            )
        html = client.get(project.url).content.decode()
        assert html.count("mailto:") >= size

    for name, by_size in counts.items():
        assert by_size[5] == by_size[500], (name, by_size)
