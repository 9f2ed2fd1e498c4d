"""Admin wiring for the project package: municipalities as snippets, the user import."""

from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .accounts.admin_views import ImportUsersView, can_import_users
from .accounts.models import Municipality


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    icon = "site"
    menu_label = _("Kommuner")
    list_display = ["name", "county"]
    list_filter = ["county"]
    ordering = ["name"]


register_snippet(MunicipalityViewSet)


class ImportUsersMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return can_import_users(request.user)


@hooks.register("register_admin_urls")
def register_import_urls() -> list:
    return [path("importera-anvandare/", ImportUsersView.as_view(), name="kv_import_users")]


@hooks.register("register_admin_menu_item")
def register_import_menu_item() -> MenuItem:
    return ImportUsersMenuItem(
        _("Importera användare"),
        reverse("kv_import_users"),
        name="import-users",
        icon_name="group",
        order=650,
    )
