"""OpenID Connect sign-in on the federation core: the authorization code flow with PKCE, state
and nonce, the ID token's signature checked against the provider's published keys (JWKS) and
its issuer and audience against the provider configured in the admin; any number of providers
at once (``IdentityProvider`` rows with protocol ``oidc``), each person provisioned through the
core's ``provisioning.sign_in``.

``client`` talks to the provider (discovery, keys, the code exchange; Authlib underneath) and
turns a verified ID token into a ``VerifiedIdentity``; ``views`` are the two addresses a person
passes: ``federation:oidc-login`` (slug) and ``federation:oidc-callback``.

May import: the rest of the platform (``kompetensverkstad``); no app built on it.
"""
