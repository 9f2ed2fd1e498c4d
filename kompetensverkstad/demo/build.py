"""What every demo builder shares: who publishes, what was created, and find-or-add for pages."""

from collections import Counter
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.management.base import CommandError
from wagtail.models import Page

from kompetensverkstad.models import SiteImage

from . import content
from .images import draw_placeholder, ensure_image

P = TypeVar("P", bound=Page)


@dataclass
class Build:
    """One run of load_demo: the publishing user and a tally of what this run created."""

    user: AbstractBaseUser | None = None
    created: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    _images: dict[str, SiteImage] = field(default_factory=dict)

    def image(self, key: str) -> SiteImage:
        """The generated image ``content.IMAGES[key]``, drawn the first time it is needed."""
        if key not in self._images:
            spec = content.IMAGES[key]
            image, created = ensure_image(
                spec["title"],
                spec["alt"],
                lambda: draw_placeholder(spec["text"], spec.get("subtitle", ""), spec["colours"]),
                "jpg",
            )
            self.created["bilder"] += created
            self._images[key] = image
        return self._images[key]


def find_or_add(parent: Page, model: type[P], slug: str, build: Callable[[], P]) -> tuple[P, bool]:
    """The child of ``parent`` with this slug, or a new one from ``build()`` added (not published).

    Looking up by slug under the parent, rather than by title, is what keeps a second run from
    adding a copy: slugs are unique among siblings, titles are not.
    """
    existing = Page.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        existing = existing.specific
        if not isinstance(existing, model):
            raise CommandError(
                f"Sidan ”{existing.title}” ({parent.url_path}{slug}/) finns redan men är en "
                f"{type(existing).__name__}, inte en {model.__name__}. Flytta eller byt namn på "
                "den och kör kommandot igen."
            )
        return existing, False
    page = build()
    page.slug = slug
    parent.add_child(instance=page)
    return page, True


def reload(page: P) -> P:
    """A fresh copy of ``page``: adding children changes its tree fields in the database only."""
    return type(page).objects.get(pk=page.pk)


def publish(page: Page, build: Build) -> None:
    """Publish ``page`` as the demo administrator, with one revision, like Wagtail's editor."""
    page.save_revision(user=build.user, log_action=True).publish(user=build.user)
    build.created["sidor"] += 1


def fresh(stream: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A copy of raw StreamField data from content.py.

    Wagtail writes each block's new id into the raw data it is given; a copy keeps content.py
    unchanged, so a second build in the same process (as in the tests) starts from clean data.
    """
    return deepcopy(stream)
