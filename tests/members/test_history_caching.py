"""The audit history page from cached fragments (members.caching): a repeated read is
served from the cache, a change shows on the next read, readers who may see different
fields (the blind review) each get their own table, and each page of a long history its
own."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from blocs.models import BlocYear
from blocs.services import bloc_year_update
from covenants.scores.services import self_scores_save, sheet_submit
from members import caching
from members.views.history import PAGE_SIZE, page_number
from tests.cached_pages import read, read_cold, signed_in
from tests.covenants.factories_score import valid_value

pytestmark = pytest.mark.django_db


def _url(obj, query: str = "") -> str:
    return reverse("object_history", args=[obj._meta.label_lower, obj.pk]) + query


def _main(client, url) -> str:
    """The page's content, without the navigation bar (its language form holds the
    request's path)."""
    page = read(client, url)[0]
    return page[page.index("<main") : page.index("</main>")]


def test_a_repeated_read_is_served_from_the_cache(world):
    client, url = signed_in(world["board"]), _url(world["sheet"])
    first, cold_queries = read(client, url)
    hits = caching.stats.hits

    second, warm_queries = read(client, url)

    assert second == first
    assert caching.stats.hits >= hits + 3  # the object, the reader's hidden fields, the table
    assert warm_queries < cold_queries


def test_a_change_shows_on_the_next_read(world):
    bloc_year = world["bloc_year"]
    client, url = signed_in(world["secretariat"]), _url(bloc_year)
    read(client, url)

    bloc_year_update(bloc_year=bloc_year, actor=world["board"], data={"theme": "Về đích sớm"})

    page = read(client, url)[0]
    assert "Về đích sớm" in page
    assert page == read_cold(client, url)


def _save(world, text):
    lines = list(world["sheet"].lines.select_related("criterion").order_by("order"))
    entries = {line.key: {"value": valid_value(line.criterion)} for line in lines}
    for line in lines[:3]:
        entries[line.key]["explanation"] = text
    self_scores_save(sheet=world["sheet"], actor=world["officer"], entries=entries)


@pytest.mark.parametrize("first", ["board", "secretariat"])
def test_each_reader_sees_only_the_fields_it_may(first, world):
    """Once the member submitted, the board reads its explanations and the reviewing
    secretariat not yet (the blind review): whoever reads first, the other's table is
    its own, as built from the database."""
    _save(world, "Giải trình bí mật")
    sheet_submit(sheet=world["sheet"], actor=world["leader"])
    second = "secretariat" if first == "board" else "board"
    url = _url(world["sheet"])
    clients = {name: signed_in(world[name]) for name in (first, second)}
    pages = {name: read(clients[name], url)[0] for name in (first, second)}

    assert "Giải trình bí mật" in pages["board"]
    assert "Giải trình bí mật" not in pages["secretariat"]
    for name in (first, second):
        assert pages[name] == read_cold(clients[name], url), name


def test_the_reader_is_checked_before_the_cache(world):
    url = _url(world["sheet"])
    read(signed_in(world["board"]), url)
    for name in ("other_board", "leader"):
        assert signed_in(world[name]).get(url).status_code == 403, name


def test_each_page_of_a_long_history_is_its_own(world):
    bloc_year = BlocYear.objects.get(pk=world["bloc_year"].pk)
    for number in range(PAGE_SIZE + 5):
        bloc_year.theme = f"Chủ đề số {number}"
        bloc_year.save()
    client = signed_in(world["admin"])
    first = _main(client, _url(bloc_year))
    second = _main(client, _url(bloc_year, "?page=2"))

    newest, oldest = f"Chủ đề số {PAGE_SIZE + 4}<", "Chủ đề số 0<"
    assert newest in first
    assert oldest not in first
    assert oldest in second
    assert newest not in second
    # What the paginator makes of any other ?page=: the first page or the last one.
    assert _main(client, _url(bloc_year, "?page=abc")) == first
    assert _main(client, _url(bloc_year, "?page=99")) == second
    assert _main(client, _url(bloc_year, "?page=-1")) == second
    caches["fragments"].clear()
    assert _main(client, _url(bloc_year, "?page=2")) == second


@pytest.mark.parametrize(
    ("raw", "number"),
    [(None, 1), ("", 1), ("abc", 1), ("2.5", 1), ("3", 3), (" 2 ", 2), ("0", 0), ("-4", 0)],
)
def test_the_page_part_of_the_key(raw, number):
    assert page_number(raw) == number
