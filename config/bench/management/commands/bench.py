"""``make bench``: measure the application against issue 9's targets, in one run.

Run through ``scripts/bench.sh`` (``make bench``), which starts the PostgreSQL cluster
and names it in ``BENCH_CLUSTER_URL``. The steps (see :mod:`config.bench`):

1. build or reuse the single-bloc and the national-scale databases (:mod:`..databases`);
2. on each: the page timings against the floor (:mod:`config.bench.pages`);
3. on the single-bloc one: the dossier against WeasyPrint alone, 15 ballots at once,
   and the load run with gunicorn and wrk;
4. print the table and write it into ``docs/performance.md`` (:mod:`config.bench.report`).

It exits 0 even when targets are missed (the table says which), unless ``--strict``.
"""

import json
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.bench import checks, databases, machine, report

SECTIONS = ["scale", "pdf", "ballots", "load"]
PRESETS = ["national", "province", "ci"]


class Command(BaseCommand):
    help = "Measure pages, the dossier PDF, ballots and throughput against issue 9's targets."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=PRESETS,
            default="national",
            help="seed_scale preset of the large database (smaller ones to iterate)",
        )
        parser.add_argument(
            "--keep-db",
            action="store_true",
            help="(scripts/bench.sh) keep the cluster and its databases for the next run",
        )
        parser.add_argument("--rebuild", action="store_true", help="rebuild kept databases")
        parser.add_argument(
            "--requests", type=int, default=10, help="timed requests per page and round"
        )
        parser.add_argument(
            "--rounds",
            type=int,
            default=3,
            help="rounds of page timings, alternating between the databases",
        )
        parser.add_argument("--warmup", type=int, default=5, help="untimed requests first")
        parser.add_argument("--pdf-runs", type=int, default=5, help="timed dossier builds")
        parser.add_argument("--load-seconds", type=int, default=10, help="wrk time per page")
        parser.add_argument("--skip", nargs="*", choices=SECTIONS, default=[])
        parser.add_argument("--only", nargs="*", help="page keys to time (default: all)")
        parser.add_argument(
            "--output", default="docs/performance.md", help="the Markdown report to update"
        )
        parser.add_argument("--no-write", action="store_true", help="print only")
        parser.add_argument(
            "--baseline",
            action="store_true",
            help="also record this run as the 'before' numbers of the report",
        )
        parser.add_argument("--json", help="also write every measurement to this file")
        parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")

    def say(self, text):
        self.stdout.write(text)
        self.stdout.flush()

    def handle(self, *args, **options):
        cluster = os.environ.get("BENCH_CLUSTER_URL")
        if not cluster:
            raise CommandError("Run it with `make bench` (scripts/bench.sh starts the cluster).")
        root = Path(settings.BASE_DIR)
        started = time.perf_counter()
        state = Path(os.environ.get("BENCH_STATE_DIR") or tempfile.mkdtemp(prefix="bench-"))
        log_path = state / "build.log"
        info = machine.describe(root=root, postgresql=databases.server_version(cluster))
        self.say(f"Benchmark on {info['CPU']} ({info['cores']} cores), log: {log_path}")

        single = databases.Database("bench_single", None)
        wanted = [single]
        large = None
        if "scale" not in options["skip"]:
            large = databases.Database(f"bench_{options['scale']}", options["scale"])
            wanted.append(large)
        with open(log_path, "a", encoding="utf-8") as log:
            for database in wanted:
                try:
                    databases.ensure(
                        root,
                        cluster,
                        database,
                        rebuild=options["rebuild"],
                        say=self.say,
                        log=log,
                    )
                except Exception as error:
                    raise CommandError(
                        f"Building {database.name} failed ({error}); see {log_path}"
                    ) from error

        def step(database, name, *extra):
            output = state / f"{database.name}-{name}.json"
            with open(log_path, "a", encoding="utf-8") as log:
                try:
                    databases.manage(
                        root,
                        database,
                        "bench_measure",
                        name,
                        "--output",
                        str(output),
                        *extra,
                        log=log,
                    )
                except Exception as error:
                    raise CommandError(
                        f"{name} on {database.name} failed; see {log_path}"
                    ) from error
            return json.loads(output.read_text())

        page_args = ["--requests", str(options["requests"]), "--warmup", str(options["warmup"])]
        if options["only"]:
            page_args += ["--only", *options["only"]]
        measured = {}
        if large:
            measured["counts_large"] = step(large, "counts")
        # Rounds alternate between the databases, so that a busy moment of the machine
        # weighs on both; each round is a fresh process (warm-up included).
        rounds = {"single": [], "large": []}
        for number in range(1, options["rounds"] + 1):
            self.say(f"Timing the pages, round {number} of {options['rounds']}")
            rounds["single"].append(step(single, "pages", *page_args))
            if large:
                rounds["large"].append(step(large, "pages", *page_args))
        measured["pages_single"] = checks.merge_rounds(rounds["single"])
        if large:
            measured["pages_large"] = checks.merge_rounds(rounds["large"])
        if "pdf" not in options["skip"]:
            self.say("Building the year-end dossier against WeasyPrint alone")
            measured["pdf"] = step(single, "pdf", "--runs", str(options["pdf_runs"]))
        if "ballots" not in options["skip"]:
            self.say("Casting 15 ballots at once")
            measured["ballots"] = step(single, "ballots")
        if "load" not in options["skip"]:
            self.say(f"Load run: gunicorn and wrk, {options['load_seconds']} s per page")
            measured["load"] = step(single, "load", "--seconds", str(options["load_seconds"]))

        results, rows = checks.page_checks(measured["pages_single"], measured.get("pages_large"))
        if "pdf" in measured:
            results.append(checks.pdf_check(measured["pdf"]))
        if "ballots" in measured:
            results.append(checks.ballot_check(measured["ballots"]))
        if "load" in measured:
            results.append(checks.load_check(measured["load"]))

        self.say("")
        self.say(report.render_table(results))
        passed = sum(check.passed for check in results)
        self.say(
            f"\n{passed} of {len(results)} targets met ({time.perf_counter() - started:.0f} s)."
        )

        run = {
            "machine": info,
            "settings": self.run_settings(options, single, large, measured),
            "checks": results,
            "pages": rows,
        }
        if options["json"]:
            Path(options["json"]).write_text(
                json.dumps(
                    {**run, "checks": [c.as_dict() for c in results], "measured": measured},
                    indent=2,
                    default=str,
                )
            )
        if not options["no_write"]:
            path = root / options["output"]
            existing = path.read_text(encoding="utf-8") if path.exists() else None
            path.write_text(
                report.update_document(
                    existing, report.render_block(run), baseline=options["baseline"]
                ),
                encoding="utf-8",
            )
            self.say(f"Written to {options['output']}")
        if options["strict"] and passed < len(results):
            raise CommandError("Some targets were missed.")

    @staticmethod
    def run_settings(options, single, large, measured) -> dict:
        def built(database):
            if database.built_seconds is None:
                return "reused from an earlier run (--keep-db)"
            text = f"built in {database.built_seconds:.0f} s"
            if database.seed_scale_seconds is not None:
                text += f" (seed_scale: {database.seed_scale_seconds:.0f} s)"
            return text + (f"; {database.note}" if database.note else "")

        values = {
            "server time": (
                f"in-process test Client; per page {options['rounds']} rounds of "
                f"{options['warmup']} warm-up then {options['requests']} timed requests, between "
                "blocks of floor requests; p50 of all"
            ),
            "single-bloc database": built(single),
        }
        if large:
            values[f"large database ({large.preset})"] = built(large)
            counts = measured.get("counts_large", {})
            values["large database rows"] = ", ".join(
                f"{label.split('.')[-1]} {count}" for label, count in counts.items()
            )
        if "pdf" in measured:
            values["dossier"] = f"p50 of {options['pdf_runs']} builds, alternating with WeasyPrint"
        if "load" in measured:
            values["load run"] = (
                f"gunicorn 2 sync workers, wrk -t2 -c16, {options['load_seconds']} s per page "
                "after a 2 s warm-up"
            )
        return values
