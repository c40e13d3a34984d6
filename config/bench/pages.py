"""Server time of the main pages, in-process, against the floor.

Each page is requested through Django's test ``Client`` as the person who would open it
(signed in with ``force_login``): the request goes through the same handler and the whole
middleware stack as under gunicorn, without the network and the HTTP parsing, which are
the same for every page and would only blur the ratios. After ``warmup`` requests (caches,
connections, the template loader), ``requests`` requests are timed one by one with
``time.perf_counter``; the page's figure is their median (p50), the floor's likewise. One
more request counts the page's queries. A page that does not answer 200 stops the run:
a ratio of an error page would mean nothing.

The pages live in two worlds present in every measured database: the measured bloc of
:mod:`.world` (15 members, 40 criteria) and ``seed_demo``'s province (Quảng Ngãi: its
board's workspace, bloc 6's results and its history over several years).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.caching import CACHE_ALIAS

from . import world
from .stats import p50
from .urls import FLOOR_PATH

DEMO_PROVINCE = "quang-ngai"
DEMO_BLOC = 6
DEMO_CLOSED_YEAR = 2025


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    user: str  # a username
    url: Callable[[dict], str]  # ids (see :func:`lookup`) → path
    target: str = "page"  # the stats.TARGETS key of its ratio to the floor


def _bench(name, year, *extra):
    return lambda ids: reverse(name, args=[ids["bloc"], year, *extra])


def _sheet(name, year):
    return lambda ids: reverse(name, args=[ids["bloc"], year, "year_end", ids["focus"]])


SECRETARIAT = world.username("secretariat")
FOCUS_LEADER = world.username("leader", world.FOCUS)

FLOOR = Page("floor", "Floor (trivial page)", SECRETARIAT, lambda ids: FLOOR_PATH)

PAGES = [
    Page(
        "overview",
        "Bloc overview (bloc-year page)",
        SECRETARIAT,
        _bench("blocs:year", world.CONFERENCE_YEAR),
    ),
    Page("covenant", "Covenant", SECRETARIAT, _bench("covenants:detail", world.CONFERENCE_YEAR)),
    Page("scores", "Scores home", SECRETARIAT, _bench("covenants:scores", world.CONFERENCE_YEAR)),
    Page(
        "score_sheet",
        "Score sheet, 40 lines (view)",
        SECRETARIAT,
        _sheet("covenants:score_sheet", world.CONFERENCE_YEAR),
    ),
    Page(
        "score_entry",
        "Score entry, 15 members × 40 criteria",
        FOCUS_LEADER,
        _sheet("covenants:score_sheet_edit", world.SCORING_YEAR),
        target="score_entry",
    ),
    Page(
        "ranking",
        "Ranking, 15 members",
        SECRETARIAT,
        _bench("covenants:ranking", world.CONFERENCE_YEAR, "year_end"),
    ),
    Page(
        "conference",
        "Conference (voting)",
        SECRETARIAT,
        _bench("awards:conference", world.CONFERENCE_YEAR),
    ),
    Page(
        "vote",
        "Ballot page",
        FOCUS_LEADER,
        lambda ids: reverse("awards:vote", args=[ids["bloc"], world.CONFERENCE_YEAR, ids["poll"]]),
    ),
    Page(
        "agency",
        "Agency page",
        FOCUS_LEADER,
        lambda ids: reverse("blocs:agency", args=[ids["focus"]]),
    ),
    Page(
        "sheet_history",
        "Audit history of a score sheet",
        SECRETARIAT,
        lambda ids: reverse("object_history", args=["covenants.scoresheet", ids["sheet"]]),
    ),
    Page(
        "results",
        "Conference results (demo bloc 6, 2025)",
        "board",
        lambda ids: reverse("awards:results", args=[ids["demo_bloc"], DEMO_CLOSED_YEAR]),
    ),
    Page(
        "proposals",
        "Proposals (demo bloc 6, 2025)",
        "board",
        lambda ids: reverse("awards:proposals", args=[ids["demo_bloc"], DEMO_CLOSED_YEAR]),
    ),
    Page(
        "board_inbox",
        "Board workspace: proposals inbox",
        "board",
        lambda ids: reverse("awards:board_inbox", args=[DEMO_PROVINCE, DEMO_CLOSED_YEAR]),
    ),
    Page(
        "province",
        "Province dashboard",
        "board",
        lambda ids: reverse("blocs:province", args=[DEMO_PROVINCE]),
    ),
    Page(
        "bloc_history",
        "Bloc history (demo bloc 6)",
        "board",
        lambda ids: reverse("awards:bloc_history", args=[ids["demo_bloc"]]),
    ),
]


def lookup() -> dict:
    """The ids the pages' URLs need, found by natural keys."""
    from blocs.models import Bloc
    from covenants.models import Period, ScoreSheet

    found = world.find()
    if found is None:
        raise RuntimeError("The benchmark's bloc is missing: run the world step first.")
    focus = found.agency_ids[world.FOCUS - 1]
    sheet = ScoreSheet.objects.get(
        bloc_year__bloc_id=found.bloc_id,
        bloc_year__year=world.CONFERENCE_YEAR,
        period=Period.YEAR_END,
        agency_id=focus,
    )
    demo = Bloc.objects.get(province__code=DEMO_PROVINCE, number=DEMO_BLOC)
    return {
        "bloc": found.bloc_id,
        "focus": focus,
        "poll": found.poll_id,
        "sheet": sheet.pk,
        "demo_bloc": demo.pk,
    }


