"""OpenID Connect sign-in through a real provider (django-oauth-toolkit in its own process,
``tests/support/oidc_provider``): the platform's client follows the authorization code flow
with PKCE, and every answer that must not hold is refused with a Swedish sentence and no
account created."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from kompetensverkstad.accounts.federation.models import (
    FederatedIdentity,
    IdentityProvider,
    OrganisationMapping,
    RoleMapping,
)
from kompetensverkstad.accounts.models import Municipality, get_profile
from tests.factories import UserFactory
from tests.support.oidc_provider.process import free_port, sign_in

User = get_user_model()


@pytest.fixture
def kalmar(db):
    return Municipality.objects.create(name="Kalmar", county="kalmar")


@pytest.fixture
def vastervik(db):
    return Municipality.objects.create(name="Västervik", county="kalmar")


@pytest.fixture
def idp(oidc_provider, kalmar, vastervik) -> IdentityProvider:
    """The county's OIDC provider, serving Kalmar and Västervik, with trainers' roles allowed."""
    provider = IdentityProvider.objects.create(
        name="Länets inloggning",
        slug="lanet-oidc",
        protocol="oidc",
        issuer_url=oidc_provider.issuer,
        client_id=oidc_provider.client_id,
        client_secret=oidc_provider.client_secret,
        grant_roles=True,
    )
    provider.municipalities.set([kalmar, vastervik])
    OrganisationMapping.objects.create(
        provider=provider, value="Kalmar kommun", municipality=kalmar
    )
    OrganisationMapping.objects.create(
        provider=provider, value="Västerviks kommun", municipality=vastervik
    )
    trainers, _ = Group.objects.get_or_create(name="Utbildare")
    RoleMapping.objects.create(provider=provider, value="utbildare", group=trainers)
    return provider


def through_provider(client: Client, idp, username: str, password: str, next_url: str = ""):
    """Start at the platform, sign in at the provider's form, and bring its answer back."""
    start = client.get(idp.login_url(next_url))
    assert start.status_code == 302, start.content
    answer = sign_in(start["Location"], username, password)
    assert answer.startswith("http://testserver/konto/oidc/tillbaka/?"), answer
    return client.get(answer), answer


def assert_refused(response, sentence: str) -> None:
    assert response.status_code in {400, 403, 404}
    page = response.content.decode()
    assert "Inloggningen gick inte" in page
    assert sentence in page
    assert "Traceback" not in page
    assert not response.wsgi_request.user.is_authenticated


def test_first_sign_in_creates_the_account_and_the_second_finds_it(client, idp, kalmar, vastervik):
    response, _ = through_provider(client, idp, "olof.kalmar", "demo-olof", "/mina-sidor/?flik=1")
    assert response.status_code == 302
    assert response["Location"] == "/mina-sidor/?flik=1"
    user = User.objects.get(email="olof.nyberg@kalmar.example.org")
    assert (user.first_name, user.last_name) == ("Olof", "Nyberg")
    assert get_profile(user).municipality == kalmar
    assert list(user.groups.values_list("name", flat=True)) == ["Utbildare"]
    assert not user.has_usable_password()
    assert client.session["_auth_user_id"] == str(user.pk)

    # Again, in a new browser, asking to be sent to another site afterwards: the same account,
    # and the next URL is not followed off the site.
    again = Client()
    response, _ = through_provider(
        again, idp, "olof.kalmar", "demo-olof", "https://elak.example.org/"
    )
    assert response["Location"] == "/mina-sidor/"
    assert again.session["_auth_user_id"] == str(user.pk)
    assert User.objects.count() == 1
    assert FederatedIdentity.objects.get().user == user

    # The organisation claim puts a colleague elsewhere in the county in her own municipality.
    through_provider(Client(), idp, "sara.vastervik", "demo-sara")
    sara = User.objects.get(email="sara.holm@vastervik.example.org")
    assert get_profile(sara).municipality == vastervik
    assert not sara.groups.exists()


@pytest.mark.parametrize(
    ("username", "password", "sentence"),
    [
        ("forfalskad", "test-forfalskad", "hade ingen giltig signatur"),
        ("fel.mottagare", "test-fel-mottagare", "utfärdat för en annan tjänst"),
        ("fel.utfardare", "test-fel-utfardare", "kom inte från den inloggningstjänst"),
    ],
    ids=["signed-with-an-unpublished-key", "wrong-audience", "wrong-issuer"],
)
def test_an_id_token_that_does_not_hold_is_refused(client, idp, username, password, sentence):
    response, _ = through_provider(client, idp, username, password)
    assert_refused(response, sentence)
    assert response.status_code == 403
    assert not User.objects.exists()
    assert not FederatedIdentity.objects.exists()


def test_a_replayed_or_missing_state_is_refused(client, idp):
    response, answer = through_provider(client, idp, "karin.kalmar", "demo-karin")
    assert response.status_code == 302
    created = User.objects.get()
    client.logout()

    # The same answer again, in the session that started it: the state was used up.
    assert_refused(client.get(answer), "redan använts")
    # Carried to another browser, which never started a sign-in.
    assert_refused(Client().get(answer), "redan använts")
    # No state at all.
    code_only = answer.split("&state=")[0]
    assert_refused(Client().get(code_only), "hörde inte till någon inloggning")
    assert list(User.objects.all()) == [created]


def test_an_unknown_or_disconnected_provider_is_refused(client, idp):
    response = client.get(reverse("federation:oidc-login", args=["finns-inte"]))
    assert response.status_code == 404
    assert "Det finns ingen sådan inloggningstjänst" in response.content.decode()

    # Switched off by an administrator while the person was signing in there.
    start = client.get(idp.login_url())
    answer = sign_in(start["Location"], "karin.kalmar", "demo-karin")
    IdentityProvider.objects.filter(pk=idp.pk).update(enabled=False)
    assert_refused(client.get(answer), "inte (längre) ansluten")
    assert not User.objects.exists()


def test_an_existing_account_with_the_e_mail_waits_for_its_password(client, idp):
    UserFactory(username="karin", email="karin.lindqvist@kalmar.example.org")
    response, _ = through_provider(client, idp, "karin.kalmar", "demo-karin", "/mina-sidor/")
    assert response.status_code == 302
    assert response["Location"] == reverse("federation:link") + "?next=%2Fmina-sidor%2F"
    assert not FederatedIdentity.objects.exists()
    assert not response.wsgi_request.user.is_authenticated


def test_a_provider_that_cannot_be_reached_is_a_swedish_page(client, kalmar):
    provider = IdentityProvider.objects.create(
        name="Kalmar kommun",
        slug="kalmar-oidc",
        protocol="oidc",
        issuer_url=f"http://127.0.0.1:{free_port()}/o",  # nothing listens there
        client_id="kompetensverkstad",
    )
    provider.municipalities.set([kalmar])
    response = client.get(provider.login_url())
    assert response.status_code == 502
    assert "Kalmar kommun svarar inte just nu" in response.content.decode()
