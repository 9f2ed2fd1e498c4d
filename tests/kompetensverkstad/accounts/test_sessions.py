"""Sessions: a new session id on signing in, a session cookie useless after signing out, and a
password change or reset ending every other session.

Every test signs in through the real sign-in forms (the site's /konto/logga-in/ and Wagtail's
/admin/login/); Django's session middleware and django-axes run as configured, no part replaced.
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.test import Client

from tests.factories import PASSWORD
from tests.kompetensverkstad.accounts.signing_in import (
    ADMIN_LOGIN,
    LOGIN,
    LOGIN_URLS,
    NEW_PASSWORD,
    SESSION_COOKIE,
    replay,
    session_key,
    sign_in,
)

pytestmark = pytest.mark.django_db

# --- Session ids --------------------------------------------------------------------------


def anonymous_session(client: Client) -> str:
    """Give ``client`` a session before sign-in, as an attacker would plant one (fixation)."""
    store = SessionStore()
    store["planted"] = "före inloggningen"
    store.create()
    client.cookies[SESSION_COOKIE] = store.session_key
    return store.session_key


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_signing_in_gives_a_new_session_id_and_retires_the_old(client, superuser, url):
    before = anonymous_session(client)

    response = sign_in(client, superuser.username, url=url)

    assert response.status_code == 302
    after = session_key(client)
    assert after != before
    assert not SessionStore().exists(before)
    # The planted id is worth nothing: presented alone it belongs to nobody.
    assert replay(before).get("/mina-sidor/").status_code == 302
    assert replay(after).get("/mina-sidor/").status_code == 200


@pytest.mark.parametrize(
    ("login_url", "logout_url", "private_url", "login_prefix"),
    [
        (LOGIN, "/konto/logga-ut/", "/mina-sidor/", LOGIN),
        (ADMIN_LOGIN, "/admin/logout/", "/admin/", ADMIN_LOGIN),
    ],
)
def test_a_session_cookie_is_useless_after_sign_out(
    client, superuser, login_url, logout_url, private_url, login_prefix
):
    sign_in(client, superuser.username, url=login_url)
    old_key = session_key(client)
    assert replay(old_key).get(private_url).status_code == 200

    response = client.post(logout_url)

    assert response.status_code == 302
    assert not SessionStore().exists(old_key)
    replayed = replay(old_key).get(private_url)
    assert replayed.status_code == 302
    assert replayed["Location"].startswith(login_prefix)


# --- Password change ends the other sessions ----------------------------------------------


class FormValues(HTMLParser):
    """What a browser would submit from a page's forms: inputs, checked boxes, selected options."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in {"file", "submit", "button"}:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            self.values[name] = a.get("value") or ("on" if a.get("type") == "checkbox" else "")
        elif tag == "select":
            self._select = name
        elif (
            tag == "option"
            and self._select
            and ("selected" in a or self._select not in self.values)
        ):
            self.values[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def change_password_on_the_site(client: Client, user) -> None:
    response = client.post(
        "/konto/losenord/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content[:500]


def change_password_in_the_admin(client: Client, user) -> None:
    parser = FormValues()
    parser.feed(client.get("/admin/account/").text)
    data = {k: v for k, v in parser.values.items() if k != "csrfmiddlewaretoken"}
    data.update(
        {
            "password-old_password": PASSWORD,
            "password-new_password1": NEW_PASSWORD,
            "password-new_password2": NEW_PASSWORD,
        }
    )
    response = client.post("/admin/account/", data)
    assert response.status_code == 302, response.content[:2000]


@pytest.mark.parametrize(
    ("login_url", "change", "private_url"),
    [
        (LOGIN, change_password_on_the_site, "/konto/profil/"),
        (ADMIN_LOGIN, change_password_in_the_admin, "/admin/"),
    ],
    ids=["site", "admin"],
)
def test_changing_the_password_ends_every_other_session(superuser, login_url, change, private_url):
    here, elsewhere = Client(), Client()
    sign_in(here, superuser.username, url=login_url)
    sign_in(elsewhere, superuser.username, url=login_url)
    assert elsewhere.get(private_url).status_code == 200

    change(here, superuser)

    assert get_user_model().objects.get(pk=superuser.pk).check_password(NEW_PASSWORD)
    assert here.get(private_url).status_code == 200
    response = elsewhere.get(private_url)
    assert response.status_code == 302
    assert response["Location"].startswith(login_url)


def test_resetting_a_forgotten_password_ends_every_session(learner):
    elsewhere = Client()
    sign_in(elsewhere, learner.username)
    client = Client()
    client.post("/konto/aterstall-losenord/", {"email": learner.email})
    link = re.search(r"(/konto/aterstall-losenord/\S+/\S+/)", mail.outbox[0].body).group(1)
    set_password_url = client.get(link)["Location"]

    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert client.get("/mina-sidor/").status_code == 200
    assert elsewhere.get("/mina-sidor/").status_code == 302
