"""Cached page fragments that can never be stale: keyed by a token that every write changes.

Why: a page's time is mostly Python (building queries and model instances, running
template nodes per row), and most pages are read far more often than their data changes:
the board browses rankings and results, a conference opens the same results on fifteen
phones. So the expensive part of a page (a table, the data behind it) is rendered once and
kept in the ``fragments`` cache under the current *data version*, a random token in the
database (:class:`members.models.DataVersion`).

How the token stays honest — every committed write changes it, without any service having
to remember to:

- Every database connection runs :func:`_watch_writes` around each statement (Django's
  execute wrappers). An ``INSERT``, ``UPDATE``, ``DELETE`` (or any other data-changing
  statement) to any table but the sessions', the login throttle's and the token's own
  marks the data as changed: through the ORM, ``update()``, ``bulk_create()``, the backup
  importer, raw SQL.
- Outside a transaction the write is already committed, and the token changes at once.
- Inside one, the token changes right after the commit (``on_commit``); a rollback leaves
  it alone. Until then that connection neither reads nor stores fragments, so it never
  caches data another connection cannot see, nor serves a fragment older than its own
  write.
- In a test, Django's ``TestCase`` wraps everything in transactions that never commit; a
  write directly in the test counts as committed, and the end of a service's
  ``transaction.atomic`` block counts as its commit: the token changes when the
  connection next reads it (:func:`_settle`), once for any number of writes.

The fragments themselves may sit in any cache (per process by default): they are only
ever found under the token that was current when they were built. Migrations suspend the
watching (the token's table may not exist yet) and leave a new token behind.
"""

import hashlib
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.dispatch import receiver
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from .models_caching import DataVersion

#: The cache (``settings.CACHES``) the fragments are kept in.
CACHE_ALIAS = "fragments"
#: Writes to these tables change nothing a page shows: signing in (the session, the login
#: throttle's records) must not throw away every cached fragment. ``axes_`` is a prefix.
IGNORED_TABLES = ("django_session", "axes_", DataVersion._meta.db_table)

_DATA_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|TRUNCATE|MERGE|COPY|WITH)\b", re.I)
_TARGET = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)',
    re.I,
)
_TOKEN_SQL = f"SELECT token FROM {DataVersion._meta.db_table} WHERE id = 1"
_BUMP_SQL = f"UPDATE {DataVersion._meta.db_table} SET token = %s WHERE id = 1"


@dataclass
class Stats:
    """Counted since the process started (the benchmark and the tests read them)."""

    hits: int = 0
    misses: int = 0
    bypassed: int = 0
    bumps: int = 0


stats = Stats()
_state = threading.local()


def written_table(sql) -> str | None:
    """The table a data-changing statement writes, as Django spells its statements
    (``INSERT INTO "t"``, ``UPDATE "t"``, ``DELETE FROM "t"``…); None for a read, or for a
    write that does not name its table first (``WITH …``)."""
    target = _TARGET.match(sql) if isinstance(sql, str) else None
    return target.group(1).lower() if target else None


def is_data_write(sql) -> bool:
    """Whether ``sql`` may change what a page shows (see :data:`IGNORED_TABLES`)."""
    if not isinstance(sql, str) or not _DATA_WRITE.match(sql):
        return False
    table = written_table(sql)
    return table is None or not table.startswith(IGNORED_TABLES)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if not getattr(_state, "suspended", False) and is_data_write(sql):
        _written(context["connection"])
    return result


def _real_blocks(connection) -> list:
    """The connection's open ``atomic`` blocks that can commit (not a test's own)."""
    return [block for block in connection.atomic_blocks if not block._from_testcase]


