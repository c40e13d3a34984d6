"""The year-end summary report (BÁO CÁO Tổng kết công tác thi đua, khen
thưởng năm …, domain.md §5.1). Its texts are written by
:func:`awards.documents.summary_report_save`.

The report puts the secretariat's four texts (results achieved,
limitations, lessons, directions) next to the facts the app already knows,
so nobody copies them by hand: the members and officers, the covenant's
signing, the mid-year review, the year-end ranking, the initiatives
recognised and the proposals.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Sum

from blocs.models import BlocYear, MemberRole
from config.pdf import render_pdf
from covenants.models import (
    Covenant,
    CovenantStatus,
    Initiative,
    InitiativeLevel,
    MidYearReview,
)
from members.templatetags.documents import vn_date, vn_decimal

from .documents import (
    AWARD_WORDS,
    chair_signer,
    conference_for_documents,
    current_memberships,
    issuer,
    number_parts,
    place,
    proposals_in_order,
)
from .documents_reads import year_end_table
from .models import ConferenceStatus

__all__ = ["report_context", "report_pdf"]

# The document -----------------------------------------------------------------------


def _members(bloc_year) -> tuple[list[str], str, str]:
    names, chair, vice = [], "", ""
    for membership in current_memberships(bloc_year):
        names.append(membership.agency.name)
        if membership.role == MemberRole.CHAIR:
            chair = membership.agency.name
        elif membership.role == MemberRole.VICE_CHAIR:
            vice = membership.agency.name
    return names, chair, vice


def _covenant_and_review(bloc_year) -> tuple[Covenant | None, MidYearReview | None]:
    """The year's covenant and mid-year review (one each at most) in one query."""
    year = BlocYear.objects.select_related("covenant", "mid_year_review").get(pk=bloc_year.pk)
    found = []
    for name in ("covenant", "mid_year_review"):
        try:
            found.append(getattr(year, name))
        except ObjectDoesNotExist:
            found.append(None)
    return found[0], found[1]


def _covenant_line(bloc_year, covenant: Covenant | None) -> str:
    year = bloc_year.year
    if covenant is None or covenant.status != CovenantStatus.SIGNED:
        return f"Giao ước thi đua năm {year} chưa được các đơn vị ký kết đầy đủ."
    when = f"{vn_date(covenant.conference_date).capitalize()}, " if covenant.conference_date else ""
    return f"{when}các đơn vị thành viên đã ký kết giao ước thi đua năm {year}."


def _mid_year_line(review: MidYearReview | None) -> str:
    if review is None or not review.is_held:
        return "Khối chưa tổ chức hội nghị sơ kết 6 tháng đầu năm."
    when = f" {vn_date(review.held_on)}" if review.held_on else ""
    where = f" tại {review.place}" if review.place else ""
    return (
        f"Khối đã tổ chức hội nghị sơ kết công tác thi đua 6 tháng đầu năm{when}{where}, "
        "đánh giá kết quả và đề ra nhiệm vụ 6 tháng cuối năm."
    )


def _initiative_totals(bloc_year) -> tuple[int, int]:
    # order_by(): the model's default ordering would split the groups.
    totals = {
        row["level"]: row["total"]
        for row in Initiative.objects.filter(bloc_year=bloc_year)
        .order_by()
        .values("level")
        .annotate(total=Sum("count"))
    }
    return (
        totals.get(InitiativeLevel.GRASSROOTS) or 0,
        totals.get(InitiativeLevel.PROVINCIAL) or 0,
    )


def report_context(bloc_year, conference=None) -> dict:
    conference = conference or conference_for_documents(bloc_year)
    year = bloc_year.year
    superior, body = issuer(bloc_year)
    number, symbol = number_parts(conference.report_number, "BC", bloc_year)
    names, chair, vice = _members(bloc_year)
    table = year_end_table(bloc_year)
    grassroots, provincial = _initiative_totals(bloc_year)
    covenant, review = _covenant_and_review(bloc_year)
    return {
        "bloc_year": bloc_year,
        "conference": conference,
        "is_draft": conference.status != ConferenceStatus.CONFIRMED,
        "issuer_superior": superior,
        "issuer_body": body,
        "number": number,
        "symbol": symbol,
        "place": place(bloc_year),
        "issued_on": conference.held_on,
        "doc_type": "BÁO CÁO",
        "summary": f"Tổng kết công tác thi đua, khen thưởng năm {year}",
        "title": f"Báo cáo tổng kết công tác thi đua, khen thưởng năm {year}",
        "member_names": names,
        "chair_name": chair,
        "vice_name": vice,
        "covenant_line": _covenant_line(bloc_year, covenant),
        "mid_year_line": _mid_year_line(review),
        "ranking": [(row.rank, row.agency.name, row.total) for row in table.rows],
        "average_total": vn_decimal(table.average_total) if table.average_total else "",
        "grassroots": grassroots,
        "provincial": provincial,
        "proposals": [
            (p.agency.name, AWARD_WORDS.get(p.award, p.award))
            for p in proposals_in_order(bloc_year)
        ],
        "signer": chair_signer(bloc_year),
        "recipients": [
            "Ban Thi đua – Khen thưởng tỉnh (Sở Nội vụ)",
            "Các đơn vị thành viên Khối",
            "Lưu: VT",
        ],
    }


def report_pdf(bloc_year, conference=None) -> bytes:
    return render_pdf("awards/pdf/summary_report.html", report_context(bloc_year, conference))
