"""Hostile input in the lessons' pages: the lessons-learned article, the project page and the
module page (with its steps) through the Wagtail admin, shown on the public pages, the catalogue,
the learner's dashboard and the trainer's pages (``tests/hostile.py`` has the payloads and the
checker)."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from kompetensverkstad.pdfs.models import PdfDocument
from lessons.models import LessonsLearnedPage, ModulePage, ProjectPage
from tests import factories
from tests.hostile import (
    PAGE_META,
    PAYLOAD_IDS,
    PAYLOADS,
    PageForm,
    Payload,
    add_page_through_the_admin,
    assert_inert,
    body_stream,
    check,
    contentstate,
    hostile_session,
    pdf_html,
    short,
    signed_in,
)

pytestmark = pytest.mark.django_db


def lessons_form(p: Payload, slug: str, image_id: int) -> tuple[dict, int]:
    data = {
        "title": short(p, 255),
        "slug": slug,
        "intro": short(p, 800),
        "body": body_stream(p, image_id),
        **PAGE_META,
    }
    return nested_form_data(data), 2 + 14


def project_form(p: Payload, slug: str, image_id: int) -> tuple[dict, int]:
    data = {
        "title": short(p, 255),
        "slug": slug,
        "summary": short(p, 1000),
        "project_number": short(p, 30),
        "region": "smaland-oarna",
        "project_owner": short(p, 250),
        "place": short(p, 500),
        "start_date": "2019-01-01",
        "end_date": "2021-12-31",
        "planned_participants": "100",
        "women_share": "50",
        "tags": '"' + short(p, 90).replace('"', "'") + '"',
        "total_budget": "",
        "esf_grant": "",
        "cofinancing_rate": "",
        "funding": short(p, 200),
        "programme_area": "2",
        "specific_objective": short(p, 10),
        "intervention_type": short(p, 10),
        "contact": "",
        "website": "",
        "owner_logo": "",
        "key_figures": streamfield([("figure", {"value": short(p, 20), "label": short(p, 200)})]),
        "body": body_stream(p, image_id),
        **PAGE_META,
    }
    return nested_form_data(data), 11 + 2 + 14


def module_form(p: Payload, slug: str, image_id: int) -> tuple[dict, int]:
    data = {
        "title": short(p, 255),
        "slug": slug,
        "intro": short(p, 600),
        "image": "",
        "audience": short(p, 250),
        "outcomes": contentstate(p.text, "länk kvx03"),
        "min_lecture_minutes": "0",
        "reminder_after_days": "14",
        "requires_workshop": "",
        "steps": inline_formset(
            [
                {
                    "kind": "workshop",
                    "estimated_minutes": "30",
                    "required": "on",
                    "page": "",
                    "title": short(p, 200),
                    "description": short(p, 600),
                    "id": "",
                }
            ],
            min=1,
        ),
        **PAGE_META,
    }
    return nested_form_data(data), 6


PAGE_FORMS = {
    "lessons_learned": PageForm(LessonsLearnedPage, lessons_form, "lessons", "lessonslearnedpage"),
    "project": PageForm(ProjectPage, project_form, "lessons", "projectpage"),
    "module": PageForm(ModulePage, module_form, "lessons", "modulepage"),
}


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
@pytest.mark.parametrize("kind", list(PAGE_FORMS))
def test_page_fields_from_the_admin_are_inert_everywhere(
    kind, payload, home, editor, superuser, trainer, learner
):
    parent = factories.ProjectIndexPageFactory(parent=home) if kind == "project" else home
    page = add_page_through_the_admin(kind, PAGE_FORMS[kind], payload, parent, editor, superuser)
    if page is None:
        return
    if kind == "module":
        check(signed_in(learner), reverse("learning:dashboard"), [payload], "dashboard suggestions")
        _module_fields_reach_facilitator(page, payload, trainer)
    if kind == "project":
        check(Client(), parent.url + "?q=kvx", [], "project catalogue search")


def _module_fields_reach_facilitator(module, payload, trainer) -> None:
    session = hostile_session(trainer, module=module)
    trainer_client = signed_in(trainer)
    for name in ("workshops:facilitator", "workshops:session_detail", "workshops:progress"):
        check(trainer_client, reverse(name, args=(session.pk,)), [], f"{name} (module fields)")
    check(trainer_client, reverse("workshops:session_create"), [], "session form (module choices)")
    pack = PdfDocument.objects.create(kind="session_pack", source_id=session.pk, content_hash="h")
    assert_inert(pdf_html(pack), [payload], where="session pack PDF HTML (module)")
