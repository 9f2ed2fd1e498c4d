"""Serving a page in few queries: routing by URL path, view restrictions and the site navigation
read once and kept in the cache (under the page cache's generation, so a purge renews them).

Wagtail routes ``/a/b/c/`` one level at a time: a query for each child and another for its
specific page, then two more for the view restrictions of the page and its ancestors. Here the
whole chain of pages along the path comes in one query (``url_path`` is the chain of slugs), the
page itself in a second with the relations its type names in ``serve_select_related`` (and those
in ``serve_prefetch_related`` in one more each); the result is kept in the cache under the page
cache's generation, so a purge renews it; Wagtail's
``serve`` then runs as usual on that route. Wherever a page on the way routes in its own way (a
``RoutablePageMixin`` page with sub-paths, like a lecture's ``textning.vtt``), routing continues
from that page with Wagtail's own ``route``; with Wagtail's localisation on, Wagtail routes alone.

The same query asks whether a restriction covers the page, so ``RestrictionsFromCache`` (a mixin
for the page models) answers ``get_view_restrictions`` without a query for a public page; and
``public`` filters a page query in SQL instead of Wagtail's ``.public()`` (a query each time).
"""

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.http import Http404, HttpRequest, HttpResponse
from wagtail.models import Page, PageViewRestriction, Site

from .pagecache import current_generation, page_cache_seconds

ANCESTORS_ATTR = "kv_page_ancestors"


_MISSING = object()


def _cached(name: str, build):
    """``build()`` kept in the cache under the current generation (built anew after a purge);
    built every time while the page cache is off (``KV_PAGE_CACHE_SECONDS=0``, as in tests)."""
    if page_cache_seconds() <= 0:
        return build()
    generation = current_generation()
    if generation is None:
        return build()
    key = f"pagecache:{generation}:{name}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(key, value, page_cache_seconds())
    return value


def recall(name: str):
    """What ``remember`` kept under ``name`` in the current generation, or None."""
    if page_cache_seconds() <= 0 or (generation := current_generation()) is None:
        return None
    return cache.get(f"pagecache:{generation}:{name}")


def remember(name: str, value) -> None:
    """Keep ``value`` (nobody's personal data) until the next purge or the page cache's time."""
    if page_cache_seconds() > 0 and (generation := current_generation()) is not None:
        cache.set(f"pagecache:{generation}:{name}", value, page_cache_seconds())


def find_site(request: HttpRequest) -> Site | None:
    """Wagtail's ``Site.find_for_request``, kept in the cache per host and port."""
    if not hasattr(request, "_wagtail_site"):
        host = f"{request.get_host()}|{request.get_port()}"
        digest = hashlib.sha256(host.encode()).hexdigest()[:32]
        request._wagtail_site = _cached(f"site:{digest}", lambda: Site.find_for_request(request))
    return request._wagtail_site


# --- View restrictions ------------------------------------------------------------------------


def covered_by_restriction() -> Exists:
    """True for a page in a restricted section: a restriction on it or on an ancestor (whose
    tree path is a prefix of its own), asked inside the page query itself."""
    return Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length("page__path"))
        )
    )


def public(pages: QuerySet) -> QuerySet:
    """Wagtail's ``.public()`` without its extra query (it lists every restriction first)."""
    return pages.exclude(covered_by_restriction())


class RestrictionsFromCache:
    """For page models: no query for the view restrictions of a page the routing found outside
    every restricted section (it asked in its own query); Wagtail's answer otherwise."""

    def get_view_restrictions(self) -> QuerySet:
        if getattr(self, "kv_restricted", None) is False and not self.alias_of_id:
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


# --- Routing ----------------------------------------------------------------------------------


def _default_route(page: Page) -> bool:
    model = ContentType.objects.get_for_id(page.content_type_id).model_class()
    return model is not None and model.route is Page.route


def _specific(page: Page) -> Page:
    model = ContentType.objects.get_for_id(page.content_type_id).model_class()
    if model is None:
        return page.specific
    related = getattr(model, "serve_select_related", ())
    prefetched = getattr(model, "serve_prefetch_related", ())
    if callable(prefetched):  # may name models defined after the page's
        prefetched = prefetched()
    return (
        model._default_manager.select_related(*related)
        .prefetch_related(*prefetched)
        .get(pk=page.pk)
    )


