"""Nudging a learner who started a module and then stopped: one e-mail per lull.

A learner is *idle* in a module when their last progress in it (the latest ``updated_at`` of
their step rows) lies more than the module's ``reminder_after_days`` back, the module is not
completed, the account is active and the profile has not turned reminders off. The lull is
named by that last activity (``ReminderSent.idle_since``): the marker row is claimed under a
unique constraint *before* the mail goes out, so running the task twice, two workers at once
or a worker killed after sending never mails twice (a crash between claim and send loses that
one nudge rather than risking a second).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from kompetensverkstad.accounts.language import in_language_of
from kompetensverkstad.accounts.models import display_name
from kompetensverkstad.links import absolute_url
from kompetensverkstad.mail import send_templated_mail

from ..pages.modules import ModulePage
from .models import ModuleCompletion, ReminderSent, StepProgress
from .navigation import absolute_page_url, module_progress

logger = logging.getLogger(__name__)

# Learners mailed per run and module at most; the next run (hourly) takes the rest.
REMINDER_BATCH = 200


@dataclass(frozen=True)
class Idle:
    user_id: int
    module_id: int
    idle_since: datetime


def wants_reminders() -> Q:
    """Active accounts whose profile has not turned reminders off (no profile: the default)."""
    return Q(is_active=True) & (Q(profile__isnull=True) | Q(profile__receives_reminders=True))


def idle_learners(module: ModulePage, now: datetime, limit: int = REMINDER_BATCH) -> list[Idle]:
    """Who should be nudged about ``module`` now: one grouped query, the markers excluded."""
    if module.reminder_after_days <= 0:
        return []
    cutoff = now - timedelta(days=module.reminder_after_days)
    users = get_user_model().objects.filter(wants_reminders())
    rows = (
        StepProgress.objects.filter(step__module=module, user__in=users)
        .exclude(user__module_completions__module=module)
        .values("user_id")
        .annotate(last=Max("updated_at"))
        .filter(last__lte=cutoff)
        .order_by("last", "user_id")
    )
    idle = []
    for row in rows.iterator(chunk_size=500):
        if ReminderSent.objects.filter(
            user_id=row["user_id"], module=module, idle_since=row["last"]
        ).exists():
            continue
        idle.append(Idle(row["user_id"], module.pk, row["last"]))
        if len(idle) >= limit:
            break
    return idle


def claim(idle: Idle) -> ReminderSent | None:
    """The marker for this lull, if this caller is the one to write it; None if taken."""
    try:
        with transaction.atomic():
            return ReminderSent.objects.create(
                user_id=idle.user_id, module_id=idle.module_id, idle_since=idle.idle_since
            )
    except IntegrityError:
        return None


def send_module_reminders(now: datetime | None = None) -> int:
    """Mail every idle learner of every live module once per lull; returns the number sent."""
    now = now or timezone.now()
    sent = 0
    connection = get_connection()
    with connection:
        for module in ModulePage.objects.live().filter(reminder_after_days__gt=0):
            for idle in idle_learners(module, now):
                sent += _remind(module, idle, connection)
    return sent


def _remind(module: ModulePage, idle: Idle, connection) -> int:
    user = (
        get_user_model()
        .objects.filter(wants_reminders(), pk=idle.user_id)
        .select_related("profile")
        .first()
    )
    # Checked again at send time: turning reminders off (or completing) holds at once.
    if user is None or not user.email:
        return 0
    if ModuleCompletion.objects.filter(user=user, module=module).exists():
        return 0
    marker = claim(idle)
    if marker is None:
        return 0
    progress = module_progress(module, user)
    target = progress.next_unfinished
    try:
        # In the learner's language: the text, and links to the pages in that language.
        with in_language_of(user):
            url = absolute_page_url(target.step.page if target and target.step.page else module)
            send_templated_mail(
                "module_reminder",
                {
                    "name": display_name(user),
                    "title": module.title,
                    "days": module.reminder_after_days,
                    "next_title": target.step.display_title if target else "",
                    "url": url,
                    "profile_url": absolute_url(reverse("accounts:profile")),
                },
                to=[user.email],
                connection=connection,
            )
    except Exception:
        # The server refused: nothing went out, so the claim is given back for the next run.
        ReminderSent.objects.filter(pk=marker.pk).delete()
        raise
    ReminderSent.objects.filter(pk=marker.pk).update(sent_at=timezone.now())
    return 1
