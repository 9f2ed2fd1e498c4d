"""Hostile input in every field an editor, trainer or learner fills, and every page showing it.

Each payload of ``payloads.PAYLOADS`` goes into every text field of a form, cut to the field's
length so the form accepts it (the 100,000-character string is kept whole where a field has no
limit, such as rich text and worksheet drafts). A payload the database cannot store (NUL) must
be refused with a message. Every page that shows the fields — public pages, the Wagtail admin's
listings, history and revision comparison, the learner's and the trainer's pages, the exports
and the HTML given to WeasyPrint — is parsed by an HTML parser: no element or attribute from the
input may exist, the text must still be shown, and nothing may answer 500.

How the input gets in:
* pages and snippets: the Wagtail admin's own forms, POSTed by an editor (snippets and
  municipalities by an administrator: editors have no snippet permissions);
* worksheet answers: the autosave endpoint (JSON) and the plain form submit;
* workshop sessions: the trainer's form; profile names: the person's own profile form;
* a few pages are built with factories only to *show* input entered through the forms above
  (a project page pointing at the snippets, the module a certificate is for).
"""

import csv
import io
import json
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from kompetensverkstad.accounts.models import Municipality
from kompetensverkstad.models import ContactPerson, Partner, StandardPage
from kompetensverkstad.pdfs import kinds
from kompetensverkstad.pdfs.models import PdfDocument
from kompetensverkstad.pdfs.render import render_template_to_html
from lessons.learning.models import ModuleCompletion
from lessons.learning.recording import record_step_completed
from lessons.models import LessonsLearnedPage, ModulePage, ModuleStep, ProjectPage
from lessons.workshops.models import SessionParticipant, WorkshopSession
from tests import factories
from tests.hostile import FORMULA_PAYLOADS, PAYLOADS, STORABLE, TALLY, Payload, assert_inert, short
from worksheets.models import WorksheetPage

pytestmark = pytest.mark.django_db

PAYLOAD_IDS = [p.key for p in PAYLOADS]
NUL_MESSAGES = ("NUL", "Null", "null")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fetch(client: Client, url: str, *, status: int = 200, where: str = "", **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code != 500, f"{where or url}: 500"
    assert response.status_code == status, f"{where or url}: {response.status_code}"
    TALLY.parsed(where or url.split("?")[0])
    return response


def check(client: Client, url: str, shown: list[Payload], where: str, **kwargs):
    response = fetch(client, url, where=where, **kwargs)
    return assert_inert(response.content, shown, where=where)


def refused_with_message(response, *fields: str) -> None:
    """A form answered with its errors (not 500), naming the refused fields."""
    assert response.status_code in (200, 400), response.status_code
    form = response.context["form"]
    assert form.errors, "the form accepted what it should refuse"
    for name in fields:
        assert name in form.errors, (name, form.errors)
    assert_inert(response.content, where="refused form")


def pdf_html(document: PdfDocument) -> str:
    kind = kinds.get(document.kind)
    return render_template_to_html(kind.template, kind.build(document).context)


# --- Form data for the Wagtail admin --------------------------------------------------------------


def contentstate(text: str, link_text: str = "") -> str:
    """Draftail's JSON for a paragraph of ``text`` and a link whose URL is hostile."""
    blocks = [
        {
            "key": uuid.uuid4().hex[:5],
            "type": "unstyled",
            "depth": 0,
            "text": text,
            "inlineStyleRanges": [],
            "entityRanges": [],
            "data": {},
        }
    ]
    entity_map = {}
    if link_text:
        blocks.append(
            {
                "key": uuid.uuid4().hex[:5],
                "type": "unstyled",
                "depth": 0,
                "text": link_text,
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 0, "length": len(link_text), "key": 0}],
                "data": {},
            }
        )
        entity_map["0"] = {
            "type": "LINK",
            "mutability": "MUTABLE",
            "data": {"url": "javascript:alert('kvx03')"},
        }
    return json.dumps({"blocks": blocks, "entityMap": entity_map})


