"""The demo's OpenID Connect provider: ``make run`` starts the test suite's real provider
(django-oauth-toolkit, ``tests/support/oidc_provider``) on port 8002, and this adds it to the
site with its organisations mapped to Kalmar and Västervik and its trainer role to the
*Utbildare* group. Left out with a message where the provider is not there (an installed
package without the repository's ``tests/`` folder)."""

import os

from django.contrib.auth.models import Group

from kompetensverkstad.accounts.federation.models import (
    IdentityProvider,
    OrganisationMapping,
    RoleMapping,
)
from kompetensverkstad.accounts.models import Municipality

from . import content
from .build import Build

DEMO_OIDC_SLUG = "demo-oidc"
DEMO_OIDC_PORT = int(os.environ.get("OIDC_PORT", "8002"))


def _identities():
    try:
        from tests.support.oidc_provider import identities
    except ImportError:
        return None
    return identities


def ensure_demo_oidc_provider(build: Build) -> IdentityProvider | None:
    identities = _identities()
    if identities is None:
        build.warnings.append(
            "Demo-OIDC-leverantören hoppas över: mappen tests/support/oidc_provider saknas."
        )
        return None
    provider, created = IdentityProvider.objects.get_or_create(
        slug=DEMO_OIDC_SLUG,
        defaults={
            "name": "Demokommunernas inloggning (OpenID Connect)",
            "protocol": "oidc",
            "issuer_url": f"http://127.0.0.1:{DEMO_OIDC_PORT}/o",
            "client_id": identities.CLIENT_ID,
            "client_secret": identities.CLIENT_SECRET,
            "grant_roles": True,
        },
    )
    if not created:
        return provider
    build.created["identitetsutgivare"] += 1
    kalmar = Municipality.objects.get_or_create(name="Kalmar", defaults={"county": "kalmar"})[0]
    vastervik = Municipality.objects.get_or_create(name="Västervik", defaults={"county": "kalmar"})[
        0
    ]
    provider.municipalities.set([kalmar, vastervik])
    for value, municipality in (("Kalmar kommun", kalmar), ("Västerviks kommun", vastervik)):
        OrganisationMapping.objects.create(
            provider=provider, value=value, municipality=municipality
        )
    trainers = Group.objects.get_or_create(name=content.TRAINER_GROUP)[0]
    RoleMapping.objects.create(provider=provider, value="utbildare", group=trainers)
    return provider


def demo_oidc_rows() -> list[tuple[str, str, str]]:
    """(username, password, who) of the demo identities, for ``load_demo`` to print."""
    identities = _identities()
    if identities is None:
        return []
    return [
        (
            person.username,
            person.password,
            f"{person.given_name} {person.family_name}, {person.organisation}"
            + (f" (roll: {', '.join(person.roles)})" if person.roles else ""),
        )
        for person in identities.IDENTITIES
        if person.demo
    ]
