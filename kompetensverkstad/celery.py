"""The Celery app (the composition root: it knows where every layer keeps its tasks)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompetensverkstad.settings.dev")
# Celery's Django fixup runs the system checks as a worker starts, and the URL checks import the
# whole URLconf: every view, SAML (xmlschema), OIDC (authlib), the XLSX exports. That is 40 MB
# in the worker's main process and so in each child forked from it, for code no task runs. The
# checks run where they belong: `manage.py check` in `make test` and `migrate` at deploy. An
# operator who wants them in the worker sets CELERY_SKIP_CHECKS to an empty string.
os.environ.setdefault("CELERY_SKIP_CHECKS", "1")

app = Celery("kompetensverkstad")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each package that holds a tasks.py; Celery imports them when the app is finalised.
app.autodiscover_tasks(
    lambda: [
        "kompetensverkstad.jobs",
        "kompetensverkstad.accounts.federation",
        "kompetensverkstad.pdfs",
        "kompetensverkstad.privacy.retention",
        "lessons.learning",
        "lessons.workshops",
    ]
)
