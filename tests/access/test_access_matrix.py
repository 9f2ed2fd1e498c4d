"""Access matrix: every URL pattern the project resolves, for eight people, against a table.

The walk goes through ``get_resolver().url_patterns`` (the site, Wagtail's admin with its side
endpoints and API, document serving, media, the project's own views) and GETs every pattern,
with real ids from ``matrix_world``, as: anonymous, learner A, learner B, trainer of session X,
trainer of session Y, editor (Wagtail's "Editors" group) and administrator (superuser).

Outcomes:
  allowed     2xx, or a redirect that is neither to a sign-in page nor Wagtail's refusal
  login       302 to the site's sign-in, /konto/logga-in/
  admin-login 302 to the Wagtail admin's sign-in (no "access_admin")
  denied      302 to the admin dashboard with an error: Wagtail's permission_denied()
  403 / 404 / 405 / 400   that status
  raises      the view raised (a 500); declared for Wagtail's error-test page only
  second-factor  302 to the staff second-factor page (switched off for the matrix)

A URL pattern without a row or rule, or with a URL argument that KWARGS cannot fill, fails
test_every_pattern_is_declared: every future view must declare who may use it. Objects of A
tried by B (and session X by trainer Y) with POSTs, and POSTs with extra fields, are in
test_object_access.py.
"""

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib import messages
from django.urls import (
    NoReverseMatch,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)

from .matrix_world import USERS, World, build_world

ALLOWED = "allowed"
LOGIN = "login"
ADMIN_LOGIN = "admin-login"
DENIED = "denied"
FORBIDDEN = "403"
NOT_FOUND = "404"
METHOD = "405"
BAD_REQUEST = "400"
RAISES = "raises"
SECOND_FACTOR = "second-factor"


@dataclass(frozen=True)
class Pattern:
    key: str  # namespace:name, or the route of an unnamed pattern
    name: str | None
    route: str
    kwargs: tuple[str, ...]
    positional: bool  # unnamed regex groups: reverse() cannot fill them
    callback: Callable


@dataclass(frozen=True)
class Case:
    key: str
    pattern_key: str
    route: str
    url: str


# Views from these packages are the project's own: each needs an exact row, never a rule.
PROJECT_PACKAGES = {"kompetensverkstad", "lessons", "worksheets"}


def _join(prefix: str, route: str) -> str:
    # As Django joins the routes of nested patterns (ResolverMatch.route), so the two compare.
    return prefix + route.removeprefix("^") if prefix else route


def walk(patterns=None, prefix: str = "", namespace: str = "") -> list[Pattern]:
    found: list[Pattern] = []
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            found += walk(p.url_patterns, _join(prefix, str(p.pattern)), ns)
        elif isinstance(p, URLPattern):
            regex = p.pattern.regex
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            route = _join(prefix, str(p.pattern))
            found.append(
                Pattern(
                    key=name or route,
                    name=name,
                    route=route,
                    kwargs=tuple(sorted(regex.groupindex)),
                    positional=regex.groups > len(regex.groupindex),
                    callback=p.callback,
                )
            )
    return found


def _ids(name: str) -> Callable[[World], object]:
    return lambda w: w.ids[name]


