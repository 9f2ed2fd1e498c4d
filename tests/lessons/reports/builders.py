"""A county's worth of learners, written in bulk: shared by the report tests and
scripts/bench_reports.py. Learner i of a municipality starts each module if i % 4 != 3,
completes it if i % 2 == 0, and attends its workshop if i % 3 == 0, so every count is known."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from kompetensverkstad.accounts.coordinators import COORDINATOR_GROUP, Coordinator
from kompetensverkstad.accounts.models import Municipality, Profile
from lessons.learning.models import ModuleCompletion, StepProgress, StepState
from lessons.models import ModulePage
from lessons.workshops.models import SessionParticipant, WorkshopSession
from tests import factories
from tests.factories import Kind, build_module

User = get_user_model()
JOB_TITLES = ("Handläggare", "Lärare", "Undersköterska", "")
START = timezone.make_aware(timezone.datetime(2026, 3, 2, 9, 0))


@dataclass
class County:
    municipalities: dict[str, Municipality]
    modules: list[ModulePage]
    per_municipality: int


def expected(n: int) -> dict[str, int]:
    """What the report must show for one municipality and module with ``n`` learners."""
    return {
        "invited": n,
        "started": sum(1 for i in range(n) if i % 4 != 3),
        "completed": sum(1 for i in range(n) if i % 2 == 0 and i % 4 != 3),
        "attended": sum(1 for i in range(n) if i % 3 == 0),
    }


def build_county(
    home,
    per_municipality: int,
    names: tuple[str, ...] = ("Kalmar", "Vimmerby"),
    modules: int = 1,
    batch_size: int = 2000,
    existing: list[ModulePage] | None = None,
) -> County:
    """``existing``: add learners to these modules instead of building new ones."""
    municipalities = {
        name: Municipality.objects.get_or_create(name=name, defaults={"county": "kalmar"})[0]
        for name in names
    }
    built = existing or [
        build_module(
            home,
            [Kind.LECTURE, Kind.ARTICLE, Kind.WORKSHOP],
            title=f"Modul {m + 1}",
            slug=f"modul-{m + 1}",
        )
        for m in range(modules)
    ]
    trainer = User.objects.filter(username="rapport-utbildare").first() or (
        factories.UserFactory(username="rapport-utbildare")
    )
    sessions = {
        module.pk: WorkshopSession.objects.filter(module=module).first()
        or WorkshopSession.objects.create(
            trainer=trainer,
            module=module,
            title=f"Workshop {module.title}",
            starts_at=START,
            ends_at=START + timedelta(hours=2),
        )
        for module in built
    }
    steps = {m.pk: list(m.steps.order_by("sort_order")) for m in built}
    password = make_password(None)
    users = [
        User(
            username=f"{name.lower()}-{i}",
            email=f"{name.lower()}-{i}@example.org",
            first_name=f"Person{i}",
            last_name=name,
            password=password,
            last_login=START if i % 5 != 4 else None,
        )
        for name in names
        for i in range(per_municipality)
    ]
    User.objects.bulk_create(users, batch_size=batch_size)
    users = list(
        User.objects.filter(username__in=[u.username for u in users]).order_by("last_name", "pk")
    )
    profiles, progress, completions, seats = [], [], [], []
    for index, user in enumerate(users):
        name = names[index // per_municipality]
        i = index % per_municipality
        profiles.append(
            Profile(
                user=user,
                municipality=municipalities[name],
                job_title=JOB_TITLES[i % len(JOB_TITLES)],
            )
        )
        for module in built:
            begun = START + timedelta(days=i % 7)
            if i % 4 != 3:
                done = i % 2 == 0
                for step in steps[module.pk]:
                    progress.append(
                        StepProgress(
                            user=user,
                            step=step,
                            state=StepState.COMPLETED if done else StepState.STARTED,
                            started_at=begun,
                            completed_at=begun + timedelta(days=2) if done else None,
                        )
                    )
                if done:
                    completions.append(
                        ModuleCompletion(
                            user=user,
                            module=module,
                            started_at=begun,
                            completed_at=begun + timedelta(days=2 + i % 3),
                            learner_name=user.get_full_name(),
                            module_title=module.title,
                        )
                    )
            if i % 3 == 0:
                seats.append(
                    SessionParticipant(
                        session=sessions[module.pk], user=user, attended=True, attended_at=START
                    )
                )
    Profile.objects.bulk_create(profiles, batch_size=batch_size)
    StepProgress.objects.bulk_create(progress, batch_size=batch_size)
    ModuleCompletion.objects.bulk_create(completions, batch_size=batch_size)
    SessionParticipant.objects.bulk_create(seats, batch_size=batch_size)
    return County(municipalities, built, per_municipality)


def make_coordinator(username: str, *municipalities: Municipality, password: str = ""):
    user = factories.UserFactory(username=username, first_name="Sam", last_name="Ordnare")
    if password:
        user.set_password(password)
        user.save()
    user.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    Coordinator.objects.create(user=user).municipalities.set(municipalities)
    return user
