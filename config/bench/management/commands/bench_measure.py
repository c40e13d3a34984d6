"""One step of the benchmark on the database this process is configured with.

``manage.py bench`` runs it in a child process per database (settings name one); it can
be run by hand to look at one measurement::

    DJANGO_SETTINGS_MODULE=config.settings.bench DATABASE_URL=… \\
        python manage.py bench_measure pages --requests 10 --output -
"""

import json
import sys

from django.core.management.base import BaseCommand

from config.bench import ballots, load, pages, pdf, world


def counts() -> dict:
    """Rows of the main tables, to say how big the measured database is."""
    from django.db import connection

    from awards.models import Poll
    from blocs.models import Bloc, BlocYear, Membership
    from covenants.models import ScoreLine, ScoreSheet
    from members.models import Agency, Province, User

    models = [Province, Agency, User, Bloc, BlocYear, Membership, ScoreSheet, ScoreLine, Poll]
    result = {model._meta.label: model.objects.count() for model in models}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            result["database size"] = cursor.fetchone()[0]
    return result


class Command(BaseCommand):
    help = "Run one step of the benchmark on this database and write its result as JSON."

    def add_arguments(self, parser):
        parser.add_argument("step", choices=["world", "pages", "pdf", "ballots", "load", "counts"])
        parser.add_argument("--requests", type=int, default=30)
        parser.add_argument("--warmup", type=int, default=5)
        parser.add_argument("--runs", type=int, default=5, help="PDF builds timed")
        parser.add_argument("--seconds", type=int, default=10, help="wrk's time per page")
        parser.add_argument("--only", nargs="*", help="page keys (pages step)")
        parser.add_argument("--output", default="-", help="a file, or - for stdout")

    def handle(self, *args, step, output, **options):
        if step == "world":
            found = world.find()
            result = {"built": found is None}
            if found is None:
                world.build()
        elif step == "pages":
            result = pages.measure(
                requests=options["requests"], warmup=options["warmup"], only=options["only"]
            )
        elif step == "pdf":
            result = pdf.measure(runs=options["runs"])
        elif step == "ballots":
            result = ballots.measure()
        elif step == "load":
            result = load.measure(seconds=options["seconds"])
        else:
            result = counts()
        text = json.dumps(result, indent=2, default=str)
        if output == "-":
            sys.stdout.write(text + "\n")
        else:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
