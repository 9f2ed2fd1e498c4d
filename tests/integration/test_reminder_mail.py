"""Reminders sent by the real worker over SMTP to a local server (aiosmtpd), counted on arrival.

The worker runs in a thread of the test process, so the test's e-mail settings (SMTP to the
local server) are the worker's too; nothing reaches Django's in-memory outbox.
"""

import email
import socket
import threading
import time
from datetime import timedelta
from email import policy

import pytest
from django.core import mail
from django.utils import timezone

from kompetensverkstad.accounts.models import get_profile
from lessons.learning.models import ReminderSent, StepProgress
from lessons.learning.recording import record_step_completed
from lessons.learning.tasks import send_learning_reminders
from tests import factories
from tests.factories import Kind, build_module, steps_of

from .conftest import committed_db, running_worker, wait_for

aiosmtpd_controller = pytest.importorskip(
    "aiosmtpd.controller", reason="aiosmtpd (the test extras) is not installed"
)

TASK = "lessons.learning.tasks.send_learning_reminders"


class Inbox:
    """What the SMTP server accepted: one (recipients, message) per DATA."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def recipients(self) -> list[str]:
        with self.lock:
            return sorted(r for rcpt_tos, _ in self.messages for r in rcpt_tos)


@pytest.fixture
def smtp(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = aiosmtpd_controller.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()


def runs_finished(task_log: list[dict], count: int) -> list[dict]:
    runs = [entry for entry in task_log if entry["name"] == TASK]
    return runs if len(runs) >= count else []


@committed_db
def test_the_worker_mails_each_idle_learner_once_over_smtp(home, smtp, task_log):
    module = build_module(home, [Kind.ARTICLE, Kind.WORKSHEET], title="Vi blir fler")
    first = steps_of(module)[0]
    idle = [factories.UserFactory(email=f"idle{n}@example.org") for n in range(3)]
    busy = factories.UserFactory(email="busy@example.org")
    opted_out = factories.UserFactory(email="nej@example.org")
    profile = get_profile(opted_out)
    profile.receives_reminders = False
    profile.save()
    for user in (*idle, busy, opted_out):
        record_step_completed(user, first)
    StepProgress.objects.exclude(user=busy).update(updated_at=timezone.now() - timedelta(days=15))

    with running_worker():
        send_learning_reminders.delay()
        first_run = wait_for(lambda: runs_finished(task_log, 1), timeout=60, what="the first run")
        send_learning_reminders.delay()
        wait_for(lambda: runs_finished(task_log, 2), timeout=60, what="the second run")
        time.sleep(0.5)  # a stray third message would have arrived by now

    assert first_run[0]["retval"] == 3
    assert runs_finished(task_log, 2)[1]["retval"] == 0
    # One mail per idle learner, none twice, none to the busy or opted-out learner.
    assert smtp.recipients() == sorted(user.email for user in idle)
    assert len(smtp.messages) == 3
    for _recipients, message in smtp.messages:
        assert "Vi blir fler" in message["Subject"]
        assert steps_of(module)[1].page.url in message.get_body(("plain",)).get_content()
    assert ReminderSent.objects.filter(sent_at__isnull=False).count() == 3
    assert mail.outbox == []
    print(f"Reminders over SMTP: {len(smtp.messages)} mails for {len(idle)} idle learners")
