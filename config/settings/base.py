"""Settings shared by every environment, read from the environment (django-environ).

Embedded default: SQLite under ``var/`` and Celery tasks run in-process. Set ``DATABASE_URL`` and
``REDIS_URL`` to use PostgreSQL, Redis and real Celery workers with the same code.
"""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

_DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

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
    "drf_spectacular",
    "drf_standardized_errors",
    "drf_spectacular_sidecar",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "formtools",
    # The project's rooms, bottom to top (pyproject.toml's import-linter contracts hold it).
    "taxonomy",
    "accounts",
    "clusters",
    "schemes",
    "vendors",
    "matching",
    "eligibility",
    "allocation",
    "consortia",
    "portal",
    "partners",
    "insights",
    "seeding",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A first visit whose browser prefers Hindi goes to the /hi/ page; the cookie remembers.
    "config.middleware.PreferredLanguageMiddleware",
    # The API answers in the language Accept-Language asks for.
    "config.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Which path a change came through (admin, API, MSME pages), for the audit history.
    "config.middleware.HistoryPathMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'repm.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a management command writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("hi", _("Hindi"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language of the last page served (config.middleware): a first visit only is redirected
# to the browser's preferred language.
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True
# Dates as "15 Dec 2025" and typed day first, in English and Hindi (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Certificate scans: outside MEDIA_ROOT and never served by URL as files are; the link below is
# a view that lets only the owner and staff read them.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))
PRIVATE_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": "/me/documents/"},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}

# --- Accounts, login rate limits and the browser's security policy ----------------------------
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "home"
# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one username from one address lock that pair out for 15 minutes, on
# the public login and the admin's alike; a right password resets the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)

# No inline script or style anywhere: every page's code and styles come from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Mail (password resets, digests): the console in development, EMAIL_URL (smtp+tls://...) live.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="REPM Connect <no-reply@repm.example.in>"
)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for a day
# Where emails link to (a digest is sent by a worker, with no request to take the host from).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Redis, cache and Celery -------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # No broker configured: run tasks in-process so the embedded default needs no services.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://localhost/"  # a host named: kombu warns of none otherwise
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True

