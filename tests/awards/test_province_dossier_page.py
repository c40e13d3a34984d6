"""The province dossier page follows the job (progress, self-refresh while active, a hint
when the worker seems absent, the download once ready) with a fixed number of queries, and
the database refuses impossible bundles."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awards.models import BundleStatus, ProvinceDossier
from tests.awards import bundle_helpers
from tests.awards.bundle_helpers import YEAR, download_url, page_url, ready_bundle
from tests.blocs.factories import BlocFactory, ready_bloc_year
from tests.members.factories import BoardUserFactory, ProvinceFactory
from tests.utils import cold

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    return ProvinceFactory()


@pytest.fixture
def board(province):
    return BoardUserFactory(board_province=province)


# The page ------------------------------------------------------------------------------------


def test_the_page_shows_the_progress_and_refreshes_while_building(client, province, board):
    ProvinceDossier.objects.create(
        province=province,
        year=YEAR,
        requested_by=board,
        status=BundleStatus.RUNNING,
        blocs_total=3,
        blocs_done=1,
        started_at=timezone.now(),
    )
    client.force_login(board)
    page = client.get(page_url(province)).content.decode()
    assert "1/3" in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "progress-pct-30" in page
    assert 'id="worker-hint"' not in page
    assert 'id="download"' not in page


def test_a_long_wait_hints_that_the_worker_is_not_running(client, province, board):
    ProvinceDossier.objects.create(
        province=province,
        year=YEAR,
        requested_by=board,
        requested_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    client.force_login(board)
    page = client.get(page_url(province)).content.decode()
    assert 'id="worker-hint"' in page
    assert "db_worker" in page
    assert 'http-equiv="refresh"' in page


def test_a_ready_bundle_offers_its_download_without_refreshing(client, province, board):
    dossier = ready_bundle(province, board)
    client.force_login(board)
    page = client.get(page_url(province)).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert download_url(dossier) in page
    assert dossier.sha256 in page


def test_the_pages_queries_do_not_grow_with_the_bundles(client, province, board):
    bundle_helpers.province_blocs(province)
    client.force_login(board)
    ready_bundle(province, board)
    client.get(page_url(province))
    cold()
    with CaptureQueriesContext(connection) as few:
        client.get(page_url(province))
    for _ in range(8):
        ready_bundle(province, BoardUserFactory(board_province=province))
    ready_bloc_year(members=3, bloc=BlocFactory(province=province, number=9), year=YEAR)
    cold()
    with CaptureQueriesContext(connection) as many:
        response = client.get(page_url(province))
    assert response.content.decode().count("/download/") == 6  # the latest and 5 earlier
    assert len(many) == len(few)


# The database's guards -------------------------------------------------------------------------


def test_the_database_refuses_more_progress_than_blocs(province, board):
    dossier = ProvinceDossier.objects.create(province=province, year=YEAR, blocs_total=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProvinceDossier.objects.filter(pk=dossier.pk).update(blocs_done=4)


def test_the_database_refuses_two_active_bundles_of_a_year(province, board):
    ProvinceDossier.objects.create(province=province, year=YEAR)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProvinceDossier.objects.create(province=province, year=YEAR, status=BundleStatus.RUNNING)
    # Finished ones do not count, nor another year.
    ProvinceDossier.objects.create(province=province, year=YEAR - 1)
    ready_bundle(province, board)


def test_the_database_refuses_a_ready_bundle_without_file_or_a_silent_failure(province):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProvinceDossier.objects.create(
            province=province, year=YEAR, status=BundleStatus.READY, finished_at=timezone.now()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ProvinceDossier.objects.create(province=province, year=YEAR, status=BundleStatus.FAILED)
