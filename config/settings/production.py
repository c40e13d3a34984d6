"""Production: every secret must come from the environment.

Importing this module without ``DJANGO_SECRET_KEY`` raises
``ImproperlyConfigured`` so a misconfigured server never starts.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

# HTTPS ends at the reverse proxy (nginx, docs/deployment.md), which sets
# X-Forwarded-Proto and X-Real-IP itself; only the proxy may reach the application
# server, or a client could forge both headers.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# A load balancer probes the application server directly over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
CLIENT_IP_HEADER = env("DJANGO_CLIENT_IP_HEADER", default="X-Real-IP")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# HSTS for a year (browsers then refuse plain HTTP and certificate bypasses for the host).
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading is off by default, and its check (security.W021) silenced while it is: the
# site usually runs on a subdomain of an agency's domain (thidua.<tinh>.gov.vn), and the
# preload list takes only whole registrable domains, a decision for the owner of the
# domain that binds every subdomain and takes months to undo. Set
# DJANGO_SECURE_HSTS_PRELOAD=true where the site owns its domain and submits it.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

STORAGES = {
    **STORAGES,  # noqa: F405 - default and private from base
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
