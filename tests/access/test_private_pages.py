"""No cached page ever shows a signed-in person's data to another (issue 14).

With the page cache on, learner A's personal pages ("Mina sidor", the profile, the worksheet with
A's answers, A's PDFs and certificate, the module and step pages with A's progress) are walked
by an anonymous visitor first (filling the cache wherever it may), then by A, then by learner B
and by anonymous visitors again. A always gets A's own page, never one from the cache; every
response to A says ``Cache-Control: private, no-store`` and ``Vary: Cookie``; neither B nor an
anonymous visitor ever sees A's name or answers.
"""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from kompetensverkstad.pagecache import STATUS_HEADER
from tests.access.matrix_world import World, build_world

A_ANSWER = "Jag flyttade till Växjö 1998."
A_NAME = "Amina"


@pytest.fixture
def world(db, settings) -> World:
    settings.KV_PAGE_CACHE_SECONDS = 600
    built = build_world()
    mail.outbox.clear()
    return built


def personal_urls(world: World) -> dict[str, str]:
    return {
        "Mina sidor": reverse("learning:dashboard"),
        "profile": reverse("accounts:profile"),
        "worksheet with answers": world.worksheet.url,
        "worksheet PDF": reverse("pdfs:download", args=[world.pdf_a.pk]),
        "worksheet PDF status": reverse("pdfs:status", args=[world.pdf_a.pk]),
        "certificate": reverse("pdfs:download", args=[world.certificate_a.pk]),
        "module with progress": world.module.url,
        "lecture step": world.lecture.url,
        "article step": world.article.url,
        "home": "/",
    }


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_personal_pages_are_private_and_never_shared_from_the_cache(world):
    urls = personal_urls(world)
    for url in urls.values():
        Client().get(url)  # an anonymous visitor first: public pages go into the cache

    learner_a = signed_in(world.user("learner_a"))
    for name, url in urls.items():
        response = learner_a.get(url)
        assert response.status_code == 200, name
        assert STATUS_HEADER not in response, f"{name} served to A from the cache"
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, (name, cache_control)
        assert "Cookie" in response.get("Vary", ""), name
    # The walk can fail: A's own pages do show A's data.
    assert A_ANSWER in learner_a.get(world.worksheet.url).content.decode()
    assert A_NAME in learner_a.get(reverse("learning:dashboard")).content.decode()

    for who, client in [("B", signed_in(world.user("learner_b"))), ("anonymous", Client())]:
        for name, url in urls.items():
            response = client.get(url)
            body = b"" if response.streaming else response.content
            text = body.decode("utf-8", "replace")
            assert A_ANSWER not in text and A_NAME not in text, f"{who} sees A's {name}"
            if who == "B":
                assert STATUS_HEADER not in response, f"{name} served to B from the cache"


def test_a_signed_in_page_is_not_stored_for_anonymous_visitors(world):
    learner_a = signed_in(world.user("learner_a"))
    learner_a.get(world.worksheet.url)

    response = Client().get(world.worksheet.url)

    assert response[STATUS_HEADER] == "miss"  # rendered for them, not A's copy
    assert A_ANSWER not in response.content.decode()
