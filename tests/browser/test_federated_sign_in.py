"""Signing in through the municipality in Chromium: from "Logga in via din kommun" to the
discovery page (two providers: the demo's and the test's), on to a real SAML IdP, whose
auto-posting form brings the browser back signed in, in the right municipality."""

import re

import pytest
from django.contrib.auth import get_user_model

from kompetensverkstad.accounts.federation.models import IdentityProvider, OrganisationMapping
from kompetensverkstad.accounts.models import Municipality, get_profile

from .checks import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_person_signs_in_through_their_municipality(tab, demo_site, idp, sp_settings):
    idp.sp_metadata = []
    idp.sp_metadata_url = f"{demo_site}/konto/saml/metadata/"
    idp.mode = ""
    kalmar = Municipality.objects.get(name="Kalmar")
    provider = IdentityProvider.objects.create(
        name="Länets inloggning",
        slug="lanet",
        protocol="saml",
        entity_id=idp.entity_id,
        metadata_url=idp.entity_id,
    )
    provider.municipalities.set([kalmar])
    OrganisationMapping.objects.create(
        provider=provider, value="Kalmar kommun", municipality=kalmar
    )

    page = tab
    page.goto(f"{demo_site}/konto/logga-in/")
    page.get_by_role("link", name="Logga in via din kommun").click()
    page.get_by_role("heading", name="Välj din organisation").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Länets inloggning").click()

    # The IdP's own page; its answer is an HTML form that posts itself to the site.
    page.get_by_role("button", name=re.compile("Anna Berg")).click()
    page.wait_for_url(f"{demo_site}/mina-sidor/")
    assert "Anna" in page.content()

    user = get_user_model().objects.get(email="anna.berg@example.org")
    assert get_profile(user).municipality == kalmar
