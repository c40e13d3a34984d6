"""The provincial board in real Chromium (issue 7): from the province's
dashboard to the proposals inbox, a decision recorded on the bloc's flag
proposal and shown with the province totals; then, on the bloc-year's
proposals page, the year's dossier downloaded as a ZIP whose contents page
lists every file with the SHA-256 of its bytes. One issued document taken
from the ZIP carries its verification address in its text; an anonymous
reader opens that address and checks the file: the genuine copy matches, a
modified copy does not.

The bloc-year, its confirmed conference and the proposal are put in place
through the factories and the real stage service, since they are not the
point here. The assertions compare digests computed from the ZIP's bytes,
never fixed numbers, so they hold whatever the documents' exact bytes are.
"""

import hashlib
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from playwright.sync_api import expect
from pypdf import PdfReader

from awards.models import AchievementReport, AwardKind, AwardProposal, DecisionOutcome
from blocs.services import TRANSITION_SERVICES
from blocs.stages import Stage
from members.models_documents import IssuedDocument
from tests.awards.factories import complete_conference, conference_year
from tests.browser.test_overview import PASSWORD, log_in
from tests.covenants.factories_score import officer_of
from tests.members.factories import BoardUserFactory
from tests.utils import vi

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
DECISION_NUMBER = "1234/QĐ-UBND"
CONTENTS = "00-muc-luc.pdf"
MINUTES_FILE = re.compile(r"^\d{2}-bien-ban-hop-binh-xet\.pdf$")
SIGNED = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def _vi_label(choice) -> str:
    with translation.override("vi"):
        return str(choice.label)


def _text(pdf: bytes) -> str:
    """The PDF's words with no whitespace: a table cell or an address may wrap."""
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture
def submitted(settings, live_server):
    """A bloc-year whose conference is confirmed and whose flag proposal
    (4 of 5 votes, 92.5 points, first) is submitted to the board, with the
    nominee's signed achievement report uploaded.

    The documents print the live server's address, so the reader can open it.
    """
    settings.SITE_URL = live_server.url
    bloc_year = conference_year(
        members=5, bloc__number=6, bloc__name="Khối thi đua số 6 – Văn hóa – Xã hội"
    )
    secretariat = officer_of(bloc_year.chair, username="secretariat", password=PASSWORD)
    complete_conference(bloc_year, by=secretariat)
    AwardProposal.objects.filter(bloc_year=bloc_year, award=AwardKind.FLAG).update(
        votes=4,
        base_count=5,
        percent=Decimal("80.00"),
        score=Decimal("92.50"),
        rank=1,
        rule_text="Ít nhất 2/3 tổng số thành viên",
    )
    report = AchievementReport.objects.get(proposal__bloc_year=bloc_year)
    report.signed_file.save("ban-ky.pdf", ContentFile(SIGNED))
    bloc_year = TRANSITION_SERVICES["submit_proposals"](bloc_year=bloc_year, actor=secretariat)
    assert bloc_year.stage == Stage.SUBMITTED
    BoardUserFactory(
        username="board",
        full_name="Trần Văn Ban",
        board_province=bloc_year.bloc.province,
        password=PASSWORD,
    )
    return bloc_year, AwardProposal.objects.get(bloc_year=bloc_year, award=AwardKind.FLAG)


def _award_totals(page, award):
    """Proposed, approved, not approved, not decided yet for ``award``."""
    return page.locator(f'#totals-award tr[data-award="{award}"] td')


def _check_contents(archive: zipfile.ZipFile) -> None:
    """The contents page names every other file of the ZIP, in order, with the
    SHA-256 of the very bytes in the ZIP."""
    names = archive.namelist()
    assert names[0] == CONTENTS
    assert len(names) >= 7  # submission, minutes, counting, scores, report, achievement ×2
    assert all(name.endswith(".pdf") for name in names)
    contents = _text(archive.read(CONTENTS))
    digests = {name: hashlib.sha256(archive.read(name)).hexdigest() for name in names[1:]}
    for name, digest in digests.items():
        assert name in contents, name
        assert contents.count(digest) == 1, name
    # One line per file, in the ZIP's order.
    positions = [contents.index(digest) for digest in digests.values()]
    assert positions == sorted(positions)
    assert archive.read(names[-1]) == SIGNED


