"""Settings of the page benchmark's server (scripts/bench_pages.py): production, unchanged but for
the URLconf with the trivial reference view, and static files in the benchmark's own folder
(manifest without compression: pages only need the manifest's names, and compressing Wagtail's
admin files would take most of a quick run)."""

import os

from kompetensverkstad.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench_pages_urls"
STATIC_ROOT = os.environ["KV_BENCH_STATIC_ROOT"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
# The load comes from loopback without a TLS proxy in front (production.py expects one).
SECURE_PROXY_SSL_HEADER = None
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
