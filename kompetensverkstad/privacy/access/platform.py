"""The kinds of access the platform itself logs: the user edit page in the Wagtail admin, a
PDF fetched by someone other than its owner, and an administrator's export of a person's data
(the export's admin view calls ``log_access(request, person, DATA_EXPORT)``)."""

from django.utils.translation import gettext_lazy as _

from .record import register_access_kind

USER_EDIT = "user_edit"
DOCUMENT = "document"
DATA_EXPORT = "data_export"


def register_kinds() -> None:
    register_access_kind(USER_EDIT, _("Användarkontot i administrationen"))
    register_access_kind(DOCUMENT, _("PDF-dokument"))
    register_access_kind(DATA_EXPORT, _("Export av personens uppgifter"))