def test_the_board_decides_downloads_the_dossier_and_a_reader_verifies_a_document(
    browser, live_server, submitted, screenshot_dir
):
    bloc_year, proposal = submitted
    province = bloc_year.bloc.province
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()

    # 1. The board lands on the province's dashboard and opens the inbox.
    log_in(page, live_server, "board", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}{province.get_absolute_url()}")
    page.locator("#proposals-inbox").click()
    inbox_url = f"{live_server.url}/provinces/{province.code}/{bloc_year.year}/proposals/"
    expect(page).to_have_url(inbox_url)
    row = page.locator(f"#inbox-{AwardKind.FLAG} #proposal-{proposal.pk}")
    expect(row).to_contain_text(proposal.agency.name)
    expect(row).to_contain_text("4/5 · 80,00 %")
    expect(row).to_contain_text("92,5")
    expect(row).to_contain_text(vi("Not decided yet"))
    expect(_award_totals(page, AwardKind.FLAG)).to_have_text(["1", "0", "0", "1"])

    # The decision: approved, with the number and the date of the decision.
    row.get_by_role("link", name=vi("Decide")).click()
    expect(page.locator("#agency")).to_have_text(proposal.agency.name)
    page.get_by_role("radio", name=_vi_label(DecisionOutcome.APPROVED), exact=True).check()
    page.get_by_label(vi("Decision number")).fill(DECISION_NUMBER)
    today = timezone.localdate()
    page.get_by_label(vi("Decision date")).fill(today.isoformat())
    page.get_by_role("button", name=vi("Save")).click()

    expect(page).to_have_url(inbox_url)
    with translation.override("vi"):
        recorded = translation.gettext("The decision on %(agency)s is recorded.") % {
            "agency": proposal.agency.name
        }
    expect(page.get_by_role("status").first).to_contain_text(recorded)
    decision = row.locator("td").nth(5)
    expect(decision).to_contain_text(_vi_label(DecisionOutcome.APPROVED))
    expect(decision).to_contain_text(DECISION_NUMBER)
    expect(decision).to_contain_text(today.strftime("%d/%m/%Y"))
    expect(row.get_by_role("link", name=vi("Change"))).to_be_visible()
    expect(_award_totals(page, AwardKind.FLAG)).to_have_text(["1", "1", "0", "0"])
    bloc_row = page.locator(f'#totals-bloc tr[data-bloc="{bloc_year.bloc_id}"]')
    expect(bloc_row.locator("td").first).to_have_text("1/1")

    # 2. The bloc-year's proposals page offers the dossier; the board downloads it.
    bloc_row.get_by_role("link", name=bloc_year.bloc.name).click()
    documents = page.locator("#conference-documents")
    with page.expect_download() as download_info:
        documents.get_by_role("link", name=vi("Dossier (ZIP)")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(download.path().read_bytes()))
    _check_contents(archive)

    # 3. The minutes in the ZIP are the issued document, with its number and address.
    [minutes_name] = [name for name in archive.namelist() if MINUTES_FILE.match(name)]
    minutes = archive.read(minutes_name)
    assert minutes.startswith(b"%PDF")
    issued = IssuedDocument.objects.select_related("entry").get(
        sha256=hashlib.sha256(minutes).hexdigest()
    )
    text = _text(minutes)
    assert "".join(issued.entry.number_symbol.split()) in text
    address = re.search(re.escape(live_server.url) + r"/verify/[0-9a-f-]{36}/", text).group(0)
    assert address == f"{live_server.url}/verify/{issued.token}/"
    # The page's own minutes link serves the same stored bytes.
    minutes_link = documents.get_by_role("link", name=vi("Minutes (PDF)"))
    served = page.request.get(f"{live_server.url}{minutes_link.get_attribute('href')}")
    assert served.status == 200
    assert served.body() == minutes
    context.close()

    # 4. An anonymous reader opens the printed address and checks the file.
    reader_context = browser.new_context(viewport=DESKTOP)
    reader = reader_context.new_page()
    reader.goto(address)
    facts = reader.locator("#document-facts")
    expect(facts.locator('[data-field="title"]')).to_have_text(issued.entry.title)
    expect(facts.locator('[data-field="number"]')).to_have_text(issued.entry.number_symbol)
    expect(facts.locator('[data-field="sha256"]')).to_have_text(hashlib.sha256(minutes).hexdigest())

    file_field = reader.get_by_label(vi("Your copy of the file"))
    check = reader.get_by_role("button", name=vi("Check the file"))
    file_field.set_input_files(
        {"name": minutes_name, "mimeType": "application/pdf", "buffer": minutes}
    )
    check.click()
    result = reader.locator("#verify-result")
    expect(result).to_have_attribute("data-result", "match")
    expect(result).to_contain_text(
        vi("This file matches: it is exactly the document issued under this number.")
    )
    reader.screenshot(path=screenshot_dir / "verify-dossier-minutes-match.png", full_page=True)

    file_field.set_input_files(
        {"name": minutes_name, "mimeType": "application/pdf", "buffer": minutes + b"\n"}
    )
    check.click()
    expect(result).to_have_attribute("data-result", "mismatch")
    expect(result).to_contain_text(
        vi(
            "This file does not match: it is not the document issued under this number,"
            " or it was modified."
        )
    )
    reader.screenshot(path=screenshot_dir / "verify-dossier-minutes-mismatch.png", full_page=True)
    reader_context.close()
