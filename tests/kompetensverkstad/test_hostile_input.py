"""Hostile input in the platform's pages and snippets: the standard page and the partner,
contact-person and municipality snippets, through the Wagtail admin's forms (``tests/hostile.py``
has the payloads, the checker and how each check goes)."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data

from kompetensverkstad.accounts.models import Municipality
from kompetensverkstad.models import ContactPerson, Partner, StandardPage
from tests import factories
from tests.hostile import (
    PAGE_META,
    PAYLOAD_IDS,
    PAYLOADS,
    TALLY,
    PageForm,
    Payload,
    add_page_through_the_admin,
    body_stream,
    check,
    contentstate,
    refused_with_message,
    short,
    signed_in,
)

pytestmark = pytest.mark.django_db


def standard_form(p: Payload, slug: str, image_id: int) -> tuple[dict, int]:
    data = {
        "title": short(p, 255),
        "slug": slug,
        "intro": short(p, 600),
        "body": body_stream(p, image_id),
        **PAGE_META,
    }
    return nested_form_data(data), 2 + 14  # title, intro; 14 text fields in the body


PAGE_FORMS = {
    "standard": PageForm(StandardPage, standard_form, "kompetensverkstad", "standardpage"),
}


# --- Pages through the Wagtail admin --------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS, ids=PAYLOAD_IDS)
@pytest.mark.parametrize("kind", list(PAGE_FORMS))
def test_page_fields_from_the_admin_are_inert_everywhere(kind, payload, home, editor, superuser):
    add_page_through_the_admin(kind, PAGE_FORMS[kind], payload, home, editor, superuser)


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
