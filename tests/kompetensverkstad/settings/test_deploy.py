"""Deploy checks and headers: `check --deploy`, production settings, security headers, CSP,
no inline script or style in the templates, and the dependency audit's counting.

The production profile is read in a fresh process (it reads the environment at import; the
processes are in tests/kompetensverkstad/conftest.py); the header tests then run the test client
under those very values.
"""

import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client, override_settings

from tests import factories
from tests.conftest import index_pages
from tests.factories import PASSWORD
from tests.kompetensverkstad.production import (
    BASE_DIR,
    PRODUCTION_SETTINGS,
    manage,
    with_secrets,
)

SITE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "media-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
ADMIN_POLICY = {**SITE_POLICY, "frame-ancestors": "'self'"}
# What the production profile decides about transport and cookies (read by production_values),
# and what the header tests run under.
SECURITY_SETTINGS = [
    s for s in PRODUCTION_SETTINGS if s not in {"ALLOWED_HOSTS", "CACHES", "CELERY_BROKER_URL"}
]


def directives(header: str) -> dict[str, str]:
    """A policy header as {directive: sources}, whatever order django-csp wrote it in."""
    parts = (p.strip().split(" ", 1) for p in header.split(";") if p.strip())
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


def test_check_deploy_passes_with_production_settings(deploy_check):
    done = deploy_check

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout
    assert "WARNINGS" not in done.stdout + done.stderr


def test_check_deploy_would_catch_a_weakened_setting():
    # The check above can fail: switch the HTTPS redirect off and it must complain.
    done = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=with_secrets(SECURE_SSL_REDIRECT="false"),
    )

    assert done.returncode != 0
    assert "security.W008" in done.stdout + done.stderr


