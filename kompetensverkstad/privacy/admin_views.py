"""Requests to close an account, in the Wagtail admin: the list, and carrying one out; and an
administrator's download of a person's data.

Only administrators (superusers) see them; a coordinator or editor gets 403.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView

from kompetensverkstad.accounts.models import display_name
from kompetensverkstad.admin_pages import AdminPageMixin

from .access import log_access
from .erasure import ErasureRefused, erase_user
from .export import build_zip
from .models import ErasureRequest

ADMIN_REASON = "Personens begäran, genomförd av administratör"
ADMIN_DELETE_REASON = "Raderad under Användare i administrationen"


def may_carry_out(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_superuser


class ErasureRequestsView(AdminPageMixin, TemplateView):
    template_name = "privacy/admin/erasure_requests.html"
    page_title = gettext_lazy("Begäranden om radering")
    header_icon = "bin"

    def may_open(self, user) -> bool:
        return may_carry_out(user)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["open_requests"] = ErasureRequest.objects.filter(
            state=ErasureRequest.State.REQUESTED
        ).select_related("user__profile__municipality")
        context["done"] = ErasureRequest.objects.exclude(
            state=ErasureRequest.State.REQUESTED
        ).select_related("carried_out_by")[:50]
        return context


@require_POST
def carry_out(request: HttpRequest, request_id: int) -> HttpResponse:
    if not may_carry_out(request.user):
        raise PermissionDenied
    asked = get_object_or_404(
        ErasureRequest, pk=request_id, state=ErasureRequest.State.REQUESTED, user__isnull=False
    )
    name = display_name(asked.user)
    try:
        erase_user(asked.user, reason=ADMIN_REASON, by=request.user)
    except ErasureRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("%(name)s är raderad.") % {"name": name})
    return redirect("kv_erasure_requests")


def erase_from_user_admin(request: HttpRequest, user) -> HttpResponse:
    """Wagtail's "delete user", done as an erasure (its own permission check has passed)."""
    name = display_name(user)
    try:
        erase_user(user, reason=ADMIN_DELETE_REASON, by=request.user)
    except ErasureRefused as refused:
        messages.error(request, str(refused))
        return redirect("wagtailusers_users:edit", user.pk)
    messages.success(request, _("%(name)s är raderad.") % {"name": name})
    return redirect("wagtailusers_users:index")


@require_GET
def export_person(request: HttpRequest, user_id: int) -> HttpResponse:
    """An administrator downloads a person's data (a subject access request made by letter or at
    the desk, or for an account that can no longer sign in): the same ZIP the learner gets,
    built at once for one person, and one row in the access log."""
    if not may_carry_out(request.user):
        raise PermissionDenied
    person = get_object_or_404(get_user_model(), pk=user_id)
    content = build_zip(person)
    log_access(request, person, "data_export")
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="uppgifter-{person.pk}-{timezone.localdate():%Y-%m-%d}.zip"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
