"""includes/document_state.html: one box for a PDF's state wherever a document is shown."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from kompetensverkstad.pdfs.models import PdfDocument
from tests import factories

pytestmark = pytest.mark.django_db

LABELS = {
    "ready_label": "Ladda ned intyget (PDF)",
    "failed_text": "Intyget kunde inte skapas.",
    "pending_text": "Intyget skapas just nu.",
}


def box(document, user, **extra) -> str:
    request = RequestFactory().get("/mina-sidor/?flik=1")
    request.user = user
    context = {"document": document, **LABELS, **extra}
    return render_to_string("includes/document_state.html", context, request=request)


def document_in(state: str, owner) -> PdfDocument:
    file = "pdfs/intyg.pdf" if state == PdfDocument.State.READY else ""
    return PdfDocument.objects.create(
        kind="certificate", source_id=1, owner=owner, state=state, file=file
    )


@pytest.mark.parametrize("state", ["queued", "rendering"])
def test_a_document_being_made_is_polled_for_its_owner(state):
    owner = factories.UserFactory()
    document = document_in(state, owner)

    html = box(document, owner)

    assert 'role="status"' in html
    assert f'data-status-url="{reverse("pdfs:status", args=[document.pk])}"' in html
    assert "Intyget skapas just nu." in html
    assert "Försök igen" not in html and "Ladda om" not in html


def test_a_ready_document_offers_the_download_and_is_not_polled():
    owner = factories.UserFactory()
    document = document_in("ready", owner)

    html = box(document, owner)

    assert f'<a class="button" href="{reverse("pdfs:download", args=[document.pk])}">' in html
    assert "Ladda ned intyget (PDF)" in html
    assert 'data-status-url=""' in html


def test_a_failed_document_offers_försök_igen_and_is_not_polled():
    # Polling a failed document would reload the page every few seconds (documents.js reloads
    # whenever the state is neither queued nor rendering).
    owner = factories.UserFactory()
    document = document_in("failed", owner)

    html = box(document, owner)

    retry = reverse("pdfs:retry", args=[document.pk])
    assert f'<form method="post" action="{retry}">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<input type="hidden" name="next" value="/mina-sidor/?flik=1">' in html
    assert "Intyget kunde inte skapas." in html
    assert 'data-status-url=""' in html


@pytest.mark.parametrize("state", ["queued", "failed"])
def test_someone_else_gets_neither_the_polling_hook_nor_the_retry(state):
    # The status and retry views answer only the owner; an administrator looking at a trainer's
    # session pack sees the state, nothing that would answer 404.
    document = document_in(state, factories.UserFactory())

    for viewer in (factories.UserFactory(), AnonymousUser()):
        html = box(document, viewer)
        assert 'data-status-url=""' in html
        assert "Försök igen" not in html


def test_no_document_yet_reads_as_being_made():
    html = box(None, factories.UserFactory())

    assert 'data-status-url=""' in html
    assert "Intyget skapas just nu." in html


def test_a_page_of_its_own_adds_a_reload_link():
    owner = factories.UserFactory()
    document = document_in("queued", owner)

    html = box(document, owner, reload_link=True)

    assert '<a href="/mina-sidor/?flik=1">Ladda om</a>' in html
    assert f'data-status-url="{reverse("pdfs:status", args=[document.pk])}"' in html
