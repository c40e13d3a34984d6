"""The province-wide dossier: asking for it, the page's reads, the download.

The board of a province asks for the dossiers of every bloc of a year in one ZIP
(:func:`request_province_dossier`). The request only queues the job: a
:class:`~awards.models.ProvinceDossier` row, and a task of the database-backed task
framework enqueued once that row is committed (a worker that picked the task up earlier
would not find the row). The worker (``manage.py db_worker``) builds it
(:mod:`awards.tasks`); since both the row and the task live in the database, a restart
of the web server loses nothing.

One job at a time per province and year (a partial unique constraint): asking again while
one is queued or running returns it. A job whose worker died cannot hold the province-year
for ever: a running job that has not moved for :data:`STALE_AFTER`, or whose task has
ended without it saying so, is marked failed when the board asks again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from blocs.models import BlocYear
from members import audit
from members.models import Province
from members.permissions import is_board_for

from .models import BundleStatus, ConferenceStatus, ProvinceDossier
from .models.bundles import ACTIVE_STATUSES
from .tasks import bloc_years_for, build_province_dossier

__all__ = [
    "STALE_AFTER",
    "WAITING_HINT_AFTER",
    "BundleNotReady",
    "BundlePage",
    "can_build_province_dossier",
    "default_year",
    "province_dossier_page",
    "province_dossier_response",
    "request_province_dossier",
]

logger = logging.getLogger(__name__)

#: A running job without progress for this long was abandoned by its worker.
STALE_AFTER = timedelta(minutes=30)
#: A job still waiting after this long: the page suspects the worker is not running.
WAITING_HINT_AFTER = timedelta(minutes=1)
#: Earlier bundles listed under the latest one.
HISTORY = 5
#: Stored in English like the worker's errors; the page translates it.
ABANDONED = gettext_noop("The worker stopped before finishing the bundle.")


class BundleNotReady(Exception):
    """The bundle has no file to download (not built yet, or failed): the view answers 404."""


def can_build_province_dossier(user, province) -> bool:
    """The province's board (and a site admin): the bundle gathers every bloc's votes."""
    return is_board_for(user, province.pk)


# Asking for a bundle --------------------------------------------------------------------


def _abandoned(dossier: ProvinceDossier, now) -> bool:
    """Whether an active job will never finish: its task ended or was pruned, or it has
    been running without progress for :data:`STALE_AFTER`. A queued job with its task
    waiting is not abandoned: it waits for a worker."""
    if dossier.task_id:
        try:
            result = build_province_dossier.get_result(dossier.task_id)
        except TaskResultDoesNotExist:
            return True
        if result.is_finished:
            return True
        if dossier.status == BundleStatus.QUEUED:
            return False
    elif dossier.status == BundleStatus.QUEUED:
        # Its task id arrives just after commit; without one for long, enqueuing failed.
        return dossier.requested_at < now - STALE_AFTER
    return dossier.updated_at < now - STALE_AFTER


def _enqueue(dossier_id: int) -> None:
    """Queue the build (after commit) and keep the task's id on the row.

    Enqueuing writes the task's row in the database; if that fails the job could never
    run, so the bundle is marked failed at once instead of waiting for ever.
    """
    try:
        result = build_province_dossier.enqueue(dossier_id)
    except Exception as exc:
        logger.exception("could not queue province dossier %s", dossier_id)
        ProvinceDossier.objects.filter(pk=dossier_id, status__in=ACTIVE_STATUSES).update(
            status=BundleStatus.FAILED,
            error=f"The job could not be queued: {type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return
    ProvinceDossier.objects.filter(pk=dossier_id).update(task_id=str(result.id))


@audit.service
@transaction.atomic
def request_province_dossier(*, actor, province, year: int) -> tuple[ProvinceDossier, bool]:
    """Queue the bundle of ``province`` and ``year``: ``(bundle, created)``.

    The province's board only (PermissionDenied otherwise). The province row is locked so
    two requests at once queue one job; the job already queued or running for the
    province-year is returned as it is (``created`` False), unless it was abandoned, in
    which case it is marked failed and a new one queued.
    """
    if not can_build_province_dossier(actor, province):
        raise PermissionDenied(_("Only the province's board builds the province's dossier."))
    province = Province.objects.select_for_update().get(pk=province.pk)
    now = timezone.now()
    active = (
        ProvinceDossier.objects.select_for_update()
        .filter(province=province, year=year, status__in=ACTIVE_STATUSES)
        .first()
    )
    if active is not None:
        if not _abandoned(active, now):
            return active, False
        active.status = BundleStatus.FAILED
        active.error = ABANDONED
        active.finished_at = now
        active.save(update_fields=["status", "error", "finished_at", "updated_at"])
    dossier = ProvinceDossier(province=province, year=year, requested_by=actor, requested_at=now)
    dossier.full_clean()
    dossier.save()
    transaction.on_commit(partial(_enqueue, dossier.pk))
    return dossier, True


# The page ----------------------------------------------------------------------------------


@dataclass
class BundlePage:
    """What the province dossier page shows for one year."""

    latest: ProvinceDossier | None
    earlier: list[ProvinceDossier]
    bloc_years: list = field(default_factory=list)  # annotated by tasks.bloc_years_for
    waiting_long: bool = False

    @property
    def ready_count(self) -> int:
        return sum(1 for by in self.bloc_years if by.has_dossier)


def province_dossier_page(*, province, year: int, now=None) -> BundlePage:
    """The latest bundles of the province-year (newest first) and which blocs have a
    dossier to pack. Three queries whatever the number of bundles and blocs."""
    now = now or timezone.now()
    bundles = list(
        ProvinceDossier.objects.filter(province=province, year=year).select_related(
            "province", "requested_by"
        )[: HISTORY + 1]
    )
    bloc_years = list(bloc_years_for(province, year))
    for bloc_year in bloc_years:
        bloc_year.has_dossier = bloc_year.results_confirmed and bloc_year.chair is not None
    latest = bundles[0] if bundles else None
    return BundlePage(
        latest=latest,
        earlier=bundles[1:],
        bloc_years=bloc_years,
        waiting_long=latest is not None
        and latest.status == BundleStatus.QUEUED
        and latest.requested_at < now - WAITING_HINT_AFTER,
    )


def default_year(province) -> int:
    """The year the board most likely wants: that of its latest bundle, else the newest
    year with a confirmed conference, else the newest year of the province."""
    latest = (
        ProvinceDossier.objects.filter(province=province)
        .order_by("-requested_at", "-pk")
        .values_list("year", flat=True)
        .first()
    )
    if latest is not None:
        return latest
    years = BlocYear.objects.filter(bloc__province=province).order_by("-year")
    confirmed = years.filter(conference__status=ConferenceStatus.CONFIRMED).values_list(
        "year", flat=True
    )
    return (
        confirmed.first()
        or years.values_list("year", flat=True).first()
        or timezone.localdate().year
    )


# The download -----------------------------------------------------------------------------


def province_dossier_response(*, dossier: ProvinceDossier, actor) -> FileResponse:
    """The stored ZIP as an attachment ``ho-so-<province>-<year>.zip``, for the province's
    board only; :class:`BundleNotReady` while there is no file."""
    if not can_build_province_dossier(actor, dossier.province):
        raise PermissionDenied(_("Only the province's board downloads the province's dossier."))
    if dossier.status != BundleStatus.READY or not dossier.file:
        raise BundleNotReady
    response = FileResponse(
        dossier.file.open("rb"),
        as_attachment=True,
        filename=dossier.download_name,
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
