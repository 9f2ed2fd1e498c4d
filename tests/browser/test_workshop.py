"""A workshop in a real browser: the trainer plans it, a learner joins by code from a second
browser, the trainer leads from the facilitator view with the keyboard, marks attendance and
sees the learner's progress; axe finds nothing on the pages on the way."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from lessons.models import ModulePage, ModuleStep
from lessons.workshops.models import TRAINER_GROUP, WorkshopSession
from tests.browser.checks import assert_accessible

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; the serialized rollback restores what Wagtail's
    # migrations created (root page, groups, workflow) after each test's flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The demo users of `make run` (README): the same names and passwords when load_demo made them.
TRAINER = ("utbildare", "demo-utbildare")
LEARNER = ("larande", "demo-larande")


def demo_user(username: str, password: str, first: str, last: str, trainer: bool = False):
    user, _created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
    )
    user.set_password(password)
    user.save()
    if trainer:
        user.groups.add(Group.objects.get_or_create(name=TRAINER_GROUP)[0])
    return user


def build_content() -> ModulePage:
    """The demo trainer and learner of ``make run``, as the demo site has them."""
    demo_user(*TRAINER, "Tove", "Utbildare", trainer=True)
    demo_user(*LEARNER, "Amina", "Exempelsson")
    # The demo module has a workshop step: attendance then shows up as a finished step.
    return ModulePage.objects.live().get(steps__kind=ModuleStep.Kind.WORKSHOP).specific


def sign_in(page, base: str, user: tuple[str, str], next_path: str) -> None:
    page.goto(f"{base}{next_path}")
    # Not signed in: the sign-in page, which brings the person back where they were going.
    assert "/konto/logga-in/" in page.url
    page.fill("#id_username", user[0])
    page.fill("#id_password", user[1])
    page.click("form.account-form button[type=submit]")
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


def test_trainer_runs_a_workshop_that_a_learner_joins(tab, chromium, demo_site):
    base = demo_site
    module = build_content()

    # --- The trainer plans the session ---------------------------------------------------------
    trainer = tab
    sign_in(trainer, base, TRAINER, "/workshop/ny/")
    assert_accessible(trainer)
    trainer.fill("#id_title", "Vi blir fler – Växjö")
    trainer.select_option("#id_material", f"module:{module.pk}")
    trainer.fill("#id_starts_at", "2030-05-14T09:00")
    trainer.fill("#id_ends_at", "2030-05-14T12:00")
    trainer.fill("#id_place", "Stadshuset, sal B")
    trainer.fill("#id_capacity", "8")
    trainer.click("form.workshop-form button[type=submit]")
    trainer.wait_for_url(re.compile(r"/workshop/\d+/$"))
    session = WorkshopSession.objects.get(title="Vi blir fler – Växjö")
    code = trainer.locator(".join-code--large").inner_text().strip()
    assert code == session.join_code
    assert trainer.locator(".qr-box svg").is_visible()
    assert_accessible(trainer)

    # --- A learner joins by code, in a browser of their own ------------------------------------
    context = chromium.new_context(locale="sv-SE", viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    learner = context.new_page()
    learner_errors: list[str] = []
    learner.on("pageerror", lambda exc: learner_errors.append(str(exc)))
    try:
        sign_in(learner, base, LEARNER, "/workshop/ga-med/")
        assert_accessible(learner)
        learner.fill("#id_code", code.lower())
        learner.click("form.join-form button[type=submit]")
        learner.wait_for_url(re.compile(rf"/workshop/mina/{session.pk}/$"))
        assert learner.get_by_text("Du är anmäld").is_visible()
        assert_accessible(learner)
        learner.goto(f"{base}/mina-sidor/")
        assert learner.get_by_role("heading", name="Mina workshoppar").is_visible()
        assert learner.get_by_role("link", name="Vi blir fler – Växjö", exact=True).is_visible()
        assert_accessible(learner)
    finally:
        context.close()
    assert learner_errors == []

    # --- The trainer leads from the facilitator view, with the keyboard ------------------------
    trainer.goto(f"{base}/workshop/{session.pk}/ledarvy/")
    slides = trainer.locator(".slide")
    total = slides.count()
    assert total >= 3
    counter = trainer.locator(".slide-controls__counter")
    assert counter.inner_text() == f"Bild 1 av {total}"
    assert trainer.locator("#bild-start").is_visible()
    assert trainer.locator("#bild-start .slide__code").inner_text() == code
    assert trainer.locator("#bild-start svg").is_visible()
    assert_accessible(trainer)

    trainer.keyboard.press("ArrowRight")
    assert counter.inner_text() == f"Bild 2 av {total}"
    assert not trainer.locator("#bild-start").is_visible()
    assert slides.nth(1).is_visible()
    assert_accessible(trainer)
    trainer.keyboard.press("ArrowLeft")
    assert trainer.locator("#bild-start").is_visible()
    trainer.keyboard.press("End")
    assert counter.inner_text() == f"Bild {total} av {total}"
    assert trainer.locator("#bild-slut").is_visible()
    trainer.keyboard.press("Home")
    assert counter.inner_text() == f"Bild 1 av {total}"
    trainer.get_by_role("button", name="Nästa").click()
    assert counter.inner_text() == f"Bild 2 av {total}"

    # A stage's timer counts down once started.
    timer_slide = trainer.locator(".slide:has(.timer)").first
    timer_index = trainer.evaluate(
        "() => Array.from(document.querySelectorAll('.slide'))"
        ".findIndex(s => s.querySelector('.timer'))"
    )
    trainer.keyboard.press("Home")
    for _ in range(timer_index):
        trainer.keyboard.press("ArrowRight")
    timer = timer_slide.locator(".timer").first
    start_text = timer.locator(".timer__time").inner_text()
    timer.locator("[data-timer=toggle]").click()
    trainer.wait_for_function(
        "([el, before]) => el.textContent !== before",
        arg=[timer.locator(".timer__time").element_handle(), start_text],
        timeout=5_000,
    )
    timer.locator("[data-timer=reset]").click()
    assert timer.locator(".timer__time").inner_text() == start_text

    # --- Attendance, then the group's progress -------------------------------------------------
    trainer.goto(f"{base}/workshop/{session.pk}/narvaro/")
    assert_accessible(trainer)
    trainer.get_by_role("button", name="Markera alla som närvarande").click()
    trainer.wait_for_url(re.compile(r"/narvaro/$"))
    assert trainer.get_by_text("1 nya markerade").is_visible()
    assert trainer.locator("#narvaro-" + str(session.participants.get().pk)).is_checked()

    trainer.goto(f"{base}/workshop/{session.pk}/framsteg/")
    name = get_user_model().objects.get(username=LEARNER[0]).get_full_name()
    row = trainer.locator("table.progress-table tbody tr", has_text=name)
    assert row.count() == 1
    cells = row.locator("td")
    assert cells.nth(0).inner_text() == "Ja"
    assert "Klart" in row.inner_text()
    assert trainer.locator(".bar-chart__legend, .bar-chart__list").first.is_visible()
    assert_accessible(trainer)
