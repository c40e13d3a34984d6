"""The mid-year review (sơ kết 6 tháng): drafting the record, holding it once
every member has submitted, read-only afterwards, who may do what, and the
page with the members' results."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocs import services as bloc_services
from blocs.models import BlocYear, MemberRole
from blocs.stages import Stage
from covenants.models import MidYearReview, MidYearStatus, Period, ScoreSheet
from covenants.scores.documents_mid_year import mid_year_results
from covenants.scores.mid_year import (
    mid_year_review_hold,
    mid_year_review_reopen,
    mid_year_review_save,
)
from tests.covenants.factories_score import fill_self, leader_of, officer_of, publish, scoring_year
from tests.members.factories import AgencyFactory, BoardUserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db

RECORD = {
    "number": "03/BB-KTĐ6",
    "held_on": datetime.date(2026, 7, 18),
    "place": "Hội trường Sở Văn hóa, Thể thao và Du lịch",
    "chaired_by": "Nguyễn Văn Hùng, Giám đốc Sở",
    "secretary": "Trần Thị Thủy, chuyên viên",
    "attendees": "Lãnh đạo các đơn vị thành viên\nĐại diện Ban Thi đua – Khen thưởng tỉnh",
    "results_summary": "Các đơn vị hoàn thành tốt nhiệm vụ 6 tháng đầu năm.",
    "limitations": "Một số đơn vị gửi báo cáo chậm.",
    "second_half_tasks": "Đẩy mạnh phong trào thi đua 6 tháng cuối năm.",
}


def _year(members=4, stage=Stage.IN_PROGRESS):
    bloc_year = scoring_year(stage=stage, members=members)
    return bloc_year, officer_of(bloc_year.memberships.get(role=MemberRole.CHAIR).agency)


def _member(bloc_year):
    return bloc_year.memberships.filter(role=MemberRole.MEMBER).first().agency


def _mid_year_sheets(bloc_year):
    return ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.MID_YEAR).order_by("pk")


def _url(bloc_year, name="covenants:mid_year"):
    return reverse(name, args=[bloc_year.bloc_id, bloc_year.year])


def _draft(bloc_year, secretariat, **changes):
    data = {**RECORD, "host_agency": bloc_year.chair, **changes}
    return mid_year_review_save(bloc_year=bloc_year, actor=secretariat, data=data)


def test_the_secretariat_starts_and_updates_the_draft_record():
    bloc_year, secretariat = _year()
    review = _draft(bloc_year, secretariat)
    assert review.status == MidYearStatus.DRAFT
    assert review.host_agency == bloc_year.chair
    mid_year_review_save(bloc_year=bloc_year, actor=secretariat, data={"place": "Phòng họp B"})
    review.refresh_from_db()
    assert review.place == "Phòng họp B"
    assert review.results_summary == RECORD["results_summary"]
    assert MidYearReview.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"held_on": datetime.date(2025, 7, 18)}, "held_on"),
        ({"host_agency": "outsider"}, "host_agency"),
        ({"place": "x" * 201}, "place"),
    ],
)
def test_bad_values_are_refused_on_their_field(changes, field):
    bloc_year, secretariat = _year()
    if changes.get("host_agency") == "outsider":
        changes = {"host_agency": AgencyFactory(province=bloc_year.bloc.province)}
    with pytest.raises(ValidationError) as error:
        _draft(bloc_year, secretariat, **changes)
    assert field in error.value.error_dict
    assert not MidYearReview.objects.exists()


def test_the_edit_page_puts_errors_next_to_the_fields(client):
    bloc_year, secretariat = _year()
    client.force_login(secretariat)
    data = {**RECORD, "held_on": "2025-07-18", "host_agency": bloc_year.chair.pk}
    response = client.post(_url(bloc_year, "covenants:mid_year_edit"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert vi("The review is held in %(year)s.") % {"year": 2026} in html
    assert 'id="error_1_id_held_on"' in html or "invalid-feedback" in html
    assert RECORD["results_summary"] in html  # nothing typed is lost
    assert not MidYearReview.objects.exists()

    data["held_on"] = "2026-07-18"
    response = client.post(_url(bloc_year, "covenants:mid_year_edit"), data)
    assert response.status_code == 302
    assert MidYearReview.objects.get().held_on == datetime.date(2026, 7, 18)


def test_holding_is_refused_naming_each_agency_with_an_unsubmitted_sheet():
    bloc_year, secretariat = _year()
    _draft(bloc_year, secretariat)
    sheets = list(_mid_year_sheets(bloc_year))
    fill_self(sheets[0])
    with pytest.raises(ValidationError) as error:
        mid_year_review_hold(bloc_year=bloc_year, actor=secretariat)
    text = " ".join(error.value.messages)
    for sheet in sheets[1:]:
        assert sheet.agency.name in text
    assert sheets[0].agency.name not in text
    assert MidYearReview.objects.get().status == MidYearStatus.DRAFT


def test_holding_needs_the_date_and_the_summary():
    bloc_year, secretariat = _year()
    _draft(bloc_year, secretariat, held_on=None, results_summary=" ")
    for sheet in _mid_year_sheets(bloc_year):
        fill_self(sheet)
    with pytest.raises(ValidationError) as error:
        mid_year_review_hold(bloc_year=bloc_year, actor=secretariat)
    assert error.value.messages == [
        "Enter the date of the review.",
        "Write the summary of results.",
    ]


def test_holding_succeeds_once_every_sheet_is_submitted_and_the_record_is_read_only():
    bloc_year, secretariat = _year()
    _draft(bloc_year, secretariat)
    for sheet in _mid_year_sheets(bloc_year):
        fill_self(sheet)
    review = mid_year_review_hold(bloc_year=bloc_year, actor=secretariat)
    assert review.status == MidYearStatus.HELD
    assert review.held_by == secretariat
    assert review.held_at is not None
    with pytest.raises(ValidationError, match="held"):
        mid_year_review_save(bloc_year=bloc_year, actor=secretariat, data={"place": "Khác"})
    with pytest.raises(ValidationError, match="already"):
        mid_year_review_hold(bloc_year=bloc_year, actor=secretariat)
    assert MidYearReview.objects.get().place == RECORD["place"]


def test_the_edit_page_is_closed_once_held(client):
    bloc_year, secretariat = _year()
    _draft(bloc_year, secretariat)
    for sheet in _mid_year_sheets(bloc_year):
        fill_self(sheet)
    mid_year_review_hold(bloc_year=bloc_year, actor=secretariat)
    client.force_login(secretariat)
    assert client.get(_url(bloc_year, "covenants:mid_year_edit")).status_code == 403
    html = client.get(_url(bloc_year)).content.decode()
    assert _url(bloc_year, "covenants:mid_year_edit") not in html


def test_the_secretariat_reopens_a_held_record_with_a_reason():
    bloc_year, secretariat = _year()
    _draft(bloc_year, secretariat)
    for sheet in _mid_year_sheets(bloc_year):
        fill_self(sheet)
    mid_year_review_hold(bloc_year=bloc_year, actor=secretariat)
    with pytest.raises(ValidationError) as error:
        mid_year_review_reopen(bloc_year=bloc_year, actor=secretariat, reason="  ")
    assert "reason" in error.value.error_dict
    review = mid_year_review_reopen(
        bloc_year=bloc_year, actor=secretariat, reason="Sai tên người chủ trì"
    )
    assert (review.status, review.held_at, review.held_by) == (MidYearStatus.DRAFT, None, None)


def test_hold_and_reopen_through_the_page(client):
    bloc_year, secretariat = _year()
    _draft(bloc_year, secretariat)
    client.force_login(secretariat)
    hold_url = _url(bloc_year, "covenants:mid_year_hold")
    html = client.get(hold_url).content.decode()
    assert _member(bloc_year).name in html  # the blockers are named before trying
    response = client.post(hold_url)
    assert response.status_code == 200
    assert (
        vi("%(agency)s has not submitted its self-scores.") % {"agency": _member(bloc_year).name}
        in response.content.decode()
    )
    for sheet in _mid_year_sheets(bloc_year):
        fill_self(sheet)
    assert client.post(hold_url).status_code == 302
    assert MidYearReview.objects.get().is_held
    assert client.post(hold_url, {"reason": "Bổ sung thành phần"}).status_code == 302
    assert not MidYearReview.objects.get().is_held


def test_only_the_secretariat_keeps_the_record(client):
    bloc_year, secretariat = _year()
    member = leader_of(_member(bloc_year))
    board = BoardUserFactory(board_province=bloc_year.bloc.province)
    for user in (member, board):
        with pytest.raises(PermissionDenied):
            _draft(bloc_year, user)
    _draft(bloc_year, secretariat)
    for user in (member, board):
        with pytest.raises(PermissionDenied):
            mid_year_review_hold(bloc_year=bloc_year, actor=user)
        client.force_login(user)
        assert client.get(_url(bloc_year)).status_code == 200  # they may read it
        assert client.get(_url(bloc_year, "covenants:mid_year_edit")).status_code == 403
        assert client.post(_url(bloc_year, "covenants:mid_year_hold")).status_code == 403


def test_a_closed_year_refuses_and_other_stages_are_not_the_time():
    bloc_year, secretariat = _year()
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.CLOSED)
    bloc_year.refresh_from_db()
    with pytest.raises(PermissionDenied):
        _draft(bloc_year, secretariat)
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SCORING)
    bloc_year.refresh_from_db()
    with pytest.raises(ValidationError, match="in progress"):
        _draft(bloc_year, secretariat)


def test_open_scoring_names_the_agencies_whose_mid_year_sheet_is_missing():
    bloc_year, secretariat = _year()
    sheets = list(_mid_year_sheets(bloc_year))
    fill_self(sheets[0])
    with pytest.raises(ValidationError) as error:
        bloc_services.TRANSITION_SERVICES["open_scoring"](bloc_year=bloc_year, actor=secretariat)
    messages = error.value.messages
    assert "The mid-year review has not been recorded as held." in messages
    for sheet in sheets[1:]:
        assert f"{sheet.agency.name} has not submitted its self-scores." in messages
    assert not any(sheets[0].agency.name in message for message in messages)

    for sheet in sheets[1:]:
        fill_self(sheet)
    _draft(bloc_year, secretariat)
    mid_year_review_hold(bloc_year=bloc_year, actor=secretariat)
    bloc_services.TRANSITION_SERVICES["open_scoring"](bloc_year=bloc_year, actor=secretariat)
    bloc_year.refresh_from_db()
    assert bloc_year.stage == Stage.SCORING


def test_the_page_offers_to_start_the_record_to_the_secretariat_only(client):
    bloc_year, secretariat = _year()
    client.force_login(secretariat)
    html = client.get(_url(bloc_year)).content.decode()
    assert vi("The record of the mid-year review has not been started yet.") in html
    assert vi("Start the record") in html
    client.force_login(leader_of(_member(bloc_year)))
    html = client.get(_url(bloc_year)).content.decode()
    assert vi("Start the record") not in html


def test_members_see_only_their_own_result_until_the_mid_year_ranking_is_published(client):
    bloc_year, secretariat = _year()
    sheets = list(_mid_year_sheets(bloc_year))
    for sheet in sheets[:3]:
        fill_self(sheet)
    own = sheets[1].agency
    client.force_login(leader_of(own))
    html = client.get(_url(bloc_year)).content.decode()
    table = html.split('id="mid-year-results"')[1].split("</table>")[0]
    assert own.name in table
    assert sheets[0].agency.name not in table
    assert (
        vi("Until the mid-year ranking is published, you see your own agency's result only.")
        in html
    )

    client.force_login(secretariat)
    table = client.get(_url(bloc_year)).content.decode().split('id="mid-year-results"')[1]
    table = table.split("</table>")[0]
    assert all(sheet.agency.name in table for sheet in sheets[:3])
    assert sheets[3].agency.name not in table  # a draft sheet has no result

    publish(bloc_year, Period.MID_YEAR)
    client.force_login(leader_of(own))
    table = client.get(_url(bloc_year)).content.decode().split('id="mid-year-results"')[1]
    assert sheets[0].agency.name in table.split("</table>")[0]


def test_the_results_are_the_self_totals_of_submitted_sheets():
    bloc_year, _secretariat = _year()
    sheets = list(_mid_year_sheets(bloc_year))
    fill_self(sheets[0])
    rows = mid_year_results(bloc_year)
    assert [row.agency for row in rows] == [sheets[0].agency]
    assert rows[0].column == "self"
    assert rows[0].complete
    assert 0 < rows[0].total <= 110


def _page_queries(client, members: int) -> int:
    bloc_year, secretariat = _year(members=members)
    _draft(bloc_year, secretariat)
    for sheet in list(_mid_year_sheets(bloc_year))[:-1]:
        fill_self(sheet)
    client.force_login(secretariat)
    client.get(_url(bloc_year))  # the settings row is created on first use
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(bloc_year)).status_code == 200
    return len(queries)


def test_the_page_needs_the_same_queries_for_3_and_6_members(client):
    assert _page_queries(client, 3) == _page_queries(client, 6)
