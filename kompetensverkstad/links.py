"""Links the site hands out: where a form may send someone next, and absolute URLs for mail and
PDFs (which are read outside the site, so a path alone is not enough)."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The ``next`` the form carried (POST, else the query string) if it points into this
    site; otherwise ``fallback``. Keeps "return to where you were" from becoming an open
    redirect to another host or a ``javascript:`` URL."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """``path`` on this site as a full URL: from the request where there is one (the address
    the person used), else from ``WAGTAILADMIN_BASE_URL`` (tasks, mail, PDFs)."""
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
