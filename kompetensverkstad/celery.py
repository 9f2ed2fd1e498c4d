"""The Celery app (the composition root: it knows where every layer keeps its tasks)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompetensverkstad.settings.dev")

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
