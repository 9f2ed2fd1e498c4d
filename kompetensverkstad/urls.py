"""The site's URLs (the composition root: the apps' URLs are included by name).

The site's pages answer in each of ``LANGUAGES``: Swedish, the default, without a prefix (its
addresses stay as they were), English under ``/en/``. The language lives in the address, not in a
cookie, so a page is one URL per language (links, caches and search engines tell them apart).
The admin, documents and media are outside the prefix: the admin follows each editor's own
language setting, and a file is the same in every language.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from kompetensverkstad import routing, views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Outside the language prefix: identity providers know these addresses (the SAML service
    # provider's metadata, assertion consumer and logout, the OIDC redirect URI), so each has one.
    path("konto/", include("kompetensverkstad.accounts.federation.urls")),
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
urlpatterns += i18n_patterns(
    path("sok/", views.search, name="search"),
    path("konto/", include("kompetensverkstad.accounts.urls")),
    path("mina-sidor/dokument/", include("kompetensverkstad.pdfs.urls")),
    path("mina-sidor/mina-uppgifter/", include("kompetensverkstad.privacy.urls")),
    path("workshop/", include("lessons.workshops.urls")),
    path("", include("lessons.learning.urls")),
    # Wagtail's own pattern serves only paths of slugs ending in "/"; a lecture's WebVTT tracks
    # (".../textning.vtt", ".../kapitel.vtt") end in a file name, so they need this one.
    re_path(r"^((?:[\w\-]+/)+[\w\-]+\.vtt)$", routing.serve, name="wagtail_serve_vtt"),
    *wagtail_patterns,
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
    prefix_default_language=False,
)
