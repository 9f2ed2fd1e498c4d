"""Open sign-up: off unless KV_SIGNUP_ENABLED, read per request so no URL reload is needed."""

from django.contrib.auth import get_user_model
from django.test import override_settings

SIGNUP = "/konto/registrera/"
GOOD_PASSWORD = "en-lang-och-ovanlig-fras"


def form(place, **changes) -> dict:
    data = {
        "first_name": "Cecilia",
        "last_name": "Ceder",
        "email": "Cecilia.Ceder@Example.org",
        "municipality": place.pk,
        "job_title": "Socialsekreterare",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    data.update(changes)
    return data


def test_signup_is_off_by_default(client, db, settings):
    assert settings.KV_SIGNUP_ENABLED is False

    assert client.get(SIGNUP).status_code == 404
    assert client.post(SIGNUP, {}).status_code == 404
    assert "Skapa ett konto" not in client.get("/konto/logga-in/").text


@override_settings(KV_SIGNUP_ENABLED=True)
def test_signup_creates_an_account_and_signs_in(client, vaxjo):
    assert "Skapa ett konto" in client.get("/konto/logga-in/").text
    page = client.get(SIGNUP)
    assert page.status_code == 200
    assert '<label for="id_password2">Lösenord igen' in page.text

    response = client.post(SIGNUP, form(vaxjo))

    assert response.status_code == 302
    assert response["Location"] == "/mina-sidor/"
    user = get_user_model().objects.get(username="cecilia.ceder@example.org")
    assert user.email == "cecilia.ceder@example.org"
    assert (user.first_name, user.last_name) == ("Cecilia", "Ceder")
    assert user.profile.municipality == vaxjo
    assert user.profile.job_title == "Socialsekreterare"
    assert user.check_password(GOOD_PASSWORD)
    assert int(client.session["_auth_user_id"]) == user.pk


@override_settings(KV_SIGNUP_ENABLED=True)
def test_signup_refuses_a_taken_address(client, vaxjo, anna):
    response = client.post(SIGNUP, form(vaxjo, email="ANNA.andersson@example.org"))

    assert response.status_code == 200
    assert "Det finns redan ett konto med den e-postadressen" in response.text
    assert get_user_model().objects.filter(email__iexact="anna.andersson@example.org").count() == 1


@override_settings(KV_SIGNUP_ENABLED=True)
def test_signup_reports_password_problems_next_to_the_fields(client, vaxjo):
    response = client.post(SIGNUP, form(vaxjo, password2="en-annan-fras-helt"))
    assert 'id="id_password2_error"' in response.text
    assert "Lösenorden är inte likadana." in response.text

    response = client.post(SIGNUP, form(vaxjo, password1="12345678", password2="12345678"))
    assert 'id="id_password1_error"' in response.text

    response = client.post(SIGNUP, form(vaxjo, municipality=""))
    assert 'id="id_municipality_error"' in response.text
    assert not get_user_model().objects.filter(username="cecilia.ceder@example.org").exists()


def test_signup_can_be_switched_on_and_off_at_runtime(client, vaxjo, settings):
    settings.KV_SIGNUP_ENABLED = True
    assert client.get(SIGNUP).status_code == 200
    settings.KV_SIGNUP_ENABLED = False
    assert client.get(SIGNUP).status_code == 404
