"""The mid-year minutes and the score table as issued documents (domain rule 30): drafts
until the review is held / the ranking is published, then numbered in the chair agency's
register (minutes "BB", score table "BTH"), dated the meeting / the publication, with the
QR code and verification address; the same bytes for every reader while unchanged, a new
build under the same number when the data changes, the old one marked superseded."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from blocs.models import MemberRole
from blocs.stages import Stage
from covenants.models import MidYearReview, Period, RankingPublication, ScoreLine, ScoreSheet
from covenants.scores.mid_year import mid_year_review_hold, mid_year_review_save
from members.models import DocType, IssuedDocument, RegisterEntry
from tests.covenants.factories_score import (
    complete_year_end,
    fill_self,
    leader_of,
    officer_of,
    scoring_year,
)
from tests.members.factories import BoardUserFactory
from tests.members.issued_helpers import assert_issued_pdf, is_superseded, text_of, verify_answer

pytestmark = pytest.mark.django_db

MEETING_DAY = datetime.date(2026, 7, 18)
PUBLICATION_DAY = datetime.date(2026, 12, 10)


def download(client, user, url) -> bytes:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def a_member(bloc_year):
    return leader_of(bloc_year.memberships.filter(role=MemberRole.MEMBER).first().agency)


# The mid-year minutes ----------------------------------------------------------------------


@pytest.fixture
def mid_year():
    """A year in progress, every mid-year sheet submitted, the review's record written
    (with a typed number) but not yet held."""
    bloc_year = scoring_year(stage=Stage.IN_PROGRESS, members=3)
    secretariat = officer_of(bloc_year.chair)
    for sheet in ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.MID_YEAR):
        fill_self(sheet)
    mid_year_review_save(
        bloc_year=bloc_year,
        actor=secretariat,
        data={
            "number": "03/BB-KTĐ6",
            "held_on": MEETING_DAY,
            "place": "Hội trường Sở Y tế",
            "host_agency": bloc_year.chair,
            "chaired_by": "Nguyễn Văn Hùng, Giám đốc",
            "secretary": "Trần Thị Thủy, chuyên viên",
            "attendees": "Lãnh đạo các đơn vị thành viên Khối",
            "results_summary": "Các đơn vị đã hoàn thành tốt các chỉ tiêu giao ước.",
            "limitations": "Việc gửi minh chứng còn chậm.",
            "second_half_tasks": "Tổ chức kiểm tra chéo trong tháng 9.",
        },
    )
    url = reverse("covenants:mid_year_pdf", args=[bloc_year.bloc_id, bloc_year.year])
    return bloc_year, secretariat, url


def test_the_minutes_stay_a_draft_until_the_review_is_held(client, mid_year):
    _bloc_year, secretariat, url = mid_year
    text = text_of(download(client, secretariat, url))
    assert "DỰ THẢO" in text
    assert "Số: 03/BB-KTĐ6" in text
    assert "Văn bản số" not in text
    assert not RegisterEntry.objects.exists()


def test_the_held_minutes_are_numbered_in_the_chairs_register_and_verifiable(client, mid_year):
    bloc_year, secretariat, url = mid_year
    mid_year_review_hold(bloc_year=bloc_year, actor=secretariat)
    pdf = download(client, a_member(bloc_year), url)
    issued = IssuedDocument.objects.select_related("entry").get()
    entry = issued.entry
    assert entry.agency == bloc_year.chair
    assert (entry.year, entry.doc_type, entry.issued_on) == (2026, DocType.MINUTES, MEETING_DAY)
    assert entry.key == f"blocyear:{bloc_year.pk}:mid_year_minutes"
    assert entry.number_symbol == f"01/BB-KTĐ{bloc_year.bloc.number}"
    text = assert_issued_pdf(pdf, issued)
    assert "DỰ THẢO" not in text
    assert "03/BB-KTĐ6" not in text  # the register's number replaces the typed one
    assert "ngày 18 tháng 7 năm 2026" in text
    assert verify_answer(client, issued, pdf) == "match"
    assert verify_answer(client, issued, pdf + b"% edited\n") == "mismatch"


def test_the_held_minutes_are_cached_then_rebuilt_when_the_record_changes(client, mid_year):
    bloc_year, secretariat, url = mid_year
    mid_year_review_hold(bloc_year=bloc_year, actor=secretariat)
    first = download(client, secretariat, url)
    board = BoardUserFactory(board_province=bloc_year.bloc.province)
    assert download(client, board, url) == first
    assert download(client, a_member(bloc_year), url) == first
    old = IssuedDocument.objects.get()
    MidYearReview.objects.filter(bloc_year=bloc_year).update(place="Hội trường UBND tỉnh")
    rebuilt = download(client, secretariat, url)
    assert "Hội trường UBND tỉnh" in text_of(rebuilt)
    new = IssuedDocument.objects.exclude(pk=old.pk).get()
    assert new.entry_id == old.entry_id
    assert_issued_pdf(rebuilt, new)
    assert is_superseded(client, old)
    assert not is_superseded(client, new)


# The score table ---------------------------------------------------------------------------


@pytest.fixture
def year_end():
    """Every year-end sheet final and the ranking published on PUBLICATION_DAY."""
    bloc_year = scoring_year(members=3)
    complete_year_end(bloc_year)
    # 02:30 UTC is 09:30 in Vietnam: the same calendar day either way.
    published_at = datetime.datetime(2026, 12, 10, 2, 30, tzinfo=datetime.UTC)
    RankingPublication.objects.filter(bloc_year=bloc_year).update(published_at=published_at)
    url = reverse("covenants:ranking_pdf", args=[bloc_year.bloc_id, bloc_year.year, "year_end"])
    return bloc_year, url


def test_the_score_table_stays_a_draft_until_the_ranking_is_published(client, year_end):
    bloc_year, url = year_end
    bloc_year.ranking_publications.all().delete()
    text = text_of(download(client, officer_of(bloc_year.chair), url))
    assert "DỰ THẢO – CHƯA CÔNG BỐ" in text
    assert "Văn bản số" not in text
    assert not RegisterEntry.objects.exists()


def test_the_published_table_is_numbered_in_the_chairs_register_and_verifiable(client, year_end):
    bloc_year, url = year_end
    pdf = download(client, a_member(bloc_year), url)
    issued = IssuedDocument.objects.select_related("entry").get()
    entry = issued.entry
    assert entry.agency == bloc_year.chair
    assert (entry.year, entry.doc_type, entry.issued_on) == (2026, DocType.TABLE, PUBLICATION_DAY)
    assert entry.key == f"blocyear:{bloc_year.pk}:score_table:year_end"
    assert entry.number_symbol == f"01/BTH-KTĐ{bloc_year.bloc.number}"
    assert entry.title == "Bảng tổng hợp kết quả chấm điểm thi đua năm 2026"
    text = assert_issued_pdf(pdf, issued)
    assert "DỰ THẢO" not in text
    assert "ngày 10 tháng 12 năm 2026" in text
    assert verify_answer(client, issued, pdf) == "match"
    assert verify_answer(client, issued, pdf + b"% edited\n") == "mismatch"


def test_the_published_table_is_cached_then_rebuilt_when_a_score_changes(client, year_end):
    bloc_year, url = year_end
    first = download(client, officer_of(bloc_year.chair), url)
    assert download(client, a_member(bloc_year), url) == first
    assert IssuedDocument.objects.count() == 1
    old = IssuedDocument.objects.get()
    line = ScoreLine.objects.filter(
        sheet__bloc_year=bloc_year, sheet__period=Period.YEAR_END, final_value__gt=1
    ).first()
    ScoreLine.objects.filter(pk=line.pk).update(
        final_value=line.final_value - Decimal(1), final_reason="Thiếu minh chứng"
    )
    rebuilt = download(client, a_member(bloc_year), url)
    assert rebuilt != first
    new = IssuedDocument.objects.exclude(pk=old.pk).get()
    assert new.entry_id == old.entry_id
    assert_issued_pdf(rebuilt, new)
    assert is_superseded(client, old)
    assert verify_answer(client, old, first) == "match"


def test_each_published_period_has_its_own_table(client, year_end):
    bloc_year, url = year_end
    RankingPublication.objects.create(
        bloc_year=bloc_year, period=Period.MID_YEAR, published_by=officer_of(bloc_year.chair)
    )
    secretariat = officer_of(bloc_year.chair)
    download(client, secretariat, url)
    mid_url = reverse("covenants:ranking_pdf", args=[bloc_year.bloc_id, bloc_year.year, "mid_year"])
    download(client, secretariat, mid_url)
    keys = set(RegisterEntry.objects.values_list("key", flat=True))
    assert keys == {
        f"blocyear:{bloc_year.pk}:score_table:year_end",
        f"blocyear:{bloc_year.pk}:score_table:mid_year",
    }
