"""A session as a calendar file (.ics, RFC 5545) for the participant's own calendar."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import WorkshopSession


def session_ics(session: WorkshopSession, url: str) -> bytes:
    """One event, in UTC; a cancelled session is sent as CANCELLED with a higher SEQUENCE."""
    # Imported here, not at the top: icalendar is 80 modules (~3 MB) that every worker and web
    # process would load at start for the few that send or serve a calendar file.
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.WAGTAIL_SITE_NAME}//Workshop//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    host = settings.WAGTAILADMIN_BASE_URL.split("//", 1)[-1].split("/", 1)[0] or "localhost"
    event.add("uid", f"workshop-{session.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", session.title)
    event.add("sequence", session.revision)
    location = ", ".join(v for v in (session.place, session.meeting_url) if v)
    if location:
        event.add("location", location)
    description = [session.note] if session.note else []
    if session.meeting_url:
        description.append(_("Länk till mötet: %(url)s") % {"url": session.meeting_url})
    description.append(_("Workshoppen på Kompetensverkstaden: %(url)s") % {"url": url})
    event.add("description", "\n\n".join(description))
    event.add("url", session.meeting_url or url)
    event.add("status", "CANCELLED" if not session.is_open else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()
