"""The site navigation every page's header and footer show."""

from django.http import HttpRequest

from .pages import StandardPage
from .routing import find_site, navigation, site_root


def site_navigation(request: HttpRequest) -> dict:
    """The home page and its menu children, for the header and footer on every page (one query
    with a cold cache, none with a warm one: kompetensverkstad/routing.py)."""
    site = find_site(request)
    if site is None:
        return {}
    root = site_root(request, site)
    return {"site_root": root, **navigation(site, root, StandardPage)}
