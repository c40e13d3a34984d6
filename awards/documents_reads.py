"""Reads the conference's documents share, made once while the dossier builds them all.

Each document gathers what it prints by itself, so that one PDF asks only for its own
data. The dossier (:mod:`awards.dossier`) builds every document of the year in one
request, and they overlap: the year-end ranking is in the minutes, the score table, the
summary report and every achievement report; the proposals in four documents; the
chair's head signs three. Inside :func:`shared_reads` such a read goes through
:func:`shared`, which keeps its result for the rest of the block, keyed by what it
read; outside, every call reads again, as before.

The block is a download: it only reads, so nothing kept can go stale inside it, and
the memory is dropped when it ends (a context variable, so two requests served by two
threads never see each other's reads).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["prefetched_memberships", "shared", "shared_reads", "sharing", "year_end_table"]

_memo: ContextVar[dict | None] = ContextVar("awards_document_reads", default=None)


@contextmanager
def shared_reads():
    """Share the documents' reads until the block ends (nested blocks share the outer
    block's)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def sharing() -> bool:
    """Whether the reads are shared now: a document may then read the whole year's rows
    once (every nominee's) rather than only its own."""
    return _memo.get() is not None


def shared[T](key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, made once per ``key`` inside :func:`shared_reads`."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def prefetched_memberships(bloc_year) -> list | None:
    """Every membership of the year with its agency when the page loaded them with the
    year (:func:`blocs.selectors.bloc_year_detail`, as every bloc-year page does), so
    the documents do not read them again; None otherwise."""
    cache = getattr(bloc_year, "_prefetched_objects_cache", {})
    memberships = cache.get("memberships")
    return None if memberships is None else list(memberships)


def year_end_table(bloc_year):
    """The year's year-end ranking (:func:`covenants.scores.ranking.ranking_table`),
    with the year's members taken from the page's bloc-year when it holds them."""
    from covenants.models import Period
    from covenants.scores.ranking import ranking_table

    prefetched = prefetched_memberships(bloc_year) is not None
    return shared(
        ("year_end_table", bloc_year.pk),
        lambda: ranking_table(bloc_year, Period.YEAR_END, members_prefetched=prefetched),
    )
