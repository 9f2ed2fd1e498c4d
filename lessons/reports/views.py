"""The report views: Wagtail's ``ReportView`` with its CSV and XLSX export, fed with rows
aggregated in the database (``queries``) and limited to the municipalities the person may see.

Both views answer 403 to anyone who is neither an administrator nor a coordinator, and 404 to a
coordinator who names a municipality or county that is not theirs, in the filters or the
drill-down's URL, so another municipality's rows are never shown or exported.
"""

import tempfile
from itertools import islice

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from kompetensverkstad.accounts.coordinators import may_see_reports
from kompetensverkstad.accounts.models import Municipality
from kompetensverkstad.privacy.access import log_access_many

from ..pages.modules import ModulePage
from .access import REPORT_LEARNERS
from .chart import completion_chart
from .columns import PlainColumn, PlainTable, PlainTitleColumn
from .drilldown import learner_rows, module_steps
from .filters import CompletionReportFilterSet
from .queries import BY_MUNICIPALITY, GROUPINGS, allowed_municipality_ids, completion_rows

# An export larger than this goes to a temporary file on disk while it is written and sent.
XLSX_IN_MEMORY = 256 * 1024


class StreamedXlsxMixin:
    """The XLSX export written to a temporary file and streamed from it.

    Wagtail's ``write_xlsx_response`` builds the workbook in a ``BytesIO``, so the whole file
    sits in memory until it is sent. openpyxl's write-only workbook already writes each row out
    as it comes; here the finished file stays on disk (in memory only while it is small) and
    ``FileResponse`` sends it in blocks.
    """

    def write_xlsx_response(self, queryset) -> FileResponse:
        output = tempfile.SpooledTemporaryFile(max_size=XLSX_IN_MEMORY)  # noqa: SIM115 (sent, then closed by FileResponse)
        self.write_xlsx(queryset, output)
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename=f"{self.get_filename()}.xlsx",
        )


class ReportAccessMixin:
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may_see_reports(request.user):
            raise PermissionDenied
        self.allowed = allowed_municipality_ids(request.user)
        return super().dispatch(request, *args, **kwargs)


def _drilldown_url(row) -> str | None:
    if row.municipality_id is None:
        return None
    return reverse("kv_reports:learners", args=[row.municipality_id, row.module_id])


class CompletionReportView(ReportAccessMixin, StreamedXlsxMixin, ReportView):
    page_title = gettext_lazy("Genomförande")
    header_icon = "table"
    template_name = "lessons/reports/completion_report.html"
    results_template_name = "lessons/reports/completion_report_results.html"
    index_url_name = "kv_reports:completion"
    index_results_url_name = "kv_reports:completion_results"
    filterset_class = CompletionReportFilterSet
    table_class = PlainTable
    paginate_by = 100
    export_filename = "genomforande"
    list_export = [
        "group_label",
        "module_title",
        "invited",
        "active",
        "started",
        "completed",
        "share_completed",
        "median_days",
        "attended",
    ]
    export_headings = {
        "group_label": gettext_lazy("Grupp"),
        "module_title": gettext_lazy("Modul"),
        "invited": gettext_lazy("Inbjudna"),
        "active": gettext_lazy("Aktiva"),
        "started": gettext_lazy("Påbörjat"),
        "completed": gettext_lazy("Slutfört"),
        "share_completed": gettext_lazy("Andel slutfört"),
        "median_days": gettext_lazy("Mediantid till slutfört (dagar)"),
        "attended": gettext_lazy("Deltog i workshop"),
    }

    def get_filterset_kwargs(self) -> dict:
        return {**super().get_filterset_kwargs(), "allowed": self.allowed}

    @cached_property
    def is_filtering(self) -> bool:
        # The grouping has a default; asking for nothing is not filtering.
        asked = set(self.request.GET) - {"export", self.page_kwarg, "_w_filter_fragment"}
        return bool(asked) and super().is_filtering

    @cached_property
    def report_filter(self):
        if self.filters.out_of_scope():
            raise Http404
        return self.filters.report_filter()

    def get_queryset(self):
        return completion_rows(self.report_filter)

    def filter_queryset(self, queryset):
        # The filters went into the grouped queries; the rows need no second pass.
        return queryset

    @cached_property
    def columns(self) -> list[Column]:
        group_label = GROUPINGS[self.report_filter.group_by]
        if self.report_filter.group_by == BY_MUNICIPALITY:
            first = PlainTitleColumn(
                "group_label",
                label=group_label,
                get_url=_drilldown_url,
                link_attrs={"data-report-drilldown": ""},
            )
        else:
            first = PlainColumn("group_label", label=group_label)
        return [
            first,
            PlainColumn("module_title", label=_("Modul")),
            PlainColumn("invited", label=_("Inbjudna")),
            PlainColumn("active", label=_("Aktiva")),
            PlainColumn("started", label=_("Påbörjat")),
            PlainColumn("completed", label=_("Slutfört")),
            PlainColumn("share_display", label=_("Andel slutfört")),
            PlainColumn("median_display", label=_("Mediantid till slutfört")),
            PlainColumn("attended", label=_("Deltog i workshop")),
        ]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        if not self.is_export:
            context["chart"] = completion_chart(list(context["object_list"]))
        return context


