"""The access log's admin wiring: its report under Rapporter, and a row each time someone
opens another person's account in Wagtail's user editor (``before_edit_user``, which runs
after Wagtail's own permission check, so a refused request writes nothing)."""

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .platform import USER_EDIT
from .record import log_access
from .views import AccessLogView, permission_policy


class AccessLogMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return permission_policy.user_has_permission(request.user, "view")


@hooks.register("register_admin_urls")
def register_access_log_urls() -> list:
    return [
        path("atkomstlogg/", AccessLogView.as_view(), name="kv_access_log"),
        path(
            "atkomstlogg/resultat/",
            AccessLogView.as_view(results_only=True),
            name="kv_access_log_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_access_log_menu_item() -> MenuItem:
    return AccessLogMenuItem(
        _("Åtkomstlogg"), reverse("kv_access_log"), name="access-log", icon_name="view", order=60
    )


@hooks.register("before_edit_user")
def log_user_edit_page(request: HttpRequest, user) -> None:
    # Opening the page shows the person's data; saving it is the same visit, not a second one.
    if request.method == "GET":
        log_access(request, user, USER_EDIT)
