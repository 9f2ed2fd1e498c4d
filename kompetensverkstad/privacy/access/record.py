"""Writing the access log: the one call a view makes when a staff member opens someone's data.

``log_access(request, learner, "shared_answers", detail=session.title)`` writes one row;
``log_access_many`` one row per learner of a list (a report page). Opening one's own data is
not logged, nor is anything done by nobody signed in. Every ``what`` must be registered first
(``register_access_kind``), so the admin's filter names each kind in words.
"""

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from .models import AccessLogEntry

_KINDS: dict[str, str] = {}

Viewer = HttpRequest | AbstractBaseUser
Subject = AbstractBaseUser | int


def register_access_kind(key: str, label: str) -> None:
    """Name a kind of access (``label`` is shown in the admin); an app calls it in ready()."""
    if len(key) > AccessLogEntry._meta.get_field("what").max_length:
        raise ValueError(f"Access kind key too long: {key!r}")
    _KINDS[key] = label


def access_kinds() -> dict[str, str]:
    return dict(_KINDS)


def _viewer(request_or_user: Viewer) -> AbstractBaseUser | None:
    user = getattr(request_or_user, "user", request_or_user)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def _subject_id(subject: Subject) -> int:
    return subject if isinstance(subject, int) else subject.pk


def log_access_many(
    request_or_user: Viewer, subjects: Iterable[Subject], what: str, detail: str = ""
) -> int:
    """One row per subject that is not the viewer; returns the number written."""
    if what not in _KINDS:
        raise LookupError(f"Unregistered access kind {what!r}: call register_access_kind first")
    viewer = _viewer(request_or_user)
    if viewer is None:
        return 0
    subject_ids = {_subject_id(s) for s in subjects} - {viewer.pk}
    rows = [
        AccessLogEntry(actor_id=viewer.pk, subject_id=pk, what=what, detail=detail[:300])
        for pk in sorted(subject_ids)
    ]
    AccessLogEntry.objects.bulk_create(rows)
    return len(rows)


def log_access(request_or_user: Viewer, subject: Subject, what: str, detail: str = "") -> bool:
    """Log that the signed-in person (a request or a user) opened ``subject``'s data.

    Returns False when nothing was written: the viewer is nobody signed in, or the subject.
    """
    return log_access_many(request_or_user, [subject], what, detail) == 1
