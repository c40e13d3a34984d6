"""The province-wide dossier in real Chromium (issue 7): the board goes from its dashboard
to the province dossier page and asks for the bundle; the page shows the job waiting and
reloads itself (no script: a refresh meta); a worker run — what ``manage.py db_worker``
does in its own process — builds it; the waiting page, left alone, reloads into the
download, and the ZIP holds the bloc's folder and the province contents page.
"""

import hashlib
import io
import zipfile

import pytest
from playwright.sync_api import expect

from awards.models import ProvinceDossier
from blocs.models import Bloc
from tests.awards.bundle_helpers import run_worker, text_of
from tests.awards.factories_documents import confirm, documents_year
from tests.blocs.factories import BlocFactory, ready_bloc_year
from tests.browser.test_overview import PASSWORD, log_in
from tests.members.factories import BoardUserFactory
from tests.utils import vi

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def province_year():
    """Bloc 6 with its results confirmed, bloc 3 still at set-up, and the board."""
    bloc_year = documents_year(members=5)
    Bloc.objects.filter(pk=bloc_year.bloc_id).update(number=6, name="Khối thi đua số 6")
    bloc_year.bloc.refresh_from_db()
    confirm(bloc_year)
    province = bloc_year.bloc.province
    ready_bloc_year(members=3, bloc=BlocFactory(province=province, number=3), year=bloc_year.year)
    BoardUserFactory(
        username="board", full_name="Trần Văn Ban", board_province=province, password=PASSWORD
    )
    return bloc_year


def test_the_board_builds_the_province_dossier_in_the_background(
    browser, live_server, province_year, screenshot_dir
):
    province, year = province_year.bloc.province, province_year.year
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    log_in(page, live_server, "board", PASSWORD)
    page.locator("#province-dossier").click()
    expect(page).to_have_url(f"{live_server.url}/provinces/{province.code}/{year}/dossier/")
    expect(page.locator("#blocs tbody tr")).to_have_count(2)
    expect(page.locator("#download")).to_have_count(0)

    page.get_by_role("button", name=vi("Build the province dossier")).click()
    expect(page.locator("#bundle")).to_have_attribute("data-status", "queued")
    expect(page.locator("#progress")).to_have_text(vi("Waiting for the worker to start."))
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(1)
    page.screenshot(path=screenshot_dir / "province-dossier-queued.png", full_page=True)
    dossier = ProvinceDossier.objects.get()
    assert dossier.status == "queued"  # the request did not build it

    run_worker()

    # Nobody clicks: the page reloads itself into the download.
    download_button = page.locator("#download")
    expect(download_button).to_be_visible(timeout=15_000)
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    page.screenshot(path=screenshot_dir / "province-dossier-ready.png", full_page=True)
    dossier.refresh_from_db()
    expect(page.locator("#sha256")).to_have_text(dossier.sha256)
    with page.expect_download() as download_info:
        download_button.click()
    download = download_info.value
    assert download.suggested_filename == f"ho-so-{province.code}-{year}.zip"
    content = download.path().read_bytes()
    assert hashlib.sha256(content).hexdigest() == dossier.sha256
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    assert names[0] == "00-muc-luc-toan-tinh.pdf"
    assert {name.split("/")[0] for name in names[1:]} == {"khoi-06"}
    contents = text_of(archive.read(names[0]))
    assert hashlib.sha256(archive.read("khoi-06/00-muc-luc.pdf")).hexdigest() in contents
    context.close()