# URL keyword arguments, by scope: a pattern's own key, then its namespaces, then "*" for all.
# A keyword argument found in no scope fails test_every_pattern_is_declared by name.
KWARGS: dict[str, dict[str, Callable[[World], object]]] = {
    "*": {
        "page_id": lambda w: w.public_page.pk,
        "parent_page_id": lambda w: w.home.pk,
        "page_to_move_id": lambda w: w.public_page.pk,
        "destination_id": lambda w: w.project_index.pk,
        "revision_id": _ids("revision"),
        "task_state_id": _ids("task_state"),
        "workflow_state_id": _ids("workflow_state"),
        "task_id": _ids("task"),
        "action_name": lambda w: "approve",
        "content_type_app_name": lambda w: "kompetensverkstad",
        "content_type_model_name": lambda w: "standardpage",
        "app_label": lambda w: "kompetensverkstad",
        "model_name": lambda w: "standardpage",
        "collection_id": _ids("collection"),
        "document_id": _ids("document"),
        "doc_id": _ids("document"),
        "uploaded_file_id": _ids("uploaded_file"),
        "image_id": _ids("image"),
        "filter_spec": lambda w: "fill-100x100",
        "media_id": _ids("media"),
        "media_type": lambda w: "video",
        "redirect_id": _ids("redirect"),
        "restriction_id": _ids("collection_restriction"),
        # A well-formed link whose token is wrong: the view must answer, not fail.
        "uidb64": lambda w: "MQ",
        "token": lambda w: "aaaaaa-0123456789abcdef0123456789abcdef",
        "step_id": lambda w: w.steps["lecture"].pk,
        "participant_id": lambda w: w.participant_a.pk,
    },
    # "pk" and "code" mean something different on every route: each route declares its own.
    **{
        name: {"pk": lambda w: w.session_x.pk}
        for name in (
            "workshops:my_session",
            "workshops:share_answers",
            "workshops:session_calendar",
            "workshops:session_detail",
            "workshops:session_edit",
            "workshops:session_cancel",
            "workshops:facilitator",
            "workshops:attendance",
            "workshops:progress",
            "workshops:progress_export_csv",
            "workshops:progress_export_xlsx",
            "workshops:session_pack",
        )
    },
    "workshops:join_code": {"code": lambda w: w.session_x.join_code},
    "federation:saml-login": {"slug": lambda w: "lanet"},
    "wagtailadmin_api:pages": {"pk": lambda w: w.public_page.pk, "action_name": lambda w: "copy"},
    "wagtailadmin_api:documents": {"pk": _ids("document")},
    "wagtailadmin_api:images": {"pk": _ids("image")},
    "wagtail_bulk_action": {
        "app_label": lambda w: "wagtailcore",
        "model_name": lambda w: "page",
        "action": lambda w: "delete",
    },
    "wagtailadmin_pages:revisions_compare": {
        "pk": lambda w: w.public_page.pk,
        "revision_id_a": lambda w: "earliest",
        "revision_id_b": lambda w: "latest",
    },
    "wagtailadmin_tag_model_autocomplete": {
        "app_name": lambda w: "taggit",
        "model_name": lambda w: "tag",
    },
    "wagtailadmin_collections": {"pk": _ids("collection")},
    "wagtailadmin_workflows": {
        "pk": _ids("workflow"),
        "page_pk": lambda w: w.home.get_parent().pk,
        "workflow_pk": _ids("workflow"),
        "app_label": lambda w: "wagtailcore",
        "model_name": lambda w: "groupapprovaltask",
    },
    "wagtailadmin_workflows:edit_task": {"pk": _ids("task")},
    "wagtailadmin_workflows:disable_task": {"pk": _ids("task")},
    "wagtailadmin_workflows:enable_task": {"pk": _ids("task")},
    "wagtailadmin_editing_sessions": {
        "app_label": lambda w: "wagtailcore",
        "model_name": lambda w: "page",
        "object_id": lambda w: w.public_page.pk,
        "session_id": _ids("editing_session"),
    },
    # The one settings model: the retention decision (a singleton; its row is made on first use).
    "wagtailsettings": {
        "app_name": lambda w: "kompetensverkstad",
        "model_name": lambda w: "retentionsettings",
        "pk": _ids("retention_settings"),
    },
    "wagtailsnippets_kompetensverkstad_partner": {"pk": _ids("partner")},
    "wagtailsnippetchoosers_kompetensverkstad_partner": {"pk": _ids("partner")},
    "wagtailsnippets_kompetensverkstad_contactperson": {"pk": _ids("contact")},
    "wagtailsnippetchoosers_kompetensverkstad_contactperson": {"pk": _ids("contact")},
    "wagtailsnippets_kompetensverkstad_coordinator": {"pk": _ids("coordinator")},
    "wagtailsnippetchoosers_kompetensverkstad_coordinator": {"pk": _ids("coordinator")},
    "wagtailsnippets_kompetensverkstad_municipality": {"pk": _ids("municipality")},
    "wagtailsnippets_kompetensverkstad_identityprovider": {"pk": _ids("identity_provider")},
    "wagtailsnippetchoosers_kompetensverkstad_identityprovider": {"pk": _ids("identity_provider")},
    "wagtailsnippets_kompetensverkstad_federatedidentity": {"pk": _ids("federated_identity")},
    "wagtailsnippetchoosers_kompetensverkstad_federatedidentity": {
        "pk": _ids("federated_identity")
    },
    "wagtailsnippetchoosers_kompetensverkstad_municipality": {"pk": _ids("municipality")},
    # The world's provider is a SAML one: there is no OpenID Connect provider by that name.
    "federation:oidc-login": {"slug": lambda w: "lanet"},
    "wagtailsites": {"pk": _ids("site")},
    "wagtailusers_users": {"pk": lambda w: w.users["learner_a"].pk},
    "wagtailusers_groups": {"pk": _ids("group")},
    "wagtaildocs_chooser": {"pk": _ids("document")},
    "wagtailimages_chooser": {"pk": _ids("image")},
    "wagtailcore_authenticate_with_password": {
        "page_view_restriction_id": _ids("page_restriction"),
        "page_id": lambda w: w.password_page.pk,
    },
    # The project's own: learner A's PDF, certificate code; session X's join code.
    "pdfs:download": {"document_id": lambda w: w.pdf_a.pk},
    "pdfs:status": {"document_id": lambda w: w.pdf_a.pk},
    "pdfs:retry": {"document_id": lambda w: w.pdf_a.pk},
    "learning:certificate_verify": {"code": lambda w: w.completion_a.verification_code},
    # Learner A in the staff list; the learners' municipality (Växjö) and module in the report.
    "kv_staff_deactivate": {"user_id": lambda w: w.users["learner_a"].pk},
    "kv_staff_reactivate": {"user_id": lambda w: w.users["learner_a"].pk},
    "kv_erasure_carry_out": {"request_id": _ids("erasure_request_b")},
    "kv_export_person": {"user_id": lambda w: w.users["learner_a"].pk},
    "kv_reports:learners": {
        "municipality_id": _ids("municipality"),
        "module_id": lambda w: w.module.pk,
    },
}


def _page(attr: str, suffix: str = "") -> Callable[[World], str]:
    return lambda w: getattr(w, attr).url + suffix


