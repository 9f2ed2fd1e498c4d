"""Accounts and sessions: lockout, session ids, sign-out, password change, CSRF, second factor.

Every test signs in through the real sign-in forms (the site's /konto/logga-in/ and Wagtail's
/admin/login/) where the session itself is what is tested; django-axes, Django's session and
CSRF middleware and django-otp run as configured, with no part replaced.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authentication import SessionAuthentication
from wagtail.models import Page

from kompetensverkstad.pdfs.models import PdfDocument
from lessons.learning.models import StepProgress
from lessons.models import ModuleStep
from lessons.workshops.models import TRAINER_GROUP, SessionParticipant, WorkshopSession
from tests import factories
from tests.factories import PASSWORD, build_workshop_module, make_session, make_site
from worksheets.responses import WorksheetResponse

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "ny-hemlig-fras-42"
LOGIN = "/konto/logga-in/"
ADMIN_LOGIN = "/admin/login/"
LOGIN_URLS = [LOGIN, ADMIN_LOGIN]
LOCKED_OUT = "För många misslyckade inloggningsförsök"
SESSION_COOKIE = settings.SESSION_COOKIE_NAME


def sign_in(client: Client, username: str, password: str = PASSWORD, url: str = LOGIN, **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def session_key(client: Client) -> str:
    return client.cookies[SESSION_COOKIE].value


def replay(key: str) -> Client:
    """A brand-new client that presents nothing but ``key`` as its session cookie."""
    other = Client()
    other.cookies[SESSION_COOKIE] = key
    return other


# --- Lockout ------------------------------------------------------------------------------


def test_lockout_counts_the_account_and_address_together():
    # The pair, not either alone: a colleague behind the same municipal NAT is not locked out by
    # someone else's typos, and nobody can lock a known account from anywhere in the world.
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_five_failures_lock_the_sign_in_with_a_clear_page(client, learner, url):
    for _attempt in range(4):
        response = sign_in(client, learner.username, "fel", url=url)
        assert response.status_code == 200

    response = sign_in(client, learner.username, "fel", url=url)

    assert response.status_code == 429
    assert LOCKED_OUT in response.text
    assert "Försök igen om 15 minuter" in response.text
    assert 'role="alert"' in response.text
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    # The right password does not get through either while the lock lasts.
    response = sign_in(client, learner.username, PASSWORD, url=url)
    assert response.status_code == 429
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize(("fail_at", "then_try"), [(LOGIN, ADMIN_LOGIN), (ADMIN_LOGIN, LOGIN)])
def test_a_lock_earned_on_one_sign_in_form_holds_on_the_other(client, learner, fail_at, then_try):
    for _attempt in range(5):
        sign_in(client, learner.username, "fel", url=fail_at)

    response = sign_in(client, learner.username, PASSWORD, url=then_try)

    assert response.status_code == 429
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_the_lock_holds_only_for_that_account_from_that_address(
    client, learner, other_learner, url
):
    for _attempt in range(5):
        sign_in(client, learner.username, "fel", url=url)

    other_account = sign_in(Client(), other_learner.username, url=url)
    other_address = sign_in(Client(), learner.username, url=url, REMOTE_ADDR="198.51.100.7")

    assert other_account.status_code == 302
    assert other_address.status_code == 302


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_a_forged_forwarded_for_header_does_not_lift_the_lock(client, learner, url):
    # Without AXES_PROXY_COUNT nobody vouches for X-Forwarded-For; a guesser who changes it on
    # every try must still be counted at the address the connection comes from.
    for attempt in range(5):
        sign_in(
            client, learner.username, "fel", url=url, HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}"
        )

    response = sign_in(client, learner.username, url=url, HTTP_X_FORWARDED_FOR="203.0.113.99")

    assert response.status_code == 429


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_unknown_accounts_are_locked_too(client, db, url):
    # Otherwise the lockout page itself would tell which addresses have accounts.
    for _attempt in range(5):
        sign_in(client, "finns-inte@example.org", "fel", url=url)

    assert sign_in(client, "finns-inte@example.org", "fel", url=url).status_code == 429


# --- Session ids --------------------------------------------------------------------------


def anonymous_session(client: Client) -> str:
    """Give ``client`` a session before sign-in, as an attacker would plant one (fixation)."""
    store = SessionStore()
    store["planted"] = "före inloggningen"
    store.create()
    client.cookies[SESSION_COOKIE] = store.session_key
    return store.session_key


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_signing_in_gives_a_new_session_id_and_retires_the_old(client, superuser, url):
    before = anonymous_session(client)

    response = sign_in(client, superuser.username, url=url)

    assert response.status_code == 302
    after = session_key(client)
    assert after != before
    assert not SessionStore().exists(before)
    # The planted id is worth nothing: presented alone it belongs to nobody.
    assert replay(before).get("/mina-sidor/").status_code == 302
    assert replay(after).get("/mina-sidor/").status_code == 200


@pytest.mark.parametrize(
    ("login_url", "logout_url", "private_url", "login_prefix"),
    [
        (LOGIN, "/konto/logga-ut/", "/mina-sidor/", LOGIN),
        (ADMIN_LOGIN, "/admin/logout/", "/admin/", ADMIN_LOGIN),
    ],
)
def test_a_session_cookie_is_useless_after_sign_out(
    client, superuser, login_url, logout_url, private_url, login_prefix
):
    sign_in(client, superuser.username, url=login_url)
    old_key = session_key(client)
    assert replay(old_key).get(private_url).status_code == 200

    response = client.post(logout_url)

    assert response.status_code == 302
    assert not SessionStore().exists(old_key)
    replayed = replay(old_key).get(private_url)
    assert replayed.status_code == 302
    assert replayed["Location"].startswith(login_prefix)


# --- Password change ends the other sessions ----------------------------------------------


class FormValues(HTMLParser):
    """What a browser would submit from a page's forms: inputs, checked boxes, selected options."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in {"file", "submit", "button"}:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            self.values[name] = a.get("value") or ("on" if a.get("type") == "checkbox" else "")
        elif tag == "select":
            self._select = name
        elif (
            tag == "option"
            and self._select
            and ("selected" in a or self._select not in self.values)
        ):
            self.values[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def change_password_on_the_site(client: Client, user) -> None:
    response = client.post(
        "/konto/losenord/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content[:500]


def change_password_in_the_admin(client: Client, user) -> None:
    parser = FormValues()
    parser.feed(client.get("/admin/account/").text)
    data = {k: v for k, v in parser.values.items() if k != "csrfmiddlewaretoken"}
    data.update(
        {
            "password-old_password": PASSWORD,
            "password-new_password1": NEW_PASSWORD,
            "password-new_password2": NEW_PASSWORD,
        }
    )
    response = client.post("/admin/account/", data)
    assert response.status_code == 302, response.content[:2000]


@pytest.mark.parametrize(
    ("login_url", "change", "private_url"),
    [
        (LOGIN, change_password_on_the_site, "/konto/profil/"),
        (ADMIN_LOGIN, change_password_in_the_admin, "/admin/"),
    ],
    ids=["site", "admin"],
)
def test_changing_the_password_ends_every_other_session(superuser, login_url, change, private_url):
    here, elsewhere = Client(), Client()
    sign_in(here, superuser.username, url=login_url)
    sign_in(elsewhere, superuser.username, url=login_url)
    assert elsewhere.get(private_url).status_code == 200

    change(here, superuser)

    assert get_user_model().objects.get(pk=superuser.pk).check_password(NEW_PASSWORD)
    assert here.get(private_url).status_code == 200
    response = elsewhere.get(private_url)
    assert response.status_code == 302
    assert response["Location"].startswith(login_url)


def test_resetting_a_forgotten_password_ends_every_session(learner):
    elsewhere = Client()
    sign_in(elsewhere, learner.username)
    client = Client()
    client.post("/konto/aterstall-losenord/", {"email": learner.email})
    link = re.search(r"(/konto/aterstall-losenord/\S+/\S+/)", mail.outbox[0].body).group(1)
    set_password_url = client.get(link)["Location"]

    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert client.get("/mina-sidor/").status_code == 200
    assert elsewhere.get("/mina-sidor/").status_code == 302


# --- CSRF: every state-changing POST needs the token --------------------------------------


@pytest.fixture
def world(db):
    """One of everything that a POST can change, and the people allowed to change it."""
    home = make_site()
    module = build_workshop_module(home, title="Vi blir fler", slug="vi-blir-fler")
    steps = {s.kind: s for s in module.steps.select_related("page")}
    worksheet = steps[ModuleStep.Kind.WORKSHEET].page.specific
    trainers = Group.objects.get_or_create(name=TRAINER_GROUP)[0]
    trainer = factories.UserFactory(username="utbildare")
    trainer.groups.add(trainers)
    learner = factories.UserFactory(username="larande@example.org", email="larande@example.org")
    joiner = factories.UserFactory(username="ny@example.org", email="ny@example.org")
    session = make_session(trainer, module=module)
    participant = SessionParticipant.objects.create(session=session, user=learner)
    document = PdfDocument.objects.create(
        kind="worksheet",
        owner=learner,
        source_id=worksheet.pk,
        state=PdfDocument.State.FAILED,
        attempts=3,
        error="WeasyPrint föll",
    )
    article = factories.LessonsLearnedPageFactory(parent=home, title="Att radera", slug="radera")
    superuser = factories.UserFactory(username="admin", is_staff=True, is_superuser=True)
    question = next(b for b in worksheet.questions if b.block_type == "reflection")
    return {
        "module": module,
        "steps": steps,
        "worksheet": worksheet,
        "question": question.id,
        "trainer": trainer,
        "learner": learner,
        "joiner": joiner,
        "session": session,
        "participant": participant,
        "document": document,
        "article": article,
        "superuser": superuser,
    }


@dataclass
class Post:
    name: str
    user: str | None  # key in ``world``, None for anonymous
    url: Callable[[dict], str]
    data: Callable[[dict], dict]
    state: Callable[[dict, Client], object]
    as_json: bool = False


def _response_count(w: dict, c: Client) -> int:
    return WorksheetResponse.objects.filter(user=w["learner"]).count()


def _answers(w: dict) -> dict:
    return {f"q-{w['question']}": "Min mormor kom hit 1974."}


POSTS = [
    Post(
        "site login",
        None,
        lambda w: LOGIN,
        lambda w: {"username": w["learner"].username, "password": PASSWORD},
        lambda w, c: signed_in_user_id(c),
    ),
    Post(
        "admin login",
        None,
        lambda w: ADMIN_LOGIN,
        lambda w: {"username": w["superuser"].username, "password": PASSWORD},
        lambda w, c: signed_in_user_id(c),
    ),
    Post(
        "password reset",
        None,
        lambda w: "/konto/aterstall-losenord/",
        lambda w: {"email": w["learner"].email},
        lambda w, c: len(mail.outbox),
    ),
    Post(
        "sign out",
        "learner",
        lambda w: "/konto/logga-ut/",
        lambda w: {},
        lambda w, c: signed_in_user_id(c),
    ),
    Post(
        "profile",
        "learner",
        lambda w: "/konto/profil/",
        lambda w: {"first_name": "Ändrad", "last_name": "Namn", "job_title": ""},
        lambda w, c: get_user_model().objects.get(pk=w["learner"].pk).first_name,
    ),
    Post(
        "password change",
        "learner",
        lambda w: "/konto/losenord/",
        lambda w: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        lambda w, c: get_user_model().objects.get(pk=w["learner"].pk).password,
    ),
    Post(
        "worksheet draft",
        "learner",
        lambda w: w["worksheet"].url,
        lambda w: {"action": "draft", **_answers(w)},
        _response_count,
    ),
    Post(
        "worksheet submit",
        "learner",
        lambda w: w["worksheet"].url,
        lambda w: {"action": "submit", **_answers(w)},
        _response_count,
    ),
    Post(
        "worksheet autosave",
        "learner",
        lambda w: w["worksheet"].url + "spara/",
        lambda w: {"answers": {w["question"]: "Utkast från skriptet"}},
        _response_count,
        as_json=True,
    ),
    Post(
        "step done",
        "learner",
        lambda w: reverse("learning:mark_step_done", args=[w["steps"][ModuleStep.Kind.LECTURE].pk]),
        lambda w: {},
        lambda w, c: StepProgress.objects.filter(user=w["learner"]).count(),
    ),
    Post(
        "lecture progress",
        "learner",
        lambda w: reverse(
            "learning:lecture_progress", args=[w["steps"][ModuleStep.Kind.LECTURE].pk]
        ),
        lambda w: {"played": [[0, 30]]},
        lambda w, c: StepProgress.objects.filter(user=w["learner"]).count(),
        as_json=True,
    ),
    Post(
        "document retry",
        "learner",
        lambda w: reverse("pdfs:retry", args=[w["document"].pk]),
        lambda w: {},
        lambda w, c: PdfDocument.objects.get(pk=w["document"].pk).state,
    ),
    Post(
        "join with code",
        "joiner",
        lambda w: reverse("workshops:join"),
        lambda w: {"code": w["session"].join_code},
        lambda w, c: SessionParticipant.objects.filter(user=w["joiner"]).count(),
    ),
    Post(
        "join link",
        "joiner",
        lambda w: reverse("workshops:join_code", args=[w["session"].join_code]),
        lambda w: {},
        lambda w, c: SessionParticipant.objects.filter(user=w["joiner"]).count(),
    ),
    Post(
        "share answers",
        "learner",
        lambda w: reverse("workshops:share_answers", args=[w["session"].pk]),
        lambda w: {"shares": "on"},
        lambda w, c: SessionParticipant.objects.get(pk=w["participant"].pk).shares_answers,
    ),
    Post(
        "attendance",
        "trainer",
        lambda w: reverse("workshops:attendance", args=[w["session"].pk]),
        lambda w: {"action": "all"},
        lambda w, c: SessionParticipant.objects.get(pk=w["participant"].pk).attended,
    ),
    Post(
        "session create",
        "trainer",
        lambda w: reverse("workshops:session_create"),
        lambda w: {
            "title": "Ny workshop",
            "material": f"module:{w['module'].pk}",
            "starts_at": "2030-03-12T09:00",
            "ends_at": "2030-03-12T12:00",
            "place": "Folkets hus",
            "meeting_url": "",
            "capacity": "12",
            "note": "",
        },
        lambda w, c: WorkshopSession.objects.count(),
    ),
    Post(
        "session edit",
        "trainer",
        lambda w: reverse("workshops:session_edit", args=[w["session"].pk]),
        lambda w: {
            "title": "Bytt titel",
            "material": f"module:{w['module'].pk}",
            "starts_at": "2030-03-12T09:00",
            "ends_at": "2030-03-12T12:00",
            "place": "Folkets hus",
            "meeting_url": "",
            "capacity": "12",
            "note": "",
        },
        lambda w, c: WorkshopSession.objects.get(pk=w["session"].pk).title,
    ),
    Post(
        "session cancel",
        "trainer",
        lambda w: reverse("workshops:session_cancel", args=[w["session"].pk]),
        lambda w: {},
        lambda w, c: WorkshopSession.objects.get(pk=w["session"].pk).is_open,
    ),
    Post(
        "admin page delete",
        "superuser",
        lambda w: f"/admin/pages/{w['article'].pk}/delete/",
        lambda w: {},
        lambda w, c: Page.objects.filter(pk=w["article"].pk).exists(),
    ),
    Post(
        # Django REST framework marks its views csrf_exempt and checks the token itself for
        # session-authenticated requests: this proves that check holds.
        "admin API page action",
        "superuser",
        lambda w: f"/admin/api/main/pages/{w['article'].pk}/action/unpublish/",
        lambda w: {},
        lambda w, c: Page.objects.get(pk=w["article"].pk).live,
        as_json=True,
    ),
]


def url_patterns(patterns=None) -> Iterator[URLPattern]:
    """Every URL pattern the project resolves, Wagtail's included."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns)
        else:
            yield pattern


def named_patterns(patterns=None, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    """(namespace:name, pattern) for every named pattern, Wagtail's included."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from named_patterns(pattern.url_patterns, inner)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def _client_for(world: dict, case: Post) -> Client:
    client = Client(enforce_csrf_checks=True)
    if case.user:
        client.force_login(world[case.user])
    return client


def _post(client: Client, world: dict, case: Post, token: str | None):
    extra = {"HTTP_X_CSRFTOKEN": token} if token and case.as_json else {}
    data = case.data(world)
    if token and not case.as_json:
        data = {**data, "csrfmiddlewaretoken": token}
    if case.as_json:
        return client.post(case.url(world), data, content_type="application/json", **extra)
    return client.post(case.url(world), data, **extra)


def _token(client: Client) -> str:
    # Any page with a form sets the cookie; the sign-in page for everyone, /sok/ once signed in.
    client.get("/sok/")
    client.get(LOGIN)
    return client.cookies[settings.CSRF_COOKIE_NAME].value


@pytest.mark.parametrize("case", POSTS, ids=[c.name for c in POSTS])
def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing(world, case):
    client = _client_for(world, case)
    before = case.state(world, client)

    response = _post(client, world, case, token=None)

    assert response.status_code == 403
    assert case.state(world, client) == before
    # The control: the same request with the token does what it says, so the 403 above is CSRF.
    response = _post(client, world, case, token=_token(client))
    assert response.status_code != 403, response.content[:300]
    assert case.state(world, client) != before


def test_the_table_names_every_post_view_of_the_project():
    """A new view that accepts POST must join POSTS above (and so be checked for CSRF)."""
    covered = {
        "accounts:login",
        "accounts:logout",
        "accounts:password_reset",
        "accounts:password_change",
        "accounts:profile",
        "learning:mark_step_done",
        "learning:lecture_progress",
        "pdfs:retry",
        "workshops:join",
        "workshops:join_code",
        "workshops:share_answers",
        "workshops:attendance",
        "workshops:session_create",
        "workshops:session_edit",
        "workshops:session_cancel",
        # not in POSTS, with a reason:
        # Off unless KV_SIGNUP_ENABLED; Django's csrf_protect decorates it as well.
        "accounts:signup",
        "accounts:password_reset_confirm",  # Django's view, behind the same middleware
        "accounts:two_factor_verify",  # tested below with its own form
        "accounts:two_factor_setup",
    }
    names = {
        name
        for name, p in named_patterns()
        if (p.callback.__module__ or "").split(".")[0]
        in {"kompetensverkstad", "lessons", "worksheets"}
    }
    get_only = {
        "learning:dashboard",
        "pdfs:download",
        "pdfs:status",
        "learning:certificate_lookup",
        "learning:certificate_verify",
        "search",
        "workshops:session_list",
        "workshops:my_session",
        "workshops:session_calendar",
        "workshops:session_detail",
        "workshops:facilitator",
        "workshops:progress",
        "workshops:progress_export_csv",
        "workshops:progress_export_xlsx",
        "workshops:shared_answers",
        "workshops:session_pack",
        "accounts:password_change_done",
        "accounts:password_reset_done",
        "accounts:password_reset_complete",
        "kv_import_users",  # Wagtail admin view: its POST is covered by the admin's middleware
    }
    assert names - covered - get_only == set()


def test_no_view_anywhere_is_exempt_from_csrf():
    """The project's views, Wagtail's admin and its side endpoints: none opts out of CSRF but
    the admin API, whose REST framework views check the token themselves (in POSTS above)."""
    patterns = list(url_patterns())
    exempt = {
        p.callback.__module__
        for p in patterns
        if getattr(p.callback, "csrf_exempt", False)
        and SessionAuthentication
        not in getattr(getattr(p.callback, "cls", None), "authentication_classes", [])
    }

    assert len(patterns) > 250  # the walk reached into Wagtail's admin
    assert exempt == set()


def test_the_worksheet_script_sends_the_token_with_every_autosave():
    script = (settings.BASE_DIR / "kompetensverkstad/static/js/worksheet.js").read_text()
    assert 'querySelector("input[name=csrfmiddlewaretoken]")' in script
    assert '"X-CSRFToken": token' in script
    lecture = (settings.BASE_DIR / "kompetensverkstad/static/js/lecture.js").read_text()
    assert '"X-CSRFToken": token' in lecture


# --- Production cookie flags are in test_deploy.py; the second factor: --------------------


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    """The code an authenticator app shows for ``device`` now (``offset`` steps away)."""
    return (
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"
    )


@pytest.fixture
def admin_access_only(db):
    user = factories.UserFactory(username="bara-admin")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return user


require_2fa = override_settings(KV_REQUIRE_2FA_FOR_STAFF=True)
SETUP = "/konto/tvastegsverifiering/aktivera/"
VERIFY = "/konto/tvastegsverifiering/"
STAFF = ["editor", "moderator", "superuser", "admin_access_only"]


def test_the_second_factor_is_on_by_default_in_production_only():
    # test_deploy.py reads the production value in a fresh process; here the test profile's.
    assert settings.KV_REQUIRE_2FA_FOR_STAFF is False


def test_when_off_staff_reach_the_admin_with_a_password(client, editor):
    sign_in(client, editor.username, url=ADMIN_LOGIN)

    assert client.get("/admin/").status_code == 200


@require_2fa
@pytest.mark.parametrize("who", STAFF)
def test_staff_without_an_app_are_sent_to_set_one_up(client, request, who):
    user = request.getfixturevalue(who)
    sign_in(client, user.username, url=ADMIN_LOGIN)

    for path in ["/admin/", "/admin/pages/", "/admin/account/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"{SETUP}?next={path.replace('/', '%2F')}"


@require_2fa
def test_learners_are_not_asked_for_a_second_factor(client, learner):
    sign_in(client, learner.username)

    assert client.get("/mina-sidor/").status_code == 200
    assert client.get("/konto/profil/").status_code == 200
    # The admin turns them away as before: to its sign-in, not to a set-up page.
    response = client.get("/admin/")
    assert response.status_code == 302
    assert not response["Location"].startswith("/konto/tvastegsverifiering")


@require_2fa
def test_setting_up_an_app_with_its_first_code_opens_the_admin(client, editor):
    sign_in(client, editor.username, url=ADMIN_LOGIN)
    page = client.get(f"{SETUP}?next=/admin/pages/")

    assert page.status_code == 200
    assert "Aktivera tvåstegsverifiering" in page.text
    assert '<svg role="img"' in page.text and "QR-kod för autentiseringsappen" in page.text
    assert '<label for="id_code">Kod' in page.text
    assert 'autocomplete="one-time-code"' in page.text
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    # Reloading keeps the key the app already scanned.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=editor).count() == 1

    wrong = client.post(f"{SETUP}?next=/admin/pages/", {"code": "000000", "next": "/admin/pages/"})
    assert wrong.status_code == 400
    assert "Koden stämmer inte" in wrong.text
    assert client.get("/admin/").status_code == 302
    key_before = session_key(client)

    # The app shows "123 456"; the space is ignored. A freshly failed device waits 1 s.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    code = code_for(device)
    done = client.post(SETUP, {"code": f"{code[:3]} {code[3:]}", "next": "/admin/pages/"})

    assert done.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    backup = list(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True))
    assert len(backup) == 10
    assert all(token in done.text for token in backup)
    assert 'href="/admin/pages/"' in done.text
    assert session_key(client) != key_before
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/pages/").status_code == 200


@pytest.fixture
def enrolled_editor(editor):
    device = TOTPDevice.objects.create(user=editor, name="app", confirmed=True)
    backup = StaticDevice.objects.create(user=editor, name="Reservkoder", confirmed=True)
    backup.token_set.create(token="reserv123")
    return editor, device


@require_2fa
def test_a_new_session_must_enter_a_code_and_cannot_add_another_app(client, enrolled_editor):
    editor, device = enrolled_editor
    sign_in(client, editor.username, url=ADMIN_LOGIN)

    response = client.get("/admin/pages/")
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2Fpages%2F"
    # With the password alone nobody can enrol a second app of their own.
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert client.post(SETUP, {"code": "123456"})["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=editor).count() == 1

    form = client.get(response["Location"])
    assert form.status_code == 200
    assert "Bekräfta med kod" in form.text
    key_before = session_key(client)
    verified = client.post(VERIFY, {"code": code_for(device), "next": "/admin/pages/"})

    assert verified.status_code == 302
    assert verified["Location"] == "/admin/pages/"
    assert session_key(client) != key_before
    assert client.get("/admin/pages/").status_code == 200


@require_2fa
def test_a_used_code_and_a_used_backup_code_do_not_work_twice(enrolled_editor):
    editor, device = enrolled_editor
    first, second, third = Client(), Client(), Client()
    for c in (first, second, third):
        sign_in(c, editor.username, url=ADMIN_LOGIN)
    code = code_for(device)

    assert first.post(VERIFY, {"code": code}).status_code == 302
    assert second.post(VERIFY, {"code": code}).status_code == 400
    # Each wrong code makes every device of the person wait a second; skip that wait.
    TOTPDevice.objects.filter(user=editor).update(throttling_failure_count=0)
    StaticDevice.objects.filter(user=editor).update(throttling_failure_count=0)
    assert second.post(VERIFY, {"code": "reserv123"}).status_code == 302
    assert third.post(VERIFY, {"code": "reserv123"}).status_code == 400
    assert third.get("/admin/").status_code == 302


@require_2fa
def test_guessing_codes_is_throttled(client, enrolled_editor):
    editor, device = enrolled_editor
    sign_in(client, editor.username, url=ADMIN_LOGIN)
    for _guess in range(8):
        client.post(VERIFY, {"code": "111111"})

    # After eight wrong guesses the device waits minutes; even the right code is refused now.
    response = client.post(VERIFY, {"code": code_for(device)})

    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


@require_2fa
def test_the_code_page_does_not_redirect_elsewhere(client, enrolled_editor):
    editor, device = enrolled_editor
    sign_in(client, editor.username, url=ADMIN_LOGIN)

    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})

    assert response["Location"] == "/admin/"


@require_2fa
def test_signing_out_ends_the_verification(client, enrolled_editor):
    editor, device = enrolled_editor
    sign_in(client, editor.username, url=ADMIN_LOGIN)
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get("/admin/").status_code == 200

    client.post("/admin/logout/")
    sign_in(client, editor.username, url=ADMIN_LOGIN)

    assert client.get("/admin/")["Location"].startswith(VERIFY)


@require_2fa
def test_sign_in_and_out_of_the_admin_work_before_the_code(client, enrolled_editor):
    editor, _device = enrolled_editor

    assert client.get(ADMIN_LOGIN).status_code == 200
    assert client.get("/admin/password_reset/").status_code in {200, 404}
    sign_in(client, editor.username, url=ADMIN_LOGIN)
    assert client.post("/admin/logout/").status_code == 302
    assert signed_in_user_id(client) is None


@require_2fa
def test_the_code_pages_need_a_signed_in_person(client, db):
    for url in (VERIFY, SETUP):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
