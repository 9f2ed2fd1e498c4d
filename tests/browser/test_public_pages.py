"""The public pages in a real browser: lecture player, captions, chapters, "Läs mer", and axe."""

import pytest

from lessons.models import LecturePage, LessonsLearnedPage, ProjectPage
from tests.browser.checks import assert_accessible

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; the serialized rollback restores what Wagtail's
    # migrations created (root page, groups, workflow) after each test's flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_home_page_loads_and_passes_axe(tab, demo_site):
    tab.goto(demo_site + "/")

    assert tab.locator("h1").first.is_visible()
    assert tab.locator("a.skip-link").count() == 1
    assert_accessible(tab)


def test_lecture_plays_with_captions_and_chapters_seek(tab, demo_site):
    lecture = LecturePage.objects.live().filter(video__isnull=False).exclude(captions="").first()
    chapter_seconds = [c.seconds for c in lecture.chapters.all()]
    tab.goto(demo_site + lecture.url)
    video = tab.locator("video#lecture-video")
    assert video.is_visible()

    # Play, muted (browsers allow that without a gesture), until time moves.
    tab.evaluate(
        "() => { const v = document.getElementById('lecture-video'); v.muted = true; "
        "return v.play(); }"
    )
    tab.wait_for_function("document.getElementById('lecture-video').currentTime > 0")

    # Turn the captions on and wait until their cues have loaded from textning.vtt.
    tab.evaluate(
        "() => { const v = document.getElementById('lecture-video'); "
        "const t = [...v.textTracks].find(t => t.kind === 'captions'); t.mode = 'showing'; }"
    )
    tab.wait_for_function(
        "() => { const el = document.querySelector('track[kind=captions]'); "
        "return el.readyState === 2 && el.track.cues && el.track.cues.length > 0; }"
    )

    # A chapter link moves the film to that chapter's time.
    target = max(chapter_seconds)
    link = tab.locator(f'a.chapter[data-seek="{target}"]')
    link.click()
    tab.wait_for_function(
        f"Math.abs(document.getElementById('lecture-video').currentTime - {target}) < 2"
    )
    assert link.get_attribute("aria-current") == "true"
    assert_accessible(tab)


def test_lessons_learned_read_more_opens_by_keyboard(tab, demo_site):
    article = LessonsLearnedPage.objects.live().first()
    tab.goto(demo_site + article.url)
    details = tab.locator("details.read-more").first
    assert details.get_attribute("open") is None

    details.locator("summary").focus()
    tab.keyboard.press("Enter")

    tab.wait_for_function("document.querySelector('details.read-more').open")
    assert details.locator(".rich-text").is_visible()
    assert_accessible(tab)


def test_project_page_loads_and_passes_axe(tab, demo_site):
    project = ProjectPage.objects.live().first()
    tab.goto(demo_site + project.url)

    assert tab.locator("h1").inner_text() == project.title
    assert tab.locator("aside.project-layout__facts").is_visible()
    assert_accessible(tab)
