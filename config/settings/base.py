"""Settings shared by every environment.

Values that differ between machines come from environment variables (see
``.env.example``); the defaults here are safe for local development only, and
``production.py`` refuses to start without the secrets it needs.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.contrib.messages import constants as message_constants
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=True) and (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))

# GENERAL
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# I18N / L10N: Vietnamese first, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# dd/mm/yyyy in both languages: the documents are Vietnamese administrative ones.
FORMAT_MODULE_PATH = ["config.formats"]

# DATABASES
# SQLite is the embedded default so a newcomer needs no server; production and
# CI's second run use PostgreSQL through psycopg 3.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# APPS
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    "simple_history",
    "axes",
]
# Dependency direction: members <- blocs <- covenants <- awards.
LOCAL_APPS = ["members", "blocs", "covenants", "awards"]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

AUTH_USER_MODEL = "members.User"
# The login throttle (django-axes) sees every authentication first and refuses it while
# the username is locked out from that address; UserBackend (Django's ModelBackend, which
# reads the user's agency with the user) then checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "members.backends.UserBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "blocs:home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header (SECURE_CSP below) on HTML pages.
    "config.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: the audit history records the request's user (members.audit).
    "simple_history.middleware.HistoryRequestMiddleware",
    # After authentication: falls back to the person's preferred language.
    "config.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A database error in a view: the 503 "nothing was saved" page (config.faults).
    "config.faults.DatabaseErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.csp",
                "blocs.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# CACHES: "fragments" keeps rendered pieces of pages under the data version
# (members.caching), so it needs no sharing between workers to stay correct: per process
# by default; point DJANGO_FRAGMENT_CACHE_URL at memcached or Redis to share the work.
# The timeout only bounds memory and the unlikely case of a token update lost after a
# commit (the database failing in between).
CACHES = {
    "default": env.cache("DJANGO_CACHE_URL", default="locmemcache://"),
    "fragments": env.cache("DJANGO_FRAGMENT_CACHE_URL", default="locmemcache://fragments"),
}
CACHES["fragments"]["TIMEOUT"] = 600
if CACHES["fragments"]["BACKEND"].endswith("LocMemCache"):
    # A fragment is 5-50 kB: at most ~50 MB per worker process. Only the fragments of the
    # current data version are ever read, and the oldest are dropped first.
    CACHES["fragments"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = 1000

# STATIC: Bootstrap comes from the npm registry at install time (package-lock.json),
# served from node_modules; never from a CDN, offices are often offline.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# Evidence files and other documents only some users may see: never under a
# URL the web server serves; views stream them after a permission check.
PRIVATE_MEDIA_ROOT = env.path("DJANGO_PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Evidence uploads (covenants.scores.evidence): size and types accepted.
EVIDENCE_MAX_BYTES = env.int("DJANGO_EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)

# BACKGROUND TASKS (django.tasks): long jobs such as the province-wide dossier are queued
# in the database and run by a separate worker process (`python manage.py db_worker`),
# so a queued job survives a restart of the web server. Tests use the same backend.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# EMAIL (Django 6.1 MAILERS, from one DJANGO_EMAIL_URL such as
# smtp+tls://user:password@mail.example.vn:587; the console in development)
_email = env.email_url("DJANGO_EMAIL_URL", default="consolemail://")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
    "timeout": 20,
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {k: v for k, v in _smtp_options.items() if v not in (None, "")}
        if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Thi đua <thidua@localhost>")

# SECURITY (hardened further in production.py: Secure cookies, HSTS, HTTPS redirect)
# No script reads a cookie, and none is needed on a link from another site: HttpOnly and
# SameSite=Lax on all three (a link from an email still arrives signed in).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy, in every environment so that development sees a violation at
# once. No 'unsafe-inline': pages carry no inline script and no style attribute (styles
# are classes in static/css/app.css, scripts files under static/js/); a script that must
# stay inline takes nonce="{{ csp_nonce }}". config.middleware sends it on HTML only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # Bootstrap draws its select arrows and toggler icons as data: SVG images.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# LOGIN THROTTLING (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is refused for AXES_COOLOFF_TIME (each new try during the
# lock starts the wait again); a successful login clears the count. Keyed on the pair, so
# a stranger cannot lock a colleague out from elsewhere, nor one office's shared address
# lock everyone in it. The admin lists attempts; `manage.py axes_reset_username` unlocks.
AXES_FAILURE_LIMIT = env.int("DJANGO_AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DJANGO_AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# Behind a reverse proxy REMOTE_ADDR is the proxy; production reads the header it sets.
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
CLIENT_IP_HEADER = env("DJANGO_CLIENT_IP_HEADER", default="")

# Bootstrap calls the error colour "danger".
MESSAGE_TAGS = {message_constants.ERROR: "danger"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(asctime)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs each step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes logs each failure, and every lock, at WARNING; INFO is its chatter.
        "axes": {"level": "WARNING"},
    },
}

# The public address of the site: QR codes on printed documents link to it
# (members.documents), so it cannot come from a request.
SITE_URL = env("DJANGO_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Product-level names shown in the layout.
SITE_NAME = _("Emulation bloc")
