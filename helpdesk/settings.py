"""Fixdesk settings, read from the environment (django-environ) with safe local defaults.

Production hardening is switched on by the environment (``DEBUG=0``), never by editing code.
Every variable is listed in the README's configuration table.
"""

import secrets
from pathlib import Path

import environ
import xstatic.pkg.bootstrap
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; absent on a fresh clone

DEBUG = env.bool("DEBUG", default=True)


def _secret_key() -> str:
    """The secret key: from the environment, else (local runs only) from a git-ignored file."""
    key = env.str("SECRET_KEY", default="")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Demo mode: "Try the demo as ..." buttons on the login and sign-up pages. On for `make run`.
FIXDESK_DEMO = env.bool("FIXDESK_DEMO", default=False)
# E-mail addresses that become admins when they confirm their sign-up.
FIXDESK_ADMIN_EMAILS = [e.lower() for e in env.list("FIXDESK_ADMIN_EMAILS", default=[])]
FIXDESK_SITE_URL = env.str("FIXDESK_SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_q",
    "phonenumber_field",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "axes",
    # ours, in dependency order (see docs/architecture.md)
    "accounts",
    "facilities",
    "tickets",
    "knowledge",
    "notifications",
    "helpdesk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # axes last, as its documentation asks
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "helpdesk.urls"
WSGI_APPLICATION = "helpdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "helpdesk.context_processors.fixdesk",
            ],
        },
    },
]

# Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web server and job workers share the file: WAL journal and IMMEDIATE transactions keep
    # them from locking each other out (STACK_NOTES.md).
    # Each connection also keeps a 32 MB page cache and maps up to 256 MB of the file, so the
    # list indexes stay in memory between requests (docs/bench.md).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32000; "
                        "PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;",
    }
# Persistent connections (both databases): a new SQLite connection per request re-ran the pragmas
# and started with an empty page cache; a PostgreSQL one costs a connection set-up.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL prepared statements, opt-in: PG_PREPARE_THRESHOLD=N binds parameters on the server and
# prepares a query on a connection once it ran N times there, so PostgreSQL stops re-planning the
# list queries on every page (the rows-by-id join of 10 tables plans in ~2 ms for ~0.5 ms of work:
# docs/bench.md, "PostgreSQL planning"). Off by default, as in Django: a prepared statement lives in
# one server session, so behind PgBouncer in transaction mode it needs PgBouncer >= 1.21 with
# max_prepared_statements set.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.str("PG_PREPARE_THRESHOLD", default=""):
    if env.int("PG_PREPARE_THRESHOLD") < 1:  # 0 prepares every statement: migrations' multi-command ones fail
        raise ImproperlyConfigured("PG_PREPARE_THRESHOLD must be 1 or more (5 is psycopg's default).")
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=env.int("PG_PREPARE_THRESHOLD"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://"),
    # Per process, never shared: what only changes with the code (the rendered menu of each role,
    # templates/base.html), so a deploy's restart is its invalidation and reading it costs no round trip.
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fixdesk-local"},
}
# locmem keeps 300 entries by default, fewer than one sheet of QR labels (facilities MAX_LABELS,
# 500 codes cached by their text): a larger sheet culled its own codes and was redrawn on every
# print (1 s at 1,000,000 tickets' worth of equipment). A code is about 1 KB: 5,000 is some 5 MB.
for _alias in ("default", "local"):
    if CACHES[_alias]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
        CACHES[_alias].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 5000)
# "shared": one cache seen by every web and job process (the reliability figures and the flag that
# they went stale, docs/knowledge.md). CACHE_URL when that is shared already (Redis in production);
# with the per-process default (locmem), a table in the database that knowledge's migration 0003
# creates. SHARED_CACHE_URL overrides both (dummycache:// computes the figures on every request).
if env.str("SHARED_CACHE_URL", default=""):
    CACHES["shared"] = env.cache("SHARED_CACHE_URL")
elif CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache":
    CACHES["shared"] = dict(CACHES["default"])
else:
    CACHES["shared"] = {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                        "LOCATION": "fixdesk_shared_cache", "OPTIONS": {"MAX_ENTRIES": 2000}}
# Reliability figures: the least time between two background recomputes of one filter set.
RELIABILITY_REFRESH_SECONDS = env.int("RELIABILITY_REFRESH_SECONDS", default=60)

# Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.EmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
# How long a sign-up confirmation or invitation link stays valid.
FIXDESK_CONFIRMATION_MAX_AGE = env.int("FIXDESK_CONFIRMATION_MAX_AGE", default=3 * 24 * 3600)
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 3600)

# django-axes: throttle failed logins per account and per IP.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# Static and media files -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR),  # Bootstrap from the xstatic package, not a CDN
]
MEDIA_URL = "/media/"  # never served publicly: files go through permission-checking views
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

_default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)

