"""A second factor for editors and administrators: a TOTP app, with single-use backup codes.

django-otp does the cryptography, the throttling of wrong codes and the "verified" mark in the
session; this module decides who must have it (anyone with Wagtail admin access, when
``KV_REQUIRE_2FA_FOR_STAFF`` is on) and offers the two pages: set up an app, and enter a code.
"""

from base64 import b32encode
from collections.abc import Callable
from urllib.parse import urlencode

import django_otp
from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kompetensverkstad.links import safe_next
from kompetensverkstad.qr import qr_svg
from kompetensverkstad.security import admin_prefix

BACKUP_CODES = 10


def second_factor_required(user: AbstractBaseUser) -> bool:
    """Whether ``user`` must confirm a code before the Wagtail admin opens."""
    if not getattr(settings, "KV_REQUIRE_2FA_FOR_STAFF", False):
        return False
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.has_perm("wagtailadmin.access_admin")


def _open_admin_paths() -> tuple[str, ...]:
    # Signing in and out, and resetting a password, must work before the second factor.
    return (
        reverse("wagtailadmin_login"),
        reverse("wagtailadmin_logout"),
        reverse("wagtailadmin_password_reset"),
    )


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


class StaffSecondFactorMiddleware:
    """Sends staff who have not confirmed a code in this session from /admin/ to do so.

    After django_otp's OTPMiddleware, which gives ``request.user.is_verified()``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if (
            path.startswith(admin_prefix())
            and not path.startswith(_open_admin_paths())
            and second_factor_required(request.user)
            and not request.user.is_verified()
        ):
            target = (
                "accounts:two_factor_verify"
                if django_otp.user_has_device(request.user)
                else "accounts:two_factor_setup"
            )
            return redirect(_with_next(target, request.get_full_path()))
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kod"),
        max_length=16,
        help_text=_("Sex siffror från appen, eller en av dina reservkoder."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        # Apps show the code as "123 456"; people copy it with the space.
        return "".join(self.cleaned_data["code"].split())


def _safe_next(request: HttpRequest) -> str:
    return safe_next(request, admin_prefix())


def _mark_verified(request: HttpRequest, device) -> None:
    django_otp.login(request, device)
    # A new session key at the raise in privilege, as at sign-in: a key seen before is worthless.
    request.session.cycle_key()


def _matching_device(user: AbstractBaseUser, code: str):
    """The confirmed device that accepts ``code`` (each one throttles wrong guesses), or None."""
    for device in django_otp.devices_for_user(user):
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


@sensitive_post_parameters("code")
@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Enter a code from the app (or a backup code) to open the admin in this session."""
    if not django_otp.user_has_device(request.user):
        return redirect(_with_next("accounts:two_factor_setup", _safe_next(request)))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        device = _matching_device(request.user, form.cleaned_data["code"])
        if device is not None:
            _mark_verified(request, device)
            return redirect(_safe_next(request))
        form.add_error(
            "code",
            _(
                "Koden stämmer inte eller är för gammal. Vänta på nästa kod i appen och försök "
                "igen. Efter flera fel måste du vänta en stund mellan försöken."
            ),
        )
    if form.errors:
        status = 400
    return TemplateResponse(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": _safe_next(request)},
        status=status,
    )


def _pending_device(user: AbstractBaseUser) -> TOTPDevice:
    # The same unconfirmed key across reloads, so the app scanned first still matches.
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=False)
    return device


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@sensitive_post_parameters("code")
@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """First time: scan a QR code into an authenticator app and confirm with its first code.

    Only for someone without a confirmed app: otherwise a stolen password alone could add an
    attacker's app to the account.
    """
    if django_otp.user_has_device(request.user):
        return redirect(_with_next("accounts:two_factor_verify", _safe_next(request)))
    device = _pending_device(request.user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
            confirmed = device.verify_token(form.cleaned_data["code"])
            if confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_backup_codes(request.user)
        if confirmed:
            _mark_verified(request, device)
            return TemplateResponse(
                request,
                "registration/two_factor_backup_codes.html",
                {"codes": codes, "next": _safe_next(request)},
            )
        form.add_error(
            "code",
            _(
                "Koden stämmer inte. Kontrollera att appen visar Kompetensverkstaden och "
                "försök igen."
            ),
        )
    if form.errors:
        status = 400
    secret = b32encode(device.bin_key).decode("ascii")
    return TemplateResponse(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "next": _safe_next(request),
            "qr_svg": qr_svg(device.config_url, str(_("QR-kod för autentiseringsappen"))),
            "secret": _grouped(secret),
        },
        status=status,
    )


def _new_backup_codes(user: AbstractBaseUser) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Reservkoder", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
