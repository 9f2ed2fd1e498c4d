"""The SAML 2.0 service provider's pages: its metadata, sending a person to their identity
provider with a signed AuthnRequest (HTTP-Redirect, or HTTP-POST where the IdP offers only that),
the assertion consumer that checks the answer and signs the person in, and single logout.

Every failure ends on the Swedish refusal page; what went wrong in detail goes to the log only.
"""

import base64
import logging
import secrets
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, resolve_url
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.ident import code, decode
from saml2.metadata import create_metadata_string
from saml2.response import StatusError
from saml2.sigver import MissingKey, SignatureError
from saml2.validate import ResponseLifetimeExceed, ToEarly

from ....links import safe_next
from ..models import IdentityProvider, PendingAuthnRequest, Protocol, SeenAssertion
from ..provisioning import SESSION_PROVIDER_KEY, LinkRequired, SignInRefused, sign_in
from ..tasks import PENDING_REQUEST_LIFETIME
from ..views import render_refused
from .attributes import identity_from_assertion
from .config import (
    ACCEPTED_TIME_DIFF,
    DIGEST_ALGORITHM,
    SIGNING_ALGORITHM,
    SamlUnavailable,
    sp_client,
    sp_config,
)
from .metadata import refresh_metadata

logger = logging.getLogger(__name__)

SESSION_NAME_ID = "kv_saml_name_id"
SESSION_INDEX = "kv_saml_session_index"


def _saml_provider(slug: str) -> IdentityProvider:
    return get_object_or_404(IdentityProvider, slug=slug, protocol=Protocol.SAML, enabled=True)


def _ensure_metadata(provider: IdentityProvider) -> bool:
    return bool(provider.metadata_xml) or refresh_metadata(provider)


def _unavailable(request: HttpRequest) -> HttpResponse:
    return render_refused(
        request,
        _(
            "Inloggning via kommunen fungerar inte just nu på den här webbplatsen. Logga in med "
            "e-postadress och lösenord, eller försök igen senare."
        ),
        status=503,
    )


@require_GET
def metadata(request: HttpRequest) -> HttpResponse:
    """The SP's metadata (entity id, assertion consumer and logout endpoints, the certificate
    for signatures and encryption), at a stable URL for the federations and IdPs to read."""
    try:
        config = sp_config(request, providers=[])
    except SamlUnavailable:
        return _unavailable(request)
    xml = create_metadata_string(None, config=config, valid=24 * 30, sign=False)
    return HttpResponse(xml, content_type="application/samlmetadata+xml")


@never_cache
@require_GET
def login(request: HttpRequest, slug: str) -> HttpResponse:
    """Send the person to ``slug``'s IdP with a signed AuthnRequest; the answer comes back to
    ``acs`` with a RelayState naming the request kept here."""
    provider = _saml_provider(slug)
    if not _ensure_metadata(provider):
        return render_refused(
            request,
            _("Det går inte att nå %(provider)s just nu. Försök igen om en stund.")
            % {"provider": provider.name},
            status=502,
        )
    try:
        client = sp_client(request, [provider])
    except SamlUnavailable:
        return _unavailable(request)
    relay_state = secrets.token_urlsafe(24)
    next_url = safe_next(request, "")
    try:
        destination = client.sso_location(provider.entity_id, BINDING_HTTP_REDIRECT)
        binding = BINDING_HTTP_REDIRECT
    except Exception:  # noqa: BLE001 - pysaml2 raises a bare Exception when the IdP lacks it
        destination = client.sso_location(provider.entity_id, BINDING_HTTP_POST)
        binding = BINDING_HTTP_POST
    # In the Redirect binding the signature travels in the query string; in POST, in the XML.
    request_id, authn_request = client.create_authn_request(
        destination,
        binding=BINDING_HTTP_POST,
        sign=binding == BINDING_HTTP_POST,
        sign_alg=SIGNING_ALGORITHM,
        digest_alg=DIGEST_ALGORITHM,
    )
    PendingAuthnRequest.objects.create(
        relay_state=relay_state, request_id=request_id, provider=provider, next_url=next_url
    )
    if binding == BINDING_HTTP_REDIRECT:
        http_info = client.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(authn_request),
            destination,
            relay_state,
            sign=True,
            sigalg=SIGNING_ALGORITHM,
        )
        return redirect(dict(http_info["headers"])["Location"])
    return _post_form(
        request,
        destination,
        {
            "SAMLRequest": base64.b64encode(str(authn_request).encode()).decode(),
            "RelayState": relay_state,
        },
    )


