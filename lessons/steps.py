"""Where a step page sits in its module, for the signed-in learner: position, state, neighbours."""

from dataclasses import dataclass, field

from django.http import HttpRequest
from wagtail.models import Page

from .models import ModulePage, ModuleStep
from .progress import StepProgress, StepState


@dataclass
class StepView:
    step: ModuleStep
    number: int
    state: str = ""  # "", "started" or "completed"
    progress: StepProgress | None = None

    @property
    def is_completed(self) -> bool:
        return self.state == StepState.COMPLETED


@dataclass
class ModuleProgress:
    module: ModulePage
    steps: list[StepView]
    current: StepView | None = None
    completion: object | None = None
    required_total: int = 0
    required_done: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def percent(self) -> int:
        if not self.required_total:
            return 0
        return round(100 * self.required_done / self.required_total)

    @property
    def previous(self) -> StepView | None:
        if self.current is None or self.current.number == 1:
            return None
        return self.steps[self.current.number - 2]

    @property
    def next(self) -> StepView | None:
        if self.current is None or self.current.number == len(self.steps):
            return None
        return self.steps[self.current.number]

    @property
    def next_unfinished(self) -> StepView | None:
        return next((s for s in self.steps if not s.is_completed and s.step.page_id), None)


def module_progress(module: ModulePage, user, current_page_id: int | None = None) -> ModuleProgress:
    """The module's steps with the user's state on each: two queries, whatever the size."""
    steps = list(module.steps.select_related("page").all())
    states: dict[int, StepProgress] = {}
    if user is not None and user.is_authenticated:
        states = {
            p.step_id: p
            for p in StepProgress.objects.filter(user=user, step__module=module).only(
                "step_id", "state", "watched_seconds", "completed_at"
            )
        }
    views = [
        StepView(
            step=s,
            number=i,
            state=states[s.pk].state if s.pk in states else "",
            progress=states.get(s.pk),
        )
        for i, s in enumerate(steps, start=1)
    ]
    current = next((v for v in views if v.step.page_id == current_page_id), None)
    required = [v for v in views if v.step.required]
    return ModuleProgress(
        module=module,
        steps=views,
        current=current,
        required_total=len(required),
        required_done=sum(v.is_completed for v in required),
    )


def step_context(request: HttpRequest, page: Page) -> dict:
    """Context for a lecture, worksheet or article page that is a step of a module.

    A page may be a step in several modules: ``?modul=<id>`` chooses; otherwise the module it
    lives under, otherwise the first one.
    """
    candidates = list(
        ModuleStep.objects.filter(page_id=page.pk).values_list("module_id", flat=True)
    )
    if not candidates:
        return {}
    modules = {m.pk: m for m in ModulePage.objects.live().filter(pk__in=candidates)}
    if not modules:
        return {}
    wanted = request.GET.get("modul", "")
    # isdigit() alone admits "²" and digit strings too long for int(): both raised a 500.
    module = (
        modules.get(int(wanted))
        if wanted.isascii() and wanted.isdigit() and len(wanted) < 19
        else None
    )
    if module is None:
        module = next((m for m in modules.values() if page.path.startswith(m.path)), None)
    if module is None:
        module = modules.get(candidates[0]) or next(iter(modules.values()))
    return {"module_progress": module_progress(module, request.user, current_page_id=page.pk)}