# Patterns that reverse() cannot build (unnamed groups, catch-alls), or that serve many kinds
# of thing: each is tried at the concrete URLs named here, each URL a row of its own.
SERVED: dict[str, dict[str, Callable[[World], str]]] = {
    "admin/test404/": {"page": lambda w: "/admin/test404/"},
    "admin/.*/$": {"unknown admin path": lambda w: "/admin/finns-inte/"},
    "wagtaildocs_serve": {
        "document": lambda w: reverse(
            "wagtaildocs_serve", args=[w.ids["document"], w.ids["document_filename"]]
        ),
        # In a password-protected collection: "allowed" here is the password form (200), see
        # test_object_access for the check that the file itself is not in the answer.
        "document in password collection": lambda w: reverse(
            "wagtaildocs_serve",
            args=[w.ids["restricted_document"], w.ids["restricted_document_filename"]],
        ),
    },
    "^media/(?P<path>.*)$": {
        "image file": lambda w: w.ids["image_url"],
        "video file": lambda w: w.ids["media_url"],
        "A's pdf by its storage path": lambda w: "/media/" + w.pdf_a.file.name,
    },
    "pdfs:download": {
        "A's worksheet pdf": lambda w: reverse("pdfs:download", args=[w.pdf_a.pk]),
        "A's certificate": lambda w: reverse("pdfs:download", args=[w.certificate_a.pk]),
        "A's data export": lambda w: reverse("pdfs:download", args=[w.ids["export_a"]]),
    },
    "workshops:shared_answers": {
        "A shares": lambda w: reverse(
            "workshops:shared_answers", args=[w.session_x.pk, w.participant_a.pk]
        ),
        "B does not share": lambda w: reverse(
            "workshops:shared_answers", args=[w.session_x.pk, w.participant_b.pk]
        ),
    },
    "wagtail_serve_vtt": {
        "captions": _page("lecture", "textning.vtt"),
        "chapters": _page("lecture", "kapitel.vtt"),
    },
    "wagtail_serve": {
        "home": _page("home"),
        "public page": _page("public_page"),
        "draft page": _page("draft_page"),
        "login-restricted page": _page("private_page"),
        "password-restricted page": _page("password_page"),
        "module": _page("module"),
        "lecture": _page("lecture"),
        "article": _page("article"),
        "worksheet": _page("worksheet"),
        "worksheet autosave (GET)": _page("worksheet", "spara/"),
        "worksheet blank pdf": _page("worksheet", "pdf/"),
        "project index": _page("project_index"),
        "project": _page("project"),
        "unknown page": lambda w: "/finns-inte/",
        # Wagtail's public API (wagtail.api.v2) is not enabled: its usual path is no page.
        "public API path": lambda w: "/api/v2/pages/",
    },
}


def kwarg_value(pattern: Pattern, kwarg: str, world: World | None):
    scopes = [pattern.key]
    if pattern.name and ":" in pattern.name:
        namespace = pattern.name.rsplit(":", 1)[0]
        while namespace:
            scopes.append(namespace)
            namespace = namespace.rsplit(":", 1)[0] if ":" in namespace else ""
    scopes.append("*")
    for scope in scopes:
        getter = KWARGS.get(scope, {}).get(kwarg)
        if getter is not None:
            return getter if world is None else getter(world)
    return None


def concrete_cases(world: World) -> list[Case]:
    cases: list[Case] = []
    patterns = walk()
    names = [p.key for p in patterns]
    for pattern in patterns:
        if pattern.key in SERVED:
            for label, url in SERVED[pattern.key].items():
                cases.append(Case(f"{pattern.key} {label}", pattern.key, pattern.route, url(world)))
            continue
        kwargs = {k: kwarg_value(pattern, k, world) for k in pattern.kwargs}
        key = pattern.key
        if names.count(key) > 1:
            key = f"{key} [{','.join(pattern.kwargs)}]"
        cases.append(Case(key, pattern.key, pattern.route, reverse(pattern.name, kwargs=kwargs)))
    return cases


# --- The table ---------------------------------------------------------------------------------
# One outcome per person, in the order of USERS:
#   anonymous, learner A, learner B, trainer X, trainer Y, editor, administrator.
# Every id in a URL is learner A's or session X's (or content the editor may manage), so the
# columns for B and trainer Y are "someone else's object" and must never be ALLOWED where A's
# private data is concerned.

Row = tuple[str, str, str, str, str, str, str, str]
AL = ADMIN_LOGIN


def row(
    anonymous: str,
    learner_a: str,
    learner_b: str,
    trainer_x: str,
    trainer_y: str,
    editor: str,
    admin: str,
    coordinator: str | None = None,
) -> Row:
    if coordinator is None:
        coordinator = _coordinator_default(learner_b, editor)
    return (anonymous, learner_a, learner_b, trainer_x, trainer_y, editor, admin, coordinator)


def _coordinator_default(learner_b: str, editor: str) -> str:
    """The coordinator (group Samordnare: admin access, no page or snippet rights; another
    municipality than A's) is on the site what learner B is; in the admin, where B is sent
    to sign in, they are refused like an editor without the right (Wagtail's "denied"),
    except where even an editor meets a 405/404 or the deliberate error page. Exceptions are
    in COORDINATOR, below the table."""
    if learner_b != ADMIN_LOGIN:
        return learner_b
    return editor if editor in (METHOD, NOT_FOUND, RAISES) else DENIED


def same(outcome: str) -> Row:
    return row(*[outcome] * 8)


