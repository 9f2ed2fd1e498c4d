"""Account views around Django's auth views: sign-in, profile and the optional sign-up."""

import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from .federation.views import enabled_providers
from .forms import (
    ProfileForm,
    SignupForm,
    SiteAuthenticationForm,
    SitePasswordResetForm,
)
from .models import get_profile

# login() needs to be told which backend vouches for the user when several are configured;
# the axes backend only counts attempts and never authenticates anyone.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def signup_enabled() -> bool:
    # Read per request, so the switch works without reloading the URL configuration.
    return bool(getattr(settings, "KV_SIGNUP_ENABLED", False))


class LoginView(auth_views.LoginView):
    form_class = SiteAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["signup_enabled"] = signup_enabled()
        context["federation_enabled"] = bool(enabled_providers())
        return context


class PasswordResetView(auth_views.PasswordResetView):
    form_class = SitePasswordResetForm
    # Django's view sends it; the templates sit with every other mail under templates/email/.
    email_template_name = "email/password_reset_body.txt"
    subject_template_name = "email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    # An invited person lands here from the invitation; signing them in straight away saves a
    # step, and the sign-in also clears any lockout on their address (AXES_RESET_ON_SUCCESS).
    post_reset_login = True
    post_reset_login_backend = MODEL_BACKEND
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password_change_done")


def lockout(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in, on the site and in the Wagtail admin.

    A callable rather than AXES_LOCKOUT_TEMPLATE alone, so the page can say how many minutes
    are left to wait in words instead of the ISO 8601 duration axes puts in the context.
    """
    cool_off = get_cool_off(request)
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60)) if cool_off else 15
    response = TemplateResponse(
        request,
        "registration/lockout.html",
        {"minutes": minutes},
        status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),
    )
    add_never_cache_headers(response)
    return response.render()


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own profile; there is no URL for anybody else's."""
    instance = get_profile(request.user)
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Dina uppgifter är sparade."))
        return redirect("accounts:profile")
    return TemplateResponse(request, "registration/profile.html", {"form": form})


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    if not signup_enabled():
        raise Http404
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend=MODEL_BACKEND)
        messages.success(request, _("Välkommen! Ditt konto är skapat."))
        return redirect(settings.LOGIN_REDIRECT_URL)
    return TemplateResponse(request, "registration/signup.html", {"form": form})
