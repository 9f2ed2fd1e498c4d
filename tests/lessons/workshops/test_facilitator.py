"""The facilitator view: a start slide with code and QR, then the material, readable without JS."""

from django.urls import reverse

from tests.factories import make_session


def test_facilitator_view_holds_every_slide_of_the_module(client, trainer, session):
    client.force_login(trainer)

    response = client.get(reverse("workshops:facilitator", args=[session.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    # Start slide: code, the QR code as inline SVG with a text alternative, the link.
    assert 'id="bild-start"' in html
    assert session.join_code in html
    assert '<svg role="img"' in html and "<title>QR-kod" in html
    assert reverse("workshops:join_code", args=[session.join_code]) in html
    # Lecture: the chapters to play.
    assert "Inledning i filmen" in html and 'data-seek="30"' in html
    # Worksheet: purpose, time, group size, stages with a timer each, questions, prompts.
    assert "Deltagarna reflekterar över sin egen historia" in html
    assert "3–5 personer" in html
    assert html.count('class="timer"') >= 3  # two stages, one discussion prompt, the workshop
    assert 'data-seconds="600"' in html and 'data-seconds="2100"' in html
    assert "När flyttade du första gången?" in html
    assert "Vad har ni gemensamt?" in html
    # Slides are plain sections: the page reads top to bottom without the script.
    assert html.count('class="slide') >= 6
    assert '<script src="/static/js/facilitator.js" defer></script>' in html
    assert "<script>" not in html  # no inline scripts (a Content-Security-Policy will come)


def test_facilitator_view_of_a_single_worksheet(client, trainer, worksheet):
    single = make_session(trainer, worksheet=worksheet)
    client.force_login(trainer)

    html = client.get(reverse("workshops:facilitator", args=[single.pk])).content.decode()

    assert "Min egen historia" in html
    assert "Att bli fler" not in html  # the module's lecture is not part of it