# The longest task is one matcher chunk; keep the hard limit well below the broker's visibility
# timeout, or Redis would hand a still-running task to a second worker.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=720)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# At-least-once delivery: ack after the task finishes, requeue it if the worker dies, and take one
# message at a time so a killed worker strands no prefetched work. Tasks are idempotent for this.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TRACK_STARTED = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Insights (/insights/): how often the snapshot is recomputed, and below how many full matches
# (but at least one) a need counts as having few.
INSIGHTS_REFRESH_SECONDS = env.int("INSIGHTS_REFRESH_SECONDS", default=300)
INSIGHTS_FEW_MATCHES = env.int("INSIGHTS_FEW_MATCHES", default=5)
CELERY_BEAT_SCHEDULE: dict = {
    # Limits revisions are entered ahead of their effective date; reclassify when they start.
    "reclassify-suppliers-nightly": {
        "task": "vendors.tasks.suppliers_reclassify",
        "schedule": crontab(hour=0, minute=15),
    },
    # Certificates expire (or enter their 60-day warning) with the calendar, not with an edit.
    "rematch-certificate-expiries-nightly": {
        "task": "matching.tasks.rematch_certificate_expiries",
        "schedule": crontab(hour=0, minute=45),
    },
    # The safety net: every path rematches what it changes, so this should write nothing; its
    # run logs what it corrected (a warning when that is not 0).
    "rematch-all-nightly": {
        "task": "matching.tasks.rematch_all_nightly",
        "schedule": crontab(hour=2, minute=30),
    },
    # Experience counted from a founding year grows by one on 1 January.
    "rematch-all-new-year": {
        "task": "matching.tasks.rematch_all_new_year",
        "schedule": crontab(month_of_year=1, day_of_month=1, hour=0, minute=5),
    },
    # MSME owners' weekly digest: new high-score matches, certificates about to expire.
    "send-digests-weekly": {
        "task": "portal.tasks.send_digests",
        "schedule": crontab(day_of_week="mon", hour=8, minute=0),
    },
    # Deleted matches are remembered for partners' syncs for MATCH_TOMBSTONE_DAYS.
    "prune-match-tombstones-nightly": {
        "task": "matching.tasks.prune_match_tombstones",
        "schedule": crontab(hour=3, minute=30),
    },
    # Runs that stopped making progress (a worker killed, messages lost) are re-driven.
    "watch-match-runs": {
        "task": "matching.tasks.match_runs_watch",
        "schedule": 60.0,
    },
    # Partner webhooks: due retries, and each live endpoint's changes since its mark.
    "partner-webhooks": {
        "task": "partners.tasks.webhooks_tick",
        "schedule": 60.0,
    },
    # The webhook delivery log keeps WEBHOOK_DELIVERY_LOG_DAYS.
    "prune-webhook-deliveries-nightly": {
        "task": "partners.tasks.webhook_deliveries_prune",
        "schedule": crontab(hour=3, minute=30),
    },
    # Allocation runs whose worker or message was lost end failed, as stale.
    "watch-allocation-runs": {
        "task": "allocation.tasks.allocation_runs_watch",
        "schedule": 60.0,
    },
    # The insights pages read a snapshot of supply against demand; it is recomputed this often.
    "refresh-insights": {
        "task": "insights.tasks.insights_refresh",
        "schedule": float(INSIGHTS_REFRESH_SECONDS),
    },
}
# No progress for this long and a run's chunks are queued again: longer than a chunk can take.
MATCH_RUN_STALE_SECONDS = env.int("MATCH_RUN_STALE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60)
# An allocation run is one task: still running (or pending) past its hard limit, it is lost.
ALLOCATION_RUN_STALE_SECONDS = env.int(
    "ALLOCATION_RUN_STALE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60
)
# Matches change in bursts (a facility shortlists several suppliers, each one's rematch follows):
# one allocation of a process this long after the first change of a burst.
ALLOCATION_DEBOUNCE_SECONDS = env.int("ALLOCATION_DEBOUNCE_SECONDS", default=10)

# --- REST framework ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # The client's address for throttling: REMOTE_ADDR unless this many proxies stand in front
    # (then the matching X-Forwarded-For hop), as for login lockouts; a forged header is ignored.
    "NUM_PROXIES": AXES_IPWARE_PROXY_COUNT,
    "DEFAULT_AUTHENTICATION_CLASSES": ["partners.auth.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["taxonomy.api_fields.JSONParser"],
    # One error body shape for the whole API: {"type", "errors": [{"code", "detail", "attr"}]}.
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 100,
}
# Anonymous calls of the eligibility API, per client address (DRF rate syntax).
ELIGIBILITY_API_ANON_RATE = env.str("ELIGIBILITY_API_ANON_RATE", default="30/minute")
# Requests per partner key (DRF rate syntax); over it, 429 with Retry-After.
PARTNER_API_RATE = env.str("PARTNER_API_RATE", default="1200/minute")
# Deleted matches are kept this long as tombstones; a sync from further back must start over.
MATCH_TOMBSTONE_DAYS = env.int("MATCH_TOMBSTONE_DAYS", default=90)
SPECTACULAR_SETTINGS = {
    "TITLE": "REPM Connect API",
    "DESCRIPTION": "Facilities, clusters, needs and supplier matches of the REPM scheme.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "MatchStatusEnum": "matching.models.Match.Status",
        "MsmeCategoryEnum": "taxonomy.choices.MsmeCategory",
        "FacilityDecisionEnum": [
            ("shortlisted", "shortlisted"),
            ("engaged", "engaged"),
            ("declined", "declined"),
        ],
    },
    # Inputs that refuse unknown fields say so (additionalProperties: false).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "taxonomy.api_fields.close_objects",
    ],
    # The docs page loads Swagger UI from the app's own static files (django-csp: no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# --- Partner webhooks (partners/webhooks.py) ----------------------------------------------------
# http:// to localhost/127.0.0.1 as an endpoint (tests; DEBUG allows it too). Never in production.
WEBHOOKS_ALLOW_HTTP_LOCALHOST = env.bool("WEBHOOKS_ALLOW_HTTP_LOCALHOST", default=False)
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=15.0)
WEBHOOK_BATCH_SIZE = env.int("WEBHOOK_BATCH_SIZE", default=100)
# Changes are sent once this old: clocks of application hosts may differ by this much.
WEBHOOK_SETTLE_SECONDS = env.float("WEBHOOK_SETTLE_SECONDS", default=10.0)
# A transaction open longer than this no longer holds webhooks back (selectors.change_horizon).
WEBHOOK_SETTLE_MAX_SECONDS = env.int("WEBHOOK_SETTLE_MAX_SECONDS", default=3600)
# After a rotation, payloads carry the previous secret's signature too for this long.
WEBHOOK_SECRET_OVERLAP_HOURS = env.int("WEBHOOK_SECRET_OVERLAP_HOURS", default=24)
# Delivered and failed batches stay in the delivery log this long (pending ones always).
WEBHOOK_DELIVERY_LOG_DAYS = env.int("WEBHOOK_DELIVERY_LOG_DAYS", default=30)

# --- First administrator (make superuser / make run) -------------------------------------------
ADMIN_EMAIL = env.str("DJANGO_SUPERUSER_EMAIL", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