def test_production_transport_and_cookie_settings(production_values):
    v = production_values
    assert v["DEBUG"] is False
    assert v["SECURE_SSL_REDIRECT"] is True
    assert v["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert v["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert v["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert v["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert v["SECURE_REFERRER_POLICY"] in {"same-origin", "strict-origin", "no-referrer"}
    assert v["X_FRAME_OPTIONS"] == "DENY"
    for cookie in ("SESSION", "CSRF"):
        assert v[f"{cookie}_COOKIE_SECURE"] is True
        assert v[f"{cookie}_COOKIE_SAMESITE"] in {"Lax", "Strict"}
    assert v["SESSION_COOKIE_HTTPONLY"] is True
    # The scripts read the token from the page, never from the cookie.
    assert v["CSRF_COOKIE_HTTPONLY"] is True
    assert v["KV_REQUIRE_2FA_FOR_STAFF"] is True
    middleware = v["MIDDLEWARE"]
    assert "kompetensverkstad.security.ContentSecurityPolicyMiddleware" in middleware
    assert middleware.index("django_otp.middleware.OTPMiddleware") > middleware.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )
    assert middleware.index("kompetensverkstad.accounts.two_factor.StaffSecondFactorMiddleware") > (
        middleware.index("django_otp.middleware.OTPMiddleware")
    )


def test_the_second_factor_can_be_switched_off_in_production_by_the_environment():
    code = "from django.conf import settings; print('2FA', settings.KV_REQUIRE_2FA_FOR_STAFF)"
    done = manage("shell", "-c", code, env=with_secrets(KV_REQUIRE_2FA_FOR_STAFF="false"))

    assert "2FA False" in done.stdout, done.stderr


# --- Headers on real pages under the production values -----------------------------------


@pytest.fixture
def as_production(production_values):
    values = {
        k: v
        for k, v in production_values.items()
        if k in SECURITY_SETTINGS and k not in {"MIDDLEWARE", "DEBUG"}
    }
    # The second factor has its own tests; here the admin must open for the header check.
    values["KV_REQUIRE_2FA_FOR_STAFF"] = False
    with override_settings(**values):
        yield


@pytest.fixture
def pages(lecture_page, worksheet_page, module_page, project_index, home, trainer):
    project = factories.ProjectPageFactory(parent=project_index, title="KVISK")
    article = factories.LessonsLearnedPageFactory(parent=module_page, title="Vad vi har lärt oss")
    index_pages(project, article, lecture_page)
    return {
        "public": [
            home.url,
            module_page.url,
            lecture_page.url,
            article.url,
            project_index.url,
            f"{project_index.url}?region=kronoberg",
            project.url,
            worksheet_page.url,
            "/sok/?q=fler",
            "/konto/logga-in/",
            "/konto/aterstall-losenord/",
        ],
        "learner": [
            "/mina-sidor/",
            worksheet_page.url,
            lecture_page.url,
            "/konto/profil/",
            "/konto/losenord/",
            "/workshop/ga-med/",
        ],
        "trainer": ["/workshop/", "/workshop/ny/"],
        "admin": ["/admin/", "/admin/pages/", f"/admin/pages/{lecture_page.pk}/edit/"],
        "trainer_user": trainer,
    }


def assert_common_headers(response, url: str) -> None:
    h = response.headers
    assert h["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload", url
    assert h["X-Content-Type-Options"] == "nosniff", url
    assert h["Referrer-Policy"] == "same-origin", url
    assert h["Cross-Origin-Opener-Policy"] == "same-origin", url
    assert h["X-Frame-Options"] == "DENY", url


def test_site_pages_carry_every_header_and_the_enforced_policy(
    client, pages, learner, as_production
):
    seen = 0
    for who, urls in (
        ("public", pages["public"]),
        ("learner", pages["learner"]),
        ("trainer", pages["trainer"]),
    ):
        client.logout()
        if who == "learner":
            client.force_login(learner)
        elif who == "trainer":
            client.force_login(pages["trainer_user"])
        for url in urls:
            response = client.get(url, secure=True)
            assert response.status_code == 200, (who, url, response.status_code)
            assert_common_headers(response, url)
            assert directives(response.headers["Content-Security-Policy"]) == SITE_POLICY, url
            assert "Content-Security-Policy-Report-Only" not in response.headers, url
            seen += 1
    assert seen == 19


def test_the_admin_runs_the_policy_report_only(client, pages, superuser, as_production):
    client.force_login(superuser)

    for url in pages["admin"] + ["/admin/login/"]:
        response = client.get(url, secure=True)
        assert response.status_code in {200, 302}, url
        assert_common_headers(response, url)
        assert "Content-Security-Policy" not in response.headers, url
        report_only = response.headers["Content-Security-Policy-Report-Only"]
        assert directives(report_only) == ADMIN_POLICY, url
        # No avatars from gravatar.com: they would tell a third party who edits the site.
        assert "gravatar.com" not in response.text, url


def test_plain_http_is_sent_to_https(client, home, as_production):
    response = client.get("/sok/?q=fler")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/sok/?q=fler"
    # Behind the proxy, its header says the request came over HTTPS.
    assert client.get("/sok/", HTTP_X_FORWARDED_PROTO="https").status_code == 200


def test_production_cookies_are_secure_httponly_and_samesite(client, learner, as_production):
    login = client.get("/konto/logga-in/", secure=True)
    csrf = login.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"

    response = client.post(
        "/konto/logga-in/",
        {"username": learner.username, "password": PASSWORD},
        secure=True,
    )

    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_the_csp_middleware_runs_in_every_profile(db):
    # Development and the browser tests see what production enforces.
    assert "kompetensverkstad.security.ContentSecurityPolicyMiddleware" in settings.MIDDLEWARE
    response = Client().get("/konto/logga-in/")
    assert directives(response.headers["Content-Security-Policy"]) == SITE_POLICY


# --- Nothing inline in the templates the browser sees --------------------------------------

INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "script"),
    (re.compile(r"<style\b", re.I), "<style>"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_has_inline_script_or_style():
    """An inline script or style would be blocked by the policy (PDF templates are WeasyPrint's)."""
    found = []
    templates = [
        p
        for p in (BASE_DIR / "templates").rglob("*.html")
        if "pdf" not in p.relative_to(BASE_DIR).parts
    ]
    assert len(templates) > 40
    for path in templates:
        text = path.read_text()
        for pattern, what in INLINE:
            found += [f"{path.relative_to(BASE_DIR)}: {what}" for _ in pattern.finditer(text)]
    assert found == []


def test_the_inline_check_would_see_an_inline_script():
    bad = '<script>alert(1)</script><p style="color:red" onclick="x()">'
    assert [what for pattern, what in INLINE if pattern.search(bad)] == [
        "script",
        "style attribute",
        "event handler attribute",
    ]


# --- The dependency audit's verdict --------------------------------------------------------


def _audit_module():
    sys.path.insert(0, str(BASE_DIR / "scripts"))
    try:
        import audit
    finally:
        sys.path.pop(0)
    return audit


def test_audit_counts_findings_and_fails_only_on_a_fixable_one():
    audit = _audit_module()
    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.0",
                "vulns": [
                    {"id": "PYSEC-1", "fix_versions": ["5.2.1"]},
                    {"id": "GHSA-2", "fix_versions": []},
                ],
            },
            {"name": "wagtail", "version": "8.0.1", "vulns": []},
            {"name": "lokal", "skip_reason": "Dependency not found on PyPI"},
        ]
    }
    lines, status = audit.verdict(report, packages=3)
    assert status == 1
    assert lines[0].startswith("audit: 2 kända sårbarheter (1 med rättad version) i 2 granskade")
    assert "1 kunde inte granskas (lokal)" in lines[0]

    report["dependencies"][0]["vulns"].pop(0)
    lines, status = audit.verdict(report, packages=3)
    assert status == 0 and lines[0].startswith("audit: 1 kända sårbarheter (0 med rättad")

    unreachable = {"dependencies": [{"name": "django", "skip_reason": "not found on PyPI"}]}
    lines, status = audit.verdict(unreachable, packages=1)
    assert status == 0
    assert "INGET granskat" in lines[-1]


def test_audit_runs_against_a_pinned_list(tmp_path):
    import django

    lock = tmp_path / "requirements.lock"
    lock.write_text(f"django=={django.get_version()}\n")

    done = subprocess.run(  # noqa: S603
        [sys.executable, str(BASE_DIR / "scripts" / "audit.py"), str(lock)],
        capture_output=True,
        text=True,
        timeout=360,
        check=False,
    )

    # Reachable or not, the outcome is said in one counted line, never a traceback.
    assert re.search(
        r"^audit: (\d+ kända sårbarheter|sårbarhetstjänsten kunde inte nås)", done.stdout, re.M
    ), done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
