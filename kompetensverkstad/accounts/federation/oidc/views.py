"""The two addresses of an OpenID Connect sign-in: the start (``federation:oidc-login``, the
provider's slug; "Logga in via …" links here) and the callback the provider sends the person
back to (``federation:oidc-callback``). Every failure is the core's Swedish refusal page."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ....links import safe_next
from ..provisioning import LinkRequired, SignInRefused, sign_in
from ..views import render_refused
from . import client

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def login(request: HttpRequest, slug: str) -> HttpResponse:
    """Send the person to the provider's sign-in. A link (GET), not a form: the site's
    content security policy allows forms to post only to itself, redirects included."""
    provider = client.active_provider(slug=slug)
    if provider is None:
        return render_refused(
            request,
            _("Det finns ingen sådan inloggningstjänst här. Välj din organisation i listan."),
            status=404,
        )
    next_url = safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL))
    try:
        url = client.begin(request, provider, next_url)
    except SignInRefused as refused:
        return render_refused(request, refused.message, status=getattr(refused, "status", 403))
    return HttpResponseRedirect(url)


@never_cache
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """The provider's answer: checked (``client.complete``), then the person is provisioned
    and signed in by the core, or told in Swedish why not."""
    try:
        identity, next_url = client.complete(request)
        sign_in(request, identity)
    except LinkRequired:
        # The identity waits in the session until the existing account's password proves it.
        link = reverse("federation:link")
        return HttpResponseRedirect(f"{link}?{urlencode({'next': next_url})}")
    except SignInRefused as refused:
        logger.info("OIDC sign-in refused: %s", refused.code)
        return render_refused(request, refused.message, status=getattr(refused, "status", 403))
    return HttpResponseRedirect(next_url)
