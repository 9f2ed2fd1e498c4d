"""The signed-in person's own profile: name, municipality and job title."""

from django.contrib.auth import get_user_model

from kompetensverkstad.accounts.models import Profile, get_profile
from tests.factories import UserFactory

PROFILE = "/konto/profil/"


def test_profile_shows_labelled_fields_with_current_values(client, anna):
    client.force_login(anna)

    response = client.get(PROFILE)

    assert response.status_code == 200
    html = response.text
    assert '<label for="id_first_name">Förnamn' in html
    assert '<label for="id_municipality">Kommun' in html
    assert '<label for="id_job_title">Yrkesroll' in html
    assert 'value="Anna"' in html
    assert 'value="Handläggare"' in html
    assert "anna.andersson@example.org" in html


def test_profile_edit_saves_name_municipality_and_job_title(client, anna, alvesta):
    client.force_login(anna)

    response = client.post(
        PROFILE,
        {
            "first_name": "Anna-Karin",
            "last_name": "Lind",
            "municipality": alvesta.pk,
            "job_title": "Samordnare",
        },
        follow=True,
    )

    assert response.redirect_chain == [(PROFILE, 302)]
    assert "Dina uppgifter är sparade." in response.text
    anna.refresh_from_db()
    assert (anna.first_name, anna.last_name) == ("Anna-Karin", "Lind")
    assert anna.profile.municipality == alvesta
    assert anna.profile.job_title == "Samordnare"


def test_profile_errors_are_shown_next_to_the_fields(client, anna):
    client.force_login(anna)

    response = client.post(
        PROFILE, {"first_name": "", "last_name": "Andersson", "municipality": "999999"}
    )

    assert response.status_code == 200
    html = response.text
    assert '<ul class="field__errors" id="id_first_name_error">' in html
    assert '<ul class="field__errors" id="id_municipality_error">' in html
    assert 'aria-describedby="id_first_name_error"' in html
    assert "Något behöver rättas" in html
    anna.refresh_from_db()
    assert anna.first_name == "Anna"


def test_profile_is_always_the_signed_in_persons_own(client, anna, bo):
    client.force_login(bo)

    html = client.get(PROFILE).text
    assert 'value="Bo"' in html
    assert "anna.andersson@example.org" not in html
    assert 'value="Handläggare"' not in html

    # There is no way to address another person's profile: a posted id changes nothing.
    client.post(
        PROFILE,
        {"first_name": "Bo", "last_name": "Berg", "job_title": "Rektor", "user": anna.pk},
    )
    anna.refresh_from_db()
    bo.refresh_from_db()
    assert anna.profile.job_title == "Handläggare"
    assert bo.profile.job_title == "Rektor"


def test_profile_is_created_on_first_visit(client, db):
    user = UserFactory()
    assert not Profile.objects.filter(user=user).exists()
    client.force_login(user)

    assert client.get(PROFILE).status_code == 200

    assert Profile.objects.filter(user=user).exists()


def test_get_profile_creates_once(db):
    user = UserFactory()

    first = get_profile(user)
    again = get_profile(get_user_model().objects.get(pk=user.pk))

    assert first.pk == again.pk
    assert Profile.objects.filter(user=user).count() == 1
