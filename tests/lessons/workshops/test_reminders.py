"""The day-before reminder to workshop participants, with the calendar file attached."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from kompetensverkstad.accounts.models import get_profile
from lessons.workshops.models import SessionParticipant, WorkshopSession
from lessons.workshops.tasks import send_workshop_day_before_reminders
from tests import factories
from tests.conftest import make_site
from tests.factories import Kind, build_module


@pytest.fixture
def session(db):
    home = make_site()
    module = build_module(home, [Kind.ARTICLE, Kind.WORKSHOP], title="Vi blir fler")
    start = timezone.now() + timedelta(hours=20)
    return WorkshopSession.objects.create(
        trainer=factories.UserFactory(),
        module=module,
        title="Workshop i Växjö",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Stadshuset",
    )


def join(session, **fields):
    user = factories.UserFactory(**fields)
    SessionParticipant.objects.create(session=session, user=user)
    return user


def test_participants_get_one_reminder_with_the_calendar_file(session):
    join(session, email="a@example.org")
    join(session, email="b@example.org")

    assert send_workshop_day_before_reminders.apply().get() == 2
    assert send_workshop_day_before_reminders.apply().get() == 0

    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert name == f"workshop-{session.pk}.ics"
    assert mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in content
    assert "Workshop i Växjö" in mail.outbox[0].subject


def test_no_reminder_too_early_cancelled_deactivated_or_opted_out(session):
    inactive = join(session, email="c@example.org", is_active=False)
    opted_out = join(session, email="d@example.org")
    profile = get_profile(opted_out)
    profile.receives_reminders = False
    profile.save()
    send_workshop_day_before_reminders.apply()
    assert mail.outbox == []
    assert inactive.pk

    join(session, email="e@example.org")
    WorkshopSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() + timedelta(days=3), ends_at=timezone.now() + timedelta(days=4)
    )
    send_workshop_day_before_reminders.apply()
    WorkshopSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() + timedelta(hours=3),
        ends_at=timezone.now() + timedelta(hours=5),
        status=WorkshopSession.Status.CANCELLED,
    )
    send_workshop_day_before_reminders.apply()
    assert mail.outbox == []
