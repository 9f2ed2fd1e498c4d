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
    municipality = django_filters.ModelChoiceFilter(
        label=_("Kommun"), queryset=Municipality.objects.none(), method="no_op"
    )
    county = django_filters.ChoiceFilter(label=_("Län"), choices=[], method="no_op")
    module = django_filters.ModelChoiceFilter(
        label=_("Modul"), queryset=ModulePage.objects.none(), method="no_op"
    )
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
        municipalities = Municipality.objects.filter(pk__in=self.allowed).order_by("name")
        self.filters["municipality"].queryset = municipalities
        self.form.fields["municipality"].queryset = municipalities
        counties = dict(County.choices)
        present = sorted(
            set(municipalities.exclude(county="").values_list("county", flat=True)),
            key=lambda c: str(counties.get(c, c)),
        )
        county_choices = [(c, counties.get(c, c)) for c in present]
        self.filters["county"].extra["choices"] = county_choices
        self.form.fields["county"].choices = [("", "---------"), *county_choices]
        modules = ModulePage.objects.live().order_by("title")
        self.filters["module"].queryset = modules
        self.form.fields["module"].queryset = modules
        titles = (
            Profile.objects.filter(municipality__in=self.allowed)
            .exclude(job_title="")
            .values_list("job_title", flat=True)
            .distinct()
            .order_by("job_title")
        )
        title_choices = [(t, t) for t in titles]
        self.filters["job_title"].extra["choices"] = title_choices
        self.form.fields["job_title"].choices = [("", "---------"), *title_choices]
        self.form.fields["group_by"].initial = BY_MUNICIPALITY
        self.form.fields["group_by"].required = False

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
        if municipality is not None:
            ids = (municipality.pk,)
        module = data.get("module")
        period = data.get("period")
        return ReportFilter(
            municipality_ids=ids,
            module_ids=(module.pk,) if module is not None else None,
            county=data.get("county") or "",
            job_title=data.get("job_title") or "",
            start=_day(period.start) if period else None,
            end=_day(period.stop) if period else None,
            group_by=data.get("group_by") or BY_MUNICIPALITY,
        )
