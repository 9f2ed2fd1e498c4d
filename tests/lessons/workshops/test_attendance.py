"""Attendance: one by one or all at once, also afterwards; it completes the workshop step
through the learner-path interface and so counts toward completing the module."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from lessons.learning.models import LearningEvent, ModuleCompletion, StepProgress, StepState
from lessons.learning.recording import record_step_completed
from lessons.models import ModuleStep
from lessons.workshops.models import SessionParticipant
from tests import factories
from tests.factories import build_workshop_module, make_session


def workshop_step(module) -> ModuleStep:
    return module.steps.get(kind=ModuleStep.Kind.WORKSHOP)


def test_marking_one_participant_completes_their_workshop_step(
    client, trainer, session, participant, other_learner, run_on_commit
):
    absent = SessionParticipant.objects.create(session=session, user=other_learner)
    client.force_login(trainer)

    with run_on_commit():
        response = client.post(
            reverse("workshops:attendance", args=[session.pk]), {"present": [participant.pk]}
        )

    assert response.status_code == 302
    participant.refresh_from_db()
    absent.refresh_from_db()
    assert participant.attended and participant.attended_at is not None
    assert not absent.attended
    step = workshop_step(session.module)
    progress = StepProgress.objects.get(user=participant.user, step=step)
    assert progress.state == StepState.COMPLETED
    event = LearningEvent.objects.get(actor=participant.user, object_id=step.pk)
    assert event.verb == LearningEvent.Verb.ATTENDED
    assert event.context["session"] == session.pk
    assert not StepProgress.objects.filter(user=other_learner, state=StepState.COMPLETED).exists()


def test_attendance_completes_the_module_when_it_was_the_last_step(
    client, trainer, session, participant, run_on_commit
):
    learner = participant.user
    # The other steps were recorded and evaluated (not complete yet) as a running site does;
    # an evaluation asked for and never sent would wait for the sweep instead.
    with run_on_commit():
        for step in session.module.steps.exclude(kind=ModuleStep.Kind.WORKSHOP):
            record_step_completed(learner, step)
    assert not ModuleCompletion.objects.exists()
    client.force_login(trainer)

    with run_on_commit():
        client.post(reverse("workshops:attendance", args=[session.pk]), {"action": "all"})

    completion = ModuleCompletion.objects.get(user=learner, module=session.module)
    assert completion.certificate is not None


def test_module_requiring_a_workshop_is_not_complete_without_attendance(
    trainer, session, participant, run_on_commit
):
    learner = participant.user
    with run_on_commit():
        for step in session.module.steps.exclude(kind=ModuleStep.Kind.WORKSHOP):
            record_step_completed(learner, step)

    assert not ModuleCompletion.objects.filter(user=learner).exists()


def test_mark_all_present_after_the_session_has_ended(
    client, trainer, workshop_module, learner, other_learner, run_on_commit
):
    past = make_session(
        trainer, module=workshop_module, starts_at=timezone.now() - timedelta(days=3)
    )
    people = [learner, other_learner]
    for person in people:
        SessionParticipant.objects.create(session=past, user=person)
    client.force_login(trainer)

    with run_on_commit():
        client.post(reverse("workshops:attendance", args=[past.pk]), {"action": "all"})

    assert set(past.participants.filter(attended=True).values_list("user", flat=True)) == {
        p.pk for p in people
    }
    step = workshop_step(workshop_module)
    assert StepProgress.objects.filter(step=step, state=StepState.COMPLETED).count() == 2


def test_unmarking_keeps_the_completed_step_and_the_completion(
    client, trainer, session, participant, run_on_commit
):
    learner = participant.user
    # The other steps were recorded and evaluated (not complete yet) as a running site does;
    # an evaluation asked for and never sent would wait for the sweep instead.
    with run_on_commit():
        for step in session.module.steps.exclude(kind=ModuleStep.Kind.WORKSHOP):
            record_step_completed(learner, step)
    client.force_login(trainer)
    with run_on_commit():
        client.post(reverse("workshops:attendance", args=[session.pk]), {"action": "all"})

    with run_on_commit():
        client.post(reverse("workshops:attendance", args=[session.pk]), {"action": "save"})

    participant.refresh_from_db()
    assert not participant.attended and participant.attended_at is None
    progress = StepProgress.objects.get(user=learner, step=workshop_step(session.module))
    assert progress.state == StepState.COMPLETED
    assert ModuleCompletion.objects.filter(user=learner).exists()


def test_marking_twice_writes_one_attended_event(client, trainer, session, participant):
    client.force_login(trainer)
    url = reverse("workshops:attendance", args=[session.pk])
    client.post(url, {"action": "all"})
    client.post(url, {"action": "all"})

    assert LearningEvent.objects.filter(verb=LearningEvent.Verb.ATTENDED).count() == 1


def test_worksheet_session_credits_the_workshop_step_of_the_worksheets_module(
    client, trainer, worksheet, learner
):
    single = make_session(trainer, worksheet=worksheet)
    SessionParticipant.objects.create(session=single, user=learner)
    client.force_login(trainer)

    client.post(reverse("workshops:attendance", args=[single.pk]), {"action": "all"})

    step = workshop_step(single.progress_module)
    assert StepProgress.objects.get(user=learner, step=step).is_completed


def test_module_without_workshop_step_keeps_attendance_and_says_so(client, trainer, home, learner):
    module = build_workshop_module(home, requires_workshop=False, title="Utan workshopsteg")
    module.steps.filter(kind=ModuleStep.Kind.WORKSHOP).delete()
    plain = make_session(trainer, module=module)
    SessionParticipant.objects.create(session=plain, user=learner)
    client.force_login(trainer)
    url = reverse("workshops:attendance", args=[plain.pk])

    page = client.get(url)
    client.post(url, {"action": "all"})

    assert "Modulen har inget workshopsteg" in page.content.decode()
    assert plain.participants.get().attended
    assert not StepProgress.objects.filter(user=learner, state=StepState.COMPLETED).exists()


def test_participant_of_another_session_cannot_be_marked_here(
    client, trainer, session, workshop_module, participant
):
    elsewhere = make_session(trainer, module=workshop_module)
    stranger = SessionParticipant.objects.create(session=elsewhere, user=factories.UserFactory())
    client.force_login(trainer)

    client.post(reverse("workshops:attendance", args=[session.pk]), {"present": [stranger.pk]})

    stranger.refresh_from_db()
    assert not stranger.attended
