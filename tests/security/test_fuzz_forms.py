"""Hostile input to every form of the site (hypothesis): never a server error,
a rejected post says why next to the field (or at the form's top, or in a
message) and changes nothing, an accepted one leaves rows that pass
``full_clean()``. The same holds for a form posted twice as the page shows it
(a double click, a resent request): the second post is judged against what
the first left.

The list of pages comes from the URLconf: every URL whose view takes a POST
needs an entry in :mod:`tests.security.fuzz_entries`, so a new form page is
fuzzed as soon as it exists, or this module fails with "no fuzz entry".
The world (:mod:`tests.security.fuzz_world`) is built once for the module;
each example posts inside a savepoint rolled back afterwards.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.security.fuzz_entries import ENTRIES, NOT_FUZZED
from tests.security.fuzz_pages import PageField, PageForm, page_forms
from tests.security.fuzz_support import (
    WorldSnapshot,
    check_outcome,
    encode,
    hostile_post,
    post_and_roll_back,
    table_rows,
    written_tables,
)
from tests.security.fuzz_world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    """The world, built once: each test runs in a transaction rolled back
    after it, each example in a savepoint; the database is emptied when the
    module is done."""
    with django_db_blocker.unblock():
        w = build_world()
        w.snapshot = WorldSnapshot()
        yield w
        call_command("flush", interactive=False, verbosity=0, stdout=StringIO())


def _post_url_names(patterns=None, namespace="") -> set[str]:
    """Names of the project's URLs whose view accepts POST (admin's aside)."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _post_url_names(pattern.url_patterns, inner)
            continue
        assert isinstance(pattern, URLPattern)
        view = getattr(pattern.callback, "view_class", None)
        allowed = getattr(view, "http_method_names", []) if view else []
        takes_post = (view is not None and hasattr(view, "post") and "post" in allowed) or (
            view is None and getattr(pattern.callback, "__name__", "") == "set_language"
        )
        if takes_post:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_post_url_has_a_fuzz_entry():
    names = _post_url_names()
    covered = {key.split("[")[0] for key in ENTRIES} | set(NOT_FUZZED)
    assert not names - covered, f"no fuzz entry for {sorted(names - covered)}"
    assert not covered - names, f"fuzz entries for unknown URLs: {sorted(covered - names)}"


def _forms(client, entry, url, world) -> tuple[str, list[PageForm]]:
    """(where to post, the forms to fuzz) for an entry."""
    if entry.fields is not None:
        return url, [PageForm(action=url, fields=_button_fields(entry.fields))]
    page = url
    if entry.page is not None:
        name, kwargs = entry.page
        page = reverse(name, kwargs=kwargs(world))
    response = client.get(page, follow=True)
    assert response.status_code == 200, f"GET {page}: {response.status_code}"
    if response.redirect_chain:
        # The one-time links move their token into the session, then show the form.
        page = url = response.request["PATH_INFO"]
    forms = page_forms(response.content.decode(), url)
    assert forms, f"no form posting to {url} on {page}"
    return url, forms


def _button_fields(fields: dict) -> dict:
    return {name: PageField(name, "text", values=[value]) for name, value in fields.items()}


@pytest.mark.parametrize("key", sorted(ENTRIES))
def test_hostile_posts(key, fuzz_world):
    world = fuzz_world
    entry = ENTRIES[key]
    client = Client()
    if entry.user is not None:
        client.force_login(getattr(world, entry.user))
    url = reverse(key.split("[")[0], kwargs=entry.kwargs(world))
    url, forms = _forms(client, entry, url, world)
    examples = entry.examples or hypothesis_settings.default.max_examples

    @hypothesis_settings(max_examples=examples)
    @given(data=st.data())
    def fuzz(data):
        form = data.draw(st.sampled_from(forms), label="form")
        post = data.draw(hostile_post(form, entry.files), label="post")
        outcome = post_and_roll_back(client, url, post, world.snapshot)
        check_outcome(outcome, statuses=entry.statuses, quiet=entry.quiet)

    fuzz()


class _SnapshotAfter(WorldSnapshot):
    """The world's snapshot with the tables a first post wrote read again, so a
    second post is judged against what the first one left."""

    def __init__(self, base: WorldSnapshot, tables):
        self.models = base.models
        self.rows = dict(base.rows)
        for table in tables:
            if table in self.models:
                self.rows[table] = table_rows(self.models[table])


@pytest.mark.parametrize("key", sorted(ENTRIES))
def test_a_form_posted_twice(key, fuzz_world):
    """Each form as the page shows it, posted twice in a row: the second post
    is refused with a message or accepted with valid rows, never an error."""
    world = fuzz_world
    entry = ENTRIES[key]
    client = Client()
    if entry.user is not None:
        client.force_login(getattr(world, entry.user))
    url = reverse(key.split("[")[0], kwargs=entry.kwargs(world))
    url, forms = _forms(client, entry, url, world)
    for form in forms:
        data = form.base()
        with transaction.atomic():
            with CaptureQueriesContext(connection) as first_queries:
                first = client.post(url, encode(data))
            assert first.status_code in entry.statuses, (url, first.status_code)
            after = _SnapshotAfter(world.snapshot, written_tables(first_queries.captured_queries))
            second = post_and_roll_back(client, url, data, after)
            if not (second.changes or second.messages) and _shows_a_status(second.response):
                transaction.set_rollback(True)
                continue  # the page itself says why (e.g. "your agency has voted")
            # A second removal finds nothing to remove: 404, and nothing changes.
            check_outcome(second, statuses=(*entry.statuses, 404), quiet=entry.quiet)
            transaction.set_rollback(True)


def _shows_a_status(response) -> bool:
    """A page answering the second post with a notice of its own (an alert)."""
    html = response.content.decode() if response.status_code == 200 else ""
    return 'role="alert"' in html or ('role="status"' in html and 'class="alert' in html)
