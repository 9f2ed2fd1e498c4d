"""The progress bar and the completion evaluation use one rule: a module never shows 100 %
without being complete, and a module's page and "Mina sidor" say the same as the evaluation."""

import pytest

from lessons.learning.completion import evaluate_completion
from lessons.learning.models import ModuleCompletion
from lessons.learning.navigation import module_progress
from lessons.learning.recording import record_lecture_watched, record_step_completed
from tests.factories import Kind, steps_of


def bar_and_completion(learner, module) -> tuple[int, bool]:
    evaluate_completion(learner.pk, module.pk)
    progress = module_progress(module, learner)
    return progress.percent, ModuleCompletion.objects.filter(user=learner, module=module).exists()


def test_lecture_minutes_keep_the_bar_below_full_until_the_module_is_complete(make_module, learner):
    module = make_module([Kind.LECTURE, Kind.ARTICLE], min_lecture_minutes=1)
    lecture, article = steps_of(module)
    for step in (lecture, article):
        record_step_completed(learner, step)  # both marked done, nothing of the lecture played

    percent, complete = bar_and_completion(learner, module)
    assert (percent, complete) == (67, False)  # 2 of 3 requirements: the minutes are missing

    record_lecture_watched(learner, lecture, [[0, 60]], duration=60)

    assert bar_and_completion(learner, module) == (100, True)


def test_a_required_workshop_counts_once_in_the_bar(make_module, learner):
    module = make_module([Kind.LECTURE, Kind.WORKSHOP], optional={1}, requires_workshop=True)
    lecture, workshop = steps_of(module)

    record_step_completed(learner, lecture)
    assert bar_and_completion(learner, module) == (50, False)

    record_step_completed(learner, workshop)
    assert bar_and_completion(learner, module) == (100, True)


@pytest.mark.parametrize("done", [0, 1, 2, 3])
def test_full_bar_if_and_only_if_complete(module, learner, done):
    for step in steps_of(module)[:done]:
        record_step_completed(learner, step)

    percent, complete = bar_and_completion(learner, module)

    assert (percent == 100) == complete


def test_the_module_page_says_which_requirement_is_left(make_module, learner, client):
    module = make_module([Kind.LECTURE], min_lecture_minutes=2)
    (lecture,) = steps_of(module)
    record_step_completed(learner, lecture)
    client.force_login(learner)

    html = client.get(module.url).content.decode()

    assert "1 av 2 krav för att bli klar uppfyllda (50 %)" in html
