"""Recording a step: idempotent, one event, one evaluation, one completion, also under races."""

import json
import threading

import pytest
from django.db import connection, connections, transaction

from lessons.learning.completion import evaluate_completion
from lessons.learning.models import (
    CompletionCheck,
    LearningEvent,
    ModuleCompletion,
    StepProgress,
    StepState,
)
from lessons.learning.recording import record_step_completed
from lessons.learning.xapi import pseudonym, statement
from tests import factories
from tests.factories import Kind, build_module, steps_of


def test_recording_a_step_twice_keeps_one_progress_row_and_one_event(module, learner):
    step = steps_of(module)[0]

    first = record_step_completed(learner, step)
    second = record_step_completed(learner, step)

    assert (first, second) == (True, False)
    progress = StepProgress.objects.get(user=learner, step=step)
    assert progress.state == StepState.COMPLETED
    assert progress.completed_at is not None
    events = LearningEvent.objects.filter(
        actor=learner, object_type="step", object_id=step.pk, verb=LearningEvent.Verb.COMPLETED
    )
    assert events.count() == 1
    assert events.get().context["module"] == module.pk


def test_recording_every_step_twice_gives_one_check_and_one_completion(module, learner):
    steps = steps_of(module)
    for step in steps:
        record_step_completed(learner, step)
        record_step_completed(learner, step)

    # The evaluation was asked for (once per user and module) and is still waiting.
    assert CompletionCheck.objects.filter(user=learner, module=module).count() == 1
    assert not ModuleCompletion.objects.exists()

    evaluate_completion(learner.pk, module.pk)
    evaluate_completion(learner.pk, module.pk)

    assert ModuleCompletion.objects.filter(user=learner, module=module).count() == 1
    assert not CompletionCheck.objects.exists()
    module_events = LearningEvent.objects.filter(object_type="module", object_id=module.pk)
    assert module_events.count() == 1


def test_recording_runs_the_evaluation_after_commit(module, learner, run_on_commit):
    with run_on_commit():
        for step in steps_of(module):
            record_step_completed(learner, step)
            record_step_completed(learner, step)

    completion = ModuleCompletion.objects.get(user=learner, module=module)
    assert completion.learner_name == "Amina Exempelsson"
    assert completion.module_title == "Vi blir fler"
    assert not CompletionCheck.objects.exists()


def test_learning_events_are_append_only(module, learner):
    record_step_completed(learner, steps_of(module)[0])
    event = LearningEvent.objects.get()
    event.result = {"forged": True}
    with pytest.raises(ValueError):
        event.save()
    event.refresh_from_db()
    assert event.result == {}
    sent = statement(event)
    assert sent["verb"]["id"].endswith("/completed")
    # The actor is the learner under their pseudonym, never their e-mail or user name.
    assert sent["actor"]["account"]["name"] == pseudonym(learner.pk)
    assert pseudonym(learner.pk) != pseudonym(factories.UserFactory().pk)
    assert learner.email
    assert learner.email not in json.dumps(sent)
    assert learner.get_username() not in json.dumps(sent)


def _prepared_recordings() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%INSERT INTO lessons_stepprogress%"],
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_recording_is_planned_once_per_connection_on_postgresql(module, learner):
    first, second = steps_of(module)[:2]

    record_step_completed(learner, first)
    record_step_completed(learner, second)

    assert _prepared_recordings() == 1
    assert StepProgress.objects.filter(user=learner, state=StepState.COMPLETED).count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_recording_behind_a_pooler_prepares_nothing(module, learner, settings):
    """KV_PREPARED_STATEMENTS=0 (a transaction-mode pooler): the same statement, not prepared."""
    settings.KV_PREPARED_STATEMENTS = False
    step = steps_of(module)[0]
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what earlier tests on this connection prepared

    assert record_step_completed(learner, step) is True
    assert record_step_completed(learner, step) is False

    assert _prepared_recordings() == 0
    assert LearningEvent.objects.filter(actor=learner, object_id=step.pk).count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every writer; the race needs PostgreSQL (set DATABASE_URL)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_recording_gives_one_progress_row_and_one_completion(home, learner):
    # One required step, so the single recording that wins also completes the module.
    module = build_module(home, [Kind.ARTICLE, Kind.LECTURE], optional={1})
    step = steps_of(module)[0]
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    outcomes: list[bool] = []
    errors: list[BaseException] = []

    def record() -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(record_step_completed(learner, step))
            evaluate_completion(learner.pk, module.pk)
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(outcomes) == [False] * (threads_count - 1) + [True]
    assert StepProgress.objects.filter(user=learner, step=step).count() == 1
    assert (
        LearningEvent.objects.filter(
            object_type="step", object_id=step.pk, verb="completed"
        ).count()
        == 1
    )
    assert ModuleCompletion.objects.filter(user=learner, module=module).count() == 1
    assert LearningEvent.objects.filter(object_type="module", object_id=module.pk).count() == 1