def _post_form(request: HttpRequest, destination: str, fields: dict) -> HttpResponse:
    """HTTP-POST binding: a form the browser sends on to the IdP (by a script from /static/,
    or by the button without scripts). The IdP's address joins form-action for this page."""
    response = TemplateResponse(
        request, "federation/saml_post.html", {"destination": destination, "fields": fields}
    )
    response._csp_update = {"form-action": [destination]}
    return response


def _chain(error: BaseException):
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


def explain(error: Exception) -> str:
    """The Swedish sentence for what pysaml2 refused; no details (they are logged)."""
    causes = list(_chain(error))
    if any(isinstance(e, MissingKey) for e in causes):
        return _unknown_idp_message()
    if any(isinstance(e, ResponseLifetimeExceed | ToEarly) for e in causes):
        return _("Inloggningssvaret har gått ut eller är inte giltigt än. Börja om inloggningen.")
    if any("AudienceRestrictions" in str(e) for e in causes):
        return _("Inloggningssvaret var avsett för en annan tjänst och godtogs inte.")
    if isinstance(error, SignatureError):
        return _("Svaret från identitetsutgivaren hade ingen giltig signatur och godtogs inte.")
    if isinstance(error, StatusError):
        return _(
            "Identitetsutgivaren avbröt inloggningen. Börja om, eller kontakta IT-avdelningen "
            "i din kommun om det händer igen."
        )
    return _("Svaret från identitetsutgivaren kunde inte godtas. Börja om inloggningen.")


@csrf_exempt  # The IdP posts cross-site; the signature, InResponseTo and RelayState protect it.
@never_cache
@require_POST
def acs(request: HttpRequest) -> HttpResponse:
    """Assertion consumer (HTTP-POST): check the response against the request it answers and
    the provider's metadata, refuse a replay, then sign the person in."""
    saml_response = request.POST.get("SAMLResponse", "")
    relay_state = request.POST.get("RelayState", "")
    if not saml_response or not relay_state:
        return render_refused(request, _("Inloggningssvaret saknas. Börja om inloggningen."), 400)
    pending = (
        PendingAuthnRequest.objects.select_related("provider")
        .filter(relay_state=relay_state, created_at__gte=timezone.now() - PENDING_REQUEST_LIFETIME)
        .first()
    )
    if pending is None:
        return render_refused(
            request,
            _("Inloggningssvaret har redan använts eller är för gammalt. Börja om inloggningen."),
            400,
        )
    provider = pending.provider
    if not provider.enabled or provider.protocol != Protocol.SAML:
        return render_refused(
            request, _("Inloggning via %(provider)s är avstängd.") % {"provider": provider.name}
        )
    try:
        # Only this provider's metadata: an answer signed by anyone else cannot verify.
        client = sp_client(request, [provider])
        response = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding={pending.request_id: pending.next_url}
        )
    except SamlUnavailable:
        return _unavailable(request)
    except Exception as error:  # noqa: BLE001 - every refusal ends on the Swedish page
        logger.warning("SAML response from %s refused: %r", provider.slug, error)
        return render_refused(request, explain(error))
    if response is None or response.assertion is None:
        logger.warning("SAML response from %s could not be read", provider.slug)
        return render_refused(request, explain(ValueError()))
    if response.issuer() != provider.entity_id:
        logger.warning("SAML response for %s issued by %r", provider.slug, response.issuer())
        return render_refused(request, _unknown_idp_message())

    assertion = response.assertion
    not_on_or_after = getattr(response, "not_on_or_after", 0) or 0
    expires = timezone.now() + timedelta(hours=1)
    if not_on_or_after:
        expires = max(expires, datetime.fromtimestamp(not_on_or_after, tz=UTC)) + timedelta(
            seconds=ACCEPTED_TIME_DIFF
        )
    try:
        with transaction.atomic():
            used = PendingAuthnRequest.objects.filter(pk=pending.pk).delete()[0]
            SeenAssertion.objects.create(
                provider=provider, assertion_id=assertion.id, expires_at=expires
            )
            if not used:
                raise IntegrityError("request already answered")
    except IntegrityError:
        logger.warning("Replayed SAML assertion %s from %s", assertion.id, provider.slug)
        return render_refused(
            request, _("Inloggningssvaret har redan använts och godtogs inte. Börja om."), 400
        )

    name_id = response.name_id
    identity = identity_from_assertion(
        provider,
        response.ava or {},
        getattr(name_id, "format", "") or "",
        getattr(name_id, "text", "") or "",
    )
    session_index = ""
    if assertion.authn_statement:
        session_index = assertion.authn_statement[0].session_index or ""
    try:
        sign_in(
            request,
            identity,
            session_data={
                SESSION_NAME_ID: code(name_id) if name_id is not None else "",
                SESSION_INDEX: session_index,
            },
        )
    except LinkRequired:
        link_url = reverse("federation:link")
        if pending.next_url:
            link_url += "?" + urlencode({"next": pending.next_url})
        return redirect(link_url)
    except SignInRefused as refused:
        return render_refused(request, refused.message)
    target = pending.next_url
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = resolve_url(settings.LOGIN_REDIRECT_URL)
    return redirect(target)


