"""The platform as an OpenID Connect client of one provider at a time.

Authlib's Django client does the protocol (PKCE S256, state and nonce kept in the session, the
code exchange, the ID token's signature against the JWKS, ``at_hash``); this module holds what
is ours: which provider a returning person belongs to, the claims the ID token must have
(issuer and audience of *this* provider, not just any the token names), what each failure is
called in Swedish, and which claims become which part of a ``VerifiedIdentity``.
"""

import hashlib
import logging
import time
from collections.abc import Iterable

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError
from authlib.integrations.django_client.apps import DjangoOAuth2App
from authlib.integrations.django_client.integration import DjangoIntegration
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    InvalidKeyIdError,
    JoseError,
)

from ..models import IdentityProvider, Protocol
from ..provisioning import SignInRefused, VerifiedIdentity

logger = logging.getLogger(__name__)

# Sign-ins started in this session and not finished: state -> provider and where to go next.
SESSION_KEY = "kv_oidc_pending"
# A person may start a few sign-ins in tabs; older ones are dropped beyond this many.
MAX_PENDING = 5
# How long a started sign-in may wait for the person at the provider.
PENDING_MAX_AGE = 15 * 60
# Discovery document and keys are kept this long; an unknown key id fetches the keys again.
METADATA_TTL = 60 * 60
HTTP_TIMEOUT = 10
# Clock difference tolerated between the provider and this site when checking exp and iat.
LEEWAY_SECONDS = 120
# Asymmetric signatures only: a token "signed" with the client secret (HS256) or unsigned
# ("none") proves nothing the provider's published keys can check.
SIGNING_ALGORITHMS = ("RS256", "PS256", "ES256")

# Claims read into the identity (README, "OpenID Connect": the table of claims).
ORGANISATION_CLAIMS = ("organisation", "organization", "o", "tid")
ROLE_CLAIMS = ("roles", "groups")


class OIDCRefused(SignInRefused):
    """A sign-in refused before the person's identity is known (the answer did not hold)."""

    status = 403


class StateInvalid(OIDCRefused):
    code = "state_invalid"
    status = 400


class UnknownProvider(OIDCRefused):
    code = "unknown_provider"
    status = 404


class ProviderUnreachable(OIDCRefused):
    code = "provider_unreachable"
    status = 502


class ProviderError(OIDCRefused):
    code = "provider_error"


class SignatureInvalid(OIDCRefused):
    code = "bad_signature"


class WrongIssuer(OIDCRefused):
    code = "wrong_issuer"


class WrongAudience(OIDCRefused):
    code = "wrong_audience"


class TokenInvalid(OIDCRefused):
    code = "token_invalid"


def _state_invalid() -> StateInvalid:
    return StateInvalid(
        _(
            "Inloggningen kunde inte slutföras: svaret hörde inte till någon inloggning som "
            "påbörjats här, eller så har det redan använts. Börja om."
        )
    )


def _unreachable(provider: IdentityProvider) -> ProviderUnreachable:
    return ProviderUnreachable(
        _("%(provider)s svarar inte just nu. Försök igen om en stund.")
        % {"provider": provider.name}
    )


def _wrong_issuer(provider: IdentityProvider) -> WrongIssuer:
    return WrongIssuer(
        _(
            "Svaret kom inte från den inloggningstjänst som är inställd för %(provider)s, så det "
            "godtogs inte."
        )
        % {"provider": provider.name}
    )


def active_provider(**lookup) -> IdentityProvider | None:
    return IdentityProvider.objects.filter(protocol=Protocol.OIDC, enabled=True, **lookup).first()


def callback_url(request: HttpRequest) -> str:
    """The redirect URI registered at every provider: ``https://<site>/konto/oidc/tillbaka/``."""
    return request.build_absolute_uri(reverse("federation:oidc-callback"))


def _cache_key(provider: IdentityProvider, what: str) -> str:
    # The issuer and client in the key: after an administrator changes them, nothing old is used.
    digest = hashlib.sha256(f"{provider.issuer_url}|{provider.client_id}".encode()).hexdigest()
    return f"kv-oidc:{what}:{provider.pk}:{digest[:16]}"