PUBLIC = same(ALLOWED)
SIGNED_IN = row(LOGIN, *[ALLOWED] * 6)
# Wagtail's admin: anyone without "access_admin" (anonymous, learners, trainers) is sent to the
# admin's sign-in page; of the rest, editors have Wagtail's default "Editors" rights (pages
# add/change under the root, images, documents, media), administrators everything.
ADMIN_EDITORS = row(AL, AL, AL, AL, AL, ALLOWED, ALLOWED)
ADMIN_ONLY = row(AL, AL, AL, AL, AL, DENIED, ALLOWED)
ADMIN_POST_ONLY = row(AL, AL, AL, AL, AL, METHOD, METHOD)
ADMIN_NOTHING_HERE = row(AL, AL, AL, AL, AL, NOT_FOUND, NOT_FOUND)
# Session X's trainer pages: trainers only (others signed in 403), and only their own session
# (trainer Y gets 404, as if it did not exist); superusers manage every session.
SESSION_X_TRAINER = row(LOGIN, FORBIDDEN, FORBIDDEN, ALLOWED, NOT_FOUND, FORBIDDEN, ALLOWED)
SIGNED_IN_POST_ONLY = row(LOGIN, *[METHOD] * 6)
# The trainer's own list and "new session": trainers and superusers; others signed in 403.
TRAINERS = row(LOGIN, FORBIDDEN, FORBIDDEN, ALLOWED, ALLOWED, FORBIDDEN, ALLOWED)

