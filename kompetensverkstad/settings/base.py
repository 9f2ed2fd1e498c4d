"""Settings shared by every runtime profile; dev, test and production change only what differs."""

import mimetypes
import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

# pysaml2 7.5 still names a cipher mode that cryptography has moved; the warning says nothing
# a user of this site can act on, and every management command would print it.
warnings.filterwarnings("ignore", message="CFB has been moved", module="saml2")

# WebVTT is not in every platform's mimetypes table; captions must be served as text/vtt.
mimetypes.add_type("text/vtt", ".vtt")

INSTALLED_APPS = [
    # The three layers, lowest first: each app's ready() plugs into the seams of those before it.
    "kompetensverkstad",
    "worksheets",
    "lessons",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    # The retention decision (gallringsbeslut) is a setting administrators edit in the admin.
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmedia",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_celery_beat",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    # Hardening: the content security policy (django-csp 4; its checks catch pre-4 settings) and
    # a second factor for editors and administrators (TOTP apps, with static backup codes).
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Hardening: enforced on the site, report-only in the Wagtail admin (its inline scripts).
    "kompetensverkstad.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is chosen (it is part of the key), before the session is read: public
    # pages for anonymous visitors from the cache, private headers for signed-in people.
    "kompetensverkstad.pagecache.PublicPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's choice of language is kept on their profile, for their mail and PDFs.
    "kompetensverkstad.accounts.language.LanguagePreferenceMiddleware",
    # Hardening: request.user.is_verified(), then the second factor required of staff in /admin/.
    "django_otp.middleware.OTPMiddleware",
    "kompetensverkstad.accounts.two_factor.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: it turns a lockout flagged during sign-in into a 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kompetensverkstad.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kompetensverkstad.context_processors.site_navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "kompetensverkstad.wsgi.application"

# DATABASE_URL chooses the database; without it, a SQLite file in the project folder.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        # A kept connection is checked before its first use in a request or task, so one that
        # a database restart broke is replaced instead of failing that request or task.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
# The interface's catalogues (locale/en/LC_MESSAGES/django.po, compiled by `make messages` /
# `make compilemessages`); Swedish is the source language, so it needs none.
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers per language: Django's own formats for Swedish, ours for English
# (day month year and a 24-hour clock, as the site's readers in Sweden expect).
FORMAT_MODULE_PATH = ["kompetensverkstad.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
# Answers and certificates are written here, never under MEDIA_ROOT, so no public URL reaches them.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Complex page models exceed Django's default of 1000 fields in Wagtail's editor.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Statements on a learner's every step are prepared on PostgreSQL (kompetensverkstad/sql.py); 0
# behind a transaction-mode pooler that does not track prepared statements (PgBouncer < 1.21).
KV_PREPARED_STATEMENTS = os.environ.get("KV_PREPARED_STATEMENTS", "1") != "0"
# Seconds an anonymous visitor's public page stays in the cache (0: no page cache). Publishing,
# moving, deleting and snippet changes purge it at once (kompetensverkstad/pagecache.py).
KV_PAGE_CACHE_SECONDS = int(os.environ.get("KV_PAGE_CACHE_SECONDS", "600"))

# --- Redis: broker and cache when REDIS_URL is set, nothing to install otherwise -------------
REDIS_URL = os.environ.get("REDIS_URL", "")

# Hardening (outages): Redis away is a cache miss, not an error page (kompetensverkstad/cache.py);
# the timeouts keep a Redis that hangs from hanging the requests that use the cache.
REDIS_CACHE = {
    "BACKEND": "kompetensverkstad.cache.FailSoftRedisCache",
    "KEY_PREFIX": "kv",
    "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
}

if REDIS_URL:
    CACHES = {"default": {**REDIS_CACHE, "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Without a broker the site is still whole: tasks run in-process (enqueued after commit).
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    # A failing task marks its row failed; it must not turn the request into an error page.
    CELERY_TASK_EAGER_PROPAGATES = False

CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes the database connection before and after every task unless this
# is set: a new PostgreSQL connection for each task (5 ms here, and a backend forked on the
# server). With it, the worker keeps connections as a web process does: kompetensverkstad/celery.py
# closes old (CONN_MAX_AGE) and broken ones around each task, as Django does around a request.
CELERY_DB_REUSE_MAX = 1000
# Longer than the longest task's hard limit, so Redis never redelivers a task still running.
# Hardening (outages): a Redis that accepts connections but does not answer (paused, swapping)
# would hang every request that enqueues; the socket timeouts make it refuse like a stopped one.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The sweep re-enqueues whatever the database still holds as waiting (DESIGN: reliability rules).
CELERY_BEAT_SCHEDULE = {
    "sweep-pending-work": {
        "task": "kompetensverkstad.jobs.tasks.sweep_pending_work",
        "schedule": 60.0,
    },
    # Reminders: idempotent by their markers, so a late or doubled run sends nothing twice.
    "learning-reminders": {
        "task": "lessons.learning.tasks.send_learning_reminders",
        "schedule": 3600.0,
    },
    # Identity providers' SAML metadata; a failed refresh keeps the last good copy.
    "saml-metadata-refresh": {
        "task": "kompetensverkstad.accounts.federation.tasks.refresh_saml_metadata",
        "schedule": 6 * 3600.0,
    },
    "saml-state-prune": {
        "task": "kompetensverkstad.accounts.federation.tasks.prune_saml_state",
        "schedule": 3600.0,
    },
    # The data export's files are kept seven days (kompetensverkstad.privacy.export).
    "expire-documents": {
        "task": "kompetensverkstad.pdfs.tasks.expire_documents",
        "schedule": 3600.0,
    },
    "workshop-reminders": {
        "task": "lessons.workshops.tasks.send_workshop_day_before_reminders",
        "schedule": 900.0,
    },
    # Retention by decision: batches, idempotent, so a late, doubled or cut-short run is harmless.
    "cull-expired-data": {
        "task": "kompetensverkstad.privacy.retention.tasks.cull_expired_data",
        "schedule": crontab(hour=3, minute=30),
    },
}

# --- Learning records as xAPI statements to an LRS (off when XAPI_LRS_URL is unset) -------------
# The LRS's xAPI base, e.g. https://lrs.example.org/xAPI/ (statements are POSTed to …/statements).
XAPI_LRS_URL = os.environ.get("XAPI_LRS_URL", "")
XAPI_LRS_USERNAME = os.environ.get("XAPI_LRS_USERNAME", "")
XAPI_LRS_PASSWORD = os.environ.get("XAPI_LRS_PASSWORD", "")
# Keys the actor's pseudonym; defaults to SECRET_KEY. Set it once and keep it, or the same
# learner appears in the LRS under a new name.
XAPI_ACTOR_KEY = os.environ.get("XAPI_ACTOR_KEY", "")

# --- Wagtail -----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Kompetensverkstaden"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "kompetensverkstad.SiteImage"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "vtt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Documents go through Wagtail's view, so privacy settings on collections are honoured.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
# Hardening (uploads): wagtailmedia checks nothing server-side; this form checks the file type
# per media kind, the size, and that a thumbnail is an image (kompetensverkstad/media_forms.py).
WAGTAILMEDIA = {
    "MEDIA_MODEL": "wagtailmedia.Media",
    "MEDIA_FORM_BASE": "kompetensverkstad.media_forms.MediaForm",
}
KV_MEDIA_MAX_UPLOAD_SIZE = 2 * 1024 * 1024 * 1024

# --- Accounts ----------------------------------------------------------------------------------
# A learner's "stäng mitt konto" erases the account at once (true) or sends a request that an
# administrator carries out in the admin (false, the default).
KV_ERASURE_AT_ONCE = os.environ.get("KV_ERASURE_AT_ONCE", "false").strip().lower() in {
    "1",
    "true",
    "yes",
}
LOGIN_URL = "accounts:login"
# Hardening (access matrix): pages restricted to signed-in people send visitors to the site's own
# sign-in (lockout page, Swedish) rather than Wagtail's bare front-end form at /_util/login/.
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
# By name, so that signing in under /en/ leads to the English "Mina sidor".
LOGIN_REDIRECT_URL = "learning:dashboard"
LOGOUT_REDIRECT_URL = "/"
# Staff accounts are created by administrators (CSV import); open sign-up is an opt-in.
KV_SIGNUP_ENABLED = os.environ.get("KV_SIGNUP_ENABLED", "false").strip().lower() in {
    "1",
    "true",
    "yes",
    "on",
}

# Sign-in attempts are rate-limited per username and address, on the site and in the Wagtail
# admin alike: the axes backend comes first so a locked-out pair never reaches the password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Refuses a password sign-in where the person's municipality left or uses its own identity
    # provider (kompetensverkstad/accounts/federation/backends.py).
    "kompetensverkstad.accounts.federation.backends.MunicipalitySignInBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Renders templates/registration/lockout.html with status 429 (AXES_HTTP_RESPONSE_CODE).
AXES_LOCKOUT_CALLABLE = "kompetensverkstad.accounts.views.lockout"
# Usernames are e-mail addresses; without this, changing the case would reset the count.
AXES_USERNAME_CALLABLE = "kompetensverkstad.accounts.forms.axes_username"
# Behind a reverse proxy REMOTE_ADDR is the proxy: set AXES_PROXY_COUNT to the number of proxies
# so the client's address is read from X-Forwarded-For (which a client alone cannot forge then).
if os.environ.get("AXES_PROXY_COUNT", "").strip():
    AXES_IPWARE_PROXY_COUNT = int(os.environ["AXES_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# SAML 2.0 service provider (kompetensverkstad/accounts/federation/saml/). Unset: the entity id
# is the metadata URL, and a key pair is generated once under PRIVATE_MEDIA_ROOT/saml/.
KV_SAML_SP_ENTITY_ID = os.environ.get("KV_SAML_SP_ENTITY_ID", "")
KV_SAML_KEY_FILE = os.environ.get("KV_SAML_KEY_FILE", "")
KV_SAML_CERT_FILE = os.environ.get("KV_SAML_CERT_FILE", "")

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kompetensverkstaden@example.org")

# Served by Django itself in dev and tests only; production uses object storage or the web server.
SERVE_MEDIA = False

# --- Hardening: headers, content security policy, second factor ----------------------------
# Django's defaults, stated so a change is a visible decision; production adds HSTS, the HTTPS
# redirect and secure cookies (settings/production.py).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Active in every profile, so development and the browser tests see what production enforces.
# Nothing inline: every script and style is a file under /static/, so no nonce is needed.
# The Wagtail admin gets the same policy as report-only (kompetensverkstad/security.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Editors, moderators and administrators (anyone with Wagtail admin access) must confirm a code
# from an authenticator app before /admin/ opens; on by default in production only.
KV_REQUIRE_2FA_FOR_STAFF = os.environ.get("KV_REQUIRE_2FA_FOR_STAFF", "false").strip().lower() in {
    "1",
    "true",
    "yes",
    "on",
}
OTP_TOTP_ISSUER = "Kompetensverkstaden"
# Wagtail's admin would otherwise fetch editors' avatars from gravatar.com, sending a hash of
# their e-mail address to a third party on every admin page (and breaking the admin's policy).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
