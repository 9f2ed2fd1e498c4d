"""A PDF being made, in a real browser: the page waits for it by itself (documents.js) and
stays put once the document has failed, with "Försök igen" that brings the file.

Shown on the session pack's page, which is nothing but the document's state; the worksheet and
"Mina sidor" use the same include (includes/document_state.html) and script."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import Site

from kompetensverkstad.pdfs.models import PdfDocument
from kompetensverkstad.pdfs.tasks import render_pdf
from lessons.workshops.models import TRAINER_GROUP, WorkshopSession
from tests import factories
from tests.browser.checks import assert_accessible, pdf_text
from tests.factories import build_workshop_module, make_session

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

POLL_SECONDS = 3  # documents.js asks every three seconds


@pytest.fixture
def waiting_pack(demo_site, tab, monkeypatch):
    """The trainer's pack page, signed in, with the pack left in the queue (no task is sent).

    On the demo site the browser tests share (a module of its own beside the demo's)."""
    home = Site.objects.get(is_default_site=True).root_page
    module = build_workshop_module(home, title="Vi blir fler", slug="pack-vi-blir-fler")
    trainer = factories.UserFactory(username="utbildare1", first_name="Tove", last_name="Lind")
    trainer.groups.add(Group.objects.get_or_create(name=TRAINER_GROUP)[0])
    session: WorkshopSession = make_session(trainer, module=module)

    client = Client()
    client.force_login(trainer)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    tab.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": demo_site}]
    )
    # The broker "is away": the row is written, the render waits (as for the periodic sweep).
    monkeypatch.setattr("kompetensverkstad.pdfs.pipeline.enqueue_on_commit", lambda *a: None)
    url = demo_site + reverse("workshops:session_pack", args=[session.pk])
    return url, monkeypatch


def test_the_pack_page_waits_for_the_pdf_and_brings_it_by_itself(tab, waiting_pack):
    url, _monkeypatch = waiting_pack
    response = tab.goto(url)
    assert response.status == 202
    state = tab.locator(".document-state")
    assert "Materialet skapas just nu." in state.inner_text()
    assert state.get_by_role("link", name="Ladda om").is_visible()
    assert_accessible(tab)

    document = PdfDocument.objects.get(kind="session_pack")
    with tab.expect_download(timeout=(POLL_SECONDS + 10) * 1000) as download_info:
        render_pdf.apply(args=[document.pk]).get()
    assert "Handledning för utbildaren" in pdf_text(download_info.value.path())


def test_a_failed_pack_stays_put_and_försök_igen_brings_the_file(tab, waiting_pack):
    url, monkeypatch = waiting_pack
    tab.goto(url)
    PdfDocument.objects.filter(kind="session_pack").update(state=PdfDocument.State.FAILED)
    response = tab.goto(url)
    assert response.status == 503
    assert "Materialet kunde inte skapas." in tab.locator(".document-state").inner_text()
    assert_accessible(tab)

    # A failed document is not polled: the page is not reloaded under the reader's feet.
    tab.evaluate("() => { window.stillTheSamePage = true; }")
    tab.wait_for_timeout((POLL_SECONDS + 1.5) * 1000)
    assert tab.evaluate("() => window.stillTheSamePage === true")

    monkeypatch.undo()  # the broker is back: "Försök igen" renders the pack and returns to it
    with tab.expect_download(timeout=20_000) as download_info:
        tab.get_by_role("button", name="Försök igen").click()
    assert "Handledning för utbildaren" in pdf_text(download_info.value.path())