# Exact rows: the project's own views (each must have one), Wagtail's page routes, and every
# concrete URL served through Wagtail's page catch-all.
EXPECTED: dict[str, Row] = {
    # Accounts (/konto/).
    "accounts:login": PUBLIC,
    "accounts:logout": same(METHOD),  # POST only
    "accounts:signup": same(NOT_FOUND),  # off unless KV_SIGNUP_ENABLED
    "accounts:profile": SIGNED_IN,
    "accounts:password_change": SIGNED_IN,
    "accounts:password_change_done": SIGNED_IN,
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_confirm": PUBLIC,  # a wrong token shows "the link is invalid"
    "accounts:password_reset_complete": PUBLIC,
    # Without a device yet, the code page sends a person on to set one up.
    "accounts:two_factor_verify": row(LOGIN, *[SECOND_FACTOR] * 6),
    "accounts:two_factor_setup": SIGNED_IN,
    # Signing in through the municipality (/konto/kommun/, /konto/saml/).
    "federation:choose": PUBLIC,
    "federation:link": same(BAD_REQUEST),  # nothing waits to be linked in a fresh session
    "federation:saml-metadata": PUBLIC,  # the SP's metadata, for IdPs and federations
    "federation:saml-acs": same(METHOD),  # the IdP's POST only
    "federation:saml-sls": same(NOT_FOUND),  # without a SAML message there is nothing here
    "federation:saml-logout": same(METHOD),  # POST only
    "federation:saml-login": same(NOT_FOUND),  # the world's provider is switched off
    # OpenID Connect (/konto/oidc/): no such provider; an answer no sign-in here started.
    "federation:oidc-login": same(NOT_FOUND),
    "federation:oidc-callback": same(BAD_REQUEST),
    "search": PUBLIC,
    # Workshops (/workshop/), all on session X.
    "workshops:session_list": row(
        LOGIN, FORBIDDEN, FORBIDDEN, ALLOWED, ALLOWED, FORBIDDEN, ALLOWED
    ),
    "workshops:session_create": row(
        LOGIN, FORBIDDEN, FORBIDDEN, ALLOWED, ALLOWED, FORBIDDEN, ALLOWED
    ),
    "workshops:join": SIGNED_IN,
    "workshops:join_code": SIGNED_IN,  # A and B: to their seat; the trainer: "your own session"
    # A and B both sit in session X; nobody else has a seat there.
    "workshops:my_session": row(
        LOGIN, ALLOWED, ALLOWED, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND
    ),
    "workshops:share_answers": SIGNED_IN_POST_ONLY,
    "workshops:session_calendar": row(
        LOGIN, ALLOWED, ALLOWED, ALLOWED, NOT_FOUND, NOT_FOUND, ALLOWED
    ),
    "workshops:session_detail": SESSION_X_TRAINER,
    "workshops:session_edit": SESSION_X_TRAINER,
    "workshops:session_cancel": SESSION_X_TRAINER,
    "workshops:facilitator": SESSION_X_TRAINER,
    "workshops:attendance": SESSION_X_TRAINER,
    "workshops:progress": SESSION_X_TRAINER,
    "workshops:progress_export_csv": SESSION_X_TRAINER,
    "workshops:progress_export_xlsx": SESSION_X_TRAINER,
    "workshops:session_pack": SESSION_X_TRAINER,
    # Answers only for the session's own trainer, and only of a participant who shares them:
    # not trainer Y, not an administrator.
    "workshops:shared_answers A shares": row(
        LOGIN, FORBIDDEN, FORBIDDEN, ALLOWED, NOT_FOUND, FORBIDDEN, NOT_FOUND
    ),
    "workshops:shared_answers B does not share": row(
        LOGIN, FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND, FORBIDDEN, NOT_FOUND
    ),
    # The learner's own pages.
    "learning:dashboard": SIGNED_IN,
    "learning:mark_step_done": SIGNED_IN_POST_ONLY,
    "learning:lecture_progress": SIGNED_IN_POST_ONLY,
    # A's worksheet PDF: A, and trainer X because A shares in session X; nobody else.
    "pdfs:download A's worksheet pdf": row(
        LOGIN, ALLOWED, NOT_FOUND, ALLOWED, NOT_FOUND, NOT_FOUND, NOT_FOUND
    ),
    # A's certificate: A only (sharing answers does not share a certificate).
    "pdfs:download A's certificate": row(
        LOGIN, ALLOWED, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND
    ),
    # A's data export (everything of A): A only, not an administrator nor a coordinator.
    "pdfs:download A's data export": row(LOGIN, ALLOWED, *[NOT_FOUND] * 5, NOT_FOUND),
    "pdfs:status": row(LOGIN, ALLOWED, *[NOT_FOUND] * 5),
    "pdfs:retry": SIGNED_IN_POST_ONLY,
    # The person's own data (/mina-sidor/mina-uppgifter/): each sees and closes only their own.
    "privacy:my_data": SIGNED_IN,
    "privacy:export": SIGNED_IN_POST_ONLY,
    "privacy:close_account": SIGNED_IN,  # the confirmation page; closing is a POST
    "privacy:withdraw": SIGNED_IN_POST_ONLY,
    # Anyone may check a certificate code (name, module, date; nothing else).
    "learning:certificate_lookup": PUBLIC,
    "learning:certificate_verify": PUBLIC,
    # Uploaded media (SERVE_MEDIA in tests): public files yes, private PDFs never by path.
    "^media/(?P<path>.*)$ image file": PUBLIC,
    "^media/(?P<path>.*)$ video file": PUBLIC,
    "^media/(?P<path>.*)$ A's pdf by its storage path": same(NOT_FOUND),
    # Wagtail's document serving (serve_view); this document is in the public root collection.
    "wagtaildocs_serve document": PUBLIC,
    "wagtaildocs_serve document in password collection": PUBLIC,
    "wagtaildocs_authenticate_with_password": PUBLIC,  # the password form
    "wagtailcore_authenticate_with_password": PUBLIC,  # the password form
    "wagtailcore_login": PUBLIC,  # Wagtail's own front-end sign-in form
    # Pages, through Wagtail's catch-all.
    "wagtail_serve home": PUBLIC,
    "wagtail_serve public page": PUBLIC,
    "wagtail_serve draft page": same(NOT_FOUND),
    "wagtail_serve login-restricted page": SIGNED_IN,
    "wagtail_serve password-restricted page": PUBLIC,  # the password form
    "wagtail_serve module": PUBLIC,
    "wagtail_serve lecture": PUBLIC,
    "wagtail_serve article": PUBLIC,
    "wagtail_serve worksheet": PUBLIC,
    "wagtail_serve worksheet autosave (GET)": same(METHOD),
    "wagtail_serve worksheet blank pdf": PUBLIC,
    "wagtail_serve project index": PUBLIC,
    "wagtail_serve project": PUBLIC,
    "wagtail_serve unknown page": same(NOT_FOUND),
    "wagtail_serve public API path": same(NOT_FOUND),
    "wagtail_serve_vtt captions": PUBLIC,
    "wagtail_serve_vtt chapters": PUBLIC,
    # The project's admin view: importing staff needs "add user", or a coordinator (scoped to
    # their municipalities).
    "kv_import_users": row(AL, AL, AL, AL, AL, DENIED, ALLOWED, ALLOWED),
    # The staff list of a coordinator's (an administrator's: every) municipalities.
    "kv_staff": row(AL, AL, AL, AL, AL, DENIED, ALLOWED, ALLOWED),
    "kv_staff_deactivate": row(AL, AL, AL, AL, AL, METHOD, METHOD, METHOD),  # POST only
    "kv_staff_reactivate": row(AL, AL, AL, AL, AL, METHOD, METHOD, METHOD),  # POST only
    # Requests to close an account: administrators only (not editors, not coordinators).
    "kv_erasure_requests": row(AL, AL, AL, AL, AL, DENIED, ALLOWED, DENIED),
    "kv_erasure_carry_out": row(AL, AL, AL, AL, AL, METHOD, METHOD, METHOD),  # POST only
    # A person's data downloaded by an administrator (logged in the access log).
    "kv_export_person": row(AL, AL, AL, AL, AL, DENIED, ALLOWED, DENIED),
    # Completion reports: administrators and coordinators (their own municipalities' rows).
    "kv_reports:completion": row(AL, AL, AL, AL, AL, DENIED, ALLOWED, ALLOWED),
    "kv_reports:completion_results": row(AL, AL, AL, AL, AL, DENIED, ALLOWED, ALLOWED),
    # The drill-down names Växjö: not the coordinator's municipality, so as if it did not exist.
    "kv_reports:learners": row(AL, AL, AL, AL, AL, DENIED, ALLOWED, NOT_FOUND),
    # The access log and retention (preview, run log): for those given the "view" right on them,
    # superusers by default; a coordinator is refused like an editor.
    "kv_access_log": row(AL, AL, AL, AL, AL, DENIED, ALLOWED),
    "kv_access_log_results": row(AL, AL, AL, AL, AL, DENIED, ALLOWED),
    "kv_retention": row(AL, AL, AL, AL, AL, DENIED, ALLOWED),
    "kv_retention_results": row(AL, AL, AL, AL, AL, DENIED, ALLOWED),
    # Wagtail admin, outside any namespace.
    "wagtailadmin_home": ADMIN_EDITORS,
    "admin/test404/ page": ADMIN_EDITORS,
    "admin/.*/$ unknown admin path": ADMIN_NOTHING_HERE,
    # Wagtail's deliberate "does error reporting work?" page raises for admin users by design.
    "wagtailadmin_error_test": row(AL, AL, AL, AL, AL, RAISES, RAISES),
    "wagtailadmin_explore_root": ADMIN_EDITORS,
    "wagtailadmin_explore": ADMIN_EDITORS,
    "wagtailadmin_explore_results": ADMIN_EDITORS,
    "wagtail_bulk_action": ADMIN_NOTHING_HERE,  # GET without ids
    "wagtailadmin_choose_page": ADMIN_EDITORS,
    "wagtailadmin_choose_page_child": ADMIN_EDITORS,
    "wagtailadmin_choose_page_search": ADMIN_EDITORS,
    "wagtailadmin_choose_page_chosen_multiple": ADMIN_EDITORS,
    "wagtailadmin_choose_page_external_link": ADMIN_EDITORS,
    "wagtailadmin_choose_page_email_link": ADMIN_EDITORS,
    "wagtailadmin_choose_page_phone_link": ADMIN_EDITORS,
    "wagtailadmin_choose_page_anchor_link": ADMIN_EDITORS,
    "wagtailadmin_tag_autocomplete": ADMIN_EDITORS,
    "wagtailadmin_tag_model_autocomplete": ADMIN_EDITORS,
    "wagtailadmin_account": ADMIN_EDITORS,
    "wagtailadmin_logout": ADMIN_POST_ONLY,
    "wagtailadmin_dismissibles": ADMIN_EDITORS,
    "wagtailadmin_block_preview": ADMIN_NOTHING_HERE,  # needs a block id in the query
    "wagtailadmin_sprite": PUBLIC,
    "wagtailadmin_login": PUBLIC,
    "wagtailadmin_password_reset": PUBLIC,
    "wagtailadmin_password_reset_done": PUBLIC,
    "wagtailadmin_password_reset_confirm": PUBLIC,
    "wagtailadmin_password_reset_complete": PUBLIC,
    "wagtailadmin_javascript_catalog": PUBLIC,
    # Page actions on the public page (editors may add and change, not publish or delete).
    "wagtailadmin_pages:add": ADMIN_EDITORS,
    "wagtailadmin_pages:preview_on_add": ADMIN_EDITORS,
    "wagtailadmin_pages:type_use": ADMIN_EDITORS,
    "wagtailadmin_pages:type_use_results": ADMIN_EDITORS,
    "wagtailadmin_pages:choose_parent": ADMIN_EDITORS,
    "wagtailadmin_pages:usage": ADMIN_EDITORS,
    "wagtailadmin_pages:edit": ADMIN_EDITORS,
    "wagtailadmin_pages:preview_on_edit": ADMIN_EDITORS,
    "wagtailadmin_pages:view_draft": ADMIN_EDITORS,
    "wagtailadmin_pages:add_subpage": ADMIN_EDITORS,
    "wagtailadmin_pages:delete": ADMIN_ONLY,
    "wagtailadmin_pages:unpublish": ADMIN_ONLY,
    "wagtailadmin_pages:convert_alias": ADMIN_NOTHING_HERE,  # the page is no alias
    "wagtailadmin_pages:search": ADMIN_EDITORS,
    "wagtailadmin_pages:search_results": ADMIN_EDITORS,
    "wagtailadmin_pages:move": ADMIN_ONLY,
    "wagtailadmin_pages:move_confirm": ADMIN_EDITORS,  # shows the form; moving needs more
    "wagtailadmin_pages:set_page_position": ADMIN_POST_ONLY,
    "wagtailadmin_pages:copy": ADMIN_EDITORS,
    "wagtailadmin_pages:workflow_action": ADMIN_ONLY,  # moderators approve, not editors
    "wagtailadmin_pages:collect_workflow_action_data": ADMIN_ONLY,
    "wagtailadmin_pages:confirm_workflow_cancellation": ADMIN_EDITORS,
    "wagtailadmin_pages:workflow_preview": ADMIN_ONLY,
    "wagtailadmin_pages:set_privacy": ADMIN_ONLY,
    "wagtailadmin_pages:lock": ADMIN_POST_ONLY,
    "wagtailadmin_pages:unlock": ADMIN_POST_ONLY,
    "wagtailadmin_pages:revisions_index": ADMIN_EDITORS,
    "wagtailadmin_pages:revisions_view": ADMIN_EDITORS,
    "wagtailadmin_pages:revisions_revert": ADMIN_EDITORS,
    "wagtailadmin_pages:revisions_unschedule": ADMIN_ONLY,
    "wagtailadmin_pages:revisions_compare": ADMIN_EDITORS,
    "wagtailadmin_pages:workflow_history": ADMIN_EDITORS,
    "wagtailadmin_pages:workflow_history_detail": ADMIN_EDITORS,
    "wagtailadmin_pages:history": ADMIN_EDITORS,
    "wagtailadmin_pages:history_results": ADMIN_EDITORS,
    # Exceptions to the rules below.
    "wagtailadmin_api:pages:action": ADMIN_POST_ONLY,
    "wagtailadmin_collections:delete": row(AL, AL, AL, AL, AL, NOT_FOUND, ALLOWED),
    "wagtailadmin_workflows:enable": ADMIN_POST_ONLY,
    "wagtailadmin_workflows:enable_task": ADMIN_POST_ONLY,
    "wagtailadmin_workflows:remove": ADMIN_POST_ONLY,
    "wagtailadmin_workflows:task_chooser": ADMIN_EDITORS,
    "wagtailadmin_workflows:task_chooser_results": ADMIN_EDITORS,
    "wagtailadmin_workflows:task_chooser_create": ADMIN_EDITORS,
    "wagtailadmin_workflows:task_chosen": ADMIN_EDITORS,
    "wagtailadmin_reports:locked_pages": ADMIN_ONLY,
    "wagtailadmin_reports:locked_pages_results": ADMIN_ONLY,
    "wagtailredirects:process_import": row(AL, AL, AL, AL, AL, DENIED, METHOD),
    # The settings' short URL only redirects to the setting's own row, where the check is.
    "wagtailsettings:edit [app_name,model_name]": row(AL, AL, AL, AL, AL, *[ALLOWED] * 3),
    "wagtailsettings:preview_on_edit": row(AL, AL, AL, AL, AL, DENIED, NOT_FOUND),
    "wagtailimages:url_generator": ADMIN_NOTHING_HERE,  # no image serve view is configured
    "wagtailimages:url_generator_output": ADMIN_NOTHING_HERE,
}

