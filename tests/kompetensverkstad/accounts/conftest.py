"""Fixtures for the account tests: staff with e-mail usernames, municipalities, a user manager."""

import pytest
from django.contrib.auth.models import Permission

from kompetensverkstad.accounts.models import Municipality, Profile
from tests.factories import UserFactory


@pytest.fixture
def vaxjo(db) -> Municipality:
    return Municipality.objects.create(name="Växjö", county="kronoberg")


@pytest.fixture
def alvesta(db) -> Municipality:
    return Municipality.objects.create(name="Alvesta", county="kronoberg")


@pytest.fixture
def anna(vaxjo):
    """A learner as the CSV import or sign-up makes one: the username is the address."""
    user = UserFactory(
        username="anna.andersson@example.org",
        email="anna.andersson@example.org",
        first_name="Anna",
        last_name="Andersson",
    )
    Profile.objects.create(user=user, municipality=vaxjo, job_title="Handläggare")
    return user


@pytest.fixture
def bo(alvesta):
    user = UserFactory(
        username="bo.berg@example.org",
        email="bo.berg@example.org",
        first_name="Bo",
        last_name="Berg",
    )
    Profile.objects.create(user=user, municipality=alvesta, job_title="Förskollärare")
    return user


@pytest.fixture
def user_manager(db):
    """Not a superuser, but allowed to add users, and so to import them."""
    user = UserFactory(username="personal", email="personal@example.org")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="auth", codename="add_user"),
    )
    return user
