"""Reminders to learners who started a module and stopped: once per lull, never after completion,
never to a deactivated account or one that turned reminders off."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from kompetensverkstad.accounts.models import get_profile
from lessons.learning.models import ModuleCompletion, ReminderSent, StepProgress
from lessons.learning.recording import record_step_completed
from lessons.learning.tasks import send_learning_reminders
from tests import factories
from tests.conftest import make_site
from tests.factories import Kind, build_module, steps_of


@pytest.fixture
def module(db):
    home = make_site()
    return build_module(home, [Kind.ARTICLE, Kind.WORKSHEET], title="Vi blir fler")


@pytest.fixture
def learner(db):
    return factories.UserFactory(first_name="Amina", email="amina@example.org")


def stall(user, days: int) -> None:
    """Move the user's last activity ``days`` back."""
    StepProgress.objects.filter(user=user).update(updated_at=timezone.now() - timedelta(days=days))


def test_idle_learner_gets_one_reminder_however_often_the_task_runs(module, learner):
    record_step_completed(learner, steps_of(module)[0])
    stall(learner, 15)

    assert send_learning_reminders.apply().get() == 1
    assert send_learning_reminders.apply().get() == 0

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amina@example.org"]
    assert "Vi blir fler" in message.subject
    # The link goes to where the learner left off: the first step not done.
    assert steps_of(module)[1].page.url in message.body
    assert ReminderSent.objects.get().sent_at is not None


def test_no_reminder_before_the_modules_days_have_passed(module, learner):
    module.reminder_after_days = 30
    module.save()
    record_step_completed(learner, steps_of(module)[0])
    stall(learner, 15)
    send_learning_reminders.apply()
    assert mail.outbox == []


def test_a_new_lull_after_working_again_gets_a_new_reminder(module, learner):
    record_step_completed(learner, steps_of(module)[0])
    stall(learner, 20)
    send_learning_reminders.apply()
    StepProgress.objects.filter(user=learner).update(updated_at=timezone.now() - timedelta(days=15))
    send_learning_reminders.apply()
    assert len(mail.outbox) == 2


def test_no_reminder_after_completion_deactivation_or_opt_out(module, learner):
    completed = factories.UserFactory(email="klar@example.org")
    inactive = factories.UserFactory(email="borta@example.org", is_active=False)
    opted_out = factories.UserFactory(email="nej@example.org")
    profile = get_profile(opted_out)
    profile.receives_reminders = False
    profile.save()
    for user in (completed, inactive, opted_out):
        StepProgress.objects.create(user=user, step=steps_of(module)[0])
    ModuleCompletion.objects.create(
        user=completed, module=module, learner_name="x", module_title="y"
    )
    stall(completed, 30)
    stall(inactive, 30)
    stall(opted_out, 30)

    send_learning_reminders.apply()
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_turning_reminders_off_on_the_profile_holds_at_once(client, module, learner):
    record_step_completed(learner, steps_of(module)[0])
    stall(learner, 15)
    client.force_login(learner)
    response = client.get("/konto/profil/")
    assert "receives_reminders" in response.content.decode()
    client.post(
        "/konto/profil/",
        {"first_name": "Amina", "last_name": "E", "municipality": "", "job_title": ""},
    )
    assert get_profile(learner).receives_reminders is False
    send_learning_reminders.apply()
    assert mail.outbox == []


def test_zero_days_means_no_reminders(module, learner):
    module.reminder_after_days = 0
    module.save()
    record_step_completed(learner, steps_of(module)[0])
    stall(learner, 100)
    send_learning_reminders.apply()
    assert mail.outbox == []