def _same_issuer(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


def metadata(provider: IdentityProvider) -> dict:
    """The provider's discovery document (cached), checked to name the configured issuer."""
    key = _cache_key(provider, "metadata")
    document = cache.get(key)
    if document is None:
        url = provider.issuer_url.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=HTTP_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            logger.warning("OIDC discovery failed for %s: %s", provider.slug, error)
            raise _unreachable(provider) from error
        # OpenID Connect Discovery 1.0, 4.3: the document must name the issuer it was fetched for.
        if not _same_issuer(str(document.get("issuer", "")), provider.issuer_url):
            logger.warning("OIDC discovery for %s names another issuer", provider.slug)
            raise _wrong_issuer(provider)
        cache.set(key, document, METADATA_TTL)
    return document


def _client(provider: IdentityProvider) -> DjangoOAuth2App:
    document = dict(metadata(provider))
    advertised = document.get("id_token_signing_alg_values_supported") or ["RS256"]
    document["id_token_signing_alg_values_supported"] = [
        alg for alg in SIGNING_ALGORITHMS if alg in advertised
    ] or ["RS256"]
    keys = cache.get(_cache_key(provider, "jwks"))
    if keys:
        document["jwks"] = keys
    # Marks the document as loaded, so Authlib does not fetch it again.
    document["_loaded_at"] = time.time()
    name = f"kv-oidc-{provider.pk}"
    scopes = provider.scopes.split()
    if "openid" not in scopes:
        scopes.insert(0, "openid")
    return DjangoOAuth2App(
        DjangoIntegration(name),
        name=name,
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        client_kwargs={
            "scope": " ".join(scopes),
            "code_challenge_method": "S256",
            "default_timeout": HTTP_TIMEOUT,
        },
        **document,
    )


def begin(request: HttpRequest, provider: IdentityProvider, next_url: str) -> str:
    """Start a sign-in at ``provider``: the authorization URL to send the person to. The state,
    nonce and PKCE verifier wait in the session for the answer."""
    app = _client(provider)
    redirect_uri = callback_url(request)
    try:
        started = app.create_authorization_url(redirect_uri)
    except (AuthlibBaseError, RuntimeError) as error:
        logger.warning("OIDC sign-in could not start at %s: %s", provider.slug, error)
        raise _unreachable(provider) from error
    app.save_authorize_data(request, redirect_uri=redirect_uri, **started)
    pending = dict(request.session.get(SESSION_KEY, {}))
    pending[started["state"]] = {"provider": provider.pk, "next": next_url, "at": time.time()}
    # Newest last; a person who opened many tabs keeps the latest few.
    request.session[SESSION_KEY] = dict(list(pending.items())[-MAX_PENDING:])
    return started["url"]


def _pending(request: HttpRequest, state: str) -> dict | None:
    """The sign-in ``state`` names, taken out of the session: a state is good for one answer."""
    pending = dict(request.session.get(SESSION_KEY, {}))
    entry = pending.pop(state, None) if state else None
    request.session[SESSION_KEY] = pending
    if entry is None or time.time() - entry.get("at", 0) > PENDING_MAX_AGE:
        return None
    return entry


def complete(request: HttpRequest) -> tuple[VerifiedIdentity, str]:
    """Check the provider's answer on the callback and return the identity it vouches for and
    where the person wanted to go. Raises an :class:`OIDCRefused` when any check fails."""
    entry = _pending(request, request.GET.get("state", ""))
    if entry is None:
        raise _state_invalid()
    provider = active_provider(pk=entry["provider"])
    if provider is None:
        raise UnknownProvider(
            _(
                "Inloggningstjänsten som svarade är inte (längre) ansluten till "
                "Kompetensverkstaden. Välj din organisation igen."
            )
        )
    if request.GET.get("error"):
        logger.info("OIDC provider %s answered %s", provider.slug, request.GET["error"][:100])
        if request.GET["error"] == "access_denied":
            raise ProviderError(
                _("Inloggningen avbröts hos %(provider)s.") % {"provider": provider.name}
            )
        raise ProviderError(
            _("%(provider)s kunde inte logga in dig. Försök igen eller kontakta IT-avdelningen.")
            % {"provider": provider.name}
        )
    # RFC 9207: a provider that names itself in the answer must name the one we asked.
    issuer_param = request.GET.get("iss")
    if issuer_param and not _same_issuer(issuer_param, provider.issuer_url):
        raise _wrong_issuer(provider)
    claims = _verified_claims(request, provider)
    return identity_from_claims(provider, claims), entry["next"]


def _verified_claims(request: HttpRequest, provider: IdentityProvider) -> dict:
    app = _client(provider)
    issuer = metadata(provider)["issuer"]
    options = {
        "iss": {"essential": True, "values": [issuer]},
        # Authlib alone lets a token for another audience through when it names us as azp.
        "aud": {"essential": True, "values": [provider.client_id]},
        "sub": {"essential": True},
        "exp": {"essential": True},
    }
    try:
        token = app.authorize_access_token(request, claims_options=options, leeway=LEEWAY_SECONDS)
    except MismatchingStateError as error:
        raise _state_invalid() from error
    except (BadSignatureError, InvalidKeyIdError) as error:
        logger.warning("OIDC ID token from %s: bad signature (%s)", provider.slug, error)
        raise SignatureInvalid(
            _("Inloggningsbeviset från %(provider)s hade ingen giltig signatur och godtogs inte.")
            % {"provider": provider.name}
        ) from error
    except ClaimError as error:
        logger.warning("OIDC ID token from %s: claim %s refused", provider.slug, error.claim)
        if error.claim == "iss":
            raise _wrong_issuer(provider) from error
        if error.claim in {"aud", "azp"}:
            raise WrongAudience(
                _(
                    "Inloggningsbeviset från %(provider)s var utfärdat för en annan tjänst än "
                    "Kompetensverkstaden och godtogs inte."
                )
                % {"provider": provider.name}
            ) from error
        raise _token_invalid(provider) from error
    except JoseError as error:
        logger.warning("OIDC ID token from %s refused: %s", provider.slug, error)
        raise _token_invalid(provider) from error
    except requests.RequestException as error:
        logger.warning("OIDC token request to %s failed: %s", provider.slug, error)
        raise _unreachable(provider) from error
    except AuthlibBaseError as error:
        # The token endpoint refused the code (used twice, expired, wrong client secret).
        logger.warning("OIDC token request to %s refused: %s", provider.slug, error)
        raise ProviderError(
            _("%(provider)s godtog inte inloggningen. Börja om.") % {"provider": provider.name}
        ) from error
    claims = token.get("userinfo")
    if not claims:
        logger.warning("OIDC token response from %s has no ID token", provider.slug)
        raise _token_invalid(provider)
    keys = app.server_metadata.get("jwks")
    if keys:
        cache.set(_cache_key(provider, "jwks"), keys, METADATA_TTL)
    return dict(claims)


def _token_invalid(provider: IdentityProvider) -> TokenInvalid:
    return TokenInvalid(
        _("Inloggningsbeviset från %(provider)s var inte giltigt och godtogs inte.")
        % {"provider": provider.name}
    )


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list | tuple):
        return [str(item) for item in value if isinstance(item, str | int) and str(item).strip()]
    return []


