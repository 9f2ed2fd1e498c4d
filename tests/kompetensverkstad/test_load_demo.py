"""``manage.py load_demo``: a whole demo site, and running it again changes nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Revision, Site
from wagtailmedia.models import Media

from kompetensverkstad.models import SiteImage
from lessons.learning.models import ModuleCompletion, StepProgress
from lessons.models import LecturePage, LessonsLearnedPage, ProjectPage


def snapshot() -> dict:
    return {
        "tree": list(
            Page.objects.order_by("path").values_list(
                "path", "title", "content_type__app_label", "content_type__model", "live"
            )
        ),
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": SiteImage.objects.count(),
        "media": Media.objects.count(),
        "users": get_user_model().objects.count(),
        "sites": list(Site.objects.values_list("root_page__path", "is_default_site")),
    }


def load_demo() -> None:
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
def test_load_demo_twice_gives_the_same_site():
    load_demo()
    first = snapshot()
    load_demo()
    second = snapshot()

    assert second == first
    assert first["pages"] > 5
    assert first["images"] >= 1 and first["media"] >= 1 and first["users"] >= 1
    assert [s for s in first["sites"] if s[1]], "the demo home page is the default site"


@pytest.mark.django_db
def test_demo_site_serves_every_live_page(client):
    load_demo()
    live = Page.objects.live().filter(depth__gt=1).specific()

    for page in live:
        response = client.get(page.url)
        assert response.status_code == 200, page.url

    assert LecturePage.objects.live().exists()
    assert LessonsLearnedPage.objects.live().exists()
    assert ProjectPage.objects.live().exists()
    lecture = LecturePage.objects.live().first()
    assert client.get(f"{lecture.url}textning.vtt").content.decode().startswith("WEBVTT")


def test_demo_staff_give_the_coordinators_report_numbers(db):
    """Kalmar's fictional staff at every stage, two in Västervik; none of them can sign in."""
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    staff = get_user_model().objects.filter(username__startswith="demo-")
    assert staff.count() == 8
    assert not any(person.has_usable_password() for person in staff)
    completions = ModuleCompletion.objects.filter(user__in=staff)
    by_town = {
        town: completions.filter(user__profile__municipality__name=town).count()
        for town in ("Kalmar", "Västervik")
    }
    assert by_town == {"Kalmar": 3, "Västervik": 1}
    assert StepProgress.objects.filter(user__username="demo-kalmar-4").count() == 2
    assert not StepProgress.objects.filter(user__username="demo-kalmar-6").exists()