# Grouped rules for Wagtail's own admin namespaces, first match wins; an exact row above wins
# over any rule. The project's own views may not use a rule (test_project_views_have_exact_rows).
RULES: list[tuple[str, Row]] = [
    (r"^wagtailadmin_api:[a-z]+:find$", ADMIN_NOTHING_HERE),  # find without a query
    (r"^wagtailadmin_api:", ADMIN_EDITORS),
    (r"^wagtailadmin_editing_sessions:", ADMIN_POST_ONLY),
    (r"^wagtailadmin_collections:", ADMIN_ONLY),
    (r"^wagtailadmin_workflows:", ADMIN_ONLY),
    (r"^wagtailadmin_reports:", ADMIN_EDITORS),
    (r"^wagtailredirects:", ADMIN_ONLY),
    (r"^wagtailsettings:", ADMIN_ONLY),  # the retention decision: administrators
    (r"^wagtailembeds:", ADMIN_EDITORS),
    (r"^wagtailsnippets:index$", ADMIN_ONLY),
    (r"^wagtailsnippets_kompetensverkstad_[a-z]+:", ADMIN_ONLY),
    (r"^wagtailsnippetchoosers_kompetensverkstad_[a-z]+:create$", ADMIN_ONLY),
    (r"^wagtailsnippetchoosers_kompetensverkstad_[a-z]+:", ADMIN_EDITORS),
    (r"^wagtailsites:", ADMIN_ONLY),
    (r"^wagtailusers_(users|groups):", ADMIN_ONLY),
    # The multiple uploader's per-file endpoints take POST only.
    (r"^wagtail(docs|images):(edit|delete|create)_\w*multiple\w*$", ADMIN_POST_ONLY),
    (r"^wagtail(docs|images):", ADMIN_EDITORS),
    (r"^wagtail(docs|images)_chooser:", ADMIN_EDITORS),
    (r"^wagtailmedia:", ADMIN_EDITORS),
]


