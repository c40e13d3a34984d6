"""Time (and profile) the PDFs and the score-entry page, for whoever makes them faster.

Not a test and not the benchmark (``make bench``): a developer's probe, run by hand
against a database holding ``seed_demo`` (bloc 6's confirmed 2025: every issued
document) and the benchmark's bloc (``config.bench.world``: 15 members × 40 criteria,
built here when missing)::

    export DJANGO_SETTINGS_MODULE=config.settings.bench DJANGO_READ_DOT_ENV_FILE=false \\
        DATABASE_URL=sqlite:////tmp/prof/db.sqlite3 DJANGO_PRIVATE_MEDIA_ROOT=/tmp/prof/private
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo
    .venv/bin/python scripts/profile_pdf.py                 # the table
    .venv/bin/python scripts/profile_pdf.py --profile dossier   # + cProfile of one target

Each issued document is timed twice per run: *build* (its issued PDFs deleted inside a
transaction that is rolled back, so it is numbered, hashed and rendered again, exactly
what the first download of the day does) and *WeasyPrint* alone on the very HTML the
build fed it, with its static URLs as ``file://`` paths and one reused
``FontConfiguration`` (the floor of ``config/bench/pdf.py``). *cached* is the download
once issued. The score-entry page is timed through the test client (GET, and a POST of
the whole 40-line sheet) against the benchmark's floor page.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")


def p50(values):
    return statistics.median(values) if values else float("nan")


#: The clock of every timing: wall time, as the benchmark measures, or this process's CPU
#: time (``--clock cpu``), steadier on a busy machine but blind to the database server's
#: share on PostgreSQL.
clock = time.perf_counter


@contextmanager
def rolled_back():
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@contextmanager
def recording_html():
    """Every HTML string handed to ``weasyprint.HTML`` while inside."""
    import weasyprint

    sources: list[str] = []
    original = weasyprint.HTML.__init__

    def init(self, *args, **kwargs):
        if kwargs.get("string") is not None:
            sources.append(kwargs["string"])
        original(self, *args, **kwargs)

    weasyprint.HTML.__init__ = init
    try:
        yield sources
    finally:
        weasyprint.HTML.__init__ = original


class Floor:
    def __init__(self):
        from weasyprint.text.fonts import FontConfiguration

        self.fonts = FontConfiguration()

    def render(self, sources) -> float:
        from weasyprint import HTML

        from config.bench.pdf import standalone_html

        pages = [standalone_html(s) for s in sources]
        start = clock()
        for page in pages:
            HTML(string=page).write_pdf(font_config=self.fonts)
        return clock() - start


def forget_issued(bloc_year) -> None:
    from members.models_documents import IssuedDocument

    agencies = bloc_year.memberships.values_list("agency_id", flat=True)
    IssuedDocument.objects.filter(entry__agency_id__in=agencies).delete()


def demo_targets():
    """(label, path) of every PDF of demo bloc 6's 2025, and the dossier."""
    from django.urls import reverse

    from awards.models import AchievementReport
    from blocs.models import BlocYear

    by = BlocYear.objects.get(bloc__province__code="quang-ngai", bloc__number=6, year=2025)
    args = [by.bloc_id, by.year]
    targets = [
        ("covenant", reverse("covenants:pdf", args=args)),
        ("mid-year minutes", reverse("covenants:mid_year_pdf", args=args)),
        ("score table", reverse("covenants:ranking_pdf", args=[*args, "year_end"])),
        ("minutes", reverse("awards:minutes_pdf", args=args)),
        ("counting minutes", reverse("awards:counting_pdf", args=args)),
        ("submission", reverse("awards:submission_pdf", args=args)),
        ("summary report", reverse("awards:report_pdf", args=args)),
    ]
    report = AchievementReport.objects.filter(proposal__bloc_year=by).first()
    if report is not None:
        targets.append(
            (
                "achievement report",
                reverse("awards:achievement_pdf", args=[*args, report.proposal_id]),
            )
        )
    targets.append(("dossier (ZIP)", reverse("awards:dossier", args=args)))
    return by, targets


