"""The public pages in a real browser: lecture player, captions, chapters, "Läs mer", and axe."""

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command, get_commands
from wagtail.models import Site

from lessons.models import LecturePage, LessonsLearnedPage, ProjectPage
from tests import factories
from tests.browser.checks import assert_accessible
from tests.factories import make_site

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; the serialized rollback restores what Wagtail's
    # migrations created (root page, groups, workflow) after each test's flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def build_content() -> None:
    """The demo content, from ``load_demo`` when it exists, else a small tree from factories."""
    if "load_demo" in get_commands():
        call_command("load_demo", verbosity=0)
        return
    home = make_site()
    module = factories.ModulePageFactory(parent=home, title="Vi blir fler")
    worksheet = factories.WorksheetPageFactory(parent=module)
    video = factories.MediaFactory(
        file=ContentFile(factories.DEMO_VIDEO.read_bytes(), name="iko-forelasning.webm")
    )
    lecture = factories.LecturePageFactory(parent=module, title="Att bli fler", video=video)
    factories.LectureChapterFactory(lecture=lecture, start="00:00", title="Inledning")
    factories.LectureChapterFactory(lecture=lecture, start="00:20", title="Mottagandet")
    factories.LectureChapterFactory(lecture=lecture, start="00:45", title="Frågor")
    factories.LectureWorkMaterialFactory(lecture=lecture, page=worksheet)
    factories.FeaturedModuleFactory(home=home, page=module)
    factories.LessonsLearnedPageFactory(parent=home, title="Vad vi har lärt oss")
    index = factories.ProjectIndexPageFactory(parent=home)
    project = factories.ProjectPageFactory(parent=index, title="Språkcafé i Växjö")
    project.partners.add(factories.PartnerFactory(logo=factories.SiteImageFactory()))
    project.staff.add(factories.ContactPersonFactory())
    project.save()


@pytest.fixture
def site_url(live_server) -> str:
    build_content()
    host, port = live_server.url.removeprefix("http://").split(":")
    Site.objects.filter(is_default_site=True).update(hostname=host, port=int(port))
    return live_server.url


def test_home_page_loads_and_passes_axe(tab, site_url):
    tab.goto(site_url + "/")

    assert tab.locator("h1").first.is_visible()
    assert tab.locator("a.skip-link").count() == 1
    assert_accessible(tab)


def test_lecture_plays_with_captions_and_chapters_seek(tab, site_url):
    lecture = LecturePage.objects.live().filter(video__isnull=False).exclude(captions="").first()
    chapter_seconds = [c.seconds for c in lecture.chapters.all()]
    tab.goto(site_url + lecture.url)
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


def test_lessons_learned_read_more_opens_by_keyboard(tab, site_url):
    article = LessonsLearnedPage.objects.live().first()
    tab.goto(site_url + article.url)
    details = tab.locator("details.read-more").first
    assert details.get_attribute("open") is None

    details.locator("summary").focus()
    tab.keyboard.press("Enter")

    tab.wait_for_function("document.querySelector('details.read-more').open")
    assert details.locator(".rich-text").is_visible()
    assert_accessible(tab)


def test_project_page_loads_and_passes_axe(tab, site_url):
    project = ProjectPage.objects.live().first()
    tab.goto(site_url + project.url)

    assert tab.locator("h1").inner_text() == project.title
    assert tab.locator("aside.project-layout__facts").is_visible()
    assert_accessible(tab)
