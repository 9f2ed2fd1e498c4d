"""The site's URLs (the composition root: the apps' URLs are included by name)."""

from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from kompetensverkstad import routing, views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sok/", views.search, name="search"),
    path("konto/", include("kompetensverkstad.accounts.urls")),
    path("mina-sidor/dokument/", include("kompetensverkstad.pdfs.urls")),
    path("workshop/", include("lessons.workshops.urls")),
    path("", include("lessons.learning.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", views.serve_media),
    ]

# Wagtail's URLs, in Wagtail's order, its serve view (last) on a route found in two queries
# (kompetensverkstad/routing.py); the pattern and name stay Wagtail's, so page URLs reverse as
# before and its other views (/_util/login/, ...) come first as they do there.
wagtail_patterns = [
    p for p in wagtail_urls.urlpatterns if getattr(p, "name", None) != "wagtail_serve"
]
urlpatterns += [
    # Wagtail's own pattern serves only paths of slugs ending in "/"; a lecture's WebVTT tracks
    # (".../textning.vtt", ".../kapitel.vtt") end in a file name, so they need this one.
    re_path(r"^((?:[\w\-]+/)+[\w\-]+\.vtt)$", routing.serve, name="wagtail_serve_vtt"),
    *wagtail_patterns,
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
]
