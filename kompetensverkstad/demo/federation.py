"""The demo's identity provider: ``make run`` starts a small SAML IdP on port 8001
(``kompetensverkstad.demo.saml_idp``) and this adds it to the site, with its organisations
mapped to Kalmar and Västervik and its trainer role to the *Utbildare* group, so "Logga in via
din kommun" works on one machine. Skipped with a clear message where xmlsec1 is missing."""

import shutil

from django.contrib.auth.models import Group

from kompetensverkstad.accounts.federation.models import (
    IdentityProvider,
    OrganisationMapping,
    RoleMapping,
)
from kompetensverkstad.accounts.models import Municipality

from . import content
from .build import Build
from .saml_idp import DEMO_LABELS, demo_base_url

DEMO_IDP_SLUG = "demo-idp"
DEMO_IDP_ENTITY_ID = f"{demo_base_url()}/metadata"


def ensure_demo_identity_provider(build: Build) -> IdentityProvider | None:
    if shutil.which("xmlsec1") is None:
        build.warnings.append(
            "Demo-IdP:n (Logga in via din kommun) hoppas över: xmlsec1 saknas. Installera "
            "Debian-paketet xmlsec1 och kör make run igen. Lokal inloggning fungerar som vanligt."
        )
        return None
    provider, created = IdentityProvider.objects.get_or_create(
        slug=DEMO_IDP_SLUG,
        defaults={
            "name": "Demokommunernas inloggning",
            "protocol": "saml",
            "entity_id": DEMO_IDP_ENTITY_ID,
            "metadata_url": DEMO_IDP_ENTITY_ID,
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
    OrganisationMapping.objects.create(
        provider=provider, value="Kalmar kommun", municipality=kalmar
    )
    OrganisationMapping.objects.create(
        provider=provider, value="vastervik.example.org", municipality=vastervik
    )
    trainers = Group.objects.get_or_create(name=content.TRAINER_GROUP)[0]
    RoleMapping.objects.create(
        provider=provider, value="urn:example:kompetensverkstad:utbildare", group=trainers
    )
    return provider


def demo_identity_rows() -> list[tuple[str, str]]:
    return list(DEMO_LABELS.items())
