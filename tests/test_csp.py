"""The Content-Security-Policy: every HTML page carries it without 'unsafe-inline', and the
main pages have nothing it would block (no style attribute, no <style> element, no inline
script without the request's nonce, no event-handler attribute, no javascript: link). PDFs
shown inline get no policy, which would break the browser's own viewer.

The templates are also read directly, so a page not rendered here cannot bring back an
inline style or script. The browser tests (tests/browser) fail on any violation Chromium
reports."""

import re
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from blocs.models import MemberRole
from members.models_documents import IssuedDocument
from tests.awards.voting_factories import open_poll, register, voting_year
from tests.members.factories import BoardUserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

HEADER = "Content-Security-Policy"
WORLD = {}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """A bloc-year at its conference (scores final, ranking published) with a flag poll
    open, its secretariat, a member's leader who has not voted, and the board; built
    once for the module, each test rolled back, the database emptied afterwards."""
    with django_db_blocker.unblock():
        bloc_year, secretariat, leaders = voting_year(members=4)
        register(bloc_year, secretariat)
        poll = open_poll(bloc_year, secretariat)
        vice_chair = bloc_year.memberships.get(role=MemberRole.VICE_CHAIR).agency
        WORLD.update(
            bloc_year=bloc_year,
            poll=poll,
            member=vice_chair,
            users={
                "secretariat": secretariat,
                "leader": leaders[vice_chair.pk],
                "board": BoardUserFactory(board_province=bloc_year.bloc.province),
            },
        )
        yield
        WORLD.clear()
        call_command("flush", interactive=False, verbosity=0)


def _year_args():
    return [WORLD["bloc_year"].bloc_id, WORLD["bloc_year"].year]


PAGES = {
    "home": ("secretariat", lambda: reverse("blocs:home")),
    "bloc overview": ("secretariat", lambda: reverse("blocs:year", args=_year_args())),
    "scoring sheet": ("secretariat", lambda: reverse("covenants:sheet", args=_year_args())),
    "score sheet": (
        "secretariat",
        lambda: reverse(
            "covenants:score_sheet", args=[*_year_args(), "year_end", WORLD["member"].pk]
        ),
    ),
    "ranking": (
        "secretariat",
        lambda: reverse("covenants:ranking", args=[*_year_args(), "year_end"]),
    ),
    "results with charts": (
        "leader",
        lambda: reverse("covenants:score_results", args=[*_year_args(), WORLD["member"].pk]),
    ),
    "conference": ("secretariat", lambda: reverse("awards:conference", args=_year_args())),
    "vote": ("leader", lambda: reverse("awards:vote", args=[*_year_args(), WORLD["poll"].pk])),
    "board inbox": (
        "board",
        lambda: reverse(
            "awards:board_inbox",
            args=[WORLD["bloc_year"].bloc.province.code, WORLD["bloc_year"].year],
        ),
    ),
    "login": (None, lambda: reverse("login")),
}

# Classes that replaced style attributes: the chart's size, the sheet's indentation, the
# ballot's large tick boxes.
MARKERS = {
    "scoring sheet": 'class="indent-1"',
    "ranking": '<svg xmlns="http://www.w3.org/2000/svg" class="chart"',
    "results with charts": '<svg xmlns="http://www.w3.org/2000/svg" class="chart"',
    "vote": "ballot-check",
}


class _InlineFinder(HTMLParser):
    """What a policy without 'unsafe-inline' blocks, found in parsed HTML."""

    def __init__(self, nonce):
        super().__init__()
        self.nonce = nonce
        self.blocked = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        line = self.getpos()[0]
        if "style" in attrs:
            self.blocked.append(f"line {line}: style attribute on <{tag}>")
        handlers = [name for name in attrs if name.startswith("on")]
        if handlers:
            self.blocked.append(f"line {line}: event handler {handlers} on <{tag}>")
        if any((attrs.get(name) or "").strip().lower().startswith("javascript:") for name in attrs):
            self.blocked.append(f"line {line}: javascript: URL on <{tag}>")
        inline = tag == "style" or (tag == "script" and "src" not in attrs)
        if inline and (not self.nonce or attrs.get("nonce") != self.nonce):
            self.blocked.append(f"line {line}: inline <{tag}> without the request's nonce")


def _policy(response) -> dict:
    directives = (part.strip().split() for part in response[HEADER].split(";") if part.strip())
    return {name: values for name, *values in directives}


def _nonce(policy) -> str | None:
    for value in policy.get("script-src", []):
        if match := re.fullmatch(r"'nonce-(.+)'", value):
            return match.group(1)
    return None


@pytest.mark.parametrize("name", PAGES)
def test_main_pages_carry_the_policy_and_nothing_it_blocks(client, name):
    who, url = PAGES[name]
    if who:
        client.force_login(WORLD["users"][who])
    response = client.get(url(), follow=True)  # home sends each person to their page
    assert response.status_code == 200

    assert "unsafe-inline" not in response[HEADER]
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    finder = _InlineFinder(_nonce(policy))
    finder.feed(response.content.decode())
    assert finder.blocked == []
    if name in MARKERS:  # the part that once had a style attribute is on the page
        assert MARKERS[name] in response.content.decode()


def test_an_inline_pdf_has_no_policy_and_its_verification_page_has_one(client):
    client.force_login(WORLD["users"]["secretariat"])
    pdf = client.get(reverse("covenants:ranking_pdf", args=[*_year_args(), "year_end"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline")
    assert HEADER not in pdf

    client.logout()
    issued = IssuedDocument.objects.get()
    page = client.get(reverse("verify_document", args=[issued.token]))
    assert page.status_code == 200
    assert "unsafe-inline" not in page[HEADER]
    finder = _InlineFinder(None)
    finder.feed(page.content.decode())
    assert finder.blocked == []
    assert HEADER in client.get(reverse("verify_document", args=[uuid.uuid4()]))  # the 404


def _screen_templates():
    """Templates rendered for browsers: not the PDFs' (WeasyPrint ignores the policy)."""
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        if "pdf" not in path.relative_to(Path(settings.BASE_DIR) / "templates").parts:
            yield path


def test_no_screen_template_has_an_inline_style_or_script():
    offenders = []
    for path in _screen_templates():
        text = path.read_text()
        for pattern in (
            r"\sstyle\s*=",
            r"<style[\s>]",
            r"<script(?![^>]*\s(?:src|nonce)=)[^>]*>",
            r"\son[a-z]+\s*=",
            r"javascript:",
        ):
            offenders += [f"{path}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert offenders == []
