"""Settings, all from environment variables (django-environ).

With no ``DATABASE_URL`` the project runs on an embedded SQLite file; with no broker URL
(``CELERY_BROKER_URL`` or ``REDIS_URL``) Celery tasks run in-process. Set both and the same code
runs on PostgreSQL with a real Redis and worker.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-change-me" if DEBUG else environ.Env.NOTSET)
# This machine only by default (`DEBUG=false make run` works out of the box); a server names its hosts.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "django_tables2",
    "bootstrap",  # django-bootstrap-static: Bootstrap 5 served from the package
    "axes",
    "organisation",
    "audit",
    "credits",
    "notifications",
    "portal",
    "imports",
    "exports",
    "courses",
    "assessments",
    "reserve_cadres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kunshan_training.middleware.RejectNulMiddleware",  # %00 in the path: 404, in the query: 400 (never a 500)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.password_change.ForcePasswordChangeMiddleware",  # an initial password is changed before anything else
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while an account is locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling: after AXES_FAILURE_LIMIT failures for a username from one address, that pair waits
# AXES_COOLOFF_MINUTES. Locking by username+address keeps one attacker from locking out a whole office.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)

ROOT_URLCONF = "kunshan_training.urls"
WSGI_APPLICATION = "kunshan_training.wsgi.application"

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
                "django.template.context_processors.i18n",
                "portal.context.portal",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database serves one process with in-process tasks; wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Evidence files (PDF/JPEG/PNG) are limited to 10 MB.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
# Pictures are decoded in full when uploaded: at most this many pixels (a 30 MP RGBA picture is 120 MB in memory).
EVIDENCE_MAX_PIXELS = env.int("EVIDENCE_MAX_PIXELS", default=30_000_000)
# Where `manage.py recheck_evidence --quarantine` moves bad evidence files: outside MEDIA_ROOT, never served.
EVIDENCE_QUARANTINE_ROOT = Path(env("EVIDENCE_QUARANTINE_ROOT", default=str(BASE_DIR / "quarantine")))
# Spreadsheet imports larger than this are refused before they are read.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
# Imports: what one file may hold (imports/limits.py, README "Import limits"); past a limit it is refused in plain
# words before the part that would cost the memory is read. Files over IMPORT_INLINE_MAX_BYTES (or over 2,000
# rows) always run as a background job with a progress bar, also without a broker (a thread after commit).
IMPORT_INLINE_MAX_BYTES = env.int("IMPORT_INLINE_MAX_BYTES", default=256 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=100_000)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=200)
IMPORT_MAX_CELL_CHARS = env.int("IMPORT_MAX_CELL_CHARS", default=32_767)  # Excel's own limit
IMPORT_XLSX_MAX_PARTS = env.int("IMPORT_XLSX_MAX_PARTS", default=1_000)
IMPORT_XLSX_MAX_UNPACKED_BYTES = env.int("IMPORT_XLSX_MAX_UNPACKED_BYTES", default=200 * 1024 * 1024)
IMPORT_XLSX_MAX_RATIO = env.int("IMPORT_XLSX_MAX_RATIO", default=200)
IMPORT_XLSX_MAX_PART_BYTES = env.int("IMPORT_XLSX_MAX_PART_BYTES", default=8 * 1024 * 1024)
IMPORT_XLSX_MAX_SHARED_STRINGS = env.int("IMPORT_XLSX_MAX_SHARED_STRINGS", default=1_000_000)
IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES = env.int("IMPORT_XLSX_MAX_SHARED_STRINGS_BYTES", default=64 * 1024 * 1024)
IMPORT_XLSX_MAX_MERGED_RANGES = env.int("IMPORT_XLSX_MAX_MERGED_RANGES", default=10_000)
IMPORT_XLSX_MAX_MERGED_CELLS = env.int("IMPORT_XLSX_MAX_MERGED_CELLS", default=1_000_000)

# Production hardening: on unless DEBUG; each can be switched off behind a TLS-terminating proxy.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# No script reads the CSRF cookie: htmx sends the token from the page (hx-headers on <body> in base.html).
CSRF_COOKIE_HTTPONLY = True

# Content-Security-Policy on every response (django-csp 4: one dict of directives). Scripts only from our own static
# files (no inline script or on…= handlers: static/portal/js/portal.js). Styles: 'self' plus 'unsafe-inline', because
# templates use style= attributes, the print sheets have <style> blocks and pygal's SVG charts carry their own <style>;
# inline CSS cannot run script, and every value in a page is escaped. img-src allows data: for Bootstrap's and Swagger
# UI's built-in icons. Evidence responses set their own, stricter policy with sandbox (portal/views/evidence.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
    }
}
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

REST_FRAMEWORK = {
    # Session (the portal's pages) and Token (API clients: ``manage.py drf_create_token``, README). No Basic:
    # it hashes the password on every request (250-450 ms of CPU each) and bypasses the sign-in throttle.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "kunshan_training.api.Pagination",
    "DEFAULT_SCHEMA_CLASS": "kunshan_training.schema.AutoSchema",  # + the 400/403/404 bodies
    "EXCEPTION_HANDLER": "kunshan_training.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "干部教育培训学分管理 API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The schema and the docs are for signed-in users only (session or token); kunshan_training/urls.py.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # A class's status beside a record's ``status``: each its own enum name (else both get hashed names).
    "ENUM_NAME_OVERRIDES": {
        "ClassStatusEnum": "courses.models.ClassStatus",
        "CardStatusEnum": "assessments.models.CardStatus",
        "ReserveStatusEnum": "reserve_cadres.models.ReserveStatus",
        "ReserveLevelEnum": "reserve_cadres.models.Level",
        "LectureLevelEnum": "courses.models.LectureLevel",
        "PracticeKindEnum": "reserve_cadres.models.PracticeKind",
        "DisqualifyReasonEnum": "reserve_cadres.models.DisqualifyReason",
        "RankEnum": "organisation.models.Rank",
        "QuestionKindEnum": "courses.models.QuestionKind",
        "FollowUpMethodEnum": "courses.models.FollowUpMethod",
        "MethodEnum": "assessments.engine.METHODS",  # the scorecard items' (named before follow-up had a method)
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "kunshan_training.schema.year_path_parameters",
    ],  # request bodies without read-only fields, so examples are valid requests
}

# Celery: a broker URL means a real worker; none means tasks run in-process (eagerly).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default=""))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    CELERY_BROKER_URL = "memory://localhost/"  # with a host, or kombu warns on every in-process task
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_IGNORE_RESULT = True  # progress lives in RecomputeJob rows, not in a result backend
# A task's message is acknowledged after the task returns, and given back to the broker when the worker process
# running it dies (SIGKILL, out of memory), so another worker runs it again; every task is idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message taken by a worker that vanished (the whole machine or container, with no one left to give it back) is
# delivered again after this long. Shorter than kombu's default hour; longer than the longest task: a whole-year
# recompute at 100,000 officials takes ~25 s (README: compute_scores + rank_year), stopped at
# RECOMPUTE_TIME_LIMIT_SECONDS. Check this when adding a longer task (an import, a report workbook).
CELERY_VISIBILITY_TIMEOUT_SECONDS = env.int("CELERY_VISIBILITY_TIMEOUT_SECONDS", default=30 * 60)
# A down broker must not hang the user's save: fail fast, the reconciliation heals it.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 0,
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT_SECONDS,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TIMEZONE = TIME_ZONE
# Embedded mode (no broker): long jobs run in a daemon thread after commit ("thread"), or synchronously ("inline",
# the test suite). See kunshan_training/background.py.
EMBEDDED_JOBS = env("EMBEDDED_JOBS", default="thread")
# Reconciliation: recompute any result left stale (e.g. its task was lost while the broker was down), rank the years
# whose ranking did not complete, start recompute jobs never picked up and resume those whose worker died.
SCORE_RECONCILE_SECONDS = env.int("SCORE_RECONCILE_SECONDS", default=60)
# A running recompute job writes a heartbeat this often (and with every progress step) ...
RECOMPUTE_HEARTBEAT_SECONDS = env.int("RECOMPUTE_HEARTBEAT_SECONDS", default=10)
# ... and one silent for this long is taken to have lost its worker: the reconciliation starts it again. Three
# missed beats, and half a reconciliation interval, so a dead job is resumed by the first or second run after it.
RECOMPUTE_DEAD_AFTER_SECONDS = env.int("RECOMPUTE_DEAD_AFTER_SECONDS", default=30)
# A job still pending this long after it was asked for (or last handed to the broker) was never picked up (the
# broker refused it): the reconciliation hands it over again.
RECOMPUTE_PENDING_AFTER_SECONDS = env.int("RECOMPUTE_PENDING_AFTER_SECONDS", default=30)
# Started this many times without finishing (a job that kills its worker every time): marked failed, not retried.
RECOMPUTE_MAX_ATTEMPTS = env.int("RECOMPUTE_MAX_ATTEMPTS", default=5)
# A recompute is stopped after this long (hard limit; well under CELERY_VISIBILITY_TIMEOUT_SECONDS).
RECOMPUTE_TIME_LIMIT_SECONDS = env.int("RECOMPUTE_TIME_LIMIT_SECONDS", default=15 * 60)
# Import jobs (imports.services): the same heartbeat and thresholds; a file that stopped its worker this many times
# (e.g. out of memory) is marked failed with a plain message instead of being started again and again.
IMPORT_HEARTBEAT_SECONDS = env.int("IMPORT_HEARTBEAT_SECONDS", default=10)
IMPORT_DEAD_AFTER_SECONDS = env.int("IMPORT_DEAD_AFTER_SECONDS", default=30)
IMPORT_PENDING_AFTER_SECONDS = env.int("IMPORT_PENDING_AFTER_SECONDS", default=30)
IMPORT_MAX_ATTEMPTS = env.int("IMPORT_MAX_ATTEMPTS", default=3)
# Each app's own step of the periodic reconciliation (reconcile_stale_scores runs them after the recompute jobs'
# own, so every kind of job is resumed within one SCORE_RECONCILE_SECONDS; kunshan_training/jobs.py).
RECONCILE_HOOKS = {"imports": "imports.services.restart_abandoned_imports"}
CELERY_BEAT_SCHEDULE = {
    "reconcile-stale-scores": {
        "task": "credits.tasks.reconcile_stale_scores",
        "schedule": SCORE_RECONCILE_SECONDS,
    },
    # Mid-year warning to officials behind pace: notifications.pace.WARNING_DATES (1 July), 09:00 Asia/Shanghai.
    # Report workbooks: delete those older than exports.services.EXPORT_RETENTION, restart builds whose worker died.
    "clean-old-exports": {"task": "exports.tasks.clean_old_exports", "schedule": 3600},
    "warn-behind-pace": {
        "task": "notifications.tasks.warn_behind_pace_today",
        "schedule": crontab(minute=0, hour=9, day_of_month=1, month_of_year=7),
    },
    # Scorecard self-check reports overdue (Benxi 31 July and 30 November, Daxinganling 30 November): the units'
    # study administrators are told once per card and report, the morning after the due date.
    "notify-overdue-self-checks": {
        "task": "assessments.tasks.notify_overdue_self_checks",
        "schedule": crontab(minute=30, hour=8),
    },
    # Reserve cadres' follow-up overdue (reflections due 30 June / 31 December, the yearly assessment 25 December):
    # the reserve's unit's study administrators are told once per item, each morning after the due date.
    "notify-overdue-reserve-follow-up": {
        "task": "reserve_cadres.tasks.notify_overdue_follow_up",
        "schedule": crontab(minute=40, hour=8),
    },
    # Training follow-up (courses.followup_rules): trainees told of their self-evaluation and study summary when due
    # and when overdue, the organisers of forums and yearly reviews overdue; each item once per state.
    "notify-training-follow-up": {
        "task": "courses.tasks.notify_follow_up",
        "schedule": crontab(minute=50, hour=8),
    },
    # Anonymous survey answers written again with new random ids in a random order each night (courses.tasks), so
    # the table's row order cannot line an answer up with who answered that day.
    "mix-survey-responses": {
        "task": "courses.tasks.mix_survey_responses",
        "schedule": crontab(minute=15, hour=2),
    },
}

REDIS_URL = env("REDIS_URL", default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else "")
# Shared with the worker (ranking debounce, the ranked count); in-process when there is no Redis. A Redis that is
# down is a miss, logged, never a 500 (kunshan_training/cache.py: 0.5 s timeouts, no retries).
CACHES = {
    "default": {"BACKEND": "kunshan_training.cache.DegradingRedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)  # a working day

# E-mail notifications go out only when an SMTP host is set (EMAIL_HOST); otherwise they stay in the portal.
EMAIL_HOST = env("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="training@localhost")
NOTIFY_BY_EMAIL = bool(EMAIL_HOST)
# The portal's address in e-mails (links back to the page).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"celery.app.trace": {"level": "WARNING"}},
}
