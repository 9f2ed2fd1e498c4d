"""Signing in through the real forms, for the account tests: the site's and Wagtail's sign-in
pages, the session cookie, and a client that presents nothing but a stolen session key."""

from django.conf import settings
from django.test import Client

from tests.factories import PASSWORD

LOGIN = "/konto/logga-in/"
ADMIN_LOGIN = "/admin/login/"
LOGIN_URLS = [LOGIN, ADMIN_LOGIN]
NEW_PASSWORD = "ny-hemlig-fras-42"
LOCKED_OUT = "För många misslyckade inloggningsförsök"
SESSION_COOKIE = settings.SESSION_COOKIE_NAME


def sign_in(client: Client, username: str, password: str = PASSWORD, url: str = LOGIN, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def session_key(client: Client) -> str:
    return client.cookies[SESSION_COOKIE].value


def replay(key: str) -> Client:
    """A brand-new client that presents nothing but ``key`` as its session cookie."""
    other = Client()
    other.cookies[SESSION_COOKIE] = key
    return other