# The coordinator's exceptions to row()'s default, first match wins: what Wagtail lets anyone
# with "access admin" use (the dashboard, their account, choosers and autocompletes that check
# nothing more, the admin API's listings, the site history filtered to what they may see).
COORDINATOR_RULES: list[tuple[str, str]] = [
    (r"^wagtailadmin_home$|^admin/test404/$|^wagtailadmin_(account|dismissibles)$", ALLOWED),
    (r"^wagtailadmin_api:pages:detail$", NOT_FOUND),  # no page they may see
    (r"^wagtailadmin_api:(pages|documents|images):(listing|detail)$", ALLOWED),
    (r"^wagtailadmin_choose_page|^wagtailadmin_tag_(model_)?autocomplete$", ALLOWED),
    (r"^wagtailadmin_pages:(choose_parent|move_confirm|confirm_workflow_cancellation)$", ALLOWED),
    (r"^wagtailadmin_pages:revisions_index$", ALLOWED),
    (r"^wagtailadmin_workflows:task_cho", ALLOWED),
    (r"^wagtailadmin_reports:site_history", ALLOWED),
    (r"^wagtailsnippetchoosers_kompetensverkstad_[a-z]+:(choose|choose_results|chosen)", ALLOWED),
    # The image and document choosers open, empty: the group has no "choose" right.
    (r"^wagtail(docs|images)_chooser:(choose|choose_results|chosen_multiple)$", ALLOWED),
    (r"^wagtailmedia:chooser(_typed)?$", ALLOWED),
    (r"^wagtailimages:url_generator", DENIED),
    # B has a seat in session X; the coordinator has none.
    (r"^workshops:(my_session|session_calendar)$", NOT_FOUND),
]


def expected_row(key: str, pattern_key: str) -> Row | None:
    """The exact row of a concrete URL or of its pattern; else the first matching rule."""
    found = None
    for candidate in (key, pattern_key):
        if candidate in EXPECTED:
            found = EXPECTED[candidate]
            break
    else:
        for regex, rule_row in RULES:
            if re.search(regex, pattern_key):
                found = rule_row
                break
    if found is not None and not pattern_key.startswith("kv_"):
        for regex, outcome in COORDINATOR_RULES:
            if re.search(regex, pattern_key):
                return (*found[:-1], outcome)
    return found


def _second_factor_paths() -> set[str]:
    paths = set()
    for name in ("accounts:two_factor_verify", "accounts:two_factor_setup"):
        with contextlib.suppress(NoReverseMatch):
            paths.add(reverse(name))
    return paths


