"""Signing in and out on the site, and the rate limit on both the site and the Wagtail admin."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

LOGIN = "/konto/logga-in/"
ADMIN_LOGIN = "/admin/login/"
LOCKED_OUT = "För många misslyckade inloggningsförsök"


def sign_in(client, username: str, password: str, url: str = LOGIN, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


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
