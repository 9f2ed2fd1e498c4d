"""Wagtail admin views of the project package: importing staff accounts from a CSV file, and
the staff list where coordinators and administrators deactivate accounts."""

from django import forms
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from kompetensverkstad.admin_pages import AdminPageMixin

from .coordinators import is_coordinator, visible_municipalities
from .importing import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    CsvFileError,
    Outcome,
    import_users,
    read_rows,
    send_invitations,
)
from .models import Municipality, Profile


def can_import_users(user: AbstractBaseUser) -> bool:
    """Administrators for every municipality; coordinators for their own (see ``scope``)."""
    return user.is_active and (
        user.is_superuser or user.has_perm("auth.add_user") or is_coordinator(user)
    )


def import_scope(user: AbstractBaseUser) -> QuerySet[Municipality] | None:
    """None: any municipality (holders of "add user"); else the coordinator's own."""
    if user.is_superuser or user.has_perm("auth.add_user"):
        return None
    return visible_municipalities(user)


class ImportUsersForm(forms.Form):
    csv_file = forms.FileField(
        label=_("CSV-fil"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,text/plain"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Formatted here, not at import, so the text follows the request's language.
        self.fields["csv_file"].help_text = _(
            "UTF-8, komma- eller semikolonavgränsad, med rubrikraden namn,e-post,kommun. "
            "Högst %(size)s MB och %(rows)s personer."
        ) % {"size": MAX_FILE_BYTES // (1024 * 1024), "rows": MAX_ROWS}

    def clean_csv_file(self) -> UploadedFile:
        upload = self.cleaned_data["csv_file"]
        # Checked before reading, so an oversized upload is never loaded into memory.
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("Filen är för stor. Den får vara högst %(size)s MB.")
                % {"size": MAX_FILE_BYTES // (1024 * 1024)},
                code="too_large",
            )
        return upload


class ImportUsersView(AdminPageMixin, FormView):
    form_class = ImportUsersForm
    template_name = "kompetensverkstad/admin/import_users.html"
    page_title = _("Importera användare")
    header_icon = "group"

    def may_open(self, user) -> bool:
        return can_import_users(user)

    def form_valid(self, form: ImportUsersForm) -> HttpResponse:
        try:
            rows = read_rows(form.cleaned_data["csv_file"].read())
        except CsvFileError as error:
            form.add_error("csv_file", str(error))
            return self.form_invalid(form)
        report = import_users(rows, import_scope(self.request.user))
        send_invitations(report, self.request)
        # The results are shown at once rather than after a redirect: they are the receipt of
        # this import, and sending the same file again only reports every row as existing.
        return self.render_to_response(
            self.get_context_data(form=ImportUsersForm(), report=report, outcomes=Outcome)
        )


# A municipality may have thousands of staff; the list shows them a page at a time.
STAFF_PER_PAGE = 50


def may_manage_staff(user: AbstractBaseUser) -> bool:
    return user.is_active and (user.is_superuser or is_coordinator(user))


class StaffView(AdminPageMixin, TemplateView):
    """The staff of the municipalities a person answers for, a page at a time, each with a button
    to deactivate (or reactivate) their account."""

    template_name = "kompetensverkstad/admin/staff.html"
    page_title = _("Personal")
    header_icon = "group"

    def may_open(self, user) -> bool:
        return may_manage_staff(user)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        profiles = (
            Profile.objects.filter(municipality__in=visible_municipalities(self.request.user))
            .select_related("user", "municipality")
            .order_by("municipality__name", "user__last_name", "user__first_name", "pk")
        )
        page = Paginator(profiles, STAFF_PER_PAGE).get_page(self.request.GET.get("p"))
        context["profiles"] = page
        context["page_obj"] = page
        context["elided_page_range"] = page.paginator.get_elided_page_range(page.number)
        return context


def _staff_member(request: HttpRequest, user_id: int) -> AbstractBaseUser:
    """One person of the municipalities ``request.user`` answers for (404 for anyone else's);
    never an administrator nor oneself."""
    if not may_manage_staff(request.user):
        raise PermissionDenied
    profile = get_object_or_404(
        Profile.objects.select_related("user"),
        user_id=user_id,
        municipality__in=visible_municipalities(request.user),
    )
    person = profile.user
    if person.is_superuser or person.pk == request.user.pk:
        raise PermissionDenied
    return person


def _back_to_the_list(request: HttpRequest) -> HttpResponse:
    # Back to the page of the list the button was on.
    page = request.POST.get("p", "")
    url = reverse("kv_staff")
    return redirect(f"{url}?p={page}" if page.isdigit() and len(page) < 9 else url)


@require_POST
def deactivate_staff(request: HttpRequest, user_id: int) -> HttpResponse:
    """Deactivate one person of the coordinator's municipalities (404 for anyone else's)."""
    person = _staff_member(request, user_id)
    if person.is_active:
        person.is_active = False
        person.save(update_fields=["is_active"])
    messages.success(
        request, _("%(name)s är avaktiverad och kan inte längre logga in.") % {"name": person}
    )
    return _back_to_the_list(request)


@require_POST
def reactivate_staff(request: HttpRequest, user_id: int) -> HttpResponse:
    """Let a deactivated person of the coordinator's municipalities sign in again; what they had
    done is still there."""
    person = _staff_member(request, user_id)
    if not person.is_active:
        person.is_active = True
        person.save(update_fields=["is_active"])
    messages.success(request, _("%(name)s kan logga in igen.") % {"name": person})
    return _back_to_the_list(request)