def _unknown_idp_message() -> str:
    return _("Svaret kom från en identitetsutgivare som inte är ansluten här och godtogs inte.")


def _slo_location(client, provider: IdentityProvider) -> tuple[str, str] | None:
    for binding in (BINDING_HTTP_REDIRECT, BINDING_HTTP_POST):
        try:
            services = client.metadata.single_logout_service(provider.entity_id, binding, "idpsso")
        except Exception:  # noqa: BLE001, S112 - no such service in the metadata
            continue
        if services:
            return services[0]["location"], binding
    return None


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out here, and at the IdP too where it offers single logout."""
    provider_id = request.session.get(SESSION_PROVIDER_KEY)
    name_id_text = request.session.get(SESSION_NAME_ID, "")
    session_index = request.session.get(SESSION_INDEX, "")
    logout(request)
    done = resolve_url(settings.LOGOUT_REDIRECT_URL)
    provider = IdentityProvider.objects.filter(
        pk=provider_id, protocol=Protocol.SAML, enabled=True
    ).first()
    if provider is None or not name_id_text or not provider.metadata_xml:
        return redirect(done)
    try:
        client = sp_client(request, [provider])
        slo = _slo_location(client, provider)
        if slo is None:
            return redirect(done)
        destination, binding = slo
        request_id, logout_request = client.create_logout_request(
            destination,
            provider.entity_id,
            name_id=decode(name_id_text),
            session_indexes=[session_index] if session_index else None,
            sign=binding == BINDING_HTTP_POST,
            sign_alg=SIGNING_ALGORITHM,
            digest_alg=DIGEST_ALGORITHM,
        )
        if binding == BINDING_HTTP_REDIRECT:
            http_info = client.apply_binding(
                binding, str(logout_request), destination, "", sign=True, sigalg=SIGNING_ALGORITHM
            )
            return redirect(dict(http_info["headers"])["Location"])
        return _post_form(
            request,
            destination,
            {"SAMLRequest": base64.b64encode(str(logout_request).encode()).decode()},
        )
    except Exception as error:  # noqa: BLE001 - signed out here whatever the IdP can do
        logger.warning("Single logout at %s failed: %r", provider.slug, error)
        return redirect(done)


@csrf_exempt  # The IdP sends logout messages cross-site; their signatures protect them.
@never_cache
@require_http_methods(["GET", "POST"])
def sls(request: HttpRequest) -> HttpResponse:
    """Single logout service: the IdP's answer to our LogoutRequest, or its own LogoutRequest
    (the person signed out elsewhere), which signs them out here and is answered."""
    data = request.POST if request.method == "POST" else request.GET
    binding = BINDING_HTTP_POST if request.method == "POST" else BINDING_HTTP_REDIRECT
    done = resolve_url(settings.LOGOUT_REDIRECT_URL)
    if "SAMLResponse" in data:
        return redirect(done)
    if "SAMLRequest" not in data:
        raise Http404
    providers = list(
        IdentityProvider.objects.filter(protocol=Protocol.SAML, enabled=True).exclude(
            metadata_xml=""
        )
    )
    try:
        client = sp_client(request, providers)
        parsed = client.parse_logout_request(
            data["SAMLRequest"],
            binding,
            relay_state=data.get("RelayState"),
            sigalg=data.get("SigAlg"),
            signature=data.get("Signature"),
        )
        if parsed is None:
            raise ValueError("unreadable LogoutRequest")
        message = parsed.message
        issuer = message.issuer.text if message.issuer is not None else ""
        mine = request.session.get(SESSION_NAME_ID, "")
        if mine and message.name_id is not None and decode(mine).text == message.name_id.text:
            logout(request)
        logout_response = client.create_logout_response(
            message, [BINDING_HTTP_REDIRECT], sign=False, sign_alg=SIGNING_ALGORITHM
        )
        destination = client.metadata.single_logout_service(
            issuer, BINDING_HTTP_REDIRECT, "idpsso"
        )[0]["location"]
        http_info = client.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(logout_response),
            destination,
            data.get("RelayState", ""),
            response=True,
            sign=True,
            sigalg=SIGNING_ALGORITHM,
        )
        return redirect(dict(http_info["headers"])["Location"])
    except SamlUnavailable:
        return _unavailable(request)
    except Exception as error:  # noqa: BLE001
        logger.warning("LogoutRequest refused: %r", error)
        return render_refused(request, _("Utloggningen från identitetsutgivaren godtogs inte."))