def listblock(items: list) -> dict:
    data = {
        str(i): {"value": v, "deleted": "", "order": str(i), "id": ""} for i, v in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def body_stream(p: Payload, image_id: int) -> dict:
    """Every block of ``body_blocks()``, each text field holding the payload."""
    rich = contentstate(p.text, link_text="länk kvx03")
    return streamfield(
        [
            ("heading", {"text": short(p, 120), "level": "h2"}),
            ("paragraph", rich),
            (
                "figure",
                {
                    "image": {"image": str(image_id), "alt_text": short(p, 255), "decorative": ""},
                    "caption": short(p, 250),
                },
            ),
            ("section", {"heading": short(p, 200), "summary": rich, "more": rich}),
            (
                "testimonials",
                {
                    "heading": short(p, 200),
                    "quotes": listblock([{"quote": short(p, 800), "role": short(p, 150)}]),
                    "more": rich,
                },
            ),
            (
                "key_figures",
                {
                    "heading": short(p, 120),
                    "figures": listblock([{"value": short(p, 20), "label": short(p, 200)}]),
                    "source": short(p, 250),
                },
            ),
            (
                "resource_links",
                {
                    "heading": short(p, 120),
                    "links": listblock(
                        [
                            {
                                "title": short(p, 150),
                                "url": "https://www.example.org/statistik",
                                "description": short(p, 400),
                            }
                        ]
                    ),
                },
            ),
        ]
    )


PAGE_META = {"seo_title": "", "search_description": "", "go_live_at": "", "expire_at": ""}
BODY_BLOCKS = 7


def standard_form(p: Payload, slug: str, image_id: int) -> tuple[dict, int]:
    data = {
        "title": short(p, 255),
        "slug": slug,
        "intro": short(p, 600),
        "body": body_stream(p, image_id),
        **PAGE_META,
    }
    return nested_form_data(data), 2 + 14  # title, intro; 14 text fields in the body


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


def worksheet_form(p: Payload, slug: str, image_id: int) -> tuple[dict, int]:
    question = {"prompt": short(p, 1000), "help_text": short(p, 600), "required": "on"}
    data = {
        "title": short(p, 255),
        "slug": slug,
        "purpose": short(p, 1000),
        "duration_minutes": "45",
        "group_size": short(p, 100),
        "preparation": short(p, 1500),
        "stages": streamfield(
            [("stage", {"title": short(p, 150), "minutes": "10", "description": short(p, 1500)})]
        ),
        "questions": streamfield(
            [
                ("reflection", {**question, "max_length": "5000"}),
                (
                    "scale",
                    {
                        **question,
                        "min_value": "1",
                        "max_value": "5",
                        "min_label": short(p, 80),
                        "max_label": "Mycket " + short(p, 72),
                    },
                ),
                (
                    "choice",
                    {
                        **question,
                        "options": listblock([short(p, 200), "Annat: " + short(p, 190)]),
                        "multiple": "",
                    },
                ),
                (
                    "timeline",
                    {
                        **question,
                        "min_rows": "2",
                        "period_label": short(p, 60),
                        "event_label": "Vad " + short(p, 56),
                    },
                ),
                ("discussion", {"text": contentstate(p.text, "länk kvx03"), "minutes": "10"}),
            ]
        ),
        **PAGE_META,
    }
    return nested_form_data(data), 5 + 3 + 4 * 2 + 2 + 2 + 2 + 2 + 1


def module_form(p: Payload, slug: str, image_id: int) -> tuple[dict, int]:
    data = {
        "title": short(p, 255),
        "slug": slug,
        "intro": short(p, 600),
        "image": "",
        "audience": short(p, 250),
        "outcomes": contentstate(p.text, "länk kvx03"),
        "min_lecture_minutes": "0",
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
    "standard": (StandardPage, standard_form, "kompetensverkstad", "standardpage", "home"),
    "lessons_learned": (
        LessonsLearnedPage,
        lessons_form,
        "lessons",
        "lessonslearnedpage",
        "home",
    ),
    "project": (ProjectPage, project_form, "lessons", "projectpage", "index"),
    "worksheet": (WorksheetPage, worksheet_form, "worksheets", "worksheetpage", "module"),
    "module": (ModulePage, module_form, "lessons", "modulepage", "home"),
}


# --- Pages through the Wagtail admin --------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
@pytest.mark.parametrize("kind", list(PAGE_FORMS))
def test_page_fields_from_the_admin_are_inert_everywhere(
    kind, payload, home, workshop_module, editor, superuser, trainer, learner
):
    model, build, app, model_name, parent_kind = PAGE_FORMS[kind]
    parent = {"home": home, "module": workshop_module}.get(parent_kind)
    if parent is None:
        parent = factories.ProjectIndexPageFactory(parent=home)
    image = factories.SiteImageFactory()
    slug = f"fientlig-{kind}"
    data, fields = build(payload, slug, image.pk)
    TALLY.tried(f"page:{kind}", fields)
    editor_client = signed_in(editor)
    add_url = reverse("wagtailadmin_pages:add", args=(app, model_name, parent.pk))

    response = editor_client.post(add_url, data)

    if not payload.storable:
        refused_with_message(response, "title")
        assert any(m in response.content.decode() for m in NUL_MESSAGES)
        assert not model.objects.filter(slug=slug).exists()
        return
    assert response.status_code == 302, response.context["form"].errors.as_json()[:2000]
    page = model.objects.get(slug=slug)
    # A second draft, so history and the revision comparison have two versions to show.
    data["title"] = short(payload, 250) + " v2"
    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    assert response.status_code == 302
    revisions = list(page.revisions.order_by("created_at", "pk"))
    revisions[-1].publish(user=superuser)
    page.refresh_from_db()

    # The public page and the pages that list it, signed out and signed in.
    anonymous = Client()
    check(anonymous, page.url, [payload], f"public {kind}")
    check(anonymous, parent.specific.url, [], f"public parent of {kind}")
    check(anonymous, reverse("search") + "?q=kvx", [], "site search")
    if kind == "worksheet":
        check(signed_in(learner), page.url, [payload], "worksheet page (learner)")
    if kind == "module":
        check(signed_in(learner), reverse("learning:dashboard"), [payload], "dashboard suggestions")
    if kind == "project":
        check(anonymous, parent.url + "?q=kvx", [], "project catalogue search")

    # The admin: listings, search, history, revision comparison, edit form, dashboard.
    admin = signed_in(superuser)
    for url, where, shown in [
        (reverse("wagtailadmin_explore", args=(parent.pk,)), "admin listing", [payload]),
        (reverse("wagtailadmin_pages:search") + "?q=kvx", "admin page search", []),
        (reverse("wagtailadmin_pages:history", args=(page.pk,)), "admin page history", []),
        (
            reverse(
                "wagtailadmin_pages:revisions_compare",
                args=(page.pk, revisions[0].pk, revisions[-1].pk),
            ),
            "admin revisions compare",
            [],
        ),
        (reverse("wagtailadmin_pages:edit", args=(page.pk,)), "admin edit form", []),
        (reverse("wagtailadmin_home"), "admin dashboard", []),
    ]:
        check(admin, url, shown, f"{where} ({kind})")
    check(editor_client, reverse("wagtailadmin_explore", args=(parent.pk,)), [], "editor listing")

    if kind == "worksheet":
        _worksheet_page_fields_reach_trainer_and_pdfs(page, payload, trainer, learner)
    if kind == "module":
        _module_fields_reach_facilitator(page, payload, trainer)


def _worksheet_page_fields_reach_trainer_and_pdfs(page, payload, trainer, learner) -> None:
    """An editor's worksheet in the facilitator view, shared answers, blank PDF and pack."""
    session = _session(trainer, worksheet=page)
    SessionParticipant.objects.create(session=session, user=learner, shares_answers=True)
    participant = session.participants.get()
    trainer_client = signed_in(trainer)
    check(
        trainer_client,
        reverse("workshops:facilitator", args=(session.pk,)),
        [payload],
        "facilitator (worksheet)",
    )
    check(
        trainer_client,
        reverse("workshops:shared_answers", args=(session.pk, participant.pk)),
        [],
        "shared answers (worksheet fields)",
    )
    blank = PdfDocument.objects.create(kind="blank_worksheet", source_id=page.pk, content_hash="h")
    assert_inert(pdf_html(blank), [payload], where="blank worksheet PDF HTML")
    pack = PdfDocument.objects.create(kind="session_pack", source_id=session.pk, content_hash="h")
    assert_inert(pdf_html(pack), [payload], where="session pack PDF HTML (worksheet)")
    TALLY.parsed("pdf html")


def _module_fields_reach_facilitator(module, payload, trainer) -> None:
    session = _session(trainer, module=module)
    trainer_client = signed_in(trainer)
    for name in ("workshops:facilitator", "workshops:session_detail", "workshops:progress"):
        check(trainer_client, reverse(name, args=(session.pk,)), [], f"{name} (module fields)")
    check(trainer_client, reverse("workshops:session_create"), [], "session form (module choices)")
    pack = PdfDocument.objects.create(kind="session_pack", source_id=session.pk, content_hash="h")
    assert_inert(pdf_html(pack), [payload], where="session pack PDF HTML (module)")


def _session(trainer, **material) -> WorkshopSession:
    start = timezone.now() + timedelta(days=3)
    return WorkshopSession.objects.create(
        trainer=trainer,
        title="Workshop",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Stadshuset",
        capacity=3,
        **material,
    )


@pytest.mark.parametrize("field", ["title", "intro", "body"])
def test_a_100000_character_string_is_refused_where_it_is_too_long(field, home, editor):
    long = next(p for p in PAYLOADS if p.key == "long")
    data, _fields = standard_form(
        Payload("ok", "Vanlig text", "kvx00"), "lang", factories.SiteImageFactory().pk
    )
    if field == "body":
        data["body-0-value-text"] = long.text  # a heading: 120 characters at most
    else:
        data[field] = long.text
    TALLY.tried(f"page:standard:{field} (100k)")
    response = signed_in(editor).post(
        reverse("wagtailadmin_pages:add", args=("kompetensverkstad", "standardpage", home.pk)),
        data,
    )
    refused_with_message(response, field)
    assert not StandardPage.objects.filter(slug="lang").exists()


def test_nul_in_rich_text_alone_is_refused_or_dropped_never_stored(home, editor):
    """PostgreSQL's jsonb cannot hold NUL; the rich text must never reach it with one."""
    data, _fields = standard_form(
        Payload("ok", "Vanlig text", "kvx00"), "nul-rich", factories.SiteImageFactory().pk
    )
    data["body-1-value"] = contentstate("före\x00efter kvx13")
    TALLY.tried("page:standard:rich text (NUL)")
    response = signed_in(editor).post(
        reverse("wagtailadmin_pages:add", args=("kompetensverkstad", "standardpage", home.pk)),
        data,
    )
    assert response.status_code in (200, 302), response.status_code
    page = StandardPage.objects.filter(slug="nul-rich").first()
    if response.status_code == 200:
        assert page is None
        assert response.context["form"].errors
    else:
        assert "\x00" not in json.dumps(page.body.raw_data, ensure_ascii=False)


# --- Snippets and municipalities (administrator) --------------------------------------------------


SNIPPETS = {
    "partner": (Partner, lambda p: {"name": short(p, 200), "logo": "", "url": ""}, ["name"]),
    "contactperson": (
        ContactPerson,
        lambda p: {
            "name": short(p, 200),
            "role": short(p, 200),
            "organisation": short(p, 200),
            "email": "",
            "photo": "",
        },
        ["name", "role", "organisation"],
    ),
    "municipality": (Municipality, lambda p: {"name": short(p, 100), "county": ""}, ["name"]),
}


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
@pytest.mark.parametrize("name", list(SNIPPETS))
def test_snippet_fields_are_inert_in_admin_and_on_pages(name, payload, home, superuser, trainer):
    model, build, fields = SNIPPETS[name]
    admin = signed_in(superuser)
    prefix = f"wagtailsnippets_kompetensverkstad_{name}"
    TALLY.tried(f"snippet:{name}", len(fields))

    response = admin.post(reverse(f"{prefix}:add"), build(payload))

    if not payload.storable:
        refused_with_message(response, fields[0])
        assert not model.objects.exists()
        return
    assert response.status_code == 302, response.context["form"].errors
    obj = model.objects.get()
    changed = build(payload)
    changed[fields[-1]] = short(payload, 95) + " v2"
    assert admin.post(reverse(f"{prefix}:edit", args=(obj.pk,)), changed).status_code == 302
    for url, where in [
        (reverse(f"{prefix}:list"), "snippet listing"),
        (reverse(f"{prefix}:list") + "?q=kvx", "snippet search"),
        (reverse(f"{prefix}:edit", args=(obj.pk,)), "snippet edit form"),
        (reverse(f"{prefix}:history", args=(obj.pk,)), "snippet history"),
        (reverse(f"{prefix}:delete", args=(obj.pk,)), "snippet delete confirmation"),
    ]:
        check(admin, url, [], f"{where} ({name})")
    shown_in_listing = [payload] if len(payload.text) <= 95 else []
    check(admin, reverse(f"{prefix}:list"), shown_in_listing, f"snippet listing ({name})")

    # Where the public sees them: a project page with the partner and contact people.
    if name in ("partner", "contactperson"):
        index = factories.ProjectIndexPageFactory(parent=home)
        project = factories.ProjectPageFactory(parent=index, title="Projektet")
        if name == "partner":
            project.partners.add(obj)
        else:
            project.contact = obj
            project.staff.add(obj)
        project.save_revision().publish()
        check(Client(), project.url, [payload] if len(payload.text) <= 95 else [], "project page")
    if name == "municipality":
        learner = factories.UserFactory()
        check(signed_in(learner), reverse("accounts:profile"), [], "profile municipality choices")


# --- Worksheet answers (learner) ------------------------------------------------------------------


def _answer_ids(page) -> dict[str, str]:
    return {b.block_type: b.id for b in page.questions}


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_worksheet_answers_are_inert_for_learner_trainer_and_pdf(
    payload, workshop_module, trainer, learner, django_capture_on_commit_callbacks
):
    page = workshop_module.steps.get(kind=ModuleStep.Kind.WORKSHEET).page.specific
    ids = _answer_ids(page)
    client = signed_in(learner)
    autosave = page.url + "spara/"
    timeline_row = {"period": short(payload, 100), "event": short(payload, 2000)}
    TALLY.tried("answer:autosave", 3)

    response = client.post(
        autosave,
        json.dumps({"answers": {ids["reflection"]: payload.text, ids["timeline"]: [timeline_row]}}),
        content_type="application/json",
    )

    if not payload.storable:
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert "NUL" in errors[ids["reflection"]] and "NUL" in errors[ids["timeline"]]
        TALLY.tried("answer:form submit")
        form_post = client.post(page.url, {f"q-{ids['reflection']}": payload.text})
        assert form_post.status_code == 400
        assert "NUL" in form_post.content.decode()
        assert_inert(form_post.content, where="refused worksheet form")
        return
    assert response.status_code == 200, response.content
    check(client, page.url, [payload], "worksheet with draft")

    # The plain form: submitting checks the question's own limit (5,000 characters).
    TALLY.tried("answer:form submit", 3)
    form = {
        "action": "submit",
        f"q-{ids['reflection']}": payload.text,
        f"q-{ids['scale']}": "3",
        f"q-{ids['choice']}": "Grannar",
        f"q-{ids['timeline']}-period": [timeline_row["period"]],
        f"q-{ids['timeline']}-event": [timeline_row["event"]],
    }
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(page.url, form)
    if len(payload.text) > 5000:
        assert response.status_code == 400
        assert_inert(response.content, [payload], where="worksheet refused on submit")
        form[f"q-{ids['reflection']}"] = short(payload, 5000)
        with django_capture_on_commit_callbacks(execute=False):
            response = client.post(page.url, form)
    assert response.status_code == 302, response.status_code
    check(client, page.url, [], "worksheet after submit")
    check(client, reverse("learning:dashboard"), [], "mina sidor")

    session = _session(trainer, module=workshop_module)
    participant = SessionParticipant.objects.create(
        session=session, user=learner, shares_answers=True
    )
    trainer_client = signed_in(trainer)
    shown = [payload] if len(payload.text) <= 5000 else []
    check(
        trainer_client,
        reverse("workshops:shared_answers", args=(session.pk, participant.pk)),
        shown,
        "trainer's shared answers",
    )
    check(trainer_client, reverse("workshops:facilitator", args=(session.pk,)), [], "facilitator")
    check(trainer_client, reverse("workshops:progress", args=(session.pk,)), [], "group progress")
    document = PdfDocument.objects.get(kind="worksheet", owner=learner)
    assert_inert(pdf_html(document), shown, where="answered worksheet PDF HTML")
    TALLY.parsed("pdf html")


# --- Workshop sessions (trainer) ------------------------------------------------------------------


def session_form(module, payload: Payload) -> dict:
    start = timezone.localtime() + timedelta(days=5)
    return {
        "title": short(payload, 200),
        "material": f"module:{module.pk}",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": short(payload, 300),
        "meeting_url": "",
        "capacity": "4",
        "note": short(payload, 2000),
    }


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_session_title_place_and_note_are_inert_everywhere(
    payload, workshop_module, trainer, learner
):
    client = signed_in(trainer)
    TALLY.tried("session:title/place/note", 3)

    response = client.post(
        reverse("workshops:session_create"), session_form(workshop_module, payload)
    )

    if not payload.storable:
        refused_with_message(response, "title", "place", "note")
        assert not WorkshopSession.objects.exists()
        return
    assert response.status_code == 302, response.context["form"].errors
    session = WorkshopSession.objects.get()
    SessionParticipant.objects.create(session=session, user=learner)
    title_payload = [payload] if len(payload.text) <= 200 else []
    for name, shown in [
        ("workshops:session_detail", title_payload),
        ("workshops:facilitator", title_payload),
        ("workshops:attendance", title_payload),
        ("workshops:progress", title_payload),
        ("workshops:session_edit", []),
        ("workshops:session_cancel", title_payload),
    ]:
        check(client, reverse(name, args=(session.pk,)), shown, f"{name} (session fields)")
    check(client, reverse("workshops:session_list"), title_payload, "session list")
    learner_client = signed_in(learner)
    check(
        learner_client,
        reverse("workshops:my_session", args=(session.pk,)),
        title_payload,
        "my session",
    )
    check(learner_client, reverse("learning:dashboard"), [], "mina sidor (session)")
    other = signed_in(factories.UserFactory())
    check(
        other,
        reverse("workshops:join_code", args=(session.join_code,)),
        title_payload,
        "join confirmation",
    )

    ics = fetch(
        learner_client, reverse("workshops:session_calendar", args=(session.pk,)), where="ics"
    )
    from icalendar import Calendar

    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["summary"]) == session.title
    assert str(event["description"]).startswith(session.note)

    pack = PdfDocument.objects.create(kind="session_pack", source_id=session.pk, content_hash="h")
    assert_inert(pdf_html(pack), title_payload, where="session pack PDF HTML (session)")
    TALLY.parsed("pdf html")

    # The cancellation mail is plain text; the page after cancelling must stay inert.
    response = client.post(reverse("workshops:session_cancel", args=(session.pk,)))
    assert response.status_code == 302
    check(client, reverse("workshops:session_detail", args=(session.pk,)), [], "cancelled session")
    assert all(session.title in m.subject + m.body for m in mail.outbox)