def test_a_burst_of_steps_asks_for_one_evaluation(
    module, learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        for step in steps_of(module):
            record_step_completed(learner, step)

    # The first step made the check and its task; the others joined the waiting check.
    assert len(callbacks) == 1
    assert CompletionCheck.objects.filter(user=learner, module=module).count() == 1
    assert StepProgress.objects.filter(user=learner, state=StepState.COMPLETED).count() == 3


def test_a_step_recorded_after_an_evaluation_asks_for_a_new_one(
    module, learner, django_capture_on_commit_callbacks
):
    first, *rest = steps_of(module)
    record_step_completed(learner, first)
    assert evaluate_completion(learner.pk, module.pk) is None
    assert not CompletionCheck.objects.exists()

    with django_capture_on_commit_callbacks() as callbacks:
        for step in rest:
            record_step_completed(learner, step)

    assert len(callbacks) == 1
    assert evaluate_completion(learner.pk, module.pk) is not None
    assert ModuleCompletion.objects.filter(user=learner, module=module).count() == 1
    assert not CompletionCheck.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every writer; the race needs PostgreSQL (set DATABASE_URL)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_evaluation_meeting_a_step_being_recorded_reads_it(home, learner):
    """The last step's transaction is still open (a worksheet hand-in) when the evaluation of
    the earlier steps runs: it joined the waiting check, so no new evaluation will come. The
    evaluation must wait for it and complete the module, not delete the check and miss it."""
    module = build_module(home, [Kind.ARTICLE, Kind.LECTURE])
    first, last = steps_of(module)
    record_step_completed(learner, first)
    # Its evaluation is still on the broker (the test settings ran it at once): the check waits.
    CompletionCheck.objects.get_or_create(user=learner, module=module)
    recorded, release = threading.Event(), threading.Event()
    results: list = []
    errors: list[BaseException] = []

    def hand_in() -> None:
        try:
            with transaction.atomic():
                record_step_completed(learner, last)
                recorded.set()
                release.wait(timeout=10)
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    def evaluate() -> None:
        try:
            results.append(evaluate_completion(learner.pk, module.pk))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    recording = threading.Thread(target=hand_in)
    recording.start()
    assert recorded.wait(timeout=10)
    evaluation = threading.Thread(target=evaluate)
    evaluation.start()
    evaluation.join(timeout=1)
    assert evaluation.is_alive(), f"the evaluation did not wait for the recording: {errors}"
    release.set()
    recording.join(timeout=10)
    evaluation.join(timeout=10)

    assert errors == []
    assert results and results[0] is not None
    assert ModuleCompletion.objects.filter(user=learner, module=module).count() == 1
    assert not CompletionCheck.objects.exists()


# --- Launching a step: the first view of its page -------------------------------------------


def test_first_view_of_a_step_page_launches_it_once(client, learner, module):
    step = steps_of(module)[0]
    client.force_login(learner)
    for _ in range(3):
        assert client.get(step.page.url).status_code == 200

    launched = LearningEvent.objects.filter(verb=LearningEvent.Verb.LAUNCHED)
    assert [(e.actor_id, e.object_id) for e in launched] == [(learner.pk, step.pk)]
    assert statement(launched.get())["verb"]["id"] == "http://adlnet.gov/expapi/verbs/launched"
    # Opening a page starts nothing: the step's state is what the learner did in it.
    assert not StepProgress.objects.exists()


def test_one_launch_per_learner_and_step_is_kept_by_the_database(learner, module):
    from django.db import IntegrityError, transaction

    step = steps_of(module)[0]
    launch = {"actor": learner, "verb": LearningEvent.Verb.LAUNCHED, "object_type": "step"}
    LearningEvent.objects.create(**launch, object_id=step.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        LearningEvent.objects.create(**launch, object_id=step.pk)
    # Other verbs repeat freely (a worksheet handed in again is a new record).
    for _ in range(2):
        LearningEvent.objects.create(
            actor=learner, verb=LearningEvent.Verb.SUBMITTED, object_type="step", object_id=step.pk
        )


def test_viewing_a_page_launches_nothing_for_visitors_or_pages_outside_modules(
    client, learner, module, home
):
    step = steps_of(module)[0]
    assert client.get(step.page.url).status_code == 200  # anonymous
    client.force_login(learner)
    assert client.get(home.url).status_code == 200  # no module's step
    assert not LearningEvent.objects.exists()
    assert not StepProgress.objects.exists()


def test_opening_a_done_step_keeps_it_done(client, learner, module):
    step = steps_of(module)[0]
    record_step_completed(learner, step)
    client.force_login(learner)
    client.get(step.page.url)
    assert StepProgress.objects.get(user=learner, step=step).state == StepState.COMPLETED
    assert LearningEvent.objects.filter(verb=LearningEvent.Verb.LAUNCHED).count() == 1
