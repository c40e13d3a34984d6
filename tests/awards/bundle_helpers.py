"""What the province-dossier tests share: the URLs, a province with blocs to pack, a ready
bundle written directly, the worker run in-process, and a "restart" of the web process."""

import hashlib
import signal
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.tasks import task_backends
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from awards.models import AwardKind, AwardProposal, BundleStatus, ProvinceDossier, ReportStatus
from blocs.models import Bloc
from tests.awards.factories_documents import confirm, documents_year, report_for
from tests.blocs.factories import BlocFactory, ready_bloc_year

SIGNED = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
YEAR = 2026


def text_of(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    return "".join("".join(page.extract_text() for page in reader.pages).split())


def page_url(province, year=YEAR):
    return reverse("awards:province_dossier", args=[province.code, year])


def download_url(dossier):
    return reverse(
        "awards:province_dossier_download",
        args=[dossier.province.code, dossier.year, dossier.pk],
    )


def move_to(bloc_year, province, number):
    """Put a factory-made bloc-year into ``province`` as bloc ``number`` (its agencies stay
    where the factory made them: ``documents_year`` gives every bloc the same names)."""
    Bloc.objects.filter(pk=bloc_year.bloc_id).update(
        province=province, number=number, name=f"Khối thi đua số {number}"
    )
    bloc_year.refresh_from_db()
    bloc_year.bloc.refresh_from_db()
    return bloc_year


def signed_report(bloc_year):
    proposal = AwardProposal.objects.get(bloc_year=bloc_year, award=AwardKind.CERTIFICATE)
    report = report_for(proposal, status=ReportStatus.CHECKED)
    report.signed_file.save("signed.pdf", ContentFile(SIGNED))
    return report


def province_blocs(province):
    """Blocs 2 and 6 with confirmed results (bloc 6 with a signed achievement report),
    bloc 3 still at set-up: two dossiers to pack, one bloc listed as not ready."""
    second = move_to(documents_year(members=5), province, 2)
    confirm(second)
    sixth = move_to(documents_year(members=5), province, 6)
    signed_report(sixth)
    confirm(sixth)
    third = ready_bloc_year(members=3, bloc=BlocFactory(province=province, number=3), year=YEAR)
    return {2: second, 3: third, 6: sixth}


def ready_bundle(province, board, content=b"PK-not-really-a-zip"):
    dossier = ProvinceDossier(
        province=province,
        year=YEAR,
        requested_by=board,
        status=BundleStatus.READY,
        blocs_total=2,
        blocs_done=2,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        finished_at=timezone.now(),
    )
    dossier.file.save("bundle.zip", ContentFile(content), save=False)
    dossier.save()
    return dossier


def run_worker():
    """What ``manage.py db_worker --batch`` does in its own process: run every queued task,
    then stop. The worker installs its own signal handlers; pytest gets its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command(
            "db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0
        )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def forget_everything():
    """A web-server restart: the task backends are built again from the settings and the
    database connections are reopened; only what is in the database is left."""
    for alias in task_backends:
        if hasattr(task_backends._connections, alias):
            del task_backends[alias]
    connection.close()
