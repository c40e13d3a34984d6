"""Reading pages in the cached-fragments tests (members.caching), shared by every app's
``test_*_caching.py``: a page read twice must be served from the cache the second time and
answer the same HTML, which differs only in the CSRF tokens each response draws anew."""

import re
from typing import NamedTuple

from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from members import caching

#: A form's CSRF input, its token in the group.
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def signed_in(user, **client_kwargs) -> Client:
    """A client signed in before any page is read: signing in writes the user's last
    login, which changes the data version, so a later sign-in would hide a cache hit."""
    client = Client(**client_kwargs)
    client.force_login(user)
    return client


def without_csrf(html: str) -> str:
    """``html`` with every CSRF token blanked (the inputs stay where they were)."""
    return CSRF_INPUT.sub('name="csrfmiddlewaretoken" value=""', html)


def read(client, url) -> tuple[str, int]:
    """The page (200, its CSRF tokens blanked) and how many queries it made."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return without_csrf(response.content.decode()), len(queries)


def read_cold(client, url) -> str:
    """The page built from the database, nothing cached: what a cached read must equal."""
    caches["fragments"].clear()
    return read(client, url)[0]


class TwoReads(NamedTuple):
    first: str
    second: str
    cold_queries: int
    warm_queries: int
    hits: int  # the cache hits of the second read


def read_twice(client, url) -> TwoReads:
    """The page read twice in a row (each as :func:`read`)."""
    first, cold_queries = read(client, url)
    hits = caching.stats.hits
    second, warm_queries = read(client, url)
    return TwoReads(first, second, cold_queries, warm_queries, caching.stats.hits - hits)
