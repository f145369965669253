"""Settings for Negotiator, read from the environment.

Local use needs no variables at all: SQLite in ``var/``, private media in
``var/private``, the immediate task backend, the console e-mail backend.
Production sets ``DEBUG=0`` and the variables listed in docs/deploy.md.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

# A fixed key is acceptable only for local, DEBUG use; production refuses to
# start without SECRET_KEY (see the check below).
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-local-development-only-key"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

VAR_DIR = Path(os.environ.get("NEGOTIATOR_VAR_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "cases.other_apps.LoginProtectionConfig",  # django-axes, named in our words
    "cases.other_apps.TaskQueueConfig",  # django-tasks-db, named in our words
    "cases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cases.middleware.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cases.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "cases.cache_headers.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cases.middleware.StaffOnlyAdminMiddleware",
    "cases.middleware.ConsentRequiredMiddleware",
    # Last, as django-axes requires, so it sees the outcome of every login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "negotiator.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "negotiator.wsgi.application"
ASGI_APPLICATION = "negotiator.asgi.application"

if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web process share the file; IMMEDIATE avoids
    # "database is locked" on upgrade from a read to a write transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # QuerySet.iterator() opens a server-side cursor on PostgreSQL (DECLARE, FETCH, CLOSE:
    # three round trips). Our only iterator() callers are the forms' model choices, a
    # handful of rows each, so one fetch is cheaper (docs/performance.md). Nothing here
    # streams a result too large for memory.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    if os.environ.get("DB_PREPARED_STATEMENTS", "1") == "1":
        # PostgreSQL plans each query anew unless it is prepared. Server-side binding lets
        # psycopg prepare a query on its second use on a connection (persistent: CONN_MAX_AGE),
        # which made queries and PostgreSQL's CPU cheaper (docs/performance.md). Set 0 behind a
        # pooler that cannot keep prepared statements (PgBouncer in transaction mode before 1.21).
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "landing"

# django-axes: five failures for one username from one address lock that pair
# out for 30 minutes, and AXES_ACCOUNT_FAILURE_LIMIT (below) failures of one account
# from any addresses lock the account (cases.lockout); a password reset lifts both.
# A lockout answers with a translated page, not a 500.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "cases.lockout.AccountAwareAxesHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0")) or None
# axes keeps a failed request's form data: never a password or a recovery code in clear.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "password1", "password2", "old_password",
                             "new_password1", "new_password2"]
# Wrong recovery codes from one address, for any accounts, before its recovery page pauses (cases.lockout).
RECOVERY_ADDRESS_FAILURE_LIMIT = int(os.environ.get("RECOVERY_ADDRESS_FAILURE_LIMIT", "20"))
# Accounts made from one address in AXES_COOLOFF_TIME before its sign-up pauses (cases.lockout).
SIGNUP_ADDRESS_LIMIT = int(os.environ.get("SIGNUP_ADDRESS_LIMIT", "10"))

# Internationalisation: Simplified Chinese by default, English source strings.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Private media: evidence and rendered letters. There is deliberately no
# MEDIA_URL route: files leave only through views that check ownership.
# PRIVATE_STORAGE=files keeps them in a folder (one machine, or a shared volume);
# PRIVATE_STORAGE=s3 in a bucket of S3-compatible object storage (docs/deploy.md §7),
# with the policy (private, never overwritten, no URLs) fixed in cases/object_storage.py.
PRIVATE_STORAGE = os.environ.get("PRIVATE_STORAGE", "files")
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
if PRIVATE_STORAGE == "files":
    _private_storage = {
        "BACKEND": "cases.storage.AtomicFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    }
elif PRIVATE_STORAGE == "s3":
    if not os.environ.get("S3_BUCKET"):
        raise RuntimeError("PRIVATE_STORAGE=s3 needs S3_BUCKET (docs/deploy.md §7)")
    _private_storage = {
        "BACKEND": "cases.object_storage.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            # Unset: AWS itself; otherwise e.g. https://oss-cn-shenzhen.aliyuncs.com
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            # Unset: boto3's own chain (instance or RAM role, AWS_* variables).
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("S3_PREFIX", "").strip("/"),
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,
            "object_parameters": (
                {"ServerSideEncryption": os.environ["S3_SERVER_SIDE_ENCRYPTION"]}
                if os.environ.get("S3_SERVER_SIDE_ENCRYPTION") else {}
            ),
        },
    }
else:
    raise RuntimeError(f"PRIVATE_STORAGE must be files or s3, not {PRIVATE_STORAGE!r}")
STORAGES = {
    "default": _private_storage,
    "private": _private_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
EVIDENCE_MAX_FILE_BYTES = int(os.environ.get("EVIDENCE_MAX_FILE_BYTES", str(20 * 1024 * 1024)))
EVIDENCE_CASE_QUOTA_BYTES = int(os.environ.get("EVIDENCE_CASE_QUOTA_BYTES", str(200 * 1024 * 1024)))

# Field encryption (ID numbers, contract numbers): comma-separated Fernet keys,
# newest first. Old keys keep decrypting until `rotate_field_keys` has re-encrypted.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")

# Background work: the immediate backend locally; the database backend with its
# `db_worker` in production (TASK_BACKEND=database).
TASK_BACKEND = os.environ.get("TASK_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
            "dummy": "django.tasks.backends.dummy.DummyBackend",
        }[TASK_BACKEND],
        # "letters": PDF renders (cases.tasks.LETTERS_QUEUE), run by workers of their own (docs/deploy.md §5).
        "QUEUES": ["default", "letters"],
    }
}

# E-mail (Django 6.1 mailers): the console locally; EMAIL_URL in production,
# e.g. smtp+tls://user:password@smtp.example.com:587
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Negotiator <no-reply@localhost>")
# Without DEBUG, Django's own console backend is kept so that the deploy check
# (mail.E001) insists on EMAIL_URL.
MAILERS = {
    "default": {
        "BACKEND": "cases.mail.ReadableConsoleBackend" if DEBUG else "django.core.mail.backends.console.EmailBackend"
    }
}
if os.environ.get("EMAIL_URL"):
    from urllib.parse import unquote, urlsplit

    _email = urlsplit(os.environ["EMAIL_URL"])
    MAILERS["default"] = {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _email.hostname or "",
            "port": _email.port or 587,
            "username": unquote(_email.username or ""),
            "password": unquote(_email.password or ""),
            "use_tls": "tls" in _email.scheme,
        },
    }

# The site's address for links in e-mails sent without a request (reminders).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Sessions expire after two hours without activity. Activity renews a session
# at most once a minute (cases.middleware.SessionRenewalMiddleware), not with a
# database write on every request.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(2 * 3600)))
SESSION_RENEW_INTERVAL = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Security headers. The CSP allows only our own scripts and styles: htmx is
# served from our static files and configured (meta htmx-config) not to eval
# or inject inline styles.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "media-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "frame-src": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = [
    # Our own pages may frame our own letter previews; nothing else may frame us
    # (X-Frame-Options SAMEORIGIN and CSP frame-ancestors 'self').
    "security.W019",
    # HSTS preloading is hard to undo, so it is opt-in: SECURE_HSTS_PRELOAD=1.
    "security.W021",
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

# Product settings.
CONSENT_TEXT_VERSION = "2026-11-v1"
# The text an owner agrees to when a helper or adviser may see the ID number, phone and evidence files (issue 20).
SHARING_CONSENT_TEXT_VERSION = "2026-12-share-v1"
CLOSED_CASE_RETENTION_DAYS = int(os.environ.get("CLOSED_CASE_RETENTION_DAYS", "365"))
# Switches for our reaches into libraries' internals (docs/deploy.md, docs/decisions/012):
# off, the app takes the library's own public path. Each patch also refuses, with a
# logged warning and a system check warning, a library version it was not checked against.
FAST_FORM_RENDERER = env_bool("FAST_FORM_RENDERER", True)
LETTERS_COMPACT_FONTS = env_bool("LETTERS_COMPACT_FONTS", True)
FORM_RENDERER = (
    "cases.renderers.FastFormRenderer" if FAST_FORM_RENDERER else "django.forms.renderers.DjangoTemplates"
)

# Staff are reviewers, not owners (issue 16). With REVIEW_ASSIGNED_ONLY a reviewer
# opens only the cases assigned to them (superusers assign and see all); on by
# default in production, off locally so the demo reviewer sees the demo case.
REVIEW_ASSIGNED_ONLY = env_bool("REVIEW_ASSIGNED_ONLY", not DEBUG)

# Limits that keep one user from tying up the service for others (issue 16). Each
# has an environment variable of the same name; the messages name the limit.
CASE_MAX_CONTACTS = int(os.environ.get("CASE_MAX_CONTACTS", "500"))
CASE_MAX_EVIDENCE_FILES = int(os.environ.get("CASE_MAX_EVIDENCE_FILES", "100"))
USER_MAX_EVIDENCE_FILES = int(os.environ.get("USER_MAX_EVIDENCE_FILES", "300"))
# Width × height, whatever the bit depth: a 1-bit PNG of 10 KB can hold 80 million pixels,
# and every pixel costs 3 bytes once the evidence bundle converts it to RGB.
EVIDENCE_MAX_IMAGE_PIXELS = int(os.environ.get("EVIDENCE_MAX_IMAGE_PIXELS", "50000000"))
LETTER_MAX_PAGES = int(os.environ.get("LETTER_MAX_PAGES", "40"))
USER_MAX_CASES = int(os.environ.get("USER_MAX_CASES", "10"))
USER_MAX_CASES_PER_HOUR = int(os.environ.get("USER_MAX_CASES_PER_HOUR", "3"))
# The most rows a formset (debts) accepts; a larger TOTAL_FORMS is refused before any form is built.
FORMSET_MAX_FORMS = int(os.environ.get("FORMSET_MAX_FORMS", "50"))
# A letter render in the worker: wall-clock seconds and address space (bytes) before it is stopped.
RENDER_TIME_LIMIT = int(os.environ.get("RENDER_TIME_LIMIT", "60"))
RENDER_MEMORY_LIMIT = int(os.environ.get("RENDER_MEMORY_LIMIT", str(1536 * 1024 * 1024)))
# A render queued this long ago and not finished is taken as lost (worker killed) and may be queued again.
RENDER_REQUEUE_AFTER = timedelta(seconds=int(os.environ.get("RENDER_REQUEUE_AFTER", "300")))
# Uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE spool to the private storage's own
# ".uploads" folder (cases.uploads), not the system's /tmp: `check_storage` reports what a crash leaves.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "cases.uploads.PrivateTemporaryFileUploadHandler",
]
# django-axes: besides username + address, one account across all addresses is locked after
# AXES_ACCOUNT_FAILURE_LIMIT failures (spread guessing); a password reset lifts it.
AXES_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("AXES_ACCOUNT_FAILURE_LIMIT", "20"))
