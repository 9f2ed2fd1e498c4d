"""The federation tests' IdP (``tests/support/saml.py``) as an administrator adds it, and the
walk through it that a browser would take, over real HTTP to the IdP."""

import re

import pytest
import requests
from django.test import Client
from django.urls import reverse

from kompetensverkstad.accounts.federation.models import IdentityProvider, OrganisationMapping
from kompetensverkstad.accounts.models import Municipality
from kompetensverkstad.demo.saml_idp import IdentityProviderApp
from tests.support.saml import hidden_fields


@pytest.fixture(autouse=True)
def _sp_settings(sp_settings) -> None:
    pass


@pytest.fixture
def kalmar(db) -> Municipality:
    return Municipality.objects.create(name="Kalmar", county="kalmar")


@pytest.fixture
def vastervik(db) -> Municipality:
    return Municipality.objects.create(name="Västervik", county="kalmar")


@pytest.fixture
def provider(idp, kalmar, vastervik, client) -> IdentityProvider:
    """The IdP as an administrator adds it: metadata URL, Kalmar and Västervik by ``o``."""
    # The IdP trusts this site's SP metadata as the test client sees it.
    idp.sp_metadata = [client.get(reverse("federation:saml-metadata")).content.decode()]
    idp.mode = ""
    idp.answers.clear()
    record = IdentityProvider.objects.create(
        name="Länets inloggning",
        slug="lanet",
        protocol="saml",
        entity_id=idp.entity_id,
        metadata_url=idp.entity_id,
    )
    record.municipalities.set([kalmar, vastervik])
    OrganisationMapping.objects.create(provider=record, value="Kalmar kommun", municipality=kalmar)
    OrganisationMapping.objects.create(
        provider=record, value="vastervik.example.org", municipality=vastervik
    )
    return record


def idp_answer(client: Client, idp: IdentityProviderApp, user: str = "anna", next_url: str = ""):
    """Start at the site's SAML sign-in, follow it to the real IdP over HTTP, pick ``user`` and
    return the form the IdP's page would post to the site: (action, fields)."""
    url = reverse("federation:saml-login", args=["lanet"])
    start = client.get(url, {"next": next_url} if next_url else {})
    assert start.status_code == 302, start.content[:500]
    chooser = requests.get(start["Location"], timeout=10)
    assert chooser.status_code == 200, chooser.text[:500]
    fields = hidden_fields(chooser.text)
    fields["user"] = user
    answer = requests.post(f"{idp.base_url}/sso/answer", data=fields, timeout=10)
    assert answer.status_code == 200, answer.text[:500]
    action = re.search(r'action="([^"]+)"', answer.text).group(1)
    return action, hidden_fields(answer.text)
