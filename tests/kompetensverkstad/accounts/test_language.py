"""The English interface without a browser: addresses per language, the switcher, the learner's
choice kept on the profile, and mail and PDFs written in the recipient's language."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from kompetensverkstad.accounts.models import get_profile
from kompetensverkstad.pdfs.models import PdfDocument
from lessons.workshops.models import SessionParticipant, WorkshopSession
from lessons.workshops.tasks import send_cancellation_emails, send_workshop_day_before_reminders
from tests import factories
from tests.factories import Kind, build_module

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    # The test client runs the request in this thread, and the locale middleware leaves the
    # request's language active: an English request must not make the next test English.
    yield
    translation.deactivate()


def language_of(user) -> str:
    user.refresh_from_db()
    return get_profile(user).language


def test_swedish_addresses_stay_and_english_lives_under_en(client, module_page):
    path = module_page.url
    swedish = client.get(path)
    english = client.get(f"/en{path}")
    assert swedish.status_code == english.status_code == 200
    assert '<html lang="sv">' in swedish.text
    assert '<html lang="en">' in english.text
    # The switcher: the same page in the other language, each named in its own language.
    assert f'<a href="/en{path}" hreflang="en" lang="en">English</a>' in swedish.text
    assert f'<a href="{path}" hreflang="sv" lang="sv">Svenska</a>' in english.text
    # Page content stays as the editor wrote it, marked Swedish in the English interface only.
    assert f"<h1>{module_page.title}</h1>" in swedish.text
    assert f'<h1 lang="sv">{module_page.title}</h1>' in english.text
    assert "The module&#x27;s steps" in english.text or "The module's steps" in english.text
    # No cookie for the language: the address carries it.
    assert "django_language" not in english.cookies
    with translation.override("sv"):
        assert reverse("learning:dashboard") == "/mina-sidor/"
    with translation.override("en"):
        assert reverse("learning:dashboard") == "/en/mina-sidor/"


def test_signing_in_under_en_keeps_english_on_the_profile(client, learner):
    learner.set_password("rätt-lösenord-123")
    learner.save()
    response = client.post(
        "/en/konto/logga-in/", {"username": learner.username, "password": "rätt-lösenord-123"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/mina-sidor/"
    assert language_of(learner) == "en"
    client.post("/en/konto/logga-ut/")
    client.post("/konto/logga-in/", {"username": learner.username, "password": "rätt-lösenord-123"})
    assert language_of(learner) == "sv"


def test_opening_a_page_in_another_language_is_the_learners_choice(learner_client, learner, home):
    assert learner_client.get("/en/mina-sidor/").status_code == 200
    assert language_of(learner) == "en"
    # The admin, outside the language prefix, says nothing of a choice.
    learner_client.get("/admin/")
    assert language_of(learner) == "en"
    learner_client.get("/mina-sidor/")
    assert language_of(learner) == "sv"


def test_dates_and_numbers_follow_the_language():
    from django.utils.formats import date_format, number_format

    day = timezone.datetime(2026, 12, 3)
    with translation.override("sv"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "2026-12-03"
        assert number_format(1234.5, 1, force_grouping=True) == "1\xa0234,5"
    with translation.override("en"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "3 Dec 2026"
        assert date_format(day, "l j F Y") == "Thursday 3 December 2026"
        assert number_format(1234.5, 1, force_grouping=True) == "1,234.5"


@pytest.fixture
def workshop(home):
    module = build_module(home, [Kind.ARTICLE, Kind.WORKSHOP], title="Vi blir fler")
    start = timezone.now() + timedelta(hours=20)
    return WorkshopSession.objects.create(
        trainer=factories.UserFactory(),
        module=module,
        title="Workshop i Växjö",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Stadshuset",
    )


def participant(session, email: str, language: str):
    user = factories.UserFactory(email=email)
    profile = get_profile(user)
    profile.language = language
    profile.save()
    SessionParticipant.objects.create(session=session, user=user)
    return user


def test_mail_is_written_in_each_recipients_language(workshop):
    participant(workshop, "sv@example.org", "sv")
    participant(workshop, "en@example.org", "en")
    assert send_workshop_day_before_reminders.apply().get() == 2
    sent = {m.to[0]: m for m in mail.outbox}
    assert sent["sv@example.org"].subject == "I morgon: Workshop i Växjö"
    assert sent["en@example.org"].subject == "Tomorrow: Workshop i Växjö"
    assert "Reminder: the workshop" in sent["en@example.org"].body
    assert "/en/workshop/" in sent["en@example.org"].body
    assert "/en/" not in sent["sv@example.org"].body

    mail.outbox.clear()
    WorkshopSession.objects.filter(pk=workshop.pk).update(status=WorkshopSession.Status.CANCELLED)
    assert send_cancellation_emails(workshop.pk) == 2
    sent = {m.to[0]: m for m in mail.outbox}
    assert sent["sv@example.org"].subject == "Inställd: Workshop i Växjö"
    assert sent["en@example.org"].subject == "Cancelled: Workshop i Växjö"
    assert "/en/mina-sidor/" in sent["en@example.org"].body


def test_worksheet_pdf_is_rendered_in_the_learners_language(
    client, worksheet_page, django_capture_on_commit_callbacks
):
    learner = factories.UserFactory(first_name="Noor", last_name="Rahimi")
    client.force_login(learner)
    ids = {b.block_type: b.id for b in worksheet_page.questions}
    with django_capture_on_commit_callbacks(execute=True):
        # Handed in from the English page: English becomes the learner's language.
        response = client.post(
            f"/en{worksheet_page.url}",
            {
                "action": "submit",
                f"q-{ids['reflection']}": "Vi flyttade till Kalmar.",
                f"q-{ids['scale']}": "4",
                f"q-{ids['choice']}": "Grannar",
                f"q-{ids['timeline']}-period": ["1989"],
                f"q-{ids['timeline']}-event": ["Flytt"],
            },
        )
    assert response.status_code == 302
    assert response["Location"].startswith("/en/")
    document = PdfDocument.objects.get(kind="worksheet", owner=learner)
    assert document.state == "ready"
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Purpose" in text and "Syfte" not in text
    assert "3 Dec 2026" in text or timezone.localdate().strftime("%Y") in text
    assert "Vi flyttade till Kalmar." in text
