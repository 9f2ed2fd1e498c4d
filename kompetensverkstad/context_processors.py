"""The site navigation every page's header and footer show."""

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from .pages import StandardPage
from .routing import find_site, navigation, site_root


def site_navigation(request: HttpRequest) -> dict:
    """The home page and its menu children, for the header and footer on every page (one query
    with a cold cache, none with a warm one: kompetensverkstad/routing.py).

    Looked up only when a template reads them: the site's base template does, the admin's
    pages never do, and every admin page (a report, an editor's listing) paid the site lookup
    and the cache round trips for nothing.
    """
    found = SimpleLazyObject(lambda: _navigation(request))
    return {
        "site_root": SimpleLazyObject(lambda: found.get("site_root")),
        "nav_pages": SimpleLazyObject(lambda: found.get("nav_pages", [])),
        "footer_pages": SimpleLazyObject(lambda: found.get("footer_pages", [])),
    }


def _navigation(request: HttpRequest) -> dict:
    site = find_site(request)
    if site is None:
        return {}
    root = site_root(request, site)
    found = navigation(site, root, StandardPage)
    language = translation.get_language()
    if language != settings.LANGUAGE_CODE and found["footer_pages"]:
        found = {
            **found,
            "footer_pages": _with_translated_sections(found["footer_pages"], language),
        }
    return {"site_root": root, **found}


def _with_translated_sections(pages: list, language: str) -> list:
    """In a language other than the content's, a footer page with a section written in it (the
    accessibility statement in English) is linked to that section (``translated_section``): the
    interface's reader can find and read it. One query for the footer pages' bodies."""
    bodies = dict(
        StandardPage.objects.filter(pk__in=[page.pk for page in pages]).values_list("pk", "body")
    )
    for page in pages:
        body = bodies.get(page.pk) or []
        page.translated_section = next(
            (
                block.value
                for block in body
                if block.block_type == "language_section" and block.value["language"] == language
            ),
            None,
        )
    return pages
