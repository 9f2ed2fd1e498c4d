"""The Celery app (the composition root: it knows where every layer keeps its tasks)."""

import os

from celery import Celery, Task
from celery.signals import task_postrun, task_prerun, worker_process_init

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


# Set in the children of a prefork worker (the production pool), which keep their connections.
_pool_process = False


@worker_process_init.connect(weak=False, dispatch_uid="kv_mark_pool_process")
def _mark_pool_process(**kwargs) -> None:
    global _pool_process
    _pool_process = True


@task_prerun.connect(weak=False, dispatch_uid="kv_close_connections_before")
@task_postrun.connect(weak=False, dispatch_uid="kv_close_connections_after")
def _close_connections(sender: Task | None = None, **kwargs) -> None:
    """Around each task in a prefork child, what Django does around each request: close the
    connections older than CONN_MAX_AGE or broken (CELERY_DB_REUSE_MAX keeps the fixup from
    closing them all). Other pools (threads, in the tests) close them all, as Celery did: a
    thread's connections would outlive it."""
    if sender is None or getattr(sender.request, "is_eager", False):
        # Run in-process (tests, a site without a broker): inside someone's transaction.
        return
    from django.db import close_old_connections, connections

    if _pool_process:
        close_old_connections()
    else:
        connections.close_all()
