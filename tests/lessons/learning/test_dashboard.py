""" "Mina sidor": progress per started module, where to continue, certificates, suggestions."""

import re

import pytest
from django.urls import reverse

from kompetensverkstad.pdfs.models import PdfDocument
from lessons.learning.completion import evaluate_completion
from lessons.learning.models import ModuleCompletion
from lessons.learning.recording import record_step_completed
from tests.factories import Kind, steps_of

DASHBOARD = "/mina-sidor/"


def section(response, heading_id: str) -> str:
    """The HTML of the dashboard section labelled by ``heading_id``, tags and all."""
    html = response.content.decode()
    match = re.search(
        rf'<section aria-labelledby="{heading_id}">(.*?)</section>', html, flags=re.DOTALL
    )
    return match.group(1) if match else ""


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def completed_module(make_module, learner):
    """A module the learner has completed; its certificate waits in the queue (no worker)."""
    module = make_module([Kind.ARTICLE], title="Bemötande i vardagen")
    record_step_completed(learner, steps_of(module)[0])
    evaluate_completion(learner.pk, module.pk)
    return module, ModuleCompletion.objects.get(user=learner, module=module)


def test_dashboard_url_is_mina_sidor():
    assert reverse("learning:dashboard") == DASHBOARD


def test_dashboard_needs_sign_in(client):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_started_module_shows_a_progress_bar_with_accessible_text(learner_client, learner, module):
    record_step_completed(learner, steps_of(module)[0])

    response = learner_client.get(DASHBOARD)

    started = section(response, "pagaende")
    assert "Vi blir fler" in started
    assert '<progress max="3" value="1" aria-label="Framsteg i modulen">' in started
    assert "1 av 3 obligatoriska steg klara (33 %)" in text(started)


def test_continue_links_the_next_unfinished_step(learner_client, learner, module):
    lecture, article, worksheet = steps_of(module)
    record_step_completed(learner, lecture)
    record_step_completed(learner, worksheet)

    started = section(learner_client.get(DASHBOARD), "pagaende")

    continue_link = f'<a class="button" href="{article.page.url}">Fortsätt där du slutade'
    assert continue_link in started


def test_modules_not_started_are_suggested(learner_client, learner, module, make_module):
    make_module([Kind.ARTICLE], title="Språk och makt")
    record_step_completed(learner, steps_of(module)[0])

    response = learner_client.get(DASHBOARD)

    assert "Språk och makt" in section(response, "forslag")
    assert "Vi blir fler" not in section(response, "forslag")
    assert "Språk och makt" not in section(response, "pagaende")


def test_new_learner_sees_no_started_modules_and_suggestions(learner_client, module):
    response = learner_client.get(DASHBOARD)

    assert "Du har inte påbörjat någon modul ännu." in text(section(response, "pagaende"))
    assert "Inga genomförda moduler ännu." in text(section(response, "klara"))
    assert "Vi blir fler" in section(response, "forslag")


def test_another_learners_progress_is_not_shown(learner_client, other_learner, module):
    record_step_completed(other_learner, steps_of(module)[0])

    response = learner_client.get(DASHBOARD)

    assert "Vi blir fler" not in section(response, "pagaende")


def test_certificate_being_made_is_shown_as_such(learner_client, completed_module):
    module, completion = completed_module

    done = section(learner_client.get(DASHBOARD), "klara")

    assert module.title in done
    assert "Intyget skapas just nu." in done
    assert completion.verification_code in done
    assert "Försök igen" not in done
    assert reverse("pdfs:status", args=[completion.certificate_id]) in done


def test_ready_certificate_offers_the_download(learner_client, completed_module, run_on_commit):
    from kompetensverkstad.pdfs.tasks import render_pdf

    _module, completion = completed_module
    with run_on_commit():
        render_pdf.delay(completion.certificate_id)

    done = section(learner_client.get(DASHBOARD), "klara")

    download = reverse("pdfs:download", args=[completion.certificate_id])
    assert f'href="{download}"' in done
    assert "Ladda ned intyget (PDF)" in done


def test_failed_certificate_offers_försök_igen(learner_client, completed_module):
    _module, completion = completed_module
    PdfDocument.objects.filter(pk=completion.certificate_id).update(
        state=PdfDocument.State.FAILED, error="RuntimeError: x"
    )

    done = section(learner_client.get(DASHBOARD), "klara")

    retry = reverse("pdfs:retry", args=[completion.certificate_id])
    assert f'<form method="post" action="{retry}">' in done
    assert "Försök igen" in done
    assert "Intyget kunde inte skapas." in done
    assert "RuntimeError" not in done  # the technical error stays in the database


def test_completed_module_leaves_the_started_list(learner_client, completed_module):
    module, _completion = completed_module

    response = learner_client.get(DASHBOARD)

    assert module.title not in section(response, "pagaende")
    assert ModuleCompletion.objects.count() == 1
