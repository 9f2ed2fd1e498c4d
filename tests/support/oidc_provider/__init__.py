"""A real OpenID Connect provider for the tests and for ``make run``: django-oauth-toolkit with
OIDC on (RS256, a key generated at each start), in a small Django project of its own — its own
settings, its own SQLite file in a data folder, its own process and port.

Start it by hand (the demo provider of ``make run``, on a fixed port)::

    .venv/bin/python -m tests.support.oidc_provider.serve --port 8001

It creates the demo identities of ``identities.py`` (printed at start), one client
(``kompetensverkstad`` / ``demo-oidc-hemlighet``) that may return to any loopback address or
``testserver``, and answers discovery at ``http://127.0.0.1:8001/o/.well-known/openid-configuration``.

The tests start it through ``process.ProviderProcess`` (a free port, a temporary data folder).
This package holds the provider project only; it imports nothing of the platform.
"""
