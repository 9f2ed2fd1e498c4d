"""The day-before reminder to a workshop's participants, with the calendar file attached.

Each participant's row carries its marker (``reminder_sent_at``); a conditional UPDATE claims it
before the mail is sent, so only one run, and one worker, ever sends a given reminder.
"""

from datetime import datetime, timedelta

from django.core.mail import get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from kompetensverkstad.accounts.language import preferred_language
from kompetensverkstad.accounts.models import display_name
from kompetensverkstad.links import absolute_url
from kompetensverkstad.mail import send_templated_mail

from .calendar import session_ics
from .models import SessionParticipant, WorkshopSession

# Sessions starting within this window get their reminder (the task runs every quarter hour).
REMINDER_AHEAD = timedelta(hours=24)
REMINDER_BATCH = 500


def due_participants(now: datetime, limit: int = REMINDER_BATCH):
    """Participants of open sessions starting within a day who have not been reminded."""
    return (
        SessionParticipant.objects.filter(
            reminder_sent_at__isnull=True,
            session__status=WorkshopSession.Status.OPEN,
            session__starts_at__gt=now,
            session__starts_at__lte=now + REMINDER_AHEAD,
            user__is_active=True,
        )
        .filter(Q(user__profile__isnull=True) | Q(user__profile__receives_reminders=True))
        .exclude(user__email="")
        .select_related("session", "user", "user__profile")
        .order_by("session__starts_at", "pk")[:limit]
    )


def send_workshop_reminders(now: datetime | None = None) -> int:
    """Mail each due participant once; returns the number sent."""
    now = now or timezone.now()
    sent = 0
    calendars: dict[tuple[int, str], bytes] = {}
    connection = get_connection()
    with connection:
        for participant in due_participants(now):
            claimed = SessionParticipant.objects.filter(
                pk=participant.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=timezone.now())
            if not claimed:
                continue
            language = preferred_language(participant.user)
            # In the participant's language: the text, the date and the links.
            with translation.override(language):
                sent += _remind_participant(participant, calendars, language, connection)
    return sent


def _remind_participant(
    participant: SessionParticipant, calendars: dict, language: str, connection
) -> int:
    """Mail one participant whose reminder was claimed; the claim is given back on failure."""
    session, user = participant.session, participant.user
    url = absolute_url(reverse("workshops:my_session", args=[session.pk]))
    if (session.pk, language) not in calendars:
        calendars[session.pk, language] = session_ics(session, url)
    try:
        send_templated_mail(
            "workshop_reminder",
            {
                "name": display_name(user),
                "title": session.title,
                "when": date_format(timezone.localtime(session.starts_at), "l j F H:i"),
                "place": session.place,
                "meeting_url": session.meeting_url,
                "url": url,
                "profile_url": absolute_url(reverse("accounts:profile")),
            },
            to=[user.email],
            attachments=[
                (f"workshop-{session.pk}.ics", calendars[session.pk, language], "text/calendar")
            ],
            connection=connection,
        )
    except Exception:
        # Nothing went out: give the claim back so the next run tries again.
        SessionParticipant.objects.filter(pk=participant.pk).update(reminder_sent_at=None)
        raise
    return 1
