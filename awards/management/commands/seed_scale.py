"""Build the national-scale dataset: ``python manage.py seed_scale --preset national``.

Synthetic provinces (codes ``scale-01``, ``scale-02``…), each with its blocs, member
agencies, accounts and complete closed years: covenant signed, frozen scoring sheet,
mid-year and year-end score sheets, the conference with its closed secret-ballot polls,
proposals, decisions, the flag handover and the issued documents' register lines. It is
what the benchmark (``make bench``) measures the pages against; see
:mod:`awards.scale` for what is generated and how.

- ``--preset national`` (34 provinces × 12 blocs × 10 members × 10 years),
  ``--preset province`` (1 × 12 × 10 × 10) or ``--preset ci`` (2 × 2 × 5 × 2), with
  ``--provinces/--blocs/--members/--years/--criteria`` overriding the preset's numbers.
- Deterministic: the same preset and ``--seed`` give the same rows (random keys aside:
  ballot participations and document tokens are random by design).
- Run again, it changes nothing when the scale data is already there with the same
  shape, and refuses when it has another shape (or is incomplete): ``--reset`` deletes
  the scale provinces and everything in them (and nothing else) first.
- No audit history: the rows are synthetic and written in bulk (``COPY`` on PostgreSQL,
  ``bulk_create`` elsewhere), which adds no version to the history tables.
- Every scale account shares one password, hashed once: ``thidua-scale``.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from awards.scale import PRESETS, SCALE_PASSWORD, build, existing_shape, reset


class Command(BaseCommand):
    help = "Build (or --reset and rebuild) the synthetic national-scale dataset."

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=sorted(PRESETS), default="ci")
        parser.add_argument("--provinces", type=int)
        parser.add_argument("--blocs", type=int, help="blocs per province")
        parser.add_argument("--members", type=int, help="member agencies per bloc")
        parser.add_argument("--years", type=int, help="closed years per bloc, up to 2025")
        parser.add_argument("--criteria", type=int, help="scored lines of the scoring sheet")
        parser.add_argument(
            "--no-mid-year", action="store_true", help="leave out the mid-year score sheets"
        )
        parser.add_argument("--seed", type=int, default=2025, help="random seed (default 2025)")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete the scale provinces (codes scale-NN) and all their data first",
        )

    def handle(self, *args, **options):
        try:
            preset = PRESETS[options["preset"]].with_overrides(
                provinces=options["provinces"],
                blocs=options["blocs"],
                members=options["members"],
                years=options["years"],
                criteria=options["criteria"],
                mid_year=False if options["no_mid_year"] else None,
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        started = time.monotonic()
        if options["reset"]:
            deleted = reset(log=self._log)
            self._log(f"reset: {deleted} rows deleted in {time.monotonic() - started:.1f} s")
        else:
            shape = existing_shape()
            if shape is not None:
                if shape.matches(preset):
                    self.stdout.write(
                        self.style.SUCCESS(
                            f"Scale data already there ({shape.describe()}): nothing to do."
                        )
                    )
                    return
                raise CommandError(
                    f"Scale data is already there but does not match this preset "
                    f"({shape.describe()}). Run again with --reset to delete it and rebuild."
                )
        start = time.monotonic()
        counts = build(preset, seed=options["seed"], log=self._log)
        elapsed = time.monotonic() - start
        total = sum(counts.values())
        self._log("rows written:")
        for label, count in counts.items():
            self._log(f"  {label:32} {count:>10,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale data ready on {connection.vendor}: {total:,} rows in {elapsed:.1f} s "
                f"({preset.provinces} provinces × {preset.blocs} blocs × {preset.members} "
                f"members × {preset.years} years, {preset.criteria} lines per sheet). "
                f"Accounts: scale-NN-board, scale-NN-bBB-aAA-officer/-leader, "
                f"password {SCALE_PASSWORD}."
            )
        )

    def _log(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
