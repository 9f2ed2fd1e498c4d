"""The lecture's WebVTT routes: captions as written, chapters computed from the chapter list."""

import pytest

from tests import factories


@pytest.mark.django_db
def test_captions_route_serves_the_webvtt_text(client, lecture_page):
    response = client.get(f"{lecture_page.url}textning.vtt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("WEBVTT")
    assert "Välkomna till föreläsningen om att bli fler." in body


@pytest.mark.django_db
def test_captions_route_is_valid_webvtt_when_no_captions_are_written(client, module_page):
    lecture = factories.LecturePageFactory(parent=module_page, captions="")

    response = client.get(f"{lecture.url}textning.vtt")

    assert response.status_code == 200
    assert response.content.decode().startswith("WEBVTT")


@pytest.mark.django_db
def test_chapters_route_gives_one_cue_per_chapter_ending_where_the_next_begins(
    client, lecture_page
):
    response = client.get(f"{lecture_page.url}kapitel.vtt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert response.content.decode().split("\n") == [
        "WEBVTT",
        "",
        "00:00:00.000 --> 00:00:30.000",
        "Inledning",
        "",
        "00:00:30.000 --> 00:01:00.000",  # the last chapter runs to the end of the film
        "Mottagandet",
        "",
    ]


@pytest.mark.django_db
def test_chapter_times_in_hours_are_understood(client, module_page):
    lecture = factories.LecturePageFactory(parent=module_page, video=None, duration_minutes=90)
    factories.LectureChapterFactory(lecture=lecture, start="1:05:09", title="Sist")

    body = client.get(f"{lecture.url}kapitel.vtt").content.decode()

    assert "01:05:09.000 --> 01:30:00.000" in body


@pytest.mark.django_db
def test_unknown_route_under_a_lecture_is_404(client, lecture_page):
    assert client.get(f"{lecture_page.url}finns-inte.vtt").status_code == 404
