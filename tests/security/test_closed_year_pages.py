"""A closed year is read-only through its pages too: every view that takes a POST
on a bloc-year, posted to by each person who could write to it while it was open,
answers with a refusal or a message (never a server error) and writes nothing.

What is posted is what the page offered while the year was open: its forms as
they were shown (:func:`tests.security.fuzz_support.page_forms`), so the post
gets past the form to the service, whose refusal the view must turn into a
message; a POST-only button posts its access table ``data``.

``tests/test_closed_year.py`` calls each service on a closed year; this walks the
URLconf (:mod:`.urlconf`), so a new view that forgets to turn the services'
refusal into a message fails here. "Writes nothing" is read from the audit
history: every audited write adds a version (``tests/demo/test_audit_walk.py``),
so no new version anywhere means no change.
"""

import pytest
from django.urls import reverse

from blocs.models import BlocYear
from blocs.stages import Stage
from members import audit

from .access import OK
from .access_table import TABLE
from .fuzz_pages import page_forms
from .urlconf import named_urls
from .world import use_session

# Views' answers, the same on any database: run once, on SQLite (Makefile PG_MARKERS).
pytestmark = [pytest.mark.django_db, pytest.mark.matrix]

URLS = named_urls()
#: No documents issued beforehand (conftest's ``world``): these posts never reach them.
WORLD_DOCUMENTS = ()
#: Who writes to a bloc-year while it is open.
WRITERS = ("member", "secretariat", "board", "admin")
#: Writes a closed year allows on purpose (see tests/test_closed_year.py): the board's
#: decisions (the decree often arrives after the year is closed) and opening the next
#: year from the closing's own result.
ALLOWED = {"awards:board_decide", "awards:next_year"}
#: The documents only render (and number) the closed year's unchanged records.
DOCUMENT_ISSUING = {"awards:issue"}


def _year_posts():
    for name, url in sorted(URLS.items()):
        entry = TABLE.get(name)
        if entry is None or entry.post is None or "year" not in url.arguments:
            continue
        if name in ALLOWED | DOCUMENT_ISSUING:
            continue
        # Those the access table lets post while the year is open (the others are
        # refused whatever the stage: test_access_matrix).
        for role in [r for r in WRITERS if entry.post.get(r) == OK] or ["secretariat"]:
            yield pytest.param(name, role, id=f"{name}-{role}")


def _versions() -> int:
    return sum(audit.historical_model(model).objects.count() for model in audit.audited_models())


def _posts_as_offered(client, entry, url, role) -> list[dict]:
    """The page's forms posting to ``url`` as shown to ``role`` (the year still open)."""
    if entry.get is None or entry.get.get(role) != OK:
        return [dict(entry.data)]
    response = client.get(url)
    if response.status_code != 200:
        return [dict(entry.data)]
    forms = page_forms(response.content.decode(), url)
    return [form.base() for form in forms] or [dict(entry.data)]


@pytest.mark.parametrize(("name", "role"), list(_year_posts()))
def test_a_post_to_a_closed_year_is_refused_and_writes_nothing(world, client, name, role):
    entry = TABLE[name]
    url = reverse(name, kwargs=entry.kwargs(URLS[name].arguments, world))
    use_session(client, world, role)
    posts = _posts_as_offered(client, entry, url, role)
    BlocYear.objects.filter(bloc_id=world.ids["bloc"]).update(stage=Stage.CLOSED)
    before = _versions()

    for data in posts:
        response = client.post(url, data)
        assert response.status_code in (200, 302, 403, 404), (name, role, response.status_code)
    assert _versions() == before, f"POST {url} ({name}) as {role} wrote to a closed year"
