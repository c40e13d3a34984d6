"""Production refuses to start without its secret; development needs none."""

import os
import subprocess
import sys

from django.conf import settings


def _import_settings(module, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(DJANGO_READ_DOT_ENV_FILE="false", **env)
    return subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _import_settings("config.settings.production", DJANGO_ALLOWED_HOSTS="thidua.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_starts_with_its_secrets():
    result = _import_settings(
        "config.settings.production",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="thidua.example",
    )
    assert result.returncode == 0, result.stderr


def test_local_settings_work_without_any_environment():
    assert _import_settings("config.settings.local").returncode == 0


def test_connections_are_persistent_with_health_checks():
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    code = (
        "from config.settings import local as s; d = s.DATABASES['default'];"
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["60", "True"]
