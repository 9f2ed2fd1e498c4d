"""The site navigation every page's header and footer show."""

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from wagtail.models import Site

from .pages import StandardPage


def site_navigation(request: HttpRequest) -> dict:
    """The home page and its menu children, for the header and footer on every page."""
    site = Site.find_for_request(request)
    if site is None:
        return {}
    root = site.root_page
    return {
        "site_root": root,
        "nav_pages": root.get_children()
        .live()
        .in_menu()
        .public()
        .only("id", "title", "url_path", "path", "depth"),
        "footer_pages": _footer_pages(root),
    }


def _footer_pages(root) -> list[StandardPage]:
    """The information pages under the home page. In a language other than the content's, a page
    with a section written in it (the accessibility statement in English) is linked to that
    section (``translated_section``): the interface's reader can find and read it."""
    pages = StandardPage.objects.child_of(root).live().public()
    language = translation.get_language()
    if language == settings.LANGUAGE_CODE:
        return pages.only("id", "title", "url_path", "path", "depth")
    found = list(pages.only("id", "title", "url_path", "path", "depth", "body"))
    for page in found:
        page.translated_section = next(
            (
                block.value
                for block in page.body
                if block.block_type == "language_section" and block.value["language"] == language
            ),
            None,
        )
    return found
