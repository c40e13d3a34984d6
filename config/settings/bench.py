"""The benchmark (``make bench``): production-like, plus the floor page.

Pages are measured as production runs them: DEBUG off (cached template loaders),
persistent database connections (``CONN_MAX_AGE``) with health checks, the full
middleware stack. What differs from production is what a benchmark on one machine
cannot have: plain HTTP (no HTTPS redirect, no Secure cookies), a throwaway secret key,
mail kept in memory, and files written under a temp dir (``scripts/bench.sh`` sets
``DJANGO_MEDIA_ROOT`` and ``DJANGO_PRIVATE_MEDIA_ROOT``).

``config.bench`` is installed only here: its commands (``bench``, ``bench_measure``)
and its URLconf, which adds the *floor* page (``/bench/floor/``: the same middleware, the
session's user loaded, a tiny template) to the site's URLs. Production and the tests
keep ``config.urls``, so the floor is never an URL of the real site.
"""

import warnings

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, LOGGING, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="bench-only-not-secret")
# "testserver" is the in-process test client's host.
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = [*INSTALLED_APPS, "config.bench"]
ROOT_URLCONF = "config.bench.urls"
BENCH_FLOOR = True
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Sessions and users are created by the thousand for the ballots; the real hasher would
# only measure itself.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Request logs at INFO would measure the console.
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}

# Static files are served from the finders (as in the tests); collectstatic is not run.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