def client_for(username):
    from django.test import Client

    from members.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def time_documents(runs: int, only: str | None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    by, targets = demo_targets()
    client = client_for("board")
    floor = Floor()
    rows = []
    for label, path in targets:
        if only and only not in label:
            continue
        builds, floors, queries, count = [], [], 0, 0
        for index in range(runs + 1):  # the first round warms up
            with rolled_back(), recording_html() as sources:
                forget_issued(by)
                with CaptureQueriesContext(connection) as captured:
                    start = clock()
                    response = client.get(path)
                    elapsed = clock() - start
            assert response.status_code == 200, (path, response.status_code)
            floor_time = floor.render(sources)
            if index:
                builds.append(elapsed)
                floors.append(floor_time)
                queries, count = len(captured), len(sources)
        cached = []
        client.get(path)
        for _ in range(runs):
            start = clock()
            client.get(path)
            cached.append(clock() - start)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        rows.append((label, count, queries, p50(builds), p50(floors), p50(cached), len(captured)))
    print(
        f"{'document':20} {'pdfs':>4} {'queries':>7} {'build ms':>9} {'weasy ms':>9} "
        f"{'ratio':>6} {'cached ms':>9} {'queries':>7}"
    )
    for label, count, queries, build, weasy, cached, cached_queries in rows:
        print(
            f"{label:20} {count:4d} {queries:7d} {build * 1000:9.1f} {weasy * 1000:9.1f} "
            f"{build / weasy:6.2f} {cached * 1000:9.1f} {cached_queries:7d}"
        )


def time_score_entry(runs: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from config.bench import pages, world

    if world.find() is None:
        world.build()
    ids = pages.lookup()
    client = client_for(pages.FOCUS_LEADER)
    scoring = reverse(
        "covenants:score_sheet_edit",
        args=[ids["bloc"], world.SCORING_YEAR, "year_end", ids["focus"]],
    )
    view = reverse(
        "covenants:score_sheet", args=[ids["bloc"], world.SCORING_YEAR, "year_end", ids["focus"]]
    )
    from config.bench.urls import FLOOR_PATH

    def timed(fn):
        fn()
        fn()
        times = []
        for _ in range(runs):
            start = clock()
            fn()
            times.append(clock() - start)
        with CaptureQueriesContext(connection) as captured:
            fn()
        return p50(times), min(times), len(captured)

    floor = timed(lambda: client.get(FLOOR_PATH))
    get = timed(lambda: client.get(scoring))
    sheet = timed(lambda: client.get(view))
    data = post_data(client, scoring)

    def post():
        with rolled_back():
            response = client.post(scoring, data)
        assert response.status_code == 302, response.status_code

    posted = timed(post)
    print(f"{'page':28} {'p50 ms':>7} {'min ms':>7} {'queries':>7} {'p50 ÷ floor':>11}")
    for label, (ms, fastest, queries) in (
        ("floor", floor),
        ("score entry GET", get),
        ("score entry POST (40 lines)", posted),
        ("score sheet (view)", sheet),
    ):
        print(
            f"{label:28} {ms * 1000:7.2f} {fastest * 1000:7.2f} {queries:7d} {ms / floor[0]:11.1f}"
        )


def post_data(client, path) -> dict:
    """The edit form's fields as the browser would post them back, every explanation
    changed (so every line is written)."""
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__()
            self.data, self.textarea, self.select = {}, None, None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if attrs.get("form") or attrs.get("type") in ("file", "submit"):
                return
            name = attrs.get("name")
            if tag == "input" and name and name != "language":
                self.data[name] = attrs.get("value") or ""
            elif tag == "textarea":
                self.textarea = name
                self.data[name] = ""
            elif tag == "select" and name != "language":
                self.select = name
                self.data[name] = ""
            elif tag == "option" and self.select and "selected" in attrs:
                self.data[self.select] = attrs.get("value", "")

        def handle_endtag(self, tag):
            if tag == "textarea":
                self.textarea = None
            elif tag == "select":
                self.select = None

        def handle_data(self, data):
            if self.textarea:
                self.data[self.textarea] += data.removeprefix("\n")

    parser = Fields()
    parser.feed(client.get(path).content.decode())
    data = parser.data
    for name in list(data):
        if name.startswith("explanation-"):
            data[name] = f"Đã thực hiện đầy đủ {name.removeprefix('explanation-')}"
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", help="documents whose label contains this")
    parser.add_argument(
        "--profile",
        choices=["dossier", "entry-get", "entry-post", "document"],
        help="print a cProfile of one target (top 40 by cumulative time)",
    )
    parser.add_argument("--skip-documents", action="store_true")
    parser.add_argument("--skip-entry", action="store_true")
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    args = parser.parse_args()
    global clock
    clock = time.process_time if args.clock == "cpu" else time.perf_counter

    import django

    django.setup()
    if args.profile:
        profile(args.profile, args.only)
        return
    if not args.skip_documents:
        time_documents(args.runs, args.only)
    if not args.skip_entry:
        time_score_entry(max(args.runs * 4, 20))


def profile(target: str, only: str | None):
    from django.urls import reverse

    from config.bench import pages, world

    by, targets = demo_targets()
    profiler = cProfile.Profile()
    if target in ("dossier", "document"):
        client = client_for("board")
        label = "dossier" if target == "dossier" else (only or "minutes")
        path = next(p for name, p in targets if label in name)
        for _ in range(2):  # the second, profiled, run is warm
            with rolled_back():
                forget_issued(by)
                if _:
                    profiler.enable()
                client.get(path)
                profiler.disable()
    else:
        if world.find() is None:
            world.build()
        ids = pages.lookup()
        client = client_for(pages.FOCUS_LEADER)
        path = reverse(
            "covenants:score_sheet_edit",
            args=[ids["bloc"], world.SCORING_YEAR, "year_end", ids["focus"]],
        )
        data = post_data(client, path)
        for index in range(6):
            if index == 5:
                profiler.enable()
            if target == "entry-get":
                client.get(path)
            else:
                with rolled_back():
                    client.post(path, data)
            profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
