"""The one rule for "done": what a module asks of a learner, and how much of it they have done.

The progress bar and the completion evaluation both call ``module_rule``, so a module never
shows 100 % without being complete, nor is completed while its bar shows less. A module asks for

* every required step to be completed;
* if it sets ``min_lecture_minutes``, that many minutes of its lectures actually played;
* if it ``requires_workshop``, a workshop step attended (counted once: a required workshop step
  already asks for it).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..pages.modules import ModulePage, ModuleStep
from .models import StepProgress


@dataclass(frozen=True)
class RuleResult:
    total: int  # requirements in all
    done: int  # requirements met
    complete: bool
    steps_only: bool = True  # every requirement is a required step (the bar can say "steg")

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.complete else 0
        return round(100 * self.done / self.total)


def module_rule(
    module: ModulePage,
    steps: Iterable[ModuleStep],
    progress: Mapping[int, StepProgress],
) -> RuleResult:
    """``progress`` maps step ids to the learner's rows (only the steps they have begun)."""
    steps = list(steps)
    completed = {sid for sid, p in progress.items() if p.is_completed}
    required = [s for s in steps if s.required]
    total = steps_total = len(required)
    done = sum(s.pk in completed for s in required)
    if module.min_lecture_minutes:
        total += 1
        watched = sum(
            progress[s.pk].watched_seconds
            for s in steps
            if s.kind == ModuleStep.Kind.LECTURE and s.pk in progress
        )
        done += watched >= module.min_lecture_minutes * 60
    workshops = [s for s in steps if s.kind == ModuleStep.Kind.WORKSHOP]
    if module.requires_workshop and not any(s.required for s in workshops):
        total += 1
        done += any(s.pk in completed for s in workshops)
    # A module without steps has nothing a learner could do, so it is never complete.
    return RuleResult(
        total=total,
        done=done,
        complete=bool(steps) and done == total,
        steps_only=total == steps_total,
    )
