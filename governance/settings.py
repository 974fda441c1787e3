"""Django settings: embedded defaults for development, everything else from the environment."""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GOVERNANCE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("DJANGO_DEBUG", "true").lower() in {"1", "true", "yes"}

_DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == _DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")

ALLOWED_HOSTS = [
    host
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host
]
if DEBUG:
    ALLOWED_HOSTS.append("testserver")


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "0", "false", "no"}:
        return value in {"1", "true", "yes"}
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


# HTTPS, for production behind a proxy that ends TLS (README, "Running in production").
# Cookies are HTTPS-only whenever DEBUG is off; the rest is opt-in, so the development server
# and the test client keep working over plain HTTP.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_flag("DJANGO_SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = _env_flag("DJANGO_SECURE_SSL_REDIRECT", False)
# The header the proxy sets to "https" on requests that reached it over HTTPS, e.g.
# X-Forwarded-Proto; trust it only if the proxy always sets or overwrites it.
_proxy_ssl_header = os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip()
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = (f"HTTP_{_proxy_ssl_header.upper().replace('-', '_')}", "https")
SECURE_HSTS_SECONDS = _env_int("DJANGO_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _env_flag("DJANGO_HSTS_PRELOAD", False)
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "django_fsm_log",
    "ninja",  # the API docs page (Swagger UI) from its own static files, not a CDN
    "csp",
    "axes",
    "django_htmx",
    "governance.core",
    "governance.organisations",
    "governance.flowruns",
    "governance.audit",
    "governance.hubs",
    "governance.memberships",
    "governance.members",
    "governance.forecasts",
    # After memberships and forecasts: seats follow agreements, decisions adopt budgets.
    "governance.boards",
    "governance.web",
]

MIDDLEWARE = [
    # First, so the Content-Security-Policy header is on every answer, static files included.
    "csp.middleware.CSPMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a locked-out sign-in into the 429 answer (governance/core/sign_in_throttle.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "governance.urls"
WSGI_APPLICATION = "governance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "governance.web.context_processors.shell",
            ],
        },
    },
]

_SQLITE_URL = f"sqlite:///{VAR_DIR / 'governance.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _SQLITE_URL))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions let flow threads and request threads write without
    # "database is locked" (measured on two cores with concurrent flow and request threads).
    # In WAL mode synchronous=NORMAL is what SQLite recommends: a commit waits for no fsync,
    # and the database stays consistent (only a power loss can undo the last commits).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# django-rules decides every permission; the second backend only checks passwords, so a
# permission row granted in the admin opens nothing. Active superusers pass every check
# (Django asks no backend for them): the operators' escape hatch.
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "governance.core.auth_backends.PasswordOnlyBackend",
]

# Guessing passwords: failed sign-ins (token endpoint and sign-in page alike) are counted per
# username and per address; the next failure past those allowed, and every attempt after it
# until the lockout ends, answers 429 with Retry-After. A success clears the username's count.
SIGN_IN_FAILURES_ALLOWED = int(os.environ.get("SIGN_IN_FAILURES_ALLOWED", "5"))
# axes answers the attempt that reaches its limit with the lockout: the one after those allowed.
AXES_FAILURE_LIMIT = SIGN_IN_FAILURES_ALLOWED + 1
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIGN_IN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "governance.core.sign_in_throttle.lockout_response"
AXES_VERBOSE = False
# Behind a reverse proxy the client's address is the last one it adds to X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0")) or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# The web pages (governance/web): sign-in, and sessions that end after a working day without use.
LOGIN_URL = "web:sign_in"
LOGIN_REDIRECT_URL = "web:start"
LOGOUT_REDIRECT_URL = "web:sign_in"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_LIFETIME_HOURS", "8")) * 3600
SESSION_SAVE_EVERY_REQUEST = True  # the lifetime counts from the last request, not sign-in
# Password-reset mails: printed on the console unless an SMTP host is given.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "samverket@localhost")

# Individual members (governance/members): how long a mailed link (confirming an application's
# address, downloading one's data) works, and how long a member who left, a declined or a never
# confirmed application is kept before the nightly erasure anonymises it.
MEMBER_LINK_MAX_AGE_HOURS = int(os.environ.get("MEMBER_LINK_MAX_AGE_HOURS", "72"))
MEMBER_RETENTION_DAYS = int(os.environ.get("MEMBER_RETENTION_DAYS", "365"))

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Generated and uploaded files (agreements, their templates) go through Django's storage API
# (STORAGES["default"]): a local folder by default, replaceable by object storage.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# A PDF copy of each generated agreement, when LibreOffice's `soffice` is found (else a note).
AGREEMENT_PDF_COPIES = os.environ.get("AGREEMENT_PDF_COPIES", "true").lower() in {
    "1",
    "true",
    "yes",
}
SOFFICE_PATH = os.environ.get("SOFFICE_PATH", "soffice")
SOFFICE_TIMEOUT_SECONDS = int(os.environ.get("SOFFICE_TIMEOUT_SECONDS", "120"))
if not DEBUG:
    # collectstatic (scripts/serve-production.sh) writes compressed copies under hashed names,
    # which WhiteNoise serves with far-future caching. With DEBUG (runserver, the tests)
    # WhiteNoise serves the apps' files as they are, without collectstatic.
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
# Fixed at start-up: WhiteNoise would read DEBUG at the first request, and the tests switch it
# off by then. Without DEBUG it serves collectstatic's copies only, from STATIC_ROOT.
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS = DEBUG

