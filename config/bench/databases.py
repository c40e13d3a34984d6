"""The two measured databases on the benchmark's cluster, built once and reused.

* ``bench_single``: ``seed_demo`` (three blocs of one province), then the measured bloc
  of :mod:`.world` — the "single-bloc" database;
* ``bench_<preset>``: ``seed_scale --preset <preset>`` (``national``: 34 provinces × 12
  blocs × 10 members × 10 years), then ``seed_demo`` and the measured bloc, so the same
  pages exist in both and only the amount of other data differs.

A finished build is stamped with a comment on the database; a later run (with
``--keep-db``, which keeps the cluster) reuses a stamped database after ``migrate``
(which adds any new index) and rebuilds one whose stamp is missing or different. Each
build ends with ``VACUUM ANALYZE``: bulk-loaded tables have no planner statistics yet.
Every step runs ``manage.py`` in a child process whose ``DATABASE_URL`` names the
database, as one process's settings name one database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

STAMP = "thidua-bench:"


@dataclass
class Database:
    name: str
    preset: str | None  # the seed_scale preset, None for the single-bloc database
    url: str = ""
    built_seconds: float | None = None  # None: reused
    seed_scale_seconds: float | None = None
    note: str = ""

    @property
    def stamp(self) -> str:
        return f"{STAMP}demo+world" + (f"+scale:{self.preset}" if self.preset else "")


def admin_connection(cluster_url: str):
    import psycopg

    return psycopg.connect(f"{cluster_url.rstrip('/')}/postgres", autocommit=True)


def current_stamp(cluster_url: str, name: str) -> str | None:
    with admin_connection(cluster_url) as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    if row is None:
        return None
    return row[0] or ""


def server_version(cluster_url: str) -> str:
    with admin_connection(cluster_url) as connection:
        return connection.execute("SHOW server_version").fetchone()[0]


def _recreate(cluster_url: str, name: str) -> None:
    from psycopg import sql

    with admin_connection(cluster_url) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _set_stamp(cluster_url: str, database: Database) -> None:
    from psycopg import sql

    with admin_connection(cluster_url) as connection:
        connection.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(database.name), sql.Literal(database.stamp)
            )
        )


def _vacuum(database: Database) -> None:
    import psycopg

    with psycopg.connect(database.url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def manage(root: Path, database: Database, *args: str, log=None) -> None:
    """Run ``manage.py *args`` on ``database`` with the benchmark's settings."""
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
    }
    subprocess.run(
        [sys.executable, str(root / "manage.py"), *args],
        cwd=root,
        env=env,
        check=True,
        stdout=log,
        stderr=subprocess.STDOUT if log else None,
    )


def seed_scale_available(root: Path) -> bool:
    return (root / "awards" / "management" / "commands" / "seed_scale.py").exists()


def ensure(root: Path, cluster_url: str, database: Database, *, rebuild: bool, say, log) -> None:
    """Build ``database`` unless a finished build of the same kind is there."""
    database.url = f"{cluster_url.rstrip('/')}/{database.name}"
    if not rebuild and current_stamp(cluster_url, database.name) == database.stamp:
        say(f"{database.name}: reusing the database built earlier; migrating")
        manage(root, database, "migrate", "--noinput", "-v0", log=log)
        return
    say(f"{database.name}: building")
    start = time.perf_counter()
    _recreate(cluster_url, database.name)
    manage(root, database, "migrate", "--noinput", "-v0", log=log)
    if database.preset:
        if seed_scale_available(root):
            say(f"{database.name}: seed_scale --preset {database.preset} (may take minutes)")
            scale_start = time.perf_counter()
            manage(root, database, "seed_scale", "--preset", database.preset, log=log)
            database.seed_scale_seconds = time.perf_counter() - scale_start
        else:
            database.note = "seed_scale is missing: this database holds the demo only"
            say(f"{database.name}: {database.note}")
    say(f"{database.name}: seed_demo and the measured bloc")
    manage(root, database, "seed_demo", log=log)
    manage(root, database, "bench_measure", "world", log=log)
    _vacuum(database)
    if not database.note:
        _set_stamp(cluster_url, database)
    database.built_seconds = time.perf_counter() - start
