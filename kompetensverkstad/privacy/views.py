"""The person's own views under "Mina sidor": their data export and closing their account.

Every view is the signed-in person's own: nobody can ask for, see or close anyone else's.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .erasure import ErasureRefused, erase_user
from .export import KEEP_FOR, latest_export, request_export
from .models import ErasureRequest

LEARNER_REASON = "Personens egen begäran"


def open_request(user) -> ErasureRequest | None:
    return ErasureRequest.objects.filter(user=user, state=ErasureRequest.State.REQUESTED).first()


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "privacy/my_data.html",
        {
            "export": latest_export(request.user),
            "keep_days": KEEP_FOR.days,
            "erasure_request": open_request(request.user),
            "erase_at_once": settings.KV_ERASURE_AT_ONCE,
        },
        headers={"Cache-Control": "private, no-store"},
    )


@login_required
@require_POST
def ask_for_export(request: HttpRequest) -> HttpResponse:
    request_export(request.user)
    messages.success(request, _("Vi samlar ihop dina uppgifter. Filen finns här när den är klar."))
    return redirect("privacy:my_data")


@login_required
def close_account(request: HttpRequest) -> HttpResponse:
    """A confirmation page; the account is closed (or the request sent) only by a POST with the
    box ticked."""
    context = {"erase_at_once": settings.KV_ERASURE_AT_ONCE, "error": ""}
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            context["error"] = _("Kryssa i rutan för att bekräfta att du vill stänga kontot.")
            return TemplateResponse(request, "privacy/close_account.html", context, status=400)
        if settings.KV_ERASURE_AT_ONCE:
            return _erase_now(request)
        try:
            with transaction.atomic():
                ErasureRequest.objects.get_or_create(
                    user=request.user,
                    state=ErasureRequest.State.REQUESTED,
                    defaults={"reason": LEARNER_REASON},
                )
        except IntegrityError:  # a double click: the first request is there
            pass
        messages.success(
            request,
            _(
                "Din begäran är skickad. En administratör stänger kontot och raderar "
                "dina uppgifter."
            ),
        )
        return redirect("privacy:my_data")
    return TemplateResponse(request, "privacy/close_account.html", context)


def _erase_now(request: HttpRequest) -> HttpResponse:
    try:
        erase_user(request.user, reason=LEARNER_REASON)
    except ErasureRefused as refused:
        messages.error(request, str(refused))
        return redirect("privacy:my_data")
    logout(request)
    messages.success(request, _("Ditt konto är stängt och dina uppgifter är raderade."))
    return redirect("/")


@login_required
@require_POST
def withdraw_request(request: HttpRequest) -> HttpResponse:
    ErasureRequest.objects.filter(user=request.user, state=ErasureRequest.State.REQUESTED).update(
        state=ErasureRequest.State.WITHDRAWN
    )
    messages.success(request, _("Din begäran om att stänga kontot är återkallad."))
    return redirect("privacy:my_data")
