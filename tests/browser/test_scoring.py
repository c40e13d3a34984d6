"""Year-end scoring in real Chromium (issue 5): a leader self-scores with an
upload, a reviewer scores blind, the secretariat reconciles and publishes,
the ranking shows.

The other two members' sheets are put straight into their final state by the
factories; the member under test goes through every page.
"""

import io
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from pypdf import PdfWriter

from blocs.models import MemberRole
from covenants.models import CriterionKind, Period, ScoreLine, ScoreSheet
from covenants.scores.reviewers import reviewers_assign
from covenants.scores.values import counts_items
from tests.browser.test_overview import PASSWORD, log_in
from tests.covenants.factories_score import (
    fill_review,
    fill_self,
    finalize,
    leader_of,
    officer_of,
    scoring_year,
)
from tests.utils import vi

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPLANATION = "GIẢI-TRÌNH-RIÊNG: đạt 100% chỉ tiêu kế hoạch năm"
EVIDENCE_NOTE = "Báo cáo tổng kết số 45/BC-SVHTT"
PDF_NAME = "bao-cao-tong-ket-2026.pdf"
FLAGGED_KEY = "I.1"  # points, 0 to 20, evidence required
SELF_FLAGGED, REVIEW_FLAGGED, FINAL_FLAGGED = 16, 10, 14
FINAL_REASON = "Hội nghị Khối thống nhất: còn 1 chỉ tiêu chưa đạt."
PHONE = {"width": 390, "height": 844}
AGENCY_NAMES = {
    MemberRole.CHAIR: "Sở Giáo dục và Đào tạo",
    MemberRole.VICE_CHAIR: "Sở Y tế",
    MemberRole.MEMBER: "Sở Văn hóa, Thể thao và Du lịch",
}


@pytest.fixture
def scoring():
    """A 3-member bloc at year-end scoring: the plain member (A) is reviewed
    by the vice-chair (B); the chair's and B's own sheets are already final."""
    bloc_year = scoring_year(
        members=3, bloc__number=6, bloc__name="Khối thi đua số 6 – Văn hóa – Xã hội"
    )
    agencies = {}
    for membership in bloc_year.memberships.select_related("agency"):
        agency = membership.agency
        agency.name = AGENCY_NAMES[membership.role]
        agency.save(update_fields=["name"])
        agencies[membership.role] = agency
    member, vice, chair = (
        agencies[MemberRole.MEMBER],
        agencies[MemberRole.VICE_CHAIR],
        agencies[MemberRole.CHAIR],
    )
    secretariat = officer_of(
        chair, username="secretariat", full_name="Nguyễn Thị Lan", password=PASSWORD
    )
    leader_of(member, username="leader-a", full_name="Huỳnh Ngọc Ánh", password=PASSWORD)
    leader_of(vice, username="leader-b", full_name="Phạm Quốc Hùng", password=PASSWORD)
    reviewers_assign(
        bloc_year=bloc_year,
        period=Period.YEAR_END,
        actor=secretariat,
        mode="manual",
        assignments={member.pk: vice.pk, vice.pk: chair.pk, chair.pk: vice.pk},
    )
    sheets = ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.YEAR_END)
    for agency, fraction in ((chair, Decimal("0.9")), (vice, Decimal("0.7"))):
        sheet = sheets.get(agency=agency)
        fill_self(sheet, fraction=fraction)
        fill_review(sheet, fraction=fraction)
        finalize(sheet)
    return bloc_year, member, sheets.get(agency=member)


def _entered(line, *, review=False) -> str:
    """What a person types for ``line``: most of the points, pass, one item,
    no bonus or deduction; the flagged line differs between the two sides."""
    criterion = line.criterion
    if line.key == FLAGGED_KEY:
        return str(REVIEW_FLAGGED if review else SELF_FLAGGED)
    if criterion.kind == CriterionKind.PASS_FAIL:
        return "1"
    if criterion.kind in (CriterionKind.BONUS, CriterionKind.DEDUCTION):
        return "0"
    if counts_items(criterion):
        return "1"
    return str(int(criterion.max_points * Decimal("0.8")))


def _enter(field, line, value: str) -> None:
    if line.criterion.kind == CriterionKind.PASS_FAIL:
        field.select_option(value)
    else:
        field.fill(value)


