"""Fictional staff with progress on the demo module, so the demo coordinator's report has
numbers: people in Kalmar (the coordinator's municipality) at every stage, and two in Västervik
whom a Kalmar coordinator must not see. None of them can sign in (no password is set).

Looked up by username, progress and completions under their unique constraints: a second run
adds nothing. The dates are counted back from the day the demo is first loaded.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from kompetensverkstad.accounts.models import Profile, display_name
from lessons.learning.models import ModuleCompletion, StepProgress, StepState
from lessons.pages.modules import ModulePage

from .accounts import _municipality
from .build import Build

# (username, first name, last name, municipality, job title, steps done, days ago).
# "steps done" None: every step, and the module completed that many days ago.
DEMO_STAFF = [
    ("demo-kalmar-1", "Sara", "Lindqvist", "Kalmar", "Socialsekreterare", None, 40),
    ("demo-kalmar-2", "Mohammed", "Al-Hassan", "Kalmar", "Socialsekreterare", None, 21),
    ("demo-kalmar-3", "Karin", "Ek", "Kalmar", "Lärare, SFI", None, 9),
    ("demo-kalmar-4", "Johan", "Strand", "Kalmar", "Handläggare, etablering", 2, 18),
    ("demo-kalmar-5", "Fatima", "Yusuf", "Kalmar", "Lärare, SFI", 1, 30),
    ("demo-kalmar-6", "Per", "Gustafsson", "Kalmar", "Handläggare, etablering", 0, 0),
    ("demo-vastervik-1", "Anna", "Björk", "Västervik", "Arbetsmarknadskonsulent", None, 12),
    ("demo-vastervik-2", "Ali", "Rahimi", "Västervik", "Arbetsmarknadskonsulent", 1, 5),
]


def ensure_demo_progress(build: Build) -> None:
    module = ModulePage.objects.live().filter(steps__isnull=False).distinct().first()
    if module is None:
        return
    steps = list(module.steps.order_by("sort_order"))
    users = get_user_model().objects
    now = timezone.now()
    for username, first, last, town, job_title, done, days_ago in DEMO_STAFF:
        user = users.filter(username=username).first()
        if user is None:
            user = users.create_user(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                password=None,
            )
            build.created["demopersonal"] += 1
        Profile.objects.get_or_create(
            user=user,
            defaults={"municipality": _municipality(town, build), "job_title": job_title},
        )
        when = now - timedelta(days=days_ago)
        for i, step in enumerate(steps[: len(steps) if done is None else done]):
            StepProgress.objects.get_or_create(
                user=user,
                step=step,
                defaults={
                    "state": StepState.COMPLETED,
                    "started_at": when - timedelta(days=3),
                    "completed_at": when - timedelta(hours=len(steps) - i),
                },
            )
        if done is None:
            ModuleCompletion.objects.get_or_create(
                user=user,
                module=module,
                defaults={
                    "completed_at": when,
                    "started_at": when - timedelta(days=3),
                    "learner_name": display_name(user),
                    "module_title": module.title,
                    "estimated_minutes": sum(s.estimated_minutes for s in steps),
                },
            )
