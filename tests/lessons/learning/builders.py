"""Modules with steps of every kind, built the way an editor would: shared by learning tests,
integration tests and scripts/bench.py."""

from lessons.models import ModulePage, ModuleStep
from tests import factories

Kind = ModuleStep.Kind

PAGE_FACTORIES = {
    Kind.LECTURE: factories.LecturePageFactory,
    Kind.ARTICLE: factories.LessonsLearnedPageFactory,
    Kind.WORKSHEET: factories.WorksheetPageFactory,
}


def build_module(parent, kinds: list[str], *, optional: set[int] = frozenset(), **fields):
    """A live module under ``parent`` with one step per kind (and a page for each but workshops).

    ``optional`` holds the 0-based positions of steps that are not required.
    """
    module = factories.ModulePageFactory(parent=parent, **fields)
    for i, kind in enumerate(kinds):
        page = None
        title = ""
        if kind == Kind.WORKSHOP:
            title = f"Workshop {i + 1}"
        else:
            page = PAGE_FACTORIES[kind](parent=module, title=f"Steg {i + 1}: {kind}")
        factories.ModuleStepFactory(
            module=module,
            kind=kind,
            page=page,
            title=title,
            required=i not in optional,
            sort_order=i,
        )
    return ModulePage.objects.get(pk=module.pk)


def steps_of(module: ModulePage) -> list[ModuleStep]:
    return list(module.steps.select_related("page", "module").order_by("sort_order"))
