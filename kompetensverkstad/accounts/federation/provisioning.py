"""From a verified identity to a signed-in person: the one place that decides who may come in
through an identity provider, which account they get (found, created just in time, or linked
after they prove an existing one with its password) and which municipality and groups it has.

The protocol parts (SAML, OpenID Connect) verify the provider's answer, build a
:class:`VerifiedIdentity` and call :func:`sign_in`; every refusal is a :class:`SignInRefused`
carrying the Swedish sentence to show.
"""

import hashlib
import logging
from dataclasses import asdict, dataclass, field

from django.contrib.auth import get_user_model, login
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Municipality, get_profile
from .models import FederatedIdentity, IdentityProvider

logger = logging.getLogger(__name__)

User = get_user_model()

# The backend login() names in the session; it must be one of AUTHENTICATION_BACKENDS.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# The provider the person signed in with (its pk), for signing out there too.
SESSION_PROVIDER_KEY = "kv_federation_provider"
# An identity waiting for its person to prove an existing account with the password.
PENDING_LINK_SESSION_KEY = "kv_federation_pending_link"
# How long a pending link waits for the password, in seconds.
PENDING_LINK_MAX_AGE = 15 * 60


@dataclass(frozen=True)
class VerifiedIdentity:
    """What a protocol part vouches for after checking the provider's signature.

    ``subject`` is the stable identifier (``eduPersonPrincipalName``, ``subject-id``, a
    persistent NameID, or OIDC's ``sub``); ``organisations`` every value that may name the
    person's organisation (``o``, organisation number, scope, claim values); ``entitlements``
    every role value (``eduPersonEntitlement``, a ``roles`` claim).
    """

    provider: IdentityProvider
    subject: str
    given_name: str = ""
    surname: str = ""
    email: str = ""
    organisations: tuple[str, ...] = field(default_factory=tuple)
    entitlements: tuple[str, ...] = field(default_factory=tuple)


class SignInRefused(Exception):
    """A sign-in through a provider that must not go on; ``message`` is shown as it is."""

    code = "refused"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ProviderUnavailable(SignInRefused):
    code = "provider_unavailable"


class MissingIdentifier(SignInRefused):
    code = "missing_identifier"


class OrganisationNotConnected(SignInRefused):
    code = "organisation_not_connected"


class MunicipalityLeft(SignInRefused):
    code = "municipality_left"


class AccountDeactivated(SignInRefused):
    code = "account_deactivated"


class AccountConflict(SignInRefused):
    code = "account_conflict"


class LinkRequired(SignInRefused):
    """An account with the identity's e-mail exists and is not linked to it yet: the person
    must sign in to it with its password once (``views.link``) before it is linked."""

    code = "link_required"

    def __init__(self, message: str, identity: VerifiedIdentity, user: AbstractBaseUser) -> None:
        super().__init__(message)
        self.identity = identity
        self.user = user


def _left_message(municipality: Municipality) -> str:
    return _(
        "%(municipality)s deltar inte längre i Kompetensverkstaden, så du kan inte logga in. "
        "Dina uppgifter finns kvar. Kontakta din samordnare om du har frågor."
    ) % {"municipality": municipality.name}


def municipality_for(identity: VerifiedIdentity) -> Municipality | None:
    """The municipality the identity's organisation values map to at its provider; else the
    provider's only municipality; else None. Two different matches are no match."""
    values = {v.strip().casefold() for v in identity.organisations if v and v.strip()}
    matches = {
        mapping.municipality
        for mapping in identity.provider.organisation_mappings.select_related("municipality")
        if mapping.value.strip().casefold() in values
    }
    if len(matches) == 1:
        return matches.pop()
    if len(matches) > 1:
        logger.warning(
            "Identity at %s maps to several municipalities; none chosen", identity.provider.slug
        )
        return None
    served = list(identity.provider.municipalities.all()[:2])
    return served[0] if len(served) == 1 else None


def _new_username(identity: VerifiedIdentity) -> str:
    email = identity.email.strip().lower()
    if email:
        return email
    digest = hashlib.sha256(identity.subject.encode()).hexdigest()[:20]
    return f"{identity.provider.slug}-{digest}"


