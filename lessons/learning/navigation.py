"""Where a learner is in a module: each step's state, the share done, the step before and after.

For the module page, "Mina sidor" and every step page (lecture, article, worksheet: the
``learner_progress`` template tag), so they all show the same thing.
"""

from dataclasses import dataclass, field

from django.http import HttpRequest
from wagtail.models import Page

from kompetensverkstad.links import absolute_url

from ..pages.modules import ModulePage, ModuleStep
from .models import StepProgress, StepState
from .rules import RuleResult, module_rule


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
    rule: RuleResult = field(default_factory=lambda: RuleResult(0, 0, False))

    # What the progress bar shows: the requirements of the one rule for "done" (rules.py).
    @property
    def required_total(self) -> int:
        return self.rule.total

    @property
    def required_done(self) -> int:
        return self.rule.done

    @property
    def percent(self) -> int:
        return self.rule.percent

    @property
    def total_minutes(self) -> int:
        return sum(v.step.estimated_minutes for v in self.steps)

    @property
    def required_minutes(self) -> int:
        return sum(v.step.estimated_minutes for v in self.steps if v.step.required)

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
    return ModuleProgress(
        module=module, steps=views, current=current, rule=module_rule(module, steps, states)
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


def absolute_page_url(page: Page) -> str:
    """A page's full URL for mail and learning records, read outside the site."""
    url = page.get_url() or page.url_path
    return url if "://" in url else absolute_url(url)
