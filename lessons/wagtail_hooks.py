"""Admin wiring of the app, found by Wagtail under this name: the completion reports."""

from .reports import wagtail_hooks  # noqa: F401  (importing registers the hooks)