def _sync_groups(user: AbstractBaseUser, identity: VerifiedIdentity) -> None:
    """Groups named in the provider's role mappings follow the identity's role values, and
    only while the administrator allows roles from this provider."""
    provider = identity.provider
    if not provider.grant_roles:
        return
    asserted = {value.strip() for value in identity.entitlements}
    managed: set[int] = set()
    wanted: set[int] = set()
    for mapping in provider.role_mappings.all():
        managed.add(mapping.group_id)
        if mapping.value.strip() in asserted:
            wanted.add(mapping.group_id)
    if managed - wanted:
        user.groups.remove(*Group.objects.filter(pk__in=managed - wanted))
    if wanted:
        user.groups.add(*Group.objects.filter(pk__in=wanted))


def _update_person(user: AbstractBaseUser, identity: VerifiedIdentity) -> None:
    changed = []
    if identity.given_name and user.first_name != identity.given_name[:150]:
        user.first_name = identity.given_name[:150]
        changed.append("first_name")
    if identity.surname and user.last_name != identity.surname[:150]:
        user.last_name = identity.surname[:150]
        changed.append("last_name")
    if changed:
        user.save(update_fields=changed)


def _check_existing(user: AbstractBaseUser, municipality: Municipality | None) -> None:
    if not user.is_active:
        raise AccountDeactivated(
            _("Ditt konto är avstängt. Kontakta samordnaren i din kommun eller en administratör.")
        )
    current = get_profile(user).municipality
    effective = municipality or current
    # Where the provider now says the person works counts; else where they were.
    if effective is not None and not effective.takes_part:
        raise MunicipalityLeft(_left_message(effective))


