"""Logging in: the throttle (django-axes) locks a username out from one address after
five wrong passwords for fifteen minutes, on a translated page; the session, CSRF and
language cookies are HttpOnly and SameSite=Lax, and Secure with the production settings;
the invitation page refuses a weak password in Vietnamese."""

import datetime
import importlib
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.urls import reverse

from members.services import invitation_url
from tests.members.factories import AgencyLeaderFactory, UserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db

PASSWORD = "Thi-dua-2026!"


@pytest.fixture
def person():
    return UserFactory(username="lan", password=PASSWORD)


def _attempt(client, password, *, address="192.0.2.10", **headers):
    return client.post(
        reverse("login"),
        {"username": "lan", "password": password},
        REMOTE_ADDR=address,
        headers=headers,
    )


def _lock_out(client, **kwargs):
    for _attempt_number in range(django_settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, "wrong", **kwargs).status_code == 200  # the form, with its error
    return _attempt(client, "wrong", **kwargs)


def test_five_wrong_passwords_lock_the_username_out_from_that_address(client, person):
    assert django_settings.AXES_FAILURE_LIMIT == 5

    response = _lock_out(client)

    assert response.status_code == 429
    html = response.content.decode()
    assert vi("Too many failed logins") in html
    assert "15" in html[html.index('id="lockout-message"') :]
    assert reverse("password_reset") in html
    # Even the right password is refused while the lock lasts...
    assert _attempt(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # ...but only for this username from this address: the person logs in from elsewhere.
    assert _attempt(client, PASSWORD, address="192.0.2.99").status_code == 302


def test_the_lock_ends_after_fifteen_minutes(client, person):
    _lock_out(client)
    assert _attempt(client, PASSWORD).status_code == 429

    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )
    assert _attempt(client, PASSWORD).status_code == 302


def test_a_successful_login_clears_the_count(client, person):
    for _attempt_number in range(4):
        _attempt(client, "wrong")
    assert _attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _attempt_number in range(4):
        assert _attempt(client, "wrong").status_code == 200
    assert _attempt(client, PASSWORD).status_code == 302


def test_behind_the_proxy_the_address_it_reports_counts(client, person, settings):
    """Every request arrives from nginx; the lock follows the client's address."""
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    proxy = "127.0.0.1"
    assert _lock_out(client, address=proxy, X_Real_IP="198.51.100.7").status_code == 429
    assert _attempt(client, PASSWORD, address=proxy, X_Real_IP="198.51.100.8").status_code == 302
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"


@pytest.fixture
def production_cookies(settings, monkeypatch):
    """The cookie settings config.settings.production really sets."""
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "thidua.example.vn")
    monkeypatch.setenv("DJANGO_READ_DOT_ENV_FILE", "false")
    sys.modules.pop("config.settings.production", None)
    production = importlib.import_module("config.settings.production")
    sys.modules.pop("config.settings.production", None)
    for name in dir(production):
        if name.endswith(("_COOKIE_SECURE", "_COOKIE_HTTPONLY", "_COOKIE_SAMESITE")):
            setattr(settings, name, getattr(production, name))
    return production


def test_login_cookies_are_httponly_samesite_lax_and_secure_in_production(
    client, person, production_cookies
):
    client.get(reverse("login"))
    login = _attempt(client, PASSWORD)
    assert login.status_code == 302
    switch = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    profile = client.post(
        reverse("accounts:profile"),
        {"full_name": "Lan", "email": "lan@example.test", "preferred_language": "vi"},
    )
    assert profile.status_code == 302
    cookies = [
        login.cookies[django_settings.SESSION_COOKIE_NAME],
        login.cookies[django_settings.CSRF_COOKIE_NAME],  # rotated at login
        switch.cookies[django_settings.LANGUAGE_COOKIE_NAME],
        profile.cookies[django_settings.LANGUAGE_COOKIE_NAME],
    ]
    for morsel in cookies:
        assert morsel["httponly"] is True, morsel.key
        assert morsel["samesite"] == "Lax", morsel.key
        assert morsel["secure"] is True, morsel.key


def test_the_invitation_page_refuses_a_weak_password_in_vietnamese(client):
    invited = AgencyLeaderFactory(password=None)
    assert not invited.has_usable_password()
    form_url = client.get(invitation_url(invited, base_url="http://testserver")).url

    response = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})

    assert response.status_code == 200
    html = response.content.decode()
    assert vi("This password is too common.") in html
    assert vi("This password is entirely numeric.") in html
    invited.refresh_from_db()
    assert not invited.has_usable_password()
