"""When a module counts as completed: required steps, lecture minutes, workshop attendance."""

from datetime import timedelta

from django.utils import timezone

from lessons.learning.completion import evaluate_completion
from lessons.learning.models import ModuleCompletion, StepProgress
from lessons.learning.recording import record_lecture_watched, record_step_completed
from tests.factories import Kind, steps_of


def complete(user, steps) -> None:
    for step in steps:
        record_step_completed(user, step)


def is_completed(user, module) -> bool:
    evaluate_completion(user.pk, module.pk)
    return ModuleCompletion.objects.filter(user=user, module=module).exists()


def test_module_completes_when_every_required_step_is_done(module, learner):
    complete(learner, steps_of(module))

    assert is_completed(learner, module)
    completion = ModuleCompletion.objects.get(user=learner, module=module)
    assert completion.estimated_minutes == 3 * 15
    assert completion.estimated_hours == "0,8"


def test_module_is_not_completed_while_a_required_step_is_left(module, learner):
    complete(learner, steps_of(module)[:2])

    assert not is_completed(learner, module)


def test_optional_steps_do_not_matter_for_completion(make_module, learner):
    module = make_module([Kind.LECTURE, Kind.ARTICLE, Kind.WORKSHEET], optional={1})
    lecture, _article, worksheet = steps_of(module)

    complete(learner, [lecture, worksheet])

    assert is_completed(learner, module)


def test_one_learners_progress_does_not_complete_the_module_for_another(
    module, learner, other_learner
):
    complete(learner, steps_of(module))

    assert not is_completed(other_learner, module)


def test_min_lecture_minutes_requires_watched_seconds(make_module, learner):
    # The lecture's video lasts 60 s; the module asks for at least 1 minute of lecture.
    module = make_module([Kind.LECTURE, Kind.ARTICLE], min_lecture_minutes=1)
    lecture, article = steps_of(module)

    complete(learner, [lecture, article])  # marked done with the button, nothing watched
    assert not is_completed(learner, module)

    record_lecture_watched(learner, lecture, [[0, 60]], duration=60)
    assert StepProgress.objects.get(user=learner, step=lecture).watched_seconds == 60
    assert is_completed(learner, module)


def test_min_lecture_minutes_is_not_met_by_a_part_of_the_lecture(make_module, learner):
    module = make_module([Kind.LECTURE], min_lecture_minutes=2)
    (lecture,) = steps_of(module)

    record_lecture_watched(learner, lecture, [[0, 60]], duration=60)  # completes the step

    assert StepProgress.objects.get(user=learner, step=lecture).is_completed
    assert not is_completed(learner, module)


def test_requires_workshop_needs_a_completed_workshop_step(make_module, learner):
    module = make_module([Kind.LECTURE, Kind.WORKSHOP], optional={1}, requires_workshop=True)
    lecture, workshop = steps_of(module)

    complete(learner, [lecture])
    assert not is_completed(learner, module)

    # What the trainer's attendance list calls when the learner was there.
    complete(learner, [workshop])
    assert is_completed(learner, module)


def test_module_without_steps_is_never_completed(make_module, learner):
    module = make_module([])

    assert not is_completed(learner, module)


def test_completion_keeps_the_name_and_title_of_the_day(module, learner):
    complete(learner, steps_of(module))
    evaluate_completion(learner.pk, module.pk)

    learner.first_name = "Nytt"
    learner.save()
    module.title = "Nytt namn på modulen"
    module.save()
    evaluate_completion(learner.pk, module.pk)

    completion = ModuleCompletion.objects.get(user=learner, module=module)
    assert completion.learner_name == "Amina Exempelsson"
    assert completion.module_title == "Vi blir fler"


def test_completion_keeps_the_learners_first_start_for_the_reports(module, learner):
    """The reports' time to complete runs from the earliest start of any step of the module,
    copied into the completion when the evaluation writes it."""
    steps = steps_of(module)
    complete(learner, steps)
    first = timezone.now() - timedelta(days=5)
    StepProgress.objects.filter(user=learner, step=steps[1]).update(started_at=first)
    StepProgress.objects.filter(user=learner, step=steps[2]).update(
        started_at=first + timedelta(days=1)
    )
    ModuleCompletion.objects.filter(user=learner).delete()

    evaluate_completion(learner.pk, module.pk)

    assert ModuleCompletion.objects.get(user=learner, module=module).started_at == first


def test_inactive_learner_gets_no_completion(module, learner):
    complete(learner, steps_of(module))
    learner.is_active = False
    learner.save()

    assert not is_completed(learner, module)
