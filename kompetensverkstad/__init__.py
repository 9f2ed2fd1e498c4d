"""The platform, the lowest of the three layers: images, snippets, the home and information
pages, accounts, the PDF pipeline and the job queue.

May import: Django, Wagtail and the other libraries; nothing of ``worksheets`` or ``lessons``.
The apps built on it plug into its seams (the document-kind registry in ``pdfs.kinds``, the
pending-work registry in ``jobs.queue``) from their ``AppConfig.ready()``. Only the composition
root — ``settings/``, ``urls.py`` (by name), ``celery.py`` and the demo content with its
``load_demo`` command — sees every layer; import-linter (``make lint``) holds the line.
"""

from .celery import app as celery_app

__all__ = ("celery_app",)