def route(request: HttpRequest, path: str):
    """Wagtail's ``RouteResult`` for ``path``, or None to let Wagtail route it itself."""
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return None
    site = find_site(request)
    if site is None:
        return None
    found = _cached_route(site, path)
    if found is None:
        return None
    chain, target, remaining = found
    setattr(request, ANCESTORS_ATTR, (target.pk, chain))
    # The last page found routes the rest (nothing, or a sub-path of a routable page).
    return target.route(request, remaining)


def _cached_route(site: Site, path: str):
    """``_find_chain`` kept in the cache under the generation, but only for a path that names a
    page (or a sub-path of a routable one): a made-up URL must not fill the cache."""
    if page_cache_seconds() <= 0 or (generation := current_generation()) is None:
        return _find_chain(site, path)
    key = f"pagecache:{generation}:route:{site.pk}:{hashlib.sha256(path.encode()).hexdigest()}"
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = _find_chain(site, path)
        if found is not None and (not found[2] or not _default_route(found[1])):
            cache.set(key, found, page_cache_seconds())
    return found


def _find_chain(site: Site, path: str):
    """The pages along ``path`` from the site's root, the last one specific, and what is left
    of the path below it; None where Wagtail must route."""
    root_path = next(
        (rp.root_path for rp in Site.get_site_root_paths() if rp.site_id == site.pk), None
    )
    if root_path is None:
        return None
    components = [c for c in path.split("/") if c]
    url_paths = [
        root_path + "".join(f"{c}/" for c in components[:i]) for i in range(len(components) + 1)
    ]
    found = list(
        Page.objects.filter(url_path__in=url_paths)
        .annotate(kv_restricted=covered_by_restriction())
        .order_by("depth")
    )
    by_url = {p.url_path: p for p in found}
    if len(by_url) != len(found) or root_path not in by_url:
        return None  # two pages on one URL path (another tree): Wagtail decides
    chain = [by_url[root_path]]
    if chain[0].pk != site.root_page_id:
        return None
    for url_path in url_paths[1:]:
        page = by_url.get(url_path)
        if (
            page is None
            or page.depth != chain[-1].depth + 1
            or not page.path.startswith(chain[-1].path)
        ):
            break
        chain.append(page)
    if not all(_default_route(p) for p in chain[:-1]):
        return None
    target = _specific(chain[-1])
    target.kv_restricted = chain[-1].kv_restricted
    if len(chain) > 1:
        target._cached_parent_obj = chain[-2]
    return chain, target, components[len(chain) - 1 :]


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's ``serve`` on a route found in two queries (see the module's docstring)."""
    # Not at the top: the page models import this module, and Wagtail's views need the models.
    from wagtail import views as wagtail_views

    if not hasattr(request, "_wagtail_route_for_request"):
        try:
            result = route(request, path)
        except Http404:
            request._wagtail_route_for_request = None
        else:
            if result is not None:
                request._wagtail_route_for_request = result
    return wagtail_views.serve(request, path)


def ancestors(request: HttpRequest | None, page: Page) -> list[Page]:
    """The live ancestors of ``page`` below Wagtail's root, from the routing when it found them."""
    routed = getattr(request, ANCESTORS_ATTR, None) if request is not None else None
    if routed is not None and routed[0] == page.pk:
        pages = routed[1][:-1]
    else:
        pages = list(page.get_ancestors())
    return [p for p in pages if p.live and p.depth > 1]


# --- The site navigation ----------------------------------------------------------------------


def site_root(request: HttpRequest, site: Site) -> Page:
    """The site's home page, from the routing when it passed through it."""
    routed = getattr(request, ANCESTORS_ATTR, None)
    if routed is not None and routed[1][0].pk == site.root_page_id:
        return routed[1][0]
    return site.root_page


def navigation(site: Site, root: Page, footer_model: type[Page]) -> dict[str, list[Page]]:
    """The header menu (live public children of the home page shown in menus) and the footer
    (its live public children of ``footer_model``): one query, kept in the cache."""

    def build() -> dict[str, list[Page]]:
        footer_type = ContentType.objects.get_for_model(footer_model).pk
        children = list(
            public(
                root.get_children()
                .live()
                .filter(Q(show_in_menus=True) | Q(content_type_id=footer_type))
                .only("id", "title", "url_path", "path", "depth", "show_in_menus", "content_type")
            )
        )
        return {
            "nav_pages": [p for p in children if p.show_in_menus],
            "footer_pages": [p for p in children if p.content_type_id == footer_type],
        }

    return _cached(f"navigation:{site.pk}:{root.pk}", build)
