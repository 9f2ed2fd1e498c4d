"""Signing in and out on the site, and the lockout (django-axes) on both the site's and the
Wagtail admin's sign-in form: its page, its scope, and what does not lift it."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

from .signing_in import ADMIN_LOGIN, LOCKED_OUT, LOGIN, LOGIN_URLS, sign_in, signed_in_user_id


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_url_is_under_konto(db):
    assert reverse("accounts:login") == LOGIN


def test_sign_in_redirects_to_my_pages(client, anna):
    response = sign_in(client, "anna.andersson@example.org", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/mina-sidor/"
    assert is_signed_in(client)


def test_sign_in_follows_next(client, anna):
    response = client.post(
        f"{LOGIN}?next=/sok/",
        {"username": "anna.andersson@example.org", "password": PASSWORD, "next": "/sok/"},
    )

    assert response["Location"] == "/sok/"


def test_sign_in_ignores_the_case_of_the_address(client, anna):
    response = sign_in(client, "  Anna.Andersson@Example.ORG", PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_wrong_password_shows_a_swedish_error(client, anna):
    response = sign_in(client, "anna.andersson@example.org", "fel-losenord")

    assert response.status_code == 200
    assert "Fel e-postadress eller lösenord" in response.text
    assert not is_signed_in(client)


def test_login_page_is_in_swedish_with_labelled_fields(client, db):
    response = client.get(LOGIN)

    assert response.status_code == 200
    assert '<label for="id_username">E-postadress' in response.text
    assert '<label for="id_password">Lösenord' in response.text
    assert "Glömt lösenordet?" in response.text


def test_five_failed_attempts_lock_out_the_site_login(client, anna):
    for _attempt in range(4):
        assert sign_in(client, "anna.andersson@example.org", "fel").status_code == 200

    response = sign_in(client, "anna.andersson@example.org", "fel")

    assert response.status_code == 429
    assert LOCKED_OUT in response.text
    assert "15 minuter" in response.text
    assert "Återställ lösenordet" in response.text
    # Even the right password is refused while the lock lasts.
    response = sign_in(client, "anna.andersson@example.org", PASSWORD)
    assert response.status_code == 429
    assert not is_signed_in(client)


def test_changing_the_case_does_not_reset_the_count(client, anna):
    for variant in ["anna.andersson@example.org", "ANNA.andersson@example.org"] * 2:
        sign_in(client, variant, "fel")

    response = sign_in(client, "Anna.Andersson@example.org", "fel")

    assert response.status_code == 429


def test_lockout_is_per_user_and_address(client, anna, bo):
    for _attempt in range(5):
        sign_in(client, "anna.andersson@example.org", "fel")

    # Another person at the same address is not locked out…
    assert sign_in(client, "bo.berg@example.org", PASSWORD).status_code == 302
    client.logout()
    # …and nor is the same person from another address.
    response = sign_in(client, "anna.andersson@example.org", PASSWORD, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 302


def test_successful_sign_in_resets_the_count(client, anna):
    for _attempt in range(4):
        sign_in(client, "anna.andersson@example.org", "fel")
    assert sign_in(client, "anna.andersson@example.org", PASSWORD).status_code == 302
    client.logout()

    for _attempt in range(4):
        assert sign_in(client, "anna.andersson@example.org", "fel").status_code == 200


def test_five_failed_attempts_lock_out_the_wagtail_admin_login(client, superuser):
    for _attempt in range(4):
        assert sign_in(client, "admin", "fel", url=ADMIN_LOGIN).status_code == 200

    response = sign_in(client, "admin", "fel", url=ADMIN_LOGIN)

    assert response.status_code == 429
    assert LOCKED_OUT in response.text
    response = sign_in(client, "admin", PASSWORD, url=ADMIN_LOGIN)
    assert response.status_code == 429
    assert not is_signed_in(client)


def test_wagtail_admin_login_still_works(client, superuser):
    response = sign_in(client, "admin", PASSWORD, url=ADMIN_LOGIN)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_sign_out_only_by_post(client, anna):
    client.force_login(anna)

    assert client.get("/konto/logga-ut/").status_code == 405
    assert is_signed_in(client)

    response = client.post("/konto/logga-ut/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not is_signed_in(client)


@pytest.mark.parametrize("path", ["/konto/profil/", "/mina-sidor/"])
def test_pages_for_signed_in_people_send_others_to_the_login(client, db, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")


def test_header_offers_sign_in_when_signed_out(client, home):
    response = client.get("/sok/")

    assert f'href="{LOGIN}?next=/sok/"' in response.text
    assert "Logga ut" not in response.text
    assert "Mina sidor" not in response.text


def test_header_offers_my_pages_profile_and_sign_out_when_signed_in(client, home, anna):
    client.force_login(anna)

    response = client.get("/sok/")

    assert 'href="/mina-sidor/"' in response.text
    assert 'href="/konto/profil/"' in response.text
    assert '<form class="site-nav__form" method="post" action="/konto/logga-ut/">' in response.text
    assert 'name="csrfmiddlewaretoken"' in response.text
    assert ">Logga ut</button>" in response.text
    assert "?next=" not in response.text


# --- Lockout (django-axes) on both sign-in forms -------------------------------------------


def test_lockout_counts_the_account_and_address_together():
    # The pair, not either alone: a colleague behind the same municipal NAT is not locked out by
    # someone else's typos, and nobody can lock a known account from anywhere in the world.
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_five_failures_lock_the_sign_in_with_a_clear_page(client, learner, url):
    for _attempt in range(4):
        response = sign_in(client, learner.username, "fel", url=url)
        assert response.status_code == 200

    response = sign_in(client, learner.username, "fel", url=url)

    assert response.status_code == 429
    assert LOCKED_OUT in response.text
    assert "Försök igen om 15 minuter" in response.text
    assert 'role="alert"' in response.text
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    # The right password does not get through either while the lock lasts.
    response = sign_in(client, learner.username, PASSWORD, url=url)
    assert response.status_code == 429
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize(("fail_at", "then_try"), [(LOGIN, ADMIN_LOGIN), (ADMIN_LOGIN, LOGIN)])
def test_a_lock_earned_on_one_sign_in_form_holds_on_the_other(client, learner, fail_at, then_try):
    for _attempt in range(5):
        sign_in(client, learner.username, "fel", url=fail_at)

    response = sign_in(client, learner.username, PASSWORD, url=then_try)

    assert response.status_code == 429
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_the_lock_holds_only_for_that_account_from_that_address(
    client, learner, other_learner, url
):
    for _attempt in range(5):
        sign_in(client, learner.username, "fel", url=url)

    other_account = sign_in(Client(), other_learner.username, url=url)
    other_address = sign_in(Client(), learner.username, url=url, REMOTE_ADDR="198.51.100.7")

    assert other_account.status_code == 302
    assert other_address.status_code == 302


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_a_forged_forwarded_for_header_does_not_lift_the_lock(client, learner, url):
    # Without AXES_PROXY_COUNT nobody vouches for X-Forwarded-For; a guesser who changes it on
    # every try must still be counted at the address the connection comes from.
    for attempt in range(5):
        sign_in(
            client, learner.username, "fel", url=url, HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}"
        )

    response = sign_in(client, learner.username, url=url, HTTP_X_FORWARDED_FOR="203.0.113.99")

    assert response.status_code == 429


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_unknown_accounts_are_locked_too(client, db, url):
    # Otherwise the lockout page itself would tell which addresses have accounts.
    for _attempt in range(5):
        sign_in(client, "finns-inte@example.org", "fel", url=url)

    assert sign_in(client, "finns-inte@example.org", "fel", url=url).status_code == 429