# Content-Security-Policy (django-csp 4), on every answer. Pages load scripts, styles, fonts and
# data from this origin only. The API docs page (django-ninja's Swagger UI from its static files)
# and the admin have no inline script or style (the docs page's settings are a JSON data block,
# which is never run), so neither 'unsafe-inline' nor a nonce is needed; Swagger UI's stylesheet
# draws its icons from data: URLs. tests/test_production.py checks the pages against this.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PLAYBOOK_CHECKLISTS_DIR = BASE_DIR / "playbook_checklists"

API_TOKEN_LIFETIME_HOURS = int(os.environ.get("API_TOKEN_LIFETIME_HOURS", "12"))
# Issuing a token beyond this many live ones revokes the user's oldest.
API_MAX_LIVE_TOKENS = int(os.environ.get("API_MAX_LIVE_TOKENS", "10"))
NINJA_PAGINATION_CLASS = "governance.pagination.BoundedLimitOffsetPagination"
# Request limits: a bigger body answers 413, a longer address under /api/ 414 (both JSON).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("API_MAX_BODY_BYTES", str(1024 * 1024)))
API_MAX_URI_LENGTH = 4096
# A signed agreement's scanned copy (PDF, PNG, JPEG): its own limit, above the JSON bodies'.
SIGNED_COPY_MAX_BYTES = _env_int("SIGNED_COPY_MAX_BYTES", 10 * 1024 * 1024)

FLOW_MODE = os.environ.get("FLOW_MODE", "inline")
if FLOW_MODE not in {"inline", "deployment"}:
    raise ImproperlyConfigured(f"FLOW_MODE must be 'inline' or 'deployment', not {FLOW_MODE!r}.")
# In inline mode a flow runs in a background thread of this process, so a request answers 202
# without waiting for Prefect; tests set it to False to run the flow before the request returns.
FLOW_INLINE_IN_BACKGROUND = os.environ.get("FLOW_INLINE_IN_BACKGROUND", "true").lower() in {
    "1",
    "true",
    "yes",
}
# Two platforms sharing one Prefect server (staging, production) each serve and start only
# their own deployments, named after the environment.
FLOW_ENVIRONMENT = os.environ.get("FLOW_ENVIRONMENT", "development")
if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", FLOW_ENVIRONMENT):
    raise ImproperlyConfigured(
        "FLOW_ENVIRONMENT must be lower-case letters, digits and hyphens, "
        f"not {FLOW_ENVIRONMENT!r}."
    )
FLOW_DEPLOYMENT_NAME = f"governance-{FLOW_ENVIRONMENT}"
# A run whose worker was lost is handed to the flow server again, up to this many times in all.
FLOW_MAX_ATTEMPTS = int(os.environ.get("FLOW_MAX_ATTEMPTS", "3"))
# A run a worker took but did not start within this many seconds counts as lost with the worker.
FLOW_PICKUP_TIMEOUT_SECONDS = int(os.environ.get("FLOW_PICKUP_TIMEOUT_SECONDS", "60"))
# A run still waiting to start after this many seconds is flagged as stuck (API and admin).
FLOW_STUCK_AFTER_SECONDS = int(os.environ.get("FLOW_STUCK_AFTER_SECONDS", "600"))

# Live forecasts (README "Live forecast"): an agreement changing state starts a hub's live run
# at most once per this many seconds; the probability that an agreement in each state is
# signed and brings its fees (active, expired and terminated ones count whole, drafts not).
LIVE_FORECAST_DEBOUNCE_SECONDS = int(os.environ.get("LIVE_FORECAST_DEBOUNCE_SECONDS", "300"))
LIVE_FORECAST_PROBABILITIES = {"signed": 0.95, "sent": 0.6, "generated": 0.3}

# Prefect reads its settings from the environment when first imported (in the flows).
os.environ.setdefault("PREFECT_HOME", str(VAR_DIR / "prefect"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # When and from where: a flow worker's log interleaves its dispatcher and Prefect's runner.
    "formatters": {"timed": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "timed"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    # axes logs every sign-in at INFO; its lockouts, at WARNING, are what an operator needs.
    # httpx logs every call to the Prefect server at INFO; flow workers say what runs instead.
    "loggers": {"axes": {"level": "WARNING"}, "httpx": {"level": "WARNING"}},
}
