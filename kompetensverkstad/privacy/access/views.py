"""The access log in the admin (Rapporter → Åtkomstlogg): Wagtail's ``ReportView``, filterable
by who, whose, what and date, with its CSV and XLSX export. For those with the "view" right on
the log (superusers; an administrator may give it to a group, e.g. the data protection officer).
"""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from .models import AccessLogEntry
from .record import access_kinds

permission_policy = ModelPermissionPolicy(AccessLogEntry)


def _person_matches(prefix: str, value: str) -> Q:
    query = Q()
    for field in ("username", "email", "first_name", "last_name"):
        query |= Q(**{f"{prefix}__{field}__icontains": value})
    return query


def _what_choices() -> list[tuple[str, str]]:
    # Read when the form is built: the apps register their kinds at start-up.
    return sorted(((k, str(v)) for k, v in access_kinds().items()), key=lambda c: c[1])


class AccessLogFilterSet(WagtailFilterSet):
    actor = django_filters.CharFilter(
        label=_("Vem (namn, e-post eller användarnamn)"), method="filter_actor"
    )
    subject = django_filters.CharFilter(
        label=_("Vems uppgifter (namn, e-post eller användarnamn)"), method="filter_subject"
    )
    what = django_filters.ChoiceFilter(label=_("Vad"), choices=_what_choices)
    at = django_filters.DateFromToRangeFilter(label=_("När"), widget=DateRangePickerWidget)

    class Meta:
        model = AccessLogEntry
        fields = ["actor", "subject", "what", "at"]

    def filter_actor(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(_person_matches("actor", value.strip()))

    def filter_subject(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(_person_matches("subject", value.strip()))


class AccessLogView(ReportView):
    page_title = _("Åtkomstlogg")
    header_icon = "view"
    index_url_name = "kv_access_log"
    index_results_url_name = "kv_access_log_results"
    results_template_name = "kompetensverkstad/privacy/access_log_results.html"
    filterset_class = AccessLogFilterSet
    permission_policy = permission_policy
    any_permission_required = ["view"]
    paginate_by = 100
    export_filename = "atkomstlogg"
    list_export = [
        "at",
        "actor_name",
        "actor_email",
        "subject_name",
        "subject_email",
        "what_label",
        "detail",
    ]
    export_headings = {
        "at": _("När"),
        "actor_name": _("Vem"),
        "actor_email": _("E-post (vem)"),
        "subject_name": _("Vems uppgifter"),
        "subject_email": _("E-post (vems uppgifter)"),
        "what_label": _("Vad"),
        "detail": _("Närmare"),
    }
    columns = [
        DateColumn("at", label=_("När")),
        Column("actor_name", label=_("Vem")),
        Column("subject_name", label=_("Vems uppgifter")),
        Column("what_label", label=_("Vad")),
        Column("detail", label=_("Närmare")),
    ]

    def get_queryset(self) -> QuerySet:
        return AccessLogEntry.objects.select_related("actor", "subject").order_by("-at", "-pk")
