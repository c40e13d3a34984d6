"""The dossier's cost (issue 9): a download of unchanged data prints nothing (the
register's stored PDFs are the cache) and reads a fixed number of rows, and a changed
document is the only one printed again, with the contents page that lists its digest.

WeasyPrint's runs are counted by ``config.pdf.stats``, the renderer's own counter. The
bloc-year (5 members, a certificate nominee with its signed report) and its first two
downloads are made once for the module. That the build's queries do not grow with the
bloc (5 or 15 members, more nominees) is the query budgets' test
(``tests/performance``), which measures the dossier's first download in both worlds.
"""

import io
import zipfile
from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import AchievementReport, AwardKind, Conference
from config import pdf
from tests.awards.factories_documents import confirm, documents_year
from tests.awards.test_dossier import nominee_report, secretariat_of

pytestmark = pytest.mark.django_db


@dataclass
class Download:
    content: bytes
    queries: int
    renders: int


@dataclass
class Dossier:
    bloc_year: object
    client: Client
    url: str
    first: Download
    second: Download

    def download(self) -> Download:
        renders = pdf.stats.renders
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(self.url)
        assert response.status_code == 200
        return Download(response.content, len(queries), pdf.stats.renders - renders)


def _dossier(members: int) -> Dossier:
    bloc_year = documents_year(members=members)
    nominee_report(bloc_year)
    confirm(bloc_year)
    client = Client()
    client.force_login(secretariat_of(bloc_year))
    url = reverse("awards:dossier", args=[bloc_year.bloc_id, bloc_year.year])
    dossier = Dossier(bloc_year, client, url, first=None, second=None)
    dossier.first = dossier.download()
    dossier.second = dossier.download()
    return dossier


@pytest.fixture(scope="module")
def dossier(django_db_setup, django_db_blocker):
    """Built once inside a transaction rolled back at the end of the module; each test
    runs in a savepoint of it (see tests/security/conftest.py)."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = _dossier(members=5)
        connection.check_constraints()
        yield built
        transaction.set_rollback(True)


def _files(content: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return {name: archive.read(name) for name in archive.namelist()}


def test_the_first_download_prints_each_document_once(dossier):
    # Contents, submission, minutes, counting, score table, report, achievement report:
    # the signed copy is the unit's upload, not printed.
    assert dossier.first.renders == 7


def test_a_second_download_prints_nothing_and_is_the_same_zip(dossier):
    assert dossier.second.renders == 0
    assert dossier.second.content == dossier.first.content
    # Each document checked against its current data: its year's reads once for all
    # documents, then two per document (its register line and its latest build).
    assert dossier.second.queries <= 50
    assert dossier.second.queries < dossier.first.queries


def test_a_changed_document_alone_is_printed_again(dossier):
    Conference.objects.filter(bloc_year=dossier.bloc_year).update(
        achievements="Hoàn thành vượt mức các chỉ tiêu thi đua năm."
    )
    changed = dossier.download()
    # The summary report prints the text; the contents page lists its new digest.
    assert changed.renders == 2
    before, after = _files(dossier.first.content), _files(changed.content)
    assert before.keys() == after.keys()
    differ = sorted(name for name in before if before[name] != after[name])
    assert differ == ["00-muc-luc.pdf", "05-bao-cao-tong-ket.pdf"]
    assert dossier.download().renders == 0


def test_a_nominee_changes_only_its_own_report(dossier):
    report = AchievementReport.objects.get(
        proposal__bloc_year=dossier.bloc_year, proposal__award=AwardKind.CERTIFICATE
    )
    report.text = "I. THÀNH TÍCH ĐẠT ĐƯỢC\nHoàn thành xuất sắc nhiệm vụ (bản sửa)."
    report.save(update_fields=["text"])
    changed = dossier.download()
    assert changed.renders == 2  # the achievement report and the contents page
    before, after = _files(dossier.first.content), _files(changed.content)
    differ = sorted(name for name in before if before[name] != after[name])
    assert differ[0] == "00-muc-luc.pdf"
    assert [name.split("-")[1:4] for name in differ[1:]] == [["bao", "cao", "thanh"]]
