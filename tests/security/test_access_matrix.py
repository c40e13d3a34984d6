"""Every named URL of the URLconf, requested as every role, against the access table.

The URLs come from the URLconf itself (:func:`.urlconf.named_urls`), so a new URL without
an entry in :mod:`.access_table` fails here, naming it. Each view that takes a POST must
declare who may post to it, and a POST by anyone else is refused (login, 403 or 404),
never answered by a page. POST-only actions are only posted to (their GET is Django's
405). Every request sends a session made once with the world (no login per test).
"""

import pytest
from django.urls import reverse

from .access import FORBIDDEN, LOGIN, NOT_FOUND
from .access_table import TABLE
from .urlconf import matches, named_urls, outcome, unnamed_urls
from .world import ROLES, use_session

# Views' answers, the same on any database: run once, on SQLite (Makefile PG_MARKERS).
pytestmark = [pytest.mark.django_db, pytest.mark.matrix]

URLS = named_urls()
#: Every URL but the POST-only actions (a URL without an entry is here, and fails).
GET_URLS = sorted(name for name in URLS if name not in TABLE or TABLE[name].get is not None)
#: The views that take a POST, and whatever the table says takes one.
POST_URLS = sorted(
    name
    for name, url in URLS.items()
    if url.takes_post or (name in TABLE and TABLE[name].post is not None)
)
REFUSALS = (LOGIN, FORBIDDEN, NOT_FOUND)


def _post_cases():
    """Each role the table refuses a POST to (a POST it allows changes something: that is
    the services' tests' business). A view without a ``post`` entry is one failing case."""
    for name in POST_URLS:
        entry = TABLE.get(name)
        if entry is None or entry.post is None:
            yield pytest.param(name, "anonymous", id=name)
            continue
        for role, expected in entry.post.items():
            if expected in REFUSALS:
                yield pytest.param(name, role, id=f"{name}-{role}")


def _check(client, world, name, role, method):
    entry = TABLE.get(name)
    assert entry is not None, (
        f"{name} has no entry in tests/security/access_table.py: declare who may open it"
    )
    expected = entry.expected(method)
    assert expected is not None, (
        f"{name} takes a POST: declare `post` (who may post) in its access table entry"
    )
    url = reverse(name, kwargs=entry.kwargs(URLS[name].arguments, world))
    use_session(client, world, role)
    response = client.get(url) if method == "get" else client.post(url, dict(entry.data))
    got = outcome(response)
    assert matches(got, expected[role], method=method), (
        f"{method.upper()} {url} ({name}) as {role}: {got}, declared {expected[role]}"
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", GET_URLS)
def test_get(world, client, name, role):
    _check(client, world, name, role, "get")


@pytest.mark.parametrize(("name", "role"), list(_post_cases()))
def test_post_is_refused(world, client, name, role):
    _check(client, world, name, role, "post")


def test_the_table_names_only_urls_that_exist():
    stale = sorted(TABLE.keys() - URLS.keys())
    assert not stale, f"Entries for URLs the URLconf no longer names: {stale}"


def test_post_is_declared_exactly_for_the_views_that_take_it():
    wrong = sorted(
        name
        for name, url in URLS.items()
        if name in TABLE
        and isinstance(url.view, type)
        and url.takes_post != (TABLE[name].post is not None)
    )
    assert not wrong, f"`post` declared for a view without a POST handler, or missing: {wrong}"


def test_every_route_has_a_name():
    """An unnamed route could not be listed in the table."""
    assert unnamed_urls() == []
