"""Hostile input in the names people give themselves (the profile form), as trainers see them
in every page and export of a session, the administrator in the user listing, and the
certificate with its public check page (``tests/hostile.py`` has the payloads and the checker)."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from kompetensverkstad.pdfs.models import PdfDocument
from lessons.learning.models import ModuleCompletion
from lessons.learning.recording import record_step_completed
from lessons.models import ModulePage, ModuleStep
from lessons.workshops.models import SessionParticipant
from tests import factories
from tests.hostile import (
    PAYLOAD_IDS,
    PAYLOADS,
    TALLY,
    assert_inert,
    check,
    hostile_session,
    pdf_html,
    progress_csv,
    refused_with_message,
    short,
    signed_in,
)

pytestmark = pytest.mark.django_db


def _completed_module(home, learner) -> ModulePage:
    module = factories.ModulePageFactory(parent=home, title="Modul för intyg", slug="intyg")
    lecture = factories.LecturePageFactory(parent=module, title="Föreläsningen")
    step = factories.ModuleStepFactory(module=module, kind=ModuleStep.Kind.LECTURE, page=lecture)
    record_step_completed(learner, step)
    return module


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_profile_names_are_inert_for_trainer_admin_and_certificate(
    payload, home, workshop_module, trainer, learner, superuser, django_capture_on_commit_callbacks
):
    client = signed_in(learner)
    TALLY.tried("profile:first/last name, job title", 3)
    form = {
        "first_name": short(payload, 150),
        "last_name": short(payload, 150),
        "municipality": "",
        "job_title": short(payload, 200),
    }

    response = client.post(reverse("accounts:profile"), form)

    if not payload.storable:
        refused_with_message(response, "first_name", "last_name", "job_title")
        learner.refresh_from_db()
        assert learner.first_name == "Amina"
        return
    assert response.status_code == 302, response.context["form"].errors
    learner.refresh_from_db()
    shown = [payload] if len(payload.text) <= 150 else []
    check(client, reverse("accounts:profile"), [], "profile form")
    check(client, reverse("learning:dashboard"), [], "mina sidor (name)")

    session = hostile_session(trainer, module=workshop_module)
    participant = SessionParticipant.objects.create(
        session=session, user=learner, shares_answers=True
    )
    trainer_client = signed_in(trainer)
    for name, args in [
        ("workshops:session_detail", (session.pk,)),
        ("workshops:attendance", (session.pk,)),
        ("workshops:progress", (session.pk,)),
        ("workshops:shared_answers", (session.pk, participant.pk)),
    ]:
        check(trainer_client, reverse(name, args=args), shown, f"{name} (names)")
    pack = PdfDocument.objects.create(kind="session_pack", source_id=session.pk, content_hash="h")
    assert_inert(pdf_html(pack), shown, where="session pack attendance list")

    rows = list(csv.reader(io.StringIO(progress_csv(trainer_client, session))))
    assert rows[1][0] in (learner.get_full_name(), "'" + learner.get_full_name())
    check(signed_in(superuser), reverse("wagtailusers_users:index") + "?q=kvx", [], "admin users")

    with django_capture_on_commit_callbacks(execute=True):
        completed = _completed_module(home, learner)
    completion = ModuleCompletion.objects.get(user=learner, module=completed)
    certificate = PdfDocument.objects.get(kind="certificate", owner=learner)
    assert_inert(pdf_html(certificate), shown, where="certificate PDF HTML")
    TALLY.parsed("pdf html")
    check(
        Client(),
        reverse("learning:certificate_verify", args=(completion.verification_code,)),
        shown,
        "certificate check page",
    )
    check(client, reverse("learning:dashboard"), [], "mina sidor (certificate)")
