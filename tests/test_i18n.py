"""Vietnamese first, English on request; catalogs complete; local formats."""

import datetime
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

CATALOG = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_pages_are_vietnamese_by_default_even_for_english_browsers(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert response["Content-Language"] == "vi"


def test_the_language_switcher_turns_the_ui_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert '<html lang="vi">' in client.get(reverse("login")).content.decode()


def test_every_vietnamese_entry_is_translated_and_none_is_fuzzy():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOG)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


def test_the_catalog_covers_every_string_in_the_code(tmp_path):
    """A new gettext string without a translation fails here, not in front of users."""
    sources = [
        str(p)
        for app in ("config", "members", "blocs", "covenants", "awards")
        for p in Path(settings.BASE_DIR, app).rglob("*.py")
        if "migrations" not in p.parts
    ]
    templates = [str(p) for p in Path(settings.BASE_DIR, "templates").rglob("*.html")]
    pot = tmp_path / "code.pot"
    subprocess.run(
        [
            "xgettext",
            "--from-code=UTF-8",
            "-L",
            "Python",
            "--keyword=gettext_lazy",
            "--keyword=ngettext:1,2",
            "--keyword=pgettext:1c,2",
            "-o",
            str(pot),
            *sources,
        ],
        check=True,
    )
    code_ids = set(re.findall(r'^msgid "(.+)"$', pot.read_text(), flags=re.M))
    catalog_ids = set(re.findall(r'^msgid "(.+)"$', CATALOG.read_text(), flags=re.M))
    missing = code_ids - catalog_ids
    assert not missing, f"Run `make messages` and translate: {sorted(missing)[:10]}"
    assert templates  # template strings are checked page by page in the view tests


def test_dates_are_day_first_and_decimals_use_a_comma_in_vietnamese():
    template = Template('{{ day|date:"SHORT_DATE_FORMAT" }} {{ score }}')
    context = Context({"day": datetime.date(2026, 3, 5), "score": Decimal("95.5")})
    with translation.override("vi"):
        assert template.render(context) == "05/03/2026 95,5"
    with translation.override("en"):
        assert template.render(context) == "05/03/2026 95.5"


def test_day_first_dates_are_accepted_in_forms():
    from blocs.forms import MembershipForm

    with translation.override("vi"):
        form = MembershipForm(data={"joined_on": "05/03/2026", "left_on": ""})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["joined_on"] == datetime.date(2026, 3, 5)


def test_time_zone_is_vietnam():
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
