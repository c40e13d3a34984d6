"""The provincial board in real Chromium (issue 7): from the province's
dashboard to the proposals inbox, a decision recorded on the bloc's flag
proposal and shown with the province totals; then the conference's
confirmed minutes, downloaded as an issued document (numbered, with a
verification address), checked on the public verification page by an
anonymous reader: the genuine file matches, a modified copy does not.

The bloc-year, its confirmed conference and the proposal are put in place
through the factories and the real stage service, since they are not the
point here.
"""

import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect
from pypdf import PdfReader

from awards.models import AwardKind, AwardProposal, DecisionOutcome
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
VERIFY_PATH = re.compile(r"/verify/([0-9a-f-]{36})/")


def _vi_label(choice) -> str:
    with translation.override("vi"):
        return str(choice.label)


@pytest.fixture
def submitted():
    """A bloc-year whose conference is confirmed and whose flag proposal
    (4 of 5 votes, 92.5 points, first) is submitted to the board."""
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


def test_the_board_decides_and_a_reader_verifies_the_minutes(
    browser, live_server, submitted, screenshot_dir
):
    bloc_year, proposal = submitted
    province = bloc_year.bloc.province
    context = browser.new_context(viewport=DESKTOP)
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

    # 2. The bloc's proposals page carries the conference's documents.
    bloc_row.get_by_role("link", name=bloc_year.bloc.name).click()
    minutes_link = page.locator("#conference-documents").get_by_role(
        "link", name=vi("Minutes (PDF)")
    )
    minutes_url = f"{live_server.url}{minutes_link.get_attribute('href')}"
    minutes = page.request.get(minutes_url)
    assert minutes.status == 200
    assert minutes.headers["content-type"] == "application/pdf"
    pdf = minutes.body()
    assert pdf.startswith(b"%PDF")

    # 3. The PDF carries its register number and the verification address.
    issued = IssuedDocument.objects.select_related("entry").get()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert issued.entry.number_symbol in text
    assert re.search(VERIFY_PATH, text.replace(" ", "")).group(1) == str(issued.token)
    context.close()

    reader_context = browser.new_context(viewport=DESKTOP)
    reader = reader_context.new_page()
    reader.goto(f"{live_server.url}/verify/{issued.token}/")
    facts = reader.locator("#document-facts")
    expect(facts.locator('[data-field="title"]')).to_have_text(issued.entry.title)
    expect(facts.locator('[data-field="number"]')).to_have_text(issued.entry.number_symbol)
    expect(facts.locator('[data-field="sha256"]')).to_have_text(issued.sha256)

    file_field = reader.get_by_label(vi("Your copy of the file"))
    check = reader.get_by_role("button", name=vi("Check the file"))
    file_field.set_input_files(
        {"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    check.click()
    result = reader.locator("#verify-result")
    expect(result).to_have_attribute("data-result", "match")
    expect(result).to_contain_text(
        vi("This file matches: it is exactly the document issued under this number.")
    )
    reader.screenshot(path=screenshot_dir / "verify-minutes-match.png", full_page=True)

    file_field.set_input_files(
        {"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": pdf + b"\n"}
    )
    check.click()
    expect(result).to_have_attribute("data-result", "mismatch")
    expect(result).to_contain_text(
        vi(
            "This file does not match: it is not the document issued under this number,"
            " or it was modified."
        )
    )
    reader.screenshot(path=screenshot_dir / "verify-minutes-mismatch.png", full_page=True)
    reader_context.close()
