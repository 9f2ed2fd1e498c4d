"""The interface in English, in a real browser on the demo site: the language switcher keeps the
page and sets no cookie, the learner's journey (sign in, module, lecture, worksheet, "Mina
sidor") reads in English with the editors' Swedish marked as such, the accessibility statement
has its English section in the English footer, and axe finds nothing on the way."""

import re

import pytest

from kompetensverkstad.accounts.models import Profile
from kompetensverkstad.demo import content
from lessons.models import LecturePage, ModulePage
from tests.browser.checks import assert_accessible
from worksheets.models import WorksheetPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LEARNER = next(u for u in content.DEMO_USERS if u["username"] == "larande")
# What the cookie page says the site may set (tests/browser/test_csp_and_cookies.py).
NECESSARY = {"csrftoken", "sessionid", "messages"}


def cookie_names(context) -> set[str]:
    return {c["name"] for c in context.cookies()}


def test_learner_journey_in_english(chromium, demo_site):
    module = ModulePage.objects.live().get(slug=content.MODULE["slug"])
    lecture = LecturePage.objects.live().get(slug=content.LECTURE["slug"])
    worksheet = WorksheetPage.objects.live().get(slug=content.WORKSHEET["slug"])
    context = chromium.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        # --- The switcher: the same page in English, and back; no cookie for either ---------
        tab.goto(demo_site + module.url)
        assert tab.locator("html").get_attribute("lang") == "sv"
        tab.get_by_role("navigation", name="Språk").get_by_role("link", name="English").click()
        tab.wait_for_url(re.compile(re.escape(f"/en{module.url}") + "$"))
        assert tab.locator("html").get_attribute("lang") == "en"
        assert tab.get_by_role("heading", name="The module's steps").is_visible()
        # The editors' text stays as written, marked Swedish for screen readers (WCAG 3.1.2).
        assert tab.locator("h1").inner_text() == module.title
        assert tab.locator("h1").get_attribute("lang") == "sv"
        assert_accessible(tab)
        tab.get_by_role("navigation", name="Language").get_by_role("link", name="Svenska").click()
        tab.wait_for_url(re.compile(re.escape(module.url) + "$"))
        assert tab.locator("html").get_attribute("lang") == "sv"
        assert cookie_names(context) == set()

        # --- Home page in English -----------------------------------------------------------
        tab.goto(demo_site + "/en/")
        assert tab.get_by_role("heading", name="Modules to start with").is_visible()
        assert_accessible(tab)

        # --- Sign in under /en/: the form in English, the choice kept on the profile ---------
        tab.goto(f"{demo_site}/en/konto/logga-in/?next=/en{module.url}")
        assert tab.get_by_role("heading", name="Sign in").is_visible()
        assert_accessible(tab)
        tab.get_by_label("E-mail address").fill(LEARNER["username"])
        tab.get_by_label("Password").fill(LEARNER["password"])
        tab.locator("form.account-form").get_by_role("button", name="Sign in").click()
        tab.wait_for_url(re.compile(re.escape(f"/en{module.url}") + "$"))
        assert Profile.objects.get(user__username=LEARNER["username"]).language == "en"
        assert re.match(
            r"0 of \d+ (required steps done|requirements for being done met) \(0 %\)$",
            tab.locator(".progress__text").inner_text(),
        )
        assert cookie_names(context) <= NECESSARY

        # --- The lecture ------------------------------------------------------------------------
        tab.get_by_role("link", name=lecture.title, exact=True).click()
        tab.wait_for_url(re.compile(re.escape(f"/en{lecture.url}") + "$"))
        assert tab.locator("#step-state").inner_text().strip() == "Not started"
        assert tab.get_by_role("button", name="Mark the lecture as watched").is_visible()
        assert tab.get_by_role("heading", name="Transcript").is_visible()
        assert_accessible(tab)

        # --- The worksheet: a draft saved, the message in English ----------------------------
        tab.goto(f"{demo_site}/en{worksheet.url}")
        assert tab.get_by_role("heading", name="Your answers").is_visible()
        assert_accessible(tab)
        reflection = next(q for q in worksheet.question_blocks() if q.block_type == "reflection")
        box = tab.locator(f'[data-question="{reflection.id}"]')
        assert box.locator(".question__prompt > span").first.get_attribute("lang") == "sv"
        box.locator("textarea").fill("Moving gave the family work and new friends.")
        tab.get_by_role("button", name="Save draft").click()
        tab.wait_for_url(re.compile(re.escape(f"/en{worksheet.url}") + "$"))
        assert tab.get_by_text("The draft is saved.").is_visible()
        assert_accessible(tab)

        # --- "Mina sidor" ----------------------------------------------------------------------
        tab.get_by_role("navigation", name="Main menu").get_by_role("link", name="My pages").click()
        tab.wait_for_url(re.compile(r"/en/mina-sidor/$"))
        assert tab.get_by_role("heading", name="Modules in progress").is_visible()
        assert_accessible(tab)

        # --- The accessibility statement, in English from the English footer ----------------
        footer = tab.get_by_role("contentinfo")
        footer.get_by_role("link", name="Accessibility statement in English").click()
        tab.wait_for_url(re.compile(r"/en/tillganglighetsredogorelse/#en$"))
        section = tab.locator("section#en")
        assert section.get_attribute("lang") == "en"
        assert section.get_by_text("partially compliant").is_visible()
        assert section.locator('a[href="https://www.digg.se/tdosanmalan"]').count() == 1
        assert tab.locator('main a[href="https://www.digg.se/tdosanmalan"]').count() == 2
        assert_accessible(tab)

        # --- Back to Swedish while signed in: the profile follows, still no new cookie --------
        tab.get_by_role("navigation", name="Language").get_by_role("link", name="Svenska").click()
        tab.wait_for_url(re.compile(r"/tillganglighetsredogorelse/(#en)?$"))
        assert Profile.objects.get(user__username=LEARNER["username"]).language == "sv"
        assert cookie_names(context) <= NECESSARY
    finally:
        context.close()
    assert errors == [], errors