class LearnersReportView(ReportAccessMixin, StreamedXlsxMixin, ReportView):
    """One municipality's learners of one module: their state per step and completion date."""

    header_icon = "user"
    results_template_name = "lessons/reports/learners_results.html"
    table_class = PlainTable
    paginate_by = 100
    export_filename = "deltagare"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may_see_reports(request.user):
            raise PermissionDenied
        self.allowed = allowed_municipality_ids(request.user)
        if kwargs["municipality_id"] not in self.allowed:
            raise Http404
        self.municipality = get_object_or_404(Municipality, pk=kwargs["municipality_id"])
        self.module = get_object_or_404(ModulePage.objects.live(), pk=kwargs["module_id"])
        self.steps = module_steps(self.module)
        return super(ReportAccessMixin, self).dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return _("%(module)s i %(municipality)s") % {
            "module": self.module.title,
            "municipality": self.municipality.name,
        }

    def get_breadcrumbs_items(self) -> list[dict]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("kv_reports:completion"), "label": _("Genomförande")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_index_url(self) -> str:
        return reverse("kv_reports:learners", args=[self.municipality.pk, self.module.pk])

    def get_queryset(self):
        return learner_rows(self.municipality, self.module, self.steps)

    def decorate_paginated_queryset(self, object_list):
        # The people on the page shown, or every one exported: each gets a row in the access
        # log (who looked at whose progress), named by module and municipality, never by person.
        detail = f"{self.module.title} – {self.municipality.name}"
        if not self.is_export:
            log_access_many(self.request, [row.pk for row in object_list], REPORT_LEARNERS, detail)
            return object_list
        # The export (every learner): logged before a row is written, a chunk of ids at a time,
        # so neither the log nor the rows are ever all in memory at once.
        detail = f"{detail} ({_('export')})"
        user_ids = object_list.user_ids()
        while chunk := list(islice(user_ids, object_list.chunk_size)):
            log_access_many(self.request, chunk, REPORT_LEARNERS, detail)
        return object_list

    @cached_property
    def list_export(self) -> list[str]:
        return [
            "name",
            "email",
            "job_title",
            *(f"step_{s.pk}" for s in self.steps),
            "completed_at",
        ]

    @cached_property
    def export_headings(self) -> dict:
        return {
            "name": _("Namn"),
            "email": _("E-post"),
            "job_title": _("Yrkesroll"),
            **{f"step_{s.pk}": s.display_title for s in self.steps},
            "completed_at": _("Slutförd"),
        }

    @cached_property
    def columns(self) -> list[Column]:
        return [
            PlainColumn("name", label=_("Namn")),
            PlainColumn("job_title", label=_("Yrkesroll")),
            *(PlainColumn(f"step_{s.pk}", label=s.display_title) for s in self.steps),
            PlainColumn("completed_display", label=_("Slutförd")),
        ]