# E-mail ---------------------------------------------------------------------------------
vars().update(env.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Fixdesk <fixdesk@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# SMS (notifications/sms/): console by default, like Django's e-mail backends.
SMS_BACKEND = env.str("SMS_BACKEND", default="notifications.sms.backends.console.SmsBackend")
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env.str("TWILIO_FROM_NUMBER", default="")
TWILIO_API_URL = env.str("TWILIO_API_URL", default="https://api.twilio.com")

# Background jobs (django-q2) ------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
Q_CLUSTER = {
    "name": "fixdesk",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": 60,
    "retry": 120,  # must exceed timeout
    "max_attempts": 3,
    "catch_up": False,
    "queue_limit": 50,
    "bulk": 10,
    "sync": env.bool("Q_SYNC", default=False),
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# Forms and front end --------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Django's renderer with <select> written in Python (same markup, a tenth of the time).
FORM_RENDERER = "helpdesk.forms_renderer.FastSelectRenderer"
PHONENUMBER_DEFAULT_REGION = env.str("PHONENUMBER_DEFAULT_REGION", default="GB")
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"

# REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "helpdesk.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/min"),
        "user": env.str("API_THROTTLE_USER", default="1200/min"),
        "auth": env.str("API_THROTTLE_AUTH", default="10/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Fixdesk API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
_https = env.bool("HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_https)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if _https else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- accounts ---
# django-axes counts failures per lower-cased e-mail (and per IP, above).
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
# The lock-out page for people, the API's JSON error shape under /api/.
AXES_LOCKOUT_CALLABLE = "accounts.backends.lockout_response"
# Sign-up, resend-confirmation and password-reset send mail: at most this many per IP and per
# address in the window (seconds); more are refused with a message.
ACCOUNTS_MAIL_RATE_LIMIT = env.int("ACCOUNTS_MAIL_RATE_LIMIT", default=5)
ACCOUNTS_MAIL_RATE_WINDOW = env.int("ACCOUNTS_MAIL_RATE_WINDOW", default=3600)
ACCOUNTS_PEOPLE_PER_PAGE = 25
# --- facilities ---
# Travel estimates (facilities/routing.py): "offline" (great circle x detour factor at an average
# speed) or "osrm" (a self-hosted OSRM server at ROUTING_URL, falling back to offline on failure).
ROUTING_BACKEND = env.str("ROUTING_BACKEND", default="offline")
ROUTING_URL = env.str("ROUTING_URL", default="")
ROUTING_TIMEOUT = env.float("ROUTING_TIMEOUT", default=3.0)
ROUTING_DETOUR_FACTOR = env.float("ROUTING_DETOUR_FACTOR", default=1.3)
ROUTING_AVERAGE_SPEED_KMH = env.float("ROUTING_AVERAGE_SPEED_KMH", default=40.0)
if ROUTING_BACKEND not in ("offline", "osrm"):
    raise ImproperlyConfigured('ROUTING_BACKEND must be "offline" or "osrm".')
# --- notifications ---
# Outbox: attempts per delivery before it is marked failed, and the first retry's delay
# (doubled each time). The sweep re-queues first attempts whose task never ran after the
# grace period, and releases rows a lost worker left "sending" after NOTIFICATIONS_STUCK_SECONDS
# (keep it well above Q_CLUSTER["timeout"]).
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=6)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.int("NOTIFICATIONS_RETRY_BASE_SECONDS", default=60)
NOTIFICATIONS_QUEUE_GRACE_SECONDS = 30
NOTIFICATIONS_STUCK_SECONDS = 600
SMS_TIMEOUT = env.int("SMS_TIMEOUT", default=10)
MESSAGE_EDIT_WINDOW_MINUTES = env.int("MESSAGE_EDIT_WINDOW_MINUTES", default=15)
NOTIFICATIONS_KEEP_DAYS = env.int("NOTIFICATIONS_KEEP_DAYS", default=180)
NOTIFICATIONS_POLL_SECONDS = 30  # how often the bell refreshes its count (htmx polling)
# --- tickets ---
# Days after a close during which the requester may reopen their ticket (admins always may).
FIXDESK_REOPEN_WINDOW_DAYS = env.int("FIXDESK_REOPEN_WINDOW_DAYS", default=14)
# Timeline entries (events and comments) a ticket page shows; older ones are behind "Show earlier activity".
FIXDESK_TIMELINE_PAGE_SIZE = env.int("FIXDESK_TIMELINE_PAGE_SIZE", default=50)
# --- reports ---
# Close the ticket automatically when the requester signs the service report (otherwise an admin
# closes, i.e. "processes", it after the sign-off).
FIXDESK_CLOSE_ON_SIGNOFF = env.bool("FIXDESK_CLOSE_ON_SIGNOFF", default=False)
# Whether a ticket without a category needs a service report to be resolved (with a category, the
# category's "resolving needs a service report" box decides).
FIXDESK_UNCATEGORISED_NEEDS_REPORT = env.bool("FIXDESK_UNCATEGORISED_NEEDS_REPORT", default=False)
# --- sla ---
# Lists' "due within N hours" filter and the amber badge; escalation level 2 for tickets without
# a policy (unusual delays) this long after level 1; unusual delay = longer in a status than the
# FIXDESK_DELAY_PERCENTILE of the same category's stays over the last FIXDESK_DELAY_HISTORY_DAYS,
# once there are at least FIXDESK_DELAY_MIN_SAMPLES of them.
FIXDESK_SLA_DUE_SOON_HOURS = env.float("FIXDESK_SLA_DUE_SOON_HOURS", default=4)
FIXDESK_ESCALATION_LEVEL2_MINUTES = env.int("FIXDESK_ESCALATION_LEVEL2_MINUTES", default=240)
FIXDESK_DELAY_PERCENTILE = env.int("FIXDESK_DELAY_PERCENTILE", default=90)
FIXDESK_DELAY_MIN_SAMPLES = env.int("FIXDESK_DELAY_MIN_SAMPLES", default=20)
FIXDESK_DELAY_HISTORY_DAYS = env.int("FIXDESK_DELAY_HISTORY_DAYS", default=90)
# --- knowledge ---
# Article search: "auto" (PostgreSQL full-text with a GIN index, SQLite FTS5 when compiled in,
# else word matching) or "basic" (word matching everywhere).
KNOWLEDGE_SEARCH_BACKEND = env.str("KNOWLEDGE_SEARCH_BACKEND", default="auto")
if KNOWLEDGE_SEARCH_BACKEND not in ("auto", "basic"):
    raise ImproperlyConfigured('KNOWLEDGE_SEARCH_BACKEND must be "auto" or "basic".')
# Full-text search ranks at most this many matches (the newest ones), so a word found in most
# articles costs what a rarer one does (docs/knowledge.md).
KNOWLEDGE_SEARCH_CANDIDATES = env.int("KNOWLEDGE_SEARCH_CANDIDATES", default=1000)
# --- api ---
# Every operation declares its error responses (helpdesk/api/schema.py). Token authentication
# first, so an anonymous caller gets 401 with `WWW-Authenticate: Token` rather than a bare 403.
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "helpdesk.api.schema.AutoSchema"
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "rest_framework.authentication.TokenAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]
REST_FRAMEWORK["PAGE_SIZE"] = env.int("API_PAGE_SIZE", default=25)
# Bodies over their limit are refused with 413 (helpdesk/api/parsers.py): JSON and forms as the web
# forms (DATA_UPLOAD_MAX_MEMORY_SIZE), multipart uploads up to 10 photos of 10 MB plus the fields.
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "helpdesk.api.parsers.JSONParser", "helpdesk.api.parsers.FormParser", "helpdesk.api.parsers.MultiPartParser",
]
API_UPLOAD_MAX_BYTES = env.int("API_UPLOAD_MAX_BYTES", default=101 * 1024 * 1024)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    "TicketStatusEnum": "tickets.models.Status",
    "EquipmentStatusEnum": "facilities.models.Equipment.Status",
    "RoleEnum": "accounts.models.Role",
    "TicketActionEnum": "tickets.workflow.ACTIONS",
    "PriorityEnum": "tickets.models.Priority",
    "ArticleStatusEnum": "knowledge.models.ArticleStatus",
    "StaffRoleEnum": "facilities.serializers.FIELD_ROLE_CHOICES",
}
SPECTACULAR_SETTINGS["DESCRIPTION"] = (
    "Fixdesk's REST API: every operation of the web pages under the same permissions. "
    "Authenticate with `Authorization: Token <token>` (POST /api/v1/auth/token/) or a session. "
    "Errors share one JSON shape: `{status, code, detail, errors?}`. See docs/api.md."
)
# --- security ---
# Content-Security-Policy (django-csp): scripts and styles only from our own static files (no
# inline script, no eval, no style attribute or <style> element), no plugins, no framing, forms
# post only here. The one scoped exception: third-party HTML under these prefixes (Swagger UI,
# ReDoc, DRF's browsable API) also gets style-src 'unsafe-inline' (helpdesk/middleware.py).
from csp.constants import NONE, SELF  # noqa: E402

MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "helpdesk.middleware.CSPMiddleware")
FIXDESK_CSP_INLINE_STYLE_PREFIXES = ["/api/"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "worker-src": [SELF, "blob:"],
    },
}
# Cookies the browser's scripts never read, and that never leave HTTPS in production (above).
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# `manage.py backup` writes fixtures in this lossless JSON (microseconds kept).
SERIALIZATION_MODULES = {"fulljson": "helpdesk.serializers_fulljson"}
