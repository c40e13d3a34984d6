"""Building the scale dataset, province by province.

Each province is generated and written in its own transaction: a national run holds
millions of rows, and PostgreSQL checks deferred foreign keys at commit, so one
transaction per province keeps that queue short and shows progress. A run that stops
half-way leaves whole provinces only; the next run sees a shape that does not match and
asks for ``--reset``.

The generator is seeded per province (``random.Random(f"{seed}:{number}")``), so the
rows do not depend on how many provinces come before, and the same preset and seed give
the same data. Random *keys* stay random on purpose: ballot participation ids (secret
ballot) and document tokens (unguessable verification links).

After the load, PostgreSQL's statistics are refreshed (``ANALYZE``), so that a benchmark
run right after seeding gets the query plans a settled database would (not when the
caller holds a transaction open: see :func:`build`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import connection, transaction

from awards.models import AchievementReport, ProvinceVotingDefaults
from covenants.sheet_rules import template_issues

from .conference import SIGNED_COPY, queue_conference
from .documents import queue_documents
from .people import build_province
from .presets import Preset
from .scores import queue_mid_year, queue_scores
from .template import scale_template, template_lines
from .writer import Writer
from .years import queue_bloc_year, queue_covenant, queue_template, year_info

__all__ = ["SCALE_PASSWORD", "build"]

#: Every scale account's password (hashed once per run).
SCALE_PASSWORD = "thidua-scale"

#: A minimal one-page PDF: the signed copy every achievement report points at.
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _store_signed_copy() -> None:
    storage = AchievementReport._meta.get_field("signed_file").storage
    if not storage.exists(SIGNED_COPY):
        storage.save(SIGNED_COPY, ContentFile(_PDF))


def build(preset: Preset, *, seed: int = 2025, log: Callable[[str], None] = print) -> dict:
    """Write the scale dataset for ``preset``; return the rows written per model label.

    The caller has checked that no scale data is there (see :func:`existing_shape`).
    """
    draft = scale_template(preset.criteria)
    if issues := template_issues(draft):
        raise ValueError(f"the scale scoring sheet is invalid: {issues[0]}")
    lines = template_lines(draft)
    password = make_password(SCALE_PASSWORD)
    _store_signed_copy()
    writer = Writer(connection)
    for number in range(1, preset.provinces + 1):
        started = time.monotonic()
        before = sum(writer.counts.values())
        rng = random.Random(f"{seed}:{number}")
        with transaction.atomic():
            _province(writer, rng, number, preset, password, draft, lines)
            generated = time.monotonic()
            writer.flush()
            written = time.monotonic()
        done = time.monotonic()
        log(
            f"province {number}/{preset.provinces}: {sum(writer.counts.values()) - before:,} rows "
            f"in {done - started:.1f} s (generated {generated - started:.1f} s, "
            f"inserted {written - generated:.1f} s, committed {done - written:.1f} s)"
        )
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Only once the provinces are committed. Inside a caller's transaction (a test,
        # rolled back afterwards) ANALYZE would describe rows about to vanish, and its
        # row counts (pg_class.reltuples) are written in place, not rolled back: tables
        # this command does not fill would be left "analyzed empty", and later queries
        # on them planned as nested loops over a table thought to hold no rows.
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        log(f"ANALYZE in {time.monotonic() - started:.1f} s")
    return dict(writer.counts)


def _province(writer, rng, number, preset, password, draft, lines) -> None:
    province = build_province(writer, rng, number, preset, password)
    writer.add(
        ProvinceVotingDefaults,
        {"id": writer.id(ProvinceVotingDefaults), "province_id": province.id},
    )
    for bloc in province.blocs:
        for index in range(preset.years):
            info = year_info(writer, province, bloc, index, preset.first_year + index)
            queue_bloc_year(writer, info)
            queue_covenant(writer, info)
            template_id, criteria = queue_template(writer, info, draft)
            ranking = queue_scores(writer, rng, info, preset, draft, lines, template_id, criteria)
            queue_mid_year(writer, rng, info)
            proposals = queue_conference(writer, rng, info, ranking)
            queue_documents(writer, info, proposals)
