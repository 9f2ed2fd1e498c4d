"""Retention in the admin (Rapporter → Gallring): the dry run — how much of each kind would go
if the culling ran now — above the log of what the runs removed (counts only), with Wagtail's
CSV and XLSX export. For those who may see the run log (superusers, or a group given the right).
"""

import django_filters
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from .culling import preview
from .kinds import all_kinds
from .models import RetentionRun

permission_policy = ModelPermissionPolicy(RetentionRun)


def _kind_choices() -> list[tuple[str, str]]:
    return [(kind.name, str(kind.label)) for kind in all_kinds()]


class RetentionRunFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Slag"), choices=_kind_choices)
    started_at = django_filters.DateFromToRangeFilter(label=_("Körd"), widget=DateRangePickerWidget)

    class Meta:
        model = RetentionRun
        fields = ["kind", "started_at"]


class RetentionView(ReportView):
    page_title = _("Gallring")
    header_icon = "bin"
    index_url_name = "kv_retention"
    index_results_url_name = "kv_retention_results"
    results_template_name = "kompetensverkstad/privacy/retention_results.html"
    filterset_class = RetentionRunFilterSet
    permission_policy = permission_policy
    any_permission_required = ["view"]
    paginate_by = 100
    export_filename = "gallring"
    list_export = ["started_at", "kind_label", "period_days", "cutoff", "deleted", "complete"]
    export_headings = {
        "started_at": _("Körd"),
        "kind_label": _("Slag"),
        "period_days": _("Gallringsfrist (dagar)"),
        "cutoff": _("Gallrat till och med"),
        "deleted": _("Borttagna"),
        "complete": _("Allt gallrat"),
    }
    columns = [
        DateColumn("started_at", label=_("Körd")),
        Column("kind_label", label=_("Slag")),
        Column("period_days", label=_("Gallringsfrist (dagar)")),
        DateColumn("cutoff", label=_("Gallrat till och med")),
        Column("deleted", label=_("Borttagna")),
        BooleanColumn("complete", label=_("Allt gallrat")),
    ]

    def get_queryset(self) -> QuerySet:
        return RetentionRun.objects.order_by("-started_at", "kind")

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        if not self.is_export:
            # The dry run: the same queries the culling runs, counted; nothing is deleted.
            context["preview"] = preview()
            if self.request.user.has_perm("kompetensverkstad.change_retentionsettings"):
                context["settings_url"] = reverse(
                    "wagtailsettings:edit", args=["kompetensverkstad", "retentionsettings"]
                )
        return context
