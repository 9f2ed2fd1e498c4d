"""The kind of access the reports log: a coordinator's or administrator's drill-down to one
municipality's learners of one module (a row per learner shown or exported)."""

from django.utils.translation import gettext_lazy as _

from kompetensverkstad.privacy.access import register_access_kind

REPORT_LEARNERS = "report_learners"


def register_kinds() -> None:
    register_access_kind(REPORT_LEARNERS, _("Deltagarlista i genomföranderapporten"))