def _pdf(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / PDF_NAME
    path.write_bytes(buffer.getvalue())
    return path


def _scores_url(live_server, bloc_year, rest=""):
    return f"{live_server.url}/blocs/{bloc_year.bloc_id}/{bloc_year.year}/scores/{rest}"


def _new_page(browser, live_server, username, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    log_in(page, live_server, username, PASSWORD)
    return context, page


def _self_score(browser, live_server, bloc_year, member, lines, tmp_path, screenshot_dir):
    """The member's leader, on a phone: every line, one upload, submit."""
    context, page = _new_page(browser, live_server, "leader-a", viewport=PHONE)
    page.goto(_scores_url(live_server, bloc_year))
    page.locator("#sheets-year_end").get_by_role("link", name=member.name).click()
    page.get_by_role("link", name=vi("Enter self-scores")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(vi("Enter self-scores"))

    for line in lines:
        _enter(page.locator(f'[id="id_value-{line.key}"]'), line, _entered(line))
    page.locator(f'[id="id_explanation-{FLAGGED_KEY}"]').fill(EXPLANATION)
    page.locator(f'[id="id_evidence_note-{FLAGGED_KEY}"]').fill(EVIDENCE_NOTE)
    page.get_by_role("button", name=vi("Save"), exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text(vi("Your self-scores were saved."))

    flagged = next(line for line in lines if line.key == FLAGGED_KEY)
    card = page.locator(f"#line-{flagged.pk}")
    page.get_by_label(vi("Attach a file to line %(key)s") % {"key": FLAGGED_KEY}).set_input_files(
        _pdf(tmp_path)
    )
    card.get_by_role("button", name=vi("Attach"), exact=True).click()
    expect(card.get_by_role("link", name=PDF_NAME)).to_be_visible()
    # The upload reloaded the page: what was saved before is still there.
    expect(page.locator(f'[id="id_explanation-{FLAGGED_KEY}"]')).to_have_value(EXPLANATION)
    expect(page.locator(f'[id="id_value-{FLAGGED_KEY}"]')).to_have_value(
        re.compile(rf"^{SELF_FLAGGED}(\.0+)?$")
    )
    card.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "scoring-self-scores-phone.png")

    page.get_by_role("button", name=vi("Save and submit")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(vi("Submit the sheet"))
    expect(page.locator("#submit-problems")).to_have_count(0)
    page.get_by_role("button", name=vi("Submit the sheet")).click()
    expect(page.get_by_role("status").first).to_contain_text(
        vi("The sheet was submitted; its self-scores are locked.")
    )
    expect(page.get_by_role("link", name=vi("Enter self-scores"))).to_have_count(0)
    context.close()


def _assert_blind(page) -> None:
    """Nothing of the member's self side: explanation, references, file."""
    expect(page.locator("main h1")).to_be_visible()
    content = page.content()
    for hidden in ("GIẢI-TRÌNH-RIÊNG", EVIDENCE_NOTE, PDF_NAME):
        assert hidden not in content, f"{page.url} shows {hidden!r} to the blind reviewer"
    expect(page.locator('a[href*="/evidence/"]')).to_have_count(0)


def _review_blind(browser, live_server, bloc_year, member, lines):
    """The reviewing agency's leader sees none of the self side, and scores."""
    context, page = _new_page(browser, live_server, "leader-b")
    page.goto(_scores_url(live_server, bloc_year))
    page.locator("#sheets-year_end").get_by_role("link", name=member.name).click()
    _assert_blind(page)  # the sheet page
    page.get_by_role("link", name=vi("History")).click()
    _assert_blind(page)
    page.go_back()
    page.get_by_role("link", name=vi("Review this sheet")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(member.name)
    expect(page.get_by_role("status").first).to_contain_text(
        vi(
            "Blind review: the agency's self-scores, explanations and evidence stay hidden "
            "until both the agency and the reviewer have submitted. Score each line on what "
            "you know of the agency's work."
        )
    )
    _assert_blind(page)

    for line in lines:
        label = vi("Review score for line %(line)s") % {"line": line.key}
        _enter(page.get_by_label(label, exact=True), line, _entered(line, review=True))
    page.get_by_label(
        vi("I have checked every line: submit the review. It can no longer be changed afterwards.")
    ).check()
    page.get_by_role("button", name=vi("Save and submit the review")).click()
    expect(page.get_by_role("status").first).to_contain_text(vi("The review was submitted."))
    context.close()


def _reconcile_and_publish(browser, live_server, bloc_year, member, lines, screenshot_dir):
    context, page = _new_page(browser, live_server, "secretariat")
    page.goto(_scores_url(live_server, bloc_year))
    page.locator("#period-year_end").get_by_role("link", name=vi("Reviewers")).click()
    row = page.locator("#reviewers tbody tr").filter(has_text=member.name)
    row.get_by_role("link", name=vi("Reconcile")).click()

    flagged = next(line for line in lines if line.key == FLAGGED_KEY)
    table = page.locator("#reconcile-lines")
    expect(table.locator("tbody tr.table-warning")).to_have_count(1)
    flagged_row = table.locator("tbody tr.table-warning")
    expect(flagged_row).to_contain_text(FLAGGED_KEY)
    expect(flagged_row).to_contain_text(vi("Gap"))
    # Both sides are in: the secretariat sees the explanation and the file.
    expect(flagged_row).to_contain_text(EXPLANATION)
    expect(flagged_row.get_by_role("link", name=PDF_NAME)).to_be_visible()

    page.get_by_role("button", name=vi("Accept the agreed lines")).click()
    expect(page.get_by_role("status").first).to_contain_text(
        vi("%(count)s agreed lines were accepted as final.") % {"count": len(lines) - 1}
    )
    final = vi("Final score for line %(line)s") % {"line": FLAGGED_KEY}
    reason = vi("Reason for the final score of line %(line)s") % {"line": FLAGGED_KEY}
    page.get_by_label(final, exact=True).fill(str(FINAL_FLAGGED))
    page.get_by_label(reason, exact=True).fill(FINAL_REASON)
    page.screenshot(path=screenshot_dir / "scoring-reconcile.png", full_page=True)
    page.get_by_label(
        vi(
            "Every final score is agreed: make the sheet final. "
            "Nothing on it can change afterwards."
        )
    ).check()
    page.get_by_role("button", name=vi("Save and make final")).click()
    expect(page.get_by_role("status").first).to_contain_text(vi("The sheet is final."))
    assert ScoreLine.objects.get(pk=flagged.pk).final_value == FINAL_FLAGGED

    page.goto(_scores_url(live_server, bloc_year))
    page.locator("#period-year_end").get_by_role("link", name=vi("Ranking")).click()
    expect(page.locator("#missing")).to_have_count(0)
    page.get_by_label(
        vi(
            "I have checked the table: publish it to every member of the bloc. "
            "It cannot be withdrawn."
        )
    ).check()
    page.get_by_role("button", name=vi("Publish"), exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text(
        vi("The ranking is published to every member.")
    )
    expect(page.locator("h1")).to_contain_text(vi("Published"))
    ranked = page.locator("#ranking tbody tr").filter(has_text=member.name)
    # Its lines without evidence count 0 (the others' factory sheets carry references).
    expect(ranked.locator("td").first).to_have_text("3")
    expect(page.locator("#ranking tbody tr")).to_have_count(3)
    page.screenshot(path=screenshot_dir / "scoring-ranking-published.png", full_page=True)
    context.close()


def test_self_score_blind_review_reconcile_publish(
    browser, live_server, scoring, tmp_path, screenshot_dir
):
    bloc_year, member, sheet = scoring
    lines = list(
        ScoreLine.objects.filter(sheet=sheet).select_related("criterion").order_by("order", "pk")
    )
    kinds = {line.criterion.kind for line in lines}
    assert {CriterionKind.POINTS, CriterionKind.PASS_FAIL, CriterionKind.COUNT} <= kinds

    _self_score(browser, live_server, bloc_year, member, lines, tmp_path, screenshot_dir)
    _review_blind(browser, live_server, bloc_year, member, lines)
    _reconcile_and_publish(browser, live_server, bloc_year, member, lines, screenshot_dir)

    # The member sees the published table and its agreed scores.
    context, page = _new_page(browser, live_server, "leader-a", viewport=PHONE)
    page.goto(_scores_url(live_server, bloc_year))
    expect(page.locator("#heading-year_end")).to_contain_text(vi("Ranking published"))
    page.locator("#period-year_end").get_by_role("link", name=vi("Ranking")).click()
    ranking = page.locator("#ranking")
    for name in AGENCY_NAMES.values():
        expect(ranking).to_contain_text(name)
    page.goto(_scores_url(live_server, bloc_year))
    page.locator("#sheets-year_end").get_by_role("link", name=member.name).click()
    header = page.locator("#sheet-lines thead")
    for column in ("Self-score", "Review score", "Final score"):
        expect(header).to_contain_text(vi(column))
    flagged = next(line for line in lines if line.key == FLAGGED_KEY)
    cells = page.locator(f"#line-{flagged.pk} td.text-end")
    # Max, then self, review and final.
    expect(cells.nth(1)).to_contain_text(str(SELF_FLAGGED))
    expect(cells.nth(2)).to_contain_text(str(REVIEW_FLAGGED))
    expect(cells.nth(3)).to_contain_text(str(FINAL_FLAGGED))
    expect(page.locator(f"#line-{flagged.pk}")).to_contain_text(FINAL_REASON)
    context.close()
