"""Wagtail wiring of the app, found by Wagtail under this name: the completion reports in the
admin, and the steps a learner launches by opening their pages."""

from .learning import wagtail_hooks as learning_hooks  # noqa: F401  (importing registers them)
from .reports import wagtail_hooks  # noqa: F401  (importing registers the hooks)
