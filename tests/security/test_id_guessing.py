"""No object is reached by guessing ids across blocs or provinces.

For every URL with an object id, each role that the access table lets in (bloc A's member
leader, its secretariat, its province's board) keeps the rest of the URL and swaps one id
for the id of the same kind of object outside its scope: another bloc's for the member and
the secretariat (bloc B, same province; and another year's of their own bloc, which its
own year's pages alone reach), another province's for the board (province Q), and an id
that does not exist. The answer is 403 or 404, never the object: evidence
files, every PDF, the Excel exports and the history pages included. The verification page
opens by its random token only.
"""

import uuid

import pytest
from django.urls import reverse

from .access import LOGIN, OK, REDIRECT
from .access_table import TABLE
from .urlconf import named_urls, outcome
from .world import ID_KINDS, YEARS, use_session

#: Only the covenant is issued: the verification page needs one document.
WORLD_DOCUMENTS = ("covenants:pdf",)

# Views' answers, the same on any database: run once, on SQLite (Makefile PG_MARKERS).
pytestmark = [pytest.mark.django_db, pytest.mark.matrix]

URLS = named_urls()
#: Who guesses, and where the foreign id comes from for them.
GUESSERS = {
    "member": "other_bloc",
    "secretariat": "other_bloc",
    "board": "other_province",
    "chair_leader": "other_bloc",
}
#: The chair agency's leader is no role of the table: the pages only they open.
CHAIR_LEADER_PAGES = {"blocs:delegation_grant", "blocs:delegation_revoke"}
#: Swaps that stay in the guesser's scope by design: an agency's page is open to everyone
#: working in its province.
IN_SCOPE = {("blocs:agency", "pk", "other_bloc")}
REFUSED = ("forbidden", "not_found")
#: An id nothing has (a province code for ``code``).
MISSING = {"code": "khong-co-tinh-nay"}


def _kind(entry, argument) -> str | None:
    """The kind of object a URL argument names, or None when it is not an id."""
    if argument in entry.fixed or argument in ("year", "period"):
        return None
    kind = entry.world_key(argument).rsplit(".", 1)[-1]
    return kind if kind in ID_KINDS else None


def _lets_in(name, role, method) -> bool:
    expected = TABLE[name].expected(method)
    if expected is None:
        return False
    if role == "chair_leader":
        return name in CHAIR_LEADER_PAGES
    return expected[role] in (OK, REDIRECT)


def _method(name, role) -> str | None:
    """How ``role`` reaches the URL at home: by GET if it may, else by POST."""
    return next((m for m in ("get", "post") if _lets_in(name, role, m)), None)


def _cases():
    """(URL name, argument, role) for every id of every URL and every guesser the table
    lets in; the first guesser of each id also tries one that does not exist."""
    for name, url in sorted(URLS.items()):
        if name not in TABLE:
            continue  # test_access_matrix names it
        for argument in url.arguments:
            if _kind(TABLE[name], argument) is None:
                continue
            roles = [role for role in GUESSERS if _method(name, role)]
            for role in roles:
                missing = role == roles[0]
                if (name, argument, GUESSERS[role]) in IN_SCOPE and not missing:
                    continue
                case_id = f"{name}-{argument}-{role}"
                yield pytest.param(name, argument, role, missing, id=case_id)


CASES = list(_cases())


def _outcome(client, world, name, kwargs, role, method):
    use_session(client, world, role)
    url = reverse(name, kwargs=kwargs)
    if method == "get":
        return url, outcome(client.get(url))
    return url, outcome(client.post(url, dict(TABLE[name].data)))


def _other_years(world, entry, argument) -> list:
    """The same kind of object from another year of bloc A: reachable through its own
    year's pages only, so that a closed or final year cannot be changed through an open
    one's URL."""
    key = entry.world_key(argument)
    if "." not in key:
        return []
    year, kind = key.split(".")
    return [
        value
        for other, value in world.ids.items()
        if other.endswith(f".{kind}") and not other.startswith(f"{year}.")
    ]


@pytest.mark.parametrize(("name", "argument", "role", "missing"), CASES)
def test_a_foreign_or_missing_id_is_refused(world, client, name, argument, role, missing):
    entry = TABLE[name]
    kwargs = entry.kwargs(URLS[name].arguments, world)
    method, source = _method(name, role), GUESSERS[role]
    foreign = getattr(world, source).get(_kind(entry, argument))
    guesses = [] if foreign is None or (name, argument, source) in IN_SCOPE else [foreign]
    if source == "other_bloc" and "year" in kwargs:
        guesses += _other_years(world, entry, argument)
    if missing:
        guesses.append(MISSING.get(argument, 999_999))
    assert guesses, "nothing to guess"
    for guess in guesses:
        swapped = {**kwargs, argument: guess}
        if argument == "pk" and "year" in kwargs and guess == foreign:
            # A year the other bloc has, so that only the scope can refuse it.
            swapped["year"] = YEARS["done"]
        url, got = _outcome(client, world, name, swapped, role, method)
        assert got in REFUSED, f"{method.upper()} {url} as {role} ({source}): {got}"


#: The URLs with an id that an anonymous visitor is sent to log in for.
SIGNED_IN_ONLY = sorted(
    name
    for name, url in URLS.items()
    if name in TABLE
    and any(_kind(TABLE[name], argument) for argument in url.arguments)
    and (TABLE[name].get or TABLE[name].post)["anonymous"] == LOGIN
)


@pytest.mark.parametrize("name", SIGNED_IN_ONLY)
def test_an_anonymous_visitor_learns_nothing_from_an_id(world, client, name):
    """Sent to log in whatever the id, so ids cannot be probed without an account."""
    entry = TABLE[name]
    method = "get" if entry.get else "post"
    kwargs = entry.kwargs(URLS[name].arguments, world)
    for argument in URLS[name].arguments:
        if _kind(entry, argument):
            guess = {**kwargs, argument: MISSING.get(argument, 999_999)}
            url, got = _outcome(client, world, name, guess, "anonymous", method)
            assert got == LOGIN, f"{method.upper()} {url} as anonymous: {got}"


def test_every_id_is_guessed_by_someone():
    """An id no guesser may use at home would escape the test above: the table must let
    the member, the secretariat or the board in for each URL with an id (or say why)."""
    guessed = {(name, argument) for name, argument, _role, _missing in (c.values for c in CASES)}
    unguessed = sorted(
        f"{name} ({argument})"
        for name, url in URLS.items()
        if name in TABLE
        for argument in url.arguments
        if _kind(TABLE[name], argument) and (name, argument) not in guessed
    )
    assert unguessed == [], f"No role guesses these ids: {unguessed}"


def test_the_verification_page_opens_by_its_random_token_only(world, client):
    """Public, so its key is a random UUID: an unknown one is 404, and no route takes
    the register's integer ids."""
    assert client.get(reverse("verify_document", args=[world.ids["token"]])).status_code == 200
    assert client.get(reverse("verify_document", args=[uuid.uuid4()])).status_code == 404
    assert client.get("/verify/1/").status_code == 404
    assert URLS["verify_document"].route == "verify/<uuid:token>/"