def classify(response) -> str:
    """ALLOWED is a 2xx, or a redirect anywhere but a sign-in page or Wagtail's refusal.

    A redirect counts as allowed because the views that answer with one (joining, "document
    not ready yet", signed-in users on the sign-in page) have let the person through; what
    matters for access is that they were not sent to sign in or refused.
    """
    status = response.status_code
    if 300 <= status < 400:
        target = urlsplit(response["Location"]).path
        if target == reverse("accounts:login"):
            return LOGIN
        if target == reverse("wagtailadmin_login"):
            return ADMIN_LOGIN
        if target in _second_factor_paths():
            return SECOND_FACTOR
        queued = getattr(response.wsgi_request._messages, "_queued_messages", [])
        if target == reverse("wagtailadmin_home") and any(
            m.level == messages.ERROR for m in queued
        ):
            # wagtail.admin.auth.permission_denied: back to the dashboard with an error.
            return DENIED
        return ALLOWED
    if 200 <= status < 300:
        return ALLOWED
    return str(status)


class Visitor:
    """One person's browser. Signed in again whenever a response touched the session cookie
    (a sign-out, a key cycled), so no cell depends on what an earlier URL did to the session."""

    def __init__(self, client, user) -> None:
        self.client, self.user, self.fresh = client, user, False

    def outcome(self, url: str) -> str:
        if not self.fresh:
            self.client.logout()
            if self.user is not None:
                self.client.force_login(self.user)
            self.fresh = True
        try:
            response = self.client.get(url)
        except Exception as error:  # noqa: BLE001 - a 500 is a finding, reported in the table
            self.fresh = False
            return f"{RAISES}: {type(error).__name__}: {error}"[:160]
        if settings.SESSION_COOKIE_NAME in response.cookies:
            self.fresh = False
        return classify(response)


def _matches(expected: str, got: str) -> bool:
    return got == expected or (expected == RAISES and got.startswith(RAISES))


def _project_view(pattern: Pattern) -> bool:
    module = getattr(pattern.callback, "__module__", "") or ""
    wrapped = getattr(pattern.callback, "view_class", None)
    if wrapped is not None:
        module = wrapped.__module__
    return module.split(".")[0] in PROJECT_PACKAGES


# --- Tests -------------------------------------------------------------------------------------


@pytest.fixture
def matrix_world(db, settings) -> World:
    # The matrix is about permissions. With the staff second factor on, every editor and admin
    # cell in /admin/ would be the same redirect to the code page (its own tests cover that).
    settings.KV_REQUIRE_2FA_FOR_STAFF = False
    return build_world()


def test_every_pattern_is_declared() -> None:
    """A new URL fails here until the table says who may use it and its ids can be filled."""
    problems = []
    for pattern in walk():
        if pattern.key in SERVED:
            continue
        if pattern.positional or not pattern.name:
            problems.append(f"{pattern.key}: unnamed or positional; add it to SERVED")
            continue
        for kwarg in pattern.kwargs:
            if kwarg_value(pattern, kwarg, None) is None:
                problems.append(f"{pattern.key}: no value for URL argument {kwarg!r} in KWARGS")
        if expected_row(pattern.key, pattern.key) is None:
            problems.append(f"{pattern.key} ({pattern.route}): no row or rule in the table")
    for pattern_key, urls in SERVED.items():
        for label in urls:
            if expected_row(f"{pattern_key} {label}", pattern_key) is None:
                problems.append(f"{pattern_key} {label}: no row in the table")
    assert not problems, "Declare who may use these URLs:\n" + "\n".join(problems)


def test_project_views_have_exact_rows() -> None:
    """Grouped rules are for Wagtail's namespaces; every view of the project has its own row."""
    own = [p for p in walk() if _project_view(p)]
    # The accounts, workshop, learner and media views, and the user import in the admin.
    assert len(own) > 30 and "kv_import_users" in {p.key for p in own}
    missing = [
        p.key
        for p in own
        if p.key not in EXPECTED and not any(k.startswith(f"{p.key} ") for k in EXPECTED)
    ]
    assert not missing, f"project views without an exact row: {missing}"


def test_table_has_no_stale_rows() -> None:
    patterns = walk()
    names = [p.key for p in patterns]
    keys = {p.key for p in patterns} | {
        # A name two patterns share is keyed by their URL arguments too (concrete_cases).
        f"{p.key} [{','.join(p.kwargs)}]"
        for p in patterns
        if names.count(p.key) > 1
    }
    served = {f"{k} {label}" for k, urls in SERVED.items() for label in urls}
    stale = [k for k in EXPECTED if k not in keys and k not in served]
    assert not stale, f"rows for URLs that no longer exist: {stale}"
    raising = [k for k, r in EXPECTED.items() if RAISES in r]
    # Only Wagtail's deliberate error-test page may raise; nothing else may answer with a 500.
    assert raising == ["wagtailadmin_error_test"]


@pytest.mark.parametrize("role", USERS)
def test_access_matrix(client, matrix_world: World, role: str) -> None:
    column = USERS.index(role)
    mismatches = []
    cases = concrete_cases(matrix_world)
    visitor = Visitor(client, matrix_world.user(role))
    for case in cases:
        expected = expected_row(case.key, case.pattern_key)
        resolved = resolve(urlsplit(case.url).path).route
        if expected is None or resolved != case.route:
            # A concrete URL must test the pattern it is listed under, not another one.
            mismatches.append(f"{case.url}  [{case.key}]  not in the table or {resolved=}")
            continue
        got = visitor.outcome(case.url)
        if not _matches(expected[column], got):
            mismatches.append(f"{case.url}  [{case.key}]  expected {expected[column]}, got {got}")
    assert len(cases) > 250  # the walk found the admin too, not just the project's URLs
    if mismatches:
        pytest.fail(
            f"{role}: {len(mismatches)} of {len(cases)} cells differ:\n" + "\n".join(mismatches),
            pytrace=False,
        )
