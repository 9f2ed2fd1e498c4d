"""The protocol-neutral pages of signing in through an identity provider: choosing one
("Välj din organisation"), proving an existing account with its password before it is linked,
and the Swedish page that says why a sign-in was refused."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from ...links import safe_next
from .models import IdentityProvider
from .provisioning import SignInRefused, link_and_sign_in, pending_link

# authenticate() passes this on to every backend: the municipality rule lets a password prove
# an account for linking even where password sign-in is turned off (backends.py).
LINK_PROOF = "kv_link_proof"


def enabled_providers() -> list[IdentityProvider]:
    """Providers a person can choose now: enabled, and their protocol installed."""
    return [p for p in IdentityProvider.objects.filter(enabled=True) if p.login_url()]


def render_refused(request: HttpRequest, message: str, status: int = 403) -> HttpResponse:
    """The page for a refused or failed sign-in: the sentence, a way back, no details."""
    response = TemplateResponse(
        request, "federation/refused.html", {"message": message}, status=status
    )
    return response


@never_cache
def choose(request: HttpRequest) -> HttpResponse:
    """ "Logga in via din kommun": straight to the only provider, else a list to choose from."""
    next_url = safe_next(request, "")
    providers = enabled_providers()
    if len(providers) == 1:
        return redirect(providers[0].login_url(next_url))
    choices = [(p, p.login_url(next_url)) for p in providers]
    return TemplateResponse(
        request, "federation/choose.html", {"choices": choices, "next": next_url}
    )


class LinkForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


@sensitive_post_parameters("password")
@never_cache
def link(request: HttpRequest) -> HttpResponse:
    """An account already has the identity's e-mail: its password, once, links the two."""
    pending = pending_link(request)
    if pending is None:
        return render_refused(
            request,
            _(
                "Det finns ingen inloggning att koppla, eller så tog det för lång tid. "
                "Börja om med ”Logga in via din kommun”."
            ),
            status=400,
        )
    identity, user = pending
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        proven = authenticate(
            request,
            username=user.get_username(),
            password=form.cleaned_data["password"],
            **{LINK_PROOF: True},
        )
        if proven is None or proven.pk != user.pk:
            form.add_error("password", _("Fel lösenord. Försök igen eller återställ lösenordet."))
        else:
            try:
                link_and_sign_in(request, proven)
            except SignInRefused as refused:
                return render_refused(request, refused.message)
            messages.success(
                request,
                _("Ditt konto är kopplat. Nästa gång loggar du in via %(provider)s.")
                % {"provider": identity.provider.name},
            )
            return redirect(safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL)))
    return TemplateResponse(
        request,
        "federation/link.html",
        {"form": form, "provider": identity.provider, "email": user.email or user.get_username()},
    )
