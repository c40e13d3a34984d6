"""The sheet pages: reading a sheet per role, entering self-scores with
errors next to their lines, attaching evidence, submitting with the deadline
shown, 403/404, and a query count that does not grow with the bloc."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from blocs.models import MemberRole
from blocs.stages import Stage
from covenants.models import Evidence, LatePolicy, Period, ScoreLine, ScoreSheet, SheetStatus
from covenants.scores.core import settings_for
from tests.covenants.factories_score import (
    fill_review,
    fill_self,
    finalize,
    leader_of,
    officer_of,
    publish,
    scoring_year,
)
from tests.members.factories import AgencyFactory, AgencyStaffFactory, BoardUserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def year():
    return scoring_year(stage=Stage.SCORING, members=4)


@pytest.fixture
def sheet(year):
    agency = year.memberships.filter(role=MemberRole.MEMBER).order_by("pk").first().agency
    return ScoreSheet.objects.get(bloc_year=year, period=Period.YEAR_END, agency=agency)


def _url(name, sheet, *extra, period=None, agency=None):
    return reverse(
        f"covenants:{name}",
        args=[
            sheet.bloc_year.bloc_id,
            sheet.bloc_year.year,
            period or sheet.period,
            agency or sheet.agency_id,
            *extra,
        ],
    )


def _line(sheet, key):
    return ScoreLine.objects.get(sheet=sheet, key=key)


def test_the_member_reads_its_draft_in_vietnamese_with_its_actions(client, sheet):
    client.force_login(leader_of(sheet.agency))
    response = client.get(_url("score_sheet", sheet))
    html = response.content.decode()
    assert response.status_code == 200
    assert sheet.agency.name in html
    assert vi("Enter self-scores") in html
    assert vi("Submit the sheet") in html
    assert _url("score_sheet_xlsx", sheet) in html
    assert _url("score_sheet_import", sheet) in html
    assert (
        vi("The review is shown here once both your self-scores and the review are submitted.")
        in html
    )
    assert "Thực hiện nhiệm vụ chính trị, chuyên môn được giao" in html  # group I
    assert 'id="sheet-totals"' in html


def test_an_officer_may_edit_but_not_submit_and_staff_only_read(client, sheet):
    client.force_login(officer_of(sheet.agency))
    html = client.get(_url("score_sheet", sheet)).content.decode()
    assert _url("score_sheet_edit", sheet) in html
    assert _url("score_sheet_submit", sheet) not in html
    assert client.get(_url("score_sheet_submit", sheet)).status_code == 403

    client.force_login(AgencyStaffFactory(agency=sheet.agency))
    html = client.get(_url("score_sheet", sheet)).content.decode()
    assert _url("score_sheet_edit", sheet) not in html
    assert client.get(_url("score_sheet_edit", sheet)).status_code == 403


def test_other_members_are_refused_until_publication_and_then_see_final_values_only(
    client, year, sheet
):
    other = year.memberships.filter(role=MemberRole.MEMBER).exclude(agency=sheet.agency).first()
    peer = leader_of(other.agency)
    client.force_login(peer)
    assert client.get(_url("score_sheet", sheet)).status_code == 403
    fill_self(sheet)
    ScoreLine.objects.filter(sheet=sheet, key="I.1").update(explanation="BÍ-MẬT-TỰ-CHẤM")
    fill_review(sheet)
    finalize(sheet)
    publish(sheet.bloc_year)
    html = client.get(_url("score_sheet", sheet)).content.decode()
    assert vi("Final score") in html
    assert vi("Self-score") not in html
    assert "BÍ-MẬT-TỰ-CHẤM" not in html
    assert _url("score_history", sheet) not in html


def test_unknown_period_and_agencies_outside_the_bloc_are_not_found(client, year, sheet):
    client.force_login(officer_of(year.chair))
    assert client.get(_url("score_sheet", sheet, period="someday")).status_code == 404
    stranger = AgencyFactory(province=year.bloc.province)
    assert client.get(_url("score_sheet", sheet, agency=stranger.pk)).status_code == 404
    client.force_login(AgencyStaffFactory(agency=stranger))
    assert client.get(_url("score_sheet", sheet)).status_code == 403


def test_the_edit_form_saves_every_kind_of_line(client, sheet):
    client.force_login(officer_of(sheet.agency))
    page = client.get(_url("score_sheet_edit", sheet)).content.decode()
    assert 'name="value-I.2.2"' in page
    assert vi("Pass") in page
    assert 'for="id_value-I.1"' in page  # every field labelled
    assert 'for="evidence-file-' in page
    response = client.post(
        _url("score_sheet_edit", sheet),
        {
            "value-I.1": "18.5",
            "explanation-I.1": "Hoàn thành 95% chỉ tiêu",
            "evidence_note-I.1": "Báo cáo số 20/BC-SVHTTDL",
            "value-I.2.2": "1",
            "value-I.4": "2",
            "female_percent": "71.5",
        },
    )
    assert response.status_code == 302
    assert _line(sheet, "I.1").self_value == Decimal("18.5")
    assert _line(sheet, "I.1").evidence_note == "Báo cáo số 20/BC-SVHTTDL"
    assert _line(sheet, "I.2.2").self_value == 1
    assert _line(sheet, "I.4").self_value == 2
    sheet.refresh_from_db()
    assert sheet.female_percent == Decimal("71.5")


def test_edit_errors_show_next_to_their_lines_and_the_typed_values_stay(client, sheet):
    client.force_login(officer_of(sheet.agency))
    response = client.post(
        _url("score_sheet_edit", sheet),
        {
            "value-I.1": "25",
            "value-I.3": "10",
            "explanation-I.3": "Đã nhập nhưng chưa lưu",
            "value-I.4": "1.5",
            "female_percent": "150",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="form-errors"' in html
    # crispy renders a field's errors right after its input, with the field's id.
    assert 'id="error_1_id_value-I.1"' in html
    assert 'id="error_1_id_value-I.4"' in html
    assert 'id="error_1_id_female_percent"' in html
    assert 'id="error_1_id_value-I.3"' not in html
    assert 'value="25"' in html
    assert "Đã nhập nhưng chưa lưu" in html
    assert _line(sheet, "I.3").self_value is None


def test_evidence_is_attached_from_the_edit_page_and_errors_show_on_the_upload_page(client, sheet):
    client.force_login(officer_of(sheet.agency))
    line = _line(sheet, "I.1")
    add_url = _url("evidence_add", sheet, line.pk)
    assert add_url in client.get(_url("score_sheet_edit", sheet)).content.decode()
    response = client.post(add_url, {"file": SimpleUploadedFile("Quyết định khen.pdf", PDF)})
    assert response.status_code == 302
    evidence = Evidence.objects.get(line=line)
    page = client.get(_url("score_sheet", sheet)).content.decode()
    assert "Quyết định khen.pdf" in page
    assert _url("evidence", sheet, evidence.pk) in page

    refused = client.post(add_url, {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00")})
    assert refused.status_code == 200
    assert 'id="error_1_id_file"' in refused.content.decode()
    assert Evidence.objects.count() == 1

    delete_url = _url("evidence_delete", sheet, evidence.pk)
    assert delete_url in client.get(_url("score_sheet_edit", sheet)).content.decode()
    assert client.post(delete_url).status_code == 302
    assert not Evidence.objects.exists()


def test_the_submit_page_names_missing_lines_and_submits_once_complete(client, sheet):
    leader = leader_of(sheet.agency)
    client.force_login(leader)
    html = client.get(_url("score_sheet_submit", sheet)).content.decode()
    assert 'id="submit-problems"' in html
    assert "I.1 – " in html
    fill_self(sheet, submit=False)
    html = client.get(_url("score_sheet_submit", sheet)).content.decode()
    assert 'id="submit-problems"' not in html
    response = client.post(_url("score_sheet_submit", sheet))
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    html = client.get(_url("score_sheet", sheet)).content.decode()
    assert vi("Submitted") in html
    assert _url("score_sheet_edit", sheet) not in html
    assert client.get(_url("score_sheet_edit", sheet)).status_code == 403


@pytest.mark.parametrize("policy", [LatePolicy.LOCK, LatePolicy.DEDUCT])
def test_the_submit_page_explains_the_late_policy_before_confirming(client, year, sheet, policy):
    settings = settings_for(year)
    settings.year_end_deadline = timezone.localdate() - datetime.timedelta(days=3)
    settings.late_policy = policy
    settings.save()
    fill_self(sheet, submit=False)
    client.force_login(leader_of(sheet.agency))
    html = client.get(_url("score_sheet_submit", sheet)).content.decode()
    assert 'id="late-warning"' in html
    assert settings.year_end_deadline.strftime("%d/%m/%Y") in html
    has_button = f'<button class="btn btn-success" type="submit">{vi("Submit the sheet")}' in html
    assert has_button is (policy == LatePolicy.DEDUCT)
    response = client.post(_url("score_sheet_submit", sheet))
    sheet.refresh_from_db()
    if policy == LatePolicy.LOCK:
        assert response.status_code == 200
        assert sheet.is_draft
    else:
        assert sheet.is_late
        html = client.get(_url("score_sheet", sheet)).content.decode()
        assert vi("Late submission") in html
        assert vi("Late") in html


def test_the_late_penalty_comes_off_the_total_shown(client, year, sheet):
    fill_self(sheet)
    ScoreSheet.objects.filter(pk=sheet.pk).update(is_late=True)
    client.force_login(leader_of(sheet.agency))
    html = client.get(_url("score_sheet", sheet)).content.decode()
    totals = html.split('id="sheet-totals"')[1].split("</table>")[0]
    assert "−2</td>" in totals


def test_the_board_reads_a_submitted_sheet_without_the_draft_review(client, year, sheet):
    fill_self(sheet)
    fill_review(sheet, submit=False)
    ScoreLine.objects.filter(sheet=sheet, key="I.1").update(review_note="BÍ-MẬT-THẨM-ĐỊNH")
    client.force_login(BoardUserFactory(board_province=year.bloc.province))
    html = client.get(_url("score_sheet", sheet)).content.decode()
    assert vi("Self-score") in html
    assert "BÍ-MẬT-THẨM-ĐỊNH" not in html
    assert _url("score_sheet_edit", sheet) not in html


def test_gaps_above_the_threshold_are_flagged_once_both_are_in(client, year, sheet):
    fill_self(sheet, fraction=Decimal("0.9"))
    fill_review(sheet, fraction=Decimal("0.5"))
    client.force_login(officer_of(year.chair))
    html = client.get(_url("score_sheet", sheet)).content.decode()
    assert 'id="gap-summary"' in html
    assert vi("Gap above the threshold") in html
    assert vi("Review score") in html


def _sheet_page_queries(client, members, django_assert_max_num_queries):
    year = scoring_year(stage=Stage.SCORING, members=members)
    agency = year.memberships.filter(role=MemberRole.MEMBER).first().agency
    sheet = ScoreSheet.objects.get(bloc_year=year, period=Period.YEAR_END, agency=agency)
    fill_self(sheet)
    fill_review(sheet)
    page, edit = _url("score_sheet", sheet), _url("score_sheet_edit", sheet)
    client.force_login(officer_of(year.chair))
    with django_assert_max_num_queries(16):
        assert client.get(page).status_code == 200
    client.force_login(officer_of(agency))
    sheet.status = SheetStatus.DRAFT
    sheet.save()
    with django_assert_max_num_queries(16):
        assert client.get(edit).status_code == 200


@pytest.mark.parametrize("members", [3, 6])
def test_the_sheet_pages_query_count_does_not_grow_with_members(
    client, members, django_assert_max_num_queries
):
    _sheet_page_queries(client, members, django_assert_max_num_queries)


def test_the_blind_reviewer_reads_no_self_side_before_both_are_in(client, year, sheet):
    fill_self(sheet)
    ScoreLine.objects.filter(sheet=sheet, key="I.1").update(
        self_value=Decimal("17.77"), explanation="BÍ-MẬT-TỰ-CHẤM", evidence_note="BÍ-MẬT-DẪN-CHIẾU"
    )
    ScoreSheet.objects.filter(pk=sheet.pk).update(female_percent=Decimal("66.66"))
    client.force_login(officer_of(year.chair))  # the secretariat reviews this sheet
    html = client.get(_url("score_sheet", sheet)).content.decode()
    for secret in ("17,77", "17.77", "BÍ-MẬT-TỰ-CHẤM", "BÍ-MẬT-DẪN-CHIẾU", "66,66"):
        assert secret not in html
    assert (
        vi(
            "The self-scores, explanations and evidence are hidden until both the self-scores "
            "and your review are submitted."
        )
        in html
    )
    fill_review(sheet)
    ScoreLine.objects.filter(sheet=sheet, key="I.1").update(self_value=Decimal("17.77"))
    html = client.get(_url("score_sheet", sheet)).content.decode()
    assert "17,77" in html
    assert "BÍ-MẬT-TỰ-CHẤM" in html