def client_for(username: str) -> Client:
    from members.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


class PageError(RuntimeError):
    pass


def _timed_block(client: Client, path: str, requests: int) -> list[float]:
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - start)
    return times


def _cold_block(client: Client, path: str, requests: int) -> list[float]:
    """Like :func:`_timed_block`, each request after the cached fragments were dropped
    (not timed): the page's first read after a write anywhere (members.caching)."""
    fragments = caches[CACHE_ALIAS]
    times = []
    for _ in range(requests):
        fragments.clear()
        start = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - start)
    return times


def time_page(client: Client, path: str, *, requests: int, warmup: int) -> dict:
    """Seconds of each timed request and the queries of one more: warm (repeated reads,
    the cached fragments found) and cold (``cold_``: every fragment built again)."""
    for _ in range(warmup):
        response = client.get(path)
        if response.status_code != 200:
            raise PageError(f"{path} answered {response.status_code}")
    cold_times = _cold_block(client, path, requests)
    caches[CACHE_ALIAS].clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    # Now: every request resets the connection's query log that ``captured`` reads.
    cold_queries = len(captured)
    times = _timed_block(client, path, requests)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return {
        "times": times,
        "p50": p50(times),
        "queries": len(queries),
        "cold_times": cold_times,
        "cold_p50": p50(cold_times),
        "cold_queries": cold_queries,
    }


def measure(*, requests: int, warmup: int, only: list[str] | None = None) -> dict:
    """Every page's timings (the floor first), keyed by page key.

    The floor is timed again in a block of ``requests`` between every two pages, and each
    page gets the floor blocks just before and after it (``floor_times``): its ratio then
    compares requests made within seconds of each other, so that a busy moment of the
    machine slows both sides. Blocks rather than alternate requests: a floor request
    timed right after a heavy page would pay for that page's garbage collection.
    """
    ids = lookup()
    clients: dict[str, Client] = {}

    def client_of(page):
        return clients.get(page.user) or clients.setdefault(page.user, client_for(page.user))

    floor_client, floor_path = client_of(FLOOR), FLOOR.url(ids)
    results = {
        "floor": {
            "label": FLOOR.label,
            "path": floor_path,
            "target": FLOOR.target,
            **time_page(floor_client, floor_path, requests=requests, warmup=warmup),
        }
    }
    before = results["floor"]["times"]
    for page in PAGES:
        if only and page.key not in only:
            continue
        path = page.url(ids)
        timed = time_page(client_of(page), path, requests=requests, warmup=warmup)
        after = _timed_block(floor_client, floor_path, requests)
        floor_times = before + after
        results[page.key] = {
            "label": page.label,
            "path": path,
            "target": page.target,
            **timed,
            "floor_times": floor_times,
            "floor_p50": p50(floor_times),
        }
        before = after
    return results
