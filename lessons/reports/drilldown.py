"""The drill-down: one municipality's staff and one module, a row per person with their state
per step and the date of completion. Status only — never an answer, never a worksheet.

Four queries whatever the number of people or steps: the steps, the profiles, the progress
rows of those people on those steps, their completions.
"""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kompetensverkstad.accounts.models import Municipality, Profile, display_name

from ..learning.models import ModuleCompletion, StepProgress, StepState
from ..pages.modules import ModulePage, ModuleStep


class LearnerRow:
    """Attributes ``step_<id>`` hold the state's label, so Wagtail's table and export read
    them like any other field."""

    def __init__(self, profile: Profile, states: dict[int, str], completed_at) -> None:
        user = profile.user
        self.pk = user.pk
        self.name = display_name(user)
        self.email = user.email
        self.job_title = profile.job_title
        self.is_active = user.is_active
        self.completed_at = completed_at
        for step_id, label in states.items():
            setattr(self, f"step_{step_id}", label)

    @property
    def completed_display(self) -> str:
        if self.completed_at is None:
            return "–"
        return formats.date_format(timezone.localtime(self.completed_at), "Y-m-d")


def module_steps(module: ModulePage) -> list[ModuleStep]:
    return list(module.steps.select_related("page").order_by("sort_order", "pk"))


def learner_rows(
    municipality: Municipality, module: ModulePage, steps: list[ModuleStep]
) -> list[LearnerRow]:
    labels = {
        StepState.STARTED: _("Påbörjat"),
        StepState.COMPLETED: _("Klart"),
    }
    not_started = _("Inte påbörjat")
    profiles = list(
        Profile.objects.filter(municipality=municipality)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    step_ids = [s.pk for s in steps]
    progress: dict[tuple[int, int], str] = {
        (user_id, step_id): state
        for user_id, step_id, state in StepProgress.objects.filter(
            user__profile__municipality=municipality, step_id__in=step_ids
        ).values_list("user_id", "step_id", "state")
    }
    completions = dict(
        ModuleCompletion.objects.filter(
            module=module, user__profile__municipality=municipality
        ).values_list("user_id", "completed_at")
    )
    rows = []
    for profile in profiles:
        states = {
            step_id: labels.get(progress.get((profile.user_id, step_id)), not_started)
            for step_id in step_ids
        }
        rows.append(LearnerRow(profile, states, completions.get(profile.user_id)))
    return rows
