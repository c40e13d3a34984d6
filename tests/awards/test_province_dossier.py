"""The province-wide dossier built in the background: who may ask for it and download it,
a request queues one job in the database without running it, the worker builds it after
the web process forgot everything, and a failure is kept with a readable error."""

import datetime
import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from awards import bundles
from awards.models import AwardKind, AwardProposal, BundleStatus, ProvinceDossier, ReportStatus
from awards.tasks import CONTENTS_NAME, BundleFailed, build_province_dossier
from blocs.models import MemberRole
from tests.awards import bundle_helpers
from tests.awards.bundle_helpers import (
    SIGNED,
    YEAR,
    download_url,
    forget_everything,
    move_to,
    page_url,
    ready_bundle,
    run_worker,
    text_of,
)
from tests.awards.factories_documents import confirm, documents_year, report_for
from tests.covenants.factories_score import leader_of, officer_of
from tests.members.factories import BoardUserFactory, ProvinceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    return ProvinceFactory()


@pytest.fixture
def board(province):
    return BoardUserFactory(board_province=province)


@pytest.fixture
def province_blocs(province):
    return bundle_helpers.province_blocs(province)


# Who may ------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_log_in(client, province, board):
    dossier = ready_bundle(province, board)
    for url in (
        page_url(province),
        download_url(dossier),
        reverse("awards:province_dossier_latest", args=[province.code]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert client.post(page_url(province)).status_code == 302
    assert ProvinceDossier.objects.count() == 1


def test_only_the_provinces_board_sees_asks_and_downloads(client, province_blocs, board):
    bloc_year = province_blocs[6]
    province = bloc_year.bloc.province
    dossier = ready_bundle(province, board)
    chair = bloc_year.memberships.get(role=MemberRole.CHAIR).agency
    member = bloc_year.memberships.filter(role=MemberRole.MEMBER).first().agency
    outsiders = [
        officer_of(chair),  # the bloc's secretariat
        leader_of(member),
        BoardUserFactory(),  # another province's board
    ]
    for user in outsiders:
        client.force_login(user)
        assert client.get(page_url(province)).status_code == 403
        assert client.post(page_url(province)).status_code == 403
        assert client.get(download_url(dossier)).status_code == 403
    assert ProvinceDossier.objects.count() == 1
    assert not DBTaskResult.objects.exists()
    client.force_login(board)
    assert client.get(page_url(province)).status_code == 200
    response = client.get(download_url(dossier))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="ho-so-{province.code}-2026.zip"'
    )
    assert b"".join(response.streaming_content) == b"PK-not-really-a-zip"


def test_the_service_refuses_anyone_but_the_board(province):
    with pytest.raises(PermissionDenied):
        bundles.request_province_dossier(actor=BoardUserFactory(), province=province, year=YEAR)
    assert not ProvinceDossier.objects.exists()


def test_a_bundle_is_downloaded_only_when_ready_and_only_under_its_province(
    client, province, board
):
    queued = ProvinceDossier.objects.create(province=province, year=YEAR, requested_by=board)
    client.force_login(board)
    assert client.get(download_url(queued)).status_code == 404
    other = ProvinceFactory()
    elsewhere = ready_bundle(other, BoardUserFactory(board_province=other))
    url = reverse("awards:province_dossier_download", args=[province.code, YEAR, elsewhere.pk])
    assert client.get(url).status_code == 404


def test_the_dashboard_and_the_inbox_link_to_the_page(client, province_blocs, board):
    province = province_blocs[2].bloc.province
    client.force_login(board)
    dashboard = client.get(province.get_absolute_url()).content.decode()
    latest = reverse("awards:province_dossier_latest", args=[province.code])
    assert latest in dashboard
    assert client.get(latest)["Location"] == page_url(province)  # the year with results
    inbox = client.get(reverse("awards:board_inbox", args=[province.code, YEAR]))
    assert page_url(province) in inbox.content.decode()


# Asking for it ------------------------------------------------------------------------------


def test_asking_queues_one_job_in_the_database_without_running_it(
    client, province_blocs, board, django_capture_on_commit_callbacks
):
    province = province_blocs[2].bloc.province
    client.force_login(board)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(page_url(province))
    assert response.status_code == 302
    assert len(callbacks) == 1
    dossier = ProvinceDossier.objects.get()
    task = DBTaskResult.objects.get()
    # Queued in the database for a worker: the immediate backend would have run it.
    assert task.status == TaskResultStatus.READY
    assert task.task_path == "awards.tasks.build_province_dossier"
    assert task.args_kwargs == {"args": [dossier.pk], "kwargs": {}}
    assert dossier.status == BundleStatus.QUEUED
    assert dossier.task_id == str(task.id)
    assert (dossier.requested_by, dossier.blocs_done, dossier.file.name) == (board, 0, "")
    page = client.get(page_url(province)).content.decode()
    assert 'http-equiv="refresh"' in page
    # Asking again while it waits returns the same job.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(page_url(province))
    assert callbacks == []
    assert ProvinceDossier.objects.count() == DBTaskResult.objects.count() == 1


def test_a_job_whose_worker_died_does_not_hold_the_year_for_ever(
    province, board, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first, created = bundles.request_province_dossier(actor=board, province=province, year=YEAR)
    assert created
    ProvinceDossier.objects.filter(pk=first.pk).update(
        status=BundleStatus.RUNNING, blocs_total=3, blocs_done=1
    )
    again, created = bundles.request_province_dossier(actor=board, province=province, year=YEAR)
    assert (again.pk, created) == (first.pk, False)  # still moving: the same job
    stale = timezone.now() - bundles.STALE_AFTER - datetime.timedelta(minutes=1)
    ProvinceDossier.objects.filter(pk=first.pk).update(updated_at=stale)
    with django_capture_on_commit_callbacks(execute=True):
        second, created = bundles.request_province_dossier(
            actor=board, province=province, year=YEAR
        )
    assert created
    first.refresh_from_db()
    assert first.status == BundleStatus.FAILED
    assert "worker stopped" in first.error
    assert second.status == BundleStatus.QUEUED


# Building it --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_the_bundle_after_a_restart(
    client, province_blocs, board, django_capture_on_commit_callbacks
):
    province = province_blocs[2].bloc.province
    client.force_login(board)
    client.post(page_url(province))
    dossier = ProvinceDossier.objects.get()
    assert dossier.status == BundleStatus.QUEUED

    forget_everything()
    run_worker()

    dossier.refresh_from_db()
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.SUCCESSFUL, task.traceback
    assert dossier.status == BundleStatus.READY
    assert dossier.blocs_done == dossier.blocs_total == 3
    assert dossier.started_at <= dossier.finished_at
    content = dossier.file.read()
    assert hashlib.sha256(content).hexdigest() == dossier.sha256 == task.return_value["sha256"]
    assert len(content) == dossier.size

    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    assert names[0] == CONTENTS_NAME
    folders = {name.split("/")[0] for name in names[1:]}
    assert folders == {"khoi-02", "khoi-06"}  # bloc 3 has no dossier yet
    code = AwardProposal.objects.get(
        bloc_year=province_blocs[6], award=AwardKind.CERTIFICATE
    ).agency.code.lower()
    assert f"khoi-06/07-bao-cao-thanh-tich-{code}-ban-ky.pdf" in names
    assert archive.read(f"khoi-06/07-bao-cao-thanh-tich-{code}-ban-ky.pdf") == SIGNED
    contents = text_of(archive.read(CONTENTS_NAME))
    assert "MỤCLỤCHỒSƠKHENTHƯỞNGTOÀNTỈNH" in contents
    for number in (2, 3, 6):
        assert f"Khốithiđuasố{number}" in contents
    assert "Chưacóhồsơ" in contents
    for folder in ("khoi-02", "khoi-06"):
        files = [name for name in names if name.startswith(f"{folder}/")]
        assert f"{folder}/00-muc-luc.pdf" in files
        assert {
            f"{folder}/01-to-trinh-va-danh-sach.pdf",
            f"{folder}/05-bao-cao-tong-ket.pdf",
        } <= set(files)
        bloc_contents = archive.read(f"{folder}/00-muc-luc.pdf")
        assert hashlib.sha256(bloc_contents).hexdigest() in contents
        # The bloc's contents page vouches for each of its files.
        listed = text_of(bloc_contents)
        for name in files[1:]:
            assert hashlib.sha256(archive.read(name)).hexdigest() in listed, name
    assert "Tổngsố:3khốithiđua,trongđó2khốiđãcóhồsơ" in contents

    page = client.get(page_url(province)).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert download_url(dossier) in page
    assert dossier.sha256 in page
    download = client.get(download_url(dossier))
    assert b"".join(download.streaming_content) == content


def test_a_bloc_that_cannot_be_packed_fails_the_job_with_a_readable_error(
    client, province, board, django_capture_on_commit_callbacks
):
    bloc_year = move_to(documents_year(members=5), province, 4)
    # A checked achievement report whose signed copy is missing from the storage.
    proposal = AwardProposal.objects.get(bloc_year=bloc_year, award=AwardKind.CERTIFICATE)
    report_for(proposal, status=ReportStatus.CHECKED)
    confirm(bloc_year)
    with django_capture_on_commit_callbacks(execute=True):
        dossier, _created = bundles.request_province_dossier(
            actor=board, province=province, year=YEAR
        )
    with pytest.raises(BundleFailed):
        build_province_dossier.call(dossier.pk)
    dossier.refresh_from_db()
    assert dossier.status == BundleStatus.FAILED
    assert dossier.error.startswith("Khối thi đua số 4: FileNotFoundError")
    assert not dossier.file
    assert dossier.finished_at is not None

    client.force_login(board)
    page = client.get(page_url(province)).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert 'id="error"' in page
    assert "FileNotFoundError" in page
    assert 'id="build"' in page  # the retry button
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page_url(province))
    assert ProvinceDossier.objects.filter(status=BundleStatus.QUEUED).count() == 1


def test_a_task_for_a_missing_bundle_fails(province):
    with pytest.raises(ProvinceDossier.DoesNotExist):
        build_province_dossier.call(987654)


def test_a_task_run_twice_builds_once(province, board):
    dossier = ready_bundle(province, board)
    assert build_province_dossier.call(dossier.pk) == {"dossier": dossier.pk, "built": False}
    dossier.refresh_from_db()
    assert dossier.status == BundleStatus.READY


def test_a_province_without_blocs_gets_a_contents_page_only(province, board):
    dossier = ProvinceDossier.objects.create(province=province, year=YEAR, requested_by=board)
    result = build_province_dossier.call(dossier.pk)
    dossier.refresh_from_db()
    assert result["built"]
    assert (dossier.status, dossier.blocs_total, dossier.blocs_done) == (BundleStatus.READY, 0, 0)
    archive = zipfile.ZipFile(io.BytesIO(dossier.file.read()))
    assert archive.namelist() == [CONTENTS_NAME]
