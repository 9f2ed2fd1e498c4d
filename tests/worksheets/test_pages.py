"""Worksheet pages: the trainer's instruction, the learner's questions, the tree rules."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from wagtail import blocks

from lessons.models import LecturePage, ModulePage
from worksheets.blocks import ChoiceQuestionBlock
from worksheets.models import WorksheetPage

WORKSHEET_MAX_QUERIES = 17


@pytest.mark.django_db
def test_worksheet_page_shows_instruction_stages_and_every_question_type(render, worksheet_page):
    response = render(worksheet_page.url, max_queries=WORKSHEET_MAX_QUERIES, label="WorksheetPage")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Min egen historia</h1>" in html
    assert "Instruktion för utbildaren" in html
    assert "<dd>3–5 personer</dd>" in html
    assert "<strong>Inledning</strong>" in html and "<strong>Samtal</strong>" in html
    assert "När flyttade du första gången?" in html
    assert "1 = Inte alls" in html and "5 = Mycket" in html
    assert "<li>Kommunen</li>" in html
    assert '<caption class="visually-hidden">Rita din tidslinje</caption>' in html
    assert html.count("<tr><td>&nbsp;</td><td>&nbsp;</td></tr>") == 3
    assert "Samtala i gruppen" in html
    # Each question is addressable by its stable block id, which answers are keyed by.
    for question in worksheet_page.questions:
        assert f'id="fraga-{question.id}"' in html


@pytest.mark.django_db
def test_only_written_questions_take_answers(worksheet_page):
    kinds = [q.block_type for q in worksheet_page.question_blocks()]

    assert kinds == ["reflection", "scale", "choice", "timeline"]


@pytest.mark.django_db
def test_worksheet_stage_minutes_are_summed(rf, worksheet_page):
    request = rf.get(worksheet_page.url)
    request.user = AnonymousUser()

    context = worksheet_page.get_context(request)

    assert context["stage_minutes"] == 45


def test_choice_question_refuses_duplicate_options():
    block = ChoiceQuestionBlock()
    value = block.to_python(
        {
            "prompt": "Vem hjälpte dig?",
            "help_text": "",
            "required": True,
            "options": ["Grannar", "grannar "],
            "multiple": False,
        }
    )

    with pytest.raises(blocks.StructBlockValidationError) as excinfo:
        block.clean(value)

    assert isinstance(excinfo.value.block_errors["options"], ValidationError)


@pytest.mark.django_db
def test_worksheet_lives_only_under_a_module(home, module_page, lecture_page):
    assert WorksheetPage.can_create_at(module_page)
    assert not WorksheetPage.can_create_at(home)
    assert not WorksheetPage.can_create_at(lecture_page)
    assert WorksheetPage.allowed_parent_page_models() == [ModulePage]
    assert WorksheetPage.allowed_subpage_models() == []
    assert LecturePage not in WorksheetPage.allowed_subpage_models()
