"""Sangsaeng settings. Everything that differs per deployment comes from the environment."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_database, env_int, env_list, env_rate, env_str, secret_key
from sangsaeng.core.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("SANGSAENG_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = secret_key(VAR_DIR)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_ratelimit",
    "ninja",
    "django_prometheus",
    "sangsaeng.core",
    "sangsaeng.accounts",
    "sangsaeng.partners",
    "sangsaeng.rnd",
    "sangsaeng.finance",
    "sangsaeng.usecases",
    "sangsaeng.openlab",
    "sangsaeng.councils",
    "sangsaeng.demo",
    "sangsaeng.home",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sangsaeng.core.middleware.RequestContextMiddleware",
    "sangsaeng.core.logs.RequestLogMiddleware",
    # Django's SessionMiddleware; a GET still answers when only its session save fails (read-only database).
    "sangsaeng.core.availability.ReadTolerantSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "sangsaeng.core.middleware.HtmxLoginRedirectMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sangsaeng.accounts.middleware.IdleSessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sangsaeng.core.ratelimits.RateLimitMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sangsaeng" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sangsaeng.core.context_processors.navigation",
                "sangsaeng.accounts.context_processors.membership",
            ],
        },
    }
]

# --- Database: embedded SQLite by default, PostgreSQL through DATABASE_URL -------------------------
_SQLITE_PATH = VAR_DIR / "sangsaeng.sqlite3"
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": env_database(
            "DATABASE_URL", DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _SQLITE_PATH,
            # Keep each thread's connection: a new one per request pays the PRAGMAs and starts with
            # an empty page cache, which made pages slower as the database grew (make bench).
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 600),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers never deadlock on upgrade and
                # guarded updates (budget, pools, slots) are serialised; WAL lets readers go on.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Identity ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
CSRF_FAILURE_VIEW = "sangsaeng.core.error_views.csrf_failure"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failures (django-axes): 5 failures per account and IP lock for 30 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "sangsaeng.accounts.views.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Sessions: idle timeout (PIPA) and an absolute lifetime.
SESSION_IDLE_TIMEOUT_SECONDS = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30) * 60
SESSION_COOKIE_AGE = env_int("SESSION_ABSOLUTE_HOURS", 12) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)
PASSWORD_RESET_TIMEOUT = 3600 * 24

# --- HTTPS (on in production; `manage.py check --deploy` is clean with these) --------------------
SECURE_HTTPS = env_bool("SECURE_HTTPS", False)
if SECURE_HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The language cookie follows the session and CSRF cookies: Secure in HTTPS mode (SameSite=Lax by default).
LANGUAGE_COOKIE_SECURE = SECURE_HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every response (django-csp 4): scripts and styles only from the app's own
# files, no inline script, handler or style attribute anywhere (templates use static/sangsaeng/app.js
# and app.css); data: images for Bootstrap's icons. The API docs page gets its own (config/api.py).
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
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Languages and time -------------------------------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "sangsaeng" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Seoul"
USE_TZ = True

# --- Static and uploaded files: front-end packages from npm, served by the app (no CDN) -------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise expects it even before collectstatic
STATICFILES_DIRS = [
    BASE_DIR / "sangsaeng" / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
# Uploads are served only through views that check access; there is no public MEDIA_URL.
MEDIA_URL = "/_no_public_media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 15 * 1024 * 1024
MAX_DOCUMENT_BYTES = env_int("MAX_DOCUMENT_MB", 10) * 1024 * 1024
MAX_IMPORT_BYTES = env_int("MAX_IMPORT_MB", 10) * 1024 * 1024
# The Korean TrueType font embedded in generated PDFs (sangsaeng/core/pdf.py; Debian's fonts-nanum).
PDF_FONT_PATH = env_str("PDF_FONT_PATH", "/usr/share/fonts/truetype/nanum/NanumGothic.ttf")

# --- Mail ------------------------------------------------------------------------------------------
_EMAIL_URL = env_str("EMAIL_URL", "")
if _EMAIL_URL.startswith("smtp"):
    from urllib.parse import unquote, urlparse

    _mail = urlparse(_EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_TLS = _mail.scheme == "smtp+tls"
    EMAIL_USE_SSL = _mail.scheme == "smtps"
elif _EMAIL_URL in ("", "console://"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif _EMAIL_URL == "locmem://":
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"EMAIL_URL={_EMAIL_URL!r}: use smtp://, smtp+tls://, smtps://, console:// or locmem://"
    )
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "sangsaeng@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work: django-tasks (immediate by default, database backend with db_worker) ---------
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASKS_BACKEND == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# Scheduled jobs, run by `manage.py run_schedule` (a loop, or `--once` from cron every minute):
# a django-tasks task is enqueued, a plain function is called.
SCHEDULED_JOBS = {
    "finance.expire_recommendations": {
        "path": "sangsaeng.finance.tasks.expire_recommendations",
        "every_minutes": 60,
    },
    "finance.notify_overdue_loans": {
        "path": "sangsaeng.finance.tasks.notify_overdue_loans",
        "every_minutes": 1440,
    },
    "finance.snapshot_pools": {"path": "sangsaeng.finance.tasks.snapshot_pools", "every_minutes": 1440},
    "openlab.release_no_shows": {"path": "sangsaeng.openlab.tasks.release_no_shows", "every_minutes": 5},
    "usecases.remind_overdue_screenings": {
        "path": "sangsaeng.usecases.services.remind_overdue_screenings",
        "every_minutes": 1440,
    },
    "councils.remind_action_items": {
        "path": "sangsaeng.councils.services.remind_action_items",
        "every_minutes": 1440,
    },
}
# Council action items: the owner is reminded this many days before the due date, and on the date.
COUNCIL_ACTION_REMINDER_DAYS = 3

# --- Cache: local memory by default, Redis when REDIS_URL is set ------------------------------------
_REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _REDIS_URL}
        if _REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Rate limits (sangsaeng/core/ratelimits.py; django-ratelimit over the cache above) -----------------
# Fixed windows, "count/period" (s, m, h, d; "30/10m" is 30 per 10 minutes). Per IP = per client address.
RATE_LIMIT_SIGNUP_PER_IP = env_rate("RATE_LIMIT_SIGNUP_PER_IP", "10/h")
RATE_LIMIT_SIGNUP_PER_ACCOUNT = env_rate("RATE_LIMIT_SIGNUP_PER_ACCOUNT", "5/h")
RATE_LIMIT_LOGIN_PER_IP = env_rate("RATE_LIMIT_LOGIN_PER_IP", "60/10m")
RATE_LIMIT_LOGIN_PER_ACCOUNT = env_rate("RATE_LIMIT_LOGIN_PER_ACCOUNT", "20/10m")
RATE_LIMIT_PASSWORD_RESET_PER_IP = env_rate("RATE_LIMIT_PASSWORD_RESET_PER_IP", "10/h")
RATE_LIMIT_PASSWORD_RESET_PER_ACCOUNT = env_rate("RATE_LIMIT_PASSWORD_RESET_PER_ACCOUNT", "3/h")
RATE_LIMIT_TOKEN_FAILURES_PER_IP = env_rate("RATE_LIMIT_TOKEN_FAILURES_PER_IP", "20/10m")
RATE_LIMIT_TOKEN_PER_TOKEN = env_rate("RATE_LIMIT_TOKEN_PER_TOKEN", "1200/m")
RATE_LIMIT_API_WRITES_PER_ACCOUNT = env_rate("RATE_LIMIT_API_WRITES_PER_ACCOUNT", "120/m")
RATE_LIMIT_API_WRITES_PER_IP = env_rate("RATE_LIMIT_API_WRITES_PER_IP", "300/m")
RATELIMIT_ENABLE = env_bool("RATE_LIMITS", True)
RATELIMIT_IP_META_KEY = "sangsaeng.core.ratelimits.client_address"
RATELIMIT_CACHE_PREFIX = "sangsaeng:rl:"
# django-ratelimit knows django-redis, not Django's own RedisCache (atomic INCR too): W001 is moot.
# Local memory counts per process: it is the embedded default for one machine; several app servers
# set REDIS_URL (README), so E003 is only silenced then.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] + ([] if _REDIS_URL else ["django_ratelimit.E003"])

# LOG_FORMAT=json: one JSON object per line with the request id, also in task workers (core/logs.py).
LOGGING = logging_config(env_str("LOG_FORMAT", "text"), env_str("LOG_LEVEL", "WARNING"))
# /metrics (core/metrics.py) exists only with a token; Prometheus sends it as a bearer token.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")

NINJA_PAGINATION_PER_PAGE = 50
PAGE_SIZE = 50
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Anonymous sign-up's form token (sangsaeng/core/botcheck.py): at least this old, at most this old.
SIGNUP_FORM_MIN_SECONDS = env_int("SIGNUP_FORM_MIN_SECONDS", 3)
SIGNUP_FORM_MAX_AGE_SECONDS = env_int("SIGNUP_FORM_MAX_AGE_HOURS", 2) * 3600
