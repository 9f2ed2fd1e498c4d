"""Start the provider: ``python -m tests.support.oidc_provider.serve --port 8001``.

Makes (or reuses) a data folder, generates a fresh RS256 signing key, migrates the provider's
SQLite database, creates the client and the identities, prints them, and serves until stopped.
"""

import argparse
import os
import secrets
import sys
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

DEFAULT_REDIRECT_URIS = [
    # Any port on loopback (RFC 8252: the provider ignores the port for these): `make run`,
    # the browser tests' live server; "testserver" is the host of Django's test client.
    "http://127.0.0.1/konto/oidc/tillbaka/",
    "http://localhost/konto/oidc/tillbaka/",
    "http://testserver/konto/oidc/tillbaka/",
]


def prepare(data: Path, port: int) -> None:
    data.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (data / "signing-key.pem").write_bytes(pem)
    secret = data / "secret"
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(40))
    os.environ["OIDC_PROVIDER_DATA"] = str(data)
    os.environ["OIDC_PROVIDER_PORT"] = str(port)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.support.oidc_provider.settings"


def seed(redirect_uris: list[str]) -> None:
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    from .identities import CLIENT_ID, CLIENT_SECRET, IDENTITIES

    for identity in IDENTITIES:
        user, _ = User.objects.get_or_create(username=identity.username)
        user.set_password(identity.password)
        user.save()
    Application.objects.update_or_create(
        client_id=CLIENT_ID,
        defaults={
            "name": "Kompetensverkstad",
            "client_secret": CLIENT_SECRET,
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "algorithm": Application.RS256_ALGORITHM,
            "redirect_uris": " ".join(redirect_uris),
            "skip_authorization": True,
        },
    )


def describe(port: int) -> str:
    from .identities import CLIENT_ID, CLIENT_SECRET, IDENTITIES

    lines = [
        f"Demo-OIDC-leverantör: http://127.0.0.1:{port}/o (issuer)",
        f"  klient-id {CLIENT_ID}, klienthemlighet {CLIENT_SECRET}",
        "  identiteter (användarnamn / lösenord / organisation / roller):",
    ]
    for identity in IDENTITIES:
        if identity.demo:
            roles = ", ".join(identity.roles) or "-"
            lines.append(
                f"    {identity.username:<16} {identity.password:<12} "
                f"{identity.organisation:<18} {roles}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--data", type=Path, help="data folder (default: a temporary one)")
    parser.add_argument("--redirect-uri", action="append", dest="redirect_uris")
    args = parser.parse_args(argv)
    data = args.data or Path(tempfile.mkdtemp(prefix="oidc-provider-"))
    prepare(data, args.port)

    import django
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    seed(args.redirect_uris or DEFAULT_REDIRECT_URIS)
    print(describe(args.port), flush=True)
    run("127.0.0.1", args.port, get_wsgi_application(), threading=True)


if __name__ == "__main__":
    sys.exit(main())
