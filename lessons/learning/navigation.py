"""Where a learner is in a module: each step's state, the share done, the step before and after.

For the module page, "Mina sidor" and every step page (lecture, article, worksheet: the
``learner_progress`` template tag), so they all show the same thing.
"""

from dataclasses import dataclass, field

from django.db.models import F, FilteredRelation, Q, QuerySet
from django.http import HttpRequest
from wagtail.models import Page

from kompetensverkstad.links import absolute_url
from kompetensverkstad.routing import recall, remember

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


PROGRESS_FIELDS = ("id", "user_id", "step_id", "state", "watched_seconds", "completed_at")


def steps_with_progress(steps: QuerySet, user) -> tuple[list[ModuleStep], dict[int, StepProgress]]:
    """``steps`` and the user's progress on them in one query: a LEFT JOIN on the user's rows
    (at most one per step), read back as ``StepProgress`` rows with only these fields loaded."""
    if user is None or not user.is_authenticated:
        return list(steps), {}
    joined = steps.annotate(
        mine=FilteredRelation("progress", condition=Q(progress__user=user)),
        **{f"mine_{name}": F(f"mine__{name}") for name in PROGRESS_FIELDS},
    )
    rows = list(joined)
    states = {
        step.pk: StepProgress.from_db(
            StepProgress.objects.db,
            list(PROGRESS_FIELDS),
            [getattr(step, f"mine_{name}") for name in PROGRESS_FIELDS],
        )
        for step in rows
        if step.mine_id is not None
    }
    return rows, states


def progress_of(user, step_ids: list[int]) -> dict[int, StepProgress]:
    if user is None or not user.is_authenticated or not step_ids:
        return {}
    rows = StepProgress.objects.filter(user=user, step_id__in=step_ids).only(*PROGRESS_FIELDS)
    return {p.step_id: p for p in rows}


def module_progress(module: ModulePage, user, current_page_id: int | None = None) -> ModuleProgress:
    """The module's steps with the user's state on each: one query, whatever the size."""
    steps, states = steps_with_progress(module.steps.select_related("page").all(), user)
    return _progress(module, steps, states, current_page_id)


def _progress(
    module: ModulePage,
    steps: list[ModuleStep],
    states: dict[int, StepProgress],
    current_page_id: int | None,
) -> ModuleProgress:
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
    lives under, otherwise the first one. The steps of every live module holding the page come
    in one query with the modules and the learner's progress, whatever their size; the steps
    are then kept in the cache until the next publish, and the progress alone is asked for.
    """
    key = f"step-modules:{page.pk}"
    rows = recall(key)
    if rows is None:
        holding = ModulePage.objects.live().filter(steps__page_id=page.pk).values("pk")
        rows, states = steps_with_progress(
            ModuleStep.objects.filter(module__in=holding)
            .select_related("page", "module")
            .order_by("sort_order", "pk"),
            request.user,
        )
        # The steps are the same for everybody until the next publish; the learner's rows not.
        for step in rows:
            for name in PROGRESS_FIELDS:
                step.__dict__.pop(f"mine_{name}", None)
        remember(key, rows)
    else:
        states = progress_of(request.user, [s.pk for s in rows])
    if not rows:
        return {}
    modules = {s.module_id: s.module for s in rows}
    candidates = [s.module_id for s in rows if s.page_id == page.pk]
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
    steps = [s for s in rows if s.module_id == module.pk]
    return {"module_progress": _progress(module, steps, states, page.pk)}


def absolute_page_url(page: Page) -> str:
    """A page's full URL for mail and learning records, read outside the site."""
    url = page.get_url() or page.url_path
    return url if "://" in url else absolute_url(url)
