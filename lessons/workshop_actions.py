"""What happens to a workshop session: joining, attendance, sharing, cancelling, its session pack.

Each action is one database transaction. Attendance goes through the learner-path interface
(``record_step_completed``), so a marked participant's workshop step counts toward completing
the module exactly like any other finished step.
"""

import hashlib
import json
import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import models, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kompetensverkstad.documents import PdfDocument
from kompetensverkstad.queue import enqueue_on_commit

from .progress import CODE_ALPHABET, LearningEvent
from .tracking import record_step_completed, record_step_started
from .workshops import (
    JOIN_CODE_LENGTH,
    SessionParticipant,
    WorkshopSession,
    normalise_join_code,
)

logger = logging.getLogger(__name__)

# Trying codes: at most this many unknown codes per person and address in the window.
JOIN_ATTEMPTS_LIMIT = 10
JOIN_ATTEMPTS_WINDOW = 10 * 60


class JoinRefused(Exception):
    """Why a person cannot join: "cancelled", "full" or "trainer" (it is their own session)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- Finding a session by its code, with a limit on guessing -----------------------------------


def find_by_code(value: str) -> WorkshopSession | None:
    """The open session with this code; else the latest cancelled one, to say it is cancelled."""
    code = normalise_join_code(value)
    if len(code) != JOIN_CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return (
        WorkshopSession.objects.filter(join_code=code)
        .select_related("trainer")
        .order_by(
            models.Case(
                models.When(status=WorkshopSession.Status.OPEN, then=0),
                default=1,
            ),
            "-created_at",
        )
        .first()
    )


def _client_address(request: HttpRequest) -> str:
    # The same address django-axes counts sign-in attempts by (it knows about proxies).
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "") or "-"


def _attempts_key(request: HttpRequest) -> str:
    return f"workshop-join:{request.user.pk}:{_client_address(request)}"


def join_attempts_exceeded(request: HttpRequest) -> bool:
    return cache.get(_attempts_key(request), 0) >= JOIN_ATTEMPTS_LIMIT


def count_failed_attempt(request: HttpRequest) -> None:
    """Count an unknown code. Only misses count: opening one's own link again costs nothing,
    while guessing is almost all misses. The window starts with the first miss."""
    key = _attempts_key(request)
    cache.add(key, 0, JOIN_ATTEMPTS_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, JOIN_ATTEMPTS_WINDOW)


# --- Joining and sharing ---------------------------------------------------------------------


@transaction.atomic
def join_session(
    user: AbstractBaseUser, session: WorkshopSession
) -> tuple[SessionParticipant, bool]:
    """Take a seat. Returns (participant, created); joining twice keeps the one seat."""
    # The row lock makes the capacity check and the insert one step on PostgreSQL, so the last
    # seat is given once; SQLite runs one writer at a time anyway.
    session = WorkshopSession.objects.select_for_update().get(pk=session.pk)
    existing = SessionParticipant.objects.filter(session=session, user=user).first()
    if existing is not None:
        return existing, False
    if not session.is_open:
        raise JoinRefused("cancelled")
    if session.trainer_id == user.pk:
        raise JoinRefused("trainer")
    if session.participants.count() >= session.capacity:
        raise JoinRefused("full")
    participant = SessionParticipant.objects.create(session=session, user=user)
    # The workshop step is under way for the learner from now on ("Påbörjat" on their pages).
    for step in session.workshop_steps():
        record_step_started(user, step)
    return participant, True


def set_sharing(participant: SessionParticipant, shares: bool) -> bool:
    """The participant's choice for this session; returns True if it changed."""
    changed = (
        SessionParticipant.objects.filter(pk=participant.pk)
        .exclude(shares_answers=shares)
        .update(shares_answers=shares, shares_changed_at=timezone.now())
    )
    participant.shares_answers = shares
    return bool(changed)


def trainer_may_see_answers(trainer: AbstractBaseUser, learner_id: int, worksheet_id: int) -> bool:
    """True if ``learner`` shares with ``trainer`` in a session that covers the worksheet.

    Only the session's own trainer counts (not other trainers, not administrators): the
    learner chose to share with that person, for that session.
    """
    from .models import ModuleStep

    if not trainer.is_authenticated:
        return False
    shared = SessionParticipant.objects.filter(
        user_id=learner_id, shares_answers=True, session__trainer=trainer
    )
    module_ids = ModuleStep.objects.filter(
        page_id=worksheet_id, kind=ModuleStep.Kind.WORKSHEET
    ).values("module_id")
    return shared.filter(
        models.Q(session__worksheet_id=worksheet_id) | models.Q(session__module_id__in=module_ids)
    ).exists()


def may_download_shared_document(user: AbstractBaseUser, document: PdfDocument) -> bool:
    """A learner's worksheet PDF, for the trainer of a session the learner shares answers in."""
    if document.kind != PdfDocument.Kind.WORKSHEET or document.owner_id is None:
        return False
    from worksheets.responses import WorksheetResponse

    response = (
        WorksheetResponse.objects.filter(pk=document.source_id, user_id=document.owner_id)
        .only("worksheet_id")
        .first()
    )
    return response is not None and trainer_may_see_answers(
        user, document.owner_id, response.worksheet_id
    )


