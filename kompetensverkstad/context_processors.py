"""The site navigation every page's header and footer show."""

from django.http import HttpRequest
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
        "footer_pages": StandardPage.objects.child_of(root)
        .live()
        .public()
        .only("id", "title", "url_path", "path", "depth"),
    }
