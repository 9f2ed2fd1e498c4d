"""What pages of the layers below show from this app: the home page's featured modules, latest
lessons learned and project catalogue link, and where a learner is in a module on every step
page (the worksheet's included). As tags, so those pages' models need not know about lessons."""

from django import template
from django.db import models
from wagtail.models import Page

from kompetensverkstad.routing import public

from ..learning.navigation import ModuleProgress, module_progress, step_context
from ..pages.articles import LessonsLearnedPage
from ..pages.modules import FeaturedModule, ModulePage
from ..pages.projects import ProjectIndexPage

register = template.Library()


@register.simple_tag
def featured_modules(home: Page) -> list[ModulePage]:
    """The live modules lifted onto ``home`` with their images (one query) and the images'
    renditions (one more), whatever their number."""
    featured = (
        FeaturedModule.objects.filter(home=home)
        .select_related("page", "page__image")
        .prefetch_related("page__image__renditions")
    )
    return [f.page for f in featured if f.page.live]


@register.simple_tag
def latest_lessons_learned(count: int = 3) -> models.QuerySet:
    return public(LessonsLearnedPage.objects.live()).order_by("-first_published_at")[:count]


@register.simple_tag
def project_catalogue() -> ProjectIndexPage | None:
    return ProjectIndexPage.objects.live().first()


@register.simple_tag(takes_context=True)
def learner_progress(context: template.Context, page: Page) -> ModuleProgress | None:
    """For a module: its steps with the learner's state. For a step page: the same, plus where
    this page sits (``current``, ``previous``, ``next``). None for a page in no module."""
    request = context["request"]
    if isinstance(page, ModulePage):
        return module_progress(page, request.user)
    return step_context(request, page).get("module_progress")
