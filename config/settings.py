"""Settings for Fazhi Archive, read from the environment.

Development defaults are safe and need no server: SQLite and a Whoosh index under
``ARCHIVE_DATA_DIR`` (default ``./var``).  Outside DEBUG there are no unsafe defaults:
a missing ``SECRET_KEY`` stops start-up with a clear message.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        # Development only: a fixed, obviously-insecure key so sessions survive restarts.
        SECRET_KEY = "dev-insecure-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(for local development set DEBUG=1 instead, as `make run` does)."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# All state lives under one directory: database, search index, uploaded originals.
ARCHIVE_DATA_DIR = Path(os.environ.get("ARCHIVE_DATA_DIR", BASE_DIR / "var")).resolve()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    # search before haystack: its rebuild_index (build beside, then swap) replaces haystack's.
    "search",
    "haystack",
    "reports",
    "compare",
    "research",
]

MIDDLEWARE = [
    # First: answers /healthz before host validation and the HTTPS redirect, so a load
    # balancer can probe each instance over plain HTTP by IP.
    "config.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # No LocaleMiddleware: the site and the admin are Chinese whatever the browser asks for.
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads a body (CSRF's process_view, the login throttle).
    "config.request_input.RequestBodyLimitMiddleware",
    "config.request_input.CleanQueryStringMiddleware",
    "config.throttle.LoginThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{ARCHIVE_DATA_DIR / 'archive.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while an import writes; a busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Whitenoise serves static files in every mode; in DEBUG straight from the app/static dirs
# (no collectstatic needed, changes picked up on reload).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = ARCHIVE_DATA_DIR / "originals"
MEDIA_URL = "/media/"

# A cache shared by all gunicorn workers on this host (login throttling counts must not be
# per-process).  Tests use locmem.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(ARCHIVE_DATA_DIR / "cache"),
        "TIMEOUT": 300,
    }
}

# Upload limit for report files (bytes); default 20 MB.
ARCHIVE_MAX_UPLOAD_BYTES = int(os.environ.get("ARCHIVE_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = ARCHIVE_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Request bodies (config.request_input): anyone but active staff gets a small limit (a login
# form or a comparison-list change is under 1 KB); staff editing a report's text in the admin
# up to the form limit (percent-encoding triples CJK text); the upload view several files.
REQUEST_BODY_LIMIT_BYTES = int(os.environ.get("REQUEST_BODY_LIMIT_BYTES", str(64 * 1024)))
STAFF_BODY_LIMIT_BYTES = int(os.environ.get("STAFF_BODY_LIMIT_BYTES", str(3 * DATA_UPLOAD_MAX_MEMORY_SIZE)))
UPLOAD_BODY_LIMIT_BYTES = int(
    os.environ.get("UPLOAD_BODY_LIMIT_BYTES", str(10 * ARCHIVE_MAX_UPLOAD_BYTES + 1024 * 1024))
)

# Search: by default a Whoosh index beside the database.  SEARCH_URL selects Elasticsearch
# 7.17 instead (the scale-out path; needs `pip install -e '.[es]'`):
#   elasticsearch://host:9200/fazhi   (elasticsearchs:// for HTTPS; user:password@ allowed)
# Only search/ reads this; both engines answer the same searches (see search/es_query.py).
ARCHIVE_INDEX_DIR = Path(os.environ.get("ARCHIVE_INDEX_DIR", ARCHIVE_DATA_DIR / "whoosh_index"))


def search_connection(url: str) -> dict:
    """HAYSTACK_CONNECTIONS["default"] for SEARCH_URL ('' = the Whoosh index)."""
    from urllib.parse import urlsplit

    if not url:
        return {
            "ENGINE": "search.backends.ArchiveWhooshEngine",
            "PATH": str(ARCHIVE_INDEX_DIR),
            # Reports per update() in rebuild_index/update_index.  Each batch adds a segment per
            # core, and every segment costs each query and each worker's warm-up: 1,000 (the
            # default) left 21 segments at 10,000 reports and a first-run p95 of 222 ms, not 155.
            "BATCH_SIZE": 5000,
        }
    parts = urlsplit(url)
    scheme = {"elasticsearch": "http", "elasticsearchs": "https"}.get(parts.scheme)
    index_name = parts.path.strip("/")
    if scheme is None or not parts.hostname or not index_name or "/" in index_name:
        raise ImproperlyConfigured(
            f"SEARCH_URL {url!r} is not understood: use elasticsearch://host:9200/index_name "
            "(or leave it unset for the Whoosh index)."
        )
    netloc = parts.netloc.rsplit("@", 1)[-1]
    if parts.username:
        netloc = f"{parts.username}:{parts.password or ''}@{netloc}"
    return {
        "ENGINE": "search.elasticsearch_backend.ArchiveElasticsearchEngine",
        "URL": f"{scheme}://{netloc}/",
        "INDEX_NAME": index_name,
        "TIMEOUT": int(os.environ.get("SEARCH_TIMEOUT", "10")),
        # Local directory of the writer lock (one index writer per host at a time).
        "LOCK_DIR": str(ARCHIVE_DATA_DIR / "search-writer"),
    }


HAYSTACK_CONNECTIONS = {"default": search_connection(os.environ.get("SEARCH_URL", "").strip())}
# Index writes are queued on commit and applied by a single writer (search/indexing.py);
# haystack's own signal processor is not used.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
HAYSTACK_SEARCH_RESULTS_PER_PAGE = 20

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"jieba": {"level": "WARNING"}},
}

# Security: strict by default outside DEBUG; HTTPS settings switchable for TLS proxies:
#   HTTPS=0            plain-HTTP deployment (no redirect, no HSTS, cookies not Secure)
#   BEHIND_TLS_PROXY=1 TLS ends at a proxy that sets X-Forwarded-Proto (and X-Forwarded-For)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    HTTPS = env_bool("HTTPS", True)
    SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
    SESSION_COOKIE_SECURE = HTTPS
    CSRF_COOKIE_SECURE = HTTPS
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
    SECURE_HSTS_PRELOAD = HTTPS
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (config.security): same-origin only.  Inline <script>/<style> and
# style="" attributes are blocked: templates load CSS and JS from static files only.
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'",
)

# Admin login throttling (config.throttle): failed attempts per client IP + username.
LOGIN_THROTTLE_ATTEMPTS = int(os.environ.get("LOGIN_THROTTLE_ATTEMPTS", "5"))
# ... and failed attempts per client IP across all usernames.
LOGIN_THROTTLE_IP_ATTEMPTS = int(os.environ.get("LOGIN_THROTTLE_IP_ATTEMPTS", "20"))
LOGIN_THROTTLE_WINDOW_SECONDS = int(os.environ.get("LOGIN_THROTTLE_WINDOW_SECONDS", str(15 * 60)))
# Behind a proxy the client address is the right-most X-Forwarded-For entry (the one our
# proxy appended); otherwise REMOTE_ADDR.  Never trust the header without a proxy.
LOGIN_THROTTLE_USE_X_FORWARDED_FOR = env_bool("BEHIND_TLS_PROXY", False)

LOGIN_URL = "admin:login"
# Flash messages in a signed cookie: a message to an anonymous reader never creates a
# server-side session row (neither does the comparison list: compare/selection.py).
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"
