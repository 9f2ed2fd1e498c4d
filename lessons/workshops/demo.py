"""The demo workshop for ``load_demo``: one session led by the demo trainer on the demo module,
with the demo learner signed up. Looked up by trainer and title, so a second run adds nothing."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from ..pages.modules import ModulePage, ModuleStep
from .models import SessionParticipant, WorkshopSession

DEMO_TITLE = "Vi blir fler – workshop i Kalmar"
DEMO_TRAINER = "utbildare"
DEMO_LEARNER = "larande"


def ensure_demo_session(created: dict | None = None) -> WorkshopSession | None:
    """The demo session, made if missing; None when the demo trainer or module is missing.

    ``created`` (load_demo's tally) gets "workshoppar" counted when a session is made.
    """
    users = get_user_model().objects
    trainer = users.filter(username=DEMO_TRAINER).first()
    module = (
        ModulePage.objects.live().filter(steps__kind=ModuleStep.Kind.WORKSHOP).first()
        or ModulePage.objects.live().first()
    )
    if trainer is None or module is None:
        return None
    session = WorkshopSession.objects.filter(trainer=trainer, title=DEMO_TITLE).first()
    if session is None:
        # Two weeks ahead on a Tuesday morning, from the day the demo is first loaded.
        day = timezone.localdate() + timedelta(days=14)
        day += timedelta(days=(1 - day.weekday()) % 7)
        starts = timezone.make_aware(datetime.combine(day, time(9, 0)))
        session = WorkshopSession.objects.create(
            trainer=trainer,
            module=module,
            title=DEMO_TITLE,
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            place="Kalmar stadshus, sal Kronan",
            capacity=12,
            note="Se gärna föreläsningen före workshoppen. Ta med något att skriva med.",
        )
        if created is not None:
            created["workshoppar"] += 1
    learner = users.filter(username=DEMO_LEARNER).first()
    if learner is not None:
        SessionParticipant.objects.get_or_create(session=session, user=learner)
    return session
