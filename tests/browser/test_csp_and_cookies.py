"""The content security policy and the cookies, as a real browser meets them.

The live server runs the test settings, whose middleware is production's: the policy is
enforced on every public and learner page. A tab here records every `securitypolicyviolation`
event (through an init script) and every console message about the policy; a test fails on
any. The cookie tests read the browser's own jar: without consent only necessary cookies may
be set, and the site asks for no consent because it sets no other kind.
"""

import os
import re
import time
from collections.abc import Iterator

import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kompetensverkstad.demo import content
from lessons.models import (
    LecturePage,
    LessonsLearnedPage,
    ModulePage,
    ProjectIndexPage,
    ProjectPage,
)
from lessons.workshops.demo import DEMO_TITLE
from lessons.workshops.models import WorkshopSession
from tests.browser.checks import assert_accessible
from worksheets.models import WorksheetPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

USERS = {u["username"]: u for u in content.DEMO_USERS}
LEARNER = USERS["larande"]
# What /cookies/ says the site sets: all three are necessary for a service the person asked for.
NECESSARY = {"csrftoken", "sessionid", "messages"}

WATCH_POLICY = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.kvReportViolation({
    directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile,
    line: e.lineNumber, sample: e.sample, disposition: e.disposition, page: location.pathname,
  });
}, true);
"""


def poll(page, function: str, timeout: float = 10.0) -> None:
    """Wait until ``function`` is true in the page.

    Playwright's wait_for_function evaluates its predicate with eval(), which this policy
    forbids (as it should); page.evaluate goes through the DevTools protocol instead.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(function):
        assert time.monotonic() < deadline, f"timed out waiting for {function}"
        page.wait_for_timeout(100)


class Watched:
    """A tab whose policy violations, policy console messages and script errors are kept."""

    def __init__(self, context) -> None:
        self.context = context
        self.violations: list[dict] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        self.policies: dict[str, str] = {}
        context.expose_function("kvReportViolation", lambda v: self.violations.append(v))
        context.add_init_script(WATCH_POLICY)
        self.page = context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("response", self._response)

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.console.append(text)

    def _response(self, response) -> None:
        if response.request.resource_type == "document":
            self.policies[response.url] = response.headers.get("content-security-policy", "")

    def goto(self, url: str):
        response = self.page.goto(url)
        assert response.status == 200, (url, response.status)
        return response

    def assert_clean(self) -> None:
        assert self.violations == [], self.violations
        assert self.console == [], self.console
        assert self.errors == [], self.errors
        # Every page was served under the enforced policy: nothing above passed by its absence.
        assert self.policies, "no page was loaded"
        unguarded = [u for u, p in self.policies.items() if "script-src 'self'" not in p]
        assert unguarded == [], unguarded


@pytest.fixture
def watched(chromium) -> Iterator[Watched]:
    context = chromium.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = Watched(context)
    yield tab
    context.close()


def test_the_watch_sees_a_blocked_inline_script(watched, demo_site):
    """The control: an injected inline script is blocked and reported, so silence means clean."""
    watched.goto(demo_site + "/")

    ran = watched.page.evaluate(
        """() => new Promise((done) => {
             document.addEventListener('securitypolicyviolation', () => done(window.kvRan === 1));
             const s = document.createElement('script');
             s.textContent = 'window.kvRan = 1';
             document.body.appendChild(s);
           })"""
    )

    assert ran is False
    poll(watched.page, "() => true")
    assert [v["directive"] for v in watched.violations] == ["script-src-elem"]
    assert watched.violations[0]["disposition"] == "enforce"


