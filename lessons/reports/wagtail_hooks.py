"""The reports in the admin: their URLs and an item under Wagtail's "Reports" menu, shown to
administrators and coordinators only."""

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from kompetensverkstad.accounts.coordinators import may_see_reports

from . import urls


class ReportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return may_see_reports(request.user)


@hooks.register("register_admin_urls")
def register_report_urls() -> list:
    return [path("rapporter/", include(urls, namespace="kv_reports"))]


@hooks.register("register_reports_menu_item")
def register_completion_report_menu_item() -> MenuItem:
    return ReportMenuItem(
        _("Genomförande"),
        reverse("kv_reports:completion"),
        name="completion-report",
        icon_name="table",
        order=50,
    )
