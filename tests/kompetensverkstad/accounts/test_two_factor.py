"""The second factor for staff (django-otp): set up with an authenticator app, asked for in
every new session, codes that work once, throttled guessing, and learners never asked.

The production default is read in a fresh process in settings/test_deploy.py; here the test
profile's, switched on per test with ``require_2fa``.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.kompetensverkstad.accounts.signing_in import (
    ADMIN_LOGIN,
    LOGIN,
    session_key,
    sign_in,
    signed_in_user_id,
)

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    """The code an authenticator app shows for ``device`` now (``offset`` steps away)."""
    return (
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"
    )


@pytest.fixture
def admin_access_only(db):
    user = factories.UserFactory(username="bara-admin")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return user


require_2fa = override_settings(KV_REQUIRE_2FA_FOR_STAFF=True)
SETUP = "/konto/tvastegsverifiering/aktivera/"
VERIFY = "/konto/tvastegsverifiering/"
STAFF = ["editor", "moderator", "superuser", "admin_access_only"]


def test_the_second_factor_is_on_by_default_in_production_only():
    # test_deploy.py reads the production value in a fresh process; here the test profile's.
    assert settings.KV_REQUIRE_2FA_FOR_STAFF is False


def test_when_off_staff_reach_the_admin_with_a_password(client, editor):
    sign_in(client, editor.username, url=ADMIN_LOGIN)

    assert client.get("/admin/").status_code == 200


@require_2fa
@pytest.mark.parametrize("who", STAFF)
def test_staff_without_an_app_are_sent_to_set_one_up(client, request, who):
    user = request.getfixturevalue(who)
    sign_in(client, user.username, url=ADMIN_LOGIN)

    for path in ["/admin/", "/admin/pages/", "/admin/account/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"{SETUP}?next={path.replace('/', '%2F')}"


@require_2fa
def test_learners_are_not_asked_for_a_second_factor(client, learner):
    sign_in(client, learner.username)

    assert client.get("/mina-sidor/").status_code == 200
    assert client.get("/konto/profil/").status_code == 200
    # The admin turns them away as before: to its sign-in, not to a set-up page.
    response = client.get("/admin/")
    assert response.status_code == 302
    assert not response["Location"].startswith("/konto/tvastegsverifiering")


@require_2fa
def test_setting_up_an_app_with_its_first_code_opens_the_admin(client, editor):
    sign_in(client, editor.username, url=ADMIN_LOGIN)
    page = client.get(f"{SETUP}?next=/admin/pages/")

    assert page.status_code == 200
    assert "Aktivera tvåstegsverifiering" in page.text
    assert '<svg role="img"' in page.text and "QR-kod för autentiseringsappen" in page.text
    assert '<label for="id_code">Kod' in page.text
    assert 'autocomplete="one-time-code"' in page.text
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    # Reloading keeps the key the app already scanned.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=editor).count() == 1

    wrong = client.post(f"{SETUP}?next=/admin/pages/", {"code": "000000", "next": "/admin/pages/"})
    assert wrong.status_code == 400
    assert "Koden stämmer inte" in wrong.text
    assert client.get("/admin/").status_code == 302
    key_before = session_key(client)

    # The app shows "123 456"; the space is ignored. A freshly failed device waits 1 s.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    code = code_for(device)
    done = client.post(SETUP, {"code": f"{code[:3]} {code[3:]}", "next": "/admin/pages/"})

    assert done.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    backup = list(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True))
    assert len(backup) == 10
    assert all(token in done.text for token in backup)
    assert 'href="/admin/pages/"' in done.text
    assert session_key(client) != key_before
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/pages/").status_code == 200


@pytest.fixture
def enrolled_editor(editor):
    device = TOTPDevice.objects.create(user=editor, name="app", confirmed=True)
    backup = StaticDevice.objects.create(user=editor, name="Reservkoder", confirmed=True)
    backup.token_set.create(token="reserv123")
    return editor, device


@require_2fa
def test_a_new_session_must_enter_a_code_and_cannot_add_another_app(client, enrolled_editor):
    editor, device = enrolled_editor
    sign_in(client, editor.username, url=ADMIN_LOGIN)

    response = client.get("/admin/pages/")
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2Fpages%2F"
    # With the password alone nobody can enrol a second app of their own.
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert client.post(SETUP, {"code": "123456"})["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=editor).count() == 1

    form = client.get(response["Location"])
    assert form.status_code == 200
    assert "Bekräfta med kod" in form.text
    key_before = session_key(client)
    verified = client.post(VERIFY, {"code": code_for(device), "next": "/admin/pages/"})

    assert verified.status_code == 302
    assert verified["Location"] == "/admin/pages/"
    assert session_key(client) != key_before
    assert client.get("/admin/pages/").status_code == 200


@require_2fa
def test_a_used_code_and_a_used_backup_code_do_not_work_twice(enrolled_editor):
    editor, device = enrolled_editor
    first, second, third = Client(), Client(), Client()
    for c in (first, second, third):
        sign_in(c, editor.username, url=ADMIN_LOGIN)
    code = code_for(device)

    assert first.post(VERIFY, {"code": code}).status_code == 302
    assert second.post(VERIFY, {"code": code}).status_code == 400
    # Each wrong code makes every device of the person wait a second; skip that wait.
    TOTPDevice.objects.filter(user=editor).update(throttling_failure_count=0)
    StaticDevice.objects.filter(user=editor).update(throttling_failure_count=0)
    assert second.post(VERIFY, {"code": "reserv123"}).status_code == 302
    assert third.post(VERIFY, {"code": "reserv123"}).status_code == 400
    assert third.get("/admin/").status_code == 302


@require_2fa
def test_guessing_codes_is_throttled(client, enrolled_editor):
    editor, device = enrolled_editor
    sign_in(client, editor.username, url=ADMIN_LOGIN)
    for guess in range(8):
        if guess:
            # A patient guesser waits out each delay, so every guess is checked and counted
            # (on a busy machine they would otherwise count or not by how slowly they ran).
            TOTPDevice.objects.filter(pk=device.pk).update(
                throttling_failure_timestamp=timezone.now() - timedelta(hours=1)
            )
        client.post(VERIFY, {"code": "111111"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 8

    # After eight wrong guesses the device waits minutes; even the right code is refused now.
    response = client.post(VERIFY, {"code": code_for(device)})

    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


@require_2fa
def test_the_code_page_does_not_redirect_elsewhere(client, enrolled_editor):
    editor, device = enrolled_editor
    sign_in(client, editor.username, url=ADMIN_LOGIN)

    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})

    assert response["Location"] == "/admin/"


@require_2fa
def test_signing_out_ends_the_verification(client, enrolled_editor):
    editor, device = enrolled_editor
    sign_in(client, editor.username, url=ADMIN_LOGIN)
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200

    client.post("/admin/logout/")
    sign_in(client, editor.username, url=ADMIN_LOGIN)

    assert client.get("/admin/")["Location"].startswith(VERIFY)


@require_2fa
def test_sign_in_and_out_of_the_admin_work_before_the_code(client, enrolled_editor):
    editor, _device = enrolled_editor

    assert client.get(ADMIN_LOGIN).status_code == 200
    assert client.get("/admin/password_reset/").status_code in {200, 404}
    sign_in(client, editor.username, url=ADMIN_LOGIN)
    assert client.post("/admin/logout/").status_code == 302
    assert signed_in_user_id(client) is None


@require_2fa
def test_the_code_pages_need_a_signed_in_person(client, db):
    for url in (VERIFY, SETUP):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
