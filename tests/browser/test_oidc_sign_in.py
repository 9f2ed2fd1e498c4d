"""Signing in through the municipality with OpenID Connect in Chromium: from "Logga in via din
kommun" through "Välj din organisation" to the real provider's own form
(``tests/support/oidc_provider``), and back signed in, in the right municipality and group;
then a token the site must refuse, shown as a Swedish page without details."""

import pytest
from django.contrib.auth import get_user_model

from kompetensverkstad.accounts.federation.models import IdentityProvider
from kompetensverkstad.accounts.models import get_profile
from kompetensverkstad.demo.oidc import DEMO_OIDC_SLUG

from .checks import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PROVIDER_NAME = "Demokommunernas inloggning (OpenID Connect)"


def sign_in_at_provider(page, demo_site: str, username: str, password: str) -> None:
    page.goto(f"{demo_site}/konto/logga-in/?next=/mina-sidor/")
    page.get_by_role("link", name="Logga in via din kommun").click()
    if page.get_by_role("heading", name="Välj din organisation").is_visible():
        page.get_by_role("link", name=PROVIDER_NAME).click()
    # The provider's own sign-in form, on its own port.
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def test_a_person_signs_in_with_openid_connect(tab, chromium, demo_site, oidc_provider):
    # load_demo added the demo provider of `make run`; here it is the test's provider.
    IdentityProvider.objects.filter(slug=DEMO_OIDC_SLUG).update(issuer_url=oidc_provider.issuer)

    page = tab
    page.goto(f"{demo_site}/konto/kommun/")
    assert_accessible(page)
    sign_in_at_provider(page, demo_site, "olof.kalmar", "demo-olof")
    page.wait_for_url(f"{demo_site}/mina-sidor/")
    assert "Olof" in page.content()
    assert_accessible(page)

    user = get_user_model().objects.get(email="olof.nyberg@kalmar.example.org")
    assert get_profile(user).municipality.name == "Kalmar"
    assert user.groups.filter(name="Utbildare").exists()

    # A token signed with a key the provider does not publish: refused, in Swedish.
    other = chromium.new_context(locale="sv-SE", bypass_csp=True).new_page()
    try:
        sign_in_at_provider(other, demo_site, "forfalskad", "test-forfalskad")
        other.get_by_role("heading", name="Inloggningen gick inte").wait_for()
        assert "hade ingen giltig signatur" in other.content()
        assert "Traceback" not in other.content()
        assert_accessible(other)
    finally:
        other.context.close()
    assert not get_user_model().objects.filter(email="fia@kalmar.example.org").exists()
