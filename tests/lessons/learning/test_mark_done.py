"""The "Markera som klar" button: a plain form POST that works without JavaScript."""

import pytest
from django.urls import reverse

from lessons.learning.models import LearningEvent, StepProgress, StepState
from tests.factories import Kind, steps_of


def done_url(step) -> str:
    return reverse("learning:mark_step_done", args=[step.pk])


@pytest.mark.parametrize(
    ("position", "verb"),
    [(0, LearningEvent.Verb.COMPLETED), (1, LearningEvent.Verb.READ)],
)
def test_marking_a_step_done_records_it_and_returns_to_the_page(
    learner_client, learner, module, position, verb
):
    step = steps_of(module)[position]
    page_url = step.page.url

    response = learner_client.post(done_url(step), {"next": page_url})

    assert response.status_code == 302
    assert response.url == page_url
    progress = StepProgress.objects.get(user=learner, step=step)
    assert progress.state == StepState.COMPLETED
    assert LearningEvent.objects.get(object_id=step.pk, object_type="step").verb == verb
    page = learner_client.get(page_url)
    assert "Steget är markerat som klart." in page.content.decode()


def test_marking_done_without_next_returns_to_the_step_page(learner_client, module):
    step = steps_of(module)[1]

    response = learner_client.post(done_url(step))

    assert response.status_code == 302
    assert response.url == step.page.url


@pytest.mark.parametrize(
    "next_url", ["https://evil.example.com/", "//evil.example.com/x", "javascript:alert(1)"]
)
def test_marking_done_never_redirects_to_another_host(learner_client, module, next_url):
    step = steps_of(module)[1]

    response = learner_client.post(done_url(step), {"next": next_url})

    assert response.status_code == 302
    assert response.url == step.page.url


def test_marking_done_twice_records_one_event(learner_client, learner, module):
    step = steps_of(module)[1]

    learner_client.post(done_url(step))
    learner_client.post(done_url(step))

    assert StepProgress.objects.filter(user=learner).count() == 1
    assert LearningEvent.objects.filter(actor=learner).count() == 1


def test_learner_cannot_mark_a_workshop_step_done(learner_client, learner, make_module):
    module = make_module([Kind.ARTICLE, Kind.WORKSHOP])
    workshop = steps_of(module)[1]

    response = learner_client.post(done_url(workshop))

    assert response.status_code == 404
    assert not StepProgress.objects.exists()


def test_a_worksheet_is_done_only_by_submitting_it(learner_client, module):
    worksheet = steps_of(module)[2]
    assert worksheet.kind == Kind.WORKSHEET

    response = learner_client.post(done_url(worksheet), {"next": worksheet.page.url})

    assert response.status_code == 404
    assert not StepProgress.objects.exists()


def test_marking_done_refuses_get(learner_client, module):
    step = steps_of(module)[1]

    response = learner_client.get(done_url(step))

    assert response.status_code == 405
    assert not StepProgress.objects.exists()


def test_marking_done_needs_sign_in(client, module):
    step = steps_of(module)[1]

    response = client.post(done_url(step), {"next": step.page.url})

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not StepProgress.objects.exists()


def test_steps_of_an_unpublished_module_cannot_be_marked_done(learner_client, module):
    step = steps_of(module)[1]
    module.unpublish()

    assert learner_client.post(done_url(step)).status_code == 404
    assert not StepProgress.objects.exists()


def test_unknown_step_is_404(learner_client, module):
    assert (
        learner_client.post(reverse("learning:mark_step_done", args=[999_999])).status_code == 404
    )
