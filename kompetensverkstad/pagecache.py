"""The cache of public pages for anonymous visitors, its purge, and the private headers of every
response to a signed-in person.

**What is cached.** A GET of a page Wagtail serves (``wagtail_serve``/``wagtail_serve_vtt``),
from a visitor who carries no session and no messages cookie, answered 200 without setting a
cookie (a page with a form sets the CSRF cookie), without ``Cache-Control: private``,
``no-store`` or ``no-cache`` and with no ``Vary`` beyond ``Cookie`` and ``Accept-Language``.
The key holds the scheme, host, full path with query string and the active language. A request
with a session cookie is never answered from the cache, so a signed-in person always gets their
own page; and a page rendered for a signed-in person is never stored.

**Purge: one generation for the whole cache.** Every key includes a generation token kept in the
cache; a change to content (publish, unpublish, move, delete of a page, a snippet, an image, a
view restriction, a site) replaces the token after the transaction commits, so every page is
rendered anew. Per-page keys would be cheaper to refill but wrong too easily: a title shows in
the menu and the breadcrumbs of every page below, a module on the home page and in its steps'
navigation, a project in the catalogue with its filters and pages; editors publish a few times a
day while readers read all day. A request reads the generation once, at its start, and stores
under it, so a page rendered from data read before a purge lands under the old generation that no
one reads any more. Higher layers register their non-page models shown on public pages with
``purge_on_change``.

**Redis away** is a miss (``kompetensverkstad.cache``): the page is rendered, nothing is stored.
A purge that could not reach Redis leaves old pages for at most ``KV_PAGE_CACHE_SECONDS``.

**Private responses.** Every response to a signed-in person gets ``Cache-Control: private,
no-store`` (kept if the view chose ``private``/``no-store`` itself) and ``Vary: Cookie``, so
neither a proxy nor the browser's disk keeps a personal page for the next person.
"""

import hashlib
import logging
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
CACHED_VIEWS = frozenset({"wagtail_serve", "wagtail_serve_vtt"})
HARMLESS_VARY = frozenset({"cookie", "accept-language", "accept-encoding"})
REFUSING_CACHE_CONTROL = ("private", "no-store", "no-cache")
# Header the response carries so a test (and an operator with curl) can tell a hit from a miss.
STATUS_HEADER = "X-Page-Cache"


def page_cache_seconds() -> int:
    return int(getattr(settings, "KV_PAGE_CACHE_SECONDS", 600))


# --- Generation and purge -----------------------------------------------------------------------


# The generation read once per request (the middleware opens a memo for each request), not once
# per cached piece: several round trips to Redis a page otherwise.
_request_memo: ContextVar[dict | None] = ContextVar("kv_page_generation", default=None)


def current_generation() -> str | None:
    """The token every page key includes now; None while the cache cannot be reached."""
    memo = _request_memo.get()
    if memo is not None and "generation" in memo:
        return memo["generation"]
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    if memo is not None:
        memo["generation"] = generation
    return generation


def purge_now() -> None:
    """Retire every cached page (and everything else keyed by the generation)."""
    generation = uuid.uuid4().hex
    cache.set(GENERATION_KEY, generation, None)
    memo = _request_memo.get()
    if memo is not None:  # the rest of this request sees the new generation too
        memo["generation"] = generation


def purge() -> None:
    """Purge once the current transaction commits (at once outside one).

    After commit, so no request can fill the new generation with what the database held before.
    """
    transaction.on_commit(purge_now)


def _purge_on_signal(sender, **kwargs) -> None:
    purge()


def _purge_on_page_delete(sender, instance, **kwargs) -> None:
    from wagtail.models import Page

    if isinstance(instance, Page):
        purge()


_watched: set[type[Model]] = set()


def purge_on_change(*models: type[Model]) -> None:
    """Purge the page cache whenever one of ``models`` is saved or deleted (the seam for the
    apps above: call it from ``AppConfig.ready()`` for models shown on public pages)."""
    for model in models:
        if model in _watched:
            continue
        _watched.add(model)
        post_save.connect(_purge_on_signal, sender=model, weak=False)
        post_delete.connect(_purge_on_signal, sender=model, weak=False)


def connect_signals() -> None:
    """Wagtail's page signals and the platform's own shared content (from ``ready()``)."""
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Site, get_page_models
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from .accounts.models import Municipality
    from .snippets import ContactPerson, Partner

    page_published.connect(_purge_on_signal, weak=False, dispatch_uid="pagecache-published")
    page_unpublished.connect(_purge_on_signal, weak=False, dispatch_uid="pagecache-unpublished")
    post_page_move.connect(_purge_on_signal, weak=False, dispatch_uid="pagecache-moved")
    # Deleting a page sends post_delete for its concrete class, whatever that is. Connected per
    # page class, not for every sender: a receiver for all senders would make Django fetch the
    # rows of every delete anywhere before deleting them (no fast delete for any model).
    for model in {Page, *get_page_models()}:
        post_delete.connect(
            _purge_on_page_delete,
            sender=model,
            weak=False,
            dispatch_uid=f"pagecache-deleted-{model._meta.label_lower}",
        )
    purge_on_change(
        Partner, ContactPerson, Municipality, get_image_model(), PageViewRestriction, Site
    )


# --- The middleware -----------------------------------------------------------------------------


def _may_use_cache(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    # Checked on the cookies, before any session is read: whoever carries a session may be
    # signed in, and a message waiting in a cookie is somebody's own.
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request: HttpRequest, generation: str) -> str:
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}|{get_language()}"
    return f"pagecache:{generation}:{hashlib.sha256(where.encode()).hexdigest()}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name not in CACHED_VIEWS:
        return False
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    # A form's CSRF token makes the CSRF middleware set its cookie, so this refuses those too.
    if response.cookies:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in REFUSING_CACHE_CONTROL):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= HARMLESS_VARY


def _mark_private(request: HttpRequest, response: HttpResponse) -> None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    patch_vary_headers(response, ("Cookie",))
    cache_control = response.get("Cache-Control", "").lower()
    if "no-store" in cache_control:
        patch_cache_control(response, private=True)
    else:
        patch_cache_control(response, private=True, no_store=True)


class PublicPageCacheMiddleware:
    """Serves anonymous visitors' public pages from the cache; marks signed-in responses private.

    Sits after ``LocaleMiddleware`` (the key holds the active language) and before anything that
    reads the session, so a hit costs two cache reads and no query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_memo.set({})
        try:
            return self._respond(request)
        finally:
            _request_memo.reset(token)

    def _respond(self, request: HttpRequest) -> HttpResponse:
        key = None
        if page_cache_seconds() > 0 and _may_use_cache(request):
            generation = current_generation()
            if generation is not None:
                key = _key(request, generation)
                cached = cache.get(key)
                if cached is not None:
                    cached[STATUS_HEADER] = "hit"
                    return cached
        response = self.get_response(request)
        _mark_private(request, response)
        if key is not None and _storable(request, response):
            response[STATUS_HEADER] = "miss"
            cache.set(key, response, page_cache_seconds())
        return response
