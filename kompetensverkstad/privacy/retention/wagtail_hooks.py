"""Retention's admin wiring: the dry run and the run log under Rapporter → Gallring (the
periods themselves are a setting, under Inställningar → Gallring)."""

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import RetentionView, permission_policy


class RetentionMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return permission_policy.user_has_permission(request.user, "view")


@hooks.register("register_admin_urls")
def register_retention_urls() -> list:
    return [
        path("gallring/", RetentionView.as_view(), name="kv_retention"),
        path(
            "gallring/resultat/",
            RetentionView.as_view(results_only=True),
            name="kv_retention_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_retention_menu_item() -> MenuItem:
    return RetentionMenuItem(
        _("Gallring"), reverse("kv_retention"), name="retention", icon_name="bin", order=70
    )