def test_public_pages_satisfy_the_policy(watched, demo_site):
    page = watched.page
    module = ModulePage.objects.live().first()
    lecture = LecturePage.objects.live().filter(video__isnull=False).exclude(captions="").first()
    article = LessonsLearnedPage.objects.live().first()
    index = ProjectIndexPage.objects.live().first()
    worksheet = WorksheetPage.objects.live().first()

    for path in ["/", module.url, article.url, worksheet.url, "/sok/?q=migration", "/cookies/"]:
        watched.goto(demo_site + path)

    # The lecture: play (muted), captions on, a chapter link seeks; the script reports progress
    # only for signed-in learners, so here it only plays.
    watched.goto(demo_site + lecture.url)
    page.evaluate(
        "() => { const v = document.getElementById('lecture-video'); v.muted = true; "
        "v.playbackRate = 4; return v.play(); }"
    )
    poll(page, "() => document.getElementById('lecture-video').currentTime > 0")
    page.evaluate(
        "() => { const v = document.getElementById('lecture-video'); "
        "[...v.textTracks].find(t => t.kind === 'captions').mode = 'showing'; }"
    )
    poll(
        page,
        "() => { const el = document.querySelector('track[kind=captions]'); "
        "return el.readyState === 2 && el.track.cues.length > 0; }",
    )
    page.locator("a.chapter").last.click()
    poll(page, "() => document.getElementById('lecture-video').currentTime > 1")
    # The poster and any image the page shows were allowed to load.
    assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")

    # The project catalogue, filtered by its form, and a project page from the result.
    watched.goto(demo_site + index.url)
    region = ProjectPage.objects.live().child_of(index).first().region
    page.select_option("#f-region", region)
    page.get_by_role("button", name="Visa projekt").click()
    page.wait_for_url(re.compile(rf"region={region}"))
    page.locator(".project-list a").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").first.is_visible()

    watched.assert_clean()
    assert len(watched.policies) >= 10


def sign_in(
    watched: Watched, demo_site: str, next_url: str = "/mina-sidor/", user: dict = LEARNER
) -> None:
    page = watched.page
    watched.goto(f"{demo_site}/konto/logga-in/?next={next_url}")
    page.get_by_label("E-postadress").fill(user["username"])
    page.get_by_label("Lösenord").fill(user["password"])
    page.locator("form.account-form").get_by_role("button", name="Logga in").click()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def test_learner_pages_satisfy_the_policy(watched, demo_site):
    page = watched.page
    worksheet = WorksheetPage.objects.live().first()
    lecture = LecturePage.objects.live().filter(video__isnull=False).first()

    sign_in(watched, demo_site)
    assert page.locator("h1").first.is_visible()

    # The worksheet: typing is autosaved by the script (fetch with the CSRF token).
    watched.goto(demo_site + worksheet.url)
    saves = []
    page.on("response", lambda r: saves.append(r.status) if r.url.endswith("/spara/") else None)
    page.locator("textarea").first.fill("Min mormor kom till Kalmar 1974.")
    poll(
        page,
        "() => /^Sparat kl\\. \\d{2}:\\d{2}$/.test(document.getElementById('save-status')"
        ".textContent.trim())",
        timeout=15,
    )
    assert saves and set(saves) == {200}

    # The lecture reports what was played (fetch to /framsteg/steg/<id>/tittat/).
    reports = []
    page.on("response", lambda r: reports.append(r.status) if "/tittat/" in r.url else None)
    watched.goto(demo_site + lecture.url)
    page.evaluate(
        "() => { const v = document.getElementById('lecture-video'); v.muted = true; "
        "v.playbackRate = 16; return v.play(); }"
    )
    poll(page, "() => document.getElementById('lecture-video').ended", timeout=30)
    page.wait_for_timeout(500)
    assert reports and set(reports) == {200}

    for path in ["/mina-sidor/", "/konto/profil/", "/konto/losenord/", "/workshop/ga-med/"]:
        watched.goto(demo_site + path)
    session = WorkshopSession.objects.filter(title=DEMO_TITLE).first()
    if session is not None:
        watched.goto(f"{demo_site}/workshop/mina/{session.pk}/")

    watched.assert_clean()


def test_trainer_pages_satisfy_the_policy(watched, demo_site):
    page = watched.page
    session = WorkshopSession.objects.get(title=DEMO_TITLE)
    sign_in(watched, demo_site, "/workshop/", user=USERS["utbildare"])

    for path in ["", "ny/", f"{session.pk}/", f"{session.pk}/narvaro/", f"{session.pk}/framsteg/"]:
        watched.goto(f"{demo_site}/workshop/{path}")
    # The projector view: the script shows one slide at a time; the arrow key moves on.
    watched.goto(f"{demo_site}/workshop/{session.pk}/ledarvy/")
    counter = page.locator(".slide-controls__counter")
    first = counter.inner_text()
    page.keyboard.press("ArrowRight")
    poll(
        page, f"() => document.querySelector('.slide-controls__counter').textContent !== {first!r}"
    )
    assert page.locator(".slide:not([hidden])").count() == 1

    watched.assert_clean()


