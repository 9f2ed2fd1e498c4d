"""Signing in through a real SAML IdP (pysaml2's, on a local port): the first sign-in creates
the account in the municipality its organisation maps to, the second finds it; a tampered
signature, an expired assertion, a replayed one, a wrong audience and an unknown IdP are each
refused with a Swedish message and no account."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kompetensverkstad.accounts.federation.models import (
    FederatedIdentity,
    PendingAuthnRequest,
    SeenAssertion,
)
from kompetensverkstad.accounts.models import get_profile

from .conftest import idp_answer

User = get_user_model()
pytestmark = pytest.mark.django_db


def post_answer(client, action, fields):
    assert action == "http://testserver" + reverse("federation:saml-acs")
    return client.post(reverse("federation:saml-acs"), fields)


def assert_refused(response, words: str) -> None:
    text = response.content.decode()
    assert response.status_code in (400, 403), text[:800]
    assert "Inloggningen gick inte" in text
    assert words in text, text[:1500]
    assert "Traceback" not in text
    assert "_auth_user_id" not in response.wsgi_request.session


def test_first_sign_in_creates_the_account_in_the_right_municipality(client, idp, provider, kalmar):
    response = post_answer(client, *idp_answer(client, idp, "anna", "/om/"))
    assert response.status_code == 302, response.content.decode()[:800]
    assert response["Location"] == "/om/"
    user = User.objects.get(email="anna.berg@example.org")
    assert (user.first_name, user.last_name) == ("Anna", "Berg")
    assert get_profile(user).municipality == kalmar
    assert FederatedIdentity.objects.get(user=user).subject == "anna.berg@kalmar.example.org"
    assert client.session["_auth_user_id"] == str(user.pk)
    # The SP kept the last good metadata it fetched from the IdP's URL.
    provider.refresh_from_db()
    assert provider.metadata_xml and provider.metadata_fetched_at and not provider.metadata_error


def test_second_sign_in_finds_the_same_account(client, idp, provider, vastervik):
    post_answer(client, *idp_answer(client, idp, "erik"))
    first = User.objects.get(email="erik.lind@example.org")
    # Mapped by the scope of eduPersonScopedAffiliation.
    assert get_profile(first).municipality == vastervik
    client.logout()
    response = post_answer(client, *idp_answer(client, idp, "erik"))
    assert response.status_code == 302
    assert response["Location"] == "/mina-sidor/"
    assert User.objects.filter(email="erik.lind@example.org").count() == 1
    assert client.session["_auth_user_id"] == str(first.pk)


def test_an_organisation_not_connected_is_refused(client, idp, provider):
    response = post_answer(client, *idp_answer(client, idp, "okand"))
    assert_refused(response, "inte ansluten")
    assert not User.objects.exists()


def test_a_tampered_signature_is_refused(client, idp, provider):
    idp.mode = "tamper"
    response = post_answer(client, *idp_answer(client, idp, "anna"))
    assert_refused(response, "ingen giltig signatur")
    assert not User.objects.exists()


def test_an_expired_assertion_is_refused(client, idp, provider):
    idp.mode = "expired"
    response = post_answer(client, *idp_answer(client, idp, "anna"))
    assert_refused(response, "gått ut")
    assert not User.objects.exists()


def test_clock_skew_within_limits_is_tolerated(client, idp, provider):
    idp.clock_offset = -60  # the IdP's clock a minute ahead: NotBefore is in our future
    try:
        response = post_answer(client, *idp_answer(client, idp, "anna"))
    finally:
        idp.clock_offset = 0
    assert response.status_code == 302, response.content.decode()[:800]
    assert User.objects.filter(email="anna.berg@example.org").exists()


def test_clock_skew_beyond_limits_is_refused(client, idp, provider):
    idp.clock_offset = -600  # ten minutes ahead: far past the two minutes tolerated
    try:
        response = post_answer(client, *idp_answer(client, idp, "anna"))
    finally:
        idp.clock_offset = 0
    assert_refused(response, "inte giltigt än")
    assert not User.objects.exists()


def test_a_wrong_audience_is_refused(client, idp, provider):
    idp.mode = "audience"
    response = post_answer(client, *idp_answer(client, idp, "anna"))
    assert_refused(response, "en annan tjänst")
    assert not User.objects.exists()


def test_an_unknown_idp_is_refused(client, idp, provider):
    idp.mode = "unknown"
    response = post_answer(client, *idp_answer(client, idp, "anna"))
    assert_refused(response, "inte är ansluten här")
    assert not User.objects.exists()


def test_a_replayed_assertion_is_refused(client, idp, provider):
    action, fields = idp_answer(client, idp, "anna")
    assert post_answer(client, action, fields).status_code == 302
    client.logout()
    # The same answer posted again (a copy taken on the way, or the browser's back button).
    assert_refused(post_answer(client, action, fields), "redan använts")
    assert User.objects.count() == 1


def test_the_replay_store_refuses_an_assertion_even_with_a_fresh_request_record(
    client, idp, provider
):
    """Two web processes racing with the same answer: the request record alone would let both
    in; the assertion id, stored once per provider in the database, lets one."""
    action, fields = idp_answer(client, idp, "anna")
    pending = PendingAuthnRequest.objects.get(relay_state=fields["RelayState"])
    assert post_answer(client, action, fields).status_code == 302
    client.logout()
    PendingAuthnRequest.objects.create(
        relay_state=pending.relay_state,
        request_id=pending.request_id,
        provider=provider,
        next_url="",
    )
    assert_refused(post_answer(client, action, fields), "redan använts")
    assert SeenAssertion.objects.filter(provider=provider).count() == 1


def test_an_answer_without_a_request_of_ours_is_refused(client, idp, provider):
    action, fields = idp_answer(client, idp, "anna")
    fields["RelayState"] = "nagot-annat"
    assert_refused(post_answer(client, action, fields), "redan använts eller är för gammalt")
    assert not User.objects.exists()


def test_the_next_url_is_checked_with_safe_next(client, idp, provider):
    response = post_answer(client, *idp_answer(client, idp, "anna", "https://evil.example/"))
    assert response.status_code == 302
    assert response["Location"] == "/mina-sidor/"


def test_the_authn_request_is_signed_and_sent_by_redirect(client, idp, provider):
    start = client.get(reverse("federation:saml-login", args=["lanet"]))
    location = start["Location"]
    assert location.startswith(f"{idp.base_url}/sso/redirect?SAMLRequest=")
    assert "Signature=" in location and "SigAlg=" in location


def test_sp_metadata_offers_signing_encryption_and_both_bindings(client, db, sp_keys):
    xml = client.get(reverse("federation:saml-metadata")).content.decode()
    assert 'entityID="http://testserver/konto/saml/metadata/"' in xml
    assert 'AuthnRequestsSigned="true"' in xml and 'WantAssertionsSigned="true"' in xml
    assert 'use="encryption"' in xml and 'use="signing"' in xml
    assert "HTTP-Redirect" in xml and "HTTP-POST" in xml
    assert "http://testserver/konto/saml/acs/" in xml


def test_single_logout_signs_out_here_and_at_the_idp(client, idp, provider):
    post_answer(client, *idp_answer(client, idp, "anna"))
    response = client.post(reverse("federation:saml-logout"))
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"].startswith(f"{idp.base_url}/slo/redirect?SAMLRequest=")
    import requests

    back = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302
    assert back.headers["Location"].startswith("http://testserver/konto/saml/sls/?SAMLResponse=")
    done = client.get(back.headers["Location"].removeprefix("http://testserver"))
    assert done.status_code == 302


def test_a_failed_metadata_refresh_keeps_the_last_good_copy(idp, provider):
    from kompetensverkstad.accounts.federation.tasks import refresh_saml_metadata

    assert refresh_saml_metadata() == 1
    provider.refresh_from_db()
    good = provider.metadata_xml
    provider.metadata_url = idp.base_url + "/finns-inte"
    provider.save()
    assert refresh_saml_metadata(provider.pk) == 0
    provider.refresh_from_db()
    assert provider.metadata_xml == good
    assert "404" in provider.metadata_error


def test_the_coordinators_report_shows_the_new_person_under_the_right_municipality(
    client, idp, provider, kalmar, vastervik, module
):
    from lessons.reports.queries import ReportFilter, completion_rows

    post_answer(client, *idp_answer(client, idp, "anna"))
    rows = completion_rows(ReportFilter(municipality_ids=(kalmar.pk, vastervik.pk)))
    by_municipality = {row.group_label: row for row in rows}
    assert by_municipality["Kalmar"].invited == 1
    assert by_municipality["Kalmar"].active == 1  # signed in: last_login is set
    assert "Västervik" not in by_municipality


def test_an_existing_account_is_linked_only_after_its_password(client, idp, provider, kalmar):
    from tests.factories import PASSWORD, UserFactory

    existing = UserFactory(username="anna.berg@example.org", email="anna.berg@example.org")
    response = post_answer(client, *idp_answer(client, idp, "anna", "/om/"))
    assert response.status_code == 302
    assert response["Location"] == reverse("federation:link") + "?next=%2Fom%2F"
    assert not FederatedIdentity.objects.exists()
    assert "_auth_user_id" not in client.session

    linked = client.post(response["Location"], {"password": PASSWORD, "next": "/om/"})
    assert linked.status_code == 302 and linked["Location"] == "/om/"
    assert FederatedIdentity.objects.get().user == existing
    assert client.session["_auth_user_id"] == str(existing.pk)
    assert get_profile(existing).municipality == kalmar


def test_the_sign_in_page_offers_the_municipality_and_the_discovery_page_lists_providers(
    client, idp, provider
):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Logga in via din kommun" in page
    # One provider: straight there.
    only = client.get(reverse("federation:choose"), {"next": "/om/"})
    assert only.status_code == 302
    assert only["Location"] == reverse("federation:saml-login", args=["lanet"]) + "?next=%2Fom%2F"
    # Two: "Välj din organisation".
    provider.pk = None
    provider.slug, provider.name, provider.entity_id = "annan", "Annan kommun", "https://x.example"
    provider.save()
    listing = client.get(reverse("federation:choose")).content.decode()
    assert "Välj din organisation" in listing
    assert "Länets inloggning" in listing and "Annan kommun" in listing


def test_the_idp_signs_the_person_out_here_too(client, idp, provider):
    """IdP-initiated single logout: a signed LogoutRequest (HTTP-Redirect) for the person's
    NameID ends their session here, and the site answers the IdP with a LogoutResponse."""
    from saml2 import BINDING_HTTP_REDIRECT
    from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID

    post_answer(client, *idp_answer(client, idp, "anna"))
    assert "_auth_user_id" in client.session
    server = idp.server()
    sls = "http://testserver" + reverse("federation:saml-sls")
    _id, logout_request = server.create_logout_request(
        sls,
        "http://testserver" + reverse("federation:saml-metadata"),
        name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text="anna.berg@kalmar.example.org"),
        sign=False,
    )
    http_args = server.apply_binding(
        BINDING_HTTP_REDIRECT,
        str(logout_request),
        sls,
        "",
        sign=True,
        sigalg="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    )
    location = dict(http_args["headers"])["Location"].removeprefix("http://testserver")
    response = client.get(location)
    assert response.status_code == 302, response.content.decode()[:800]
    assert response["Location"].startswith(f"{idp.base_url}/slo/redirect?SAMLResponse=")
    assert "_auth_user_id" not in client.session


def test_metadata_from_an_uploaded_file(idp, provider):
    from django.core.files.base import ContentFile

    from kompetensverkstad.accounts.federation.saml.metadata import refresh_metadata

    provider.metadata_url = ""
    provider.metadata_file.save("idp.xml", ContentFile(idp.metadata_xml().encode()))
    assert refresh_metadata(provider)
    provider.refresh_from_db()
    assert idp.entity_id in provider.metadata_xml and not provider.metadata_error
    provider.metadata_file.save("fel.xml", ContentFile(b"<inte-metadata/>"))
    assert not refresh_metadata(provider)
    provider.refresh_from_db()
    assert idp.entity_id in provider.metadata_xml  # the last good copy stays
    assert "entity ID" in provider.metadata_error