def _claim_values(claims: dict, names: Iterable[str]) -> tuple[str, ...]:
    values: list[str] = []
    for name in names:
        values.extend(_strings(claims.get(name)))
    return tuple(dict.fromkeys(values))


def _text(claims: dict, name: str) -> str:
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def identity_from_claims(provider: IdentityProvider, claims: dict) -> VerifiedIdentity:
    """A verified ID token's claims as the core's identity.

    ``sub`` is the identifier (stable per provider and client); the e-mail is ``email``, else
    ``preferred_username`` when it is an address (Entra ID's UPN); organisation values are the
    organisation claims plus the domain of that address, like a SAML scope; role values are
    ``roles`` and ``groups``.
    """
    email = _text(claims, "email")
    if not email and "@" in _text(claims, "preferred_username"):
        email = _text(claims, "preferred_username")
    organisations = _claim_values(claims, ORGANISATION_CLAIMS)
    if "@" in email:
        organisations += (email.rsplit("@", 1)[1].lower(),)
    return VerifiedIdentity(
        provider=provider,
        subject=str(claims.get("sub", "")),
        given_name=_text(claims, "given_name"),
        surname=_text(claims, "family_name"),
        email=email,
        organisations=organisations,
        entitlements=_claim_values(claims, ROLE_CLAIMS),
    )
