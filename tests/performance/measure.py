"""Request every GET page of the access table once, counting its queries.

The pages come from the URLconf through the authorization tests' table
(:mod:`tests.security.access_table`), so a new page is measured without being listed
here. Each page is requested as one role that may open it (:data:`PREFERRED`), with the
URL's arguments taken from a :class:`.world.BlocWorld`.

Downloads count as pages: the PDFs of the done year are *issued* by their first request
(numbered, rendered, stored), so each world renders each document once, in the same
order (:func:`page_order`), and later requests (the dossier) find them stored.
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from covenants.issuing import bloc_document_key
from members.models import IssuedDocument
from tests.security.access import OK, REDIRECT
from tests.security.access_table import TABLE
from tests.security.urlconf import named_urls, outcome
from tests.security.world import DOCUMENTS
from tests.utils import cold

__all__ = ["PREFERRED", "Measure", "measure_all", "page_order", "role_for"]

#: Who opens a page, the first of these it opens for: the secretariat's pages are the
#: busiest, then the board's, a member's, the site admin's.
PREFERRED = ("secretariat", "board", "member", "admin")

#: Requested after the documents are issued: the dossier packs them, the verification
#: page shows one.
_LAST = ("awards:dossier", "verify_document")
#: Measured on their second request: the dossier's first download issues every document
#: it packs that was not issued yet (a register number, a rendering and a stored PDF per
#: nominee's report: writes that happen once per document); what every later download
#: costs is what must not grow.
_SECOND_REQUEST = frozenset({"awards:dossier"})


@dataclass(frozen=True)
class Measure:
    url: str
    role: str
    expected: str  # "ok" or "redirect"
    got: str
    queries: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.queries)


def role_for(name: str) -> tuple[str, str] | None:
    """The role that requests ``name`` and the outcome it expects (a page first, else
    the redirect of a landing page); None for a URL the table does not declare."""
    entry = TABLE.get(name)
    if entry is None or entry.get is None:
        return None
    for expected in (OK, REDIRECT):
        for role in PREFERRED:
            if entry.get.get(role) == expected:
                return role, expected
    return None


def page_order() -> list[str]:
    """Every named URL with a GET (the table's POST-only actions left out), documents
    first, then the other pages by name, then :data:`_LAST`."""
    urls = named_urls()
    gets = {name for name in urls if name not in TABLE or TABLE[name].get is not None}
    documents = [name for name in DOCUMENTS if name in gets and name not in _LAST]
    rest = sorted(gets - set(documents) - set(_LAST))
    return documents + rest + [name for name in _LAST if name in gets]


def _warm_caches() -> None:
    """Content types are cached per process: load them all first, so a page's count does
    not depend on which page asked for one first."""
    ContentType.objects.get_for_models(*apps.get_models())


def _token(world) -> str | None:
    issued = IssuedDocument.objects.filter(
        entry__key=bloc_document_key(world.done_year, "minutes")
    ).first()
    return issued.token if issued else None


def _read(response) -> None:
    """A streamed download (a stored file) is read to its end, as a browser would (the
    test client closes it then, keeping the world's connection open)."""
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)


def _measure(name, world) -> Measure:
    role, expected = role_for(name)
    entry = TABLE[name]
    url = reverse(name, kwargs=entry.kwargs(named_urls()[name].arguments, world))
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    if name in _SECOND_REQUEST:
        _read(client.get(url))
    cold()  # the budget is the page built from the database, not from cached fragments
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        _read(response)
    queries = tuple(query["sql"] for query in captured.captured_queries)
    return Measure(url=url, role=role, expected=expected, got=outcome(response), queries=queries)


def measure_all(world) -> dict[str, Measure | Exception]:
    """Every page of :func:`page_order` requested once on ``world`` (an exception is kept
    as the page's result, so one broken page fails alone)."""
    _warm_caches()
    results: dict[str, Measure | Exception] = {}
    for name in page_order():
        if name == "verify_document":
            world.ids["token"] = _token(world)
        if role_for(name) is None:
            continue
        try:
            # A savepoint: a page that fails leaves the next one a working transaction.
            with transaction.atomic():
                results[name] = _measure(name, world)
        except Exception as error:  # reported by the page's test
            results[name] = error
    return results
