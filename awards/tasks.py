"""Background tasks of the awards app (Django's tasks framework, database backend).

:func:`build_province_dossier` packs every bloc's dossier of a province and year into one
ZIP for the board. It runs in the worker (``python manage.py db_worker``), never in a web
request: a province has a dozen blocs, each dossier a handful of PDFs to issue and render.

The job, step by step:

1. it claims the :class:`~awards.models.ProvinceDossier` row (queued → running) under a
   lock, so a task run twice builds once;
2. it takes every bloc-year of the province and year in bloc number order and, for each,
   the bloc's own dossier (:func:`awards.dossier.dossier_entries`, contents page first)
   under a folder ``khoi-06/`` of the ZIP; the documents are issued as the board user who
   asked for the bundle, like a download of each dossier would. A bloc whose results are
   not confirmed has no dossier yet: it is listed as such, it does not fail the job;
3. after each bloc it saves the progress in its own short transaction, so the page sees
   it while the job goes on;
4. it puts a province-wide contents page first (``00-muc-luc-toan-tinh.pdf``): each bloc,
   whether its dossier is in, its number of files and the SHA-256 of its own contents page
   (which lists the SHA-256 of each of its files, so one digest vouches for the folder);
5. it stores the ZIP in the private storage with its size and SHA-256, and marks it ready.

Any error marks the row failed with a readable message (which bloc, what went wrong) and is
raised again, so the task framework records the failure too. A row that is no longer
running when the job reports progress was given up (see :mod:`awards.bundles`): the job
stops without touching it.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import zipfile
from dataclasses import dataclass

from django.core.files import File
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_noop

from blocs.models import BlocYear, MemberRole, Membership
from config.pdf import render_pdf
from covenants.documents import place_name
from members import audit

from .dossier import DossierNotReady, dossier_entries
from .models import Conference, ConferenceStatus
from .models.bundles import ACTIVE_STATUSES, BundleStatus, ProvinceDossier

__all__ = ["CONTENTS_NAME", "bloc_folder", "bloc_years_for", "build_province_dossier"]

logger = logging.getLogger(__name__)

CONTENTS_NAME = "00-muc-luc-toan-tinh.pdf"
CONTENTS_TEMPLATE = "awards/pdf/province_dossier_contents.html"
#: Longer messages are cut: the page shows the error, the worker's log keeps the traceback.
ERROR_MAX = 2000
# Errors are stored in English (the worker has no reader's language); these known ones
# are in the catalog, and the page translates them when it shows them.
NO_REQUESTER = gettext_noop("The person who asked for the bundle no longer has an active account.")
WORKER_STOPPED = gettext_noop("The worker was stopped while building the bundle.")


class BundleAbandoned(Exception):
    """The row stopped being ``running`` while the job worked: someone else settled it."""


class BundleFailed(Exception):
    """The job cannot go on; the message is what the board reads."""


def bloc_years_for(province, year):
    """The province's bloc-years of ``year`` in bloc number order, each annotated with
    ``results_confirmed`` and with its chair prefetched (``bloc_year.chair``): a bloc has
    a dossier when both are there, the rule of :func:`awards.dossier.dossier_entries`.

    The prefetched memberships are the chair's only: load the bloc-year afresh before
    handing it to code that reads all its members.
    """
    confirmed = Conference.objects.filter(
        bloc_year=OuterRef("pk"), status=ConferenceStatus.CONFIRMED
    )
    return (
        BlocYear.objects.filter(bloc__province=province, year=year)
        .select_related("bloc")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(role=MemberRole.CHAIR).select_related("agency"),
            )
        )
        .annotate(results_confirmed=Exists(confirmed))
        .order_by("bloc__number")
    )


def bloc_folder(bloc) -> str:
    """``khoi-06``: zero-padded so the folders sort in bloc order in any file manager."""
    return f"khoi-{bloc.number:02d}"


@dataclass
class BlocRow:
    """One bloc's line on the province contents page."""

    bloc_year: BlocYear
    folder: str
    ready: bool
    files: int = 0
    contents_sha256: str = ""


def _claim(dossier_id: int) -> tuple[ProvinceDossier, list[int]] | None:
    """Queued → running, with the list of bloc-years to pack; None if the row is not
    queued any more (already built, failed or given up)."""
    with transaction.atomic():
        dossier = (
            ProvinceDossier.objects.select_for_update(of=("self",))
            .select_related("province", "requested_by")
            .get(pk=dossier_id)
        )
        if dossier.status != BundleStatus.QUEUED:
            return None
        ids = [by.pk for by in bloc_years_for(dossier.province, dossier.year)]
        dossier.status = BundleStatus.RUNNING
        dossier.started_at = timezone.now()
        dossier.blocs_total = len(ids)
        dossier.blocs_done = 0
        dossier.save(update_fields=["status", "started_at", "blocs_total", "blocs_done"])
    return dossier, ids


def _progress(dossier_id: int, done: int) -> None:
    """Save the progress at once, in its own transaction: the page polls it."""
    with transaction.atomic():
        updated = ProvinceDossier.objects.filter(pk=dossier_id, status=BundleStatus.RUNNING).update(
            blocs_done=done, updated_at=timezone.now()
        )
    if not updated:
        raise BundleAbandoned


