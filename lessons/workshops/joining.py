"""Joining a workshop session: finding it by its code (with a limit on guessing) and taking a
seat. One database transaction; the workshop step is under way for the learner from then on."""

import logging

from axes.helpers import get_client_ip_address
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import models, transaction
from django.http import HttpRequest

from ..learning.models import CODE_ALPHABET
from ..learning.recording import record_step_started
from .models import JOIN_CODE_LENGTH, SessionParticipant, WorkshopSession, normalise_join_code

logger = logging.getLogger(__name__)

# Trying codes: at most this many unknown codes per person and address in the window.
JOIN_ATTEMPTS_LIMIT = 10
JOIN_ATTEMPTS_WINDOW = 10 * 60


class JoinRefused(Exception):
    """Why a person cannot join: "cancelled", "full" or "trainer" (it is their own session)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
