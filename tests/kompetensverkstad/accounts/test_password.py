"""Resetting a forgotten password by e-mail, and changing it when signed in."""

import re

from django.contrib.auth import get_user_model
from django.core import mail

from tests.factories import PASSWORD

RESET = "/konto/aterstall-losenord/"
NEW_PASSWORD = "ny-hemlig-fras-42"


def link_in(message) -> str:
    match = re.search(r"https?://[^/\s]+(/konto/aterstall-losenord/\S+/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def choose_password(client, link: str, password: str = NEW_PASSWORD):
    """Open the e-mailed link and choose a password, as a person would in the browser."""
    response = client.get(link)
    # Django moves the token into the session and redirects, so it never sits in a Referer.
    assert response.status_code == 302
    set_password_url = response["Location"]
    form = client.get(set_password_url)
    assert "Välj ett nytt lösenord" in form.text
    return client.post(set_password_url, {"new_password1": password, "new_password2": password})


def test_reset_sends_an_email_whose_link_sets_a_new_password(client, anna):
    response = client.post(RESET, {"email": "Anna.Andersson@example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/konto/aterstall-losenord/skickat/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna.andersson@example.org"]
    assert message.subject == "Välj ett nytt lösenord till Kompetensverkstaden"
    assert "Hej Anna Andersson!" in message.body

    response = choose_password(client, link_in(message))

    assert response.status_code == 302
    assert response["Location"] == "/konto/aterstall-losenord/klart/"
    anna.refresh_from_db()
    assert anna.check_password(NEW_PASSWORD)
    # The person is signed in at once, and the link cannot be used twice.
    assert "_auth_user_id" in client.session
    client.logout()
    assert "Länken fungerar inte" in client.get(link_in(message), follow=True).text


def test_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, anna):
    response = client.post(RESET, {"email": "okand@example.org"}, follow=True)

    assert "Titta i din e-post" in response.text
    assert mail.outbox == []


def test_reset_reaches_an_invited_person_without_a_password(client, anna):
    anna.set_unusable_password()
    anna.save()

    client.post(RESET, {"email": "anna.andersson@example.org"})

    assert len(mail.outbox) == 1
    choose_password(client, link_in(mail.outbox[0]))
    anna.refresh_from_db()
    assert anna.check_password(NEW_PASSWORD)


def test_reset_does_not_reach_a_deactivated_account(client, anna):
    anna.is_active = False
    anna.save()

    client.post(RESET, {"email": "anna.andersson@example.org"})

    assert mail.outbox == []


def test_reset_form_reports_an_invalid_address_next_to_the_field(client, db):
    response = client.post(RESET, {"email": "inte-en-adress"})

    assert response.status_code == 200
    assert 'id="id_email_error"' in response.text
    assert 'aria-invalid="true"' in response.text


def test_resetting_the_password_lifts_a_lockout(client, anna):
    for _attempt in range(5):
        client.post("/konto/logga-in/", {"username": anna.username, "password": "fel"})
    assert (
        client.post(
            "/konto/logga-in/", {"username": anna.username, "password": PASSWORD}
        ).status_code
        == 429
    )

    client.post(RESET, {"email": anna.email})
    choose_password(client, link_in(mail.outbox[0]))
    client.logout()

    response = client.post(
        "/konto/logga-in/", {"username": anna.username, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302


def test_signed_in_person_changes_password(client, anna):
    client.force_login(anna)

    response = client.post(
        "/konto/losenord/",
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/konto/losenord/klart/"
    assert get_user_model().objects.get(pk=anna.pk).check_password(NEW_PASSWORD)
    # Django keeps the session valid after the change.
    assert client.get("/konto/profil/").status_code == 200


def test_password_change_with_wrong_old_password_is_refused(client, anna):
    client.force_login(anna)

    response = client.post(
        "/konto/losenord/",
        {"old_password": "fel", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert 'id="id_old_password_error"' in response.text
    anna.refresh_from_db()
    assert anna.check_password(PASSWORD)
