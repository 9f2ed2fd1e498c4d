"""The kinds of access the platform itself logs — the user edit page in the Wagtail admin, a
PDF fetched by someone other than its owner, and an administrator's export of a person's data
(the export's admin view calls ``log_access(request, person, DATA_EXPORT)``) — and the access
log's own rule in the registry of personal data."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from ..registry import DataRule, Erasure, register
from .models import AccessLogEntry
from .record import register_access_kind

USER_EDIT = "user_edit"
DOCUMENT = "document"
DATA_EXPORT = "data_export"


def export_access_log(user: AbstractBaseUser) -> list[dict]:
    """When the person's data was opened by staff, and what: the kind and the thing, not the
    staff member's name (the administrator answers for who, from the admin's log)."""
    return [
        {"what": entry.what_label, "detail": entry.detail, "at": entry.at.isoformat()}
        for entry in AccessLogEntry.objects.filter(subject=user).order_by("at", "pk")
    ]


def register_kinds() -> None:
    register_access_kind(USER_EDIT, _("Användarkontot i administrationen"))
    register_access_kind(DOCUMENT, _("PDF-dokument"))
    register_access_kind(DATA_EXPORT, _("Export av personens uppgifter"))
    register(
        DataRule(
            AccessLogEntry,
            Erasure.KEEP,
            user_field="subject",
            section="access_log",
            export=export_access_log,
            why=(
                "Staff access stays as the staff member's accountability until the access "
                "log's own retention period ends; both people's links are cleared (SET_NULL), "
                "so the row names nobody who is gone, and the detail never names the learner."
            ),
        )
    )
