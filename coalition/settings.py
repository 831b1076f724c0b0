"""Settings for Coalition: every deploy-time value comes from the environment (see README)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from coalition.lib import env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.env_str("VAR_DIR", str(BASE_DIR / "var")))

try:
    DEBUG = env.env_bool("DEBUG", default=False)
    # Static files read from the source folders by whitenoise, without collectstatic: `make run` and DEBUG.
    STATIC_FROM_SOURCE = env.env_bool("STATIC_FROM_SOURCE", default=DEBUG)
    SECRET_KEY = env.secret_key(VAR_DIR)
    DATABASES = {"default": env.database(VAR_DIR / "coalition.sqlite3")}
    _email = env.email(default_backend="coalition.core.mail.OutboxBackend")
    ALLOWED_HOSTS = env.env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
    HTTPS = env.env_bool("HTTPS", default=False)
    REDIS_URL = env.env_str("REDIS_URL")
    TASK_BACKEND = env.env_str("TASK_BACKEND", "database")
    # Dates and times with no place of their own (deadlines, sending times, staff pages); events show their own zone.
    TIME_ZONE = env.env_time_zone("TIME_ZONE", "UTC")
    if TASK_BACKEND not in {"database", "redis"}:
        raise env.ConfigError(f"TASK_BACKEND: expected 'database' or 'redis', got {TASK_BACKEND!r}")
    if TASK_BACKEND == "redis" and not REDIS_URL:
        raise env.ConfigError("TASK_BACKEND: 'redis' needs REDIS_URL to be set")
except env.ConfigError as exc:
    env.exit_on_config_error(exc)

EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_TIMEOUT = _email.get("EMAIL_TIMEOUT") or 30
DEFAULT_FROM_EMAIL = env.env_str("DEFAULT_FROM_EMAIL", "Coalition <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Bodies of stored e-mails are emptied after this many days (their secret links are removed once sent);
# recipients, subjects and delivery outcomes stay. The outbox's copies are deleted at the same age.
EMAIL_BODY_RETENTION_DAYS = env.env_int("EMAIL_BODY_RETENTION_DAYS", 30)
# A Maildir the mail server delivers bounces to (mail to the sender address); the worker reads it every 10 minutes.
BOUNCES_MAILDIR = env.env_str("BOUNCES_MAILDIR", "")
# Where links in e-mails point; requests are not available inside background tasks. Locally it follows the port
# `make run` (and `manage.py serve --port`) serves on, so confirmation links work on a laptop.
SITE_URL = env.env_str("SITE_URL", f"http://127.0.0.1:{env.env_int('PORT', 8000)}").rstrip("/")

# The campaign itself is configuration, so another disarmament coalition can run the same code.
# Names set in the environment are shown as they are; the defaults are translated.
COALITION_NAME = env.env_str("COALITION_NAME") or _("Cluster Munition Coalition")
TREATY_NAME = env.env_str("TREATY_NAME") or _("Convention on Cluster Munitions")

INSTALLED_APPS = [
    "coalition.accounts",
    "coalition.core",
    "coalition.site",
    "coalition.api",
    "coalition.members",
    "coalition.states",
    "coalition.events",
    "coalition.letters",
    "coalition.research",
    "coalition.engagement",
    "coalition.mailings",
    # The admin with its site replaced by one that also asks for two-factor verification (accounts.admin_site).
    "coalition.accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "coalition.core.middleware.LocaleMiddleware",
    "coalition.core.middleware.RejectNulCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.user.is_verified(): whether this session gave a one-time code (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # Staff sessions end after STAFF_SESSION_IDLE_MINUTES without a request; then, until the session has
    # given its code (or its owner has enrolled, where two factors are required), only that step is served.
    "coalition.accounts.middleware.StaffSessionIdleMiddleware",
    "coalition.accounts.middleware.TwoFactorMiddleware",
    "coalition.members.middleware.ReferralMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "coalition.urls"
WSGI_APPLICATION = "coalition.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "coalition" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coalition.site.context_processors.site",
                "coalition.lib.page_cache.csrf",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# FAILED log-ins (a wrong password or a wrong code) allowed per account from one client address, and per client
# address whatever the account, before that address must wait; a correct password from an address that has not
# been failing is always accepted, so nobody can lock the owner out (docs/decisions/0010).
LOGIN_RATE_PER_EMAIL_AND_IP = env.env_str("LOGIN_RATE_PER_EMAIL_AND_IP", "10/15m")
LOGIN_RATE_PER_IP = env.env_str("LOGIN_RATE_PER_IP", "50/15m")
# Two-factor authentication (django-otp): the name authenticator apps show beside the account, and the
# exponential pause after each wrong code for one device (1, 2, 4… seconds times this factor).
OTP_TOTP_ISSUER = env.env_str("COALITION_NAME", "Cluster Munition Coalition")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Staff (and every account that must use two factors) are logged out after this long without a request.
STAFF_SESSION_IDLE_MINUTES = env.env_int("STAFF_SESSION_IDLE_MINUTES", 120)
# Password-reset links sent per account address (any case) and per client address; over it, nothing is sent.
PASSWORD_RESET_RATE_PER_EMAIL = env.env_str("PASSWORD_RESET_RATE_PER_EMAIL", "3/h")
PASSWORD_RESET_RATE_PER_IP = env.env_str("PASSWORD_RESET_RATE_PER_IP", "20/h")

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "coalition" / "locale"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "coalition" / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if STATIC_FROM_SOURCE
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Tests, `runserver` and `make run` read static files from the apps directly, without collectstatic.
WHITENOISE_USE_FINDERS = STATIC_FROM_SOURCE
WHITENOISE_AUTOREFRESH = STATIC_FROM_SOURCE
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pages",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Kept pages and their tables' stamps are shared by every process of the machine (web processes and
        # workers), so a write anywhere is seen everywhere at once (coalition/lib/page_cache.py).
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "page-cache"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        },
    }
# Public pages kept for anonymous visitors until their data changes, and at most this long (for pages that
# depend on the clock, such as upcoming events).
PAGE_CACHE = env.env_bool("PAGE_CACHE", default=True)
PAGE_CACHE_SECONDS = env.env_int("PAGE_CACHE_SECONDS", 60)

if TASK_BACKEND == "redis":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # No time limit on a job, as with the database backend: an import or a mailing may run for long.
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": -1}}
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
else:
    TASKS = {"default": {"BACKEND": "coalition.core.task_backend.DatabaseBackend"}}
# A worker whose heartbeat is older than this is dead; its running task goes back in the queue.
WORKER_HEARTBEAT_SECONDS = env.env_int("WORKER_HEARTBEAT_SECONDS", 10)
WORKER_DEAD_AFTER_SECONDS = env.env_int("WORKER_DEAD_AFTER_SECONDS", 60)

SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS and env.env_bool("SECURE_SSL_REDIRECT", default=True)
# Over HTTPS, browsers are told to use nothing else for a year, subdomains included (ASVS 3.4.1);
# preloading is a commitment a deployment makes itself (SECURE_HSTS_PRELOAD).
SECURE_HSTS_SECONDS = env.env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.env_bool("SECURE_HSTS_PRELOAD", default=False)
# So Django's reminder that preloading is off (security.W021) is not shown: hstspreload.org asks software
# that can turn HSTS on not to send `preload` by default (docs/decisions/0014-deploy-check-clean.md).
SILENCED_SYSTEM_CHECKS = ["security.W021"]
BEHIND_PROXY = env.env_bool("BEHIND_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A strict Content-Security-Policy on every response: scripts, styles and pictures only from this site, no
# inline code, no plugins, never framed. Pages that need more widen it per view (csp.decorators.csp_update);
# the rules for new apps are in docs/decisions/0008-content-security-policy.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
CSRF_TRUSTED_ORIGINS = env.env_list("CSRF_TRUSTED_ORIGINS", [])
# Permissions-Policy on every response: no page of the site uses these browser features, so none may be used,
# by the site or by anything injected into it or framing it (django-permissions-policy).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Member registry (coalition.members): abuse limits of the public forms, per e-mail and per client address.
MEMBERS_SIGNUP_RATE_PER_EMAIL = env.env_str("MEMBERS_SIGNUP_RATE_PER_EMAIL", "3/h")
MEMBERS_SIGNUP_RATE_PER_IP = env.env_str("MEMBERS_SIGNUP_RATE_PER_IP", "20/h")
MEMBERS_APPLICATION_RATE_PER_EMAIL = env.env_str("MEMBERS_APPLICATION_RATE_PER_EMAIL", "3/d")
MEMBERS_APPLICATION_RATE_PER_IP = env.env_str("MEMBERS_APPLICATION_RATE_PER_IP", "10/d")
# Unconfirmed sign-ups older than this are deleted (`manage.py expire_supporters`, run daily).
MEMBERS_CONFIRM_DAYS = env.env_int("MEMBERS_CONFIRM_DAYS", 7)
# How long a `?ref=<organisation>` link keeps crediting that organisation for what the visitor does.
MEMBERS_REFERRAL_DAYS = env.env_int("MEMBERS_REFERRAL_DAYS", 30)

# Events (coalition.events): reminders go this many hours before the start; replies bring at most
# this many guests; replies per client address are limited against scripted sign-ups.
EVENTS_REMINDER_HOURS = env.env_int("EVENTS_REMINDER_HOURS", 24)
EVENTS_MAX_GUESTS = env.env_int("EVENTS_MAX_GUESTS", 5)
EVENTS_RSVP_RATE_PER_IP = env.env_str("EVENTS_RSVP_RATE_PER_IP", "30/h")
# Requests for a new copy of one's reply links, per e-mail address (per client address: the RSVP limit).
EVENTS_LINKS_RATE_PER_EMAIL = env.env_str("EVENTS_LINKS_RATE_PER_EMAIL", "3/h")
# Letters to officials (coalition.letters): abuse limits, caps and retention, each configurable.
LETTERS_SUBMIT_RATE_PER_IP = env.env_str("LETTERS_SUBMIT_RATE_PER_IP", "30/h")
LETTERS_SUBMIT_RATE_PER_EMAIL = env.env_str("LETTERS_SUBMIT_RATE_PER_EMAIL", "5/h")
# Messages one official receives per day from one action; beyond it they wait for the next day.
LETTERS_DAILY_CAP_PER_OFFICIAL = env.env_int("LETTERS_DAILY_CAP_PER_OFFICIAL", 200)
LETTERS_MAX_BODY_CHARS = env.env_int("LETTERS_MAX_BODY_CHARS", 5000)
# Unconfirmed letters get one reminder after REMIND_HOURS and expire after CONFIRM_DAYS.
LETTERS_REMIND_HOURS = env.env_int("LETTERS_REMIND_HOURS", 24)
LETTERS_CONFIRM_DAYS = env.env_int("LETTERS_CONFIRM_DAYS", 7)
# A supporter who confirmed an address within this many days is not asked again.
LETTERS_TRUST_CONFIRMED_DAYS = env.env_int("LETTERS_TRUST_CONFIRMED_DAYS", 30)
LETTERS_FOLLOW_UP_DAYS = env.env_int("LETTERS_FOLLOW_UP_DAYS", 14)
# After this many days a sent letter's text and the writer's details are scrubbed; the counts stay.
LETTERS_RETENTION_DAYS = env.env_int("LETTERS_RETENTION_DAYS", 28)
# Contact details older than this are flagged to staff as unverified.
LETTERS_VERIFIED_DAYS = env.env_int("LETTERS_VERIFIED_DAYS", 365)
# Letters at least this similar (0–100, word shingles of the writer's text before merge fields are filled)
# to one already queued for the same official are held for review; over 100 turns the check off.
LETTERS_SIMILARITY_PERCENT = env.env_int("LETTERS_SIMILARITY_PERCENT", 85)
# A worker holds a message this long while sending; after a crash another worker may take it over.
LETTERS_SEND_LEASE_SECONDS = env.env_int("LETTERS_SEND_LEASE_SECONDS", 120)
# Delays between delivery attempts to an official's server; after the last one the message is failed.
LETTERS_RETRY_DELAYS_SECONDS = env.env_list("LETTERS_RETRY_DELAYS_SECONDS", ["60", "300", "1800", "7200", "21600"])
LETTERS_PDF_FONT = env.env_str("LETTERS_PDF_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# Field research (coalition.research): attachment size limit, and how many rows an export may have before
# it is built by a task rather than streamed in the request.
RESEARCH_ATTACHMENT_MAX_BYTES = env.env_int("RESEARCH_ATTACHMENT_MAX_MB", 20) * 1024 * 1024
# Engagement: attachments to meetings with officials, and follow-up reminders this many days before the due date.
ENGAGEMENT_ATTACHMENT_MAX_BYTES = env.env_int("ENGAGEMENT_ATTACHMENT_MAX_MB", 20) * 1024 * 1024
ENGAGEMENT_REMINDER_DAYS_BEFORE = env.env_int("ENGAGEMENT_REMINDER_DAYS_BEFORE", 3)
# Printed briefs of a delegation (the PDF and its request) are deleted this many days after they were asked for.
ENGAGEMENT_PRINTED_BRIEFS_DAYS = env.env_int("ENGAGEMENT_PRINTED_BRIEFS_DAYS", 30)
# A country brief's PDF is kept in the cache this long (its key is a digest of its content); 0 turns it off.
STATES_BRIEF_PDF_CACHE_SECONDS = env.env_int("STATES_BRIEF_PDF_CACHE_SECONDS", 24 * 3600)
RESEARCH_EXPORT_SYNC_ROWS = env.env_int("RESEARCH_EXPORT_SYNC_ROWS", 10_000)

# Mailings to supporters (coalition.mailings): messages per minute (0: as fast as the server takes them), how
# many one task sends over one connection, how long a worker holds a batch before another may take it over
# (longer than a batch can take), and the audience above which a second person must approve a send.
MAILINGS_RATE_PER_MINUTE = env.env_int("MAILINGS_RATE_PER_MINUTE", 600)
MAILINGS_BATCH_SIZE = env.env_int("MAILINGS_BATCH_SIZE", 100)
MAILINGS_LEASE_SECONDS = env.env_int("MAILINGS_LEASE_SECONDS", 600)
MAILINGS_APPROVAL_THRESHOLD = env.env_int("MAILINGS_APPROVAL_THRESHOLD", 500)
MAILINGS_RETRY_DELAYS_SECONDS = env.env_list("MAILINGS_RETRY_DELAYS_SECONDS", ["60", "300", "1800", "7200"])
# Three soft bounces within this many days suppress an address for bulk mail, as a hard bounce does.
MAILINGS_SOFT_BOUNCE_WINDOW_DAYS = env.env_int("MAILINGS_SOFT_BOUNCE_WINDOW_DAYS", 30)
MAILINGS_SOFT_BOUNCE_LIMIT = env.env_int("MAILINGS_SOFT_BOUNCE_LIMIT", 3)
# The mailto: of List-Unsubscribe (RFC 2369); empty: only the HTTPS one-click link (RFC 8058).
MAILINGS_UNSUBSCRIBE_MAILTO = env.env_str("MAILINGS_UNSUBSCRIBE_MAILTO", "")
# On PostgreSQL, make each message's "sent" mark wait for the disk (synchronous_commit on), so that even a crash
# of the database server repeats no message but the one in flight; off, a mailing is not held to the disk's
# commits per second, and only a server crash may repeat the last marks' messages (mailings/sending.py).
MAILINGS_SYNCHRONOUS_MARKS = env.env_bool("MAILINGS_SYNCHRONOUS_MARKS", default=False)
# A mail provider's event webhook (bounces, complaints) at /mailings/provider-events/, through django-anymail:
# the provider's name as anymail spells it (postmark, sendgrid, mailjet, brevo, sparkpost, amazon_ses) and the
# shared secret ("user:password") the provider sends as HTTP basic auth. Unset: the URL answers 404.
MAILINGS_WEBHOOK_PROVIDER = env.env_str("MAILINGS_WEBHOOK_PROVIDER", "")
ANYMAIL = {"WEBHOOK_SECRET": env.env_str("MAILINGS_WEBHOOK_SECRET", "")}

REST_FRAMEWORK = {
    # The schema and the checks of query parameters come from one declaration (docs/decisions/0901).
    "DEFAULT_SCHEMA_CLASS": "coalition.api.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "coalition.lib.api.pagination.Pagination",
    "EXCEPTION_HANDLER": "coalition.api.exceptions.exception_handler",  # a service's Refused is a 400
    "PAGE_SIZE": 100,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.env_str("API_ANON_RATE", "600/hour")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": env.env_str("COALITION_NAME", "Cluster Munition Coalition") + " API",
    "DESCRIPTION": "Open data of the campaign: states, organisations, events, actions, meetings and research.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the installed sidecar package: the docs work without internet access.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for a choice set used by several fields (a state's status, an action's target status), so the
    # schema is built without the warnings `check --deploy` would show.
    "ENUM_NAME_OVERRIDES": {"TreatyStatusEnum": "coalition.states.models.TreatyStatus"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # Secret links (confirm, reset, data, RSVP) are removed from every line (docs/decisions/0012).
    "filters": {"secret_links": {"()": "coalition.core.secret_links.RedactSecretLinksFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["secret_links"]}},
    "root": {"handlers": ["console"], "level": env.env_str("LOG_LEVEL", "INFO")},
    # fontTools logs each step of subsetting a PDF's font at INFO (about forty lines, glyph lists included).
    "loggers": {"django.db.backends": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
