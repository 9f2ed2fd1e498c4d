"""What editors cannot save: steps that do not fit their page, bad timestamps and captions."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lessons.models import ModuleStep
from lessons.pages.lectures import parse_timestamp, validate_timestamp, validate_webvtt
from tests import factories


def error_fields(excinfo) -> set[str]:
    return set(excinfo.value.message_dict)


# --- Module steps --------------------------------------------------------------------------


@pytest.mark.django_db
def test_lecture_step_pointing_at_a_worksheet_is_refused(module_page, worksheet_page):
    step = ModuleStep(module=module_page, kind=ModuleStep.Kind.LECTURE, page=worksheet_page)

    with pytest.raises(ValidationError) as excinfo:
        step.clean()

    assert error_fields(excinfo) == {"page"}
    assert "Föreläsning" in excinfo.value.message_dict["page"][0]


@pytest.mark.django_db
def test_step_pointing_at_the_right_page_type_is_accepted(module_page, lecture_page):
    ModuleStep(module=module_page, kind=ModuleStep.Kind.LECTURE, page=lecture_page).clean()
    worksheet = lecture_page.work_material.get().page
    ModuleStep(module=module_page, kind=ModuleStep.Kind.WORKSHEET, page=worksheet).clean()


@pytest.mark.django_db
def test_article_step_needs_a_page(module_page):
    step = ModuleStep(module=module_page, kind=ModuleStep.Kind.ARTICLE)

    with pytest.raises(ValidationError) as excinfo:
        step.clean()

    assert error_fields(excinfo) == {"page"}


@pytest.mark.django_db
def test_workshop_step_needs_a_title(module_page):
    with pytest.raises(ValidationError) as excinfo:
        ModuleStep(module=module_page, kind=ModuleStep.Kind.WORKSHOP).clean()

    assert error_fields(excinfo) == {"title"}
    ModuleStep(module=module_page, kind=ModuleStep.Kind.WORKSHOP, title="Samtal i grupp").clean()


@pytest.mark.django_db
def test_step_title_falls_back_to_the_page_title(module_page, lecture_page):
    step = ModuleStep(module=module_page, kind=ModuleStep.Kind.LECTURE, page=lecture_page)

    assert step.display_title == "Att bli fler"
    step.title = "Se filmen"
    assert str(step) == "Se filmen"


# --- Lecture chapters and captions ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("00:00", 0), ("4:30", 270), ("04:30", 270), ("59:59", 3599), ("1:02:03", 3723)],
)
def test_chapter_timestamps_are_read_as_seconds(value, seconds):
    validate_timestamp(value)
    assert parse_timestamp(value) == seconds


@pytest.mark.parametrize("value", ["", "90", "4:60", "4.30", "abc", "1:2:3:4", "-1:00", "04:5"])
def test_malformed_chapter_timestamp_is_refused(value):
    with pytest.raises(ValidationError):
        validate_timestamp(value)


@pytest.mark.django_db
def test_chapter_with_bad_start_does_not_validate(lecture_page):
    chapter = factories.LectureChapterFactory.build(lecture=lecture_page, start="ett:tio")

    with pytest.raises(ValidationError) as excinfo:
        chapter.full_clean()

    assert error_fields(excinfo) == {"start"}


def test_captions_must_be_webvtt():
    validate_webvtt("WEBVTT\n\n00:00.000 --> 00:02.000\nHej")
    validate_webvtt("\ufeffWEBVTT\n")  # a byte-order mark is allowed before the header
    validate_webvtt("")  # no captions yet is fine
    for text in ["1\n00:00:00,000 --> 00:00:02,000\nHej", "webvtt", " Text"]:
        with pytest.raises(ValidationError):
            validate_webvtt(text)


@pytest.mark.django_db
def test_lecture_with_srt_captions_does_not_validate():
    lecture = factories.LecturePageFactory.build(
        title="Fel format", slug="fel-format", captions="1\n00:00:00,000 --> 00:00:02,000\nHej"
    )

    with pytest.raises(ValidationError) as excinfo:
        lecture.full_clean(exclude=["path", "depth"])

    assert "captions" in error_fields(excinfo)


# --- Projects ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_project_ending_before_it_starts_is_refused(project_index):
    project = factories.ProjectPageFactory.build(
        start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2019, 12, 31)
    )

    with pytest.raises(ValidationError) as excinfo:
        project.clean()

    assert error_fields(excinfo) == {"end_date"}


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["women_share", "cofinancing_rate"])
def test_project_percentages_above_100_are_refused(project_index, field):
    project = factories.ProjectPageFactory.build(**{field: 101})

    with pytest.raises(ValidationError) as excinfo:
        project.clean()

    assert error_fields(excinfo) == {field}


@pytest.mark.django_db
def test_project_with_same_start_and_end_day_is_accepted(project_index):
    day = datetime.date(2020, 5, 1)
    factories.ProjectPageFactory.build(start_date=day, end_date=day).clean()
