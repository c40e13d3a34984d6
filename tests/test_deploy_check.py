"""`manage.py check --deploy` is clean on the production settings: HTTPS redirect, HSTS,
Secure cookies, a strong secret key, a real mailer. The one silenced check
(security.W021, HSTS preload) is a documented decision in config/settings/production.py."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def _check_deploy(**env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_READ_DOT_ENV_FILE="false",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="thidua.example.vn",
        DATABASE_URL="sqlite:///:memory:",
        DJANGO_EMAIL_URL="smtp+tls://thidua:secret@mail.example.vn:587",
    )
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_on_the_production_settings():
    result = _check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_check_deploy_catches_a_weakened_production():
    """The test above would pass vacuously if the checks did not run: turning HSTS off
    and keeping the console mailer is reported."""
    result = _check_deploy(DJANGO_SECURE_HSTS_SECONDS="0", DJANGO_EMAIL_URL="consolemail://")
    assert result.returncode != 0
    assert "security.W004" in result.stderr
    assert "mail.E001" in result.stderr