# --- Profile names (learner) ----------------------------------------------------------------------


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

    session = _session(trainer, module=workshop_module)
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

    rows = list(csv.reader(io.StringIO(_csv(trainer_client, session))))
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


def _csv(client: Client, session: WorkshopSession) -> str:
    response = fetch(
        client, reverse("workshops:progress_export_csv", args=(session.pk,)), where="csv"
    )
    return response.content.decode("utf-8-sig")


@pytest.mark.parametrize("formula", FORMULA_PAYLOADS)
def test_names_that_look_like_formulas_are_text_in_csv_and_xlsx(formula, workshop_module, trainer):
    from openpyxl import load_workbook

    person = factories.UserFactory()
    client = signed_in(person)
    form = {"first_name": formula, "last_name": formula, "municipality": "", "job_title": ""}
    assert client.post(reverse("accounts:profile"), form).status_code == 302
    TALLY.tried("profile:name (formula)", 2)
    session = _session(trainer, module=workshop_module)
    SessionParticipant.objects.create(session=session, user=person)
    trainer_client = signed_in(trainer)

    cells = [row[0] for row in csv.reader(io.StringIO(_csv(trainer_client, session)))]
    assert cells[1] == "'" + f"{formula} {formula}"
    assert not any(c[:1] in "=+-@\t\r" for c in cells)

    response = fetch(
        trainer_client, reverse("workshops:progress_export_xlsx", args=(session.pk,)), where="xlsx"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
    assert sheet["A2"].value == "'" + f"{formula} {formula}"


# --- Query strings and codes typed by anyone ------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
def test_search_codes_and_query_strings_never_answer_500(payload, home, learner):
    index = factories.ProjectIndexPageFactory(parent=home)
    anonymous = Client()
    text = payload.text[:2000]
    TALLY.tried("query strings (search, catalogue, certificate code, join code)", 6)
    check(anonymous, reverse("search"), [], "site search (query)", data={"q": text})
    filters = {"q": text, "region": text, "ar": text}
    check(anonymous, index.url, [], "catalogue filters", data=filters)
    response = anonymous.get(reverse("learning:certificate_lookup"), {"kod": text})
    assert response.status_code in (200, 404)
    assert_inert(response.content, where="certificate lookup")
    response = anonymous.get(
        reverse("learning:certificate_verify", args=[text[:16].replace("/", "-")])
    )
    assert response.status_code == 404
    assert_inert(response.content, where="certificate code in the path")
    client = signed_in(learner)
    response = client.post(reverse("workshops:join"), {"code": text[:20]})
    assert response.status_code in (400, 404)
    assert_inert(response.content, where="join form")


def test_revision_comparison_survives_a_draft_figure_without_an_image(home, editor, superuser):
    """Drafts skip required-field checks (Wagtail's deferred validation), so an editor can
    save a figure block before choosing its image; comparing such revisions must not fail."""
    plain = Payload("ok", "Vanlig text", "kvx00")
    data, _fields = standard_form(plain, "utkast-bild", factories.SiteImageFactory().pk)
    data["body-2-value-image-image"] = ""
    data["body-2-value-image-alt_text"] = ""
    client = signed_in(editor)
    add_url = reverse("wagtailadmin_pages:add", args=("kompetensverkstad", "standardpage", home.pk))
    assert client.post(add_url, data).status_code == 302
    page = StandardPage.objects.get(slug="utkast-bild")
    data["title"] = "Andra utkastet"
    assert client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data).status_code == 302
    first, second = page.revisions.order_by("created_at", "pk")

    admin = signed_in(superuser)
    for a, b in [(first, second), (second, first)]:
        url = reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, a.pk, b.pk))
        check(admin, url, [], "revisions compare (draft figure without image)")
    check(admin, reverse("wagtailadmin_pages:history", args=(page.pk,)), [], "history")


