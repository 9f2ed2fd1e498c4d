"""Admin wiring for the project package: municipalities as snippets, the user import, the
staff list, coordinators as snippets, identity providers with the identities linked to them, and
requests to close an account; the access log and
retention (their own hook modules, imported here because Wagtail looks for hooks in each app's
``wagtail_hooks`` only)."""

from django.forms import CheckboxSelectMultiple
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .accounts.admin_views import (
    ImportUsersView,
    StaffView,
    can_import_users,
    deactivate_staff,
    may_manage_staff,
    reactivate_staff,
)
from .accounts.coordinators import Coordinator
from .accounts.federation.models import FederatedIdentity, IdentityProvider
from .accounts.federation.tasks import refresh_saml_metadata
from .accounts.models import Municipality
from .jobs.queue import enqueue_on_commit
from .privacy.access import wagtail_hooks as access_log_hooks  # noqa: F401
from .privacy.admin_views import (
    ErasureRequestsView,
    carry_out,
    erase_from_user_admin,
    export_person,
    may_carry_out,
)
from .privacy.retention import wagtail_hooks as retention_hooks  # noqa: F401


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    icon = "site"
    menu_label = _("Kommuner")
    list_display = ["name", "county"]
    list_filter = ["county"]
    ordering = ["name"]


register_snippet(MunicipalityViewSet)


class CoordinatorViewSet(SnippetViewSet):
    """Administrators tie a coordinator to municipalities (and put them in ``Samordnare``)."""

    model = Coordinator
    icon = "user"
    menu_label = _("Samordnare")
    list_display = ["user", "municipality_names"]
    panels = [FieldPanel("user"), FieldPanel("municipalities", widget=CheckboxSelectMultiple)]


register_snippet(CoordinatorViewSet)


class ImportUsersMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return can_import_users(request.user)


class StaffMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return may_manage_staff(request.user)


@hooks.register("register_admin_urls")
def register_import_urls() -> list:
    return [
        path("importera-anvandare/", ImportUsersView.as_view(), name="kv_import_users"),
        path("personal/", StaffView.as_view(), name="kv_staff"),
        path("personal/<int:user_id>/avaktivera/", deactivate_staff, name="kv_staff_deactivate"),
        path("personal/<int:user_id>/aktivera/", reactivate_staff, name="kv_staff_reactivate"),
        path("radering/", ErasureRequestsView.as_view(), name="kv_erasure_requests"),
        path("radering/<int:request_id>/genomfor/", carry_out, name="kv_erasure_carry_out"),
        path("uppgifter/<int:user_id>/", export_person, name="kv_export_person"),
    ]


@hooks.register("register_admin_menu_item")
def register_staff_menu_item() -> MenuItem:
    return StaffMenuItem(
        _("Personal"), reverse("kv_staff"), name="staff", icon_name="user", order=640
    )


@hooks.register("register_admin_menu_item")
def register_import_menu_item() -> MenuItem:
    return ImportUsersMenuItem(
        _("Importera användare"),
        reverse("kv_import_users"),
        name="import-users",
        icon_name="group",
        order=650,
    )


class IdentityProviderViewSet(SnippetViewSet):
    """Administrators add the municipalities' identity providers (SAML 2.0 or OpenID Connect),
    with their organisation → municipality and role → group mappings."""

    model = IdentityProvider
    icon = "key"
    menu_label = _("Identitetsutgivare")
    list_display = ["name", "protocol", "enabled", "metadata_fetched_at", "metadata_error"]
    list_filter = ["protocol", "enabled"]


register_snippet(IdentityProviderViewSet)


class FederatedIdentityViewSet(SnippetViewSet):
    """Who is linked to which provider; an administrator unlinks by deleting a row."""

    model = FederatedIdentity
    icon = "link"
    menu_label = _("Federerade identiteter")
    list_display = ["user", "provider", "subject", "last_sign_in_at"]
    list_filter = ["provider"]
    panels = [FieldPanel("user"), FieldPanel("provider"), FieldPanel("subject")]


register_snippet(FederatedIdentityViewSet)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def refresh_saml_metadata_after_save(request: HttpRequest, instance) -> None:
    """A SAML provider's metadata is fetched as soon as an administrator saves it, so a wrong
    URL shows its error in the list at once rather than at the next beat."""
    if isinstance(instance, IdentityProvider) and instance.protocol == "saml":
        enqueue_on_commit(refresh_saml_metadata, instance.pk)


class ErasureMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return may_carry_out(request.user)


@hooks.register("register_admin_menu_item")
def register_erasure_menu_item() -> MenuItem:
    return ErasureMenuItem(
        _("Radering av konton"),
        reverse("kv_erasure_requests"),
        name="erasure-requests",
        icon_name="bin",
        order=660,
    )


@hooks.register("before_delete_user")
def delete_users_by_the_erasure_rules(request: HttpRequest, user) -> HttpResponse | None:
    """Wagtail's own "delete user" erases by the same rules as a request does (completions to
    anonymous counts, files deleted), instead of a bare delete that would drop them silently."""
    if request.method != "POST":
        return None
    return erase_from_user_admin(request, user)


@hooks.register("register_user_listing_buttons")
def export_person_button(user, request_user):
    """ "Ladda ner uppgifterna" beside each person in Användare, for administrators."""
    if may_carry_out(request_user):
        yield Button(
            _("Ladda ner uppgifterna"),
            reverse("kv_export_person", args=[user.pk]),
            icon_name="download",
            priority=90,
        )