def resolve_user(identity: VerifiedIdentity) -> AbstractBaseUser:
    """The account ``identity`` signs in to, creating it just in time if need be.

    Raises a :class:`SignInRefused` (nothing written) when the provider is off, the identifier
    is missing, the organisation maps to no municipality here, the municipality left, the
    account is deactivated, or an unlinked account already has the e-mail (:class:`LinkRequired`).
    """
    provider = identity.provider
    if not provider.enabled:
        raise ProviderUnavailable(
            _(
                "Inloggning via %(provider)s är avstängd. Logga in på annat sätt eller kontakta "
                "en administratör."
            )
            % {"provider": provider.name}
        )
    subject = (identity.subject or "").strip()
    if not subject:
        raise MissingIdentifier(
            _(
                "%(provider)s skickade ingen identifierare för dig, så du kan inte loggas in. "
                "Kontakta IT-avdelningen i din kommun."
            )
            % {"provider": provider.name}
        )
    municipality = municipality_for(identity)

    linked = (
        FederatedIdentity.objects.select_related("user")
        .filter(provider=provider, subject=subject)
        .first()
    )
    if linked is not None:
        user = linked.user
        _check_existing(user, municipality)
        with transaction.atomic():
            _update_person(user, identity)
            profile = get_profile(user)
            if municipality is not None and profile.municipality_id != municipality.pk:
                # The provider is the source of truth for where the person works now.
                profile.municipality = municipality
                profile.save(update_fields=["municipality"])
            _sync_groups(user, identity)
            FederatedIdentity.objects.filter(pk=linked.pk).update(last_sign_in_at=timezone.now())
        return user

    if municipality is None:
        raise OrganisationNotConnected(
            _(
                "Din organisation är inte ansluten till Kompetensverkstaden via %(provider)s. "
                "Kontakta samordnaren i din kommun."
            )
            % {"provider": provider.name}
        )
    if not municipality.takes_part:
        raise MunicipalityLeft(_left_message(municipality))

    email = identity.email.strip().lower()
    username = _new_username(identity)
    lookup = Q(username__iexact=username)
    if email:
        lookup |= Q(email__iexact=email)
    existing = User._default_manager.filter(lookup).order_by("pk").first()
    if existing is not None:
        if FederatedIdentity.objects.filter(provider=provider, user=existing).exists():
            raise AccountConflict(
                _(
                    "E-postadressen %(email)s hör redan till ett annat konto hos %(provider)s. "
                    "Kontakta en administratör."
                )
                % {"email": email, "provider": provider.name}
            )
        raise LinkRequired(
            _(
                "Det finns redan ett konto med e-postadressen %(email)s. Logga in på det med "
                "lösenordet en gång, så kopplas det till inloggningen via %(provider)s."
            )
            % {"email": email or username, "provider": provider.name},
            identity=identity,
            user=existing,
        )

    try:
        with transaction.atomic():
            user = User._default_manager.create_user(
                username=username,
                email=email,
                first_name=identity.given_name[:150],
                last_name=identity.surname[:150],
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            profile = get_profile(user)
            profile.municipality = municipality
            profile.save(update_fields=["municipality"])
            FederatedIdentity.objects.create(
                user=user, provider=provider, subject=subject, last_sign_in_at=timezone.now()
            )
            _sync_groups(user, identity)
    except IntegrityError:
        # The same person's first sign-in in two tabs at once: the other one won.
        linked = FederatedIdentity.objects.select_related("user").filter(
            provider=provider, subject=subject
        )
        if not linked.exists():
            raise
        return linked.get().user
    logger.info("Account created just in time through %s", provider.slug)
    return user


def sign_in(
    request: HttpRequest, identity: VerifiedIdentity, session_data: dict | None = None
) -> AbstractBaseUser:
    """Resolve ``identity`` (:func:`resolve_user`) and sign the person in on ``request``.

    ``session_data`` is kept in the new session (e.g. SAML's NameID and SessionIndex for single
    logout). On :class:`LinkRequired` the identity waits in the session for the password
    (:func:`store_pending_link`) and the exception goes on to the caller.
    """
    try:
        user = resolve_user(identity)
    except LinkRequired as refused:
        store_pending_link(request, refused.identity, refused.user)
        raise
    login(request, user, backend=MODEL_BACKEND)
    request.session[SESSION_PROVIDER_KEY] = identity.provider.pk
    for key, value in (session_data or {}).items():
        request.session[key] = value
    return user


def store_pending_link(
    request: HttpRequest, identity: VerifiedIdentity, user: AbstractBaseUser
) -> None:
    data = asdict(identity)
    data["provider"] = identity.provider.pk
    data["organisations"] = list(identity.organisations)
    data["entitlements"] = list(identity.entitlements)
    request.session[PENDING_LINK_SESSION_KEY] = {
        "identity": data,
        "user": user.pk,
        "at": timezone.now().timestamp(),
    }


def pending_link(request: HttpRequest) -> tuple[VerifiedIdentity, AbstractBaseUser] | None:
    """The identity waiting to be linked in this session and the account it would be linked
    to, or None (nothing waiting, waited too long, provider or account gone)."""
    stored = request.session.get(PENDING_LINK_SESSION_KEY)
    if not stored:
        return None
    if timezone.now().timestamp() - stored.get("at", 0) > PENDING_LINK_MAX_AGE:
        request.session.pop(PENDING_LINK_SESSION_KEY, None)
        return None
    data = dict(stored["identity"])
    provider = IdentityProvider.objects.filter(pk=data.pop("provider")).first()
    user = User._default_manager.filter(pk=stored["user"]).first()
    if provider is None or user is None:
        return None
    identity = VerifiedIdentity(
        provider=provider,
        subject=data["subject"],
        given_name=data.get("given_name", ""),
        surname=data.get("surname", ""),
        email=data.get("email", ""),
        organisations=tuple(data.get("organisations", ())),
        entitlements=tuple(data.get("entitlements", ())),
    )
    return identity, user


def link_and_sign_in(request: HttpRequest, user: AbstractBaseUser) -> AbstractBaseUser:
    """Link the pending identity to ``user``, who has just proven the account with its
    password, and sign them in through the provider's rules (municipality, groups)."""
    pending = pending_link(request)
    if pending is None or pending[1].pk != user.pk:
        raise SignInRefused(_("Det finns ingen inloggning att koppla. Börja om."))
    identity, _user = pending
    with transaction.atomic():
        FederatedIdentity.objects.get_or_create(
            provider=identity.provider, subject=identity.subject.strip(), defaults={"user": user}
        )
    request.session.pop(PENDING_LINK_SESSION_KEY, None)
    return sign_in(request, identity)


def local_sign_in_refusal(user: AbstractBaseUser) -> str | None:
    """Why ``user`` may not sign in with a password here, or None if they may.

    Administrators and anyone with Wagtail admin access always may (they are not the
    municipality's to turn off); otherwise the municipality must still take part and allow it.
    """
    if user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin"):
        return None
    municipality = get_profile(user).municipality
    if municipality is None:
        return None
    if not municipality.takes_part:
        return _left_message(municipality)
    if not municipality.local_sign_in_allowed:
        return _(
            "%(municipality)s loggar in sin personal via kommunens egen inloggning. "
            "Välj ”Logga in via din kommun”."
        ) % {"municipality": municipality.name}
    return None