def test_the_admin_only_reports_and_still_works(watched, demo_site):
    """Wagtail's admin has the policy report-only: whatever it reports, nothing is blocked."""
    page = watched.page
    watched.goto(f"{demo_site}/admin/login/")
    page.locator("#id_username").fill(USERS["redaktor"]["username"])
    page.locator("#id_password").fill(USERS["redaktor"]["password"])
    page.locator("form").get_by_role("button", name=re.compile("Logga in|Sign in")).click()
    page.wait_for_url(re.compile(r"/admin/$"))
    watched.goto(f"{demo_site}/admin/pages/")
    page.get_by_role("button", name=re.compile("Sidor|Pages")).first.wait_for()

    assert watched.errors == []
    assert all(v["disposition"] == "report" for v in watched.violations), watched.violations
    assert all(p == "" for p in watched.policies.values())
    # What it reports is Wagtail's own inline scripts, never a request to another site (such as
    # avatars from gravatar.com, which would carry a hash of the editor's e-mail address).
    elsewhere = [v["blocked"] for v in watched.violations if v["blocked"].startswith("http")]
    assert elsewhere == []


@override_settings(KV_REQUIRE_2FA_FOR_STAFF=True)
def test_setting_up_the_second_factor_in_the_browser(watched, demo_site):
    """An editor's first visit to /admin/ with the second factor on: QR, first code, backup
    codes, the admin. The pages are accessible and satisfy the policy."""
    page = watched.page
    sign_in(watched, demo_site, "/mina-sidor/", user=USERS["redaktor"])
    watched.goto(f"{demo_site}/admin/")
    page.wait_for_url(re.compile(r"/konto/tvastegsverifiering/aktivera/\?next=%2Fadmin%2F$"))
    assert page.locator(".qr-box svg").is_visible()
    screenshot(page, "two-factor-setup")
    assert_accessible(page)

    device = TOTPDevice.objects.get(user__username="redaktor", confirmed=False)
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Kod").fill(f"{code:06d}")
    page.get_by_role("button", name="Aktivera").click()
    page.get_by_role("heading", name="Tvåstegsverifieringen är aktiverad").wait_for()
    assert page.locator(".backup-codes li").count() == 10
    assert_accessible(page)
    screenshot(page, "two-factor-backup-codes")
    page.get_by_role("link", name="Fortsätt").click()
    page.wait_for_url(re.compile(r"/admin/$"))

    policies = {u: p for u, p in watched.policies.items() if "/admin/" not in u}
    assert all("script-src 'self'" in p for p in policies.values())
    assert [v for v in watched.violations if "/admin/" not in v["page"]] == []
    assert watched.console == [] or all("Report Only" in m for m in watched.console)
    assert watched.errors == []


def screenshot(page, name: str) -> None:
    """Kept for a person to look at, when KV_SCREENSHOTS names a folder."""
    folder = os.environ.get("KV_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def cookie_names(context) -> set[str]:
    return {c["name"] for c in context.cookies()}


def test_without_consent_only_necessary_cookies_are_set(chromium, demo_site):
    context = chromium.new_context(locale="sv-SE")
    page = context.new_page()
    try:
        # Reading the open material sets no cookie at all.
        module = ModulePage.objects.live().first()
        lecture = LecturePage.objects.live().first()
        index = ProjectIndexPage.objects.live().first()
        for path in ["/", module.url, lecture.url, index.url, "/sok/?q=fler", "/cookies/"]:
            page.goto(demo_site + path)
        assert cookie_names(context) == set()
        # The cookie page names every cookie the site can set; there is no banner to decline.
        cookie_page = page.locator("main").inner_text()
        assert all(name in cookie_page for name in NECESSARY)
        assert page.locator("[class*=cookie-banner], [id*=consent]").count() == 0

        # A form brings the CSRF cookie, and only it.
        page.goto(demo_site + "/konto/logga-in/")
        assert cookie_names(context) == {"csrftoken"}

        # Signing in adds the session cookie, which scripts cannot read.
        page.get_by_label("E-postadress").fill(LEARNER["username"])
        page.get_by_label("Lösenord").fill(LEARNER["password"])
        page.locator("form.account-form").get_by_role("button", name="Logga in").click()
        page.wait_for_url(re.compile(r"/mina-sidor/$"))
        cookies = {c["name"]: c for c in context.cookies()}
        assert {"csrftoken", "sessionid"} <= set(cookies) <= NECESSARY
        assert cookies["sessionid"]["httpOnly"] is True
        assert cookies["sessionid"]["sameSite"] == "Lax"
        assert "sessionid" not in page.evaluate("document.cookie")

        # Signing out takes the session cookie away again.
        page.get_by_role("button", name="Logga ut").click()
        page.wait_for_load_state()
        assert "sessionid" not in cookie_names(context)
        assert cookie_names(context) <= NECESSARY
    finally:
        context.close()
