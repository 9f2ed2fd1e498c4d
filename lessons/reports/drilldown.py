"""The drill-down: one municipality's staff and one module, a row per person with their state
per step and the date of completion. Status only — never an answer, never a worksheet.

A page is four queries whatever the number of people or steps: the steps, the page's profiles,
their progress on those steps, their completions. An export reads the same per chunk of people.
"""

from collections.abc import Iterator
from itertools import islice

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetensverkstad.accounts.models import Municipality, Profile, display_name

from ..learning.models import ModuleCompletion, StepProgress, StepState
from ..pages.modules import ModulePage, ModuleStep

User = get_user_model()

# People per chunk of an export: small enough that a chunk's rows stay well below the whole
# list's (the bench compares the export's peak memory with all rows held), large enough that
# the queries per chunk are few (two per hundred people).
CHUNK_SIZE = 100
# What a row needs of a person, in LearnerRow's order.
PERSON = (
    "user_id",
    "user__username",
    "user__first_name",
    "user__last_name",
    "user__email",
    "user__is_active",
    "job_title",
)


class LearnerRow:
    """Attributes ``step_<id>`` hold the state's label, so Wagtail's table and export read
    them like any other field."""

    def __init__(self, person: tuple, states: dict[int, str], completed_at) -> None:
        user_id, username, first_name, last_name, email, is_active, job_title = person
        self.pk = user_id
        # An unsaved user only to be named as everywhere else (display_name).
        self.name = display_name(
            User(username=username, first_name=first_name, last_name=last_name)
        )
        self.email = email
        self.job_title = job_title
        self.is_active = is_active
        self.completed_at = completed_at
        for step_id, label in states.items():
            setattr(self, f"step_{step_id}", label)

    @property
    def completed_display(self) -> str:
        if self.completed_at is None:
            return "–"
        # ISO date (Y-m-d) in local time, without Django's date formatter per row.
        return timezone.localtime(self.completed_at).date().isoformat()


def module_steps(module: ModulePage) -> list[ModuleStep]:
    return list(module.steps.select_related("page").order_by("sort_order", "pk"))


class LearnerRows:
    """One municipality's learners of one module, read as they are asked for.

    ``len()`` counts them; a slice (a page of the report) reads only those people with their
    progress and completions (three queries, whatever the number of learners); iterating (the
    export) reads them ``chunk_size`` at a time, so an export of thousands never holds more than
    a chunk of people and rows in memory.
    """

    def __init__(
        self,
        municipality: Municipality,
        module: ModulePage,
        steps: list[ModuleStep],
        chunk_size: int | None = None,
    ) -> None:
        self.municipality = municipality
        self.module = module
        self.step_ids = [s.pk for s in steps]
        self.chunk_size = chunk_size or CHUNK_SIZE
        self._count: int | None = None
        self._labels = {StepState.STARTED: _("Påbörjat"), StepState.COMPLETED: _("Klart")}
        self._not_started = _("Inte påbörjat")

    def profiles(self) -> QuerySet[Profile]:
        return Profile.objects.filter(municipality=self.municipality).order_by(
            "user__last_name", "user__first_name", "user__username", "user_id"
        )

    def people(self) -> QuerySet:
        # Plain tuples (PERSON), not profiles with their users: a profile and its user refer to
        # each other (select_related's caches), so a chunk of them would wait for the cyclic
        # garbage collector instead of being freed as soon as its rows are written.
        return self.profiles().values_list(*PERSON)

    def user_ids(self) -> Iterator[int]:
        """Every learner's id, read in chunks (the access log of an export)."""
        return (
            self.profiles().values_list("user_id", flat=True).iterator(chunk_size=self.chunk_size)
        )

    def count(self) -> int:
        if self._count is None:
            self._count = self.profiles().count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[LearnerRow]:
        if not isinstance(key, slice):
            raise TypeError("LearnerRows is read by slices (pages) or by iterating")
        return self._rows(list(self.people()[key]))

    def __iter__(self) -> Iterator[LearnerRow]:
        people = self.people().iterator(chunk_size=self.chunk_size)
        while chunk := list(islice(people, self.chunk_size)):
            yield from self._rows(chunk)

    def _rows(self, people: list[tuple]) -> list[LearnerRow]:
        user_ids = [person[0] for person in people]
        progress: dict[tuple[int, int], str] = {
            (user_id, step_id): state
            for user_id, step_id, state in StepProgress.objects.filter(
                user_id__in=user_ids, step_id__in=self.step_ids
            ).values_list("user_id", "step_id", "state")
        }
        completions = dict(
            ModuleCompletion.objects.filter(module=self.module, user_id__in=user_ids).values_list(
                "user_id", "completed_at"
            )
        )
        return [
            LearnerRow(
                person,
                {
                    step_id: self._labels.get(progress.get((person[0], step_id)), self._not_started)
                    for step_id in self.step_ids
                },
                completions.get(person[0]),
            )
            for person in people
        ]


def learner_rows(
    municipality: Municipality, module: ModulePage, steps: list[ModuleStep]
) -> LearnerRows:
    return LearnerRows(municipality, module, steps)
