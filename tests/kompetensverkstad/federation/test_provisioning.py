"""The rules that turn a verified identity into a signed-in person (federation/provisioning.py):
found by its link, created just in time in the mapped municipality, linked to an existing account
only after its password, and each refusal with its Swedish message and nothing written."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from kompetensverkstad.accounts.federation.models import (
    FederatedIdentity,
    IdentityProvider,
    OrganisationMapping,
    RoleMapping,
)
from kompetensverkstad.accounts.federation.provisioning import (
    AccountDeactivated,
    LinkRequired,
    MissingIdentifier,
    MunicipalityLeft,
    OrganisationNotConnected,
    ProviderUnavailable,
    VerifiedIdentity,
    local_sign_in_refusal,
    resolve_user,
)
from kompetensverkstad.accounts.models import Municipality, get_profile
from tests.factories import PASSWORD, UserFactory

User = get_user_model()


@pytest.fixture
def kalmar(db):
    return Municipality.objects.create(name="Kalmar", county="kalmar")


@pytest.fixture
def vaxjo(db):
    return Municipality.objects.create(name="Växjö", county="kronoberg")


@pytest.fixture
def provider(kalmar, vaxjo):
    idp = IdentityProvider.objects.create(
        name="Länets inloggning", slug="lanet", protocol="saml", entity_id="https://idp.example.org"
    )
    idp.municipalities.set([kalmar, vaxjo])
    OrganisationMapping.objects.create(provider=idp, value="kalmar.se", municipality=kalmar)
    OrganisationMapping.objects.create(provider=idp, value="Växjö kommun", municipality=vaxjo)
    return idp


def identity(provider, **fields) -> VerifiedIdentity:
    values = {
        "subject": "anna@kalmar.se",
        "given_name": "Anna",
        "surname": "Exempel",
        "email": "anna@example.org",
        "organisations": ("kalmar.se",),
    }
    values.update(fields)
    return VerifiedIdentity(provider=provider, **values)


def test_first_sign_in_creates_the_account_in_the_mapped_municipality(provider, kalmar):
    user = resolve_user(identity(provider))
    assert (user.username, user.email, user.first_name, user.last_name) == (
        "anna@example.org",
        "anna@example.org",
        "Anna",
        "Exempel",
    )
    assert not user.has_usable_password()
    assert get_profile(user).municipality == kalmar
    assert FederatedIdentity.objects.get(user=user).subject == "anna@kalmar.se"


def test_organisation_values_match_case_insensitively(provider, vaxjo):
    user = resolve_user(identity(provider, organisations=("VÄXJÖ KOMMUN",)))
    assert get_profile(user).municipality == vaxjo


def test_second_sign_in_finds_the_same_account_and_updates_the_name(provider):
    first = resolve_user(identity(provider))
    again = resolve_user(identity(provider, given_name="Anna-Karin"))
    assert again.pk == first.pk
    assert User.objects.get(pk=first.pk).first_name == "Anna-Karin"
    assert User.objects.count() == 1


def test_the_providers_only_municipality_is_used_when_nothing_maps(kalmar):
    idp = IdentityProvider.objects.create(name="Kalmar", slug="kalmar", protocol="saml")
    idp.municipalities.set([kalmar])
    user = resolve_user(identity(idp, organisations=()))
    assert get_profile(user).municipality == kalmar


def test_an_unmapped_organisation_is_refused_and_nothing_created(provider):
    with pytest.raises(OrganisationNotConnected) as refused:
        resolve_user(identity(provider, organisations=("okand.se",)))
    assert "inte ansluten" in refused.value.message
    assert not User.objects.exists()


def test_a_disabled_provider_is_refused(provider):
    provider.enabled = False
    provider.save()
    with pytest.raises(ProviderUnavailable) as refused:
        resolve_user(identity(provider))
    assert "avstängd" in refused.value.message
    assert not User.objects.exists()


def test_a_missing_identifier_is_refused(provider):
    with pytest.raises(MissingIdentifier):
        resolve_user(identity(provider, subject="  "))
    assert not User.objects.exists()


def test_a_municipality_that_left_refuses_new_people(provider, kalmar):
    kalmar.takes_part = False
    kalmar.save()
    with pytest.raises(MunicipalityLeft) as refused:
        resolve_user(identity(provider))
    assert "deltar inte längre" in refused.value.message
    assert not User.objects.exists()


def test_a_municipality_that_left_refuses_its_people_and_keeps_their_data(provider, kalmar):
    user = resolve_user(identity(provider))
    kalmar.takes_part = False
    kalmar.save()
    with pytest.raises(MunicipalityLeft) as refused:
        resolve_user(identity(provider))
    assert "Dina uppgifter finns kvar" in refused.value.message
    assert User.objects.filter(pk=user.pk, is_active=True).exists()
    assert get_profile(User.objects.get(pk=user.pk)).municipality == kalmar


def test_a_deactivated_account_is_refused(provider):
    user = resolve_user(identity(provider))
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(AccountDeactivated):
        resolve_user(identity(provider))


def test_an_existing_account_with_the_email_is_never_linked_silently(provider):
    existing = UserFactory(username="anna@example.org", email="Anna@Example.org")
    with pytest.raises(LinkRequired) as refused:
        resolve_user(identity(provider))
    assert refused.value.user == existing
    assert "Logga in på det med lösenordet" in refused.value.message
    assert not FederatedIdentity.objects.exists()
    assert User.objects.count() == 1


def test_roles_give_groups_only_where_the_administrator_allows_it(provider):
    trainers = Group.objects.get_or_create(name="Utbildare")[0]
    RoleMapping.objects.create(provider=provider, value="urn:x:utbildare", group=trainers)
    user = resolve_user(identity(provider, entitlements=("urn:x:utbildare",)))
    assert not user.groups.exists()

    provider.grant_roles = True
    provider.save()
    resolve_user(identity(provider, entitlements=("urn:x:utbildare", "urn:x:okand")))
    assert list(user.groups.values_list("name", flat=True)) == ["Utbildare"]

    # A role no longer sent takes the group it gave away again.
    resolve_user(identity(provider, entitlements=()))
    assert not user.groups.exists()


def test_roles_never_make_anyone_staff_or_superuser(provider):
    provider.grant_roles = True
    provider.save()
    user = resolve_user(identity(provider, entitlements=("is_superuser", "admin")))
    assert not user.is_staff and not user.is_superuser


# --- Linking an existing account: the password, once -----------------------------------------


def test_linking_needs_the_accounts_password_then_signs_in(client, provider, kalmar):
    existing = UserFactory(username="anna@example.org", email="anna@example.org")
    from kompetensverkstad.accounts.federation.provisioning import store_pending_link

    session_identity = identity(provider)
    request_session = client.session
    # What sign_in() does on LinkRequired, done on the test client's session.
    fake = type("R", (), {"session": request_session})()
    store_pending_link(fake, session_identity, existing)
    request_session.save()

    page = client.get(reverse("federation:link"))
    assert page.status_code == 200
    assert "anna@example.org" in page.content.decode()

    wrong = client.post(reverse("federation:link"), {"password": "fel-losenord"})
    assert "Fel lösenord" in wrong.content.decode()
    assert not FederatedIdentity.objects.exists()

    right = client.post(reverse("federation:link"), {"password": PASSWORD})
    assert right.status_code == 302
    assert FederatedIdentity.objects.get().user == existing
    assert client.session["_auth_user_id"] == str(existing.pk)
    assert get_profile(existing).municipality == kalmar
    # Next time the identity finds the account by its link.
    assert resolve_user(session_identity) == existing


def test_the_link_page_without_a_pending_identity_says_so(client, db):
    page = client.get(reverse("federation:link"))
    assert page.status_code == 400
    assert "Börja om" in page.content.decode()


# --- Password sign-in per municipality --------------------------------------------------------


def test_local_sign_in_can_be_turned_off_per_municipality(client, kalmar):
    person = UserFactory(username="per@example.org", email="per@example.org")
    profile = get_profile(person)
    profile.municipality = kalmar
    profile.save()
    assert local_sign_in_refusal(person) is None

    kalmar.local_sign_in_allowed = False
    kalmar.save()
    page = client.post(
        reverse("accounts:login"), {"username": "per@example.org", "password": PASSWORD}
    )
    assert page.status_code == 200
    assert "Logga in via din kommun" in page.content.decode()
    assert "_auth_user_id" not in client.session

    # A wrong password learns nothing about the municipality's rule.
    page = client.post(
        reverse("accounts:login"), {"username": "per@example.org", "password": "fel"}
    )
    assert "Fel e-postadress eller lösenord" in page.content.decode()


def test_a_municipality_that_left_refuses_the_password_too(client, kalmar):
    person = UserFactory(username="per@example.org", email="per@example.org")
    profile = get_profile(person)
    profile.municipality = kalmar
    profile.save()
    kalmar.takes_part = False
    kalmar.save()
    page = client.post(
        reverse("accounts:login"), {"username": "per@example.org", "password": PASSWORD}
    )
    assert "deltar inte längre" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_administrators_keep_the_password_where_the_municipality_turned_it_off(client, kalmar):
    admin = UserFactory(username="admin@example.org", is_staff=True, is_superuser=True)
    profile = get_profile(admin)
    profile.municipality = kalmar
    profile.save()
    kalmar.local_sign_in_allowed = False
    kalmar.save()
    client.post(reverse("accounts:login"), {"username": "admin@example.org", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_the_sign_in_page_offers_no_municipality_without_a_provider(client, db):
    assert "Logga in via din kommun" not in client.get(reverse("accounts:login")).content.decode()