# --- Attendance ------------------------------------------------------------------------------


@transaction.atomic
def set_attendance(
    session: WorkshopSession, present_ids: set[int], marked_by: AbstractBaseUser
) -> tuple[int, int]:
    """Mark exactly ``present_ids`` (participant ids) as present. Returns (marked, unmarked).

    Every present participant gets the module's workshop steps completed (idempotent, so
    marking again also credits a workshop step added to the module later). Unmarking only
    changes the attendance list: the step stays completed and a completion already earned
    stays, because learning events are append-only and a certificate, once issued, must not
    silently disappear. A mistaken mark is corrected by an administrator.
    """
    steps = session.workshop_steps()
    now = timezone.now()
    marked = unmarked = 0
    participants = SessionParticipant.objects.select_for_update(of=("self",)).filter(
        session=session
    )
    for participant in participants.select_related("user"):
        present = participant.pk in present_ids
        if present and not participant.attended:
            participant.attended, participant.attended_at = True, now
            participant.save(update_fields=["attended", "attended_at"])
            marked += 1
        elif not present and participant.attended:
            participant.attended, participant.attended_at = False, None
            participant.save(update_fields=["attended", "attended_at"])
            unmarked += 1
        if present:
            for step in steps:
                record_step_completed(
                    participant.user,
                    step,
                    verb=LearningEvent.Verb.ATTENDED,
                    result={"session": session.pk},
                    context={"session": session.pk, "marked_by": marked_by.pk},
                )
    return marked, unmarked


# --- Cancelling ------------------------------------------------------------------------------


@transaction.atomic
def cancel_session(session: WorkshopSession) -> bool:
    """Cancel; the participants are told by mail after commit. False if already cancelled."""
    from .tasks import send_workshop_cancellation

    changed = WorkshopSession.objects.filter(
        pk=session.pk, status=WorkshopSession.Status.OPEN
    ).update(
        status=WorkshopSession.Status.CANCELLED,
        cancelled_at=timezone.now(),
        revision=models.F("revision") + 1,
        updated_at=timezone.now(),
    )
    session.refresh_from_db()
    if changed:
        enqueue_on_commit(send_workshop_cancellation, session.pk)
    return bool(changed)


def send_cancellation_emails(session_id: int) -> int:
    """Mail each participant not yet told. Safe to run again: each row is marked once sent."""
    session = (
        WorkshopSession.objects.filter(pk=session_id, status=WorkshopSession.Status.CANCELLED)
        .select_related("trainer")
        .first()
    )
    if session is None:
        return 0
    when = date_format(timezone.localtime(session.starts_at), "j F Y H:i")
    trainer = session.trainer.get_full_name() or session.trainer.get_username()
    sent = 0
    waiting = session.participants.filter(cancellation_sent_at__isnull=True).select_related("user")
    for participant in waiting:
        user = participant.user
        if user.email:
            send_mail(
                subject=_("Inställd: %(title)s") % {"title": session.title},
                message=_(
                    "Hej %(name)s!\n\nWorkshoppen ”%(title)s” den %(when)s är inställd. "
                    "Utbildaren %(trainer)s hör av sig om ett nytt tillfälle.\n\n"
                    "Dina workshoppar finns på Mina sidor: %(url)s\n\nVänliga hälsningar\n%(site)s"
                )
                % {
                    "name": user.get_full_name() or user.get_username(),
                    "title": session.title,
                    "when": when,
                    "trainer": trainer,
                    "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("dashboard"),
                    "site": settings.WAGTAIL_SITE_NAME,
                },
                from_email=None,
                recipient_list=[user.email],
            )
            sent += 1
        SessionParticipant.objects.filter(pk=participant.pk).update(
            cancellation_sent_at=timezone.now()
        )
    return sent


# --- The session pack ------------------------------------------------------------------------


def session_pack_hash(session: WorkshopSession) -> str:
    """Identifies the pack's content: the session, its material's revisions and who joined."""
    from wagtail.models import Page

    material = session.material
    page_ids = [material.pk]
    if session.module_id:
        page_ids += [s.page_id for s in session.module.steps.all() if s.page_id]
    revisions = dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "live_revision_id"))
    participants = [
        [p.user_id, p.name] for p in session.participants.select_related("user").order_by("pk")
    ]
    canonical = json.dumps(
        {
            "session": [
                session.title,
                session.starts_at.isoformat(),
                session.ends_at.isoformat(),
                session.place,
                session.meeting_url,
                session.capacity,
                session.note,
                session.join_code,
                session.status,
                session.trainer_id,
            ],
            "material": sorted(revisions.items()),
            "participants": participants,
            "count": len(participants),
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def request_session_pack(session: WorkshopSession) -> PdfDocument:
    """The session pack for the session as it is now; unchanged sessions reuse the file."""
    from kompetensverkstad.tasks import render_pdf

    with transaction.atomic():
        document, created = PdfDocument.objects.get_or_create(
            kind=PdfDocument.Kind.SESSION_PACK,
            source_id=session.pk,
            content_hash=session_pack_hash(session),
            defaults={"owner_id": session.trainer_id},
        )
        if created:
            enqueue_on_commit(render_pdf, document.pk)
    return document
