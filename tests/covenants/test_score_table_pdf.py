"""The score-table PDF (Bảng tổng hợp kết quả chấm điểm): a real WeasyPrint
render read back with pypdf — Vietnamese title, agency names in the table
and the chart, tie-break note, landscape pages, the bundled font only."""

import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from blocs.models import MemberRole
from covenants.models import Period, ScoreLine, ScoreSheet
from covenants.scores.documents import score_table_pdf
from covenants.scores.ranking import ranking_table
from members.models import Agency
from tests.covenants.factories_score import (
    complete_year_end,
    leader_of,
    officer_of,
    scoring_year,
)

pytestmark = pytest.mark.django_db

NAMES = {
    MemberRole.CHAIR: "Sở Văn hóa, Thể thao và Du lịch",
    MemberRole.VICE_CHAIR: "Đài Phát thanh và Truyền hình tỉnh",
    MemberRole.MEMBER: "Trường Cao đẳng Cộng đồng",
}


@pytest.fixture
def bloc_year():
    bloc_year = scoring_year(members=3)
    for membership in bloc_year.memberships.all():
        Agency.objects.filter(pk=membership.agency_id).update(name=NAMES[membership.role])
    complete_year_end(bloc_year)
    return bloc_year


def _text(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_pdf_reads_back_in_vietnamese(bloc_year, tmp_path):
    pdf = score_table_pdf(ranking_table(bloc_year, Period.YEAR_END))
    text = _text(pdf)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM",
        "Thi đua năm 2026",
        "Bình quân",
        "các đơn vị bằng tổng điểm được xếp lần lượt theo: điểm nhóm I cao hơn",
        "KHỐI TRƯỞNG",
    ):
        assert expected in text, expected
    for name in NAMES.values():
        assert text.count(name) == 2, name  # in the table and as a chart label
    reader = PdfReader(BytesIO(pdf))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
    assert reader.metadata.title == "Bảng tổng hợp kết quả chấm điểm thi đua năm 2026"
    path = tmp_path / "table.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    embedded = {row.split()[0].split("+", 1)[-1] for row in fonts.stdout.splitlines()[2:]}
    # The chart's labels too: a host font (DejaVu) would show up here.
    assert embedded
    assert all(name.startswith("Thi-Dua-Serif") for name in embedded)


def test_an_unresolved_tie_asks_the_conference_to_re_vote(bloc_year):
    sheets = list(ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.YEAR_END))
    for line in ScoreLine.objects.filter(sheet__in=sheets):
        line.self_value = line.final_value = Decimal(0)
        line.save()
    text = _text(score_table_pdf(ranking_table(bloc_year, Period.YEAR_END)))
    assert "đề nghị Hội nghị bỏ phiếu lại" in text
    assert text.count("Bằng điểm: bỏ phiếu lại") == 3


def test_a_table_not_yet_published_is_marked_as_a_draft(bloc_year):
    bloc_year.ranking_publications.all().delete()
    text = _text(score_table_pdf(ranking_table(bloc_year, Period.YEAR_END)))
    assert "DỰ THẢO – CHƯA CÔNG BỐ" in text
    assert "ngày tháng năm" in text  # the date is left blank until publication


def test_the_pdf_downloads_for_those_who_may_see_the_table(client, bloc_year):
    url = reverse("covenants:ranking_pdf", args=[bloc_year.bloc_id, bloc_year.year, "year_end"])
    member = bloc_year.memberships.get(role=MemberRole.MEMBER).agency
    client.force_login(leader_of(member))
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''B%E1%BA%A3ng" in response["Content-Disposition"]
    bloc_year.ranking_publications.all().delete()
    assert client.get(url).status_code == 403
    client.force_login(officer_of(bloc_year.chair))
    assert client.get(url).content.startswith(b"%PDF")
