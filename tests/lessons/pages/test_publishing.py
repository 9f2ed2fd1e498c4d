"""Publishing a lecture through the Wagtail admin: editor submits, moderator approves.

Relies on what Wagtail's own migrations set up: the "Editors" and "Moderators" groups with page
permissions on the root, and the "Moderators approval" workflow assigned to the root page.
"""

import pytest
from django.urls import reverse
from wagtail.models import Page, Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from lessons.models import LecturePage
from tests import factories


def lecture_form(worksheet, action: str) -> dict:
    """POST data for the admin's "add lecture" form, with every formset's management data."""
    return nested_form_data(
        {
            "title": "Mottagande i praktiken",
            "slug": "mottagande-i-praktiken",
            "intro": "Så tar kommunen emot nya invånare.",
            "video": "",
            "poster": "",
            "captions": factories.CAPTIONS,
            "chapters": inline_formset(
                [
                    {"start": "00:00", "title": "Inledning", "id": ""},
                    {"start": "00:40", "title": "Frågor", "id": ""},
                ]
            ),
            "speaker": "Robin Exempel",
            "speaker_role": "Utvecklingsledare",
            "duration_minutes": "1",
            "recorded": "Mars 2019",
            "transcript": rich_text("<p>Välkomna.</p>", features=["h3", "bold", "italic"]),
            "work_material": inline_formset([{"page": str(worksheet.pk), "id": ""}]),
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            action: "1",
        }
    )


def add_lecture_url(module) -> str:
    return reverse("wagtailadmin_pages:add", args=("lessons", "lecturepage", module.pk))


@pytest.mark.django_db
def test_default_moderation_workflow_guards_the_whole_tree(home):
    workflow = Workflow.objects.get(name="Moderators approval")

    assert workflow.active
    assert Page.get_first_root_node().get_workflow() == workflow
    assert home.get_workflow() == workflow
    assert [t.name for t in workflow.tasks.all()] == ["Moderators approval"]


@pytest.mark.django_db
def test_editor_submits_lecture_and_moderator_approves_it(
    client, editor, moderator, module_page, worksheet_page
):
    client.force_login(editor)
    response = client.post(
        add_lecture_url(module_page), lecture_form(worksheet_page, "action-submit")
    )

    assert response.status_code == 302, response.context["form"].errors
    lecture = LecturePage.objects.get(slug="mottagande-i-praktiken")
    assert not lecture.live
    assert lecture.get_parent().specific == module_page
    assert [c.title for c in lecture.chapters.all()] == ["Inledning", "Frågor"]
    assert [m.page_id for m in lecture.work_material.all()] == [worksheet_page.pk]
    state = lecture.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == editor
    assert client.get(lecture.url).status_code == 404  # the public cannot see it yet

    client.force_login(moderator)
    task_state = lecture.current_workflow_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(lecture.pk, "approve", task_state.pk)),
        {"comment": "Bra, publicera."},
    )

    assert response.status_code == 302
    lecture.refresh_from_db()
    assert lecture.live
    assert lecture.first_published_at is not None
    assert lecture.revisions.count() >= 1
    assert lecture.live_revision is not None
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    client.logout()
    public = client.get(lecture.url)
    assert public.status_code == 200
    assert "Mottagande i praktiken" in public.content.decode()
    assert 'data-seek="40"' in public.content.decode()


@pytest.mark.django_db
def test_editor_cannot_publish_without_moderator(client, editor, module_page, worksheet_page):
    client.force_login(editor)

    response = client.post(
        add_lecture_url(module_page), lecture_form(worksheet_page, "action-publish")
    )

    # The form is valid, so the page is saved, but only as a draft awaiting a moderator.
    assert response.status_code == 302
    lecture = LecturePage.objects.get(slug="mottagande-i-praktiken")
    assert not lecture.live
    assert lecture.has_unpublished_changes
    assert client.get(lecture.url).status_code == 404


@pytest.mark.django_db
def test_moderator_can_publish_directly(client, moderator, module_page, worksheet_page):
    client.force_login(moderator)

    response = client.post(
        add_lecture_url(module_page), lecture_form(worksheet_page, "action-publish")
    )

    assert response.status_code == 302
    assert LecturePage.objects.get(slug="mottagande-i-praktiken").live


@pytest.mark.django_db
def test_admin_refuses_a_lecture_with_bad_chapter_time_and_captions(
    client, moderator, module_page, worksheet_page
):
    client.force_login(moderator)
    data = lecture_form(worksheet_page, "action-publish")
    data["chapters-1-start"] = "4 min"
    data["captions"] = "inte webvtt"

    response = client.post(add_lecture_url(module_page), data)

    assert response.status_code == 200
    assert not LecturePage.objects.filter(slug="mottagande-i-praktiken").exists()
    form = response.context["form"]
    assert "captions" in form.errors
    assert form.formsets["chapters"].forms[1].errors["start"]


@pytest.mark.django_db
def test_anonymous_visitor_cannot_reach_the_admin_add_view(client, module_page):
    response = client.get(add_lecture_url(module_page))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
