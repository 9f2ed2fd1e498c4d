"""Signing in through the municipality's identity provider (SAML 2.0, OpenID Connect): the
protocol-neutral core, and the SAML 2.0 service provider built on it.

May import: the rest of the platform (``kompetensverkstad``); no app built on it.

The core's API (names and signatures kept stable; the OpenID Connect part builds on them):

``models``
    ``IdentityProvider`` (name, slug, ``protocol`` ``Protocol.SAML``/``Protocol.OIDC``,
    ``enabled``, ``municipalities`` it serves, ``grant_roles``; SAML: ``entity_id``,
    ``metadata_url``, ``metadata_file``, ``metadata_xml``/``metadata_fetched_at``/
    ``metadata_error`` (last good copy); OIDC: ``issuer_url``, ``client_id``,
    ``client_secret``, ``scopes``) and ``login_url(next_url="")`` (reverses
    ``federation:<protocol>-login`` with the slug; "" while that protocol has no view).
    ``OrganisationMapping`` (provider, value → municipality), ``RoleMapping`` (provider,
    value → group; only while ``provider.grant_roles``), ``FederatedIdentity`` (user,
    provider, subject; unique per provider+subject and per provider+user).
    SAML only: ``SeenAssertion`` (replay store), ``PendingAuthnRequest``.
``Municipality`` (in ``accounts.models``)
    ``takes_part`` (False: its people are refused, their data kept) and
    ``local_sign_in_allowed`` (False: its staff may not use the password form; administrators
    and anyone with Wagtail admin access always may).
``provisioning``
    ``VerifiedIdentity(provider, subject, given_name="", surname="", email="",
    organisations=(), entitlements=())`` — what a protocol part vouches for.
    ``sign_in(request, identity, session_data=None) -> User``: finds the account by
    ``FederatedIdentity``, else creates it just in time in the mapped municipality (organisation
    values, else the provider's only municipality) with the allowed groups, and signs the person
    in. Raises ``SignInRefused`` (``.message`` in Swedish; subclasses ``ProviderUnavailable``,
    ``MissingIdentifier``, ``OrganisationNotConnected``, ``MunicipalityLeft``,
    ``AccountDeactivated``, ``AccountConflict``, ``LinkRequired``). On ``LinkRequired`` the
    identity waits in the session: send the person to ``federation:link``, where the
    account's password, once, links it. ``resolve_user(identity)`` is the same without the
    request. ``local_sign_in_refusal(user) -> str | None``. ``SESSION_PROVIDER_KEY``.
``views``
    ``render_refused(request, message, status=403)`` — the Swedish failure page (no details);
    ``enabled_providers()``; ``choose`` (``federation:choose``, "Välj din organisation") and
    ``link`` (``federation:link``).
``backends.MunicipalitySignInBackend``
    the per-municipality rule on every password form (after axes, before ModelBackend).
``saml``
    the SAML 2.0 service provider (pysaml2): metadata, sign-in, assertion consumer, logout.
"""
