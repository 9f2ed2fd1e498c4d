"""The access log: a row each time a staff member opens a learner's personal data — who,
whose, what, when — shown in the admin and culled by its own retention period.

Higher layers log through ``log_access`` / ``log_access_many`` (the seam) and register the
kinds of access they log with ``register_access_kind`` in ``AppConfig.ready()``.

May import: the rest of the platform; nothing of ``worksheets`` or ``lessons``.
"""

from .record import access_kinds, log_access, log_access_many, register_access_kind

__all__ = ("access_kinds", "log_access", "log_access_many", "register_access_kind")