def test_the_checker_finds_markup_that_was_not_escaped():
    """The checker itself: each payload pasted raw into a page is caught (so a pass means
    escaping worked, not that the checker looked away)."""
    from django.utils.html import escape

    from tests.hostile import scan

    active = {"script", "img_onerror", "javascript_link", "svg_onload", "svg_script"}
    active |= {"style_tag", "file_url", "loopback_url", "tag_breakout"}
    for payload in PAYLOADS:
        raw = scan(f"<html><body><p>{payload.text}</p></body></html>").problems
        in_attribute = scan(f'<input value="{payload.text}">').problems
        escaped = scan(f'<p title="{escape(payload.text)}">{escape(payload.text)}</p>').problems
        assert escaped == [], payload.key
        if payload.key in active:
            assert raw, payload.key
        if payload.key == "attribute_breakout":
            assert in_attribute, payload.key
    # Literal text must be found as text; a field that stops being shown fails the check.
    with pytest.raises(AssertionError):
        assert_inert("<p>annat</p>", [PAYLOADS[0]])


def test_report_counts(capsys):
    """Prints how many payload × field attempts and parsed pages the tests above made."""
    with capsys.disabled():
        print("\n" + TALLY.summary())
    assert len(PAYLOADS) >= 17
    assert len(STORABLE) == len(PAYLOADS) - 1
