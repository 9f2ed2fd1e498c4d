"""Step pages (lecture, article, worksheet) show where the learner is in the module."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lessons.learning.recording import record_step_completed
from lessons.models import ModuleStep
from tests.factories import Kind, build_module, steps_of

KINDS = [Kind.LECTURE, Kind.ARTICLE, Kind.WORKSHEET]
# Issue 14's bound for a signed-in step page; the count must not grow with the module either.
MAX_STEP_PAGE_QUERIES = 12


def text_of(response) -> str:
    """The page as a reader hears it: tags dropped, whitespace collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("position", [0, 1, 2], ids=KINDS)
def test_step_page_shows_position_progress_and_neighbours(
    learner_client, learner, module, position
):
    steps = steps_of(module)
    record_step_completed(learner, steps[0])

    response = learner_client.get(steps[position].page.url)

    assert response.status_code == 200
    text = text_of(response)
    assert f"steg {position + 1} av 3" in text
    assert "1 av 3 obligatoriska steg klara (33 %)" in text
    html = response.content.decode()
    assert '<progress max="3" value="1"' in html
    if position > 0:
        previous = steps[position - 1]
        assert f'rel="prev" href="{previous.page.url}"' in html
        assert f"Föregående: {previous.page.title}" in text
    else:
        assert 'rel="prev"' not in html
    if position < 2:
        following = steps[position + 1]
        assert f'rel="next" href="{following.page.url}"' in html
        assert f"Nästa: {following.page.title}" in text
    else:
        assert 'rel="next"' not in html


def test_completed_step_shows_done_and_no_button(learner_client, learner, module):
    article = steps_of(module)[1]
    record_step_completed(learner, article)

    html = learner_client.get(article.page.url).content.decode()

    assert "badge--done" in html
    assert f'action="/framsteg/steg/{article.pk}/klar/"' not in html


def test_unfinished_step_offers_the_done_button(learner_client, module):
    article = steps_of(module)[1]

    html = learner_client.get(article.page.url).content.decode()

    assert f'action="/framsteg/steg/{article.pk}/klar/"' in html
    assert "Markera som läst" in html


def test_anonymous_reader_sees_position_and_an_invitation_to_sign_in(client, module):
    article = steps_of(module)[1]

    response = client.get(article.page.url)

    text = text_of(response)
    assert "steg 2 av 3" in text
    assert "obligatoriska steg klara" not in text
    assert "Logga in" in text


def step_page_queries(client, url: str) -> int:
    client.get(url)  # renditions and caches warm up on the first view
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_step_page_queries_do_not_grow_with_the_module(
    learner_client, learner, home, django_assert_max_num_queries
):
    counts: dict[str, dict[int, int]] = {kind: {} for kind in KINDS}
    for size in (5, 50):
        module = build_module(home, [KINDS[i % 3] for i in range(size)], title=f"{size} steg")
        steps = steps_of(module)
        for step in steps[3 : size // 2]:
            record_step_completed(learner, step)
        for kind, step in zip(KINDS, steps[:3], strict=True):
            counts[kind][size] = step_page_queries(learner_client, step.page.url)
            with django_assert_max_num_queries(MAX_STEP_PAGE_QUERIES):
                learner_client.get(step.page.url)

    for kind in KINDS:
        assert counts[kind][5] == counts[kind][50], counts


@pytest.mark.parametrize("value", ["abc", "-1", "²", "9" * 5000, "999999"])
def test_odd_module_parameter_is_ignored(learner_client, module, value):
    article = steps_of(module)[1]

    response = learner_client.get(article.page.url, {"modul": value})

    assert response.status_code == 200
    assert "steg 2 av 3" in text_of(response)


def test_module_parameter_chooses_among_modules_sharing_a_page(learner_client, module, make_module):
    article = steps_of(module)[1]
    other = make_module([Kind.LECTURE], title="Fördjupning")
    ModuleStep.objects.create(module=other, kind=Kind.ARTICLE, page=article.page, sort_order=5)

    response = learner_client.get(article.page.url, {"modul": other.pk})

    text = text_of(response)
    assert "Fördjupning : steg 2 av 2" in text