def _written(connection) -> None:
    real = _real_blocks(connection)
    if not real:
        if connection.in_atomic_block:
            # Only a test's transactions: nobody else can see the write, so the token
            # changes when this connection next reads it (one UPDATE, not one per row).
            connection.thidua_pending_bump = True
        else:
            bump(connection)
        return
    connection.thidua_open_write = real[0]
    bump_after_commit = _bump_after_commit_for(connection)
    # One callback per transaction; a savepoint's rollback drops its callbacks, so look.
    if not any(func is bump_after_commit for _sids, func, _robust in connection.run_on_commit):
        transaction.on_commit(bump_after_commit, using=connection.alias)


def _bump_after_commit_for(connection) -> Callable[[], None]:
    func = getattr(connection, "thidua_bump_after_commit", None)
    if func is None:
        func = connection.thidua_bump_after_commit = lambda: bump(connection)
    return func


def bump(connection=None) -> None:
    """Give the data a new token: every fragment cached so far is out of date."""
    connection = connection or connections["default"]
    with connection.cursor() as cursor:
        cursor.execute(_BUMP_SQL, [secrets.token_hex(16)])
    _state.token = None
    stats.bumps += 1


def _settle(connection) -> bool:
    """Whether fragments may be used now: no uncommitted write on this connection.

    A write's transaction that has ended was committed (its ``on_commit`` changed the
    token) or rolled back (nothing changed). Inside a test's transaction the block's end
    is as far as a commit goes, so the token changes here instead."""
    open_write = getattr(connection, "thidua_open_write", None)
    if open_write is not None:
        if any(block is open_write for block in connection.atomic_blocks):
            return False
        connection.thidua_open_write = None
        if connection.atomic_blocks and not _real_blocks(connection):
            connection.thidua_pending_bump = True
    if getattr(connection, "thidua_pending_bump", False):
        connection.thidua_pending_bump = False
        bump(connection)
    return True


def data_token() -> str | None:
    """The current token, read once per request; None while fragments may not be used
    (an uncommitted write on this connection, or no token row: a flushed database)."""
    connection = connections["default"]
    if not _settle(connection):
        return None
    token = getattr(_state, "token", None)
    if token is None:
        with connection.cursor() as cursor:
            cursor.execute(_TOKEN_SQL)
            row = cursor.fetchone()
        token = row[0] if row else None
        if getattr(_state, "in_request", False):
            _state.token = token
    return token


def remember(name: str, parts: tuple, compute: Callable[[], object]) -> object:
    """``compute()``'s value, cached under the data version, the language, ``name`` and
    ``parts``. ``parts`` must name everything the value depends on besides the data and
    the language: the object, and who is looking when that changes what is shown."""
    token = data_token()
    if token is None:
        stats.bypassed += 1
        return compute()
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    key = f"{token}:{translation.get_language()}:{name}:{digest}"
    cache = caches[CACHE_ALIAS]
    value = cache.get(key)
    if value is not None:
        stats.hits += 1
        return value
    stats.misses += 1
    value = compute()
    cache.set(key, value)
    return value


def fragment(name: str, parts: tuple, render: Callable[[], str]) -> SafeString:
    """A rendered piece of HTML through :func:`remember` (``render`` must not depend on
    the request: no CSRF token, no CSP nonce, no messages)."""
    return mark_safe(remember(name, parts, lambda: str(render())))


@receiver(connection_created)
def _install(sender, connection, **kwargs):
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


@receiver(request_started)
def _request_started(sender, **kwargs):
    _state.in_request = True
    _state.token = None


@receiver(request_finished)
def _request_finished(sender, **kwargs):
    _state.in_request = False
    _state.token = None


@receiver(pre_migrate)
def _suspend(sender, **kwargs):
    _state.suspended = True


@receiver(post_migrate)
def _resume(sender, using="default", **kwargs):
    """After ``migrate`` (and ``flush``, which sends the same signal): the token row exists
    and is new."""
    if sender.name != "members":
        return
    DataVersion.objects.using(using).update_or_create(
        id=1, defaults={"token": secrets.token_hex(16)}
    )
    _state.suspended = False
    _state.token = None