def _fail(dossier_id: int, message: str) -> None:
    with transaction.atomic():
        ProvinceDossier.objects.filter(pk=dossier_id, status__in=ACTIVE_STATUSES).update(
            status=BundleStatus.FAILED,
            error=message[:ERROR_MAX] or "?",
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _pack_bloc(archive: zipfile.ZipFile, bloc_year, actor, moment) -> BlocRow:
    """The bloc's dossier into its folder of the ZIP; a bloc without one is listed only."""
    folder = bloc_folder(bloc_year.bloc)
    try:
        entries = dossier_entries(bloc_year, actor)
    except DossierNotReady:
        return BlocRow(bloc_year=bloc_year, folder=folder, ready=False)
    for filename, content in entries:
        info = zipfile.ZipInfo(f"{folder}/{filename}", date_time=moment)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, content)
    return BlocRow(
        bloc_year=bloc_year,
        folder=folder,
        ready=True,
        files=len(entries),
        contents_sha256=hashlib.sha256(entries[0][1]).hexdigest(),
    )


def _contents_pdf(dossier: ProvinceDossier, rows: list[BlocRow]) -> bytes:
    province = dossier.province
    requester = dossier.requested_by
    return render_pdf(
        CONTENTS_TEMPLATE,
        {
            "issuer_superior": f"UBND TỈNH {place_name(province).upper()}",
            "issuer_body": "SỞ NỘI VỤ",
            "place": place_name(province),
            "issued_on": timezone.localdate(),
            "doc_type": "MỤC LỤC HỒ SƠ KHEN THƯỞNG TOÀN TỈNH",
            # "Tỉnh Quảng Ngãi" is "tỉnh Quảng Ngãi" within a phrase.
            "summary": f"Các khối thi đua {province.name[:1].lower()}{province.name[1:]} "
            f"năm {dossier.year}",
            "title": f"Mục lục hồ sơ khen thưởng các khối thi đua năm {dossier.year}",
            "landscape": True,
            "rows": rows,
            "ready_count": sum(1 for row in rows if row.ready),
            "requested_by": requester.full_name if requester else "",
            "requested_at": timezone.localtime(dossier.requested_at),
        },
    )


def _sha256_and_size(handle) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    handle.seek(0)
    while chunk := handle.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    return digest.hexdigest(), size


def _finish(dossier_id: int, handle, total: int) -> ProvinceDossier | None:
    """Store the ZIP and mark the row ready, unless it was given up meanwhile."""
    sha256, size = _sha256_and_size(handle)
    with transaction.atomic():
        dossier = (
            ProvinceDossier.objects.select_for_update(of=("self",))
            .select_related("province")
            .get(pk=dossier_id)
        )
        if dossier.status != BundleStatus.RUNNING:
            raise BundleAbandoned
        dossier.file.save(dossier.download_name, File(handle), save=False)
        dossier.size = size
        dossier.sha256 = sha256
        dossier.blocs_done = total
        dossier.status = BundleStatus.READY
        dossier.finished_at = timezone.now()
        dossier.save(
            update_fields=[
                "file",
                "size",
                "sha256",
                "blocs_done",
                "status",
                "finished_at",
                "updated_at",
            ]
        )
    return dossier


def _build(dossier: ProvinceDossier, bloc_year_ids: list[int]) -> ProvinceDossier | None:
    actor = dossier.requested_by
    if actor is None or not actor.is_active:
        raise BundleFailed(NO_REQUESTER)
    moment = timezone.localtime(dossier.started_at).timetuple()[:6]
    rows: list[BlocRow] = []
    # No request in the worker: the documents it issues are recorded as the requester's.
    with (
        audit.acting(actor),
        tempfile.TemporaryFile() as parts,
        tempfile.TemporaryFile() as bundle,
    ):
        with zipfile.ZipFile(parts, "w", zipfile.ZIP_DEFLATED) as archive:
            for done, bloc_year_id in enumerate(bloc_year_ids, start=1):
                # Afresh, with everything the bloc's documents read.
                bloc_year = BlocYear.objects.select_related("bloc__province").get(pk=bloc_year_id)
                try:
                    rows.append(_pack_bloc(archive, bloc_year, actor, moment))
                except Exception as exc:
                    logger.exception("province dossier %s: %s failed", dossier.pk, bloc_year)
                    raise BundleFailed(f"{bloc_year.bloc.name}: {_describe(exc)}") from exc
                _progress(dossier.pk, done)
        contents = _contents_pdf(dossier, rows)
        parts.seek(0)
        with (
            zipfile.ZipFile(parts) as source,
            zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            info = zipfile.ZipInfo(CONTENTS_NAME, date_time=moment)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, contents)
            for member in source.infolist():  # one PDF in memory at a time
                target.writestr(member, source.read(member))
        return _finish(dossier.pk, bundle, len(bloc_year_ids))


@task()
def build_province_dossier(dossier_id: int) -> dict:
    """Build the province-wide dossier of the :class:`ProvinceDossier` ``dossier_id``.

    Returns a small summary for the task's record; the row holds the real outcome.
    """
    claimed = _claim(dossier_id)
    if claimed is None:
        return {"dossier": dossier_id, "built": False}
    dossier, bloc_year_ids = claimed
    try:
        built = _build(dossier, bloc_year_ids)
    except BundleAbandoned:
        logger.warning("province dossier %s was given up while being built", dossier_id)
        return {"dossier": dossier_id, "built": False}
    except BundleFailed as exc:
        _fail(dossier_id, str(exc))
        raise
    except (SystemExit, KeyboardInterrupt):  # the worker was stopped mid-job
        _fail(dossier_id, WORKER_STOPPED)
        raise
    except BaseException as exc:
        _fail(dossier_id, _describe(exc))
        raise
    return {"dossier": dossier_id, "built": True, "sha256": built.sha256, "size": built.size}
