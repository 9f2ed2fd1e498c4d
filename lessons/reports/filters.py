"""The report's filters, read from the query string by django-filter (as Wagtail's reports do).

Choices are limited to what the person may see: a coordinator is offered only their own
municipalities and counties. A value outside those choices is not silently dropped: the view
answers 404 (``out_of_scope``), so asking for another municipality's rows gives nothing.
"""

from datetime import date, datetime

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from kompetensverkstad.accounts.models import County, Municipality, Profile

from ..pages.modules import ModulePage
from .queries import BY_MUNICIPALITY, GROUPINGS, ReportFilter


def _day(value: date | datetime | None) -> date | None:
    # django-filter turns the range into the start of the first day and the end of the last.
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


class CompletionReportFilterSet(WagtailFilterSet):
    group_by = django_filters.ChoiceFilter(
        label=_("Gruppera efter"),
        choices=list(GROUPINGS.items()),
        empty_label=None,
        method="no_op",
    )
    # Plain choices, not ModelChoiceFilters: the choices are read once here with the values the
    # options need, instead of the form's model iterator querying again (a server-side cursor
    # each on PostgreSQL) and building model instances for a few labels.
    municipality = django_filters.ChoiceFilter(label=_("Kommun"), choices=[], method="no_op")
    county = django_filters.ChoiceFilter(label=_("Län"), choices=[], method="no_op")
    module = django_filters.ChoiceFilter(label=_("Modul"), choices=[], method="no_op")
    job_title = django_filters.ChoiceFilter(label=_("Yrkesroll"), choices=[], method="no_op")
    period = django_filters.DateFromToRangeFilter(
        label=_("Slutförd mellan"), widget=DateRangePickerWidget, method="no_op"
    )

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, allowed=()):
        # The rows are not a queryset; django-filter wants one to hold, so it gets an empty one.
        if queryset is None:
            queryset = Profile.objects.none()
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.allowed = tuple(allowed)
        municipalities = list(
            Municipality.objects.filter(pk__in=self.allowed)
            .order_by("name")
            .values_list("pk", "name", "county")
        )
        self._choose("municipality", [(str(pk), name) for pk, name, _c in municipalities])
        counties = dict(County.choices)
        present = sorted(
            {county for _pk, _n, county in municipalities if county},
            key=lambda c: str(counties.get(c, c)),
        )
        self._choose("county", [(c, counties.get(c, c)) for c in present])
        modules = ModulePage.objects.live().order_by("title").values_list("pk", "title")
        self._choose("module", [(str(pk), title) for pk, title in modules])
        titles = (
            Profile.objects.filter(municipality__in=self.allowed)
            .exclude(job_title="")
            .values_list("job_title", flat=True)
            .distinct()
            .order_by("job_title")
        )
        self._choose("job_title", [(t, t) for t in titles])
        self.form.fields["group_by"].initial = BY_MUNICIPALITY
        self.form.fields["group_by"].required = False

    def _choose(self, name: str, choices: list[tuple]) -> None:
        self.filters[name].extra["choices"] = choices
        self.form.fields[name].choices = [("", "---------"), *choices]

    def no_op(self, queryset, name, value):
        # The rows are aggregated from the cleaned values (``report_filter``), not filtered.
        return queryset

    def out_of_scope(self) -> bool:
        """A municipality or county was asked for that is not among the person's choices."""
        if self.form.is_valid():
            return False
        return any(name in self.form.errors for name in ("municipality", "county"))

    def report_filter(self) -> ReportFilter:
        data = self.form.cleaned_data if self.form.is_valid() else {}
        ids = self.allowed
        municipality = data.get("municipality")
        if municipality:
            ids = (int(municipality),)
        module = data.get("module")
        period = data.get("period")
        return ReportFilter(
            municipality_ids=ids,
            module_ids=(int(module),) if module else None,
            county=data.get("county") or "",
            job_title=data.get("job_title") or "",
            start=_day(period.start) if period else None,
            end=_day(period.stop) if period else None,
            group_by=data.get("group_by") or BY_MUNICIPALITY,
        )
